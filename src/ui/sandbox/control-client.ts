/**
 * A small typed client for the Lightspeed sandbox's control API (`<base>/_sandbox/…`), for the
 * register page. It talks HTTP to the mounted sandbox, never to src/sandbox directly, and checks
 * every response with zod so a drifted shape fails loudly instead of rendering nonsense.
 */
import { z } from 'zod';

export const summarySchema = z.object({
  id: z.string(),
  domain_prefix: z.string(),
  name: z.string(),
  outlets: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(['store', 'warehouse']) })),
  registers: z.array(
    z.object({ id: z.string(), name: z.string(), outlet_id: z.string(), is_open: z.boolean(), offline: z.boolean(), held_sales: z.number().int().nonnegative() }),
  ),
  users: z.array(z.object({ id: z.string(), username: z.string(), account_type: z.string() })),
  payment_types: z.array(z.object({ id: z.string(), name: z.string() })),
  products: z.number().int(),
});
export type RetailerSummary = z.infer<typeof summarySchema>;

const productSchema = z.object({
  id: z.string(),
  name: z.string(),
  sku: z.string(),
  is_family_parent: z.boolean(),
  has_inventory: z.boolean(),
  price_excluding_tax: z.number(),
  supply_price: z.number(),
  product_codes: z.array(z.object({ type: z.string(), code: z.string() })),
  deleted_at: z.string().nullable(),
});
export type SandboxProduct = z.infer<typeof productSchema>;

const saleLineSchema = z.object({ id: z.string(), product_id: z.string(), quantity: z.number(), price: z.number(), tax_amount: z.number(), status: z.string() });
const stateSaleSchema = z.object({
  id: z.string(),
  register_id: z.string(),
  outlet_id: z.string(),
  status: z.string(),
  date: z.string(),
  created_at: z.string(),
  invoice_number: z.string(),
  receipt_number: z.string(),
  line_items: z.array(saleLineSchema),
  return_for: z.string().nullable(),
  return_sale_ids: z.array(z.string()),
});
export type StateSale = z.infer<typeof stateSaleSchema>;

/** The parts of `GET …/state` the page reads (zod strips the rest). */
export const stateSchema = z.object({
  domain_prefix: z.string(),
  name: z.string(),
  outlets: z.record(z.string(), z.object({ id: z.string(), name: z.string(), currency_symbol: z.string() })),
  products: z.record(z.string(), productSchema),
  inventory: z.record(z.string(), z.object({ product_id: z.string(), outlet_id: z.string(), current_inventory_level: z.number() })),
  sales: z.record(z.string(), stateSaleSchema),
  webhooks: z.record(z.string(), z.object({ id: z.string(), url: z.string(), type: z.string(), active: z.boolean() })),
  held_sales: z.array(z.object({ register_id: z.string(), date: z.string(), lines: z.array(z.object({ product_id: z.string(), quantity: z.number() })) })),
});
export type RetailerState = z.infer<typeof stateSchema>;

export const webhookAttemptSchema = z.object({
  id: z.string(),
  delivery_id: z.string(),
  type: z.string(),
  url: z.string(),
  attempt: z.number().int(),
  at: z.string(),
  outcome: z.enum(['delivered', 'failed', 'dropped']),
  http_status: z.number().int().nullable(),
  error: z.string().nullable(),
  duplicate: z.boolean(),
  body: z.string(),
});
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

/** A sale as the control API returns it (the 2026-07 Sale shape, trimmed to what a receipt shows). */
export const saleSchema = z.object({
  id: z.string(),
  date: z.string(),
  invoice_number: z.string(),
  receipt_number: z.string(),
  state: z.string(),
  line_items: z.array(z.object({ product: z.object({ id: z.string() }), quantity: z.number(), pricing: z.object({ price: z.number(), total: z.number() }) })),
  totals: z.object({ price: z.number(), tax: z.number(), price_incl_tax: z.number() }),
  return: z.object({ is_return: z.boolean(), original_sale_id: z.string().optional() }),
});
export type ControlSale = z.infer<typeof saleSchema>;

const sellResultSchema = z.object({ sale: saleSchema.nullable(), held: z.boolean() });

