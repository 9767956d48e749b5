import { describe, expect, it } from 'vitest';
import { createRateLimiter, limiterFor, parseRateLimitHeaders, rateLimitWaitMs, type RateLimitPermit } from './rate-limit';

/** A clock the test moves by hand, and a sleep that resolves when the clock passes its deadline. */
function virtualTime() {
  let now = 0;
  const timers: Array<{ at: number; resolve: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
    pendingSleeps: () => timers.length,
    async advance(ms: number) {
      now += ms;
      for (const t of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.resolve();
      }
      await flush();
    },
  };
}

async function flush() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function quotaHeaders(report: { quota: number; left: number; windowMs: number; resetMs: number }) {
  return { status: 200, headers: quotaResponseHeaders(report) };
}

function quotaResponseHeaders(report: { quota: number; left: number; windowMs: number; resetMs: number }): Headers {
  return new Headers({
    'X-Rate-Limit-Requests-Quota': String(report.quota),
    'X-Rate-Limit-Requests-Left': String(report.left),
    'X-Rate-Limit-Time-Window-Ms': String(report.windowMs),
    'X-Rate-Limit-Time-Reset-Ms': String(report.resetMs),
  });
}

/** Starts `n` acquisitions and tracks which have been granted. */
function acquireMany(limiter: ReturnType<typeof createRateLimiter>, n: number) {
  const granted: RateLimitPermit[] = [];
  for (let i = 0; i < n; i++) void limiter.acquire().then((p) => granted.push(p));
  return granted;
}

describe('parseRateLimitHeaders', () => {
  it('reads the four quota headers whatever their case', () => {
    const headers = new Headers({
      'x-rate-limit-requests-quota': '150',
      'X-RATE-LIMIT-REQUESTS-LEFT': '35',
      'X-Rate-Limit-Time-Window-Ms': '30000',
      'x-rate-limit-time-reset-ms': '15000',
    });
    expect(parseRateLimitHeaders(headers)).toEqual({ quota: 150, left: 35, windowMs: 30000, resetMs: 15000 });
  });

  it('is undefined when a header is missing or not a non-negative number', () => {
    const full = { quota: 150, left: 35, windowMs: 30000, resetMs: 15000 };
    const missing = quotaResponseHeaders(full);
    missing.delete('X-Rate-Limit-Time-Reset-Ms');
    expect(parseRateLimitHeaders(missing)).toBeUndefined();
    const garbage = quotaResponseHeaders(full);
    garbage.set('X-Rate-Limit-Requests-Left', 'lots');
    expect(parseRateLimitHeaders(garbage)).toBeUndefined();
    const negative = quotaResponseHeaders(full);
    negative.set('X-Rate-Limit-Requests-Left', '-1');
    expect(parseRateLimitHeaders(negative)).toBeUndefined();
    expect(parseRateLimitHeaders(new Headers())).toBeUndefined();
  });
});

describe('rateLimitWaitMs', () => {
  it('takes the reset in milliseconds and X-Retry-After in seconds, and waits the longer', () => {
    expect(rateLimitWaitMs(new Headers({ 'X-Rate-Limit-Time-Reset-Ms': '1500' }))).toBe(1500);
    expect(rateLimitWaitMs(new Headers({ 'X-Retry-After': '3' }))).toBe(3000);
    expect(rateLimitWaitMs(new Headers({ 'X-Rate-Limit-Time-Reset-Ms': '1500', 'X-Retry-After': '3' }))).toBe(3000);
    expect(rateLimitWaitMs(new Headers({ 'X-Rate-Limit-Time-Reset-Ms': '4500', 'X-Retry-After': '3' }))).toBe(4500);
  });

  it('is undefined for a 429 without either header (platform load, not quota)', () => {
    expect(rateLimitWaitMs(new Headers({ 'Content-Type': 'application/json' }))).toBeUndefined();
  });
});

