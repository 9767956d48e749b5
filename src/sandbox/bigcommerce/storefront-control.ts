/**
 * Control actions for the sandbox storefront and the merchant's order actions in the sandbox
 * control panel (`/_sandbox/stores/{hash}/…`): the storefront's listing and checkout, paying an
 * order left at the payment step, the control panel's order list and its Refund button.
 * Cancelling is the existing status action (Cancelled, 5).
 */
import { z } from 'zod';
import type { BigCommerceSandboxControl, ControlContext } from './control';
import { body } from './control-body';
import { orderProductView } from './order-views';
import { INCOMPLETE, ORDER_STATUSES, orderTotal, PAID_STATUSES, requireOrder } from './orders';
import { createRefund, priceRefund, REFUND_PROVIDER, refundable, refundView, type RefundInput } from './refunds';
import { HttpError, json } from './responses';
import type { Router } from './router';
import type { Runtime } from './runtime';
import { checkoutInput } from './storefront';
import type { Order, Refund, StoreState } from './types';

/** The control panel's refund: named lines, an amount, or (neither) everything left. */
export const controlRefundInput = z.object({
  items: z.array(z.object({ order_product_id: z.number().int(), quantity: z.number().int().min(1) })).min(1).optional(),
  amount: z.number().positive().optional(),
  reason: z.string().max(1000).optional(),
});
export type ControlRefundInput = z.infer<typeof controlRefundInput>;

export function controlPanelRefund(rt: Runtime, store: StoreState, order: Order, input: ControlRefundInput): Refund {
  if (input.items && input.amount !== undefined) throw new HttpError(422, 'Refund either items or an amount, not both');
  let items: RefundInput['items'];
  if (input.items) items = input.items.map((i) => ({ item_type: 'PRODUCT', item_id: i.order_product_id, quantity: i.quantity }));
  else if (input.amount !== undefined) items = [{ item_type: 'ORDER', item_id: order.id, amount: input.amount }];
  else {
    const lines = order.products.filter((p) => p.quantity_refunded < p.quantity).map((p) => ({ item_type: 'PRODUCT' as const, item_id: p.id, quantity: p.quantity - p.quantity_refunded }));
    const productsLeft = lines.reduce((sum, l) => sum + l.quantity * (order.products.find((p) => p.id === l.item_id)?.price_inc_tax ?? 0), 0);
    const rest = Math.round((refundable(order) - productsLeft) * 100) / 100;
    items = [...lines, ...(rest > 0 ? [{ item_type: 'ORDER' as const, item_id: order.id, amount: rest }] : [])];
    if (items.length === 0) throw new HttpError(422, `Order ${order.id} has nothing left to refund`);
  }
  const { total } = priceRefund(order, items);
  return createRefund(rt, store, order, { items, payments: [{ provider_id: REFUND_PROVIDER.provider_id, amount: total, offline: true }], reason: input.reason ?? 'Refunded in the control panel' });
}

/** One row of the control panel's order list. */
export function orderSummary(store: StoreState, order: Order) {
  const location = order.pickup ? store.locations.find((l) => l.id === order.pickup!.location_id) : undefined;
  return {
    id: order.id,
    status_id: order.status_id,
    status: ORDER_STATUSES[order.status_id] ?? 'Unknown',
    channel_id: order.channel_id,
    order_source: order.order_source,
    date_created: order.date_created,
    total_inc_tax: orderTotal(order).incTax,
    refunded_amount: order.refunded_amount,
    refundable: refundable(order),
    /** Only a paid order can be refunded (refunds.ts). */
    paid: PAID_STATUSES.has(order.status_id),
    fulfilment: order.pickup ? { type: 'pickup' as const, pickup_method_id: order.pickup.pickup_method_id, location_id: order.pickup.location_id, location: location?.label ?? '' } : { type: 'shipping' as const, city: order.shipping_address?.city ?? '' },
    products: order.products.map(orderProductView).map((p) => ({ id: p.id, product_id: p.product_id, variant_id: p.variant_id, sku: p.sku, name: p.name, quantity: p.quantity, quantity_refunded: p.quantity_refunded, price_inc_tax: Number(p.price_inc_tax) })),
    decrements: order.decrements,
  };
}

/**
 * The routes call the control object (not the modules behind it), so an action that comes over
 * HTTP is recorded in the event log like one a test makes in-process.
 */
export function registerStorefrontControl(router: Router<ControlContext>, control: BigCommerceSandboxControl): void {
  const hashOf = (params: Record<string, string>) => params.hash ?? '';
  const summaryOf = (hash: string, order: Order) => orderSummary(control.store(hash), order);
  router
    .get('/stores/:hash/storefront', ({ params, url }) => {
      const channel = Number(url.searchParams.get('channel_id') ?? '1');
      if (!Number.isInteger(channel)) throw new HttpError(422, 'channel_id must be a channel id');
      return json(control.storefront(hashOf(params), channel));
    })
    .post('/stores/:hash/checkout', async ({ params, req }) => {
      const order = control.checkout(hashOf(params), await body(req, checkoutInput));
      return json({ paid: order.status_id !== INCOMPLETE, order: summaryOf(hashOf(params), order) }, 201);
    })
    .get('/stores/:hash/orders', ({ params }) => {
      const store = control.store(hashOf(params));
      return json(store.orders.filter((o) => !o.is_deleted).map((o) => orderSummary(store, o)).reverse());
    })
    .post('/stores/:hash/orders/:order_id/pay', ({ params }) => json(summaryOf(hashOf(params), control.payOrder(hashOf(params), Number(params.order_id)))))
    .post('/stores/:hash/orders/:order_id/refund', async ({ params, req }) => {
      const refund = control.refundOrder(hashOf(params), Number(params.order_id), await body(req, controlRefundInput));
      return json({ refund: refundView(refund), order: summaryOf(hashOf(params), requireOrder(control.store(hashOf(params)), refund.order_id)) }, 201);
    });
}
