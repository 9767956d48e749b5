/**
 * Cancellations and refunds over HTTP: stock comes back on cancel only as the refund/cancel stock
 * setting says, refunds of items and of amounts, the refund reads, the webhooks one refund fires,
 * and the control panel's Cancel and Refund actions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimpleProduct, startReceiver, startSandbox, type Harness, type Receiver } from './helpers';
import { control, onHand, shippingCheckout, shopper } from './order-helpers';

describe('BigCommerce sandbox: cancellations and refunds', () => {
  let h: Harness;
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
    h = await startSandbox();
  });
  afterEach(async () => {
    await h.close();
    await receiver.close();
  });

  async function subscribe(...scopes: string[]) {
    for (const scope of scopes) expect((await h.json('/v3/hooks', { method: 'POST', body: { scope, destination: receiver.url, is_active: true } })).status).toBe(200);
  }

  /** A paid storefront order of `quantity` units of a new product (price 10), shipped for 5.00 unless told otherwise. */
  async function paidOrder(sku: string, stock: number, quantity: number, shipping = 5) {
    const product = await createSimpleProduct(h, sku, stock);
    const res = await h.json('/v2/orders', { method: 'POST', body: { status_id: 11, billing_address: shopper, shipping_addresses: [shopper], shipping_cost_inc_tax: shipping, products: [{ product_id: product.id, quantity }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [line] = (await h.json(`/v2/orders/${res.body.id}/products`)).body;
    return { ...product, orderId: res.body.id as number, lineId: line.id as number, addressId: line.order_address_id as number };
  }

  it('cancelling returns stock when refund_order_stock_adjustment is on (the default), with order-inventory webhooks', async () => {
    await subscribe('store/product/inventory/order/updated', 'store/order/statusUpdated');
    const o = await paidOrder('CXL', 10, 4);
    expect(await onHand(h, o.variantId, 1)).toBe(6);
    expect((await h.json('/v3/settings/inventory')).body.data.refund_order_stock_adjustment).toBe(true);

    const cancelled = await h.json(`/v2/orders/${o.orderId}`, { method: 'PUT', body: { status_id: 5 } });
    expect(cancelled.body).toMatchObject({ status_id: 5, status: 'Cancelled' });
    expect(await onHand(h, o.variantId, 1)).toBe(10);
    const hooks = await receiver.waitFor((r) => r.filter((w) => w.body.scope === 'store/product/inventory/order/updated').length >= 2);
    expect(hooks.filter((w) => w.body.scope === 'store/product/inventory/order/updated').map((w) => w.body.data.inventory)).toEqual([
      { product_id: o.id, method: 'relative', value: -4 },
      { product_id: o.id, method: 'relative', value: 4 },
    ]);
    // Cancelling again changes nothing.
    await h.json(`/v2/orders/${o.orderId}`, { method: 'PUT', body: { status_id: 5 } });
    expect(await onHand(h, o.variantId, 1)).toBe(10);
  });

  it('cancelling keeps the stock out when refund_order_stock_adjustment is off, globally or for the order’s channel', async () => {
    await h.json('/v3/settings/inventory', { method: 'PUT', body: { refund_order_stock_adjustment: false } });
    const a = await paidOrder('KEEP-A', 10, 3);
    await h.json(`/v2/orders/${a.orderId}`, { method: 'PUT', body: { status_id: 5 } });
    expect(await onHand(h, a.variantId, 1)).toBe(7);
    // Setting Refunded by hand follows the same setting ("when you refund or cancel an order").
    const b = await paidOrder('KEEP-B', 10, 2);
    await h.json(`/v2/orders/${b.orderId}`, { method: 'PUT', body: { status_id: 4 } });
    expect(await onHand(h, b.variantId, 1)).toBe(8);

    // Globally on, off for channel 1: storefront orders keep their stock out, manual (API, channel 1 too) likewise.
    await h.json('/v3/settings/inventory', { method: 'PUT', body: { refund_order_stock_adjustment: true } });
    await h.json('/v3/settings/inventory?channel_id=1', { method: 'PUT', body: { refund_order_stock_adjustment: false } });
    const c = await paidOrder('KEEP-C', 10, 1);
    await h.json(`/v2/orders/${c.orderId}`, { method: 'PUT', body: { status_id: 5 } });
    expect(await onHand(h, c.variantId, 1)).toBe(9);
    // An order on another channel follows the global value.
    const pos = (await h.json('/v3/channels', { method: 'POST', body: { name: 'POS', type: 'pos', platform: 'custom' } })).body.data.id;
    const d = await createSimpleProduct(h, 'KEEP-D', 10);
    const posOrder = (await h.json('/v2/orders', { method: 'POST', body: { status_id: 11, channel_id: pos, billing_address: shopper, products: [{ product_id: d.id, quantity: 2 }] } })).body;
    await h.json(`/v2/orders/${posOrder.id}`, { method: 'PUT', body: { status_id: 5 } });
    expect(await onHand(h, d.variantId, 1)).toBe(10);
  });

  it('refunds items: quote, refund, status and reads; no stock comes back; the refund, status and update webhooks fire', async () => {
    await subscribe('store/order/refund/created', 'store/order/statusUpdated', 'store/order/updated', 'store/product/inventory/order/updated');
    const o = await paidOrder('RFD', 10, 3);
    const items = [{ item_type: 'PRODUCT', item_id: o.lineId, quantity: 2, reason: 'Damaged' }];
    const quote = await h.json(`/v3/orders/${o.orderId}/payment_actions/refund_quotes`, { method: 'POST', body: { items } });
    expect(quote.status).toBe(201);
    expect(quote.body.data).toMatchObject({ order_id: o.orderId, total_refund_amount: 20, refund_methods: [[{ provider_id: 'custom', amount: 20, offline: true }]] });
    receiver.received.length = 0;

    const refund = await h.json(`/v3/orders/${o.orderId}/payment_actions/refunds`, { method: 'POST', body: { items, payments: [{ provider_id: 'custom', amount: 20, offline: true }], reason: 'Damaged in transit' } });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    const refundId = refund.body.data.id;
    expect(refund.body.data).toMatchObject({ order_id: o.orderId, total_amount: 20, reason: 'Damaged in transit', items: [{ item_type: 'PRODUCT', item_id: o.lineId, quantity: 2, requested_amount: 20, reason: 'Damaged' }] });

    const order = (await h.json(`/v2/orders/${o.orderId}`)).body;
    expect(order).toMatchObject({ status_id: 14, status: 'Partially Refunded', refunded_amount: '20.0000', payment_status: 'partially refunded' });
    expect((await h.json(`/v2/orders/${o.orderId}/products`)).body[0]).toMatchObject({ quantity_refunded: 2, refund_amount: '20.0000', is_refunded: false });
    expect(await onHand(h, o.variantId, 1)).toBe(7); // refunds made through the API do not restock

    const hooks = await receiver.waitFor((r) => r.length >= 3);
    expect(hooks.map((w) => w.body.scope)).toEqual(['store/order/refund/created', 'store/order/statusUpdated', 'store/order/updated']);
    expect(hooks[0]!.body.data).toEqual({ type: 'order', id: o.orderId, refund: { refund_id: refundId } });
    expect(hooks[1]!.body.data).toEqual({ type: 'order', id: o.orderId, status: { previous_status_id: 11, new_status_id: 14 } });
    await h.sandbox.control.webhooksIdle();
    expect(receiver.received.some((w) => w.body.scope === 'store/product/inventory/order/updated')).toBe(false);

    // Reads: by id (RefundID_Get: amounts as strings), per order, and across orders with filters.
    const one = await h.json(`/v3/orders/payment_actions/refunds/${refundId}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id: refundId, order_id: o.orderId, total_amount: 20, items: [{ item_id: o.lineId, quantity: 2, requested_amount: '20.00' }], payments: [{ provider_id: 'custom', amount: 20, offline: true, is_declined: false }] });
    expect((await h.json('/v3/orders/payment_actions/refunds/999999')).status).toBe(404);
    expect((await h.json(`/v3/orders/${o.orderId}/payment_actions/refunds`)).body.data.map((r: { id: number }) => r.id)).toEqual([refundId]);
    const other = await paidOrder('RFD-OTHER', 10, 1);
    const second = await h.json(`/v3/orders/${other.orderId}/payment_actions/refunds`, { method: 'POST', body: { items: [{ item_type: 'PRODUCT', item_id: other.lineId, quantity: 1 }], payments: [{ provider_id: 'custom', amount: 10, offline: true }] } });
    const all = await h.json('/v3/orders/payment_actions/refunds');
    expect(all.body.data.map((r: { id: number }) => r.id)).toEqual([refundId, second.body.data.id]);
    expect(all.body.meta.pagination).toMatchObject({ total: 2, count: 2 });
    expect((await h.json(`/v3/orders/payment_actions/refunds?order_id:in=${other.orderId}`)).body.data.map((r: { id: number }) => r.id)).toEqual([second.body.data.id]);
    expect((await h.json(`/v3/orders/payment_actions/refunds?id:in=${refundId}`)).body.data.map((r: { id: number }) => r.id)).toEqual([refundId]);
    const future = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await h.json(`/v3/orders/payment_actions/refunds?created:min=${future}`)).body.data).toEqual([]);
    expect((await h.json(`/v3/orders/payment_actions/refunds?created:max=${future}`)).body.data).toHaveLength(2);
    expect((await h.json('/v3/orders/payment_actions/refunds?created:min=yesterday')).status).toBe(422);
  });

  it('refunds amounts (shipping, order level) until nothing is left; then the order is Refunded', async () => {
    await subscribe('store/order/statusUpdated', 'store/order/updated');
    const o = await paidOrder('AMT', 10, 2, 5); // 20.00 of products + 5.00 shipping
    const refund = (items: unknown[], amount: number) => h.json(`/v3/orders/${o.orderId}/payment_actions/refunds`, { method: 'POST', body: { items, payments: [{ provider_id: 'custom', amount, offline: true }] } });

    expect((await refund([{ item_type: 'SHIPPING', item_id: o.addressId, amount: 5 }], 5)).status).toBe(201);
    expect((await refund([{ item_type: 'SHIPPING', item_id: o.addressId, amount: 1 }], 1)).status).toBe(422); // no shipping left
    expect((await refund([{ item_type: 'SHIPPING', item_id: 12345, amount: 1 }], 1)).status).toBe(422); // not the order's address
    expect((await refund([{ item_type: 'ORDER', item_id: o.orderId, amount: 7.5 }], 7.5)).status).toBe(201);
    expect((await h.json(`/v2/orders/${o.orderId}`)).body).toMatchObject({ status_id: 14, refunded_amount: '12.5000' });
    await receiver.waitFor((r) => r.filter((w) => w.body.scope === 'store/order/updated').length >= 2);
    // A second partial refund leaves the status alone: store/order/updated, no statusUpdated.
    expect(receiver.received.filter((w) => w.body.scope === 'store/order/statusUpdated').map((w) => w.body.data.status)).toEqual([
      { previous_status_id: 0, new_status_id: 11 },
      { previous_status_id: 11, new_status_id: 14 },
    ]);

    const tooMuch = await refund([{ item_type: 'ORDER', item_id: o.orderId, amount: 13 }], 13);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.data[0].title).toMatch(/exceeds what is left to refund .*12\.50/);
    expect((await refund([{ item_type: 'ORDER', item_id: o.orderId + 1, amount: 1 }], 1)).status).toBe(422);
    expect((await refund([{ item_type: 'ORDER', item_id: o.orderId, amount: 2 }], 3)).status).toBe(422); // payments must match
    expect((await refund([{ item_type: 'ORDER', item_id: o.orderId, amount: 2 }], 2)).status).toBe(201);
    expect((await refund([{ item_type: 'PRODUCT', item_id: o.lineId, quantity: 1 }], 10)).status).toBe(201);
    expect((await h.json(`/v2/orders/${o.orderId}`)).body).toMatchObject({ status_id: 14, refunded_amount: '24.5000' });
    expect((await refund([{ item_type: 'ORDER', item_id: o.orderId, amount: 0.5 }], 0.5)).status).toBe(201);
    expect((await h.json(`/v2/orders/${o.orderId}`)).body).toMatchObject({ status_id: 4, status: 'Refunded', refunded_amount: '25.0000', payment_status: 'refunded' });
    const last = await refund([{ item_type: 'ORDER', item_id: o.orderId, amount: 0.5 }], 0.5);
    expect(last.status).toBe(422); // nothing left, and Refunded is not a paid status
    expect(await onHand(h, o.variantId, 1)).toBe(8);
  });

  it('refuses a refund of an unpaid order', async () => {
    const { id } = await createSimpleProduct(h, 'UNPAID', 5);
    const pending = (await h.json('/v2/orders', { method: 'POST', body: { billing_address: shopper, products: [{ product_id: id, quantity: 1 }] } })).body;
    expect(pending.status_id).toBe(1);
    const [line] = (await h.json(`/v2/orders/${pending.id}/products`)).body;
    const res = await h.json(`/v3/orders/${pending.id}/payment_actions/refunds`, { method: 'POST', body: { items: [{ item_type: 'PRODUCT', item_id: line.id, quantity: 1 }], payments: [{ provider_id: 'custom', amount: 10, offline: true }] } });
    expect(res.status).toBe(422);
    expect(res.body.data[0].title).toMatch(/has not been paid/);
    expect((await h.json(`/v3/orders/${pending.id}/payment_actions/refunds`)).body.data).toEqual([]);
  });

  it('the control panel cancels and refunds a storefront order', async () => {
    const { id, variantId } = await createSimpleProduct(h, 'CP', 10);
    const a = (await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: id, variant_id: variantId, quantity: 2 }]))).body.order;
    const b = (await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: id, variant_id: variantId, quantity: 3 }]))).body.order;
    expect(await onHand(h, variantId, 1)).toBe(5);

    const listed = await control(h, 'GET', '/orders');
    expect(listed.body.map((o: { id: number }) => o.id)).toEqual([b.id, a.id]); // newest first
    expect(listed.body[0]).toMatchObject({ status: 'Awaiting Fulfillment', total_inc_tax: 30, refundable: 30, paid: true, products: [{ sku: 'CP', quantity: 3, quantity_refunded: 0 }] });

    expect((await control(h, 'PUT', `/orders/${a.id}/status`, { status_id: 5 })).body).toEqual({ id: a.id, status_id: 5 });
    expect((await control(h, 'GET', '/orders')).body.find((o: { id: number }) => o.id === a.id)).toMatchObject({ status: 'Cancelled', paid: false });
    expect((await control(h, 'POST', `/orders/${a.id}/refund`, {})).status).toBe(422); // a cancelled order is not paid
    expect(await onHand(h, variantId, 1)).toBe(7);

    const partial = await control(h, 'POST', `/orders/${b.id}/refund`, { items: [{ order_product_id: b.products[0].id, quantity: 1 }] });
    expect(partial.status, JSON.stringify(partial.body)).toBe(201);
    expect(partial.body.order).toMatchObject({ status_id: 14, refunded_amount: 10, refundable: 20 });
    const rest = await control(h, 'POST', `/orders/${b.id}/refund`, {});
    expect(rest.body.refund).toMatchObject({ total_amount: 20, items: [{ item_type: 'PRODUCT', quantity: 2 }] });
    expect(rest.body.order).toMatchObject({ status_id: 4, refundable: 0 });
    expect((await control(h, 'POST', `/orders/${b.id}/refund`, {})).status).toBe(422);
    expect((await control(h, 'POST', `/orders/${b.id}/refund`, { amount: -1 })).status).toBe(422);
    expect(await onHand(h, variantId, 1)).toBe(7); // the refunds left stock alone
    expect((await h.json(`/v3/orders/${b.id}/payment_actions/refunds`)).body.data).toHaveLength(2);
  });
});
