import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidGs1 } from '@/sandbox/lightspeed/ids';
import { startSandbox, type Harness, type InventoryJson, type ProductJson } from './helpers';

let h: Harness;
let outlets: { id: string; name: string }[];
let registers: { id: string; outlet_id: string; is_open: boolean }[];
beforeAll(async () => {
  h = await startSandbox();
  outlets = ((await (await h.api('/outlets')).json()) as { data: { id: string; name: string }[] }).data;
  registers = ((await (await h.api('/registers')).json()) as { data: { id: string; outlet_id: string; is_open: boolean }[] }).data;
});
afterAll(() => h.close());

async function allProducts(): Promise<ProductJson[]> {
  return ((await (await h.api('/products?page_size=5000')).json()) as { data: ProductJson[] }).data;
}
async function inventoryOf(productId: string): Promise<InventoryJson[]> {
  return (await (await h.api(`/inventory/${productId}`)).json()) as InventoryJson[];
}

describe('seeded catalog', () => {
  it('has two stores and a warehouse, registers open and closed', () => {
    expect(outlets.map((o) => o.name)).toEqual(['Downtown Store', 'Uptown Store', 'Back Room Warehouse']);
    expect(registers.length).toBe(4);
    expect(registers.some((r) => !r.is_open)).toBe(true);
  });

  it('has ~300 sellable products, a third in size/colour families, with valid barcodes', async () => {
    const products = await allProducts();
    const sellable = products.filter((p) => !(p.has_variants && p.variant_parent_id === null));
    expect(sellable.length).toBe(300);
    const children = products.filter((p) => p.variant_parent_id !== null);
    expect(children.length).toBeGreaterThanOrEqual(90);
    expect(children.length).toBeLessThanOrEqual(110);
    for (const child of children) {
      const parent = products.find((p) => p.id === child.variant_parent_id);
      expect(parent?.has_variants).toBe(true);
      expect(child.family_id).toBe(parent?.family_id);
      expect(child.variant_options.map((o) => o.name)).toEqual(['Size', 'Colour']);
    }
    const codes = sellable.flatMap((p) => p.product_codes);
    expect(codes.length).toBe(300);
    expect(new Set(codes.map((c) => c.code)).size).toBe(300);
    for (const c of codes) {
      expect(['EAN', 'UPC']).toContain(c.type);
      expect(c.code).toHaveLength(c.type === 'EAN' ? 13 : 12);
      expect(isValidGs1(c.code)).toBe(true);
    }
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
  });

  it('is deterministic across instances', async () => {
    const other = await startSandbox();
    try {
      const a = await allProducts();
      const b = ((await (await other.api('/products?page_size=5000')).json()) as { data: ProductJson[] }).data;
      expect(b.map((p) => [p.id, p.sku, p.product_codes[0]?.code])).toEqual(a.map((p) => [p.id, p.sku, p.product_codes[0]?.code]));
    } finally {
      await other.close();
    }
  });

  it('looks up by sku and family name', async () => {
    const child = (await allProducts()).find((p) => p.variant_parent_id !== null);
    const bySku = (await (await h.api(`/products?sku=${encodeURIComponent(child?.sku ?? '')}`)).json()) as { data: ProductJson[] };
    expect(bySku.data.map((p) => p.id)).toEqual([child?.id]);
    const familyName = child?.name.split(' / ')[0] ?? '';
    const family = (await (await h.api(`/products?family_name=${encodeURIComponent(familyName)}`)).json()) as { data: ProductJson[] };
    expect(family.data.every((p) => p.family_id === child?.family_id)).toBe(true);
    expect(family.data.length).toBeGreaterThanOrEqual(3);
  });
});

