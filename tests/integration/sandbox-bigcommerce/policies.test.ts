/**
 * Switches for behaviours BigCommerce's docs leave open: the store's `orderPolicies` (switched over
 * HTTP with `PUT /_sandbox/stores/{hash}/settings`, per store, mid-run) and the sandbox-wide
 * `policies` (set when the sandbox is created). Each test shows the default and the alternative
 * through the store's APIs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BigCommerceSandboxConfig } from '@/sandbox/bigcommerce';
import { VirtualClock } from '@/sandbox/clock';
import { createSimpleProduct, startSandbox, type Harness } from './helpers';
import { addLocation, control, createTee, setStock, shippingCheckout, shopper } from './order-helpers';

const DAY = 24 * 3600_000;

describe('BigCommerce sandbox: order policies per store', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(() => h.close());

  const switchTo = async (orderPolicies: Record<string, unknown>) => {
    const res = await control(h, 'PUT', '/settings', { orderPolicies });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const listed = async (id: number) => ((await control(h, 'GET', '/storefront?channel_id=1')).body.products as { id: number; variants: { stock: number; state: string }[] }[]).find((p) => p.id === id);

  it('refuses an unknown policy or value with 422 and keeps the policies it had', async () => {
    for (const orderPolicies of [{ isInStock: 'sometimes' }, { noSuchPolicy: true }, { paidStatuses: 'settled', pickupOptionQuantity: 'all' }]) {
      const res = await control(h, 'PUT', '/settings', { orderPolicies });
      expect(res.status, JSON.stringify(orderPolicies)).toBe(422);
    }
    // paidStatuses was in a refused request: an order on hold is still refundable.
    const { id } = await createSimpleProduct(h, 'KEEP', 5);
    const held = (await h.json('/v2/orders', { method: 'POST', body: { status_id: 12, billing_address: shopper, products: [{ product_id: id, quantity: 1 }] } })).body;
    const [line] = (await h.json(`/v2/orders/${held.id}/products`)).body;
    expect((await h.json(`/v3/orders/${held.id}/payment_actions/refund_quotes`, { method: 'POST', body: { items: [{ item_type: 'PRODUCT', item_id: line.id, quantity: 1 }] } })).status).toBe(201);
  });

  it('isInStock: is_in_stock false takes an item off sale at that location by default; under ignored it is kept as data and the stock sells', async () => {
    const { id, variantId } = await createSimpleProduct(h, 'FLAG', 5);
    const flagged = await h.json('/v3/inventory/locations/1/items', { method: 'PUT', body: { settings: [{ identity: { variant_id: variantId }, is_in_stock: false }] } });
    expect(flagged.status).toBe(200);
    expect(await listed(id)).toMatchObject({ variants: [{ stock: 0, state: 'out_of_stock' }] });
    expect((await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: id, variant_id: variantId, quantity: 1 }]))).status).toBe(422);

    await switchTo({ isInStock: 'ignored' });
    const settings = await h.json(`/v3/inventory/locations/1/items?variant_id:in=${variantId}`);
    expect(settings.body.data[0].settings).toMatchObject({ is_in_stock: false });
    expect(await listed(id)).toMatchObject({ variants: [{ stock: 5, state: 'available' }] });
    const sold = await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: id, variant_id: variantId, quantity: 2 }]));
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
    expect(await listed(id)).toMatchObject({ variants: [{ stock: 3 }] });
  });

  it('paidStatuses: an order in Manual Verification Required or Disputed is paid (refundable) by default; under settled it is not, and Awaiting Fulfillment still is', async () => {
    const { id } = await createSimpleProduct(h, 'PAID', 10);
    const order = async (status_id: number) => {
      const placed = (await h.json('/v2/orders', { method: 'POST', body: { status_id, billing_address: shopper, products: [{ product_id: id, quantity: 1 }] } })).body;
      const [line] = (await h.json(`/v2/orders/${placed.id}/products`)).body;
      return { id: placed.id as number, lineId: line.id as number };
    };
    const quote = (o: { id: number; lineId: number }) => h.json(`/v3/orders/${o.id}/payment_actions/refund_quotes`, { method: 'POST', body: { items: [{ item_type: 'PRODUCT', item_id: o.lineId, quantity: 1 }] } });
    const held = await order(12);
    const disputed = await order(13);
    const awaiting = await order(11);
    for (const o of [held, disputed, awaiting]) expect((await quote(o)).status).toBe(201);

    await switchTo({ paidStatuses: 'settled' });
    for (const o of [held, disputed]) {
      const refused = await quote(o);
      expect(refused.status).toBe(422);
      expect(refused.body.data[0].title).toMatch(/has not been paid/);
      const refund = await h.json(`/v3/orders/${o.id}/payment_actions/refunds`, { method: 'POST', body: { items: [{ item_type: 'PRODUCT', item_id: o.lineId, quantity: 1 }], payments: [{ provider_id: 'custom', amount: 10, offline: true }] } });
      expect(refund.status).toBe(422);
    }
    expect((await quote(awaiting)).status).toBe(201);
    const panel = (await control(h, 'GET', '/orders')).body as { id: number; paid: boolean }[];
    expect(Object.fromEntries(panel.map((o) => [o.id, o.paid]))).toEqual({ [held.id]: false, [disputed.id]: false, [awaiting.id]: true });
    expect((await h.json(`/v3/orders/${held.id}/payment_actions/refunds`)).body.data).toEqual([]);
  });

  it('pickupOrderStatus: recording pickups leaves the order status by default; under follows-pickups ready is Awaiting Pickup and all collected is Completed', async () => {
    const { id, variantId } = await createSimpleProduct(h, 'PUS', 0);
    const shop = await addLocation(h, 'PUS-SHOP');
    await setStock(h, [{ location_id: shop, variant_id: variantId, quantity: 10 }]);
    const method = (await h.json('/v3/pickup/methods', { method: 'POST', body: [{ location_id: shop }] })).body.data[0].id as number;
    const pickupOrder = async () => {
      const placed = (await h.json('/v2/orders', { method: 'POST', body: { status_id: 11, billing_address: shopper, consignments: { pickups: [{ pickup_method_id: method, line_items: [{ product_id: id, quantity: 3 }] }] } } })).body;
      const [line] = (await h.json(`/v2/orders/${placed.id}/products`)).body;
      return { id: placed.id as number, lineId: line.id as number };
    };
    const record = (o: { id: number; lineId: number }, quantity: number, collected?: string) =>
      h.json('/v3/orders/pickups', { method: 'POST', body: [{ pickup_method_id: method, order_id: o.id, ready_at: '2026-03-01T10:00:00Z', ...(collected ? { collected_at: collected } : {}), pickup_items: [{ order_product_id: o.lineId, quantity }] }] });
    const statusOf = async (o: { id: number }) => (await h.json(`/v2/orders/${o.id}`)).body.status_id as number;

    const unchanged = await pickupOrder();
    expect((await record(unchanged, 3, '2026-03-01T12:00:00Z')).status).toBe(200);
    expect(await statusOf(unchanged)).toBe(11);

    await switchTo({ pickupOrderStatus: 'follows-pickups' });
    const follows = await pickupOrder();
    const ready = await record(follows, 2);
    expect(ready.status).toBe(200);
    expect(await statusOf(follows)).toBe(8);
    const collected = await h.json('/v3/orders/pickups', { method: 'PUT', body: [{ pickup_id: ready.body.data[0].id, collected_at: '2026-03-01T12:00:00Z' }] });
    expect(collected.status).toBe(200);
    expect(await statusOf(follows)).toBe(8); // one unit still to collect
    expect((await record(follows, 1, '2026-03-01T12:05:00Z')).status).toBe(200);
    expect(await statusOf(follows)).toBe(10);
    // The earlier order moves too once its pickups change under the new policy; an unpaid order never does.
    const unpaid = (await h.json('/v2/orders', { method: 'POST', body: { status_id: 7, billing_address: shopper, consignments: { pickups: [{ pickup_method_id: method, line_items: [{ product_id: id, quantity: 1 }] }] } } })).body;
    const [unpaidLine] = (await h.json(`/v2/orders/${unpaid.id}/products`)).body;
    expect((await record({ id: unpaid.id, lineId: unpaidLine.id }, 1, '2026-03-01T12:00:00Z')).status).toBe(200);
    expect(await statusOf(unpaid)).toBe(7);
  });

  it('pickupOptionQuantity: available_items carry the location’s sellable units by default, the requested quantity under requested', async () => {
    const tee = await createTee(h, 'POQ', { S: 0, M: 0, L: 0 });
    const near = await addLocation(h, 'POQ-NEAR');
    await setStock(h, [{ location_id: near, variant_id: tee.variants.S, quantity: 7 }]);
    await h.json('/v3/pickup/methods', { method: 'POST', body: [{ location_id: near, display_name: 'Counter' }] });
    const search = async () => {
      const res = await h.json('/v3/pickup/options', { method: 'POST', body: { search_area: { coordinates: { latitude: 37.77, longitude: -122.42 }, radius: { value: 50, unit: 'KM' } }, items: [{ variant_id: tee.variants.S, quantity: 2 }] } });
      expect(res.status).toBe(200);
      return res.body.results[0].pickup_options.map((o: { available_items: unknown }) => o.available_items);
    };
    expect(await search()).toEqual([[{ variant_id: tee.variants.S, quantity: 7 }]]);
    await switchTo({ pickupOptionQuantity: 'requested' });
    expect(await search()).toEqual([[{ variant_id: tee.variants.S, quantity: 2 }]]);
  });
});

describe('BigCommerce sandbox: the hookStatus policy', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** A hook switched off by the app and one the platform deactivated after 90 idle days, as GET /v3/hooks/admin reports them. */
  async function statuses(policies: Partial<BigCommerceSandboxConfig>['policies']) {
    const clock = new VirtualClock(Date.UTC(2026, 2, 1));
    const sandbox = await startSandbox({ clock, seed: 'hook-status', policies });
    h = sandbox;
    const subscribe = async (scope: string) => (await sandbox.json('/v3/hooks', { method: 'POST', body: { scope, destination: 'https://hooks.example/in' } })).body.data.id as number;
    const idle = await subscribe('store/order/created');
    const switchedOff = await subscribe('store/order/updated');
    await sandbox.json(`/v3/hooks/${switchedOff}`, { method: 'PUT', body: { is_active: false } });
    await clock.advance(91 * DAY, () => sandbox.sandbox.control.webhooksSettled());
    const list = (await sandbox.json('/v3/hooks/admin')).body.data.hooks_list as { id: number; is_active: boolean; status: string }[];
    return Object.fromEntries(list.map((l) => [l.id === idle ? 'idle' : 'switchedOff', [l.is_active, l.status]]));
  }

  it('hookStatus: by-cause (default) tells the platform’s deactivation from the app’s switch-off; inactive-only reads both as inactive', async () => {
    expect(await statuses(undefined)).toEqual({ idle: [false, 'deactivated'], switchedOff: [false, 'inactive'] });
    await h?.close();
    expect(await statuses({ hookStatus: 'inactive-only' })).toEqual({ idle: [false, 'inactive'], switchedOff: [false, 'inactive'] });
  });
});
