/**
 * Named, switchable choices where BigCommerce's documentation is silent. Each is listed in the
 * README's fidelity table with its default; a test or the control API switches it per store.
 */
import { z } from 'zod';
import type { OrderPolicies, StoreState } from './types';

export const ORDER_POLICY_DEFAULTS: OrderPolicies = {
  // The docs say stock is checked when a shopper pays (BOPIS FAQ) but not what `POST /v2/orders`
  // does with a catalog line beyond stock; refusing it is the careful reading.
  apiStockCheck: 'reject',
  // `availability: preorder` "is listed for pre-orders" (products_catalog.v3.yml); whether its
  // stock is checked is not said, so by default it sells against stock like `available`.
  preorderStock: 'check',
  // inventory.v3.yml: `is_in_stock` "Shows whether an item is available for purchase independent of
  // quantity", default true. Read as a gate: true leaves purchase to the quantity (an item with no
  // stock is still out of stock), false takes the item off sale at that location. 'ignored' keeps
  // the flag as data only, for a reader who takes it as informational.
  isInStock: 'restricts',
  // A refund needs a paid order (refunds guide). 'paid-type': every status BigCommerce calls paid,
  // Manual Verification Required (12) and Disputed (13) included; 'settled' leaves out those two,
  // where the payment is on hold or contested.
  paidStatuses: 'paid-type',
  // pickup.v3.yml records pickups but says nothing of the order's status; 'follows-pickups' moves a
  // paid order to Awaiting Pickup (8) when a pickup is recorded and to Completed (10) when every
  // ordered unit is collected, as a merchant would in the control panel.
  pickupOrderStatus: 'unchanged',
  // pickup_options.v3.yml `AvailableItem.quantity` is undocumented: the location's sellable units
  // (an option is only returned when they cover the request), or an echo of the requested quantity.
  pickupOptionQuantity: 'sellable',
};

/** `PUT /_sandbox/stores/{hash}/settings` `orderPolicies`: any subset, each value checked. */
export const orderPoliciesPatch = z
  .object({
    apiStockCheck: z.enum(['reject', 'allow']),
    preorderStock: z.enum(['check', 'ignore']),
    isInStock: z.enum(['restricts', 'ignored']),
    paidStatuses: z.enum(['paid-type', 'settled']),
    pickupOrderStatus: z.enum(['unchanged', 'follows-pickups']),
    pickupOptionQuantity: z.enum(['sellable', 'requested']),
  })
  .partial()
  .strict() satisfies z.ZodType<Partial<OrderPolicies>>;

/**
 * Statuses of a paid order. "Refunded … is considered neither paid or unpaid" and Pending,
 * Awaiting Payment, Declined, Cancelled and Incomplete are unpaid (the orders guide's
 * paid/unpaid table; order status descriptions in orders.v2.oas2.yml). Policy `paidStatuses`.
 */
const PAID_TYPE = new Set([2, 3, 8, 9, 10, 11, 12, 13, 14]);
const ON_HOLD_OR_DISPUTED = new Set([12, 13]);

export function isPaidStatus(store: StoreState, statusId: number): boolean {
  if (!PAID_TYPE.has(statusId)) return false;
  return orderPolicies(store).paidStatuses === 'paid-type' || !ON_HOLD_OR_DISPUTED.has(statusId);
}

export function orderPolicies(store: StoreState): OrderPolicies {
  return { ...ORDER_POLICY_DEFAULTS, ...(store.orderPolicies ?? {}) };
}
