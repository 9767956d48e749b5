/**
 * Every inventory, order, catalog and location event the sandbox sends, checked against
 * BigCommerce's own callback schemas (specs/bigcommerce/webhook-callbacks/*.yml, and the example
 * payloads beside them), and for the scopes that ship no callback file, against the payload the
 * guide documents (inventory-location webhooks; shipments in the events index).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackExample, callbackSchema, check, shape, SPECS_DIR, type Schema } from './callback-schemas';
import { physicalAddress, startReceiver, startSandbox, type Harness, type Receiver } from './helpers';

const ENVELOPE = ['producer', 'hash', 'created_at', 'store_id', 'scope', 'data'];

/** Scopes without a callback file: the payloads their guide documents. */
const int = { type: 'integer' } as const;
const GUIDE_SCHEMAS: Record<string, Schema> = {
  // guides/integrations_webhooks_events_inventory-location.mdx, "Example stock changed payload object"
  'store/channel/*/inventory/product/stock_changed': { type: 'object', properties: { variant_id: int, product_id: int, location_id: int } },
  'store/channel/*/inventory/product/settings_changed': { type: 'object', properties: { variant_id: int, product_id: int, location_id: int } },
  'store/channel/*/inventory/product/low_stock_reached': { type: 'object', properties: { variant_id: int, product_id: int, location_id: int } },
  'store/channel/*/inventory/product/out_of_stock_reached': { type: 'object', properties: { variant_id: int, product_id: int, location_id: int } },
  // guides/integrations_webhooks_events_index.mdx, "Example shipment created payload object"
  'store/shipment/created': { type: 'object', properties: { type: { type: 'string', enum: ['shipment'] }, id: int, orderId: int } },
};

const SCOPES = [
  'store/product/created',
  'store/product/updated',
  'store/product/deleted',
  'store/sku/created',
  'store/sku/updated',
  'store/sku/deleted',
  'store/product/inventory/updated',
  'store/product/inventory/order/updated',
  'store/sku/inventory/updated',
  'store/sku/inventory/order/updated',
  'store/channel/*/inventory/product/stock_changed',
  'store/channel/*/inventory/product/settings_changed',
  'store/channel/*/inventory/product/low_stock_reached',
  'store/channel/*/inventory/product/out_of_stock_reached',
  'store/inventory/location/created',
  'store/inventory/location/updated',
  'store/order/created',
  'store/order/updated',
  'store/order/archived',
  'store/order/statusUpdated',
  'store/order/message/created',
  'store/order/refund/created',
  'store/shipment/created',
];

describe.skipIf(!existsSync(SPECS_DIR))('BigCommerce sandbox: webhook payloads against the callback schemas', () => {
  let h: Harness;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    h = await startSandbox({ seed: 'payloads' });
    for (const scope of SCOPES) {
      const res = await h.json('/v3/hooks', { method: 'POST', body: { scope, destination: receiver.url } });
      expect(res.status).toBe(200);
    }
    await drive(h);
    await h.sandbox.control.webhooksIdle();
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  it('fires every listed inventory, order, catalog and location event', () => {
    const fired = new Set(receiver.received.map((r) => r.body.scope));
    expect(SCOPES.filter((s) => !fired.has(s))).toEqual([]);
  });

  it.each(SCOPES)('%s matches its documented payload', (scope) => {
    const bodies = receiver.received.filter((r) => r.body.scope === scope).map((r) => r.body as unknown as Record<string, unknown>);
    expect(bodies.length).toBeGreaterThan(0);
    const schema = callbackSchema(scope);
    for (const body of bodies) {
      if (schema) {
        expect(check(body, schema, '$', ENVELOPE)).toEqual([]);
        const example = callbackExample(scope);
        // The example shows which of the declared data fields are actually sent.
        if (example) expect(shape(body.data)).toEqual(shape(example.data));
      } else {
        const dataSchema = GUIDE_SCHEMAS[scope];
        expect(dataSchema, `no documented payload for ${scope}`).toBeDefined();
        expect(Object.keys(body).sort()).toEqual([...ENVELOPE].sort());
        expect(check(body.data, dataSchema!, '$.data', Object.keys(dataSchema!.properties ?? {}))).toEqual([]);
      }
      expect(body.producer).toBe(`stores/${h.hash}`);
      expect(body.scope).toBe(scope);
    }
  });
});

