import { afterEach, describe, expect, it } from 'vitest';
import { createSimpleProduct, startReceiver, startSandbox, type Harness, type Receiver } from './helpers';

describe('BigCommerce sandbox: rate limits and fault switches', () => {
  let h: Harness | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await h?.close();
    await receiver?.close();
    h = undefined;
    receiver = undefined;
  });

  it('reports the quota on every response and answers a real 429 after 150 calls in the window (Standard plan)', async () => {
    h = await startSandbox();
    h.sandbox.control.updateStore(h.hash, { plan: 'Standard' });
    const first = await h.api('/v3/catalog/products');
    expect(first.headers.get('x-rate-limit-requests-quota')).toBe('150');
    expect(first.headers.get('x-rate-limit-time-window-ms')).toBe('30000');
    expect(first.headers.get('x-rate-limit-requests-left')).toBe('149');
    expect(Number(first.headers.get('x-rate-limit-time-reset-ms'))).toBeGreaterThan(29_000);
    const lefts: number[] = [];
    for (let i = 0; i < 149; i += 1) lefts.push(Number((await h.api('/v2/store')).headers.get('x-rate-limit-requests-left')));
    expect(lefts.at(-1)).toBe(0);
    expect(lefts).toEqual([...lefts].sort((a, b) => b - a));

    const limited = await h.api('/v3/catalog/products');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-requests-left')).toBe('0');
    expect(Number(limited.headers.get('x-rate-limit-time-reset-ms'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('x-retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ status: 429, title: expect.any(String) });

    // quotas are per store
    h.sandbox.control.createStore({ hash: 'second', plan: 'Standard' });
    const other = await fetch(`${h.server.url}/stores/second/v2/store`, { headers: { 'x-auth-token': h.sandbox.control.issueToken('second') } });
    expect(other.status).toBe(200);
  });

  it('opens a new window once the old one has passed', async () => {
    let now = 1_000_000;
    h = await startSandbox({ quota: { requests: 2, windowMs: 1_000 }, now: () => now });
    expect((await h.api('/v2/store')).status).toBe(200);
    expect((await h.api('/v2/store')).status).toBe(200);
    expect((await h.api('/v2/store')).status).toBe(429);
    now += 1_000;
    const fresh = await h.api('/v2/store');
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-rate-limit-requests-left')).toBe('1');
  });

  it('forces the next N responses to 429 / 503 and then recovers', async () => {
    h = await startSandbox();
    h.sandbox.control.setFaults(h.hash, { api: [{ kind: 'status', status: 429, count: 1 }, { kind: 'status', status: 503, count: 2 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await h.api('/v3/catalog/products')).status);
    expect(statuses).toEqual([429, 503, 503, 200]);

    h.sandbox.control.setFaults('*', { api: [{ kind: 'status', status: 502, count: 1 }] });
    const global = await h.api('/v2/store');
    expect(global.status).toBe(502);
    expect(await global.json()).toMatchObject({ status: 502 });
    expect((await h.api('/v2/store')).status).toBe(200);
  });

  it('adds latency and holds responses for timeouts', async () => {
    h = await startSandbox();
    h.sandbox.control.setFaults(h.hash, { api: [{ kind: 'latency', ms: 250, count: 1 }] });
    let started = Date.now();
    expect((await h.api('/v2/store')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    started = Date.now();
    await h.api('/v2/store');
    expect(Date.now() - started).toBeLessThan(200);

    // a short hold answers 504 once the hold is over (a gateway timing out)
    h.sandbox.control.setFaults(h.hash, { api: [{ kind: 'timeout', count: 1, holdMs: 300 }] });
    started = Date.now();
    const held = await h.api('/v2/store');
    expect(held.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('a timeout fault never answers within the client deadline', async () => {
    h = await startSandbox();
    h.sandbox.control.setFaults(h.hash, { api: [{ kind: 'timeout', count: 1, holdMs: 5_000 }] });
    const outcome = await fetch(`${h.server.url}/stores/${h.hash}/v2/store`, { headers: { 'x-auth-token': h.token }, signal: AbortSignal.timeout(300) }).then(
      (r) => r.status,
      (e: Error) => e.name,
    );
    expect(outcome).toBe('TimeoutError');
    expect((await h.api('/v2/store')).status).toBe(200);
  });

  it('duplicates and drops webhooks on demand, duplicates keeping the same webhook-id', async () => {
    receiver = await startReceiver();
    h = await startSandbox();
    await h.json('/v3/hooks', { method: 'POST', body: { scope: 'store/order/created', destination: receiver.url } });
    const order = (n: number) => h!.sandbox.control.placeOrder(h!.hash, { products: [{ name: `Item ${n}`, quantity: 1, price_inc_tax: 1, price_ex_tax: 1 }] });

    h.sandbox.control.setFaults(h.hash, { webhooks: { duplicateNext: 1 } });
    const a = order(1);
    const dupes = await receiver.waitFor((r) => r.length >= 2);
    expect(dupes.map((w) => w.body.data.id)).toEqual([a.id, a.id]);
    expect(dupes[0]!.headers['webhook-id']).toBe(dupes[1]!.headers['webhook-id']);
    expect(dupes[0]!.body.hash).toBe(dupes[1]!.body.hash);

    h.sandbox.control.setFaults(h.hash, { webhooks: { dropNext: 1 } });
    order(2);
    const c = order(3);
    await receiver.waitFor((r) => r.length >= 3);
    await h.sandbox.control.webhooksIdle();
    expect(receiver.received.map((w) => w.body.data.id)).toEqual([a.id, a.id, c.id]);
    expect(h.sandbox.control.deliveries(h.hash).filter((d) => d.outcome === 'dropped')).toHaveLength(1);
  });

  it('delays and reorders webhooks', async () => {
    receiver = await startReceiver();
    h = await startSandbox();
    await h.json('/v3/hooks', { method: 'POST', body: { scope: 'store/order/created', destination: receiver.url } });
    const order = () => h!.sandbox.control.placeOrder(h!.hash, { products: [{ name: 'x', quantity: 1, price_inc_tax: 1, price_ex_tax: 1 }] });

    h.sandbox.control.setFaults(h.hash, { webhooks: { reorderWindow: 3 } });
    const ids = [order().id, order().id, order().id];
    await receiver.waitFor((r) => r.length >= 3);
    expect(receiver.received.map((w) => w.body.data.id)).toEqual([...ids].reverse());

    h.sandbox.control.setFaults(h.hash, { webhooks: { delayMs: 300 } });
    const started = Date.now();
    order();
    await receiver.waitFor((r) => r.length >= 4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('fault-free requests still validate and stay cheap after faults clear', async () => {
    h = await startSandbox();
    h.sandbox.control.setFaults(h.hash, { api: [{ kind: 'status', status: 500, count: 5 }] });
    h.sandbox.control.clearFaults(h.hash);
    await createSimpleProduct(h, 'AFTER-FAULTS');
    expect((await h.json('/v3/catalog/products?sku=AFTER-FAULTS')).body.data).toHaveLength(1);
  });
});
