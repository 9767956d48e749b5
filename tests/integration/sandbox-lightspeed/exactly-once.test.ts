/**
 * What exactly-once writes must survive, over HTTP: an "applied but the answer was lost" fault
 * for every write the app makes on Lightspeed (sale create, sale update, fulfilment), a seeded
 * per-route fault plan, creating a sale whose id or source id already exists (named policies:
 * the spec is silent), and finding a sale again by the reference its creator gave it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelOf, saleBody, saleFixture, startSandbox, type FulfillmentJson, type Harness, type SaleFixture, type SaleJson } from './helpers';

let h: Harness;
let fx: SaleFixture;
let nextProduct = 0;
const freshProduct = (levels: Record<string, number>) => {
  const product = fx.products[nextProduct++];
  if (!product) throw new Error('ran out of seeded products');
  for (const [outletId, level] of Object.entries(levels)) h.sandbox.control.setInventoryLevel(undefined, { outlet_id: outletId, product_id: product.id, level });
  return product;
};
let idCounter = 0;
const saleId = () => `5a1e0000-0000-4000-8000-${String(++idCounter).padStart(12, '0')}`;

beforeAll(async () => {
  h = await startSandbox();
  fx = saleFixture(h.sandbox);
});
afterAll(async () => h.close());

/** The request reaches the sandbox, which applies it and then resets the connection. */
async function expectLost(response: Promise<Response>): Promise<void> {
  const outcome = await response.then(
    (r) => `answered ${r.status}`,
    (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message} ${String((e.cause as { code?: string } | undefined)?.code ?? '')}` : String(e)),
  );
  expect(outcome).toMatch(/TypeError: fetch failed ECONNRESET|socket|other side closed/i);
}
const salesWithSource = (sourceId: string) => Object.values(h.sandbox.control.state().sales).filter((s) => s.source.id === sourceId);
const lostEvents = (path: string) => h.sandbox.control.eventLog().filter((e) => e.kind === 'api' && e.lost && e.path.endsWith(path));

describe('applied but the answer lost', () => {
  it('POST /sales: booked once; the retry with the same id answers 200 with that sale and moves no more stock', async () => {
    const product = freshProduct({ [fx.storeId]: 10 });
    const id = saleId();
    const body = saleBody(fx, { id, state: 'closed', sourceId: 'bc-order-2001', lines: [{ productId: product.id, quantity: 2 }] });
    h.sandbox.control.setFaults({ api: [{ route: 'POST /sales', kind: 'lost', nextN: 1 }] });
    await expectLost(h.api('/sales', { method: 'POST', json: body }));
    expect(salesWithSource('bc-order-2001').map((s) => s.id)).toEqual([id]);
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(8);
    expect(lostEvents('/sales')).toHaveLength(1);
    expect(lostEvents('/sales')[0]).toMatchObject({ method: 'POST', status: 200, lost: true, response: { data: { id } } });

    const retry = await h.api('/sales', { method: 'POST', json: body });
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { data: SaleJson }).data).toMatchObject({ id, state: 'closed', source: { id: 'bc-order-2001' } });
    expect(salesWithSource('bc-order-2001')).toHaveLength(1);
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(8);
  });

  it('PUT /sales/{id}: the sale is closed once; the repeat changes nothing', async () => {
    const product = freshProduct({ [fx.storeId]: 10 });
    const parked = (await (await h.api('/sales', { method: 'POST', json: saleBody(fx, { state: 'parked', lines: [{ productId: product.id, quantity: 3 }] }) })).json()) as { data: SaleJson };
    const lineId = parked.data.line_items[0]?.id;
    const close = saleBody(fx, { state: 'closed', lines: [{ id: lineId, productId: product.id, quantity: 3 }] });
    h.sandbox.control.setFaults({ api: [{ route: 'PUT /sales/:id', kind: 'lost', nextN: 1 }] });
    await expectLost(h.api(`/sales/${parked.data.id}`, { method: 'PUT', json: close }));
    expect(h.sandbox.control.state().sales[parked.data.id]?.status).toBe('CLOSED');
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(7);
    const retry = await h.api(`/sales/${parked.data.id}`, { method: 'PUT', json: close });
    expect(retry.status).toBe(200);
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(7);

    // A void whose answer is lost: the repeat is answered, stock comes back once.
    h.sandbox.control.setFaults({ api: [{ route: 'PUT /sales/*', kind: 'lost', nextN: 1 }] });
    const voidBody = { source: { author_id: fx.userId }, state: 'voided' };
    await expectLost(h.api(`/sales/${parked.data.id}`, { method: 'PUT', json: voidBody }));
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(10);
    const again = await h.api(`/sales/${parked.data.id}`, { method: 'PUT', json: voidBody });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { data: SaleJson }).data.state).toBe('voided');
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(10);
  });

  it('POST /fulfillments/{id}/fulfill and POST /fulfillments/fulfill: units leave once; repeats answer as the first did', async () => {
    const product = freshProduct({ [fx.warehouseId]: 10 });
    const sale = ((await (await h.api('/sales', { method: 'POST', json: saleBody(fx, { state: 'pending', fulfillmentOutletId: fx.warehouseId, lines: [{ productId: product.id, quantity: 3, method: 'DISPATCH' }] }) })).json()) as { data: SaleJson }).data;
    const [f] = ((await (await h.api(`/fulfillments?sale_id=${sale.id}`)).json()) as { data: FulfillmentJson[] }).data;
    const partial = { version: f?.version, line_items: [{ sale_line_item_id: f?.line_items[0]?.sale_line_item_id, quantity: 1 }] };
    h.sandbox.control.setFaults({ api: [{ route: 'POST /fulfillments/:id/fulfill', kind: 'lost', nextN: 1 }] });
    await expectLost(h.api(`/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: partial }));
    expect(levelOf(h.sandbox, product.id, fx.warehouseId)).toBe(9);
    const repeat = await h.api(`/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: partial });
    expect(repeat.status).toBe(200);
    expect(((await repeat.json()) as { data: { id: string; version: number } }).data.version).toBe(h.sandbox.control.state().fulfillments[f?.id ?? '']?.version);
    expect(levelOf(h.sandbox, product.id, fx.warehouseId)).toBe(9);

    h.sandbox.control.setFaults({ api: [{ route: 'POST /fulfillments/fulfill', kind: 'lost', nextN: 1 }] });
    await expectLost(h.api('/fulfillments/fulfill', { method: 'POST', json: { sale_id: sale.id } }));
    expect(h.sandbox.control.state().sales[sale.id]?.status).toBe('DISPATCHED_CLOSED');
    expect(levelOf(h.sandbox, product.id, fx.warehouseId)).toBe(7);
    expect((await h.api('/fulfillments/fulfill', { method: 'POST', json: { sale_id: sale.id } })).status).toBe(200);
    expect(levelOf(h.sandbox, product.id, fx.warehouseId)).toBe(7);
  });

  it('with a delay the client gives up first (a timeout), and the write has still happened', async () => {
    const product = freshProduct({ [fx.storeId]: 10 });
    const id = saleId();
    h.sandbox.control.setFaults({ api: [{ route: 'POST /sales', kind: 'lost', nextN: 1, delayMs: 2_000 }] });
    const outcome = await h
      .api('/sales', { method: 'POST', json: saleBody(fx, { id, state: 'closed', lines: [{ productId: product.id, quantity: 1 }] }), signal: AbortSignal.timeout(200) })
      .then((r) => `answered ${r.status}`, (e: unknown) => (e instanceof Error ? e.name : String(e)));
    expect(outcome).toBe('TimeoutError');
    expect(h.sandbox.control.state().sales[id]?.status).toBe('CLOSED');
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(9);
  });
});

describe('creating a sale whose id or source id already exists', () => {
  it('by default applies the body to the existing sale (policy existingSaleId: update): no 409, no second sale', async () => {
    const product = freshProduct({ [fx.storeId]: 10 });
    const id = saleId();
    await h.api('/sales', { method: 'POST', json: saleBody(fx, { id, state: 'parked', lines: [{ productId: product.id, quantity: 1 }] }) });
    const again = await h.api('/sales', { method: 'POST', json: { ...saleBody(fx, { id, state: 'closed', lines: [{ productId: product.id, quantity: 2 }] }), note: 'second post' } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { data: SaleJson & { note: string } }).data).toMatchObject({ id, state: 'closed', note: 'second post', line_items: [{ quantity: 2 }] });
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(8);
  });

  it('under return-existing answers 200 with the stored sale unchanged; under conflict answers 409 and changes nothing', async () => {
    const product = freshProduct({ [fx.storeId]: 10 });
    const id = saleId();
    await h.api('/sales', { method: 'POST', json: saleBody(fx, { id, state: 'closed', lines: [{ productId: product.id, quantity: 1 }] }) });
    const different = saleBody(fx, { id, state: 'closed', lines: [{ productId: product.id, quantity: 5 }] });
    try {
      h.sandbox.control.setPolicies({ existingSaleId: 'return-existing' });
      const kept = await h.api('/sales', { method: 'POST', json: different });
      expect(kept.status).toBe(200);
      expect(((await kept.json()) as { data: SaleJson }).data.line_items.map((l) => l.quantity)).toEqual([1]);
      h.sandbox.control.setPolicies({ existingSaleId: 'conflict' });
      const refused = await h.api('/sales', { method: 'POST', json: different });
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: string }).error).toBe(`sale ${id} already exists`);
      expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(9);
    } finally {
      h.sandbox.control.setPolicies({ existingSaleId: 'update' });
    }
  });

  it('a second sale with the same source id is a second sale by default (policy duplicateSourceId: allow), a 409 under conflict', async () => {
    const product = freshProduct({ [fx.storeId]: 10 });
    const body = saleBody(fx, { state: 'closed', sourceId: 'bc-order-3001', lines: [{ productId: product.id, quantity: 1 }] });
    expect((await h.api('/sales', { method: 'POST', json: body })).status).toBe(200);
    expect((await h.api('/sales', { method: 'POST', json: body })).status).toBe(200);
    expect(salesWithSource('bc-order-3001')).toHaveLength(2);
    try {
      h.sandbox.control.setPolicies({ duplicateSourceId: 'conflict' });
      const refused = await h.api('/sales', { method: 'POST', json: body });
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: string }).error).toMatch(/source id bc-order-3001 already exists/);
    } finally {
      h.sandbox.control.setPolicies({ duplicateSourceId: 'allow' });
    }
    expect(salesWithSource('bc-order-3001')).toHaveLength(2);
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(8);
  });
});

describe('finding a sale by the reference its creator gave it', () => {
  it('by the id the creator chose, by an invoice number it set, or by reading source.id off GET /sales; /search has no source filter', async () => {
    const product = freshProduct({ [fx.storeId]: 10 });
    const id = saleId();
    const cursor = h.sandbox.control.retailer().version;
    await h.api('/sales', { method: 'POST', json: saleBody(fx, { id, state: 'closed', sourceId: 'bc-order-4001', invoiceNumber: 'BC-4001', lines: [{ productId: product.id, quantity: 1 }] }) });
    await h.api('/sales', { method: 'POST', json: saleBody(fx, { state: 'closed', sourceId: 'bc-order-4002', lines: [{ productId: product.id, quantity: 1 }] }) });

    const byId = await h.api(`/sales/${id}`);
    expect(((await byId.json()) as { data: SaleJson }).data.source).toMatchObject({ id: 'bc-order-4001', type: 'BigCommerce' });
    expect((await h.api(`/sales/${saleId()}`)).status).toBe(404);

    const byInvoice = ((await (await h.api('/search?type=sales&invoice_number=BC-4001')).json()) as { data: SaleJson[] }).data;
    expect(byInvoice.map((s) => s.id)).toEqual([id]);

    const changed = ((await (await h.api(`/sales?after=${cursor}`)).json()) as { data: SaleJson[] }).data;
    expect(changed.filter((s) => s.source.id === 'bc-order-4001').map((s) => s.id)).toEqual([id]);

    // Not a documented search filter, so not a filter: the other sale comes back too.
    const unfiltered = ((await (await h.api('/search?type=sales&source_id=bc-order-4001&page_size=1000')).json()) as { data: SaleJson[] }).data;
    expect(unfiltered.some((s) => s.source.id === 'bc-order-4002')).toBe(true);
  });
});

describe('the fault plan', () => {
  it('fires per route (method and path pattern) for the next N requests, and refuses a malformed route', async () => {
    h.sandbox.control.setFaults({ api: [{ route: 'POST /sales', kind: '5xx', status: 502, nextN: 1 }, { route: '* /fulfillments/**', kind: '429', nextN: 2 }] });
    expect((await h.api('/sales')).status).toBe(200);
    expect((await h.api('/fulfillments')).status).toBe(429);
    expect((await h.api('/fulfillments/fulfill', { method: 'POST', json: {} })).status).toBe(429);
    expect((await h.api('/fulfillments')).status).toBe(200);
    expect((await h.api('/sales', { method: 'POST', json: {} })).status).toBe(502);
    expect((await h.api('/sales', { method: 'POST', json: {} })).status).toBe(422);
    const faults = h.sandbox.control.eventLog().filter((e) => e.kind === 'fault' && e.scope === 'api').slice(-3);
    expect(faults.map((e) => (e.kind === 'fault' ? [e.fault, e.target] : null))).toEqual([
      ['429', 'GET /api/2026-07/fulfillments'],
      ['429', 'POST /api/2026-07/fulfillments/fulfill'],
      ['5xx', 'POST /api/2026-07/sales'],
    ]);

    const bad = await fetch(`${h.origin}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api: [{ route: 'sales', kind: 'lost', nextN: 1 }] }) });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: string }).error).toMatch(/must look like "POST \/sales"/);
    h.sandbox.control.clearFaults();
  });

  it('draws probabilities from the run seed: the same seed fails the same requests, another seed others', async () => {
    const run = async (runSeed: number) => {
      const s = await startSandbox({ runSeed });
      try {
        s.sandbox.control.setFaults({ api: [{ route: 'GET /outlets', kind: '5xx', probability: 0.5 }] });
        const statuses: number[] = [];
        for (let i = 0; i < 24; i++) statuses.push((await s.api('/outlets')).status);
        return statuses;
      } finally {
        await s.close();
      }
    };
    const [a, b, c] = [await run(11), await run(11), await run(12)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a)).toEqual(new Set([200, 503]));
  });
});