describe('version cursors', () => {
  it('pages products by version with no record missed or repeated while writes happen between pages', async () => {
    const seen = new Map<string, number[]>();
    let after = 0;
    let pages = 0;
    const products = await allProducts();
    for (;;) {
      const res = (await (await h.api(`/products?after=${after}&page_size=37`)).json()) as { data: ProductJson[]; version: { min: number | null; max: number | null } };
      if (res.data.length === 0) {
        expect(res.version).toEqual({ min: null, max: null });
        break;
      }
      for (const p of res.data) seen.set(p.id, [...(seen.get(p.id) ?? []), p.version]);
      expect(res.version.min).toBe(res.data[0]?.version);
      expect(res.version.max).toBe(res.data.at(-1)?.version);
      after = res.version.max ?? after;
      pages += 1;
      // A write between pages: an early product (already paged) changes and must come round again.
      if (pages === 2) h.sandbox.control.changeProduct(undefined, products[0]?.id ?? '', { price_excluding_tax: 1.23 });
    }
    expect(pages).toBeGreaterThan(5);
    expect(new Set(seen.keys())).toEqual(new Set(products.map((p) => p.id)));
    for (const versions of seen.values()) expect(new Set(versions).size).toBe(versions.length);
    expect(seen.get(products[0]?.id ?? '')?.length).toBe(2);
  });

  it('POST /inventory sorts by version descending unless asked otherwise (InventoryRequest.sort_direction default)', async () => {
    const fetchPage = async (json: Record<string, unknown>) => ((await (await h.api('/inventory', { method: 'POST', json })).json()) as InventoryJson[]).map((r) => r.version);
    const byDefault = await fetchPage({ size: 50 });
    expect(byDefault).toHaveLength(50);
    expect(byDefault).toEqual([...byDefault].sort((a, b) => b - a));
    const ascending = await fetchPage({ size: 50, sort_direction: 'asc' });
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(Math.max(...byDefault)).toBeGreaterThan(Math.max(...ascending));
  });

  it('pages inventory (POST /inventory) by version while sales happen between pages', async () => {
    const register = registers.find((r) => r.is_open);
    const products = (await allProducts()).filter((p) => p.variant_parent_id !== null || !p.has_variants).filter((p) => p.has_inventory);
    const latest = new Map<string, number>();
    const seenPairs = new Set<string>();
    let after = 0;
    let page = 0;
    for (;;) {
      // Paging by `after` needs ascending order; InventoryRequest.sort_direction defaults to desc.
      const res = await h.api('/inventory', { method: 'POST', json: { after, size: 100, sort_direction: 'asc' } });
      expect(res.status).toBe(200);
      const data = (await res.json()) as InventoryJson[];
      if (data.length === 0) break;
      for (const r of data) {
        const pair = `${r.id}@${r.version}`;
        expect(seenPairs.has(pair)).toBe(false);
        seenPairs.add(pair);
        latest.set(r.id, r.current_inventory_level);
        expect(r.version).toBeGreaterThan(after);
      }
      after = data.at(-1)?.version ?? after;
      page += 1;
      if (page === 3) h.sandbox.control.sell(undefined, { register_id: register?.id ?? '', lines: [{ sku: products[0]?.sku, quantity: 1 }] });
    }
    const state = h.sandbox.control.state();
    const all = Object.values(state.inventory);
    expect(latest.size).toBe(all.length);
    for (const r of all) expect(latest.get(r.id)).toBe(r.current_inventory_level);
  });
});

