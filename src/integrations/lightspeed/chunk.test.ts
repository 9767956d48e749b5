import { describe, expect, it } from 'vitest';
import { chunk } from './chunk';

describe('chunk', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('uses the fewest requests the limit allows, in order', () => {
    expect(chunk([], 1000)).toEqual([]);
    expect(chunk(items(1000), 1000).map((c) => c.length)).toEqual([1000]);
    expect(chunk(items(1001), 1000).map((c) => c.length)).toEqual([501, 500]);
    expect(chunk(items(2500), 1000).map((c) => c.length)).toEqual([834, 833, 833]);
    expect(chunk(items(2500), 1000).flat()).toEqual(items(2500));
  });

  it('never exceeds the limit', () => {
    for (const n of [1, 7, 999, 1000, 1001, 3999, 4000, 4001]) {
      const chunks = chunk(items(n), 1000);
      expect(chunks.length).toBe(Math.ceil(n / 1000));
      expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(1000);
    }
  });

  it('refuses a nonsensical limit', () => {
    expect(() => chunk(items(3), 0)).toThrow();
  });
});
