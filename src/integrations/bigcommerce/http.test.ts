import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BigCommerceApiError, BigCommerceNetworkError, BigCommerceSchemaError } from './errors';
import { buildPath, buildQuery, createBigCommerceHttp, type ApiCall } from './http';
import { createRateLimiter } from './rate-limit';

type Scripted = Response | Error | ((url: string, init: RequestInit) => Response | Error);

/** A fetch that answers from a script, one entry per call, and remembers what it was asked. */
function scriptedFetch(script: Scripted[]) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    requests.push({ url, init: init ?? {} });
    const next = script.shift();
    if (next === undefined) throw new Error(`unexpected request ${url}`);
    const answer = typeof next === 'function' ? next(url, init ?? {}) : next;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function setup(script: Scripted[], overrides: { maxRetries?: number; random?: () => number } = {}) {
  const { fetch, requests } = scriptedFetch(script);
  const calls: ApiCall[] = [];
  const slept: number[] = [];
  // One virtual clock for the transport and its limiter: sleeping moves it, nothing waits for real.
  let clock = 0;
  const limiter = createRateLimiter({
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  });
  const http = createBigCommerceHttp({
    apiUrl: 'https://api.example.test/',
    storeHash: 'abc123',
    accessToken: 'token-1',
    fetch,
    recorder: (c) => calls.push(c),
    limiter,
    maxRetries: overrides.maxRetries ?? 3,
    backoff: { baseDelayMs: 100, maxDelayMs: 1000 },
    random: overrides.random ?? (() => 0.5),
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    now: () => (clock += 5),
  });
  return { http, requests, calls, slept };
}

const product = z.object({ data: z.object({ id: z.number(), name: z.string() }) });

describe('request shape', () => {
  it('sends to /stores/{hash} with the auth headers and a JSON body, and records the templated path', async () => {
    const { http, requests, calls } = setup([json(200, { data: { id: 7, name: 'Mug' } })]);
    const result = await http.request({
      method: 'PUT',
      path: '/v3/catalog/products/{product_id}',
      params: { product_id: 7 },
      body: { name: 'Mug' },
      schema: product,
    });
    expect(result).toEqual({ data: { id: 7, name: 'Mug' } });
    expect(requests[0]!.url).toBe('https://api.example.test/stores/abc123/v3/catalog/products/7');
    expect(requests[0]!.init.method).toBe('PUT');
    expect(requests[0]!.init.headers).toEqual({ 'X-Auth-Token': 'token-1', Accept: 'application/json', 'Content-Type': 'application/json' });
    expect(requests[0]!.init.body).toBe('{"name":"Mug"}');
    expect(requests[0]!.init.signal).toBeInstanceOf(AbortSignal);
    expect(calls).toEqual([{ method: 'PUT', path: '/v3/catalog/products/{product_id}', status: 200, durationMs: 5, attempt: 1 }]);
  });

  it('builds BigCommerce filter queries: `:` kept in keys, lists joined by commas, each element encoded', () => {
    expect(buildQuery({ 'id:in': [1, 2, 3], sku: 'A B', is_visible: false, page: 2, skip: undefined, empty: [] })).toBe(
      '?id:in=1,2,3&sku=A%20B&is_visible=false&page=2',
    );
    expect(buildQuery({ 'sku:in': ['A,1', 'B&2'] })).toBe('?sku:in=A%2C1,B%262');
    expect(buildQuery({})).toBe('');
  });

  it('fills path templates and refuses a missing parameter before sending', () => {
    expect(buildPath('/v2/orders/{order_id}/shipments', { order_id: 42 })).toBe('/v2/orders/42/shipments');
    expect(buildPath('/v3/hooks/{webhook_id}', { webhook_id: 'a/b' })).toBe('/v3/hooks/a%2Fb');
    expect(() => buildPath('/v2/orders/{order_id}', {})).toThrow(/order_id/);
  });
});

