import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_SECRET, createSimpleProduct, physicalAddress, startReceiver, startSandbox, type Harness, type Receiver, type ReceivedWebhook } from './helpers';

/** Independent Standard Webhooks check, keyed as BigCommerce documents: new Webhook(base64(client_secret)). */
function verify(w: ReceivedWebhook): boolean {
  const id = String(w.headers['webhook-id']);
  const timestamp = String(w.headers['webhook-timestamp']);
  const key = Buffer.from(Buffer.from(CLIENT_SECRET).toString('base64'), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${w.rawBody}`).digest();
  return String(w.headers['webhook-signature'])
    .split(' ')
    .some((sig) => {
      const [version, value] = sig.split(',');
      const given = Buffer.from(value ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

describe('BigCommerce sandbox: orders and webhooks', () => {
  let h: Harness;
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
    h = await startSandbox({ webhookRetryDelaysMs: [40, 80] });
  });
  afterEach(async () => {
    await h.close();
    await receiver.close();
  });

  async function subscribe(scope: string, headers: Record<string, string> | null = null): Promise<number> {
    const res = await h.json('/v3/hooks', { method: 'POST', body: { scope, destination: receiver.url, is_active: true, headers } });
    expect(res.status).toBe(200);
    return res.body.data.id;
  }

  it('hooks CRUD: create, list with filters, update, duplicate rejection, delete', async () => {
    const id = await subscribe('store/order/created', { 'X-App-Secret': 's3cret' });
    const got = await h.json(`/v3/hooks/${id}`);
    expect(got.body.data).toMatchObject({ id, scope: 'store/order/created', destination: receiver.url, is_active: true, headers: { 'X-App-Secret': 's3cret' }, store_hash: h.hash, client_id: 'test-client-id', created_at: expect.any(Number) });
    const dup = await h.json('/v3/hooks', { method: 'POST', body: { scope: 'store/order/created', destination: receiver.url } });
    expect(dup.status).toBe(422);
    await subscribe('store/product/updated');
    const filtered = await h.json('/v3/hooks?scope=store/product/updated');
    expect(filtered.body.data.map((x: { scope: string }) => x.scope)).toEqual(['store/product/updated']);
    expect(filtered.body.meta.pagination.total).toBe(1);
    const off = await h.json(`/v3/hooks/${id}`, { method: 'PUT', body: { is_active: false } });
    expect(off.body.data.is_active).toBe(false);
    expect((await h.json('/v3/hooks?is_active=false')).body.data.map((x: { id: number }) => x.id)).toEqual([id]);
    const empty = await h.json(`/v3/hooks/${id}`, { method: 'PUT', body: {} });
    expect(empty.status).toBe(422);
    const deleted = await h.json(`/v3/hooks/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect((await h.api(`/v3/hooks/${id}`)).status).toBe(404);
  });

  it('placing an order decrements the default location and fires signed order and inventory webhooks', async () => {
    await subscribe('store/order/*', { 'X-App-Secret': 's3cret' });
    await subscribe('store/product/inventory/order/updated');
    await subscribe('store/sku/inventory/order/updated');
    const simple = await createSimpleProduct(h, 'ORD-1', 10);
    const shirt = await h.json('/v3/catalog/products', { method: 'POST', body: { name: 'Shirt', type: 'physical', weight: 1, price: 20, inventory_tracking: 'variant', variants: [{ sku: 'ORD-SH-S', inventory_level: 5, option_values: [{ option_display_name: 'Size', label: 'S' }] }] } });
    const shirtVariant = shirt.body.data.variants[0].id;

    const order = h.sandbox.control.placeOrder(h.hash, { status_id: 11, products: [{ product_id: simple.id, quantity: 3 }, { product_id: shirt.body.data.id, variant_id: shirtVariant, quantity: 2 }] });
    const stock = h.sandbox.control.stock(h.hash);
    expect(stock.find((s) => s.sku === 'ORD-1')).toMatchObject({ location_id: 1, on_hand: 7 });
    expect(stock.find((s) => s.sku === 'ORD-SH-S')).toMatchObject({ location_id: 1, on_hand: 3 });

    const all = await receiver.waitFor((r) => r.length >= 4);
    const scopes = all.map((w) => w.body.scope).sort();
    expect(scopes).toEqual(['store/order/created', 'store/order/statusUpdated', 'store/product/inventory/order/updated', 'store/sku/inventory/order/updated']);
    for (const w of all) {
      expect(verify(w)).toBe(true);
      expect(w.headers['webhook-id']).toMatch(/^msg_/);
      expect(Math.abs(Number(w.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
      expect(w.body).toMatchObject({ producer: `stores/${h.hash}`, store_id: expect.any(String), created_at: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{40}$/) });
      const { hash, ...rest } = w.body;
      expect(createHash('sha1').update(JSON.stringify(rest)).digest('hex')).toBe(hash);
    }
    const byScope = (scope: string) => all.find((w) => w.body.scope === scope)!;
    expect(byScope('store/order/created').body.data).toEqual({ type: 'order', id: order.id });
    expect(byScope('store/order/created').headers['x-app-secret']).toBe('s3cret');
    expect(byScope('store/order/statusUpdated').body.data).toEqual({ type: 'order', id: order.id, status: { previous_status_id: 0, new_status_id: 11 } });
    expect(byScope('store/product/inventory/order/updated').body.data).toEqual({ type: 'product', id: simple.id, inventory: { product_id: simple.id, method: 'relative', value: -3 } });
    expect(byScope('store/sku/inventory/order/updated').body.data).toEqual({ type: 'sku', id: shirtVariant, inventory: { product_id: shirt.body.data.id, method: 'relative', value: -2, variant_id: shirtVariant } });

    // tampering is detectable
    const forged = { ...all[0]!, rawBody: all[0]!.rawBody.replace(`"id":${order.id}`, '"id":1') };
    expect(verify(forged)).toBe(false);

    // the order is readable through Orders v2
    const v2 = await h.json(`/v2/orders/${order.id}`);
    expect(v2.body).toMatchObject({ id: order.id, status_id: 11, status: 'Awaiting Fulfillment', items_total: 5, total_inc_tax: '70.0000', channel_id: 1 });
    const lines = await h.json(`/v2/orders/${order.id}/products`);
    expect(lines.body.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity])).toEqual([['ORD-1', 3], ['ORD-SH-S', 2]]);
  });

  it('takes pickup orders from the pickup location and aggregated orders across locations in order', async () => {
    const { variantId } = await createSimpleProduct(h, 'PICK-1', 2);
    await h.json('/v3/inventory/locations', { method: 'POST', body: [{ code: 'OUT-P', label: 'Outlet', managed_by_external_source: true, type_id: 'PHYSICAL', time_zone: 'UTC', address: physicalAddress }] });
    const outlet = (await h.json('/v3/inventory/locations?location_code:in=OUT-P')).body.data[0].id;
    await h.json('/v3/inventory/adjustments/absolute', { method: 'PUT', body: { items: [{ location_id: outlet, variant_id: variantId, quantity: 5 }] } });
    h.sandbox.control.flushInventory(h.hash);

    const pickup = h.sandbox.control.placeOrder(h.hash, { products: [{ sku: 'PICK-1', quantity: 4 }] }, { pickupLocationId: outlet });
    expect(pickup.decrements).toEqual([{ variant_id: variantId, location_id: outlet, quantity: 4 }]);
    const consignments = await h.json(`/v2/orders/${pickup.id}/consignments`);
    expect(consignments.body.pickups[0].location).toMatchObject({ id: outlet, code: 'OUT-P' });

    // default-location mode refuses what the default location does not hold
    expect(() => h.sandbox.control.placeOrder(h.hash, { products: [{ sku: 'PICK-1', quantity: 3 }] })).toThrow(/Not enough stock/);

    h.sandbox.control.updateStore(h.hash, { stockMode: 'aggregated' });
    const aggregated = h.sandbox.control.placeOrder(h.hash, { products: [{ sku: 'PICK-1', quantity: 3 }] });
    expect(aggregated.decrements).toEqual([
      { variant_id: variantId, location_id: 1, quantity: 2 },
      { variant_id: variantId, location_id: outlet, quantity: 1 },
    ]);
    const left = h.sandbox.control.stock(h.hash).filter((s) => s.variant_id === variantId).map((s) => [s.location_id, s.on_hand]);
    expect(left).toEqual([[1, 0], [outlet, 0]]);
  });

  it('v2 POST /orders places an order; cancelling returns the stock; shipments and refunds move status and fire hooks', async () => {
    await subscribe('store/order/statusUpdated');
    await subscribe('store/order/refund/created');
    await subscribe('store/shipment/created');
    const { id: productId } = await createSimpleProduct(h, 'V2-1', 10);
    const created = await h.json('/v2/orders', { method: 'POST', body: { billing_address: { first_name: 'Ann', last_name: 'Lee', zip: '10001', country_iso2: 'US', email: 'ann@example.com' }, products: [{ product_id: productId, quantity: 4 }], external_source: 'test' } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status_id: 1, external_source: 'test', billing_address: { first_name: 'Ann', zip: '10001' } });
    const orderId = created.body.id;
    expect(h.sandbox.control.stock(h.hash).find((s) => s.sku === 'V2-1')!.on_hand).toBe(6);

    const lines = await h.json(`/v2/orders/${orderId}/products`);
    const addresses = await h.json(`/v2/orders/${orderId}/shipping_addresses`);
    const shipment = await h.json(`/v2/orders/${orderId}/shipments`, { method: 'POST', body: { order_address_id: addresses.body[0].id, tracking_number: '1Z999', shipping_provider: 'ups', items: [{ order_product_id: lines.body[0].id, quantity: 1 }] } });
    expect(shipment.status).toBe(201);
    expect((await h.json(`/v2/orders/${orderId}`)).body.status_id).toBe(3);

    const quote = await h.json(`/v3/orders/${orderId}/payment_actions/refund_quotes`, { method: 'POST', body: { items: [{ item_type: 'PRODUCT', item_id: lines.body[0].id, quantity: 1 }] } });
    expect(quote.status).toBe(201);
    expect(quote.body.data.total_refund_amount).toBe(10);
    const refund = await h.json(`/v3/orders/${orderId}/payment_actions/refunds`, { method: 'POST', body: { items: [{ item_type: 'PRODUCT', item_id: lines.body[0].id, quantity: 1 }], payments: [{ provider_id: 'custom', amount: 10, offline: true }] } });
    expect(refund.status).toBe(201);
    expect((await h.json(`/v2/orders/${orderId}`)).body.status_id).toBe(14);
    // API refunds do not return stock
    expect(h.sandbox.control.stock(h.hash).find((s) => s.sku === 'V2-1')!.on_hand).toBe(6);
    expect((await h.json(`/v3/orders/${orderId}/payment_actions/refunds`)).body.data).toHaveLength(1);

    const cancelled = await h.json(`/v2/orders/${orderId}`, { method: 'PUT', body: { status_id: 5 } });
    expect(cancelled.body.status_id).toBe(5);
    expect(h.sandbox.control.stock(h.hash).find((s) => s.sku === 'V2-1')!.on_hand).toBe(10);

    // Every delivery the assertions below read: four status changes, the refund and the shipment.
    const hooks = await receiver.waitFor(
      (r) => r.filter((w) => w.body.scope === 'store/order/statusUpdated').length >= 4 && r.some((w) => w.body.scope === 'store/order/refund/created') && r.some((w) => w.body.scope === 'store/shipment/created'),
    );
    const transitions = hooks.filter((w) => w.body.scope === 'store/order/statusUpdated').map((w) => (w.body.data.status as { new_status_id: number }).new_status_id);
    expect(transitions).toEqual([1, 3, 14, 5]);
    expect(hooks.find((w) => w.body.scope === 'store/order/refund/created')!.body.data).toEqual({ type: 'order', id: orderId, refund: { refund_id: refund.body.data.id } });
    expect(hooks.some((w) => w.body.scope === 'store/shipment/created')).toBe(true);

    const listed = await h.json(`/v2/orders?status_id=5&min_date_modified=${encodeURIComponent(new Date(Date.now() - 60_000).toUTCString())}`);
    expect(listed.body.map((o: { id: number }) => o.id)).toEqual([orderId]);
    const statuses = await h.json('/v2/order_statuses');
    expect(statuses.body).toHaveLength(15);
  });

  it('v2 POST /orders takes money as a number or the spec\'s string form, and names a variant by variant_id or by product_options', async () => {
    const tee = (
      await h.json('/v3/catalog/products', {
        method: 'POST',
        body: { name: 'Tee', type: 'physical', weight: 1, price: 20, inventory_tracking: 'variant', variants: ['S', 'M'].map((label) => ({ sku: `OPT-${label}`, inventory_level: 5, option_values: [{ option_display_name: 'Size', label }] })) },
      })
    ).body.data;
    const [small, medium] = tee.variants as { id: number; option_values: { id: number; option_id: number }[] }[];
    const byOptions = [{ id: medium!.option_values[0]!.option_id, value: String(medium!.option_values[0]!.id) }];
    const created = await h.json('/v2/orders', { method: 'POST', body: { billing_address: { first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com' }, shipping_cost_inc_tax: '5.0000', products: [{ product_id: tee.id, product_options: byOptions, quantity: 2 }, { product_id: tee.id, variant_id: small!.id, quantity: 1 }] } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({ shipping_cost_inc_tax: '5.0000', total_inc_tax: '65.0000' });
    const lines = (await h.json(`/v2/orders/${created.body.id}/products`)).body as { variant_id: number; sku: string; quantity: number }[];
    expect(lines.map((l) => [l.variant_id, l.sku, l.quantity])).toEqual([[medium!.id, 'OPT-M', 2], [small!.id, 'OPT-S', 1]]);
    const numeric = await h.json('/v2/orders', { method: 'POST', body: { billing_address: { first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com' }, shipping_cost_inc_tax: 5, products: [{ product_id: tee.id, variant_id: small!.id, quantity: 1 }] } });
    expect(numeric.body).toMatchObject({ shipping_cost_inc_tax: '5.0000', total_inc_tax: '25.0000' });

    // Options that name no variant, or a product with variants named by neither, are refused and book nothing.
    for (const line of [{ product_id: tee.id, product_options: [{ id: byOptions[0]!.id, value: '999999' }], quantity: 1 }, { product_id: tee.id, quantity: 1 }]) {
      expect((await h.json('/v2/orders', { method: 'POST', body: { billing_address: { first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com' }, products: [line] } })).status).toBe(400);
    }
    expect((await h.json('/v2/orders')).body).toHaveLength(2);
    expect(h.sandbox.control.stock(h.hash).filter((s) => s.sku.startsWith('OPT-')).map((s) => [s.sku, s.on_hand])).toEqual([['OPT-S', 3], ['OPT-M', 3]]);
  });

  it('retries failed deliveries with the same webhook-id and deactivates the hook when the schedule runs out', async () => {
    const hookId = await subscribe('store/order/created');
    receiver.failWith.push(500, 503);
    const first = h.sandbox.control.placeOrder(h.hash, { products: [{ name: 'Custom item', quantity: 1, price_inc_tax: 5, price_ex_tax: 5 }] });
    const attempts = await receiver.waitFor((r) => r.length >= 3);
    expect(attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    expect(attempts.every(verify)).toBe(true);
    expect(attempts[2]!.body.data).toEqual({ type: 'order', id: first.id });
    await h.sandbox.control.webhooksIdle();
    expect(h.sandbox.control.deliveries(h.hash).map((d) => [d.attempt, d.outcome])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'delivered']]);

    receiver.failWith.push(500, 500, 500);
    h.sandbox.control.placeOrder(h.hash, { products: [{ name: 'Custom item', quantity: 1, price_inc_tax: 5, price_ex_tax: 5 }] });
    await receiver.waitFor((r) => r.length >= 6);
    await h.sandbox.control.webhooksIdle();
    const hook = await h.json(`/v3/hooks/${hookId}`);
    expect(hook.body.data.is_active).toBe(false);
    expect(h.sandbox.control.deliveries(h.hash).at(-1)).toMatchObject({ outcome: 'deactivated', hook_id: hookId });

    // an inactive hook receives nothing until re-enabled
    h.sandbox.control.placeOrder(h.hash, { products: [{ name: 'Custom item', quantity: 1, price_inc_tax: 5, price_ex_tax: 5 }] });
    await h.sandbox.control.webhooksIdle();
    expect(receiver.received).toHaveLength(6);
    await h.json(`/v3/hooks/${hookId}`, { method: 'PUT', body: { is_active: true } });
    h.sandbox.control.placeOrder(h.hash, { products: [{ name: 'Custom item', quantity: 1, price_inc_tax: 5, price_ex_tax: 5 }] });
    await receiver.waitFor((r) => r.length >= 7);
  });

  it('fires inventory/updated webhooks when an adjustment is applied, not when it is accepted', async () => {
    await subscribe('store/product/inventory/updated');
    const { id: productId, variantId } = await createSimpleProduct(h, 'HOOK-INV', 1);
    await h.json('/v3/inventory/adjustments/absolute', { method: 'PUT', body: { items: [{ location_id: 1, variant_id: variantId, quantity: 12 }] } });
    expect(receiver.received).toHaveLength(0);
    const [w] = await receiver.waitFor((r) => r.length >= 1);
    expect(w!.body).toMatchObject({ scope: 'store/product/inventory/updated', data: { type: 'product', id: productId, inventory: { product_id: productId, method: 'absolute', value: 12 } } });
  });

  it('follows update_stock_behavior from /v3/settings/inventory: stock leaves when the order ships', async () => {
    const { id: productId } = await createSimpleProduct(h, 'SHIP-LATE', 10);
    const settings = await h.json('/v3/settings/inventory', { method: 'PUT', body: { update_stock_behavior: 'order_completed_or_shipped' } });
    expect(settings.body.data.update_stock_behavior).toBe('order_completed_or_shipped');
    expect((await h.json('/v3/settings/inventory')).body.data.update_stock_behavior).toBe('order_completed_or_shipped');
    const order = h.sandbox.control.placeOrder(h.hash, { status_id: 11, products: [{ product_id: productId, quantity: 3 }] });
    expect(order.decrements).toBeNull();
    expect(h.sandbox.control.stock(h.hash).find((s) => s.sku === 'SHIP-LATE')!.on_hand).toBe(10);
    await h.json(`/v2/orders/${order.id}`, { method: 'PUT', body: { status_id: 2 } });
    expect(h.sandbox.control.stock(h.hash).find((s) => s.sku === 'SHIP-LATE')!.on_hand).toBe(7);
  });

  it('rejects over-refunds with 422 in the refunds error shape', async () => {
    const { id: productId } = await createSimpleProduct(h, 'REF-1', 10);
    const order = h.sandbox.control.placeOrder(h.hash, { products: [{ product_id: productId, quantity: 1 }] });
    const lineId = order.products[0]!.id;
    const res = await h.json(`/v3/orders/${order.id}/payment_actions/refunds`, { method: 'POST', body: { items: [{ item_type: 'PRODUCT', item_id: lineId, quantity: 2 }], payments: [{ provider_id: 'custom', amount: 20, offline: true }] } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ data: [{ status: 422, title: expect.stringContaining('Cannot refund 2'), type: expect.any(String), errors: {} }] });
  });
});
