/**
 * The Lightspeed client against the emulated retailer over real HTTP, every endpoint group the
 * app needs: set-up data for booking sales, products (cursor, get, SKU, families, attributes,
 * barcodes), inventory (cursor, per product), sales (dispatch/pickup lines at different
 * fulfilment outlets, update, fulfil, return, void, safe retry by id), stock adjustments in the
 * fewest requests, consignments and webhook subscriptions. Tokens come from the real code
 * exchange; results are read back from the API and checked against the sandbox's own state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAll } from '@/integrations/lightspeed/paging';
import { LightspeedBatchError, type InventoryRecord, type LightspeedClient, type NewStockAdjustment, type Product } from '@/integrations/lightspeed';
import { must, startClientSandbox, STORE_ID, type ClientSandbox } from './lightspeed-client-sandbox-harness';

let h: ClientSandbox;
let client: LightspeedClient;

interface Fixture {
  registerId: string;
  registerOutletId: string;
  warehouseId: string;
  otherStoreId: string;
  authorId: string;
  paymentTypeId: string;
  taxId: string;
  simple: Product[];
}
let fx: Fixture;

const level = (productId: string, outletId: string): number => h.sandbox.control.state().inventory[`${productId}:${outletId}`]?.current_inventory_level ?? NaN;
const callsTo = (method: string, path: string) => h.calls.filter((c) => c.method === method && c.path === path);

beforeAll(async () => {
  h = await startClientSandbox();
  client = h.client();
  await client.refreshRegisterCount();

  const outlets = await collectAll(client.outlets.all());
  const registers = await collectAll(client.registers.all());
  const register = must(
    registers.find((r) => r.isOpen),
    'an open register',
  );
  const summary = h.sandbox.control.retailer();
  const warehouse = must(
    summary.outlets.find((o) => o.kind === 'warehouse'),
    'a warehouse',
  );
  const otherStore = must(
    outlets.find((o) => o.id !== register.outletId && o.id !== warehouse.id),
    'a second store',
  );
  const author = await client.users.current();
  const paymentTypes = await collectAll(client.paymentTypes.all());
  const taxes = await collectAll(client.taxes.all());
  const tax = must(
    taxes.find((t) => t.rate === 0) ?? taxes[0],
    'a tax',
  );
  const products = await collectAll(client.products.iterate({ pageSize: 1000 }));
  fx = {
    registerId: register.id,
    registerOutletId: register.outletId,
    warehouseId: warehouse.id,
    otherStoreId: otherStore.id,
    authorId: author.id,
    paymentTypeId: must(paymentTypes.find((p) => !p.disabled), 'a payment type').id,
    taxId: tax.id,
    simple: products.filter((p) => !p.hasVariants && p.tracksInventory && p.deletedAt === null && p.active),
  };
});

afterAll(async () => {
  await h?.close();
});

describe('set-up data for booking sales', () => {
  it('reads outlets, registers, users, payment types and taxes, and sizes the budget from the registers', async () => {
    const state = h.sandbox.control.state();
    const outlets = await collectAll(client.outlets.all());
    expect(outlets.map((o) => o.id).sort()).toEqual(Object.keys(state.outlets).sort());
    const one = must(outlets[0], 'an outlet');
    expect(await client.outlets.get(one.id)).toMatchObject({ id: one.id, name: one.name, version: one.version });
    expect(await client.outlets.get('00000000-0000-4000-8000-000000000000')).toBeNull();

    const registers = await collectAll(client.registers.all());
    expect(registers.map((r) => r.id).sort()).toEqual(Object.keys(state.registers).sort());
    expect(registers.every((r) => state.outlets[r.outletId] !== undefined)).toBe(true);
    expect(await client.registers.get(fx.registerId)).toMatchObject({ id: fx.registerId, outletId: fx.registerOutletId, isOpen: true });
    // 300 × registers + 50, the number the sandbox enforces too.
    const live = registers.filter((r) => r.deletedAt === null).length;
    expect(client.budget.limit).toBe(300 * live + 50);
    expect(client.budget.limit).toBe(h.sandbox.control.retailer().rate_limit);

    const users = await collectAll(client.users.all());
    expect(users.map((u) => u.id).sort()).toEqual(Object.keys(state.users).sort());
    expect(users.map((u) => u.id)).toContain(fx.authorId);

    const paymentTypes = await collectAll(client.paymentTypes.all());
    expect(paymentTypes.map((p) => p.id).sort()).toEqual(Object.keys(state.payment_types).sort());
    expect(paymentTypes.find((p) => p.id === fx.paymentTypeId)?.name).toBe(state.payment_types[fx.paymentTypeId]?.name);

    const taxes = await collectAll(client.taxes.all());
    expect(taxes.map((t) => t.id).sort()).toEqual(Object.keys(state.taxes).sort());
    for (const t of taxes) expect(t.rate).toBe(state.taxes[t.id]?.rate);
    expect(taxes.filter((t) => t.isDefault)).toHaveLength(Object.values(state.taxes).filter((t) => t.is_default).length);
  });
});

describe('products', () => {
  it('pages by the version cursor while the catalog changes between pages: every change seen, nothing twice', async () => {
    const before = h.sandbox.control.state();
    const seen: Product[] = [];
    let after: number | undefined;
    let pages = 0;
    const early = must(fx.simple[0], 'a product');
    const late = must(fx.simple[fx.simple.length - 1], 'another product');
    for (;;) {
      const page = await client.products.list({ after, pageSize: 40 });
      if (page.items.length === 0) break;
      seen.push(...page.items);
      pages++;
      if (pages === 1) {
        // One product already read and one not yet read change between pages.
        h.sandbox.control.changeProduct(undefined, early.id, { name: `${early.name} (renamed)` });
        h.sandbox.control.changeProduct(undefined, late.id, { price_excluding_tax: 123.45 });
      }
      after = must(page.nextAfter, 'a cursor');
    }
    const finalState = h.sandbox.control.state();
    expect(pages).toBeGreaterThan(Object.keys(before.products).length / 40);
    // No (id, version) twice, and every product at its final version.
    const pairs = seen.map((p) => `${p.id}@${p.version}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    const newest = new Map<string, Product>();
    for (const p of seen) if ((newest.get(p.id)?.version ?? -1) < p.version) newest.set(p.id, p);
    const live = Object.values(finalState.products).filter((p) => p.deleted_at === null);
    expect([...newest.keys()].sort()).toEqual(live.map((p) => p.id).sort());
    for (const p of live) expect(newest.get(p.id)?.version).toBe(p.version);
    expect(newest.get(early.id)?.name).toBe(`${early.name} (renamed)`);
    expect(newest.get(late.id)?.priceExcludingTax).toBe(123.45);
    // The already-read product came round again with its new version; the other once only.
    expect(seen.filter((p) => p.id === early.id)).toHaveLength(2);
    expect(seen.filter((p) => p.id === late.id)).toHaveLength(1);
  });

  it('gets one product, finds it by SKU, and exposes its barcodes', async () => {
    const product = must(fx.simple[3], 'a product');
    const got = must(await client.products.get(product.id), 'the product');
    expect(got).toMatchObject({ id: product.id, sku: product.sku, tracksInventory: true });
    const stored = must(h.sandbox.control.state().products[product.id], 'stored product');
    expect(got.productCodes).toEqual(stored.product_codes.map((c) => ({ type: c.type, code: c.code })));
    expect(got.productCodes.length).toBeGreaterThan(0);
    expect(got.productCodes.every((c) => /^\d{12,13}$/.test(c.code))).toBe(true);

    const bySku = await client.products.findBySku(product.sku);
    expect(bySku.map((p) => p.id)).toEqual([product.id]);
    expect(await client.products.findBySku('NO-SUCH-SKU-123')).toEqual([]);
    expect(await client.products.get('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('reads a variant family and the variant attributes', async () => {
    const state = h.sandbox.control.state();
    const parent = must(
      Object.values(state.products).find((p) => p.is_family_parent && p.deleted_at === null),
      'a family parent',
    );
    const expected = Object.values(state.products)
      .filter((p) => p.family_id === parent.family_id && p.deleted_at === null)
      .map((p) => p.id)
      .sort();
    const family = await client.products.family(parent.id);
    expect(family.map((p) => p.id).sort()).toEqual(expected);
    expect(family.length).toBeGreaterThan(2);
    const variants = family.filter((p) => p.id !== parent.id);
    expect(variants.every((p) => p.variantParentId === parent.id && p.familyId === parent.family_id)).toBe(true);
    expect(variants.every((p) => p.variantOptions.length > 0)).toBe(true);

    const attributes = await client.variantAttributes.list();
    expect(attributes.map((a) => a.name).sort()).toEqual(Object.values(state.variant_attributes).map((a) => a.name).sort());
    const optionNames = new Set(variants.flatMap((v) => v.variantOptions.map((o) => o.name)));
    for (const name of optionNames) expect(attributes.map((a) => a.name)).toContain(name);
    const first = must(attributes[0], 'an attribute');
    expect(await client.variantAttributes.get(first.id)).toEqual(first);
  });
});

describe('inventory', () => {
  it('pages POST /inventory by cursor with sales happening between pages: the newest level of every record, nothing twice', async () => {
    const seen: InventoryRecord[] = [];
    let after: number | undefined;
    let pages = 0;
    const sold = must(fx.simple[5], 'a product');
    for (;;) {
      const page = await client.inventory.list({ after, size: 200 });
      if (page.items.length === 0) break;
      // Ascending by version: the cursor only works that way (the endpoint's default is descending).
      const versions = page.items.map((i) => i.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      seen.push(...page.items);
      pages++;
      if (pages === 2) {
        h.sandbox.control.sell(undefined, { register_id: fx.registerId, lines: [{ product_id: sold.id, quantity: 1 }] });
        h.sandbox.control.setInventoryLevel(undefined, { outlet_id: fx.warehouseId, product_id: sold.id, level: 77 });
      }
      after = must(page.nextAfter, 'a cursor');
    }
    expect(pages).toBeGreaterThan(3);
    const pairs = seen.map((i) => `${i.id}@${i.version}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    const newest = new Map<string, InventoryRecord>();
    for (const i of seen) if ((newest.get(i.id)?.version ?? -1) < i.version) newest.set(i.id, i);
    const state = h.sandbox.control.state();
    const live = Object.values(state.inventory).filter((i) => i.deleted_at === null);
    expect(newest.size).toBe(live.length);
    for (const record of live) {
      expect(newest.get(record.id)).toMatchObject({ productId: record.product_id, outletId: record.outlet_id, onHand: record.current_inventory_level, version: record.version });
    }
    expect([...newest.values()].find((i) => i.productId === sold.id && i.outletId === fx.warehouseId)?.onHand).toBe(77);
  });

  it('reads one product at every outlet, and a whole family with variants', async () => {
    const product = must(fx.simple[7], 'a product');
    const state = h.sandbox.control.state();
    const records = await client.inventory.forProduct(product.id);
    expect(records.map((r) => r.outletId).sort()).toEqual(Object.keys(state.outlets).sort());
    for (const r of records) expect(r.onHand).toBe(level(product.id, r.outletId));

    const parent = must(
      Object.values(state.products).find((p) => p.is_family_parent && p.has_inventory && p.deleted_at === null),
      'a tracked family',
    );
    const family = await client.inventory.forProduct(parent.id, { variants: true });
    const members = new Set(Object.values(state.products).filter((p) => p.family_id === parent.family_id).map((p) => p.id));
    expect(family.length).toBeGreaterThan(Object.keys(state.outlets).length);
    expect(family.every((r) => members.has(r.productId))).toBe(true);
  });
});

describe('sales', () => {
  const line = (product: Product, quantity: number, extra: Record<string, unknown> = {}) => ({
    productId: product.id,
    quantity,
    price: product.priceExcludingTax ?? 10,
    taxId: fx.taxId,
    taxAmount: 0,
    ...extra,
  });

  it('books a sale with a dispatch line and a pickup line at different fulfilment outlets, then fulfils it', async () => {
    const shipped = must(fx.simple[10], 'a product');
    const collected = must(fx.simple[11], 'a product');
    h.sandbox.control.setInventoryLevel(undefined, { outlet_id: fx.warehouseId, product_id: shipped.id, level: 20 });
    h.sandbox.control.setInventoryLevel(undefined, { outlet_id: fx.otherStoreId, product_id: collected.id, level: 20 });
    const untouched = [level(shipped.id, fx.registerOutletId), level(collected.id, fx.registerOutletId), level(shipped.id, fx.otherStoreId), level(collected.id, fx.warehouseId)];

    const sale = await client.sales.create({
      authorId: fx.authorId,
      registerId: fx.registerId,
      sourceId: 'bc-order-1001',
      sourceType: 'BigCommerce',
      state: 'pending',
      fulfillmentOutletId: fx.warehouseId,
      lineItems: [
        line(shipped, 3, { fulfillmentOutletId: fx.warehouseId, fulfillmentMethod: 'DISPATCH' }),
        line(collected, 2, { fulfillmentOutletId: fx.otherStoreId, fulfillmentMethod: 'PICKUP' }),
      ],
      payments: [{ paymentTypeId: fx.paymentTypeId, amount: 3 * (shipped.priceExcludingTax ?? 10) + 2 * (collected.priceExcludingTax ?? 10) }],
    });
    expect(sale).toMatchObject({ sourceId: 'bc-order-1001', state: 'pending' });
    expect(sale.lineItems.map((l) => [l.productId, l.quantity])).toEqual([
      [shipped.id, 3],
      [collected.id, 2],
    ]);
    // Awaiting dispatch and pickup: no stock has left yet (X-Series moves it when the items are fulfilled).
    expect(level(shipped.id, fx.warehouseId)).toBe(20);
    expect(level(collected.id, fx.otherStoreId)).toBe(20);

    const fulfillments = await client.fulfillments.list({ saleIds: [sale.id] });
    expect(fulfillments.map((f) => [f.outletId, f.type, f.state]).sort()).toEqual(
      [
        [fx.warehouseId, 'DISPATCH', 'OPEN'],
        [fx.otherStoreId, 'PICKUP', 'OPEN'],
      ].sort(),
    );
    const done = await client.fulfillments.fulfillSale(sale.id);
    expect(done.map((f) => f.id).sort()).toEqual(fulfillments.map((f) => f.id).sort());
    // Idempotent per the spec: fulfilling again changes nothing and does not fail.
    expect((await client.fulfillments.fulfillSale(sale.id)).map((f) => f.id).sort()).toEqual(done.map((f) => f.id).sort());
    const after = await client.fulfillments.list({ saleIds: [sale.id] });
    expect(after.every((f) => f.state === 'FULFILLED' && f.lineItems.every((l) => l.fulfilledQuantity === l.quantity))).toBe(true);
    expect(must(await client.sales.get(sale.id), 'the sale').state).toBe('closed');
    // Each line decremented its own fulfilment outlet once, nothing else moved.
    expect(level(shipped.id, fx.warehouseId)).toBe(17);
    expect(level(collected.id, fx.otherStoreId)).toBe(18);
    expect([level(shipped.id, fx.registerOutletId), level(collected.id, fx.registerOutletId), level(shipped.id, fx.otherStoreId), level(collected.id, fx.warehouseId)]).toEqual(untouched);
  });

  it('fulfils a dispatch line by line (partial shipment) with the fulfilment version as a lock', async () => {
    const product = must(fx.simple[17], 'a product');
    h.sandbox.control.setInventoryLevel(undefined, { outlet_id: fx.warehouseId, product_id: product.id, level: 10 });
    const sale = await client.sales.create({
      authorId: fx.authorId,
      registerId: fx.registerId,
      state: 'pending',
      fulfillmentOutletId: fx.warehouseId,
      fulfillmentDetails: [{ type: 'DISPATCH', note: 'two boxes' }],
      lineItems: [line(product, 3, { fulfillmentMethod: 'DISPATCH' })],
    });
    expect(level(product.id, fx.warehouseId)).toBe(10);
    const [open] = await client.fulfillments.list({ saleIds: [sale.id], types: ['DISPATCH'] });
    const fulfillment = must(open, 'the fulfilment');
    const lineId = must(fulfillment.lineItems[0], 'fulfilment line').saleLineItemId;
    const first = await client.fulfillments.fulfillLines(fulfillment.id, { version: fulfillment.version, lines: [{ saleLineItemId: lineId, quantity: 1 }] });
    expect(first.id).toBe(fulfillment.id);
    expect(first.version).toBeGreaterThan(fulfillment.version);
    const partly = must((await client.fulfillments.list({ saleIds: [sale.id] }))[0], 'fulfilment');
    expect(partly).toMatchObject({ state: 'OPEN', version: first.version, lineItems: [{ saleLineItemId: lineId, quantity: 3, fulfilledQuantity: 1 }] });
    expect(must(await client.sales.get(sale.id), 'sale').state).toBe('pending');
    // The one unit shipped has left the warehouse; the other two have not.
    expect(level(product.id, fx.warehouseId)).toBe(9);
    // A stale version is refused (409), and nothing changes.
    const stale = await client.fulfillments.fulfillLines(fulfillment.id, { version: fulfillment.version, lines: [{ saleLineItemId: lineId, quantity: 2 }] }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ name: 'LightspeedApiError', status: 409 });
    const rest = await client.fulfillments.fulfillLines(fulfillment.id, { version: must(first.version, 'version'), lines: [{ saleLineItemId: lineId, quantity: 2 }] });
    expect(rest.version).toBeGreaterThan(must(first.version, 'version'));
    expect(must((await client.fulfillments.list({ saleIds: [sale.id] }))[0], 'fulfilment')).toMatchObject({ state: 'FULFILLED', lineItems: [{ fulfilledQuantity: 3 }] });
    expect(must(await client.sales.get(sale.id), 'sale').state).toBe('closed');
    expect(level(product.id, fx.warehouseId)).toBe(7);
  });

  it('creates a parked sale, updates it (lines with ids kept, others added) and reads it back', async () => {
    const a = must(fx.simple[12], 'a product');
    const b = must(fx.simple[13], 'a product');
    const start = level(a.id, fx.registerOutletId);
    const parked = await client.sales.create({ authorId: fx.authorId, registerId: fx.registerId, state: 'parked', note: 'draft', lineItems: [line(a, 1)] });
    expect(parked.state).toBe('parked');
    expect(level(a.id, fx.registerOutletId)).toBe(start);
    const firstLine = must(parked.lineItems[0]?.id, 'a line id');
    const updated = await client.sales.update(parked.id, {
      authorId: fx.authorId,
      registerId: fx.registerId,
      state: 'closed',
      note: 'paid',
      lineItems: [{ ...line(a, 2), id: firstLine }, line(b, 1)],
      payments: [{ paymentTypeId: fx.paymentTypeId, amount: 2 * (a.priceExcludingTax ?? 10) + (b.priceExcludingTax ?? 10) }],
    });
    expect(updated).toMatchObject({ id: parked.id, state: 'closed', note: 'paid' });
    const read = must(await client.sales.get(parked.id), 'the sale');
    expect(read.lineItems.map((l) => [l.id === firstLine, l.productId, l.quantity])).toEqual([
      [true, a.id, 2],
      [false, b.id, 1],
    ]);
    expect(read.payments).toHaveLength(1);
    expect(level(a.id, fx.registerOutletId)).toBe(start - 2);
    expect(await client.sales.get('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('returns a closed sale: the SAVED return sale is completed and stock comes back', async () => {
    const product = must(fx.simple[14], 'a product');
    const start = level(product.id, fx.registerOutletId);
    const sale = await client.sales.create({
      authorId: fx.authorId,
      registerId: fx.registerId,
      state: 'closed',
      lineItems: [line(product, 2)],
      payments: [{ paymentTypeId: fx.paymentTypeId, amount: 2 * (product.priceExcludingTax ?? 10) }],
    });
    expect(level(product.id, fx.registerOutletId)).toBe(start - 2);
    const returned = await client.sales.startReturn(sale.id);
    expect(returned.state).toBe('parked');
    expect(returned.originalSaleId).toBe(sale.id);
    expect(returned.lineItems.map((l) => [l.productId, l.quantity, l.isReturn])).toEqual([[product.id, -2, true]]);
    const completed = await client.sales.update(returned.id, {
      authorId: fx.authorId,
      registerId: fx.registerId,
      state: 'closed',
      lineItems: returned.lineItems.map((l) => ({ ...line(product, l.quantity), id: must(l.id, 'line id') })),
      payments: [{ paymentTypeId: fx.paymentTypeId, amount: -2 * (product.priceExcludingTax ?? 10) }],
    });
    expect(completed.state).toBe('closed');
    expect(level(product.id, fx.registerOutletId)).toBe(start);
    expect(must(await client.sales.get(sale.id), 'original').returnSaleIds).toEqual([returned.id]);
  });

  it('voids a sale with PUT state voided: stock is put back', async () => {
    const product = must(fx.simple[15], 'a product');
    const start = level(product.id, fx.registerOutletId);
    const sale = await client.sales.create({ authorId: fx.authorId, registerId: fx.registerId, state: 'pending', lineItems: [line(product, 4)] });
    expect(level(product.id, fx.registerOutletId)).toBe(start - 4);
    const voided = await client.sales.void(sale.id, { authorId: fx.authorId });
    expect(voided.state).toBe('voided');
    expect(must(await client.sales.get(sale.id), 'the sale').state).toBe('voided');
    expect(level(product.id, fx.registerOutletId)).toBe(start);
  });

  it('a create with our own sale id survives a lost answer: retried, booked once', async () => {
    const product = must(fx.simple[16], 'a product');
    const start = level(product.id, fx.registerOutletId);
    const id = '5a1e0000-0000-4000-8000-00000000b001';
    let lost = 0;
    const lossy = h.client({
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        // The first POST /sales reaches the retailer and is booked, but its answer never arrives.
        if (init?.method === 'POST' && typeof input === 'string' && input.endsWith('/sales') && lost === 0) {
          lost++;
          await response.arrayBuffer();
          throw new TypeError('fetch failed: socket hang up');
        }
        return response;
      },
    });
    const sale = await lossy.sales.create({ id, authorId: fx.authorId, registerId: fx.registerId, sourceId: 'bc-order-1002', state: 'closed', lineItems: [line(product, 1)] });
    expect(lost).toBe(1);
    expect(sale).toMatchObject({ id, sourceId: 'bc-order-1002', state: 'closed' });
    expect(Object.values(h.sandbox.control.state().sales).filter((s) => s.source.id === 'bc-order-1002')).toHaveLength(1);
    expect(level(product.id, fx.registerOutletId)).toBe(start - 1);
    // A later job run repeating the same create also lands on the one sale.
    const again = await client.sales.create({ id, authorId: fx.authorId, registerId: fx.registerId, sourceId: 'bc-order-1002', state: 'closed', lineItems: [line(product, 1)] });
    expect(again.id).toBe(id);
    expect(level(product.id, fx.registerOutletId)).toBe(start - 1);
  });
});

describe('stock adjustments and consignments', () => {
  it('sends 2,500 adjustments in the fewest requests (3) and the levels move by exactly those deltas', async () => {
    const outlets = [fx.registerOutletId, fx.otherStoreId, fx.warehouseId];
    const adjustments: NewStockAdjustment[] = [];
    const expected = new Map<string, number>();
    for (let i = 0; i < 2500; i++) {
      const product = must(fx.simple[i % fx.simple.length], 'a product');
      const outletId = must(outlets[Math.floor(i / fx.simple.length) % outlets.length], 'an outlet');
      const quantity = i % 5 === 0 ? -1 : 2;
      adjustments.push({ productId: product.id, outletId, quantity, reason: quantity < 0 ? 'DAMAGE' : 'STOCK_FOUND' });
      const key = `${product.id}:${outletId}`;
      expected.set(key, (expected.get(key) ?? 0) + quantity);
    }
    const snapshot = h.sandbox.control.state().inventory;
    const before = new Map([...expected.keys()].map((k) => [k, snapshot[k]?.current_inventory_level ?? 0]));
    const sentBefore = callsTo('POST', '/stock_adjustments').length;
    const created = await client.stockAdjustments.create(adjustments);
    const requests = callsTo('POST', '/stock_adjustments').slice(sentBefore);
    expect(requests).toHaveLength(3);
    expect(requests.every((c) => c.status === 201)).toBe(true);
    expect(created).toHaveLength(2500);
    expect(created.map((a) => [a.productId, a.outletId, a.quantity])).toEqual(adjustments.map((a) => [a.productId, a.outletId, a.quantity]));
    const state = h.sandbox.control.state();
    for (const [key, delta] of expected) expect(state.inventory[key]?.current_inventory_level).toBe((before.get(key) ?? 0) + delta);
    const listed = await client.stockAdjustments.list({ pageSize: 1000 });
    expect(listed.items.length).toBeGreaterThan(0);
  });

  it('a rejected chunk stops the batch and says how far it got', async () => {
    const product = must(fx.simple[0], 'a product');
    const good = Array.from({ length: 1500 }, (): NewStockAdjustment => ({ productId: product.id, outletId: fx.warehouseId, quantity: 1, reason: 'STOCK_FOUND' }));
    const bad: NewStockAdjustment = { productId: '00000000-0000-4000-8000-000000000000', outletId: fx.warehouseId, quantity: 1, reason: 'STOCK_FOUND' };
    const start = level(product.id, fx.warehouseId);
    const error = await client.stockAdjustments.create([...good, bad]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedBatchError);
    expect(error).toMatchObject({ completedItems: 751, totalItems: 1501 });
    expect(level(product.id, fx.warehouseId)).toBe(start + 751);
  });

  it('receives a supplier order of 1,200 lines through /bulk in 500-line requests', async () => {
    const lines = fx.simple.slice(0, 150).map((p) => ({ productId: p.id, count: 5, cost: 2 }));
    // 1,200 lines: the same products eight times; counts accumulate on an OPEN supplier order.
    const many = Array.from({ length: 8 }, () => lines).flat();
    expect(many).toHaveLength(1200);
    const snapshot = h.sandbox.control.state().inventory;
    const before = new Map(lines.map((l) => [l.productId, snapshot[`${l.productId}:${fx.warehouseId}`]?.current_inventory_level ?? NaN]));
    const consignment = await client.consignments.create({ name: 'PO 77', outletId: fx.warehouseId, type: 'SUPPLIER', status: 'OPEN' });
    expect(consignment).toMatchObject({ type: 'SUPPLIER', status: 'OPEN', outletId: fx.warehouseId });
    const sentBefore = callsTo('POST', '/consignments/{consignment_id}/bulk').length;
    await client.consignments.addLines(consignment.id, many);
    expect(callsTo('POST', '/consignments/{consignment_id}/bulk').length - sentBefore).toBe(3);
    const stored = must(h.sandbox.control.state().consignments[consignment.id], 'stored consignment');
    expect(Object.values(stored.lines).map((l) => l.count)).toEqual(lines.map(() => 40));
    const received = await client.consignments.update(consignment.id, { name: 'PO 77', outletId: fx.warehouseId, type: 'SUPPLIER', status: 'RECEIVED' });
    expect(received.status).toBe('RECEIVED');
    expect((await client.consignments.get(consignment.id))?.status).toBe('RECEIVED');
    const after = h.sandbox.control.state().inventory;
    for (const l of lines) expect(after[`${l.productId}:${fx.warehouseId}`]?.current_inventory_level).toBe((before.get(l.productId) ?? 0) + 40);
  });
});

describe('webhook subscriptions', () => {
  it('creates, treats a second create as success (409), lists and deletes', async () => {
    const url = 'https://counterpart.example/api/ls/webhooks/store-1/inventory.update';
    const first = await client.webhooks.create({ type: 'inventory.update', url });
    expect(first.created).toBe(true);
    const id = must(first.webhook, 'the webhook').id;
    const second = await client.webhooks.create({ type: 'inventory.update', url });
    expect(second).toEqual({ created: false, webhook: { id, url, type: 'inventory.update', active: true } });
    expect(callsTo('POST', '/webhooks').map((c) => c.status)).toEqual([201, 409]);
    await client.webhooks.create({ type: 'sale.update', url: url.replace('inventory.update', 'sale.update') });
    const listed = await client.webhooks.list();
    expect(listed.map((w) => w.type).sort()).toEqual(['inventory.update', 'sale.update']);
    expect(Object.keys(h.sandbox.control.state().webhooks).sort()).toEqual(listed.map((w) => w.id).sort());
    expect(await client.webhooks.delete(id)).toBe(true);
    expect(await client.webhooks.delete(id)).toBe(false);
    expect((await client.webhooks.list()).map((w) => w.type)).toEqual(['sale.update']);
  });
});

describe('every call recorded', () => {
  it('records method, templated path, status, duration and attempt for each request', () => {
    expect(h.calls.length).toBeGreaterThan(50);
    for (const c of h.calls) {
      expect(c.path.startsWith('/')).toBe(true);
      expect(c.path).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(c.durationMs).toBeGreaterThanOrEqual(0);
      expect(c.attempt).toBeGreaterThanOrEqual(1);
    }
    const endpoints = new Set(h.calls.map((c) => `${c.method} ${c.path}`));
    for (const e of [
      'GET /outlets',
      'GET /registers',
      'GET /users',
      'GET /user',
      'GET /payment_types',
      'GET /taxes',
      'GET /products',
      'GET /products/{product_id}',
      'GET /search',
      'GET /variant_attributes',
      'POST /inventory',
      'GET /inventory/{product_id}',
      'POST /sales',
      'PUT /sales/{sale_id}',
      'GET /sales/{sale_id}',
      'POST /sales/{sale_id}/actions/return',
      'GET /fulfillments',
      'POST /fulfillments/fulfill',
      'POST /fulfillments/{fulfillment_id}/fulfill',
      'POST /stock_adjustments',
      'POST /consignments/{consignment_id}/bulk',
      'POST /webhooks',
      'GET /webhooks',
      'DELETE /webhooks/{webhookId}',
    ])
      expect(endpoints).toContain(e);
    // The lost answer is on the record too, as a network failure of attempt 1.
    expect(h.calls.some((c) => c.path === '/sales' && c.status === null && c.error === 'network')).toBe(true);
    expect(h.store.reconnect.has(STORE_ID)).toBe(false);
  });
});
