import { describe, expect, it } from 'vitest';
import { lightspeedRequestLimit, parseRetryAfter, RequestBudget } from './rate-limit';

const WINDOW = 5 * 60 * 1000;

/** A clock that only moves when someone sleeps, so waits are exact and instant. */
function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), advance: (ms: number) => void (t += ms) };
}

describe('lightspeedRequestLimit (300 × registers + 50 per 5 minutes)', () => {
  it('follows the documented formula', () => {
    expect(lightspeedRequestLimit(0)).toBe(50);
    expect(lightspeedRequestLimit(1)).toBe(350);
    expect(lightspeedRequestLimit(3)).toBe(950);
    expect(lightspeedRequestLimit(2.7)).toBe(650);
  });
});

describe('RequestBudget', () => {
  it('admits exactly the limit in a window, then waits for the oldest request to leave it', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ registers: 1, windowMs: WINDOW, guardMs: 0, ...clock });
    const start = clock.now();
    for (let i = 0; i < 350; i++) await budget.acquire();
    expect(clock.now()).toBe(start);
    expect(budget.delayUntilNextSlot()).toBe(WINDOW);
    await budget.acquire();
    expect(clock.now()).toBe(start + WINDOW);
  });

  it('never lets more than the limit into any sliding window, with ragged arrivals', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ registers: 0, windowMs: 10_000, guardMs: 0, ...clock });
    const sent: number[] = [];
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 600; i++) {
      clock.advance(Math.floor(rand() * 300));
      await budget.acquire();
      sent.push(clock.now());
    }
    for (let i = 0; i < sent.length; i++) {
      const inWindow = sent.filter((t) => t > sent[i]! - 10_000 && t <= sent[i]!).length;
      expect(inWindow).toBeLessThanOrEqual(50);
    }
    // And it does use the budget: 600 requests at the 50-per-10 s ceiling take about 110 s, not far more.
    expect(sent.at(-1)! - sent[0]!).toBeLessThan(130_000);
  });

  it('dates a request by its answer, so a slow request holds its slot until a window after it was answered', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ registers: 0, windowMs: WINDOW, guardMs: 0, ...clock });
    const slow = await budget.acquire();
    for (let i = 0; i < 49; i++) budget.observe(new Headers(), await budget.acquire());
    clock.advance(20_000);
    budget.observe(new Headers(), slow);
    // The 49 quick ones leave the window first; the slow one a full window after its answer.
    expect(budget.delayUntilNextSlot()).toBe(WINDOW - 20_000);
    clock.advance(WINDOW - 20_000);
    for (let i = 0; i < 49; i++) await budget.acquire();
    expect(budget.delayUntilNextSlot()).toBe(20_000);
  });

  it('adds the guard to the window to absorb latency between sending and being counted', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ registers: 0, windowMs: WINDOW, guardMs: 1000, ...clock });
    for (let i = 0; i < 50; i++) await budget.acquire();
    expect(budget.delayUntilNextSlot()).toBe(WINDOW + 1000);
  });

  it('grows when the register count is refreshed', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ registers: 0, windowMs: WINDOW, guardMs: 0, ...clock });
    for (let i = 0; i < 50; i++) await budget.acquire();
    expect(budget.delayUntilNextSlot()).toBeGreaterThan(0);
    budget.setRegisterCount(2);
    expect(budget.limit).toBe(650);
    expect(budget.delayUntilNextSlot()).toBe(0);
  });

  it('takes X-RateLimit-Limit as the authoritative limit', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ registers: 5, windowMs: WINDOW, guardMs: 0, ...clock });
    const ticket = await budget.acquire();
    budget.observe(new Headers({ 'x-ratelimit-limit': '2' }), ticket);
    expect(budget.limit).toBe(2);
    await budget.acquire();
    expect(budget.delayUntilNextSlot()).toBe(WINDOW);
  });

  it('stops when the server says nothing remains, even if its own count has room, and resumes as the window refills', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ registers: 0, windowMs: 50_000, guardMs: 0, ...clock });
    const start = clock.now();
    const ticket = await budget.acquire();
    // Another process used the rest of the bucket.
    budget.observe(new Headers({ 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '0' }), ticket);
    const wait = budget.delayUntilNextSlot();
    // Refill rate is 50 per 50 s: one slot per second.
    expect(wait).toBe(1000);
    await budget.acquire();
    expect(clock.now()).toBe(start + 1000);
  });

  it('counts requests sent after the one whose Remaining header it reads', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ registers: 0, windowMs: 50_000, guardMs: 0, ...clock });
    const first = await budget.acquire();
    await budget.acquire();
    await budget.acquire();
    // The answer to the first request says 2 remain; two more were already sent after it.
    budget.observe(new Headers({ 'x-ratelimit-remaining': '2' }), first);
    expect(budget.delayUntilNextSlot()).toBeGreaterThan(0);
    // Had it said 3, one more would fit.
    budget.observe(new Headers({ 'x-ratelimit-remaining': '3' }), first);
    expect(budget.delayUntilNextSlot()).toBe(0);
  });

  it('pauses every request of the retailer until a Retry-After instant, and honours X-RateLimit-Reset', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ registers: 1, windowMs: WINDOW, guardMs: 0, ...clock });
    budget.pauseUntil(clock.now() + 4000);
    const ticket = await budget.acquire();
    expect(clock.now()).toBe(1_700_000_000_000 + 4000);
    const resetAt = Math.floor(clock.now() / 1000) + 10;
    budget.observe(new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt) }), ticket);
    expect(budget.delayUntilNextSlot()).toBe(resetAt * 1000 - clock.now());
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2020-07-15T15:04:00Z');

  it('reads the RFC 1123 HTTP date Lightspeed sends', () => {
    expect(parseRetryAfter('Wed, 15 Jul 2020 15:04:05 GMT', now)).toBe(now + 5000);
  });

  it('also reads delta seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(now + 120_000);
    expect(parseRetryAfter('0.5', now)).toBe(now + 500);
  });

  it('returns undefined for absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
