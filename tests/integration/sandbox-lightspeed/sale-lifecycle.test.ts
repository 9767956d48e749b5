/**
 * The sale lifecycle as X-Series has it, over HTTP: state + attributes and the legacy status they
 * stand for (docs/sales_states_and_attributes), when stock moves for sales awaiting dispatch or
 * pickup (docs/fulfillments_partial_fulfillment: fulfilling "triggers inventory movements"),
 * partial fulfilment through the fulfilments API, GET /fulfillments filters, voids and returns.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  levelOf,
  saleBody,
  saleFixture,
  startReceiver,
  startSandbox,
  type FulfillmentJson,
  type Harness,
  type SaleFixture,
  type SaleJson,
} from './helpers';

let h: Harness;
let fx: SaleFixture;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let nextProduct = 0;
/** A product no other test has touched, with a known level at the outlets a test uses. */
const freshProduct = async (levels: Record<string, number>) => {
  const product = fx.products[nextProduct++];
  if (!product) throw new Error('ran out of seeded products');
  for (const [outletId, level] of Object.entries(levels)) h.sandbox.control.setInventoryLevel(undefined, { outlet_id: outletId, product_id: product.id, level });
  // Setting the level sends its own inventory.update: start each test with an empty receiver.
  await h.sandbox.control.waitForWebhooks();
  receiver.received.length = 0;
  return product;
};

beforeAll(async () => {
  h = await startSandbox();
  fx = saleFixture(h.sandbox);
  receiver = await startReceiver();
  for (const type of ['sale.update', 'inventory.update']) {
    expect((await h.api('/webhooks', { method: 'POST', json: { url: receiver.url, type, active: true } })).status).toBe(201);
  }
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});
afterEach(async () => {
  h.sandbox.control.setPolicies({ stockTiming: 'at-fulfilment' });
  await h.sandbox.control.waitForWebhooks();
  receiver.received.length = 0;
});

