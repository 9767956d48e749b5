/**
 * The BigCommerce client against the sandbox's quota and fault switches over real HTTP: a burst
 * of 500 calls under a 150-per-2 s quota with zero 429s (and proof the sandbox does refuse a
 * client that ignores the quota), 429s answered by waiting the reset / X-Retry-After, 5xx
 * retried with backoff and given up on with a typed error, timeouts retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigCommerceApiError, BigCommerceNetworkError, BigCommerceStaleRequestError } from '@/integrations/bigcommerce/errors';
import type { RateLimiter } from '@/integrations/bigcommerce/rate-limit';
import { startSandboxEnv, type SandboxEnv } from './bigcommerce-client-sandbox-support';

let env: SandboxEnv;
/** Set, the sandbox's clock stands at it (its timers still run in real time). */
let stoppedAt: number | null = null;
beforeAll(async () => {
  env = await startSandboxEnv({ now: () => stoppedAt ?? Date.now() });
});
afterAll(() => env.close());

const QUOTA = { requests: 150, windowMs: 2_000 };
const FAST_BACKOFF = { baseDelayMs: 40, maxDelayMs: 400 };

/** A limiter that lets everything through: what a client that ignores the quota does. */
const noLimiter: RateLimiter = {
  acquire: () => Promise.resolve({ release: () => undefined }),
  pause: () => undefined,
  state: () => ({ mode: 'unlimited', quota: undefined, available: Number.POSITIVE_INFINITY, inFlight: 0, queued: 0, windowEndsAt: undefined }),
};

