/**
 * A small typed client for the BigCommerce sandbox's storefront and order control actions
 * (`<base>/stores/{hash}/…`), for the storefront page and the sandbox control panel. It talks
 * HTTP to the mounted sandbox, never to src/sandbox directly, and checks every response with zod
 * so a drifted shape fails loudly instead of rendering nonsense.
 */
import { z } from 'zod';

const variantSchema = z.object({
  id: z.number().int(),
  sku: z.string(),
  options: z.array(z.object({ name: z.string(), value: z.string() })),
  price: z.number(),
  stock: z.number().nullable(),
  state: z.enum(['available', 'preorder', 'out_of_stock', 'purchasing_disabled', 'unavailable']),
  purchasable: z.boolean(),
  label: z.string().nullable(),
});
export type StorefrontVariant = z.infer<typeof variantSchema>;

const productSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  sku: z.string(),
  type: z.enum(['physical', 'digital']),
  availability: z.enum(['available', 'disabled', 'preorder']),
  inventory_tracking: z.enum(['none', 'product', 'variant']),
  categories: z.array(z.string()),
  price: z.number(),
  variants: z.array(variantSchema),
  purchasable: z.boolean(),
});
export type StorefrontProduct = z.infer<typeof productSchema>;

const pickupMethodSchema = z.object({
  id: z.number().int(),
  display_name: z.string(),
  collection_instructions: z.string(),
  collection_time_description: z.string(),
  location: z.object({ id: z.number().int(), code: z.string(), label: z.string(), city: z.string(), address: z.string() }),
});
export type StorefrontPickupMethod = z.infer<typeof pickupMethodSchema>;

export const storefrontSchema = z.object({
  store: z.object({ hash: z.string(), name: z.string() }),
  channel: z.object({ id: z.number().int(), name: z.string(), type: z.string() }),
  stock_mode: z.string(),
  settings: z.object({ product_out_of_stock_behavior: z.string(), option_out_of_stock_behavior: z.string() }),
  products: z.array(productSchema),
  pickup_methods: z.array(pickupMethodSchema),
});
export type Storefront = z.infer<typeof storefrontSchema>;

export const orderSummarySchema = z.object({
  id: z.number().int(),
  status_id: z.number().int(),
  status: z.string(),
  channel_id: z.number().int(),
  order_source: z.string(),
  date_created: z.string(),
  total_inc_tax: z.number(),
  refunded_amount: z.number(),
  refundable: z.number(),
  paid: z.boolean(),
  fulfilment: z.discriminatedUnion('type', [
    z.object({ type: z.literal('pickup'), pickup_method_id: z.number().int(), location_id: z.number().int(), location: z.string() }),
    z.object({ type: z.literal('shipping'), city: z.string() }),
  ]),
  products: z.array(z.object({ id: z.number().int(), product_id: z.number().int(), variant_id: z.number().int(), sku: z.string(), name: z.string(), quantity: z.number().int(), quantity_refunded: z.number().int(), price_inc_tax: z.number() })),
  decrements: z.array(z.object({ variant_id: z.number().int(), location_id: z.number().int(), quantity: z.number() })).nullable(),
});
export type OrderSummary = z.infer<typeof orderSummarySchema>;

const checkoutResultSchema = z.object({ paid: z.boolean(), order: orderSummarySchema });
const refundResultSchema = z.object({ refund: z.object({ id: z.number().int(), total_amount: z.number() }), order: orderSummarySchema });

export interface Address {
  first_name: string;
  last_name: string;
  street_1: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  country_iso2: string;
  email: string;
}

export interface CheckoutRequest {
  channel_id: number;
  lines: { product_id: number; variant_id: number; quantity: number }[];
  billing_address: Address;
  fulfilment: { type: 'shipping'; address: Address } | { type: 'pickup'; pickup_method_id: number };
}

/** A control call the sandbox refused, with its title and field-level errors. */
export class SandboxRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: string[] = [],
  ) {
    super(details.length > 0 ? `${message} (${details.join('; ')})` : message);
    this.name = 'SandboxRefusal';
  }
}

const errorSchema = z.object({ title: z.string(), errors: z.record(z.string(), z.string()).optional() });

export function storefrontClient(base: string, hash: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {
  async function call<S extends z.ZodType>(schema: S, path: string, init: { method?: string; body?: unknown } = {}): Promise<z.output<S>> {
    const response = await fetchImpl(`${base}/stores/${encodeURIComponent(hash)}${path}`, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: 'no-store',
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new SandboxRefusal(response.status, `the sandbox answered ${response.status} with a body that is not JSON`);
    }
    if (!response.ok) {
      const error = errorSchema.safeParse(json);
      throw new SandboxRefusal(response.status, error.success ? error.data.title : `the sandbox answered ${response.status}`, error.success ? Object.entries(error.data.errors ?? {}).map(([k, v]) => `${k}: ${v}`) : []);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new SandboxRefusal(response.status, `unexpected response from ${path}`, parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`));
    return parsed.data;
  }
  return {
    storefront: (channelId: number) => call(storefrontSchema, `/storefront?channel_id=${channelId}`),
    checkout: (request: CheckoutRequest) => call(checkoutResultSchema, '/checkout', { method: 'POST', body: request }),
    orders: () => call(z.array(orderSummarySchema), '/orders'),
    cancel: (orderId: number) => call(z.object({ id: z.number(), status_id: z.number() }), `/orders/${orderId}/status`, { method: 'PUT', body: { status_id: 5 } }),
    refund: (orderId: number, body: { items?: { order_product_id: number; quantity: number }[]; amount?: number } = {}) => call(refundResultSchema, `/orders/${orderId}/refund`, { method: 'POST', body }),
  };
}

export type StorefrontClient = ReturnType<typeof storefrontClient>;

export function money(n: number): string {
  return `$${n.toFixed(2)}`;
}

/** How a variant is named to a shopper: its option values, or the product's name for a simple product. */
export function variantName(product: StorefrontProduct, variant: StorefrontVariant): string {
  return variant.options.length > 0 ? variant.options.map((o) => o.value).join(' / ') : product.name;
}

export function availabilityText(variant: StorefrontVariant): string {
  switch (variant.state) {
    case 'available':
      return variant.stock === null ? 'In stock' : `${variant.stock} in stock`;
    case 'preorder':
      return 'Pre-order';
    case 'out_of_stock':
      return variant.label ?? 'Out of stock';
    case 'purchasing_disabled':
      return 'Not available for purchase';
    case 'unavailable':
      return 'Cannot be purchased';
  }
}
