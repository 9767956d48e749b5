/**
 * Orders: placing them, decrementing stock the way the store's inventory settings say, and
 * status changes that return stock. Placement is shared by the v2 API (`POST /v2/orders`) and
 * the control action that stands in for a storefront checkout.
 *
 * Where stock comes from: in default-location mode the storefront sells the default location's
 * stock, so an order decrements the default location — or the pickup location of a pickup
 * consignment. In aggregated mode it takes from enabled locations in id order.
 */
import { z } from 'zod';
import { emitStockChange, ensureStock, findStock } from './inventory';
import { HttpError } from './responses';
import type { Runtime } from './runtime';
import { DEFAULT_LOCATION_ID, findProduct, findVariant, iso, isSimple, nextId } from './store-state';
import type { BillingAddress, Order, OrderProduct, StockDecrement, StoreState } from './types';

export const ORDER_STATUSES: Record<number, string> = {
  0: 'Incomplete',
  1: 'Pending',
  2: 'Shipped',
  3: 'Partially Shipped',
  4: 'Refunded',
  5: 'Cancelled',
  6: 'Declined',
  7: 'Awaiting Payment',
  8: 'Awaiting Pickup',
  9: 'Awaiting Shipment',
  10: 'Completed',
  11: 'Awaiting Fulfillment',
  12: 'Manual Verification Required',
  13: 'Disputed',
  14: 'Partially Refunded',
};

const RETURNS_STOCK = new Set([4, 5]); // Refunded, Cancelled
const SHIPPED_OR_COMPLETED = new Set([2, 10]);

const addressInput = z.object({
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  company: z.string().optional(),
  street_1: z.string().optional(),
  street_2: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  zip: z.string().optional(),
  country: z.string().optional(),
  country_iso2: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
});

const orderLine = z.object({
  product_id: z.number().int().optional(),
  variant_id: z.number().int().optional(),
  sku: z.string().optional(),
  name: z.string().optional(),
  quantity: z.number().int().min(1),
  price_inc_tax: z.number().min(0).optional(),
  price_ex_tax: z.number().min(0).optional(),
});

export const orderInput = z.object({
  status_id: z.number().int().min(0).max(14).optional(),
  channel_id: z.number().int().optional(),
  customer_id: z.number().int().optional(),
  billing_address: addressInput.optional(),
  shipping_addresses: z.array(addressInput).optional(),
  products: z.array(orderLine).min(1),
  consignments: z
    .object({
      pickups: z.array(
        z.object({
          pickup_method_id: z.number().int(),
          location: z.object({ code: z.string().optional(), name: z.string().optional() }).passthrough().optional(),
          line_items: z.array(z.unknown()).optional(),
        }),
      ),
    })
    .optional(),
  external_source: z.string().nullable().optional(),
  external_id: z.string().nullable().optional(),
  external_order_id: z.string().optional(),
  customer_message: z.string().optional(),
  staff_notes: z.string().optional(),
  payment_method: z.string().optional(),
  shipping_cost_inc_tax: z.number().min(0).optional(),
});
export type OrderInput = z.infer<typeof orderInput>;

export interface PlaceOptions {
  /** Sandbox shorthand for a pickup consignment at this location. */
  pickupLocationId?: number;
  /** Skip the stock check: lets a test produce an oversell on purpose. */
  allowOversell?: boolean;
  orderSource?: string;
}

function address(input: z.infer<typeof addressInput> | undefined): BillingAddress {
  return {
    first_name: input?.first_name ?? 'Sandbox',
    last_name: input?.last_name ?? 'Shopper',
    company: input?.company ?? '',
    street_1: input?.street_1 ?? '1 Main St',
    street_2: input?.street_2 ?? '',
    city: input?.city ?? 'Austin',
    state: input?.state ?? 'Texas',
    zip: input?.zip ?? '78701',
    country: input?.country ?? 'United States',
    country_iso2: input?.country_iso2 ?? 'US',
    phone: input?.phone ?? '',
    email: input?.email ?? 'shopper@example.com',
  };
}

function resolvePickupLocation(store: StoreState, input: OrderInput, options: PlaceOptions): number | null {
  if (options.pickupLocationId !== undefined) return options.pickupLocationId;
  const pickup = input.consignments?.pickups[0];
  if (!pickup) return null;
  // The sandbox resolves a pickup by location code, else treats pickup_method_id as the location id.
  const byCode = pickup.location?.code ? store.locations.find((l) => l.code === pickup.location?.code) : undefined;
  return byCode?.id ?? pickup.pickup_method_id;
}