/** An open fulfilment (awaiting dispatch or pickup) with its sale, as `GET …/fulfillments` lists them. */
export const openFulfilmentSchema = z.object({
  id: z.string(),
  sale_id: z.string(),
  outlet_id: z.string(),
  type: z.enum(['DISPATCH', 'PICKUP']),
  state: z.string(),
  note: z.string(),
  version: z.number().int(),
  line_items: z.array(z.object({ sale_line_item_id: z.string(), product_id: z.string(), quantity: z.coerce.number(), fulfilled_quantity: z.coerce.number() })),
  sale: z.object({ id: z.string(), invoice_number: z.string(), status: z.string(), date: z.string(), note: z.string() }).nullable(),
});
export type OpenFulfilment = z.infer<typeof openFulfilmentSchema>;
const consignmentSchema = z.object({ id: z.string(), name: z.string(), type: z.string(), status: z.string(), outlet_id: z.string(), total_count_gain: z.number() });
export type Consignment = z.infer<typeof consignmentSchema>;
const okSchema = z.object({ ok: z.literal(true) });
const onlineSchema = z.object({ uploaded: z.array(saleSchema) });

const errorBodySchema = z.object({
  error: z.string(),
  details: z.unknown().optional(),
});

/** A control call the sandbox refused (4xx/5xx), with its message and any field-level details. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

function detailLines(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: unknown) => {
    const parsed = z.object({ path: z.string(), message: z.string() }).safeParse(d);
    return parsed.success ? [parsed.data.path ? `${parsed.data.path}: ${parsed.data.message}` : parsed.data.message] : [];
  });
}

export type ProductRef = { sku: string } | { barcode: string } | { product_id: string };

export interface SellLine {
  ref: ProductRef;
  quantity: number;
  price?: number;
}

export function controlClient(base: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {
  async function call<S extends z.ZodType>(schema: S, path: string, init: { method?: string; body?: unknown } = {}): Promise<z.output<S>> {
    const response = await fetchImpl(`${base}${path}`, {
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
      throw new ControlError(response.status, `the sandbox answered ${response.status} with a body that is not JSON`);
    }
    if (!response.ok) {
      const body = errorBodySchema.safeParse(json);
      throw new ControlError(response.status, body.success ? body.data.error : `the sandbox answered ${response.status}`, body.success ? detailLines(body.data.details) : []);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ControlError(response.status, `unexpected response from ${path}`, parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`));
    }
    return parsed.data;
  }
  const r = (prefix: string) => `/retailers/${encodeURIComponent(prefix)}`;
  const line = (l: SellLine) => ({ ...l.ref, quantity: l.quantity, ...(l.price === undefined ? {} : { price: l.price }) });

  return {
    retailers: () => call(z.array(summarySchema), '/retailers'),
    summary: (prefix: string) => call(summarySchema, r(prefix)),
    state: (prefix: string) => call(stateSchema, `${r(prefix)}/state`),
    webhookLog: (prefix: string) => call(z.array(webhookAttemptSchema), `${r(prefix)}/webhook-log`),
    sell: (prefix: string, input: { register_id: string; user_id?: string; payment_type_id?: string; fulfillment?: 'DISPATCH' | 'PICKUP'; lines: SellLine[] }) =>
      call(sellResultSchema, `${r(prefix)}/sell`, { method: 'POST', body: { ...input, lines: input.lines.map(line) } }),
    returnSale: (prefix: string, input: { sale_id: string; lines?: { product_id: string; quantity: number }[] }) =>
      call(saleSchema, `${r(prefix)}/return`, { method: 'POST', body: input }),
    receive: (prefix: string, input: { outlet_id: string; name?: string; lines: { ref: ProductRef; quantity: number; cost?: number }[] }) =>
      call(consignmentSchema, `${r(prefix)}/receive`, {
        method: 'POST',
        body: { outlet_id: input.outlet_id, name: input.name, lines: input.lines.map((l) => ({ ...l.ref, quantity: l.quantity, ...(l.cost === undefined ? {} : { cost: l.cost }) })) },
      }),
    countStock: (prefix: string, input: { outlet_id: string; lines: { ref: ProductRef; counted: number }[] }) =>
      call(consignmentSchema, `${r(prefix)}/stock-count`, { method: 'POST', body: { outlet_id: input.outlet_id, lines: input.lines.map((l) => ({ ...l.ref, counted: l.counted })) } }),
    setOffline: (prefix: string, registerId: string) => call(okSchema, `${r(prefix)}/registers/${encodeURIComponent(registerId)}/offline`, { method: 'POST' }),
    setOnline: (prefix: string, registerId: string) => call(onlineSchema, `${r(prefix)}/registers/${encodeURIComponent(registerId)}/online`, { method: 'POST' }),
    openRegister: (prefix: string, registerId: string) => call(okSchema, `${r(prefix)}/registers/${encodeURIComponent(registerId)}/open`, { method: 'POST' }),
    openFulfilments: (prefix: string, outletId: string) => call(z.array(openFulfilmentSchema), `${r(prefix)}/fulfillments?outlet_id=${encodeURIComponent(outletId)}`),
    /** Fulfil one fulfilment: every remaining unit, or just `lines`; a tracking number goes on its note. */
    fulfil: (prefix: string, input: { fulfillment_id: string; lines?: { sale_line_item_id: string; quantity: number }[]; tracking_number?: string }) =>
      call(z.array(openFulfilmentSchema), `${r(prefix)}/fulfil`, { method: 'POST', body: input }),
  };
}

