/**
 * Refunds (orders.v3.yml payment actions; the Order Refunds guide): quotes, refunds of items and
 * of amounts, and the reads. One code path for the API and the sandbox control panel's Refund
 * button, as BigCommerce's control panel and API share one refund service.
 *
 * - item_id names an order product (PRODUCT, GIFT_WRAPPING), the order address (SHIPPING,
 *   HANDLING) or the order (ORDER) — "Where do I find the item_id?" (refunds guide FAQ).
 * - "You must receive payment of the order before you can issue a refund" (refunds guide,
 *   Troubleshooting): an unpaid order is refused.
 * - A refund moves the order to Refunded when nothing refundable is left, else to Partially
 *   Refunded; "you cannot return items to inventory that you refunded via API" (refunds guide FAQ)
 *   and "automatic restocking of inventory when a refund is performed is not supported" (support,
 *   Processing Refunds), so no stock moves.
 * - Webhooks for one refund: store/order/refund/created, then store/order/statusUpdated when the
 *   status changes, then store/order/updated (webhook events guide: "Any change to an existing
 *   order fires this webhook").
 */
import { z } from 'zod';
import { orderTotal, PAID_STATUSES, PARTIALLY_REFUNDED, REFUNDED, setOrderStatus } from './orders';
import { HttpError } from './responses';
import type { Runtime } from './runtime';
import { iso, nextId } from './store-state';
import type { Order, Refund, RefundItem, StoreState } from './types';

const refundItem = z.object({
  item_type: z.enum(['PRODUCT', 'GIFT_WRAPPING', 'SHIPPING', 'HANDLING', 'ORDER', 'TAX', 'FEE']),
  item_id: z.number().int(),
  quantity: z.number().int().min(1).optional(),
  amount: z.number().min(0).optional(),
  reason: z.string().max(1000).optional(),
});
export const refundQuoteInput = z.object({ items: z.array(refundItem).min(1) });
export const refundInput = refundQuoteInput.extend({
  payments: z.array(z.object({ provider_id: z.string().min(1), amount: z.number().min(0), offline: z.boolean().optional() })).min(1),
  reason: z.string().max(1000).optional(),
});
export type RefundInput = z.infer<typeof refundInput>;

/** The one way the sandbox pays refunds back: an offline "custom" provider (refunds guide, `refund_methods`). */
export const REFUND_PROVIDER = { provider_id: 'custom', provider_description: 'Custom', offline: true, offline_provider: true, offline_reason: 'This is an offline payment provider.' };

const round2 = (n: number) => Math.round(n * 100) / 100;

function refundedOf(order: Order, type: RefundItem['item_type']): number {
  return order.refunds.flatMap((r) => r.items).filter((i) => i.item_type === type).reduce((sum, i) => sum + i.requested_amount, 0);
}

/** What is left to refund on the order (its total less every refund so far). */
export function refundable(order: Order): number {
  return round2(orderTotal(order).incTax - order.refunded_amount);
}

/** Prices each line: PRODUCT by quantity × unit price, the others by amount; refuses what the order cannot give. */
export function priceRefund(order: Order, items: RefundItem[]): { total: number; lines: Refund['items'] } {
  const quantities = new Map<number, number>();
  const lines = items.map((item) => {
    const fail = (why: string) => new HttpError(422, `${item.item_type} ${item.item_id}: ${why}`);
    switch (item.item_type) {
      case 'PRODUCT': {
        const line = order.products.find((p) => p.id === item.item_id);
        if (!line) throw new HttpError(422, `Order product ${item.item_id} does not belong to order ${order.id}`);
        const quantity = item.quantity ?? 0;
        const asked = (quantities.get(line.id) ?? 0) + quantity;
        if (quantity < 1 || line.quantity_refunded + asked > line.quantity) throw new HttpError(422, `Cannot refund ${quantity} of order product ${item.item_id}: ${line.quantity - line.quantity_refunded - (asked - quantity)} left to refund`);
        quantities.set(line.id, asked);
        return { ...item, requested_amount: round2(quantity * line.price_inc_tax) };
      }
      case 'SHIPPING':
      case 'HANDLING': {
        if (!order.shipping_address || item.item_id !== order.order_address_id) throw fail(`is not an address of order ${order.id}`);
        if (item.amount === undefined) throw fail('needs an amount');
        const charged = item.item_type === 'SHIPPING' ? order.shipping_cost_inc_tax : 0;
        if (item.amount > round2(charged - refundedOf(order, item.item_type)) + 0.005) throw fail(`only ${round2(charged - refundedOf(order, item.item_type))} left to refund`);
        return { ...item, requested_amount: round2(item.amount) };
      }
      case 'ORDER': {
        if (item.item_id !== order.id) throw fail(`an ORDER refund names the order itself (${order.id})`);
        if (item.amount === undefined) throw fail('needs an amount');
        return { ...item, requested_amount: round2(item.amount) };
      }
      case 'GIFT_WRAPPING':
        throw fail('the order has no gift wrapping');
      case 'FEE':
        throw fail('the order has no fees');
      case 'TAX':
        throw fail('the order charged no tax');
    }
  });
  const total = round2(lines.reduce((sum, l) => sum + l.requested_amount, 0));
  if (total <= 0) throw new HttpError(422, 'The refund amount must be greater than zero');
  if (total > refundable(order) + 0.005) throw new HttpError(422, `The refund (${total.toFixed(2)}) exceeds what is left to refund on order ${order.id} (${refundable(order).toFixed(2)})`);
  return { total, lines };
}