function buildLines(store: StoreState, order: Order, input: OrderInput): OrderProduct[] {
  return input.products.map((line, index) => {
    const variant =
      line.variant_id !== undefined
        ? findVariant(store, line.variant_id)
        : line.sku !== undefined && line.product_id === undefined
          ? store.variants.find((v) => v.sku.toLowerCase() === line.sku!.toLowerCase())
          : undefined;
    const productId = line.product_id ?? variant?.product_id;
    const product = productId !== undefined ? findProduct(store, productId) : undefined;
    if (productId !== undefined && !product) throw new HttpError(400, `products.${index}: product ${productId} does not exist`);
    let chosen = variant;
    if (product && !chosen) {
      if (!isSimple(store, product)) throw new HttpError(400, `products.${index}: product ${product.id} has variants; variant_id is required`);
      chosen = findVariant(store, product.variant_ids[0]!);
    }
    if (product && chosen && chosen.product_id !== product.id) throw new HttpError(400, `products.${index}: variant ${chosen.id} does not belong to product ${product.id}`);
    if (!product && (line.name === undefined || line.price_inc_tax === undefined)) {
      throw new HttpError(400, `products.${index}: a custom product needs name, quantity, price_inc_tax and price_ex_tax`);
    }
    const price = line.price_inc_tax ?? chosen?.sale_price ?? chosen?.price ?? (product && product.sale_price > 0 ? product.sale_price : product?.price) ?? 0;
    return {
      id: nextId(store, 'orderProduct'),
      order_id: order.id,
      product_id: product?.id ?? 0,
      variant_id: chosen?.id ?? 0,
      order_address_id: order.pickup_location_id === null ? order.order_address_id : 0,
      order_pickup_method_id: order.pickup_location_id ?? 0,
      name: line.name ?? product?.name ?? '',
      sku: chosen?.sku ?? line.sku ?? '',
      quantity: line.quantity,
      quantity_shipped: 0,
      quantity_refunded: 0,
      refund_amount: 0,
      price_ex_tax: line.price_ex_tax ?? price,
      price_inc_tax: price,
      base_cost_price: chosen?.cost_price ?? product?.cost_price ?? 0,
      upc: chosen?.upc ?? '',
    };
  });
}

/** Which locations give how many units of each line, under the store's stock mode. */
function planDecrements(store: StoreState, order: Order, allowOversell: boolean): StockDecrement[] {
  const plan: StockDecrement[] = [];
  const taken = new Map<string, number>(); // within this order, across lines of the same variant
  const left = (variantId: number, locationId: number) => (findStock(store, variantId, locationId)?.on_hand ?? 0) - (taken.get(`${variantId}:${locationId}`) ?? 0);
  const take = (variantId: number, locationId: number, quantity: number) => {
    taken.set(`${variantId}:${locationId}`, (taken.get(`${variantId}:${locationId}`) ?? 0) + quantity);
    plan.push({ variant_id: variantId, location_id: locationId, quantity });
  };
  for (const line of order.products) {
    const product = findProduct(store, line.product_id);
    if (!product || product.inventory_tracking === 'none') continue;
    if (store.stockMode === 'default-location' || order.pickup_location_id !== null) {
      const locationId = order.pickup_location_id ?? DEFAULT_LOCATION_ID;
      if (!allowOversell && left(line.variant_id, locationId) < line.quantity) throw new HttpError(400, `Not enough stock for ${line.sku || line.name} at location ${locationId}`);
      take(line.variant_id, locationId, line.quantity);
      continue;
    }
    let remaining = line.quantity;
    for (const location of store.locations.filter((l) => l.enabled).sort((a, b) => a.id - b.id)) {
      const quantity = Math.min(remaining, Math.max(0, left(line.variant_id, location.id)));
      if (quantity > 0) take(line.variant_id, location.id, quantity);
      remaining -= quantity;
      if (remaining === 0) break;
    }
    if (remaining > 0) {
      if (!allowOversell) throw new HttpError(400, `Not enough stock for ${line.sku || line.name}`);
      take(line.variant_id, DEFAULT_LOCATION_ID, remaining);
    }
  }
  return plan;
}

/** Applies (sign -1) or returns (sign +1) an order's stock and fires the order-inventory webhooks. */
function moveStock(rt: Runtime, store: StoreState, decrements: StockDecrement[], sign: 1 | -1): void {
  for (const d of decrements) {
    ensureStock(store, d.variant_id, d.location_id).on_hand += sign * d.quantity;
    const variant = findVariant(store, d.variant_id);
    if (variant) emitStockChange(rt, store, variant, d.location_id, 'order', 'relative', sign * d.quantity);
  }
}

function decrementsDue(store: StoreState, order: Order, statusId: number): boolean {
  if (statusId === 0) return false; // incomplete orders hold no stock
  // "Settings for a channel apply when inventory changes through an order in a channel" (settings.v3.yml).
  const override = store.channelInventorySettings?.[String(order.channel_id)]?.update_stock_behavior;
  const behavior = override === 'order_placed' || override === 'order_completed_or_shipped' ? override : store.updateStockBehavior;
  return behavior === 'order_placed' || SHIPPED_OR_COMPLETED.has(statusId);
}