describe('error mapping', () => {
  it('a v3 422 becomes a BigCommerceApiError with title and errors, not retried', async () => {
    const { http, requests, calls } = setup([
      json(422, { status: 422, title: 'JSON data is missing or invalid', type: 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes', errors: { name: 'name is required' } }),
    ]);
    const error = await http.request({ method: 'POST', path: '/v3/catalog/products', body: {}, schema: product }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigCommerceApiError);
    expect(error).toMatchObject({ status: 422, method: 'POST', path: '/v3/catalog/products', title: 'JSON data is missing or invalid', errors: { name: 'name is required' }, attempts: 1 });
    expect(requests).toHaveLength(1);
    expect(calls).toEqual([expect.objectContaining({ status: 422, attempt: 1, error: 'HTTP 422' })]);
    expect(calls[0]!.retriedAfter).toBeUndefined();
  });

  it('reads V2 array errors and plain-text 401s', async () => {
    const v2 = setup([json(400, [{ status: 400, message: 'The field status_id is invalid.' }])]);
    await expect(v2.http.request({ method: 'PUT', path: '/v2/orders/{order_id}', params: { order_id: 1 }, schema: z.unknown() })).rejects.toMatchObject({
      status: 400,
      title: 'The field status_id is invalid.',
    });
    const text = setup([new Response('Unauthorized', { status: 401, headers: { 'Content-Type': 'text/plain' } })]);
    await expect(text.http.request({ method: 'GET', path: '/v2/store', schema: z.unknown() })).rejects.toMatchObject({ status: 401, title: 'Unauthorized', body: 'Unauthorized' });
  });

  it('marks 404 as not found', async () => {
    const { http } = setup([json(404, { status: 404, title: 'The requested resource was not found' })]);
    const error = await http.request({ method: 'GET', path: '/v3/channels/{channel_id}', params: { channel_id: 9 }, schema: z.unknown() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigCommerceApiError);
    expect((error as BigCommerceApiError).isNotFound).toBe(true);
  });

  it('a 2xx body that breaks its schema throws BigCommerceSchemaError, never garbage', async () => {
    const { http, calls } = setup([json(200, { data: { id: 'seven' } })]);
    const error = await http.request({ method: 'GET', path: '/v3/catalog/products/{product_id}', params: { product_id: 7 }, schema: product }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigCommerceSchemaError);
    expect(error).toMatchObject({ direction: 'response', status: 200, path: '/v3/catalog/products/{product_id}' });
    expect((error as BigCommerceSchemaError).issues.map((i) => i.path.join('.'))).toEqual(['data.id', 'data.name']);
    expect(calls).toEqual([expect.objectContaining({ status: 200, attempt: 1, error: expect.stringMatching(/response does not match its schema/) })]);
  });

  it('a 204 gives the declared empty value, and without one fails the schema', async () => {
    const empty = setup([new Response(null, { status: 204 })]);
    await expect(empty.http.request({ method: 'GET', path: '/v2/orders', schema: z.array(z.unknown()), whenEmpty: [] })).resolves.toEqual([]);
    const strict = setup([new Response(null, { status: 204 })]);
    await expect(strict.http.request({ method: 'GET', path: '/v2/orders', schema: z.array(z.unknown()) })).rejects.toBeInstanceOf(BigCommerceSchemaError);
  });
});

describe('retries', () => {
  it('retries 5xx with full-jitter backoff and reports every attempt', async () => {
    const { http, calls, slept } = setup([json(500, {}), json(503, {}), json(200, { data: { id: 1, name: 'x' } })]);
    await expect(http.request({ method: 'GET', path: '/v3/catalog/products/{product_id}', params: { product_id: 1 }, schema: product })).resolves.toBeDefined();
    // random 0.5 → half of 100 and half of 200.
    expect(slept).toEqual([50, 100]);
    expect(calls.map((c) => [c.status, c.attempt, c.retriedAfter])).toEqual([
      [500, 1, 50],
      [503, 2, 100],
      [200, 3, undefined],
    ]);
  });

  it('gives up after maxRetries with the last status', async () => {
    const { http, requests } = setup([json(502, {}), json(502, {}), json(502, { title: 'Bad Gateway' })], { maxRetries: 2 });
    await expect(http.request({ method: 'GET', path: '/v2/store', schema: z.unknown() })).rejects.toMatchObject({ status: 502, attempts: 3, title: 'Bad Gateway' });
    expect(requests).toHaveLength(3);
  });

  it('does not repeat a POST after a 5xx or a broken connection (it may have been applied)', async () => {
    const fiveHundred = setup([json(500, {})]);
    await expect(fiveHundred.http.request({ method: 'POST', path: '/v3/orders/{order_id}/payment_actions/refunds', params: { order_id: 1 }, schema: z.unknown() })).rejects.toMatchObject({
      status: 500,
      attempts: 1,
    });
    const reset = setup([new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) })]);
    await expect(reset.http.request({ method: 'POST', path: '/v2/orders/{order_id}/shipments', params: { order_id: 1 }, schema: z.unknown() })).rejects.toBeInstanceOf(
      BigCommerceNetworkError,
    );
    expect(reset.requests).toHaveLength(1);
  });

  it('repeats a POST whose connection never opened, and one marked idempotent after a 5xx', async () => {
    const refused = setup([new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }), json(200, { ok: true })]);
    await expect(refused.http.request({ method: 'POST', path: '/v3/hooks', schema: z.object({ ok: z.boolean() }) })).resolves.toEqual({ ok: true });
    const quote = setup([json(500, {}), json(201, { ok: true })]);
    await expect(quote.http.request({ method: 'POST', path: '/v3/orders/{order_id}/payment_actions/refund_quotes', params: { order_id: 1 }, idempotent: true, schema: z.object({ ok: z.boolean() }) })).resolves.toEqual({ ok: true });
  });

  it('a timeout is retried, and after the last attempt is a BigCommerceNetworkError with timedOut', async () => {
    const timeout = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const { http, calls } = setup([timeout(), timeout(), timeout()], { maxRetries: 2 });
    const error = await http.request({ method: 'GET', path: '/v3/inventory/items', schema: z.unknown() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigCommerceNetworkError);
    expect(error).toMatchObject({ timedOut: true, attempts: 3 });
    expect(calls.map((c) => [c.status, c.error])).toEqual([
      [0, 'timeout after 30000 ms'],
      [0, 'timeout after 30000 ms'],
      [0, 'timeout after 30000 ms'],
    ]);
  });

  it('a 429 waits the longer of X-Rate-Limit-Time-Reset-Ms and X-Retry-After (seconds), even for a POST', async () => {
    const { http, slept, calls } = setup([json(429, { title: 'Too many requests' }, { 'X-Rate-Limit-Time-Reset-Ms': '1200', 'X-Retry-After': '2' }), json(200, { ok: true })]);
    await expect(http.request({ method: 'POST', path: '/v3/inventory/adjustments/relative', schema: z.object({ ok: z.boolean() }) })).resolves.toEqual({ ok: true });
    expect(slept).toEqual([2000]);
    expect(calls[0]).toMatchObject({ status: 429, retriedAfter: 2000 });
  });

  it('a store that keeps answering 429 ends in a typed 429 after maxRateLimitRetries', async () => {
    const { fetch, requests } = scriptedFetch([json(429, {}, { 'X-Rate-Limit-Time-Reset-Ms': '10' }), json(429, {}, { 'X-Rate-Limit-Time-Reset-Ms': '10' }), json(429, { title: 'Too many requests' }, { 'X-Rate-Limit-Time-Reset-Ms': '10' })]);
    const http = createBigCommerceHttp({ apiUrl: 'https://api.example.test', storeHash: 's', accessToken: 't', fetch, limiter: createRateLimiter(), maxRateLimitRetries: 2, sleep: async () => {} });
    await expect(http.request({ method: 'GET', path: '/v2/store', schema: z.unknown() })).rejects.toMatchObject({ status: 429, attempts: 3, title: 'Too many requests' });
    expect(requests).toHaveLength(3);
  });

  it('a 429 without quota headers (platform load) backs off exponentially instead', async () => {
    const { http, slept } = setup([json(429, {}), json(429, {}), json(200, { ok: true })], { random: () => 0.999 });
    await http.request({ method: 'GET', path: '/v2/store', schema: z.unknown() });
    expect(slept).toEqual([99, 199]);
  });

  it('a recorder that throws does not break the call', async () => {
    const { fetch } = scriptedFetch([json(200, { ok: true })]);
    const http = createBigCommerceHttp({
      apiUrl: 'https://api.example.test',
      storeHash: 'abc123',
      accessToken: 't',
      fetch,
      limiter: createRateLimiter(),
      recorder: () => {
        throw new Error('log sink down');
      },
    });
    await expect(http.request({ method: 'GET', path: '/v2/store', schema: z.object({ ok: z.boolean() }) })).resolves.toEqual({ ok: true });
  });
});
