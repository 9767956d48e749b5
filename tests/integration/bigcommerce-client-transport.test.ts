/**
 * The BigCommerce transport against a real HTTP server that keeps a store's quota the way
 * BigCommerce documents it (research §7; guides/api-docs_getting-started_api-rate-limits.mdx):
 * a fixed window per store, every answer carrying X-Rate-Limit-Requests-Quota / -Requests-Left /
 * -Time-Window-Ms / -Time-Reset-Ms, and a 429 with the same headers once the quota is spent.
 * Windows are short (1 s) so the test is quick; the client does not know the numbers in advance.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { serve, type RunningServer } from '@/sandbox/http';
import { createBigCommerceClient, type ApiCall } from '@/integrations/bigcommerce/client';
import { BigCommerceApiError, BigCommerceNetworkError } from '@/integrations/bigcommerce/errors';
import { createRateLimiter, limiterFor } from '@/integrations/bigcommerce/rate-limit';

interface Arrival {
  at: number;
  method: string;
  path: string;
  status: number;
}

interface FakeStoreOptions {
  quota: number;
  windowMs: number;
}

/** A BigCommerce-shaped server: quota per store, plus switches to force 429s, 5xx and hangs. */
async function startFakeBigCommerce({ quota, windowMs }: FakeStoreOptions) {
  const windows = new Map<string, { start: number; used: number }>();
  const arrivals: Arrival[] = [];
  const windowPeaks: number[] = [];
  let failNext: { count: number; status: number } = { count: 0, status: 500 };
  let hangNext: { count: number; ms: number } = { count: 0, ms: 0 };
  let retryAfterSeconds: number | undefined;

  function windowOf(store: string, now: number) {
    let w = windows.get(store);
    if (!w || now >= w.start + windowMs) {
      if (w) windowPeaks.push(w.used);
      w = { start: now, used: 0 };
      windows.set(store, w);
    }
    return w;
  }

  const handler = async (request: Request): Promise<Response> => {
    const now = performance.now();
    const url = new URL(request.url);
    const match = /^\/stores\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (!match) return new Response('not found', { status: 404 });
    const [, store, path] = match as unknown as [string, string, string];
    const w = windowOf(store, now);
    const resetMs = Math.max(0, Math.ceil(w.start + windowMs - now));
    const record = (status: number) => arrivals.push({ at: now, method: request.method, path, status });

    if (w.used >= quota) {
      record(429);
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'X-Rate-Limit-Time-Window-Ms': String(windowMs),
        'X-Rate-Limit-Time-Reset-Ms': String(resetMs),
        'X-Rate-Limit-Requests-Quota': String(quota),
        'X-Rate-Limit-Requests-Left': '0',
      };
      if (retryAfterSeconds !== undefined) headers['X-Retry-After'] = String(retryAfterSeconds);
      return new Response(JSON.stringify({ status: 429, title: 'Too many requests' }), { status: 429, headers });
    }
    w.used++;
    const quotaHeaders = {
      'Content-Type': 'application/json',
      'X-Rate-Limit-Time-Window-Ms': String(windowMs),
      'X-Rate-Limit-Time-Reset-Ms': String(resetMs),
      'X-Rate-Limit-Requests-Quota': String(quota),
      'X-Rate-Limit-Requests-Left': String(quota - w.used),
    };

    if (hangNext.count > 0) {
      hangNext.count--;
      record(0);
      await new Promise((r) => setTimeout(r, hangNext.ms));
      return new Response(JSON.stringify({ late: true }), { status: 200, headers: quotaHeaders });
    }
    if (failNext.count > 0) {
      failNext.count--;
      record(failNext.status);
      return new Response(JSON.stringify({ status: failNext.status, title: 'Service unavailable' }), { status: failNext.status, headers: quotaHeaders });
    }
    // A little latency, so many requests are in flight at once.
    await new Promise((r) => setTimeout(r, 2 + Math.random() * 6));

    const route = `${request.method} ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
    const id = Number(/\/(\d+)(?:\/|$)/.exec(path)?.[1] ?? 0);
    const respond = (status: number, body: unknown) => {
      record(status);
      return new Response(JSON.stringify(body), { status, headers: quotaHeaders });
    };
    switch (route) {
      case 'GET /v3/catalog/products/{id}':
        return respond(200, { data: { id, name: `P${id}`, type: 'physical', sku: `SKU-${id}`, price: 1, categories: [], inventory_tracking: 'none', is_visible: true }, meta: {} });
      case 'POST /v3/catalog/products':
        return respond(422, { status: 422, title: 'JSON data is missing or invalid', type: 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes', errors: { name: 'name must be unique' } });
      case 'GET /v2/orders/{id}':
        return respond(200, { id, status_id: 11, status: 'Awaiting Fulfillment', channel_id: 1, customer_id: 0, date_created: 'Mon, 23 Nov 2026 10:00:00 +0000', date_modified: 'Mon, 23 Nov 2026 10:00:00 +0000', total_inc_tax: '10.0000', total_ex_tax: '10.0000', items_total: 1, items_shipped: 0 });
      case 'GET /v3/hooks/{id}':
        return respond(200, { data: { id, client_id: 'c', store_hash: store, scope: 'store/order/created', destination: 'https://app.example/webhooks', is_active: true, headers: null, created_at: 1, updated_at: 1 }, meta: {} });
      case 'PUT /v3/inventory/adjustments/absolute':
        return respond(200, { transaction_id: `tx-${arrivals.length}` });
      default:
        return respond(404, { status: 404, title: `no route ${route}` });
    }
  };

  const server = await serve(handler);
  return {
    server,
    arrivals,
    /** Requests the server accepted in each finished window, plus the current ones. */
    peaks: () => [...windowPeaks, ...[...windows.values()].map((w) => w.used)],
    count429: () => arrivals.filter((a) => a.status === 429).length,
    /** Spend the rest of the store's window, as another app on the store would. */
    exhaust(store: string) {
      windowOf(store, performance.now()).used = quota;
    },
    failNext(count: number, status: number) {
      failNext = { count, status };
    },
    hangNext(count: number, ms: number) {
      hangNext = { count, ms };
    },
    sendRetryAfter(seconds: number | undefined) {
      retryAfterSeconds = seconds;
    },
  };
}

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function setup(options: FakeStoreOptions & { store: string; maxRetries?: number; timeoutMs?: number; shared?: boolean }) {
  const fake = await startFakeBigCommerce(options);
  running = fake.server;
  const calls: ApiCall[] = [];
  const limiter = options.shared ? limiterFor(options.store) : createRateLimiter();
  const makeClient = () =>
    createBigCommerceClient({
      apiUrl: fake.server.url,
      storeHash: options.store,
      accessToken: 'token',
      recorder: (c) => calls.push(c),
      limiter,
      maxRetries: options.maxRetries ?? 3,
      timeoutMs: options.timeoutMs ?? 5_000,
      backoff: { baseDelayMs: 20, maxDelayMs: 200 },
    });
  return { fake, calls, makeClient };
}

describe('BigCommerce transport over HTTP', () => {
  it('a burst of 500 calls from two clients of one store stays under a 150-per-window quota with zero 429s', async () => {
    // 2 s windows: long enough that a starved event loop (a loaded CI machine) does not blur them.
    const { fake, calls, makeClient } = await setup({ store: 'burst', quota: 150, windowMs: 2_000, shared: true });
    const [a, b] = [makeClient(), makeClient()];
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? a : b).catalog.products.get(i + 1)));
    const elapsed = performance.now() - started;

    expect(results.map((p) => p.id)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    // On a starved machine an attempt can time out (5 s) and still reach the server later, in a
    // window the limiter already planned without it: that applied-but-lost request is the one
    // thing the limiter cannot know. Without such an attempt there is no 429 at all; with one, any
    // 429 is waited out and retried, and every repeat follows a failed attempt.
    const timedOut = calls.filter((c) => c.status === 0);
    const refused = calls.filter((c) => c.status === 429);
    // (A timed-out attempt may have been refused too, with nobody reading the 429.)
    expect(fake.count429()).toBeGreaterThanOrEqual(refused.length);
    expect(fake.count429()).toBeLessThanOrEqual(refused.length + timedOut.length);
    if (timedOut.length === 0) expect(fake.count429()).toBe(0);
    expect(refused.every((c) => c.retriedAfter !== undefined && c.retriedAfter > 0)).toBe(true);
    expect(calls.filter((c) => c.status === 200)).toHaveLength(500);
    expect(calls.filter((c) => c.status !== 200 && c.status !== 0 && c.status !== 429)).toEqual([]);
    // A timed-out attempt the server answered after all is a 200 nobody read.
    expect(fake.arrivals.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(500);
    expect(fake.arrivals.length).toBeLessThanOrEqual(500 + timedOut.length + refused.length);
    const peaks = fake.peaks();
    expect(Math.max(...peaks)).toBeLessThanOrEqual(150);
    // 500 requests at under 150 a window need at least ⌈500/150⌉ = 4 windows: the limiter waited.
    expect(peaks.length).toBeGreaterThanOrEqual(4);
    expect(elapsed).toBeGreaterThanOrEqual(3 * 2_000 - 50);
    expect(calls.every((c) => c.path === '/v3/catalog/products/{product_id}')).toBe(true);
    // A first attempt succeeds unless an attempt of the same call failed before it.
    expect(calls.filter((c) => c.status === 200 && c.attempt > 1).length).toBeLessThanOrEqual(timedOut.length + refused.length);
  });

  it('on a 429 every caller waits for the reset, then succeeds', async () => {
    const { fake, calls, makeClient } = await setup({ store: 'exhausted', quota: 150, windowMs: 1_000 });
    const client = makeClient();
    await client.catalog.products.get(1); // learns the quota: plenty left
    fake.exhaust('exhausted'); // another app spends the rest of the window

    const results = await Promise.all([1, 2, 3, 4, 5].map((id) => client.catalog.products.get(id)));
    expect(results.map((p) => p.id)).toEqual([1, 2, 3, 4, 5]);

    const first429 = fake.arrivals.find((a) => a.status === 429)!;
    const lastRefused = fake.arrivals.filter((a) => a.status === 429).at(-1)!;
    const successesAfter = fake.arrivals.filter((a) => a.status === 200 && a.at > first429.at);
    expect(fake.count429()).toBeGreaterThanOrEqual(1);
    expect(successesAfter).toHaveLength(5);
    // The window began at the first request; nothing succeeded before it reset.
    const windowStart = fake.arrivals[0]!.at;
    expect(Math.min(...successesAfter.map((s) => s.at))).toBeGreaterThanOrEqual(windowStart + 1_000);
    // Refusals happen only while the 429 is news: no caller kept knocking during the wait (each
    // was refused at most once, on its first attempt, and its retry came after the reset).
    const refused = calls.filter((c) => c.status === 429);
    expect(refused.every((c) => c.attempt === 1)).toBe(true);
    expect(lastRefused.at).toBeLessThan(windowStart + 1_000);
    expect(refused.every((c) => c.retriedAfter !== undefined && c.retriedAfter > 0 && c.error === 'HTTP 429')).toBe(true);
  });

  it('on a 429 with X-Retry-After longer than the reset, waits the X-Retry-After seconds', async () => {
    const { fake, calls, makeClient } = await setup({ store: 'retry-after', quota: 150, windowMs: 300 });
    fake.sendRetryAfter(1);
    const client = makeClient();
    await client.catalog.products.get(1);
    fake.exhaust('retry-after');
    await client.catalog.products.get(2);

    const refused = fake.arrivals.find((a) => a.status === 429)!;
    const retried = fake.arrivals.find((a) => a.status === 200 && a.at > refused.at)!;
    expect(retried.at - refused.at).toBeGreaterThanOrEqual(1_000 - 5);
    expect(calls.find((c) => c.status === 429)).toMatchObject({ retriedAfter: 1_000, attempt: 1 });
    expect(calls.at(-1)).toMatchObject({ status: 200, attempt: 2 });
  });

  it('retries 5xx with backoff and succeeds; gives up with a typed error after maxRetries', async () => {
    const { fake, calls, makeClient } = await setup({ store: 'flaky', quota: 150, windowMs: 1_000, maxRetries: 2 });
    const client = makeClient();
    fake.failNext(2, 503);
    await expect(client.orders.get(42)).resolves.toMatchObject({ id: 42, status_id: 11 });
    expect(calls.map((c) => [c.path, c.status, c.attempt])).toEqual([
      ['/v2/orders/{order_id}', 503, 1],
      ['/v2/orders/{order_id}', 503, 2],
      ['/v2/orders/{order_id}', 200, 3],
    ]);
    expect(calls.slice(0, 2).every((c) => typeof c.retriedAfter === 'number' && c.retriedAfter >= 0 && c.retriedAfter < 200)).toBe(true);

    fake.failNext(10, 500);
    const error = await client.orders.get(43).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigCommerceApiError);
    expect(error).toMatchObject({ status: 500, attempts: 3, path: '/v2/orders/{order_id}', title: 'Service unavailable' });
    expect(fake.arrivals.filter((a) => a.path === '/v2/orders/43')).toHaveLength(3);
  });

  it('retries a timeout and succeeds; gives up with BigCommerceNetworkError after maxRetries', async () => {
    const { fake, calls, makeClient } = await setup({ store: 'slow', quota: 150, windowMs: 1_000, maxRetries: 2, timeoutMs: 150 });
    const client = makeClient();
    fake.hangNext(1, 600);
    await expect(client.hooks.get(7)).resolves.toMatchObject({ id: 7, scope: 'store/order/created' });
    expect(calls.map((c) => [c.path, c.status, c.error])).toEqual([
      ['/v3/hooks/{webhook_id}', 0, 'timeout after 150 ms'],
      ['/v3/hooks/{webhook_id}', 200, undefined],
    ]);
    expect(calls[0]!.durationMs).toBeGreaterThanOrEqual(140);

    fake.hangNext(3, 600);
    const error = await client.hooks.get(8).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigCommerceNetworkError);
    expect(error).toMatchObject({ timedOut: true, attempts: 3, path: '/v3/hooks/{webhook_id}' });
  });

  it('does not retry a 4xx and reports its title and errors', async () => {
    const { fake, calls, makeClient } = await setup({ store: 'invalid', quota: 150, windowMs: 1_000 });
    const client = makeClient();
    const error = await client.catalog.products.create({ name: 'Mug', type: 'physical', weight: 1, price: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigCommerceApiError);
    expect(error).toMatchObject({ status: 422, method: 'POST', path: '/v3/catalog/products', title: 'JSON data is missing or invalid', errors: { name: 'name must be unique' }, attempts: 1 });
    expect(fake.arrivals.filter((a) => a.path === '/v3/catalog/products')).toHaveLength(1);
    expect(calls).toEqual([expect.objectContaining({ method: 'POST', path: '/v3/catalog/products', status: 422, attempt: 1, error: 'HTTP 422' })]);
  });

  it('reports every call to the recorder with a templated path and no ids', async () => {
    const { calls, makeClient } = await setup({ store: 'recorded', quota: 150, windowMs: 1_000 });
    const client = makeClient();
    await client.catalog.products.get(123);
    await client.orders.get(456);
    await client.hooks.get(789);
    await client.inventory.setAbsolute([{ location_id: 3, variant_id: 77, quantity: 5 }]);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /v3/catalog/products/{product_id}',
      'GET /v2/orders/{order_id}',
      'GET /v3/hooks/{webhook_id}',
      'PUT /v3/inventory/adjustments/absolute',
    ]);
    expect(calls.some((c) => /\d{2,}/.test(c.path))).toBe(false);
    expect(calls.every((c) => c.status === 200 && c.durationMs >= 0)).toBe(true);
  });
});
