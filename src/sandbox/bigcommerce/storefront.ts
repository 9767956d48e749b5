/**
 * The sandbox storefront: what a shopper on one channel sees and buys. It stands in for a Stencil
 * storefront and its checkout, and places orders through the same `placeOrder` the Orders API
 * uses, so stock leaves BigCommerce exactly as it does for an API order.
 *
 * What decides whether a product is listed and can be bought (sources in the README table):
 * - listed: `is_visible` ("If false, the product will be hidden from view", products_catalog.v3.yml)
 *   and assigned to the channel (channel assignments); out-of-stock products are hidden when
 *   `product_out_of_stock_behavior` is one of the hide_* values, out-of-stock variants when
 *   `option_out_of_stock_behavior` is `hide_option` (settings.v3.yml), per channel.
 * - purchasable: `availability` not `disabled` ("listed on the storefront, but cannot be
 *   purchased"), the variant's `purchasing_disabled` off, and stock: none tracked, or sellable
 *   units under the store's stock policy (stock-policy.ts), safety stock and `is_in_stock`
 *   included. Tracking by product, every variant draws on the product's one count.
 * - checkout: the order is created Incomplete when the shopper reaches payment and paid at once
 *   (unless the caller stops there): paying re-checks stock and moves the order to Awaiting
 *   Fulfillment, or Completed when everything is digital (orders.ts `paidStatus`).
 */
import { z } from 'zod';
import { stockVariantId } from './inventory';
import { channelInventorySettings } from './inventory-settings';
import { catalogPrice, INCOMPLETE, type OrderInput, paidStatus, placeOrder, setOrderStatus } from './orders';
import { findPickupMethod, pickupMethodsOf } from './pickups';
import { orderPolicies } from './policies';
import { HttpError } from './responses';
import type { Runtime } from './runtime';
import { findProduct, variantsOf } from './store-state';
import { allocate, sellableUnits, stockPolicy, type Taken } from './stock-policy';
import type { Channel, Order, Product, StoreState, Variant } from './types';

export type VariantState = 'available' | 'preorder' | 'out_of_stock' | 'purchasing_disabled' | 'unavailable';

export interface StorefrontVariant {
  id: number;
  sku: string;
  options: { name: string; value: string }[];
  price: number;
  /** Units the storefront can sell for shipping; null when the product tracks no stock. */
  stock: number | null;
  state: VariantState;
  purchasable: boolean;
  /** `label_option`: out-of-stock options stay listed with a label. */
  label: string | null;
}

export interface StorefrontProduct {
  id: number;
  name: string;
  sku: string;
  type: Product['type'];
  availability: Product['availability'];
  inventory_tracking: Product['inventory_tracking'];
  categories: string[];
  price: number;
  variants: StorefrontVariant[];
  purchasable: boolean;
}

export interface StorefrontPickupMethod {
  id: number;
  display_name: string;
  collection_instructions: string;
  collection_time_description: string;
  location: { id: number; code: string; label: string; city: string; address: string };
}

export interface StorefrontView {
  store: { hash: string; name: string };
  channel: { id: number; name: string; type: Channel['type'] };
  stock_mode: string;
  settings: { product_out_of_stock_behavior: string; option_out_of_stock_behavior: string };
  products: StorefrontProduct[];
  pickup_methods: StorefrontPickupMethod[];
}

/** A channel shoppers can buy on: an enabled storefront channel. */
export function requireStorefrontChannel(store: StoreState, channelId: number): Channel {
  const channel = store.channels.find((c) => c.id === channelId);
  if (!channel) throw new HttpError(404, `Channel ${channelId} does not exist`);
  if (channel.type !== 'storefront') throw new HttpError(422, `Channel ${channelId} is a ${channel.type} channel, not a storefront`);
  if (!channel.is_enabled) throw new HttpError(422, `Channel ${channelId} is not enabled`);
  return channel;
}

function onChannel(store: StoreState, product: Product, channelId: number): boolean {
  return store.channelAssignments.some((a) => a.product_id === product.id && a.channel_id === channelId);
}

function optionLabels(product: Product, variant: Variant): { name: string; value: string }[] {
  return variant.option_value_ids.map(({ option_id, id }) => {
    const option = product.options.find((o) => o.id === option_id);
    return { name: option?.display_name ?? '', value: option?.option_values.find((v) => v.id === id)?.label ?? '' };
  });
}

