/**
 * The sale policies (src/sandbox/lightspeed/policies.ts): every behaviour the X-Series docs leave
 * open has a named switch. Each test shows the default and then, after switching the policy over
 * HTTP (`PUT /_sandbox/policies`), the alternative — through the retailer API, never the
 * sandbox's state.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { saleBody, saleFixture, startSandbox, type FulfillmentJson, type Harness, type InventoryJson, type SaleFixture, type SaleJson } from './helpers';

let h: Harness;
let fx: SaleFixture;
let defaults: Record<string, unknown>;
let nextProduct = 0;

const setPolicies = async (changes: Record<string, unknown>) => {
  const res = await fetch(`${h.origin}/_sandbox/policies`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(changes) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Record<string, unknown>;
};

/** A product no other test has touched, with a known level at the outlets a test uses. */
const freshProduct = (levels: Record<string, number>) => {
  const product = fx.products[nextProduct++];
  if (!product) throw new Error('ran out of seeded products');
  for (const [outletId, level] of Object.entries(levels)) h.sandbox.control.setInventoryLevel(undefined, { outlet_id: outletId, product_id: product.id, level });
  return product;
};
/** The level at one outlet, read through `GET /inventory/{product_id}`. */
const stockAt = async (productId: string, outletId: string): Promise<number> => {
  const res = await h.api(`/inventory/${productId}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as InventoryJson[]).find((r) => r.outlet_id === outletId)?.current_inventory_level ?? 0;
};
const createSale = async (body: Record<string, unknown>): Promise<SaleJson> => {
  const res = await h.api('/sales', { method: 'POST', json: body });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { data: SaleJson }).data;
};
const readSale = async (id: string): Promise<SaleJson> => ((await (await h.api(`/sales/${id}`)).json()) as { data: SaleJson }).data;
/** The legacy status, read through the deprecated `status` filter of `/search`. */
const legacyStatus = async (sale: SaleJson, candidates: string[]): Promise<string[]> => {
  const found: string[] = [];
  for (const status of candidates) {
    const res = await h.api(`/search?type=sales&status=${status}&invoice_number=${encodeURIComponent(sale.invoice_number)}`);
    expect(res.status).toBe(200);
    if (((await res.json()) as { data: SaleJson[] }).data.some((s) => s.id === sale.id)) found.push(status);
  }
  return found;
};
const fulfilments = async (saleId: string): Promise<FulfillmentJson[]> => {
  const res = await h.api(`/fulfillments?sale_id=${saleId}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: FulfillmentJson[] }).data;
};
const fulfilLines = (f: FulfillmentJson | undefined, lines: { id: string | undefined; quantity: number }[]) =>
  h.api(`/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: { version: f?.version, line_items: lines.map((l) => ({ sale_line_item_id: l.id, quantity: l.quantity })) } });

beforeAll(async () => {
  h = await startSandbox();
  fx = saleFixture(h.sandbox);
  const res = await fetch(`${h.origin}/_sandbox/policies`);
  defaults = (await res.json()) as Record<string, unknown>;
});
afterAll(() => h.close());
afterEach(async () => {
  await setPolicies(defaults);
});

describe('sale policies switched over HTTP', () => {
  it('GET /_sandbox/policies lists every switch with its default, and a bad value is refused and changes nothing', async () => {
    expect(defaults).toEqual({
      stockTiming: 'at-fulfilment',
      existingSaleId: 'update',
      duplicateSourceId: 'allow',
      legacyStatusPrecedence: 'fulfilment',
      attributeErrorStatus: 422,
      openSaleStock: 'take',
      fulfilReplay: 'answer-again',
      addToFulfilledFulfilment: 'reopen',
      closeAwaitingSale: 'fulfil-all',
      voidFulfilments: 'remove',
      impliedFulfilmentAttribute: 'from-lines',
    });
    for (const bad of [{ openSaleStock: 'sometimes' }, { attributeErrorStatus: 409 }, { noSuchPolicy: true }]) {
      const res = await fetch(`${h.origin}/_sandbox/policies`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bad) });
      expect(res.status, JSON.stringify(bad)).toBe(422);
    }
    expect(await (await fetch(`${h.origin}/_sandbox/policies`)).json()).toEqual(defaults);
  });

  it('legacyStatusPrecedence: a pending on-account sale for delivery is AWAITING_DISPATCH by default, ONACCOUNT under payment, and awaits dispatch either way', async () => {
    const product = freshProduct({ [fx.warehouseId]: 10 });
    const body = () => saleBody(fx, { state: 'pending', attributes: ['onaccount', 'delivery'], fulfillmentOutletId: fx.warehouseId, lines: [{ productId: product.id, quantity: 1 }] });
    const byFulfilment = await createSale(body());
    expect(await legacyStatus(byFulfilment, ['AWAITING_DISPATCH', 'ONACCOUNT'])).toEqual(['AWAITING_DISPATCH']);

    await setPolicies({ legacyStatusPrecedence: 'payment' });
    const byPayment = await createSale(body());
    expect(byPayment).toMatchObject({ state: 'pending', attributes: ['onaccount', 'delivery'] });
    expect(await legacyStatus(byPayment, ['AWAITING_DISPATCH', 'ONACCOUNT'])).toEqual(['ONACCOUNT']);
    // Still a sale to dispatch: its fulfilment exists, fulfilling moves the stock and closes it.
    expect((await fulfilments(byPayment.id)).map((f) => [f.type, f.state])).toEqual([['DISPATCH', 'OPEN']]);
    expect((await h.api('/fulfillments/fulfill', { method: 'POST', json: { sale_id: byPayment.id } })).status).toBe(200);
    expect(await readSale(byPayment.id)).toMatchObject({ state: 'closed', attributes: ['onaccount', 'delivery'] });
    expect(await legacyStatus(byPayment, ['DISPATCHED_CLOSED', 'ONACCOUNT_CLOSED'])).toEqual(['ONACCOUNT_CLOSED']);
    expect(await stockAt(product.id, fx.warehouseId)).toBe(9);
  });

  it('attributeErrorStatus: mutually exclusive or unknown attributes are a 422 by default, a 400 under 400, and book nothing', async () => {
    const product = freshProduct({ [fx.storeId]: 10 });
    const attempt = (attributes: string[]) => h.api('/sales', { method: 'POST', json: saleBody(fx, { state: 'pending', attributes, lines: [{ productId: product.id, quantity: 1 }] }) });
    expect((await attempt(['pickup', 'delivery'])).status).toBe(422);
    await setPolicies({ attributeErrorStatus: 400 });
    for (const attributes of [['pickup', 'delivery'], ['gift-wrap']]) {
      const res = await attempt(attributes);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/attributes: /);
    }
    const sales = (await (await h.api(`/search?type=sales&product_id=${product.id}`)).json()) as { data: SaleJson[] };
    expect(sales.data).toEqual([]);
    expect(await stockAt(product.id, fx.storeId)).toBe(10);
  });

  it('openSaleStock: an OPEN sale takes its stock when booked by default; under none only when it closes, and a void gives back what was taken', async () => {
    const product = freshProduct({ [fx.storeId]: 10 });
    const line = (id?: string) => [{ productId: product.id, quantity: 2, ...(id ? { id } : {}) }];
    await createSale(saleBody(fx, { state: 'pending', lines: line() }));
    expect(await stockAt(product.id, fx.storeId)).toBe(8);

    await setPolicies({ openSaleStock: 'none' });
    const open = await createSale(saleBody(fx, { state: 'pending', lines: line() }));
    expect(await legacyStatus(open, ['OPEN'])).toEqual(['OPEN']);
    expect(await stockAt(product.id, fx.storeId)).toBe(8);
    const closed = await h.api(`/sales/${open.id}`, { method: 'PUT', json: saleBody(fx, { state: 'closed', lines: line(open.line_items[0]?.id) }) });
    expect(closed.status).toBe(200);
    expect(await stockAt(product.id, fx.storeId)).toBe(6);
    expect((await h.api(`/sales/${open.id}`, { method: 'PUT', json: { source: { author_id: fx.userId }, state: 'voided' } })).status).toBe(200);
    expect(await stockAt(product.id, fx.storeId)).toBe(8);
  });

  it('fulfilReplay: the exact repeat of a line fulfilment answers again by default; under conflict it is refused with 409; stock moves once either way', async () => {
    const product = freshProduct({ [fx.warehouseId]: 5 });
    const body = () => saleBody(fx, { state: 'pending', fulfillmentOutletId: fx.warehouseId, lines: [{ productId: product.id, quantity: 2, method: 'DISPATCH' }] });
    const first = (await fulfilments((await createSale(body())).id))[0];
    const lines = [{ id: first?.line_items[0]?.sale_line_item_id, quantity: 1 }];
    expect((await fulfilLines(first, lines)).status).toBe(200);
    expect((await fulfilLines(first, lines)).status).toBe(200);
    expect(await stockAt(product.id, fx.warehouseId)).toBe(4);

    await setPolicies({ fulfilReplay: 'conflict' });
    const second = (await fulfilments((await createSale(body())).id))[0];
    const secondLines = [{ id: second?.line_items[0]?.sale_line_item_id, quantity: 1 }];
    expect((await fulfilLines(second, secondLines)).status).toBe(200);
    const repeat = await fulfilLines(second, secondLines);
    expect(repeat.status).toBe(409);
    expect(((await repeat.json()) as { error: string }).error).toMatch(/fulfillment version is \d+, not \d+/);
    expect(await stockAt(product.id, fx.warehouseId)).toBe(3);
    expect((await fulfilments(second?.sale_id ?? ''))[0]?.line_items[0]?.fulfilled_quantity).toBe('1');
  });

  it('addToFulfilledFulfilment: units added at a done fulfilment reopen it by default; under refuse the update is a 422 and changes nothing', async () => {
    const shipped = freshProduct({ [fx.warehouseId]: 10 });
    const collected = freshProduct({ [fx.otherStoreId]: 10 });
    const sale = await createSale(
      saleBody(fx, {
        state: 'pending',
        lines: [
          { productId: shipped.id, quantity: 1, method: 'DISPATCH', outletId: fx.warehouseId },
          { productId: collected.id, quantity: 1, method: 'PICKUP', outletId: fx.otherStoreId },
        ],
      }),
    );
    const dispatch = (await fulfilments(sale.id)).find((f) => f.type === 'DISPATCH');
    expect((await fulfilLines(dispatch, [{ id: dispatch?.line_items[0]?.sale_line_item_id, quantity: 1 }])).status).toBe(200);
    const [dispatchLine, pickupLine] = sale.line_items;
    const update = saleBody(fx, {
      state: 'pending',
      lines: [
        { id: dispatchLine?.id, productId: shipped.id, quantity: 1, outletId: fx.warehouseId },
        { id: pickupLine?.id, productId: collected.id, quantity: 1, outletId: fx.otherStoreId },
        { productId: shipped.id, quantity: 2, outletId: fx.warehouseId },
      ],
    });

    const done = (await fulfilments(sale.id)).find((f) => f.type === 'DISPATCH');
    expect(done?.state).toBe('FULFILLED');
    await setPolicies({ addToFulfilledFulfilment: 'refuse' });
    const refused = await h.api(`/sales/${sale.id}`, { method: 'PUT', json: update });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: string }).error).toMatch(/is already fulfilled: units cannot be added to it/);
    expect((await readSale(sale.id)).line_items).toHaveLength(2);
    expect((await fulfilments(sale.id)).find((f) => f.type === 'DISPATCH')).toEqual(done);

    await setPolicies({ addToFulfilledFulfilment: 'reopen' });
    expect((await h.api(`/sales/${sale.id}`, { method: 'PUT', json: update })).status).toBe(200);
    const reopened = (await fulfilments(sale.id)).find((f) => f.type === 'DISPATCH');
    expect(reopened).toMatchObject({ id: dispatch?.id, state: 'OPEN' });
    expect(reopened?.line_items.map((l) => [l.quantity, l.fulfilled_quantity])).toEqual([
      ['1', '1'],
      ['2', '0'],
    ]);
    expect(await stockAt(shipped.id, fx.warehouseId)).toBe(9);
  });

  it('closeAwaitingSale: PUT closed on a sale awaiting pickup fulfils it by default; under refuse it is a 422 until the sale is fulfilled', async () => {
    const product = freshProduct({ [fx.otherStoreId]: 6 });
    const book = () => createSale(saleBody(fx, { state: 'pending', attributes: ['pickup'], fulfillmentOutletId: fx.otherStoreId, lines: [{ productId: product.id, quantity: 2 }] }));
    const close = (sale: SaleJson) =>
      h.api(`/sales/${sale.id}`, { method: 'PUT', json: saleBody(fx, { state: 'closed', fulfillmentOutletId: fx.otherStoreId, lines: [{ id: sale.line_items[0]?.id, productId: product.id, quantity: 2 }] }) });
    const collected = await book();
    expect((await close(collected)).status).toBe(200);
    expect(await legacyStatus(collected, ['PICKED_UP_CLOSED'])).toEqual(['PICKED_UP_CLOSED']);
    expect(await stockAt(product.id, fx.otherStoreId)).toBe(4);

    await setPolicies({ closeAwaitingSale: 'refuse' });
    const waiting = await book();
    const refused = await close(waiting);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: string }).error).toMatch(/awaits pickup: fulfil it/);
    expect(await readSale(waiting.id)).toMatchObject({ state: 'pending', attributes: ['pickup'] });
    expect((await fulfilments(waiting.id)).map((f) => f.state)).toEqual(['OPEN']);
    expect(await stockAt(product.id, fx.otherStoreId)).toBe(4);
    expect((await h.api('/fulfillments/fulfill', { method: 'POST', json: { sale_id: waiting.id } })).status).toBe(200);
    expect(await legacyStatus(waiting, ['PICKED_UP_CLOSED'])).toEqual(['PICKED_UP_CLOSED']);
    expect(await stockAt(product.id, fx.otherStoreId)).toBe(2);
  });

  it('voidFulfilments: a void removes the fulfilments by default; under keep they stay readable, nothing more can be fulfilled, and staff no longer see them', async () => {
    const product = freshProduct({ [fx.warehouseId]: 10 });
    const book = async () => {
      const sale = await createSale(saleBody(fx, { state: 'pending', fulfillmentOutletId: fx.warehouseId, lines: [{ productId: product.id, quantity: 4, method: 'DISPATCH' }] }));
      const [f] = await fulfilments(sale.id);
      expect((await fulfilLines(f, [{ id: f?.line_items[0]?.sale_line_item_id, quantity: 3 }])).status).toBe(200);
      return { sale, f };
    };
    const voidIt = (sale: SaleJson) => h.api(`/sales/${sale.id}`, { method: 'PUT', json: { source: { author_id: fx.userId }, state: 'voided' } });
    const first = await book();
    expect((await voidIt(first.sale)).status).toBe(200);
    expect(await fulfilments(first.sale.id)).toEqual([]);

    await setPolicies({ voidFulfilments: 'keep' });
    const kept = await book();
    expect(await stockAt(product.id, fx.warehouseId)).toBe(7);
    expect((await voidIt(kept.sale)).status).toBe(200);
    expect(await stockAt(product.id, fx.warehouseId)).toBe(10);
    const after = await fulfilments(kept.sale.id);
    expect(after.map((f) => [f.id, f.state, f.line_items[0]?.quantity, f.line_items[0]?.fulfilled_quantity])).toEqual([[kept.f?.id, 'OPEN', '4', '3']]);
    expect((await h.api('/fulfillments/fulfill', { method: 'POST', json: { sale_id: kept.sale.id } })).status).toBe(409);
    expect((await fulfilLines(after[0], [{ id: after[0]?.line_items[0]?.sale_line_item_id, quantity: 1 }])).status).toBe(409);
    expect(await stockAt(product.id, fx.warehouseId)).toBe(10);
    // Staff voiding at the register (control API) keep them too.
    const atTill = await book();
    const voided = await fetch(`${h.origin}/_sandbox/retailers/${h.sandbox.domainPrefix}/void`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sale_id: atTill.sale.id }) });
    expect(voided.status).toBe(200);
    expect((await fulfilments(atTill.sale.id)).map((f) => f.line_items[0]?.fulfilled_quantity)).toEqual(['3']);
    expect(await stockAt(product.id, fx.warehouseId)).toBe(10);
    const toFulfil = (await (await fetch(`${h.origin}/_sandbox/retailers/${h.sandbox.domainPrefix}/fulfillments?outlet_id=${fx.warehouseId}`)).json()) as { id: string }[];
    expect(toFulfil.map((f) => f.id)).not.toContain(kept.f?.id);
    expect(toFulfil.map((f) => f.id)).not.toContain(atTill.f?.id);
  });

  it('impliedFulfilmentAttribute: a DISPATCH line method marks a new sale for delivery by default; under explicit only attributes do', async () => {
    const product = freshProduct({ [fx.warehouseId]: 10 });
    const body = () => saleBody(fx, { state: 'pending', fulfillmentOutletId: fx.warehouseId, lines: [{ productId: product.id, quantity: 1, method: 'DISPATCH' }] });
    const implied = await createSale(body());
    expect(implied).toMatchObject({ state: 'pending', attributes: ['delivery'] });
    expect((await fulfilments(implied.id)).map((f) => f.type)).toEqual(['DISPATCH']);
    expect(await stockAt(product.id, fx.warehouseId)).toBe(10);

    await setPolicies({ impliedFulfilmentAttribute: 'explicit' });
    const plain = await createSale(body());
    expect(plain).toMatchObject({ state: 'pending', attributes: [] });
    expect(await legacyStatus(plain, ['OPEN', 'AWAITING_DISPATCH'])).toEqual(['OPEN']);
    expect(await fulfilments(plain.id)).toEqual([]);
    // An OPEN sale takes its stock at its fulfilment outlet when booked (openSaleStock: take).
    expect(await stockAt(product.id, fx.warehouseId)).toBe(9);
    // Naming the attribute still marks it for delivery.
    const marked = await createSale(saleBody(fx, { state: 'pending', attributes: ['delivery'], fulfillmentOutletId: fx.warehouseId, lines: [{ productId: product.id, quantity: 1, method: 'DISPATCH' }] }));
    expect((await fulfilments(marked.id)).map((f) => f.type)).toEqual(['DISPATCH']);
  });
});