function requirePaid(order: Order): void {
  if (!PAID_STATUSES.has(order.status_id)) throw new HttpError(422, `Order ${order.id} has not been paid (status ${order.status_id}); only paid orders can be refunded`);
}

export function quoteRefund(order: Order, items: RefundItem[]) {
  const { total } = priceRefund(order, items);
  requirePaid(order);
  return {
    order_id: order.id,
    total_refund_amount: total,
    total_refund_tax_amount: 0,
    order_level_refund_amount: round2(items.filter((i) => i.item_type === 'ORDER').reduce((sum, i) => sum + (i.amount ?? 0), 0)),
    rounding: 0,
    adjustment: 0,
    tax_inclusive: false,
    refund_methods: [[{ ...REFUND_PROVIDER, amount: total }]],
  };
}

export function createRefund(rt: Runtime, store: StoreState, order: Order, input: RefundInput): Refund {
  const { total, lines } = priceRefund(order, input.items);
  requirePaid(order);
  const unknown = input.payments.find((p) => p.provider_id !== REFUND_PROVIDER.provider_id);
  if (unknown) throw new HttpError(422, `${unknown.provider_id} is not a refund method of order ${order.id}; quote the refund for its methods`);
  const paid = round2(input.payments.reduce((sum, p) => sum + p.amount, 0));
  if (Math.abs(paid - total) > 0.005) throw new HttpError(422, `Payments (${paid}) must equal the refund total (${total})`);
  for (const line of lines) {
    const product = line.item_type === 'PRODUCT' ? order.products.find((p) => p.id === line.item_id) : undefined;
    if (!product) continue;
    product.quantity_refunded += line.quantity ?? 0;
    product.refund_amount = round2(product.refund_amount + line.requested_amount);
  }
  const refund: Refund = {
    id: nextId(store, 'refund'),
    order_id: order.id,
    created: iso(rt.config.now()),
    reason: input.reason ?? '',
    total_amount: total,
    total_tax: 0,
    items: lines,
    payments: input.payments.map((p) => ({ id: nextId(store, 'payment'), provider_id: p.provider_id, amount: p.amount, offline: p.offline ?? REFUND_PROVIDER.offline })),
  };
  order.refunds.push(refund);
  order.refunded_amount = round2(order.refunded_amount + total);
  rt.emit(store, 'store/order/refund/created', { type: 'order', id: order.id, refund: { refund_id: refund.id } });
  const status = refundable(order) <= 0.005 ? REFUNDED : PARTIALLY_REFUNDED;
  if (status !== order.status_id) setOrderStatus(rt, store, order, status, { moveStock: false });
  else {
    order.date_modified = iso(rt.config.now());
    rt.emit(store, 'store/order/updated', { type: 'order', id: order.id });
    rt.changed();
  }
  return refund;
}

export function allRefunds(store: StoreState): Refund[] {
  return store.orders.flatMap((o) => o.refunds).sort((a, b) => a.id - b.id);
}

/** `Refund` (orders.v3.yml), as the collections return it. */
export function refundView(refund: Refund) {
  return {
    id: refund.id,
    order_id: refund.order_id,
    user_id: 0,
    created: refund.created,
    reason: refund.reason,
    total_amount: refund.total_amount,
    total_tax: refund.total_tax,
    uses_merchant_override_values: false,
    items: refund.items.map((i) => ({ item_type: i.item_type, item_id: i.item_id, reason: i.reason ?? '', ...(i.quantity !== undefined ? { quantity: i.quantity } : {}), requested_amount: i.requested_amount })),
    payments: refund.payments.map((p) => ({ ...p, is_declined: false, declined_message: '', transaction_id: '' })),
  };
}

/**
 * `RefundID_Get`, the single-refund read. Its schema types `requested_amount` as a nullable string
 * ("109.11") where the collections' `Refund` has a number: the sandbox follows each schema.
 */
export function refundByIdView(refund: Refund) {
  const view = refundView(refund);
  return { ...view, items: view.items.map((i) => ({ ...i, requested_amount: i.requested_amount.toFixed(2) })), payments: view.payments.map(({ transaction_id: _t, ...p }) => p) };
}
