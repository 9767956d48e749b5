/**
 * Incoming Lightspeed webhooks: pure functions for the route handler, which reads the raw
 * body (`await req.text()`), verifies it, parses it, records it and answers 2xx within the
 * 5 seconds Lightspeed allows.
 *
 * Encoding (x-series-api docs, "Webhooks"): a form-encoded POST whose `payload` field is the
 * entity as a JSON string in the API 1.0 shape; `type`, `domain_prefix` and others "may be
 * present but are not guaranteed", which is why the subscription URL should carry the type
 * too (pass it as `typeHint`). Payloads are hints: the job re-reads current state by `id`
 * and drops anything whose `version` is not newer than what it has.
 *
 * Ordering keys differ by type. `product.update` (and the sandbox's `sale.update`) carry the
 * entity's `version`. `inventory.update` carries an API 1.0 inventory record, which has no
 * `version` (id, product_id, outlet_id, count, reorder_point, restock_level, attributed_cost;
 * research §1/§3), so its `version` parses as null and arrival order means nothing: treat it
 * as "this product × outlet changed" and take level and version from `GET /inventory/{product_id}`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { LightspeedWebhookError } from './errors';
import { numeric, webhookTypeSchema } from './schemas';
import type { WebhookType } from './types';

/**
 * `X-Signature: signature=<digest>,algorithm=HMAC-SHA256`: HMAC of the raw body with the
 * app's client secret. The digest's encoding is undocumented (the docs' example is neither
 * obviously hex nor base64), so a hex or base64 digest is accepted when it matches exactly.
 */
export function verifyLightspeedSignature(rawBody: string, header: string | null, clientSecret: string): boolean {
  if (!header || !clientSecret) return false;
  const fields = new Map<string, string>();
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return false;
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const given = fields.get('signature');
  const algorithm = fields.get('algorithm');
  if (!given || algorithm?.toUpperCase() !== 'HMAC-SHA256') return false;
  const expected = createHmac('sha256', clientSecret).update(rawBody, 'utf8').digest();
  return decodings(given).some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
}

function decodings(digest: string): Buffer[] {
  const out: Buffer[] = [];
  if (/^[0-9a-f]{64}$/i.test(digest)) out.push(Buffer.from(digest, 'hex'));
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(digest)) out.push(Buffer.from(digest.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  return out;
}

const id = z.string().min(1);
const optionalString = z.string().nullish().transform((v) => v ?? null);
const optionalNumber = numeric.nullish().transform((v) => v ?? null);
const optionalVersion = z.number().int().nullish().transform((v) => v ?? null);

/** API 1.0 inventory record (`inventory.update`, and the entries of a product's `inventory`). */
const inventoryPayload = z.object({
  id,
  product_id: id,
  outlet_id: id,
  count: numeric,
  reorder_point: optionalNumber,
  restock_level: optionalNumber,
  attributed_cost: optionalNumber,
  version: optionalVersion,
});

/** API 1.0 product (`product.update`). Its `inventory` "may be not up to date": use it as a hint only. */
const productPayload = z.object({
  id,
  name: z.string(),
  sku: z.string().nullish(),
  handle: optionalString,
  active: z.boolean().nullish(),
  variant_parent_id: optionalString,
  deleted_at: optionalString,
  version: optionalVersion,
  inventory: z.array(inventoryPayload.omit({ version: true }).extend({ version: optionalVersion })).nullish(),
});

/** API 1.0 register sale (`sale.update`). */
const salePayload = z.object({
  id,
  status: z.string(),
  register_id: optionalString,
  outlet_id: optionalString,
  invoice_number: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? null : String(v))),
  source: optionalString,
  source_id: optionalString,
  sale_date: optionalString,
  version: optionalVersion,
  register_sale_products: z.array(z.object({ id: optionalString, product_id: id, quantity: numeric })).nullish(),
});