describe('sales and stock', () => {
  it('a sale decrements the register outlet (or the fulfilment outlet) and bumps the global version', async () => {
    const register = registers.find((r) => r.is_open);
    const product = (await allProducts()).find((p) => p.variant_parent_id !== null && p.has_inventory);
    const before = await inventoryOf(product?.id ?? '');
    const versionBefore = h.sandbox.control.retailer().version;
    const state = h.sandbox.control.state();
    const user = Object.values(state.users)[0];
    const tax = Object.values(state.taxes)[0];
    const paymentType = Object.values(state.payment_types)[0];
    const res = await h.api('/sales', {
      method: 'POST',
      json: {
        state: 'closed',
        source: { author_id: user?.id, register_id: register?.id },
        line_items: [{ product: { id: product?.id }, quantity: 2, pricing: { price: 10 }, tax: { id: tax?.id, amount: 0.89 } }],
        payments: [{ amount: 21.78, type: { config_id: paymentType?.id } }],
      },
    });
    expect(res.status).toBe(200);
    const sale = ((await res.json()) as { data: { id: string; state: string } }).data;
    expect(sale.state).toBe('closed');
    const after = await inventoryOf(product?.id ?? '');
    for (const rec of after) {
      const prev = before.find((b) => b.id === rec.id);
      if (rec.outlet_id === register?.outlet_id) {
        expect(rec.current_inventory_level).toBe((prev?.current_inventory_level ?? 0) - 2);
        expect(rec.version).toBeGreaterThan(versionBefore);
      } else {
        expect(rec).toEqual(prev);
      }
    }

    // Online order fulfilled from the warehouse: waits for dispatch, and the warehouse's stock
    // moves when it is dispatched ("Fulfilling … Triggers inventory movements").
    const warehouse = outlets[2];
    const online = await h.api('/sales', {
      method: 'POST',
      json: {
        state: 'pending',
        source: { author_id: user?.id, register_id: register?.id, id: 'bc-order-1001', type: 'BigCommerce' },
        fulfillment_outlet_id: warehouse?.id,
        fulfillment_details: [{ type: 'DISPATCH' }],
        line_items: [{ product: { id: product?.id }, quantity: 1, pricing: { price: 10 }, tax: { id: tax?.id, amount: 0.89 }, _metadata: { fulfillment_method: 'DISPATCH' } }],
        payments: [{ amount: 10.89, type: { config_id: paymentType?.id } }],
      },
    });
    const onlineSale = ((await online.json()) as { data: { id: string; state: string } }).data;
    expect(onlineSale.state).toBe('pending');
    expect(h.sandbox.control.state().sales[onlineSale.id]?.status).toBe('AWAITING_DISPATCH');
    const warehouseLevel = async () => (await inventoryOf(product?.id ?? '')).find((r) => r.outlet_id === warehouse?.id)?.current_inventory_level;
    const warehouseBefore = before.find((r) => r.outlet_id === warehouse?.id)?.current_inventory_level ?? 0;
    expect(await warehouseLevel()).toBe(warehouseBefore);
    const fulfil = await h.api('/fulfillments/fulfill', { method: 'POST', json: { sale_id: onlineSale.id } });
    expect(fulfil.status).toBe(200);
    expect(h.sandbox.control.state().sales[onlineSale.id]?.status).toBe('DISPATCHED_CLOSED');
    expect(await warehouseLevel()).toBe(warehouseBefore - 1);
    // Idempotent.
    expect((await h.api('/fulfillments/fulfill', { method: 'POST', json: { sale_id: onlineSale.id } })).status).toBe(200);
  });

  it('return increments, void reverses exactly what was applied', async () => {
    const register = registers.find((r) => r.is_open);
    const product = (await allProducts()).find((p) => p.variant_parent_id === null && !p.has_variants && p.has_inventory);
    const level = async () => (await inventoryOf(product?.id ?? '')).find((r) => r.outlet_id === register?.outlet_id)?.current_inventory_level ?? NaN;
    const start = await level();
    const sold = h.sandbox.control.sell(undefined, { register_id: register?.id ?? '', lines: [{ barcode: product?.product_codes[0]?.code, quantity: 3 }] });
    expect(await level()).toBe(start - 3);

    // API return: init gives a SAVED return sale (no stock yet), closing it puts stock back.
    const init = await h.api(`/sales/${sold.sale?.id}/actions/return`, { method: 'POST' });
    expect(init.status).toBe(200);
    const draft = ((await init.json()) as { data: { id: string; state: string; line_items: { quantity: number }[]; return: { original_sale_id: string } } }).data;
    expect(draft.state).toBe('parked');
    expect(draft.line_items[0]?.quantity).toBe(-3);
    expect(draft.return.original_sale_id).toBe(sold.sale?.id);
    expect(await level()).toBe(start - 3);
    h.sandbox.control.voidSale(undefined, draft.id);

    const returned = h.sandbox.control.returnSale(undefined, { sale_id: sold.sale?.id ?? '', lines: [{ product_id: product?.id ?? '', quantity: 1 }] });
    expect(returned.state).toBe('closed');
    expect(await level()).toBe(start - 2);

    const second = h.sandbox.control.sell(undefined, { register_id: register?.id ?? '', lines: [{ sku: product?.sku, quantity: 5 }] });
    expect(await level()).toBe(start - 7);
    const voided = h.sandbox.control.voidSale(undefined, second.sale?.id ?? '');
    expect(voided.state).toBe('voided');
    expect(await level()).toBe(start - 2);
  });

  it('receives a 500-line consignment in bulk', async () => {
    const warehouse = outlets[2];
    const products = (await allProducts()).filter((p) => p.has_inventory && !(p.has_variants && p.variant_parent_id === null)).slice(0, 250);
    const before = new Map(Object.values(h.sandbox.control.state().inventory).map((r) => [`${r.product_id}:${r.outlet_id}`, r.current_inventory_level]));
    const versionBefore = h.sandbox.control.retailer().version;
    const create = await h.api('/consignments', { method: 'POST', json: { data: { name: 'PO-500', type: 'SUPPLIER', outlet_id: warehouse?.id } } });
    expect(create.status).toBe(201);
    const consignment = ((await create.json()) as { data: { id: string; status: string } }).data;
    expect(consignment.status).toBe('OPEN');
    // 500 lines over two bulk calls (the same product twice updates its line).
    const lines = products.map((p, i) => ({ product_id: p.id, count: String(i % 7 + 1) }));
    expect((await h.api(`/consignments/${consignment.id}/bulk`, { method: 'POST', json: lines })).status).toBe(200);
    const again = products.map((p, i) => ({ product_id: p.id, count: String(i % 7 + 1), received: String(i % 7 + 2) }));
    expect((await h.api(`/consignments/${consignment.id}/bulk`, { method: 'POST', json: again })).status).toBe(200);
    const received = await h.api(`/consignments/${consignment.id}`, { method: 'PUT', json: { data: { name: 'PO-500', type: 'SUPPLIER', outlet_id: warehouse?.id, status: 'RECEIVED' } } });
    expect(received.status).toBe(200);
    const after = h.sandbox.control.state();
    products.forEach((p, i) => {
      const key = `${p.id}:${warehouse?.id}`;
      expect(after.inventory[key]?.current_inventory_level).toBe((before.get(key) ?? 0) + (i % 7 + 2));
      expect(after.inventory[key]?.version).toBeGreaterThan(versionBefore);
    });
    // Control action: 500 lines in one go.
    const many = (await allProducts()).filter((p) => p.has_inventory && !(p.has_variants && p.variant_parent_id === null));
    const fiveHundred = Array.from({ length: 500 }, (_, i) => ({ product_id: many[i % many.length]?.id, quantity: 1 }));
    const c = h.sandbox.control.receiveConsignment(undefined, { outlet_id: warehouse?.id ?? '', lines: fiveHundred });
    expect(c.status).toBe('RECEIVED');
  });

  it('stock adjustments: deltas, 1–1000 lines, 1,001 → 422 with no partial write', async () => {
    const store = outlets[0];
    const product = (await allProducts()).find((p) => p.has_inventory && !p.has_variants);
    const level = () => h.sandbox.control.state().inventory[`${product?.id}:${store?.id}`]?.current_inventory_level ?? NaN;
    const start = level();
    const ok = await h.api('/stock_adjustments', {
      method: 'POST',
      json: { stock_adjustments: [{ product_id: product?.id, outlet_id: store?.id, quantity: '-3', reason: 'DAMAGE' }] },
    });
    expect(ok.status).toBe(201);
    const created = ((await ok.json()) as { data: { quantity: string; reason: string; version: number }[] }).data;
    expect(created[0]).toMatchObject({ quantity: '-3', reason: 'DAMAGE' });
    expect(level()).toBe(start - 3);

    const item = { product_id: product?.id, outlet_id: store?.id, quantity: '1', reason: 'STOCK_FOUND' };
    const thousand = await h.api('/stock_adjustments', { method: 'POST', json: { stock_adjustments: Array.from({ length: 1000 }, () => item) } });
    expect(thousand.status).toBe(201);
    expect(level()).toBe(start - 3 + 1000);
    const tooMany = await h.api('/stock_adjustments', { method: 'POST', json: { stock_adjustments: Array.from({ length: 1001 }, () => item) } });
    expect(tooMany.status).toBe(422);
    expect(((await tooMany.json()) as { error: string }).error).toBeTruthy();
    expect(level()).toBe(start - 3 + 1000);
    const extraField = await h.api('/stock_adjustments', { method: 'POST', json: { stock_adjustments: [{ ...item, note: 'x' }] } });
    expect(extraField.status).toBe(422);
  });
});

describe('observation point', () => {
  it('tells its observer of each event as it is recorded, and the sale changes stock the same', async () => {
    const seen: { seq: number; kind: string }[] = [];
    const o = await startSandbox({ onEvent: (e) => seen.push({ seq: e.seq, kind: e.kind }) });
    try {
      const register = o.sandbox.control.state().registers;
      const open = Object.values(register).find((r) => r.is_open)!;
      const product = Object.values(o.sandbox.control.state().products).find((p) => p.has_inventory && !p.is_family_parent)!;
      const key = `${product.id}:${open.outlet_id}`;
      o.sandbox.control.setInventoryLevel(undefined, { product_id: product.id, outlet_id: open.outlet_id, level: 5 });
      o.sandbox.control.sell(undefined, { register_id: open.id, lines: [{ product_id: product.id, quantity: 2 }] });
      expect(o.sandbox.control.state().inventory[key]?.current_inventory_level).toBe(3);
      expect(seen).toEqual(o.sandbox.control.eventLog().map((e) => ({ seq: e.seq, kind: e.kind })));
      expect(seen.length).toBeGreaterThan(0);
    } finally {
      await o.close();
    }
  });
});