const createSale = async (body: Record<string, unknown>): Promise<SaleJson> => {
  const res = await h.api('/sales', { method: 'POST', json: body });
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);
  return ((await res.json()) as { data: SaleJson }).data;
};
const status = (saleId: string) => h.sandbox.control.state().sales[saleId]?.status;
const fulfilments = async (query: string): Promise<FulfillmentJson[]> => {
  const res = await h.api(`/fulfillments?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: FulfillmentJson[] }).data;
};
const payloads = (type: string) => receiver.received.filter((r) => r.form.get('type') === type).map((r) => JSON.parse(r.form.get('payload') ?? '{}') as Record<string, unknown>);

describe('state, attributes and the legacy status', () => {
  const cases: { state: 'pending' | 'closed'; attributes: string[]; status: string }[] = [
    { state: 'pending', attributes: [], status: 'OPEN' },
    { state: 'closed', attributes: [], status: 'CLOSED' },
    { state: 'pending', attributes: ['onaccount'], status: 'ONACCOUNT' },
    { state: 'closed', attributes: ['onaccount'], status: 'ONACCOUNT_CLOSED' },
    { state: 'pending', attributes: ['layby'], status: 'LAYBY' },
    { state: 'closed', attributes: ['layby'], status: 'LAYBY_CLOSED' },
    { state: 'pending', attributes: ['delivery'], status: 'AWAITING_DISPATCH' },
    { state: 'closed', attributes: ['delivery'], status: 'DISPATCHED_CLOSED' },
    { state: 'pending', attributes: ['pickup'], status: 'AWAITING_PICKUP' },
    { state: 'closed', attributes: ['pickup'], status: 'PICKED_UP_CLOSED' },
    { state: 'pending', attributes: ['service'], status: 'SERVICE' },
    { state: 'closed', attributes: ['service'], status: 'SERVICE_CLOSED' },
    { state: 'pending', attributes: ['onaccount', 'delivery'], status: 'AWAITING_DISPATCH' },
  ];
  it.each(cases)('$state + $attributes is $status, and the sale reads back with the same state and attributes', async ({ state, attributes, status: legacy }) => {
    const product = await freshProduct({ [fx.storeId]: 50 });
    const sale = await createSale(saleBody(fx, { state, attributes, lines: [{ productId: product.id, quantity: 1 }] }));
    expect(sale).toMatchObject({ state, attributes });
    expect(status(sale.id)).toBe(legacy);
    const read = ((await (await h.api(`/sales/${sale.id}`)).json()) as { data: SaleJson }).data;
    expect(read).toMatchObject({ state, attributes });
    await h.sandbox.control.waitForWebhooks();
    // The 1.0-shape sale.update webhook carries the legacy status.
    expect(payloads('sale.update').find((p) => p.id === sale.id)?.status).toBe(legacy);
  });

  it('GET /search finds sales by state, attributes, the deprecated status, product and register', async () => {
    const product = await freshProduct({ [fx.storeId]: 20, [fx.otherStoreId]: 20 });
    const pickup = await createSale(saleBody(fx, { state: 'pending', attributes: ['pickup'], fulfillmentOutletId: fx.otherStoreId, lines: [{ productId: product.id, quantity: 1 }] }));
    const layby = await createSale(saleBody(fx, { state: 'pending', attributes: ['layby'], lines: [{ productId: product.id, quantity: 1 }] }));
    const closed = await createSale(saleBody(fx, { state: 'closed', lines: [{ productId: product.id, quantity: 1 }] }));
    const search = async (query: string) =>
      ((await (await h.api(`/search?type=sales&product_id=${product.id}&${query}`)).json()) as { data: SaleJson[] }).data.map((s) => s.id);
    expect(await search('')).toEqual([pickup.id, layby.id, closed.id]);
    expect(await search('state=pending')).toEqual([pickup.id, layby.id]);
    expect(await search('state=pending&attributes=pickup')).toEqual([pickup.id]);
    expect(await search('attributes=layby&attributes=pickup')).toEqual([pickup.id, layby.id]);
    expect(await search('status=CLOSED')).toEqual([closed.id]);
    expect(await search('state=closed&attributes=pickup')).toEqual([]);
    expect(await search(`register_id=${fx.registerId}&state=closed`)).toEqual([closed.id]);
  });

  it('a closed delivery sale is reported closed (DISPATCHED_CLOSED), not pending, with its stock gone and its fulfilment done', async () => {
    const product = await freshProduct({ [fx.warehouseId]: 30 });
    const sale = await createSale(
      saleBody(fx, { state: 'closed', fulfillmentOutletId: fx.warehouseId, lines: [{ productId: product.id, quantity: 4, method: 'DISPATCH' }] }),
    );
    expect(sale).toMatchObject({ state: 'closed', attributes: ['delivery'] });
    expect(status(sale.id)).toBe('DISPATCHED_CLOSED');
    expect(levelOf(h.sandbox, product.id, fx.warehouseId)).toBe(26);
    expect((await fulfilments(`sale_id=${sale.id}`)).map((f) => [f.type, f.state, f.line_items[0]?.fulfilled_quantity])).toEqual([['DISPATCH', 'FULFILLED', '4']]);
  });

  it('refuses unknown and mutually exclusive attributes with a clear 422 and books nothing', async () => {
    const product = await freshProduct({ [fx.storeId]: 10 });
    const before = Object.keys(h.sandbox.control.state().sales).length;
    for (const attributes of [['pickup', 'delivery'], ['onaccount', 'layby'], ['gift-wrap']]) {
      const res = await h.api('/sales', { method: 'POST', json: saleBody(fx, { state: 'pending', attributes, lines: [{ productId: product.id, quantity: 1 }] }) });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: string }).error).toMatch(/attributes: /);
    }
    expect(Object.keys(h.sandbox.control.state().sales)).toHaveLength(before);
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(10);
  });

  it('an on-account sale takes stock when booked and closes to ONACCOUNT_CLOSED when paid off; a closed sale only accepts a void', async () => {
    const product = await freshProduct({ [fx.storeId]: 10 });
    const sale = await createSale(saleBody(fx, { state: 'pending', attributes: ['onaccount'], lines: [{ productId: product.id, quantity: 3 }] }));
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(7);
    const paid = await h.api(`/sales/${sale.id}`, { method: 'PUT', json: saleBody(fx, { state: 'closed', lines: [{ id: sale.line_items[0]?.id, productId: product.id, quantity: 3 }] }) });
    expect(paid.status).toBe(200);
    expect(((await paid.json()) as { data: SaleJson }).data).toMatchObject({ state: 'closed', attributes: ['onaccount'] });
    expect(status(sale.id)).toBe('ONACCOUNT_CLOSED');
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(7);
    const reopen = await h.api(`/sales/${sale.id}`, { method: 'PUT', json: saleBody(fx, { state: 'pending', lines: [{ productId: product.id, quantity: 3 }] }) });
    expect(reopen.status).toBe(422);
    const voided = await h.api(`/sales/${sale.id}`, { method: 'PUT', json: { source: { author_id: fx.userId }, state: 'voided' } });
    expect(voided.status).toBe(200);
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(10);
    const again = await h.api(`/sales/${sale.id}`, { method: 'PUT', json: { source: { author_id: fx.userId }, state: 'closed' } });
    expect(again.status).toBe(422);
  });
});

describe('stock for sales awaiting dispatch or pickup', () => {
  it('moves nothing when booked, then exactly the fulfilled units at the fulfilment outlet, with new inventory versions and webhooks', async () => {
    const product = await freshProduct({ [fx.warehouseId]: 10, [fx.storeId]: 10 });
    const sale = await createSale(
      saleBody(fx, {
        state: 'pending',
        fulfillmentOutletId: fx.warehouseId,
        fulfillmentDetails: [{ type: 'DISPATCH', note: 'ring the bell' }],
        lines: [{ productId: product.id, quantity: 3, method: 'DISPATCH' }],
      }),
    );
    expect(sale).toMatchObject({ state: 'pending', attributes: ['delivery'] });
    expect(status(sale.id)).toBe('AWAITING_DISPATCH');
    expect([levelOf(h.sandbox, product.id, fx.warehouseId), levelOf(h.sandbox, product.id, fx.storeId)]).toEqual([10, 10]);
    await h.sandbox.control.waitForWebhooks();
    expect(payloads('inventory.update').filter((p) => p.product_id === product.id)).toHaveLength(0);

    const [open] = await fulfilments(`sale_id=${sale.id}`);
    expect(open).toMatchObject({ outlet_id: fx.warehouseId, type: 'DISPATCH', state: 'OPEN', note: 'ring the bell' });
    const lineId = open?.line_items[0]?.sale_line_item_id ?? '';
    const versionBefore = h.sandbox.control.state().inventory[`${product.id}:${fx.warehouseId}`]?.version ?? 0;

    const first = await h.api(`/fulfillments/${open?.id}/fulfill`, { method: 'POST', json: { version: open?.version, line_items: [{ sale_line_item_id: lineId, quantity: 1 }] } });
    expect(first.status).toBe(200);
    const moved = ((await first.json()) as { data: { id: string; version: number } }).data;
    expect(moved.version).toBeGreaterThan(open?.version ?? 0);
    expect(levelOf(h.sandbox, product.id, fx.warehouseId)).toBe(9);
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(10);
    expect(h.sandbox.control.state().inventory[`${product.id}:${fx.warehouseId}`]?.version).toBeGreaterThan(versionBefore);
    expect(status(sale.id)).toBe('AWAITING_DISPATCH');
    await h.sandbox.control.waitForWebhooks();
    expect(payloads('inventory.update').filter((p) => p.product_id === product.id).map((p) => [p.outlet_id, p.count])).toEqual([[fx.warehouseId, 9]]);
    receiver.received.length = 0;

    const rest = await h.api(`/fulfillments/${open?.id}/fulfill`, { method: 'POST', json: { version: moved.version, line_items: [{ sale_line_item_id: lineId, quantity: 2 }] } });
    expect(rest.status).toBe(200);
    expect(levelOf(h.sandbox, product.id, fx.warehouseId)).toBe(7);
    expect(status(sale.id)).toBe('DISPATCHED_CLOSED');
    await h.sandbox.control.waitForWebhooks();
    expect(payloads('inventory.update').filter((p) => p.product_id === product.id).map((p) => p.count)).toEqual([7]);
    expect(payloads('sale.update').filter((p) => p.id === sale.id).map((p) => p.status)).toEqual(['DISPATCHED_CLOSED']);
    expect((await fulfilments(`sale_id=${sale.id}`))[0]).toMatchObject({ state: 'FULFILLED', line_items: [{ quantity: '3', fulfilled_quantity: '3' }] });
  });

  it('under the at-sale policy takes the stock when booked, and fulfilling moves nothing more', async () => {
    h.sandbox.control.setPolicies({ stockTiming: 'at-sale' });
    const product = await freshProduct({ [fx.otherStoreId]: 10 });
    const sale = await createSale(saleBody(fx, { state: 'pending', fulfillmentOutletId: fx.otherStoreId, lines: [{ productId: product.id, quantity: 2, method: 'PICKUP' }] }));
    expect(status(sale.id)).toBe('AWAITING_PICKUP');
    expect(levelOf(h.sandbox, product.id, fx.otherStoreId)).toBe(8);
    expect((await h.api('/fulfillments/fulfill', { method: 'POST', json: { sale_id: sale.id } })).status).toBe(200);
    expect(status(sale.id)).toBe('PICKED_UP_CLOSED');
    expect(levelOf(h.sandbox, product.id, fx.otherStoreId)).toBe(8);
  });

  it('replays the exact last line fulfilment as the first answer (idempotent); a stale version or too much is refused and moves nothing', async () => {
    const product = await freshProduct({ [fx.warehouseId]: 5 });
    const sale = await createSale(saleBody(fx, { state: 'pending', fulfillmentOutletId: fx.warehouseId, lines: [{ productId: product.id, quantity: 2, method: 'DISPATCH' }] }));
    const [f] = await fulfilments(`sale_id=${sale.id}`);
    const body = { version: f?.version, line_items: [{ sale_line_item_id: f?.line_items[0]?.sale_line_item_id, quantity: 1 }] };
    const first = await h.api(`/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: body });
    const again = await h.api(`/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: body });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    expect(levelOf(h.sandbox, product.id, fx.warehouseId)).toBe(4);
    // Same stale version, different request: a conflict.
    const stale = await h.api(`/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: { ...body, line_items: [{ ...body.line_items[0], quantity: 2 }] } });
    expect(stale.status).toBe(409);
    const current = (await fulfilments(`sale_id=${sale.id}`))[0];
    const tooMuch = await h.api(`/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: { version: current?.version, line_items: [{ sale_line_item_id: body.line_items[0]?.sale_line_item_id, quantity: 2 }] } });
    expect(tooMuch.status).toBe(400);
    expect(((await tooMuch.json()) as { error: string }).error).toMatch(/exceeds what is left to fulfil \(1\)/);
    expect((await h.api(`/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: { version: current?.version } })).status).toBe(400);
    expect((await h.api('/fulfillments/00000000-0000-4000-8000-000000000000/fulfill', { method: 'POST', json: { version: 1, line_items: [{ sale_line_item_id: '00000000-0000-4000-8000-000000000001', quantity: 1 }] } })).status).toBe(404);
    expect(levelOf(h.sandbox, product.id, fx.warehouseId)).toBe(4);
  });

  it('a void returns exactly the units already fulfilled and leaves nothing to fulfil', async () => {
    const product = await freshProduct({ [fx.warehouseId]: 10 });
    const sale = await createSale(saleBody(fx, { state: 'pending', fulfillmentOutletId: fx.warehouseId, lines: [{ productId: product.id, quantity: 4, method: 'DISPATCH' }] }));
    const [f] = await fulfilments(`sale_id=${sale.id}`);
    await h.api(`/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: { version: f?.version, line_items: [{ sale_line_item_id: f?.line_items[0]?.sale_line_item_id, quantity: 3 }] } });
    expect(levelOf(h.sandbox, product.id, fx.warehouseId)).toBe(7);
    const voided = await h.api(`/sales/${sale.id}`, { method: 'PUT', json: { source: { author_id: fx.userId }, state: 'voided' } });
    expect(voided.status).toBe(200);
    expect(levelOf(h.sandbox, product.id, fx.warehouseId)).toBe(10);
    expect(await fulfilments(`sale_id=${sale.id}`)).toEqual([]);
    expect((await h.api('/fulfillments/fulfill', { method: 'POST', json: { sale_id: sale.id } })).status).toBe(409);
  });

  it('PUT state closed on a sale awaiting pickup means it was collected: every line fulfilled, stock moved once', async () => {
    const product = await freshProduct({ [fx.otherStoreId]: 6 });
    const sale = await createSale(saleBody(fx, { state: 'pending', attributes: ['pickup'], fulfillmentOutletId: fx.otherStoreId, lines: [{ productId: product.id, quantity: 2 }] }));
    expect(status(sale.id)).toBe('AWAITING_PICKUP');
    const closed = await h.api(`/sales/${sale.id}`, { method: 'PUT', json: saleBody(fx, { state: 'closed', fulfillmentOutletId: fx.otherStoreId, lines: [{ id: sale.line_items[0]?.id, productId: product.id, quantity: 2 }] }) });
    expect(closed.status).toBe(200);
    expect(status(sale.id)).toBe('PICKED_UP_CLOSED');
    expect(levelOf(h.sandbox, product.id, fx.otherStoreId)).toBe(4);
    expect((await fulfilments(`sale_id=${sale.id}`)).map((f) => f.state)).toEqual(['FULFILLED']);
  });

  it('a line an update adds joins its outlet\'s fulfilment (reopening it if it was done); fulfilled lines cannot be taken away', async () => {
    const shipped = await freshProduct({ [fx.warehouseId]: 10 });
    const collected = await freshProduct({ [fx.otherStoreId]: 10 });
    const sale = await createSale(
      saleBody(fx, {
        state: 'pending',
        lines: [
          { productId: shipped.id, quantity: 1, method: 'DISPATCH', outletId: fx.warehouseId },
          { productId: collected.id, quantity: 1, method: 'PICKUP', outletId: fx.otherStoreId },
        ],
      }),
    );
    const dispatch = (await fulfilments(`sale_id=${sale.id}&fulfillment_type=DISPATCH`))[0];
    await h.api(`/fulfillments/${dispatch?.id}/fulfill`, { method: 'POST', json: { version: dispatch?.version, line_items: [{ sale_line_item_id: dispatch?.line_items[0]?.sale_line_item_id, quantity: 1 }] } });
    expect((await fulfilments(`sale_id=${sale.id}&fulfillment_type=DISPATCH`))[0]?.state).toBe('FULFILLED');
    // The pickup is still open, so the sale still awaits.
    expect(status(sale.id)).toBe('AWAITING_DISPATCH');
    expect(levelOf(h.sandbox, shipped.id, fx.warehouseId)).toBe(9);

    const [dispatchLine, pickupLine] = sale.line_items;
    const keep = [
      { id: dispatchLine?.id, productId: shipped.id, quantity: 1, outletId: fx.warehouseId },
      { id: pickupLine?.id, productId: collected.id, quantity: 1, outletId: fx.otherStoreId },
    ];
    // Dropping the shipped line is refused and changes nothing.
    const dropped = await h.api(`/sales/${sale.id}`, { method: 'PUT', json: saleBody(fx, { state: 'pending', lines: [keep[1] as (typeof keep)[number]] }) });
    expect(dropped.status).toBe(422);
    expect(((await dropped.json()) as { error: string }).error).toMatch(/has 1 fulfilled and cannot be removed/);

    // A line added at the warehouse (its `fulfillment_method` ignored on update) ships with the rest.
    const added = await h.api(`/sales/${sale.id}`, {
      method: 'PUT',
      json: saleBody(fx, { state: 'pending', lines: [...keep, { productId: shipped.id, quantity: 2, outletId: fx.warehouseId, method: 'PICKUP' }] }),
    });
    expect(added.status).toBe(200);
    const reopened = await fulfilments(`sale_id=${sale.id}&fulfillment_type=DISPATCH`);
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).toMatchObject({ id: dispatch?.id, state: 'OPEN' });
    expect(reopened[0]?.line_items.map((l) => [l.quantity, l.fulfilled_quantity])).toEqual([
      ['1', '1'],
      ['2', '0'],
    ]);
    expect(levelOf(h.sandbox, shipped.id, fx.warehouseId)).toBe(9);
  });

  it('only a closed sale can be returned (spec: "an existing closed sale")', async () => {
    const product = await freshProduct({ [fx.warehouseId]: 6 });
    const sale = await createSale(saleBody(fx, { state: 'pending', fulfillmentOutletId: fx.warehouseId, lines: [{ productId: product.id, quantity: 2, method: 'DISPATCH' }] }));
    const res = await h.api(`/sales/${sale.id}/actions/return`, { method: 'POST' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(/only a closed sale can be returned/);
  });
});

describe('GET /fulfillments', () => {
  it('honours sale_id, outlet_id, fulfillment_type and fulfillment_state (each repeatable) and pages 10 at a time by default', async () => {
    const shipped = await freshProduct({ [fx.warehouseId]: 50 });
    const collected = await freshProduct({ [fx.otherStoreId]: 50 });
    const sales: SaleJson[] = [];
    for (let i = 0; i < 12; i++) {
      sales.push(
        await createSale(
          saleBody(fx, {
            state: 'pending',
            lines: [
              { productId: shipped.id, quantity: 1, method: 'DISPATCH', outletId: fx.warehouseId },
              { productId: collected.id, quantity: 1, method: 'PICKUP', outletId: fx.otherStoreId },
            ],
          }),
        ),
      );
    }
    const mine = sales.map((s) => `sale_id=${s.id}`).join('&');
    const all = [...(await fulfilments(`${mine}&page_size=100`))];
    expect(all).toHaveLength(24);
    expect((await fulfilments(mine)).length).toBe(10);
    expect((await fulfilments(`${mine}&page_number=3`)).length).toBe(4);
    const pages = [...(await fulfilments(`${mine}&page_number=1`)), ...(await fulfilments(`${mine}&page_number=2`)), ...(await fulfilments(`${mine}&page_number=3`))];
    expect(pages.map((f) => f.id)).toEqual(all.map((f) => f.id));

    const dispatches = await fulfilments(`${mine}&fulfillment_type=DISPATCH&page_size=100`);
    expect(dispatches).toHaveLength(12);
    expect(dispatches.every((f) => f.type === 'DISPATCH' && f.outlet_id === fx.warehouseId)).toBe(true);
    expect(await fulfilments(`${mine}&outlet_id=${fx.otherStoreId}&page_size=100`)).toHaveLength(12);
    expect(await fulfilments(`${mine}&outlet_id=${fx.otherStoreId}&outlet_id=${fx.warehouseId}&page_size=100`)).toHaveLength(24);
    expect(await fulfilments(`sale_id=${sales[0]?.id}&sale_id=${sales[1]?.id}`)).toHaveLength(4);

    expect((await h.api('/fulfillments/fulfill', { method: 'POST', json: { sale_id: sales[0]?.id } })).status).toBe(200);
    expect((await fulfilments(`${mine}&fulfillment_state=FULFILLED&page_size=100`)).map((f) => f.sale_id)).toEqual([sales[0]?.id, sales[0]?.id]);
    expect(await fulfilments(`${mine}&fulfillment_state=OPEN&fulfillment_state=STARTED&page_size=100`)).toHaveLength(22);
    expect(await fulfilments(`${mine}&fulfillment_type=SERVICE`)).toEqual([]);

    for (const bad of ['page_size=0', 'page_size=101', 'page_number=0', 'fulfillment_type=COURIER', 'fulfillment_state=DONE', 'page_size=ten']) {
      expect((await h.api(`/fulfillments?${bad}`)).status, bad).toBe(400);
    }
  });
});

describe('staff at the outlet (control API, as the register page uses it)', () => {
  const control = async (path: string, init: { method?: string; json?: unknown } = {}) => {
    const res = await fetch(`${h.origin}/_sandbox/retailers/${h.sandbox.domainPrefix}${path}`, {
      method: init.method ?? 'GET',
      headers: init.json === undefined ? {} : { 'content-type': 'application/json' },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  type Open = { id: string; type: string; note: string; line_items: { sale_line_item_id: string; fulfilled_quantity: string }[]; sale: { invoice_number: string; status: string } };

  it('a till sale marked for delivery waits at the outlet; staff dispatch part of it with a tracking number, then the rest', async () => {
    const product = await freshProduct({ [fx.storeId]: 9 });
    const sold = await control('/sell', { method: 'POST', json: { register_id: fx.registerId, fulfillment: 'DISPATCH', lines: [{ product_id: product.id, quantity: 3 }] } });
    expect(sold.status).toBe(200);
    const sale = (sold.body as { sale: SaleJson }).sale;
    expect(sale).toMatchObject({ state: 'pending', attributes: ['delivery'] });
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(9);

    const listed = (await control(`/fulfillments?outlet_id=${fx.storeId}`)).body as Open[];
    const order = listed.find((o) => o.sale.invoice_number === sale.invoice_number);
    expect(order).toMatchObject({ type: 'DISPATCH', sale: { status: 'AWAITING_DISPATCH' } });
    expect((await control(`/fulfillments?outlet_id=${fx.warehouseId}`)).body as Open[]).not.toContainEqual(expect.objectContaining({ id: order?.id }));

    const line = order?.line_items[0]?.sale_line_item_id;
    const part = await control('/fulfil', { method: 'POST', json: { fulfillment_id: order?.id, lines: [{ sale_line_item_id: line, quantity: 1 }], tracking_number: 'TRK-0001' } });
    expect(part.status).toBe(200);
    expect((part.body as Open[])[0]).toMatchObject({ note: 'Tracking number: TRK-0001', line_items: [{ fulfilled_quantity: '1' }] });
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(8);
    expect((await control('/fulfil', { method: 'POST', json: { fulfillment_id: order?.id, lines: [{ sale_line_item_id: line, quantity: 5 }] } })).status).toBe(400);
    expect((await control('/fulfil', { method: 'POST', json: { fulfillment_id: order?.id, sale_id: sale.id } })).status).toBe(422);

    const rest = await control('/fulfil', { method: 'POST', json: { fulfillment_id: order?.id } });
    expect((rest.body as Open[])[0]?.sale.status).toBe('DISPATCHED_CLOSED');
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(6);
    expect((await control(`/fulfillments?outlet_id=${fx.storeId}`)).body as Open[]).not.toContainEqual(expect.objectContaining({ id: order?.id }));
    expect((await control('/fulfil', { method: 'POST', json: { fulfillment_id: order?.id } })).status).toBe(409);
  });

  it('an offline register cannot take a sale for later delivery or pickup ("not available while in Offline mode"), and holds nothing', async () => {
    const product = await freshProduct({ [fx.storeId]: 4 });
    h.sandbox.control.setRegisterOffline(undefined, fx.registerId);
    try {
      const refused = await control('/sell', { method: 'POST', json: { register_id: fx.registerId, fulfillment: 'PICKUP', lines: [{ product_id: product.id, quantity: 1 }] } });
      expect(refused.status).toBe(409);
      expect((refused.body as { error: string }).error).toMatch(/offline/);
      expect(h.sandbox.control.state().held_sales).toHaveLength(0);
    } finally {
      h.sandbox.control.setRegisterOnline(undefined, fx.registerId);
    }
    expect(levelOf(h.sandbox, product.id, fx.storeId)).toBe(4);
  });
});
