/**
 * The BigCommerce client against the sandbox over real HTTP: orders v2 (the order, its products,
 * shipping addresses, consignments — shipping and pickup —, shipments, statuses, status updates,
 * paging) and v3 refunds (quote, then refund, then read back).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigCommerceApiError } from '@/integrations/bigcommerce/errors';
import { physicalAddress, requestCounts, startSandboxEnv, type SandboxEnv } from './bigcommerce-client-sandbox-support';

let env: SandboxEnv;
beforeAll(async () => {
  env = await startSandboxEnv();
});
afterAll(() => env.close());

async function stockedStore() {
  const store = env.store();
  const conn = env.connect(store);
  const { client } = conn;
  const mug = await client.catalog.products.create({ name: 'Mug', type: 'physical', weight: 1, price: 12, sku: 'MUG', inventory_tracking: 'product' });
  const tee = await client.catalog.products.create({
    name: 'Tee',
    type: 'physical',
    weight: 1,
    price: 25,
    inventory_tracking: 'variant',
    variants: ['S', 'M'].map((size) => ({ sku: `TEE-${size}`, option_values: [{ option_display_name: 'Size', label: size }] })),
  });
  const [teeS] = await client.catalog.variants.listAll(tee.id);
  await client.inventory.setAbsolute([
    { location_id: 1, sku: 'MUG', quantity: 50 },
    { location_id: 1, sku: 'TEE-S', quantity: 20 },
  ]);
  env.sandbox.control.flushInventory(store.hash);
  return { store, conn, client, mug, tee, teeS: teeS! };
}

describe('BigCommerce client × sandbox: orders and refunds', () => {
  it('reads an order, its products, shipping addresses and consignments; ships it; moves its status', async () => {
    const { store, client, conn, mug, tee, teeS } = await stockedStore();
    const placed = env.sandbox.control.placeOrder(store.hash, {
      status_id: 11,
      shipping_addresses: [{ first_name: 'Ada', last_name: 'Lovelace', street_1: '12 Analytical Way', city: 'Portland', state: 'Oregon', zip: '97201', country: 'United States', country_iso2: 'US' }],
      products: [
        { product_id: mug.id, quantity: 3 },
        { product_id: tee.id, variant_id: teeS.id, quantity: 2 },
      ],
    });

    const order = await client.orders.get(placed.id);
    expect(order).toMatchObject({ id: placed.id, status_id: 11, status: 'Awaiting Fulfillment', channel_id: 1, items_total: 5, items_shipped: 0 });
    expect(Number(order.total_inc_tax)).toBeCloseTo(3 * 12 + 2 * 25, 2);

    const lines = await client.orders.products(placed.id);
    expect(lines.map((l) => [l.product_id, l.variant_id, l.sku, l.quantity, Number(l.price_inc_tax)])).toEqual([
      [mug.id, mug.base_variant_id, 'MUG', 3, 12],
      [tee.id, teeS.id, 'TEE-S', 2, 25],
    ]);
    const [address, ...more] = await client.orders.shippingAddresses(placed.id);
    expect(more).toEqual([]);
    expect(address).toMatchObject({ order_id: placed.id, first_name: 'Ada', street_1: '12 Analytical Way', city: 'Portland', country_iso2: 'US', items_total: 5 });
    expect(lines.every((l) => l.order_address_id === address!.id)).toBe(true);

    const consignments = await client.orders.consignments(placed.id);
    expect(consignments.shipping).toHaveLength(1);
    // Line items come as resource links; the client names their order line either way.
    expect(consignments.shipping![0]!.line_items.map((li) => li.order_product_id)).toEqual(lines.map((l) => l.id));
    expect(consignments.shipping![0]).toMatchObject({ id: address!.id, city: 'Portland' });
    expect(await client.orders.shipments.list(placed.id)).toEqual([]);
    expect(conn.calls.at(-1)).toMatchObject({ path: '/v2/orders/{order_id}/shipments', status: 204 });

    // Stock left the default location when the order was placed (update_stock_behavior order_placed).
    const [mugStock] = await client.inventory.items.listAll({ 'product_id:in': [mug.id], 'location_id:in': [1] });
    expect(mugStock!.locations[0]!.total_inventory_onhand).toBe(47);

    const shipment = await client.orders.shipments.create(placed.id, {
      order_address_id: address!.id,
      tracking_number: '1Z999',
      shipping_provider: 'ups',
      items: [{ order_product_id: lines[0]!.id, quantity: 3 }],
    });
    expect(shipment).toMatchObject({ order_id: placed.id, order_address_id: address!.id, tracking_number: '1Z999', shipping_provider: 'ups' });
    expect(shipment.items).toEqual([{ order_product_id: lines[0]!.id, product_id: mug.id, quantity: 3 }]);
    expect((await client.orders.shipments.list(placed.id)).map((s) => s.id)).toEqual([shipment.id]);
    expect(await client.orders.get(placed.id)).toMatchObject({ items_shipped: 3, status_id: 3 });
    expect((await client.orders.products(placed.id))[0]).toMatchObject({ quantity_shipped: 3 });

    const statuses = await client.orders.statuses();
    expect(statuses.map((s) => s.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(statuses.find((s) => s.id === 10)).toMatchObject({ name: 'Completed', system_label: 'Completed' });

    const completed = await client.orders.updateStatus(placed.id, 10);
    expect(completed).toMatchObject({ id: placed.id, status_id: 10, status: 'Completed' });
    expect((await client.orders.get(placed.id)).status_id).toBe(10);

    const overShip = await client.orders.shipments
      .create(placed.id, { order_address_id: address!.id, items: [{ order_product_id: lines[1]!.id, quantity: 5 }] })
      .catch((e: unknown) => e);
    expect(overShip).toBeInstanceOf(BigCommerceApiError);
    expect(overShip).toMatchObject({ status: 400, attempts: 1 });
  });

  it('shows a pickup consignment with its location', async () => {
    const { store, client, mug } = await stockedStore();
    await client.locations.create([{ code: 'PICK', label: 'Pickup desk', managed_by_external_source: true, type_id: 'PHYSICAL', time_zone: 'UTC', address: physicalAddress }]);
    const [pickupLocation] = await client.locations.listAll({ 'location_code:in': ['PICK'] });
    await client.inventory.setAbsolute([{ location_id: pickupLocation!.id, sku: 'MUG', quantity: 5 }]);
    env.sandbox.control.flushInventory(store.hash);

    const placed = env.sandbox.control.placeOrder(store.hash, { products: [{ product_id: mug.id, quantity: 2 }] }, { pickupLocationId: pickupLocation!.id });
    const consignments = await client.orders.consignments(placed.id);
    expect(consignments.pickups).toHaveLength(1);
    expect(consignments.pickups![0]).toMatchObject({ location: { id: pickupLocation!.id, code: 'PICK' } });
    const [atPickup] = await client.inventory.items.listAllAtLocation(pickupLocation!.id, { 'product_id:in': [mug.id] });
    expect(atPickup!.total_inventory_onhand).toBe(3);
  });

  it("a channel's update_stock_behavior override decides when that channel's orders take stock", async () => {
    const { store, client, mug } = await stockedStore();
    const pos = await client.channels.create({ name: 'POS', type: 'pos', platform: 'custom' });
    await client.inventory.settings.update({ update_stock_behavior: 'order_completed_or_shipped' }, { channelId: pos.id });
    const onHand = async () => (await client.inventory.items.listAll({ 'product_id:in': [mug.id], 'location_id:in': [1] }))[0]!.locations[0]!.total_inventory_onhand;

    const inPos = env.sandbox.control.placeOrder(store.hash, { status_id: 11, channel_id: pos.id, products: [{ product_id: mug.id, quantity: 4 }] });
    expect(await onHand()).toBe(50);
    await client.orders.updateStatus(inPos.id, 10);
    expect(await onHand()).toBe(46);
    // The storefront channel inherits the global order_placed.
    env.sandbox.control.placeOrder(store.hash, { status_id: 11, products: [{ product_id: mug.id, quantity: 1 }] });
    expect(await onHand()).toBe(45);
  });

  it('pages through orders and filters them', async () => {
    const { store, client, conn, mug } = await stockedStore();
    const ids = Array.from({ length: 5 }, () => env.sandbox.control.placeOrder(store.hash, { status_id: 11, products: [{ product_id: mug.id, quantity: 1 }] }).id);
    conn.calls.length = 0;
    const pages: number[][] = [];
    for await (const page of client.orders.pages({ limit: 2, min_id: ids[0] })) pages.push(page.map((o) => o.id));
    expect(pages).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    expect(requestCounts(conn.calls)).toEqual({ 'GET /v2/orders': 3 });

    env.sandbox.control.setOrderStatus(store.hash, ids[2]!, 5);
    expect((await client.orders.list({ status_id: 5 })).map((o) => o.id)).toEqual([ids[2]]);
    expect(await client.orders.list({ status_id: 13 })).toEqual([]);
    expect(conn.calls.at(-1)).toMatchObject({ path: '/v2/orders', attempt: 1 });
  });

  it('quotes a refund, refunds it with the quoted method, reads it back and refuses an over-refund', async () => {
    const { store, client, mug } = await stockedStore();
    const placed = env.sandbox.control.placeOrder(store.hash, { status_id: 11, products: [{ product_id: mug.id, quantity: 4 }] });
    const [line] = await client.orders.products(placed.id);

    const quote = await client.orders.refunds.quote(placed.id, { items: [{ item_type: 'PRODUCT', item_id: line!.id, quantity: 2 }] });
    expect(quote).toMatchObject({ order_id: placed.id, total_refund_amount: 24 });
    const method = quote.refund_methods[0];
    expect(method?.length).toBeGreaterThan(0);
    const payments = method!.map((m) => ({ provider_id: m.provider_id, amount: m.amount, offline: m.offline }));
    expect(payments.reduce((sum, p) => sum + p.amount, 0)).toBeCloseTo(24, 2);

    const refund = await client.orders.refunds.create(placed.id, { items: [{ item_type: 'PRODUCT', item_id: line!.id, quantity: 2 }], payments, reason: 'damaged' });
    expect(refund).toMatchObject({ order_id: placed.id });
    expect(refund.id).toBeGreaterThan(0);

    expect((await client.orders.refunds.forOrder(placed.id)).map((r) => r.id)).toEqual([refund.id]);
    const across = await client.orders.refunds.list({ 'order_id:in': [placed.id] });
    expect(across.data.map((r) => r.id)).toEqual([refund.id]);
    expect((await client.orders.products(placed.id))[0]).toMatchObject({ quantity_refunded: 2 });
    const order = await client.orders.get(placed.id);
    expect(Number(order.refunded_amount)).toBeCloseTo(24, 2);
    expect(order.status_id).toBe(14); // Partially Refunded

    const tooMuch = await client.orders.refunds
      .create(placed.id, { items: [{ item_type: 'PRODUCT', item_id: line!.id, quantity: 3 }], payments: [{ provider_id: payments[0]!.provider_id, amount: 36, offline: true }] })
      .catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(BigCommerceApiError);
    expect(tooMuch).toMatchObject({ status: 422, attempts: 1 });
    expect(await client.orders.refunds.forOrder(placed.id)).toHaveLength(1);
  });
});