describe('createRateLimiter', () => {
  it('probes with one request until the first response teaches it the quota', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ now: time.now, sleep: time.sleep });
    const granted = acquireMany(limiter, 3);
    await flush();
    expect(granted).toHaveLength(1);
    expect(limiter.state().mode).toBe('unknown');

    granted[0]!.release(quotaHeaders({ quota: 100, left: 99, windowMs: 1000, resetMs: 1000 }));
    await flush();
    expect(granted).toHaveLength(3);
    expect(limiter.state()).toMatchObject({ mode: 'limited', quota: 100, inFlight: 2 });
  });

  it('does not limit a store whose answers carry no quota headers', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ now: time.now, sleep: time.sleep });
    const first = acquireMany(limiter, 1);
    await flush();
    first[0]!.release({ status: 200, headers: new Headers({ 'Content-Type': 'application/json' }) });
    const many = acquireMany(limiter, 500);
    await flush();
    expect(many).toHaveLength(500);
    expect(limiter.state().mode).toBe('unlimited');
  });

  it('keeps probing after a failure that carries no quota headers (a 503 from a proxy, a dropped connection)', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ now: time.now, sleep: time.sleep });
    const granted = acquireMany(limiter, 3);
    await flush();
    granted[0]!.release({ status: 503, headers: new Headers() });
    await flush();
    expect(limiter.state().mode).toBe('unknown');
    expect(granted).toHaveLength(2);
    granted[1]!.release();
    await flush();
    expect(limiter.state().mode).toBe('unknown');
    expect(granted).toHaveLength(3);
  });

  it('grants what is left minus the reserve, counting requests in flight, then waits for the reset', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ now: time.now, sleep: time.sleep, reserve: 5 });
    const probe = acquireMany(limiter, 1);
    await flush();
    probe[0]!.release(quotaHeaders({ quota: 100, left: 20, windowMs: 1000, resetMs: 400 }));

    const granted = acquireMany(limiter, 30);
    await flush();
    // 20 left − 5 reserve = 15; none of them has answered, so all 15 count as spent.
    expect(granted).toHaveLength(15);
    expect(limiter.state()).toMatchObject({ available: 0, inFlight: 15, queued: 15 });

    // Answers that arrive before the reset do not give budget back.
    for (const p of granted.slice(0, 10)) p.release(quotaHeaders({ quota: 100, left: 10, windowMs: 1000, resetMs: 400 }));
    await flush();
    expect(granted).toHaveLength(15);

    await time.advance(399);
    expect(granted).toHaveLength(15);
    await time.advance(1);
    // A fresh window of 100: 95 after the reserve, minus the 5 still in flight = 90 ≥ the 15 queued.
    expect(granted).toHaveLength(30);
  });

  it('does not trust a report to count requests sent before it: they may reach the server after it and still answer first', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ now: time.now, sleep: time.sleep, reserve: 0 });
    const probe = acquireMany(limiter, 1);
    await flush();
    probe[0]!.release(quotaHeaders({ quota: 10, left: 10, windowMs: 1000, resetMs: 900 }));
    const granted = acquireMany(limiter, 10);
    await flush();
    expect(granted).toHaveLength(10);
    // The server saw the last request sent (#10) first: 9 left when it counted it. The other nine
    // arrived after it (10 counted in all) and answered before it, each with a report older than
    // #10's by the order of sending.
    for (const p of granted.slice(0, 9)) p.release(quotaHeaders({ quota: 10, left: 0, windowMs: 1000, resetMs: 850 }));
    granted[9]!.release(quotaHeaders({ quota: 10, left: 9, windowMs: 1000, resetMs: 850 }));
    // #10's report may not count the nine sent before it: nothing is granted until the reset.
    const more = acquireMany(limiter, 5);
    await flush();
    expect(more).toHaveLength(0);
    await time.advance(850);
    expect(more).toHaveLength(5);
  });

  it('uses the newest report and ignores an older one that arrives late', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ now: time.now, sleep: time.sleep, reserve: 0 });
    const probe = acquireMany(limiter, 1);
    await flush();
    probe[0]!.release(quotaHeaders({ quota: 10, left: 4, windowMs: 1000, resetMs: 800 }));
    const granted = acquireMany(limiter, 4);
    await flush();
    expect(granted).toHaveLength(4);

    // The last-sent request answers first: 0 left.
    granted[3]!.release(quotaHeaders({ quota: 10, left: 0, windowMs: 1000, resetMs: 700 }));
    // The first-sent answers later with an older, more generous count: ignored.
    granted[0]!.release(quotaHeaders({ quota: 10, left: 3, windowMs: 1000, resetMs: 700 }));
    const more = acquireMany(limiter, 1);
    await flush();
    expect(more).toHaveLength(0);
    expect(limiter.state().available).toBe(0);
  });

  it('holds every caller for the length of a 429 pause, then assumes a fresh window', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ now: time.now, sleep: time.sleep, reserve: 0 });
    const probe = acquireMany(limiter, 1);
    await flush();
    probe[0]!.release(quotaHeaders({ quota: 10, left: 9, windowMs: 1000, resetMs: 100 }));

    limiter.pause(2500);
    const granted = acquireMany(limiter, 3);
    await flush();
    expect(granted).toHaveLength(0);
    await time.advance(2499);
    expect(granted).toHaveLength(0);
    await time.advance(1);
    expect(granted).toHaveLength(3);
  });

  it('a pause before anything is known still ends', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ now: time.now, sleep: time.sleep });
    limiter.pause(1000);
    const granted = acquireMany(limiter, 1);
    await flush();
    expect(granted).toHaveLength(0);
    await time.advance(1000);
    expect(granted).toHaveLength(1);
  });

  it('never lets the reserve swallow a tiny quota', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ now: time.now, sleep: time.sleep, reserve: 5 });
    const probe = acquireMany(limiter, 1);
    await flush();
    probe[0]!.release(quotaHeaders({ quota: 3, left: 3, windowMs: 1000, resetMs: 1000 }));
    const granted = acquireMany(limiter, 5);
    await flush();
    expect(granted).toHaveLength(3);
  });

  it('grants in the order callers asked', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ now: time.now, sleep: time.sleep, reserve: 0 });
    const order: number[] = [];
    const permits: RateLimitPermit[] = [];
    for (let i = 0; i < 4; i++) {
      void limiter.acquire().then((p) => {
        order.push(i);
        permits.push(p);
      });
    }
    await flush();
    permits[0]!.release(quotaHeaders({ quota: 10, left: 1, windowMs: 1000, resetMs: 500 }));
    await flush();
    expect(order).toEqual([0, 1]);
    await time.advance(500);
    expect(order).toEqual([0, 1, 2, 3]);
  });
});

describe('limiterFor', () => {
  it('hands every client of a store the same limiter, and each store its own', () => {
    expect(limiterFor('abc123')).toBe(limiterFor('abc123'));
    expect(limiterFor('abc123')).not.toBe(limiterFor('def456'));
  });
});