export type ControlClient = ReturnType<typeof controlClient>;

/** Find a product the way the till does: by SKU (not a family parent) or by any barcode. */
export function lookupProduct(state: RetailerState, code: string): { product: SandboxProduct; ref: ProductRef } | undefined {
  const wanted = code.trim();
  if (wanted === '') return undefined;
  const live = Object.values(state.products).filter((p) => p.deleted_at === null);
  const bySku = live.find((p) => p.sku === wanted && !p.is_family_parent);
  if (bySku) return { product: bySku, ref: { sku: wanted } };
  const byBarcode = live.find((p) => p.product_codes.some((c) => c.code === wanted));
  if (byBarcode && !byBarcode.is_family_parent) return { product: byBarcode, ref: { barcode: wanted } };
  return undefined;
}

/** Stock of one product at one outlet (0 when the outlet has no record yet, as Lightspeed creates them lazily). */
export function stockAt(state: RetailerState, productId: string, outletId: string): number {
  return state.inventory[`${productId}:${outletId}`]?.current_inventory_level ?? 0;
}

const payloadSchema = z.object({
  id: z.string().optional(),
  product_id: z.string().optional(),
  outlet_id: z.string().optional(),
  count: z.union([z.number(), z.string()]).optional(),
  invoice_number: z.string().optional(),
  status: z.string().optional(),
  name: z.string().optional(),
  register_sale_products: z.array(z.object({ product_id: z.string() })).optional(),
});
type WebhookPayload = z.infer<typeof payloadSchema>;

/** The JSON `payload` form field of a delivery (Lightspeed's 1.0 entity shape), if readable. */
export function webhookPayload(attempt: WebhookAttempt): WebhookPayload | undefined {
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(new URLSearchParams(attempt.body).get('payload') ?? 'null'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Products a delivery is about: the inventory record's product, or a sale's lines. */
export function webhookProductIds(attempt: WebhookAttempt): string[] {
  const p = webhookPayload(attempt);
  if (!p) return [];
  return [...(p.product_id ? [p.product_id] : []), ...(p.register_sale_products ?? []).map((l) => l.product_id)];
}

/** One line about what a webhook carried: the entity, and its new count or status. */
export function describeWebhook(state: RetailerState, attempt: WebhookAttempt): string {
  const p = webhookPayload(attempt);
  if (!p) return '';
  const outlet = p.outlet_id ? (state.outlets[p.outlet_id]?.name ?? p.outlet_id) : undefined;
  if (attempt.type === 'inventory.update') {
    const product = p.product_id ? (state.products[p.product_id]?.sku ?? p.product_id) : '?';
    return `${product} @ ${outlet ?? '?'} → ${String(p.count ?? '?')}`;
  }
  if (attempt.type === 'sale.update') return [p.invoice_number, p.status].filter(Boolean).join(' ');
  if (attempt.type.startsWith('consignment.')) return [p.name, p.status].filter(Boolean).join(' · ');
  return p.name ?? p.id ?? '';
}

export function errorText(error: unknown): string[] {
  if (error instanceof ControlError) return [error.message, ...error.details];
  if (error instanceof Error) return [error.message];
  return [String(error)];
}
