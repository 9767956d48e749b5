/**
 * What a BigCommerce order means for stock, before anyone books it in Lightspeed: whether
 * BigCommerce has taken its units off its own stock, from which location, and so which units
 * are in flight. Pure.
 */
import { decrementLocation } from './commitments';
import type { StockMode } from './levels';

/** BigCommerce order status ids (orders.v2: GET /orders/statuses). */
export const ORDER_STATUS = {
  incomplete: 0,
  pending: 1,
  shipped: 2,
  partiallyShipped: 3,
  refunded: 4,
  cancelled: 5,
  declined: 6,
  awaitingPayment: 7,
  awaitingPickup: 8,
  awaitingShipment: 9,
  completed: 10,
  awaitingFulfillment: 11,
  manualVerificationRequired: 12,
  disputed: 13,
  partiallyRefunded: 14,
} as const;

export type UpdateStockBehavior = 'order_placed' | 'order_completed_or_shipped';

/**
 * Are this order's units in flight: taken off BigCommerce's stock, on their way to Lightspeed?
 * BigCommerce takes them per the store's inventory setting `update_stock_behavior`
 * (settings.v3.yml): at placement, or only once shipped or completed. Incomplete (abandoned
 * checkout) and declined orders take nothing. A cancelled or refunded order will never reach
 * Lightspeed, so its units are not in flight whether or not BigCommerce gave them back (that
 * only tells the ledger what BigCommerce's stock did).
 */
export function orderHoldsStock(statusId: number, behavior: UpdateStockBehavior): boolean {
  if (statusId === ORDER_STATUS.incomplete || statusId === ORDER_STATUS.declined) return false;
  if (statusId === ORDER_STATUS.cancelled || statusId === ORDER_STATUS.refunded) return false;
  if (behavior === 'order_completed_or_shipped') return statusId === ORDER_STATUS.shipped || statusId === ORDER_STATUS.completed || statusId === ORDER_STATUS.partiallyShipped;
  return true;
}

export interface OrderLineView {
  id: number;
  bcVariantId: number | null;
  quantity: number;
  /** Units refunded with their stock returned: no longer in flight. */
  quantityReturned?: number;
}

export interface OrderView {
  id: number;
  statusId: number;
  pickupLocationId: number | null;
  lines: readonly OrderLineView[];
}

export interface LineCommitment {
  bcOrderLineId: number;
  bcVariantId: number;
  lsProductId: string;
  quantity: number;
  bcLocationId: number | null;
}

export interface OrderStockPlan {
  /** The order's in-flight lines, when BigCommerce holds its units; empty otherwise. */
  commitments: LineCommitment[];
  /** Lines of products Counterpart does not manage: recorded and left alone. */
  unmanaged: number[];
}

/** The in-flight lines of an order (lines of variants not linked to Lightspeed are left out, and listed). */
export function orderStockPlan(
  order: OrderView,
  lsProductOf: (bcVariantId: number) => string | undefined,
  settings: { mode: StockMode; defaultLocationId: number; behavior: UpdateStockBehavior },
): OrderStockPlan {
  const unmanaged: number[] = [];
  const commitments: LineCommitment[] = [];
  const holds = orderHoldsStock(order.statusId, settings.behavior);
  const location = decrementLocation({ pickupLocationId: order.pickupLocationId }, settings.mode, settings.defaultLocationId);
  for (const line of order.lines) {
    const lsProductId = line.bcVariantId === null ? undefined : lsProductOf(line.bcVariantId);
    if (lsProductId === undefined || line.bcVariantId === null) {
      unmanaged.push(line.id);
      continue;
    }
    const quantity = line.quantity - (line.quantityReturned ?? 0);
    if (!holds || quantity <= 0) continue;
    commitments.push({ bcOrderLineId: line.id, bcVariantId: line.bcVariantId, lsProductId, quantity, bcLocationId: location });
  }
  return { commitments, unmanaged };
}

/**
 * Did BigCommerce put a closed order's units back on its own stock? Its ledger must learn it if
 * so, and must not if not: a return that never happened reads as units missing from
 * BigCommerce, and the engine would publish that many too few.
 *
 * - An abandoned (Incomplete) order's units are given back.
 * - Cancelled, or Refunded by a status change, returns them only when the channel's
 *   `refund_order_stock_adjustment` says so (settings.v3.yml: "whether stock levels automatically
 *   adjust when you refund or cancel an order").
 * - Refunded through BigCommerce's refund service (the control panel's Refund button or the
 *   refunds API: the order then carries a refunded amount) returns nothing: "automatic restocking
 *   of inventory when a refund is performed is not supported" and "you cannot return items to
 *   inventory that you refunded via API" (refunds guide FAQ). Policy where the docs are silent: an
 *   order that reached Refunded with any refunded amount is taken as refunded by the service.
 */
export function bigcommerceReturnedStock(
  order: { statusId: number; refundedAmount: number },
  channelSetting: { refundOrderStockAdjustment: boolean },
): boolean {
  if (order.statusId === ORDER_STATUS.incomplete) return true;
  if (order.statusId === ORDER_STATUS.refunded && order.refundedAmount > 0) return false;
  return channelSetting.refundOrderStockAdjustment;
}
