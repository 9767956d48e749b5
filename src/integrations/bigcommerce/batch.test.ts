import { describe, expect, it } from 'vitest';
import { BATCH_LIMITS, chunk, groupByLocation } from './batch';
import { createSerialLane } from './serial';
import { collectPages, iteratePages } from './paging';

describe('chunk', () => {
  it.each([
    [0, 10, 0],
    [1, 10, 1],
    [10, 10, 1],
    [11, 10, 2],
    [120, 50, 3],
    [2000, 2000, 1],
    [2001, 2000, 2],
    [4500, 2000, 3],
  ])('%i items at a limit of %i make %i chunks, ⌈N/L⌉', (n, limit, expected) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const chunks = chunk(items, limit);
    expect(chunks).toHaveLength(expected);
    expect(chunks.every((c) => c.length > 0 && c.length <= limit)).toBe(true);
    expect(chunks.flat()).toEqual(items);
  });

  it('refuses a size that would loop forever or make no sense', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
    expect(() => chunk([1], 1.5)).toThrow(RangeError);
  });

  it('uses the documented limits', () => {
    expect(BATCH_LIMITS).toEqual({ productsUpdate: 10, variantsUpdate: 50, inventoryAdjustment: 2000 });
  });
});

describe('groupByLocation', () => {
  it('makes each location contiguous, in first-seen order, keeping input order inside a location', () => {
    const items = [
      { location_id: 2, sku: 'a' },
      { location_id: 1, sku: 'b' },
      { location_id: 2, sku: 'c' },
      { location_id: 3, sku: 'd' },
      { location_id: 1, sku: 'e' },
    ];
    expect(groupByLocation(items).map((i) => i.sku)).toEqual(['a', 'c', 'b', 'e', 'd']);
  });
});

describe('createSerialLane', () => {
  it('runs one task at a time in queue order, and a failure does not block the next', async () => {
    const lane = createSerialLane();
    let running = 0;
    let maxRunning = 0;
    const order: string[] = [];
    const task = (name: string, fail = false) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 5));
      order.push(name);
      running--;
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([lane.run(task('a')), lane.run(task('b', true)), lane.run(task('c'))]);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(maxRunning).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('iteratePages', () => {
  it('follows meta.pagination to the last page', async () => {
    const asked: number[] = [];
    const all = await collectPages(
      iteratePages(async (page) => {
        asked.push(page);
        return { data: [page * 10, page * 10 + 1], pagination: { total: 6, count: 2, per_page: 2, current_page: page, total_pages: 3 } };
      }, 2),
    );
    expect(asked).toEqual([1, 2, 3]);
    expect(all).toEqual([10, 11, 20, 21, 30, 31]);
  });

  it('without pagination (V2) stops at the first short or empty page', async () => {
    const asked: number[] = [];
    const pages = [[1, 2], [3, 4], [5]];
    const all = await collectPages(
      iteratePages(async (page) => {
        asked.push(page);
        return { data: pages[page - 1] ?? [] };
      }, 2),
    );
    expect(asked).toEqual([1, 2, 3]);
    expect(all).toEqual([1, 2, 3, 4, 5]);
  });

  it('stops on an empty page even if the totals promise more', async () => {
    let calls = 0;
    const all = await collectPages(
      iteratePages(async (page) => {
        calls++;
        return { data: [] as number[], pagination: { total: 100, count: 0, per_page: 50, current_page: page, total_pages: 2 } };
      }, 50),
    );
    expect(all).toEqual([]);
    expect(calls).toBe(1);
  });
});