export function placeOrder(rt: Runtime, store: StoreState, input: OrderInput, options: PlaceOptions = {}): Order {
  const channelId = input.channel_id ?? 1;
  const channel = store.channels.find((c) => c.id === channelId);
  if (!channel || !channel.is_enabled) throw new HttpError(400, `channel_id ${channelId} is not a valid, enabled channel`);
  const pickupLocationId = resolvePickupLocation(store, input, options);
  if (pickupLocationId !== null && !store.locations.some((l) => l.id === pickupLocationId && l.enabled)) {
    throw new HttpError(400, `Pickup location ${pickupLocationId} does not exist or is disabled`);
  }
  const stamp = iso(rt.config.now());
  const order: Order = {
    id: nextId(store, 'order'),
    status_id: input.status_id ?? 1,
    channel_id: channelId,
    customer_id: input.customer_id ?? 0,
    date_created: stamp,
    date_modified: stamp,
    date_shipped: '',
    billing_address: address(input.billing_address),
    shipping_address: pickupLocationId === null ? address(input.shipping_addresses?.[0] ?? input.billing_address) : null,
    order_address_id: nextId(store, 'address'),
    pickup_location_id: pickupLocationId,
    external_source: input.external_source ?? null,
    external_id: input.external_id ?? null,
    external_order_id: input.external_order_id ?? '',
    order_source: options.orderSource ?? 'external',
    payment_method: input.payment_method ?? 'Manual',
    customer_message: input.customer_message ?? '',
    staff_notes: input.staff_notes ?? '',
    shipping_cost_inc_tax: input.shipping_cost_inc_tax ?? 0,
    refunded_amount: 0,
    products: [],
    shipments: [],
    refunds: [],
    decrements: null,
    is_deleted: false,
  };
  order.products = buildLines(store, order, input);
  const plan = decrementsDue(store, order, order.status_id) ? planDecrements(store, order, options.allowOversell ?? false) : null;
  store.orders.push(order);
  for (const line of order.products) {
    const product = findProduct(store, line.product_id);
    if (product) product.total_sold += line.quantity;
  }
  rt.emit(store, 'store/order/created', { type: 'order', id: order.id });
  rt.emit(store, 'store/order/statusUpdated', { type: 'order', id: order.id, status: { previous_status_id: 0, new_status_id: order.status_id } });
  if (plan) {
    order.decrements = plan;
    moveStock(rt, store, plan, -1);
  }
  rt.changed();
  return order;
}

/** Changes status, firing statusUpdated/updated and moving stock as the inventory settings say. */
export function setOrderStatus(rt: Runtime, store: StoreState, order: Order, statusId: number, options: { moveStock?: boolean } = {}): void {
  const previous = order.status_id;
  if (previous === statusId) return;
  order.status_id = statusId;
  order.date_modified = iso(rt.config.now());
  if (SHIPPED_OR_COMPLETED.has(statusId) && order.date_shipped === '') order.date_shipped = order.date_modified;
  if (options.moveStock === false) {
    // e.g. API refunds: the status changes but stock stays where it is.
  } else if (RETURNS_STOCK.has(statusId) && order.decrements) {
    moveStock(rt, store, order.decrements, 1);
    order.decrements = null;
  } else if (!order.decrements && !RETURNS_STOCK.has(statusId) && decrementsDue(store, order, statusId) && !RETURNS_STOCK.has(previous)) {
    // order_completed_or_shipped: the stock leaves when the order ships or completes.
    order.decrements = planDecrements(store, order, true);
    moveStock(rt, store, order.decrements, -1);
  }
  rt.emit(store, 'store/order/statusUpdated', { type: 'order', id: order.id, status: { previous_status_id: previous, new_status_id: statusId } });
  rt.emit(store, 'store/order/updated', { type: 'order', id: order.id });
  rt.changed();
}

export function requireOrder(store: StoreState, id: number): Order {
  const order = store.orders.find((o) => o.id === id && !o.is_deleted);
  if (!order) throw new HttpError(404, 'The requested resource was not found.');
  return order;
}

export function orderTotal(order: Order): { exTax: number; incTax: number; items: number } {
  const subtotalInc = order.products.reduce((sum, p) => sum + p.price_inc_tax * p.quantity, 0);
  const subtotalEx = order.products.reduce((sum, p) => sum + p.price_ex_tax * p.quantity, 0);
  return {
    exTax: subtotalEx + order.shipping_cost_inc_tax,
    incTax: subtotalInc + order.shipping_cost_inc_tax,
    items: order.products.reduce((sum, p) => sum + p.quantity, 0),
  };
}
