/**
 * Orders: placing them (one code path for `POST /v2/orders`, the sandbox storefront's checkout and
 * the control API), checking and taking their stock the way the store's inventory settings say,
 * and status changes that pay for, cancel or refund them.
 *
 * - Stock is taken from the locations the store's stock policy names (stock-policy.ts); a pickup
 *   order takes it from its pickup location.
 * - An Incomplete order holds no stock; the move out of Incomplete is its payment, and stock is
 *   checked again then: "a store's inventory is not adjusted until a shopper has successfully paid
 *   for their order … the second will encounter an out-of-stock message when they reach the
 *   payment step" (BOPIS FAQ).
 * - Cancelling (or setting Refunded) returns the stock only when the channel's
 *   `refund_order_stock_adjustment` says so ("whether stock levels automatically adjust when you
 *   refund or cancel an order", settings.v3.yml); refunds made through the refunds API never do
 *   (refunds guide FAQ), so they change the status without moving stock.
 */
import { z } from 'zod';
import { emitStockChange, ensureStock, stockVariantId } from './inventory';
import { channelInventorySettings } from './inventory-settings';
import { findPickupMethod, pickupMethodForLocation } from './pickups';
import { orderPolicies } from './policies';
import { HttpError } from './responses';
import type { Runtime } from './runtime';
import { findProduct, findVariant, iso, isSimple, nextId, variantsOf } from './store-state';
import { allocate, oversellLocation, type Taken } from './stock-policy';
import type { BillingAddress, Order, OrderPickupConsignment, OrderProduct, Product, StockDecrement, StoreState, Variant } from './types';

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

export const INCOMPLETE = 0;
export const AWAITING_FULFILLMENT = 11;
export const COMPLETED = 10;
export const CANCELLED = 5;
export const DECLINED = 6;
export const REFUNDED = 4;
export const PARTIALLY_REFUNDED = 14;

/** Statuses that give an order's stock back (when the channel's refund/cancel setting says so). */
const RETURNS_STOCK = new Set([REFUNDED, CANCELLED]);
const SHIPPED_OR_COMPLETED = new Set([2, COMPLETED]);
/**
 * Statuses of a paid order. "Refunded … is considered neither paid or unpaid" and Pending,
 * Awaiting Payment, Declined, Cancelled and Incomplete are unpaid (the orders guide's
 * paid/unpaid table; order status descriptions in orders.v2.oas2.yml).
 */
export const PAID_STATUSES = new Set([2, 3, 8, 9, 10, 11, 12, 13, 14]);

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
  shipping_method: z.string().optional(),
});

/** `orderCatalogProduct_Post` / `orderCustomProduct_Post` (orders.v2.oas2.yml), plus a sandbox `sku` lookup. */
const orderLine = z.object({
  product_id: z.number().int().optional(),
  variant_id: z.number().int().optional(),
  product_options: z.array(z.object({ id: z.number().int(), value: z.union([z.string(), z.number()]) })).optional(),
  sku: z.string().optional(),
  name: z.string().min(1).optional(),
  name_customer: z.string().min(1).optional(),
  name_merchant: z.string().optional(),
  quantity: z.number().int().min(1),
  price_inc_tax: z.number().min(0).optional(),
  price_ex_tax: z.number().min(0).optional(),
  upc: z.string().optional(),
});
type OrderLineInput = z.infer<typeof orderLine>;

const text = (max: number) => z.string().max(max).optional();

/** Order money fields are typed string in the spec and described as "Float, Float-As-String, Integer". */
const decimal = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal')]).transform(Number).pipe(z.number().min(0));

/** `pickupConsignment_Post`: the method, how to collect, optional location details, the lines. */
const pickupConsignment = z.object({
  pickup_method_id: z.number().int(),
  pickup_method_display_name: text(250),
  collection_instructions: z.string().optional(),
  collection_time_description: text(250),
  location: z
    .object({
      name: text(255),
      code: text(50),
      address_line_1: text(255),
      address_line_2: text(255),
      city: text(255),
      state: text(255),
      // the spec's own example sends postal_code as a number
      postal_code: z.union([z.string().max(50), z.number()]).optional(),
      country_alpha2: z.string().length(2).optional(),
      email: text(255),
      phone: text(125),
    })
    .optional(),
  line_items: z.array(orderLine).min(1),
});