describe('BigCommerce client × sandbox: quota, 429, 5xx, timeouts', () => {
  it('the sandbox enforces 150 requests per 2 s window: 200 unlimited calls at once get exactly 50 refusals', async () => {
    // "At once" on a sandbox clock that stands still: on a busy machine 200 real requests can take
    // longer than one window to arrive, and the second window's would be served.
    stoppedAt = Date.now();
    try {
      const store = env.store({ quota: QUOTA });
      const { client, calls } = env.connect(store, { limiter: noLimiter, maxRateLimitRetries: 0 });
      const outcomes = await Promise.allSettled(Array.from({ length: 200 }, () => client.channels.get(1)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(150);
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(refused).toHaveLength(50);
      expect(refused.every((e) => e instanceof BigCommerceApiError && e.status === 429)).toBe(true);
      expect(calls.filter((c) => c.status === 429)).toHaveLength(50);
    } finally {
      stoppedAt = null;
    }
  });

  it('a burst of 500 calls through the limiter stays under the quota: all succeed, zero 429s, at least 3 window resets', async () => {
    const store = env.store({ quota: QUOTA });
    const { client, calls, wire } = env.connect(store);
    const product = await client.catalog.products.create({ name: 'Burst', type: 'physical', weight: 1, price: 1 });
    const hook = await client.hooks.create({ scope: 'store/order/created', destination: 'https://app.example.com/webhooks' });
    calls.length = 0;
    wire.length = 0;

    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => {
        switch (i % 4) {
          case 0:
            return client.catalog.products.get(product.id).then((p) => p.id);
          case 1:
            return client.channels.get(1).then((c) => c.id);
          case 2:
            return client.hooks.get(hook.id).then((h) => h.id);
          default:
            return client.store.info().then((s) => s.id);
        }
      }),
    );
    const elapsed = performance.now() - started;

    expect(results.filter((r) => r === product.id)).toHaveLength(125);
    expect(results.filter((r) => r === store.hash)).toHaveLength(125);
    // Anything but a first-attempt 200 is shown with why (a 429: the limiter let too many through; 0: no answer in time).
    expect(calls.filter((c) => c.status !== 200 || c.attempt !== 1).map((c) => ({ status: c.status, attempt: c.attempt, path: c.path, durationMs: c.durationMs, error: c.error }))).toEqual([]);
    expect(calls).toHaveLength(500);
    expect(calls.filter((c) => c.status === 429)).toHaveLength(0);
    expect(calls.every((c) => c.status === 200 && c.attempt === 1)).toBe(true);
    expect(wire.every((r) => r.status === 200)).toBe(true);
    // The sandbox reported its quota on every answer, and counted the requests down.
    expect(wire.every((r) => r.headers?.get('x-rate-limit-requests-quota') === '150' && r.headers.get('x-rate-limit-time-window-ms') === '2000')).toBe(true);
    const left = wire.map((r) => Number(r.headers?.get('x-rate-limit-requests-left')));
    expect(Math.min(...left)).toBeGreaterThanOrEqual(0);
    // 2 setup calls + 500 at ≤ 150 a window need 4 windows: the burst waited out at least 3 resets.
    const resets = left.filter((l, i) => i > 0 && l > left[i - 1]!).length;
    expect(resets).toBeGreaterThanOrEqual(3);
    expect(elapsed).toBeGreaterThanOrEqual(3 * QUOTA.windowMs - 250);
  }, 30_000);

  it('on 429s (with rate-limit headers) waits at least the reset and X-Retry-After, then succeeds', async () => {
    const store = env.store({ quota: { requests: 1_000, windowMs: 1_000 } });
    const { client, calls, wire } = env.connect(store);
    await client.channels.get(1); // the limiter learns the quota: plenty left
    env.sandbox.control.setFaults(store.hash, { api: [{ kind: 'status', status: 429, count: 2 }] });

    const channel = await client.channels.get(1);
    expect(channel.id).toBe(1);
    const [first, second, success] = wire.slice(1);
    expect([first?.status, second?.status, success?.status]).toEqual([429, 429, 200]);
    for (const refused of [first!, second!]) {
      const resetMs = Number(refused.headers!.get('x-rate-limit-time-reset-ms'));
      const retryAfterMs = Number(refused.headers!.get('x-retry-after')) * 1000;
      expect(retryAfterMs).toBeGreaterThanOrEqual(1000);
      const next = wire[wire.indexOf(refused) + 1]!;
      expect(next.start - refused.end).toBeGreaterThanOrEqual(Math.max(resetMs, retryAfterMs) - 5);
    }
    expect(calls.slice(1).map((c) => [c.status, c.attempt, c.error])).toEqual([
      [429, 1, 'HTTP 429'],
      [429, 2, 'HTTP 429'],
      [200, 3, undefined],
    ]);
    expect(calls[1]!.retriedAfter).toBeGreaterThanOrEqual(1000);
  }, 20_000);

  it('a stock write refused with a 429 is not sent again (its levels would be stale after the wait): the 429 reaches the caller and the other callers of the store still wait the reset', async () => {
    const store = env.store({ quota: { requests: 1_000, windowMs: 1_000 } });
    const { client, calls, wire } = env.connect(store);
    await client.channels.get(1); // the limiter learns the quota: plenty left
    env.sandbox.control.setFaults(store.hash, { api: [{ kind: 'status', status: 429, count: 1, route: 'POST /v3/inventory/adjustments/relative' }] });

    const refused = await client.inventory.adjustRelative([{ location_id: 1, variant_id: 1, quantity: 1 }], 'test').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BigCommerceApiError);
    expect((refused as BigCommerceApiError).status).toBe(429);
    expect(calls.slice(1).map((c) => [c.path, c.status, c.attempt, c.retriedAfter])).toEqual([['/v3/inventory/adjustments/relative', 429, 1, undefined]]);
    // Sent once, and the next request of the store waited for the reset the 429 named.
    const answer = wire[1]!;
    const waitMs = Math.max(Number(answer.headers!.get('x-rate-limit-time-reset-ms')), Number(answer.headers!.get('x-retry-after') ?? 0) * 1000);
    await client.channels.get(1);
    expect(wire).toHaveLength(3);
    expect(wire[2]!.start - answer.end).toBeGreaterThanOrEqual(waitMs - 5);
  }, 20_000);

  it('a stock write held by the quota past the moment its levels were fresh is not sent: a typed error, nothing reaches the store', async () => {
    const store = env.store({ quota: { requests: 1_000, windowMs: 1_000 } });
    const { client, calls, wire } = env.connect(store);
    await client.channels.get(1);
    env.sandbox.control.setFaults(store.hash, { api: [{ kind: 'status', status: 429, count: 1, route: 'GET /v3/channels/:channel_id' }] });
    await expect(client.channels.get(1)).resolves.toBeTruthy(); // the 429 holds the store's callers until its reset, then succeeds
    // A write asked for during a hold that outlasts its freshness: refused before sending.
    env.sandbox.control.setFaults(store.hash, { api: [{ kind: 'status', status: 429, count: 1, route: 'GET /v3/channels/:channel_id' }] });
    const held = client.channels.get(1);
    await new Promise((r) => setTimeout(r, 50)); // the 429 has paused the store
    const sentBefore = wire.length;
    const stale = await client.inventory.adjustRelative([{ location_id: 1, variant_id: 1, quantity: 1 }], 'test', { freshUntil: Date.now() + 20 }).catch((e: unknown) => e);
    await held;
    expect(stale).toBeInstanceOf(BigCommerceStaleRequestError);
    expect(wire.slice(sentBefore).filter((w) => w.path.includes('/v3/inventory/adjustments/relative'))).toEqual([]);
    expect(calls.some((c) => c.path === '/v3/inventory/adjustments/relative' && c.status === 0 && /not sent/.test(c.error ?? ''))).toBe(true);
    // Fresh long enough, the same write is sent (and answered: this store has no variant 1).
    await client.inventory.adjustRelative([{ location_id: 1, variant_id: 1, quantity: 1 }], 'test', { freshUntil: Date.now() + 5_000 }).catch((e: unknown) => e);
    expect(wire.slice(sentBefore).filter((w) => w.path.includes('/v3/inventory/adjustments/relative'))).toHaveLength(1);
  }, 20_000);

  it('a 429 without rate-limit headers (platform load) backs off exponentially, then succeeds', async () => {
    const store = env.store();
    const { client, calls } = env.connect(store, { backoff: FAST_BACKOFF });
    env.sandbox.control.setFaults(store.hash, { api: [{ kind: 'status', status: 429, count: 2, rateLimitHeaders: false }] });
    await expect(client.store.info()).resolves.toMatchObject({ id: store.hash });
    expect(calls.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(calls[0]!.retriedAfter).toBeLessThanOrEqual(FAST_BACKOFF.baseDelayMs);
    expect(calls[1]!.retriedAfter).toBeLessThanOrEqual(2 * FAST_BACKOFF.baseDelayMs);
  });

  it('retries 503s and 500s with backoff and succeeds; gives up after maxRetries with a typed error', async () => {
    const store = env.store();
    const { client, calls, wire } = env.connect(store, { maxRetries: 3, backoff: FAST_BACKOFF });
    const product = await client.catalog.products.create({ name: 'Retry', type: 'physical', weight: 1, price: 3 });
    calls.length = 0;
    wire.length = 0;

    env.sandbox.control.setFaults(store.hash, { api: [{ kind: 'status', status: 503, count: 2 }] });
    await expect(client.catalog.products.update(product.id, { price: 4 })).resolves.toMatchObject({ id: product.id, price: 4 });
    expect(calls.map((c) => [c.method, c.status, c.attempt])).toEqual([
      ['PUT', 503, 1],
      ['PUT', 503, 2],
      ['PUT', 200, 3],
    ]);
    expect(calls[0]!.retriedAfter).toBeLessThanOrEqual(FAST_BACKOFF.baseDelayMs);
    expect(calls[1]!.retriedAfter).toBeLessThanOrEqual(2 * FAST_BACKOFF.baseDelayMs);
    for (let i = 1; i < 3; i++) expect(wire[i]!.start - wire[i - 1]!.end).toBeGreaterThanOrEqual(calls[i - 1]!.retriedAfter! - 2);

    calls.length = 0;
    env.sandbox.control.setFaults(store.hash, { api: [{ kind: 'status', status: 500, count: 10 }] });
    const error = await client.orders.statuses().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigCommerceApiError);
    expect(error).toMatchObject({ status: 500, attempts: 4, method: 'GET', path: '/v2/order_statuses' });
    expect(calls.map((c) => c.status)).toEqual([500, 500, 500, 500]);
    expect(calls.at(-1)!.retriedAfter).toBeUndefined();

    // A POST that is not safe to repeat (a shipment) is not retried on a 5xx.
    env.sandbox.control.clearFaults(store.hash);
    const placed = env.sandbox.control.placeOrder(store.hash, { products: [{ name: 'Custom', quantity: 1, price_inc_tax: 5, price_ex_tax: 5 }] });
    const [line] = await client.orders.products(placed.id);
    calls.length = 0;
    env.sandbox.control.setFaults(store.hash, { api: [{ kind: 'status', status: 502, count: 1 }] });
    const refused = await client.orders.shipments.create(placed.id, { order_address_id: line!.order_address_id, items: [{ order_product_id: line!.id, quantity: 1 }] }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 502, attempts: 1 });
    expect(await client.orders.shipments.list(placed.id)).toEqual([]);
  });

  it('retries a timed-out request and succeeds; gives up with BigCommerceNetworkError after maxRetries', async () => {
    const store = env.store();
    const { client, calls } = env.connect(store, { timeoutMs: 200, maxRetries: 2, backoff: FAST_BACKOFF });
    env.sandbox.control.setFaults(store.hash, { api: [{ kind: 'timeout', count: 1, holdMs: 1_000 }] });
    await expect(client.channels.get(1)).resolves.toMatchObject({ id: 1 });
    expect(calls.map((c) => [c.status, c.attempt, c.error])).toEqual([
      [0, 1, 'timeout after 200 ms'],
      [200, 2, undefined],
    ]);
    expect(calls[0]!.durationMs).toBeGreaterThanOrEqual(190);

    calls.length = 0;
    env.sandbox.control.setFaults(store.hash, { api: [{ kind: 'timeout', count: 3, holdMs: 1_000 }] });
    const error = await client.hooks.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigCommerceNetworkError);
    expect(error).toMatchObject({ timedOut: true, attempts: 3, path: '/v3/hooks' });
    expect(calls.map((c) => c.status)).toEqual([0, 0, 0]);
  });
});
