/**
 * Fault plans over HTTP: per-route rules with counts and seeded probabilities, and the
 * "applied but the response was lost" fault on every write the app makes on BigCommerce
 * (inventory adjustments, shipments, order status updates). A lost response is a connection
 * reset: the client gets a socket error, and the store has the change anyway.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimpleProduct, startSandbox, type Harness } from './helpers';

/** What a client sees: the status, or the name of the network failure. */
async function outcome(promise: Promise<Response>): Promise<number | string> {
  try {
    const response = await promise;
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return `network:${cause?.code ?? (error as Error).name}`;
  }
}

const reset = expect.stringMatching(/^network:(ECONNRESET|UND_ERR_SOCKET)$/);

async function placeApiOrder(h: Harness, productId: number, quantity = 1): Promise<{ id: number; addressId: number; lineId: number }> {
  const created = await h.json('/v2/orders', { method: 'POST', body: { status_id: 11, products: [{ product_id: productId, quantity }] } });
  expect(created.status).toBe(200);
  const lines = await h.json(`/v2/orders/${created.body.id}/products`);
  return { id: created.body.id, addressId: lines.body[0].order_address_id, lineId: lines.body[0].id };
}

describe('BigCommerce sandbox: fault plans', () => {
  let h: Harness | undefined;
  let other: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    await other?.close();
    h = undefined;
    other = undefined;
  });

  it('absolute and relative adjustments: the store accepts the write, the client sees a reset', async () => {
    h = await startSandbox({ seed: 1 });
    const { variantId } = await createSimpleProduct(h, 'LOST-ADJ', 10);
    h.sandbox.control.setFaults(h.hash, {
      api: [
        { kind: 'lost', route: 'PUT /v3/inventory/adjustments/absolute', count: 1 },
        { kind: 'lost', route: 'POST /v3/inventory/adjustments/relative', count: 1 },
      ],
    });
    // Reads and other routes pass untouched.
    expect(await outcome(h.api('/v3/inventory/items'))).toBe(200);

    const absolute = await outcome(h.api('/v3/inventory/adjustments/absolute', { method: 'PUT', body: { items: [{ location_id: 1, variant_id: variantId, quantity: 30 }] } }));
    expect(absolute).toEqual(reset);
    h.sandbox.control.flushInventory(h.hash);
    expect(h.sandbox.control.stock(h.hash).find((s) => s.variant_id === variantId)?.on_hand).toBe(30);

    const relative = await outcome(h.api('/v3/inventory/adjustments/relative', { method: 'POST', body: { items: [{ location_id: 1, variant_id: variantId, quantity: -4 }] } }));
    expect(relative).toEqual(reset);
    h.sandbox.control.flushInventory(h.hash);
    expect(h.sandbox.control.stock(h.hash).find((s) => s.variant_id === variantId)?.on_hand).toBe(26);

    // Each rule fired once: a retry of the same write is answered (and applied again: the
    // platform has no idempotency key, so a blind retry of a relative adjustment doubles it).
    const retried = await h.json('/v3/inventory/adjustments/relative', { method: 'POST', body: { items: [{ location_id: 1, variant_id: variantId, quantity: -4 }] } });
    expect(retried.status).toBe(200);
    expect(retried.body.transaction_id).toEqual(expect.any(String));
    h.sandbox.control.flushInventory(h.hash);
    expect(h.sandbox.control.stock(h.hash).find((s) => s.variant_id === variantId)?.on_hand).toBe(22);

    const log = h.sandbox.control.eventLog();
    const lostWrites = log.filter((e) => e.type === 'api' && e.status === null);
    expect(lostWrites.map((e) => [e.method, e.path, e.store_answered])).toEqual([
      ['PUT', '/v3/inventory/adjustments/absolute', 200],
      ['POST', '/v3/inventory/adjustments/relative', 200],
    ]);
    expect(log.filter((e) => e.type === 'fault.api').map((e) => [e.kind, e.method, e.path])).toEqual([
      ['lost', 'PUT', '/v3/inventory/adjustments/absolute'],
      ['lost', 'POST', '/v3/inventory/adjustments/relative'],
    ]);
  });

  it('shipments and order status updates: applied, answer lost', async () => {
    h = await startSandbox({ seed: 2 });
    const { id: productId } = await createSimpleProduct(h, 'LOST-ORD', 10);
    const order = await placeApiOrder(h, productId, 2);
    h.sandbox.control.setFaults(h.hash, {
      api: [
        { kind: 'lost', route: 'POST /v2/orders/:order_id/shipments', count: 1 },
        { kind: 'lost', route: 'PUT /v2/orders/*', count: 1 },
      ],
    });
    const shipped = await outcome(h.api(`/v2/orders/${order.id}/shipments`, { method: 'POST', body: { order_address_id: order.addressId, tracking_number: 'LOST1', items: [{ order_product_id: order.lineId, quantity: 1 }] } }));
    expect(shipped).toEqual(reset);
    const shipments = await h.json(`/v2/orders/${order.id}/shipments`);
    expect(shipments.body.map((s: { tracking_number: string }) => s.tracking_number)).toEqual(['LOST1']);
    expect((await h.json(`/v2/orders/${order.id}`)).body.status_id).toBe(3); // Partially Shipped

    const second = await placeApiOrder(h, productId, 1);
    const status = await outcome(h.api(`/v2/orders/${second.id}`, { method: 'PUT', body: { status_id: 9 } }));
    expect(status).toEqual(reset);
    expect((await h.json(`/v2/orders/${second.id}`)).body.status_id).toBe(9);
    // The PUT rule matched one path segment: `/v2/orders/{id}/shipments` was not affected by it.
    expect(h.sandbox.control.eventLog().filter((e) => e.type === 'fault.api').map((e) => e.path)).toEqual([`/v2/orders/${order.id}/shipments`, `/v2/orders/${second.id}`]);
  });

  it('a timeout after the write was applied: the change is there, the answer is a late 504', async () => {
    h = await startSandbox();
    const { id: productId } = await createSimpleProduct(h, 'LATE-ORD', 5);
    const order = await placeApiOrder(h, productId);
    h.sandbox.control.setFaults(h.hash, { api: [{ kind: 'timeout', applied: true, holdMs: 400, route: 'PUT /v2/orders/:order_id', count: 1 }] });
    // a client that waits out the hold gets a gateway timeout...
    expect(await outcome(h.api(`/v2/orders/${order.id}`, { method: 'PUT', body: { status_id: 10 } }))).toBe(504);
    expect((await h.json(`/v2/orders/${order.id}`)).body.status_id).toBe(10);

    h.sandbox.control.setFaults(h.hash, { api: [{ kind: 'timeout', applied: true, holdMs: 5_000, route: 'PUT /v2/orders/:order_id', count: 1 }] });
    const gaveUp = await fetch(`${h.server.url}/stores/${h.hash}/v2/orders/${order.id}`, {
      method: 'PUT',
      headers: { 'x-auth-token': h.token, 'content-type': 'application/json' },
      body: JSON.stringify({ status_id: 9 }),
      signal: AbortSignal.timeout(300),
    }).then(
      (r) => r.status,
      (e: Error) => e.name,
    );
    // ...and one with a deadline gives up first; either way the write was applied
    expect(gaveUp).toBe('TimeoutError');
    expect((await h.json(`/v2/orders/${order.id}`)).body.status_id).toBe(9);
  });

  it('probability rules draw from the seeded stream: one seed, one pattern; a count caps the firings', async () => {
    const pattern = async (seed: number): Promise<number[]> => {
      const sandbox = await startSandbox({ seed }, `p${seed}`);
      try {
        sandbox.sandbox.control.setFaults(sandbox.hash, { api: [{ kind: 'status', status: 503, probability: 0.5, route: 'GET /v2/store' }] });
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++) statuses.push((await sandbox.api('/v2/store')).status);
        // other routes never draw
        expect((await sandbox.api('/v2/time')).status).toBe(200);
        return statuses;
      } finally {
        await sandbox.close();
      }
    };
    const first = await pattern(11);
    expect(await pattern(11)).toEqual(first);
    expect(await pattern(12)).not.toEqual(first);
    const faulted = first.filter((s) => s === 503).length;
    expect(faulted).toBeGreaterThan(5);
    expect(faulted).toBeLessThan(35);
    expect(new Set(first)).toEqual(new Set([200, 503]));

    h = await startSandbox({ seed: 3 });
    h.sandbox.control.setFaults(h.hash, { api: [{ kind: 'status', status: 500, probability: 1, count: 3 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await h.api('/v2/store')).status);
    expect(statuses).toEqual([500, 500, 500, 200, 200]);
  });

  it('route patterns: method, literal segments, * and :name one segment, ** the rest', async () => {
    h = await startSandbox();
    h.sandbox.control.setFaults(h.hash, {
      api: [
        { kind: 'status', status: 502, route: 'GET /v3/catalog/**', count: 2 },
        { kind: 'status', status: 503, route: '* /v2/orders/*/shipments', count: 1 },
      ],
    });
    expect((await h.api('/v2/store')).status).toBe(200);
    expect((await h.api('/v3/catalog/products')).status).toBe(502);
    expect((await h.api('/v3/catalog/products/1/variants')).status).toBe(502);
    expect((await h.api('/v3/catalog/products')).status).toBe(200);
    expect((await h.api('/v2/orders/5')).status).not.toBe(503);
    expect((await h.api('/v2/orders/5/shipments', { method: 'POST', body: {} })).status).toBe(503);
  });

  it('refuses a malformed plan with 422 and keeps the plan it had', async () => {
    h = await startSandbox();
    h.sandbox.control.setFaults(h.hash, { api: [{ kind: 'status', status: 503, count: 1, route: 'GET /v2/store' }] });
    const put = (body: unknown) => fetch(`${h!.server.url}/_sandbox/stores/${h!.hash}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const badRoute = await put({ api: [{ kind: 'lost', count: 1, route: 'inventory adjustments' }] });
    expect(badRoute.status).toBe(422);
    expect(JSON.stringify(await badRoute.json())).toContain('METHOD /path/pattern');
    const unbounded = await put({ api: [{ kind: 'lost' }] });
    expect(unbounded.status).toBe(422);
    expect(JSON.stringify(await unbounded.json())).toContain('count or a probability');
    expect(() => h!.sandbox.control.setFaults(h!.hash, { api: [{ kind: 'status', status: 503, probability: 2 }] })).toThrow(/Invalid fault plan/);
    // the earlier plan still holds
    expect((await h.api('/v2/store')).status).toBe(503);
    expect((await h.api('/v2/store')).status).toBe(200);
  });
});
