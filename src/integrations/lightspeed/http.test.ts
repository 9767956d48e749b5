import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LightspeedApiError, LightspeedNetworkError } from './errors';
import { LightspeedTransport, type TransportOptions } from './http';
import { RequestBudget } from './rate-limit';

function transport(responses: (() => Response | Promise<Response>)[], extra: Partial<TransportOptions> = {}) {
  let t = 1_700_000_000_000;
  const sleeps: number[] = [];
  const urls: string[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    t += ms;
  };
  const instance = new LightspeedTransport({
    apiUrlTemplate: 'https://{domain_prefix}.retail.example/',
    domainPrefix: 'shop',
    auth: { accessToken: async () => 'tok' },
    budget: new RequestBudget({ registers: 1, now: () => t, sleep }),
    now: () => t,
    sleep,
    random: () => 0.5,
    fetch: async (input) => {
      urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const next = responses.shift();
      if (!next) throw new Error('no more scripted responses');
      return next();
    },
    ...extra,
  });
  return { instance, sleeps, urls, clock: () => t };
}

const ok = () => Response.json({ ok: true });
const schema = z.object({ ok: z.boolean() });

describe('LightspeedTransport', () => {
  it('builds the dated base URL and encodes path parameters and repeated query values', async () => {
    const { instance, urls } = transport([ok]);
    await instance.request({ method: 'GET', path: '/products/{product_id}', params: { product_id: 'a/b c' }, query: { tag: ['x', 'y'], skip: undefined, n: 2 }, schema });
    expect(urls).toEqual(['https://shop.retail.example/api/2026-07/products/a%2Fb%20c?tag=x&tag=y&n=2']);
  });

  it('waits until the Retry-After date and pauses the retailer meanwhile', async () => {
    const { instance, clock } = transport([
      () => new Response('', { status: 429, headers: { 'retry-after': new Date(1_700_000_000_000 + 7000).toUTCString() } }),
      ok,
    ]);
    await instance.request({ method: 'GET', path: '/outlets', schema });
    expect(clock()).toBe(1_700_000_000_000 + 7000);
  });

  it('falls back to backoff for a 429 without Retry-After, and gives up on an absurd Retry-After', async () => {
    const { instance, sleeps } = transport([() => new Response('', { status: 429 }), ok]);
    await instance.request({ method: 'GET', path: '/outlets', schema });
    expect(sleeps).toEqual([250]);
    const far = transport([() => new Response('{"error":"Too Many Requests"}', { status: 429, headers: { 'retry-after': '86400' } })]);
    await expect(far.instance.request({ method: 'GET', path: '/outlets', schema })).rejects.toMatchObject({ status: 429 });
  });

  it('does not retry a non-idempotent POST after a lost answer, and says it may have happened', async () => {
    const { instance } = transport([
      () => {
        throw new TypeError('fetch failed');
      },
      ok,
    ]);
    const error = await instance.request({ method: 'POST', path: '/consignments', body: {}, schema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedNetworkError);
    expect(error).toMatchObject({ timedOut: false, maybeProcessed: true });
  });

  it('retries an idempotent POST after a lost answer', async () => {
    const { instance } = transport([
      () => {
        throw new TypeError('fetch failed');
      },
      ok,
    ]);
    await expect(instance.request({ method: 'POST', path: '/inventory', body: {}, schema, idempotent: true })).resolves.toMatchObject({ status: 200 });
  });

  it('stops after maxAttempts and throws the last 5xx', async () => {
    const { instance, sleeps } = transport(
      Array.from({ length: 3 }, () => () => new Response('down', { status: 503 })),
      { maxAttempts: 3 },
    );
    const error = await instance.request({ method: 'GET', path: '/outlets', schema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedApiError);
    expect(error).toMatchObject({ status: 503, body: 'down', maybeProcessed: false });
    expect(sleeps).toEqual([250, 500]);
  });

  it('does not retry other 4xx', async () => {
    const { instance } = transport([() => Response.json({ error: 'nope' }, { status: 403 }), ok]);
    await expect(instance.request({ method: 'GET', path: '/outlets', schema })).rejects.toMatchObject({ status: 403, method: 'GET', path: '/outlets' });
  });
});