function variantState(store: StoreState, product: Product, variant: Variant): { state: VariantState; stock: number | null } {
  const carrier = stockVariantId(product, variant.id);
  const stock = carrier === null ? null : sellableUnits(store, carrier, null);
  if (product.availability === 'disabled') return { state: 'unavailable', stock };
  if (variant.purchasing_disabled) return { state: 'purchasing_disabled', stock };
  if (product.availability === 'preorder') {
    const unchecked = orderPolicies(store).preorderStock === 'ignore';
    return { state: unchecked || stock === null || stock > 0 ? 'preorder' : 'out_of_stock', stock };
  }
  return { state: stock === null || stock > 0 ? 'available' : 'out_of_stock', stock };
}

/** Everything the channel's shoppers see, with what they can buy. */
export function storefrontView(store: StoreState, channelId: number): StorefrontView {
  const channel = requireStorefrontChannel(store, channelId);
  const settings = channelInventorySettings(store, channel.id);
  const products: StorefrontProduct[] = [];
  for (const product of store.products) {
    if (!product.is_visible || !onChannel(store, product, channel.id)) continue;
    const all = variantsOf(store, product).map((variant): StorefrontVariant => {
      const { state, stock } = variantState(store, product, variant);
      const outOfStock = state === 'out_of_stock';
      return {
        id: variant.id,
        sku: variant.sku,
        options: optionLabels(product, variant),
        price: catalogPrice(product, variant),
        stock,
        state,
        purchasable: state === 'available' || state === 'preorder',
        label: outOfStock && settings.option_out_of_stock_behavior === 'label_option' ? 'Out of stock' : null,
      };
    });
    const productOutOfStock = all.length > 0 && all.every((v) => v.state === 'out_of_stock');
    if (productOutOfStock && settings.product_out_of_stock_behavior !== 'do_nothing') continue;
    const variants = settings.option_out_of_stock_behavior === 'hide_option' ? all.filter((v) => v.state !== 'out_of_stock') : all;
    products.push({
      id: product.id,
      name: product.name,
      sku: product.sku,
      type: product.type,
      availability: product.availability,
      inventory_tracking: product.inventory_tracking,
      categories: product.categories.map((id) => store.categories.find((c) => c.id === id)?.name ?? '').filter((n) => n !== ''),
      price: Math.min(...(variants.length > 0 ? variants.map((v) => v.price) : [catalogPrice(product, undefined)])),
      variants,
      purchasable: variants.some((v) => v.purchasable),
    });
  }
  return {
    store: { hash: store.hash, name: store.name },
    channel: { id: channel.id, name: channel.name, type: channel.type },
    stock_mode: stockPolicy(store).name,
    settings: { product_out_of_stock_behavior: settings.product_out_of_stock_behavior, option_out_of_stock_behavior: settings.option_out_of_stock_behavior },
    products,
    pickup_methods: storefrontPickupMethods(store),
  };
}

/** Methods at enabled locations the storefront may show (`storefront_visibility`, inventory-locations guide). */
function storefrontPickupMethods(store: StoreState): StorefrontPickupMethod[] {
  return pickupMethodsOf(store).flatMap((m) => {
    const location = store.locations.find((l) => l.id === m.location_id);
    if (!location?.enabled || !location.storefront_visibility) return [];
    const a = location.address;
    return [
      {
        id: m.id,
        display_name: m.display_name,
        collection_instructions: m.collection_instructions,
        collection_time_description: m.collection_time_description,
        location: { id: location.id, code: location.code, label: location.label, city: a?.city ?? '', address: a ? `${a.address1}, ${a.city}, ${a.state} ${a.zip}` : '' },
      },
    ];
  });
}

const addressInput = z.object({
  first_name: z.string().min(1).max(255),
  last_name: z.string().min(1).max(255),
  street_1: z.string().min(1).max(255),
  street_2: z.string().max(255).optional(),
  city: z.string().min(1).max(100),
  state: z.string().min(1).max(100),
  zip: z.string().min(1).max(20),
  country: z.string().min(1).max(100),
  country_iso2: z.string().length(2),
  email: z.string().email(),
  phone: z.string().max(50).optional(),
});

export const checkoutInput = z.object({
  channel_id: z.number().int(),
  lines: z.array(z.object({ product_id: z.number().int(), variant_id: z.number().int(), quantity: z.number().int().min(1).max(10_000) })).min(1),
  billing_address: addressInput,
  fulfilment: z.discriminatedUnion('type', [
    z.object({ type: z.literal('shipping'), address: addressInput.optional(), shipping_method: z.string().max(100).optional() }),
    z.object({ type: z.literal('pickup'), pickup_method_id: z.number().int() }),
  ]),
  customer_message: z.string().max(1000).optional(),
  /** False stops at the payment step: the order stays Incomplete until `payOrder`. */
  pay: z.boolean().optional(),
});
export type CheckoutInput = z.infer<typeof checkoutInput>;