/** One pass through everything that fires the scopes above, over the API (and the control panel for what only a shopper does). */
async function drive(h: Harness): Promise<void> {
  const ok = async (path: string, method: string, body?: unknown) => {
    const res = await h.json(path, { method, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const simple = await ok('/v3/catalog/products', 'POST', { name: 'Payload Tote', type: 'physical', weight: 1, price: 10, sku: 'PAY-TOTE', inventory_tracking: 'product', inventory_level: 10 });
  const simpleId: number = simple.data.id;
  const simpleVariant: number = simple.data.variants[0].id;
  await ok(`/v3/catalog/products/${simpleId}`, 'PUT', { price: 12 });
  const shirt = await ok('/v3/catalog/products', 'POST', {
    name: 'Payload Shirt',
    type: 'physical',
    weight: 1,
    price: 20,
    inventory_tracking: 'variant',
    variants: [
      { sku: 'PAY-S', option_values: [{ option_display_name: 'Size', label: 'S' }], inventory_level: 5 },
      { sku: 'PAY-M', option_values: [{ option_display_name: 'Size', label: 'M' }], inventory_level: 5 },
    ],
  });
  const shirtId: number = shirt.data.id;
  const [small, medium] = shirt.data.variants as { id: number }[];
  await ok(`/v3/catalog/products/${shirtId}/variants/${small!.id}`, 'PUT', { price: 21 });
  await ok('/v3/inventory/locations/1/items', 'PUT', { settings: [{ identity: { variant_id: simpleVariant }, warning_level: 8 }] });
  await ok('/v3/inventory/adjustments/absolute', 'PUT', { items: [{ location_id: 1, variant_id: simpleVariant, quantity: 12 }, { location_id: 1, variant_id: small!.id, quantity: 6 }] });
  h.sandbox.control.flushInventory(h.hash);
  await ok('/v3/inventory/locations', 'POST', [{ code: 'PAY-LOC', label: 'Payload outlet', managed_by_external_source: true, type_id: 'PHYSICAL', time_zone: 'Etc/UTC', address: physicalAddress }]);
  const locationId: number = (await ok('/v3/inventory/locations?location_code:in=PAY-LOC', 'GET')).data[0].id;
  await ok('/v3/inventory/locations', 'PUT', [{ id: locationId, label: 'Payload outlet (renamed)' }]);

  // 12 → 7 crosses the warning level of 8; 7 → 0 runs out.
  const first = await ok('/v2/orders', 'POST', { status_id: 11, products: [{ product_id: simpleId, quantity: 5 }] });
  await ok('/v2/orders', 'POST', { status_id: 11, products: [{ product_id: simpleId, quantity: 7 }] });
  await ok('/v2/orders', 'POST', { status_id: 11, products: [{ product_id: shirtId, variant_id: small!.id, quantity: 1 }] });
  await ok(`/v2/orders/${first.id}`, 'PUT', { status_id: 9 });
  h.sandbox.control.addOrderMessage(h.hash, first.id, { message: 'Can you gift wrap it?' });
  const line = (await ok(`/v2/orders/${first.id}/products`, 'GET'))[0];
  await ok(`/v2/orders/${first.id}/shipments`, 'POST', { order_address_id: line.order_address_id, items: [{ order_product_id: line.id, quantity: 1 }] });
  await ok(`/v3/orders/${first.id}/payment_actions/refunds`, 'POST', { items: [{ item_type: 'PRODUCT', item_id: line.id, quantity: 1 }], payments: [{ provider_id: 'custom', amount: 12, offline: true }] });
  await ok(`/v2/orders/${first.id}`, 'DELETE');
  await ok(`/v3/catalog/products/${shirtId}/variants/${medium!.id}`, 'DELETE');
  await ok(`/v3/catalog/products/${simpleId}`, 'DELETE');
}

describe('BigCommerce sandbox: order messages', () => {
  it('a message written on an order is read back through GET /v2/orders/{id}/messages, with its filters', async () => {
    const h = await startSandbox({ seed: 'messages' });
    try {
      const order = h.sandbox.control.placeOrder(h.hash, { customer_id: 7, products: [{ name: 'x', quantity: 1, price_inc_tax: 1, price_ex_tax: 1 }] });
      expect((await h.json(`/v2/orders/${order.id}/messages`)).body).toEqual([]);
      const control = await fetch(`${h.server.url}/_sandbox/stores/${h.hash}/orders/${order.id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Leave it at the door' }) });
      expect(control.status).toBe(201);
      h.sandbox.control.addOrderMessage(h.hash, order.id, { message: 'We will', staff_id: 1 });
      const all = await h.json(`/v2/orders/${order.id}/messages`);
      expect(all.status).toBe(200);
      expect(all.body).toEqual([
        expect.objectContaining({ id: 1, order_id: order.id, customer_id: 7, staff_id: 0, type: 'customer', message: 'Leave it at the door', status: 'unread', is_flagged: false, date_created: expect.stringMatching(/\+0000$/) }),
        expect.objectContaining({ id: 2, staff_id: 1, type: 'admin', message: 'We will' }),
      ]);
      expect((await h.json(`/v2/orders/${order.id}/messages?min_id=2`)).body.map((m: { id: number }) => m.id)).toEqual([2]);
      expect((await h.json(`/v2/orders/${order.id}/messages?customer_id=8`)).body).toEqual([]);
      expect((await h.json('/v2/orders/999/messages')).status).toBe(404);
      const bad = await fetch(`${h.server.url}/_sandbox/stores/${h.hash}/orders/${order.id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: '' }) });
      expect(bad.status).toBe(422);
      expect((await h.json(`/v2/orders/${order.id}/messages`)).body).toHaveLength(2);
    } finally {
      await h.close();
    }
  });
});