export const orderInput = z.object({
  status_id: z.number().int().min(0).max(14).optional(),
  channel_id: z.number().int().optional(),
  customer_id: z.number().int().optional(),
  billing_address: addressInput.optional(),
  shipping_addresses: z.array(addressInput).optional(),
  products: z.array(orderLine).min(1).optional(),
  consignments: z.object({ pickups: z.array(pickupConsignment).min(1) }).optional(),
  external_source: z.string().nullable().optional(),
  external_id: z.string().nullable().optional(),
  external_order_id: z.string().optional(),
  customer_message: z.string().optional(),
  staff_notes: z.string().optional(),
  payment_method: z.string().optional(),
  shipping_cost_inc_tax: decimal.optional(),
  shipping_cost_ex_tax: decimal.optional(),
});
export type OrderInput = z.infer<typeof orderInput>;

export interface PlaceOptions {
  /** Sandbox shorthand for a pickup consignment at this location (its first pickup method). */
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

/**
 * "An order can have either a pickup or a shipping fulfillment method, but not both. An order can
 * have only one pickup consignment … if the consignments array is present in the request, then
 * none of `shipping_addresses`, `products` may be present and vice-versa" (POST /orders).
 */
function fulfilment(rt: Runtime, store: StoreState, input: OrderInput, options: PlaceOptions): { lines: OrderLineInput[]; pickup: Omit<OrderPickupConsignment, 'id'> | null } {
  const pickups = input.consignments?.pickups;
  if (pickups) {
    if (input.products || input.shipping_addresses) throw new HttpError(400, 'An order is fulfilled by shipping (products, shipping_addresses) or by pickup (consignments), not both');
    if (pickups.length > 1) throw new HttpError(400, 'An order can have only one pickup consignment');
    if (options.pickupLocationId !== undefined) throw new HttpError(400, 'Give the pickup either as a consignment or as pickupLocationId, not both');
    const consignment = pickups[0]!;
    const method = findPickupMethod(store, consignment.pickup_method_id);
    if (!method) throw new HttpError(400, `Pickup method ${consignment.pickup_method_id} does not exist`);
    const location = Object.fromEntries(Object.entries(consignment.location ?? {}).map(([k, v]) => [k, String(v)]));
    return {
      lines: consignment.line_items,
      pickup: {
        pickup_method_id: method.id,
        location_id: method.location_id,
        display_name: consignment.pickup_method_display_name ?? method.display_name,
        collection_instructions: consignment.collection_instructions ?? method.collection_instructions,
        collection_time_description: consignment.collection_time_description ?? method.collection_time_description,
        location,
      },
    };
  }
  if (!input.products) throw new HttpError(400, 'An order needs products, or a pickup consignment with line_items');
  if (options.pickupLocationId === undefined) return { lines: input.products, pickup: null };
  const method = pickupMethodForLocation(rt, store, options.pickupLocationId);
  return {
    lines: input.products,
    pickup: { pickup_method_id: method.id, location_id: method.location_id, display_name: method.display_name, collection_instructions: method.collection_instructions, collection_time_description: method.collection_time_description, location: {} },
  };
}

/** The variant a catalog line names: by variant_id, by its option values (`product_options`), or the simple product's one variant. */
function lineVariant(store: StoreState, line: OrderLineInput, index: number) {
  if (line.variant_id !== undefined) return findVariant(store, line.variant_id);
  if (line.product_id === undefined) return line.sku !== undefined ? store.variants.find((v) => v.sku.toLowerCase() === line.sku!.toLowerCase()) : undefined;
  const product = findProduct(store, line.product_id);
  if (!product) return undefined;
  if (line.product_options && line.product_options.length > 0) {
    const wanted = line.product_options.map((o) => `${o.id}:${Number(o.value)}`).sort().join(',');
    const variant = variantsOf(store, product).find((v) => v.option_value_ids.map((o) => `${o.option_id}:${o.id}`).sort().join(',') === wanted);
    if (!variant) throw new HttpError(400, `products.${index}: product_options do not name a variant of product ${product.id}`);
    return variant;
  }
  if (!isSimple(store, product)) throw new HttpError(400, `products.${index}: product ${product.id} has variants; variant_id or product_options is required`);
  return findVariant(store, product.variant_ids[0]!);
}

/** What a shopper pays for one unit: the variant's sale or own price, else the product's (catalog `calculated_price`). */
export function catalogPrice(product: Product, variant: Variant | undefined): number {
  const sale = variant?.sale_price ?? (product.sale_price > 0 ? product.sale_price : null);
  if (sale !== null && sale > 0) return sale;
  return variant?.price ?? product.price;
}

function buildLines(store: StoreState, order: Order, lines: OrderLineInput[]): OrderProduct[] {
  return lines.map((line, index) => {
    const variant = lineVariant(store, line, index);
    const productId = line.product_id ?? variant?.product_id;
    const product = productId !== undefined ? findProduct(store, productId) : undefined;
    if (productId !== undefined && !product) throw new HttpError(400, `products.${index}: product ${productId} does not exist`);
    if (line.variant_id !== undefined && !variant) throw new HttpError(400, `products.${index}: variant ${line.variant_id} does not exist`);
    if (product && variant && variant.product_id !== product.id) throw new HttpError(400, `products.${index}: variant ${variant.id} does not belong to product ${product.id}`);
    const name = line.name ?? line.name_customer ?? line.name_merchant;
    if (!product && (name === undefined || line.price_inc_tax === undefined)) {
      throw new HttpError(400, `products.${index}: a custom product needs name, quantity, price_inc_tax and price_ex_tax`);
    }
    const price = line.price_inc_tax ?? (product ? catalogPrice(product, variant) : 0);
    return {
      id: nextId(store, 'orderProduct'),
      order_id: order.id,
      product_id: product?.id ?? 0,
      variant_id: variant?.id ?? 0,
      // Items of a pickup consignment carry its id and no address (orders.v2 `orderProducts`).
      order_address_id: order.pickup ? 0 : order.order_address_id,
      order_pickup_method_id: order.pickup?.id ?? 0,
      name: name ?? product?.name ?? '',
      sku: variant?.sku ?? line.sku ?? '',
      quantity: line.quantity,
      quantity_shipped: 0,
      quantity_refunded: 0,
      refund_amount: 0,
      price_ex_tax: line.price_ex_tax ?? price,
      price_inc_tax: price,
      base_cost_price: variant?.cost_price ?? product?.cost_price ?? 0,
      upc: variant?.upc || line.upc || '',
    };
  });
}

/**
 * Plans where every tracked line's units come from. With `check: 'reject'` a line the policy's
 * locations cannot cover refuses the whole order (nothing moves); with 'allow' the remainder is
 * oversold at the first source.
 */
export function planStock(store: StoreState, order: Order, check: 'reject' | 'allow'): StockDecrement[] {
  const plan: StockDecrement[] = [];
  const taken: Taken = new Map();
  const pickupLocationId = order.pickup?.location_id ?? order.pickup_location_id ?? null;
  const preorderUnchecked = orderPolicies(store).preorderStock === 'ignore';
  for (const line of order.products) {
    const product = findProduct(store, line.product_id);
    if (!product) continue;
    const carrier = stockVariantId(product, line.variant_id);
    if (carrier === null) continue;
    const { decrements, short } = allocate(store, carrier, line.quantity, pickupLocationId, taken);
    plan.push(...decrements);
    if (short === 0) continue;
    if (check === 'reject' && !(preorderUnchecked && product.availability === 'preorder')) {
      throw new HttpError(400, `Not enough stock for ${line.sku || line.name}: ${line.quantity - short} of ${line.quantity} available${pickupLocationId !== null ? ` at location ${pickupLocationId}` : ''}`);
    }
    plan.push({ variant_id: carrier, location_id: oversellLocation(store, pickupLocationId), quantity: short });
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

/** Whether an order in `statusId` has taken its stock, per its channel's `update_stock_behavior`. */
function decrementsDue(store: StoreState, order: Order, statusId: number): boolean {
  if (statusId === INCOMPLETE || RETURNS_STOCK.has(statusId)) return false;
  return channelInventorySettings(store, order.channel_id).update_stock_behavior === 'order_placed' || SHIPPED_OR_COMPLETED.has(statusId);
}

export function placeOrder(rt: Runtime, store: StoreState, input: OrderInput, options: PlaceOptions = {}): Order {
  const channelId = input.channel_id ?? 1;
  const channel = store.channels.find((c) => c.id === channelId);
  if (!channel || !channel.is_enabled) throw new HttpError(400, `channel_id ${channelId} is not a valid, enabled channel`);
  const { lines, pickup } = fulfilment(rt, store, input, options);
  if (pickup && !store.locations.some((l) => l.id === pickup.location_id && l.enabled)) {
    throw new HttpError(400, `Pickup location ${pickup.location_id} does not exist or is disabled`);
  }
  const stamp = iso(rt.config.now());
  const shipping = input.shipping_addresses?.[0];
  const order: Order = {
    id: nextId(store, 'order'),
    status_id: input.status_id ?? 1,
    channel_id: channelId,
    customer_id: input.customer_id ?? 0,
    date_created: stamp,
    date_modified: stamp,
    date_shipped: '',
    billing_address: address(input.billing_address),
    shipping_address: pickup ? null : address(shipping ?? input.billing_address),
    order_address_id: nextId(store, 'address'),
    pickup_location_id: pickup?.location_id ?? null,
    pickup: pickup ? { id: nextId(store, 'pickupConsignment'), ...pickup } : null,
    shipping_method: pickup ? '' : (shipping?.shipping_method ?? 'Flat Rate'),
    external_source: input.external_source ?? null,
    external_id: input.external_id ?? null,
    external_order_id: input.external_order_id ?? '',
    order_source: options.orderSource ?? 'external',
    payment_method: input.payment_method ?? 'Manual',
    customer_message: input.customer_message ?? '',
    staff_notes: input.staff_notes ?? '',
    shipping_cost_inc_tax: pickup ? 0 : (input.shipping_cost_inc_tax ?? 0),
    refunded_amount: 0,
    products: [],
    shipments: [],
    refunds: [],
    decrements: null,
    is_deleted: false,
  };
  order.products = buildLines(store, order, lines);
  // A placed order (anything but Incomplete) is checked against sellable stock now, whenever
  // its stock later moves; an Incomplete one is checked when it is paid.
  const check = options.allowOversell || orderPolicies(store).apiStockCheck === 'allow' ? 'allow' : 'reject';
  const plan = order.status_id === INCOMPLETE ? null : planStock(store, order, check);
  store.orders.push(order);
  for (const line of order.products) {
    const product = findProduct(store, line.product_id);
    if (product) product.total_sold += line.quantity;
  }
  rt.emit(store, 'store/order/created', { type: 'order', id: order.id });
  if (order.status_id !== INCOMPLETE) rt.emit(store, 'store/order/statusUpdated', { type: 'order', id: order.id, status: { previous_status_id: INCOMPLETE, new_status_id: order.status_id } });
  if (plan && decrementsDue(store, order, order.status_id)) {
    order.decrements = plan;
    moveStock(rt, store, plan, -1);
  }
  rt.changed();
  return order;
}

export interface StatusOptions {
  /** False for refunds made through the refunds API: the status moves, stock stays. */
  moveStock?: boolean;
  /** Leaving Incomplete beyond sellable stock: refuse (the storefront's payment step) or allow. Default: the store's API policy. */
  stockCheck?: 'reject' | 'allow';
}

/** Changes status, firing statusUpdated/updated and moving stock as the inventory settings say. */
export function setOrderStatus(rt: Runtime, store: StoreState, order: Order, statusId: number, options: StatusOptions = {}): void {
  const previous = order.status_id;
  if (previous === statusId) return;
  // Leaving Incomplete is the payment: stock is checked again before anything changes.
  const paying = previous === INCOMPLETE && statusId !== DECLINED && !RETURNS_STOCK.has(statusId);
  const plan = paying ? planStock(store, order, options.stockCheck ?? orderPolicies(store).apiStockCheck) : null;
  order.status_id = statusId;
  order.date_modified = iso(rt.config.now());
  if (SHIPPED_OR_COMPLETED.has(statusId) && order.date_shipped === '') order.date_shipped = order.date_modified;
  if (RETURNS_STOCK.has(statusId)) {
    if (order.decrements && options.moveStock !== false && channelInventorySettings(store, order.channel_id).refund_order_stock_adjustment) {
      moveStock(rt, store, order.decrements, 1);
      order.decrements = null;
    }
  } else if (plan && decrementsDue(store, order, statusId)) {
    order.decrements = plan;
    moveStock(rt, store, plan, -1);
  } else if (!paying && !order.decrements && !RETURNS_STOCK.has(previous) && decrementsDue(store, order, statusId)) {
    // order_completed_or_shipped: the stock leaves when the order ships or completes.
    order.decrements = planStock(store, order, 'allow');
    moveStock(rt, store, order.decrements, -1);
  }
  rt.emit(store, 'store/order/statusUpdated', { type: 'order', id: order.id, status: { previous_status_id: previous, new_status_id: statusId } });
  rt.emit(store, 'store/order/updated', { type: 'order', id: order.id });
  rt.changed();
}

/**
 * The status a paid storefront order lands in: "All new orders that have been paid for will have
 * a status of Awaiting Fulfillment (physical products) or Completed (downloadable products)"
 * (BigCommerce support, Order Statuses).
 */
export function paidStatus(store: StoreState, order: Order): number {
  const allDigital = order.products.length > 0 && order.products.every((l) => findProduct(store, l.product_id)?.type === 'digital');
  return allDigital ? COMPLETED : AWAITING_FULFILLMENT;
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