export interface CheckoutResult {
  order: Order;
  paid: boolean;
}

/** Refuses a line the shopper could not have put in the cart on this channel. */
function checkPurchasable(store: StoreState, channelId: number, line: CheckoutInput['lines'][number], index: number): void {
  const product = findProduct(store, line.product_id);
  if (!product || !product.is_visible || !onChannel(store, product, channelId)) throw new HttpError(422, `lines.${index}: product ${line.product_id} is not sold on channel ${channelId}`);
  const variant = variantsOf(store, product).find((v) => v.id === line.variant_id);
  if (!variant) throw new HttpError(422, `lines.${index}: variant ${line.variant_id} is not a variant of product ${product.id}`);
  if (product.availability === 'disabled') throw new HttpError(422, `lines.${index}: ${product.name} is listed but cannot be purchased (availability: disabled)`);
  if (variant.purchasing_disabled) throw new HttpError(422, `lines.${index}: ${variant.sku || product.name} cannot be purchased (purchasing disabled)`);
}

/** The cart's own stock check, before any order exists: "We don't have enough in stock" at the cart. */
function checkCartStock(store: StoreState, input: CheckoutInput, pickupLocationId: number | null): void {
  const taken: Taken = new Map();
  const unchecked = orderPolicies(store).preorderStock === 'ignore';
  input.lines.forEach((line, index) => {
    const product = findProduct(store, line.product_id)!;
    const carrier = stockVariantId(product, line.variant_id);
    if (carrier === null || (unchecked && product.availability === 'preorder')) return;
    const { short } = allocate(store, carrier, line.quantity, pickupLocationId, taken);
    if (short > 0) {
      const where = pickupLocationId !== null ? ' at the pickup location' : '';
      throw new HttpError(422, `lines.${index}: only ${line.quantity - short} of ${product.name}${where} can be bought now`);
    }
  });
}

export function checkout(rt: Runtime, store: StoreState, input: CheckoutInput): CheckoutResult {
  const channel = requireStorefrontChannel(store, input.channel_id);
  input.lines.forEach((line, index) => checkPurchasable(store, channel.id, line, index));
  let pickupLocationId: number | null = null;
  if (input.fulfilment.type === 'pickup') {
    const method = findPickupMethod(store, input.fulfilment.pickup_method_id);
    const location = method ? store.locations.find((l) => l.id === method.location_id) : undefined;
    if (!method || !location?.enabled || !location.storefront_visibility) throw new HttpError(422, `Pickup method ${input.fulfilment.pickup_method_id} is not offered on this storefront`);
    pickupLocationId = location.id;
  }
  checkCartStock(store, input, pickupLocationId);
  const lines = input.lines.map((l) => ({ product_id: l.product_id, variant_id: l.variant_id, quantity: l.quantity }));
  const order: OrderInput = {
    status_id: INCOMPLETE,
    channel_id: channel.id,
    billing_address: input.billing_address,
    customer_message: input.customer_message,
    payment_method: 'Test Payment Gateway',
    ...(input.fulfilment.type === 'pickup'
      ? { consignments: { pickups: [{ pickup_method_id: input.fulfilment.pickup_method_id, line_items: lines }] } }
      : { products: lines, shipping_addresses: [{ ...(input.fulfilment.address ?? input.billing_address), shipping_method: input.fulfilment.shipping_method ?? 'Flat Rate' }] }),
  };
  const placed = placeOrder(rt, store, order, { orderSource: 'www' });
  if (input.pay === false) return { order: placed, paid: false };
  payOrder(rt, store, placed);
  return { order: placed, paid: true };
}

/**
 * The payment step: an Incomplete order becomes paid, with stock checked again first — the
 * second of two shoppers paying for the last unit gets an out-of-stock error and an order that
 * stays Incomplete (BOPIS FAQ).
 */
export function payOrder(rt: Runtime, store: StoreState, order: Order): void {
  if (order.status_id !== INCOMPLETE) throw new HttpError(409, `Order ${order.id} is not awaiting payment (status ${order.status_id})`);
  try {
    setOrderStatus(rt, store, order, paidStatus(store, order), { stockCheck: 'reject' });
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) throw new HttpError(409, `Payment refused for order ${order.id}: ${error.title}`);
    throw error;
  }
}