export type LightspeedWebhookEntity =
  | { kind: 'inventory'; id: string; version: number | null; productId: string; outletId: string; count: number }
  | {
      kind: 'product';
      id: string;
      version: number | null;
      name: string;
      sku: string | null;
      active: boolean | null;
      variantParentId: string | null;
      deletedAt: string | null;
      inventory: { outletId: string; count: number }[];
    }
  | {
      kind: 'sale';
      id: string;
      version: number | null;
      status: string;
      registerId: string | null;
      outletId: string | null;
      invoiceNumber: string | null;
      sourceId: string | null;
      lines: { productId: string; quantity: number }[];
    };

export type LightspeedWebhook =
  | { status: 'parsed'; type: WebhookType; domainPrefix: string | null; entity: LightspeedWebhookEntity }
  /** A type the app does not act on (customer, register closure, consignments), or no type at all. */
  | { status: 'ignored'; type: string | null; domainPrefix: string | null; reason: string };

const HANDLED: Partial<Record<WebhookType, 'inventory' | 'product' | 'sale'>> = {
  'inventory.update': 'inventory',
  'product.update': 'product',
  'sale.update': 'sale',
};

/**
 * Reads a verified webhook body. `typeHint` is the type the subscription URL names; a `type`
 * field in the body, when present, must agree with it. Throws `LightspeedWebhookError` for a
 * body that is not a Lightspeed webhook (no payload, bad JSON, wrong shape).
 */
export function parseLightspeedWebhook(rawBody: string, options: { typeHint?: string } = {}): LightspeedWebhook {
  const form = new URLSearchParams(rawBody);
  const bodyType = form.get('type');
  if (bodyType && options.typeHint && bodyType !== options.typeHint) {
    throw new LightspeedWebhookError(`webhook type ${JSON.stringify(bodyType)} does not match the subscription's ${JSON.stringify(options.typeHint)}`);
  }
  const type = bodyType ?? options.typeHint ?? null;
  const domainPrefix = form.get('domain_prefix') || null;
  const payloadText = form.get('payload');
  if (payloadText === null || payloadText === '') throw new LightspeedWebhookError('webhook body has no payload field');

  const known = webhookTypeSchema.safeParse(type);
  const kind = known.success ? HANDLED[known.data] : undefined;
  if (!known.success || !kind) {
    return { status: 'ignored', type, domainPrefix, reason: type ? `webhook type ${type} is not synced` : 'webhook carries no type' };
  }

  let payload: unknown;
  try {
    payload = JSON.parse(payloadText) as unknown;
  } catch {
    throw new LightspeedWebhookError('webhook payload is not valid JSON');
  }
  return { status: 'parsed', type: known.data, domainPrefix, entity: toEntity(kind, payload) };
}

function toEntity(kind: 'inventory' | 'product' | 'sale', payload: unknown): LightspeedWebhookEntity {
  switch (kind) {
    case 'inventory': {
      const p = parseOrThrow(inventoryPayload, payload, kind);
      return { kind, id: p.id, version: p.version, productId: p.product_id, outletId: p.outlet_id, count: p.count };
    }
    case 'product': {
      const p = parseOrThrow(productPayload, payload, kind);
      return {
        kind,
        id: p.id,
        version: p.version,
        name: p.name,
        sku: p.sku ?? null,
        active: p.active ?? null,
        variantParentId: p.variant_parent_id,
        deletedAt: p.deleted_at,
        inventory: (p.inventory ?? []).map((i) => ({ outletId: i.outlet_id, count: i.count })),
      };
    }
    case 'sale': {
      const p = parseOrThrow(salePayload, payload, kind);
      return {
        kind,
        id: p.id,
        version: p.version,
        status: p.status,
        registerId: p.register_id,
        outletId: p.outlet_id,
        invoiceNumber: p.invoice_number,
        sourceId: p.source_id,
        lines: (p.register_sale_products ?? []).map((l) => ({ productId: l.product_id, quantity: l.quantity })),
      };
    }
  }
}

function parseOrThrow<T>(schema: z.ZodType<T>, payload: unknown, kind: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new LightspeedWebhookError(`${kind} webhook payload is malformed${first ? ` at ${first.path.map(String).join('.') || '(root)'}: ${first.message}` : ''}`);
  }
  return parsed.data;
}
