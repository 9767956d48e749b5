/**
 * Named, switchable choices where BigCommerce's documentation is silent. Each is listed in the
 * README's fidelity table with its default; a test or the control API switches it per store.
 */
import type { OrderPolicies, StoreState } from './types';

export const ORDER_POLICY_DEFAULTS: OrderPolicies = {
  // The docs say stock is checked when a shopper pays (BOPIS FAQ) but not what `POST /v2/orders`
  // does with a catalog line beyond stock; refusing it is the careful reading.
  apiStockCheck: 'reject',
  // `availability: preorder` "is listed for pre-orders" (products_catalog.v3.yml); whether its
  // stock is checked is not said, so by default it sells against stock like `available`.
  preorderStock: 'check',
};

export function orderPolicies(store: StoreState): OrderPolicies {
  return { ...ORDER_POLICY_DEFAULTS, ...(store.orderPolicies ?? {}) };
}
