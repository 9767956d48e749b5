/**
 * BigCommerce webhook deliveries carry a Standard Webhooks signature (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`), keyed with the app's client secret: BigCommerce's
 * docs verify with `new Webhook(base64(CLIENT_SECRET))` from the standardwebhooks library,
 * which also rejects timestamps more than 5 minutes away (replay protection); the same check is
 * done here with Node's HMAC.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const deliverySchema = z.object({
  scope: z.string().min(1),
  store_id: z.union([z.string(), z.number()]).transform(String),
  producer: z.string().regex(/^stores\/[a-z0-9]+$/i),
  hash: z.string().optional(),
  created_at: z.number(),
  data: z.record(z.string(), z.unknown()).nullable().optional(),
});

export interface BigCommerceDelivery {
  /** `webhook-id`: unique per delivery, the inbox key. */
  deliveryId: string;
  topic: string;
  storeHash: string;
  createdAt: Date;
  data: Record<string, unknown>;
}

export class WebhookRejected extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401,
  ) {
    super(message);
    this.name = 'WebhookRejected';
  }
}

/** Standard Webhooks' replay window: a timestamp further than this from now is refused. */
const TOLERANCE_SECONDS = 5 * 60;

/**
 * The Standard Webhooks check, as the standardwebhooks library does it (BigCommerce's docs use
 * that library): HMAC-SHA256 keyed with the client secret's bytes over "{id}.{timestamp}.{body}",
 * base64, compared in constant time with each "v1,…" signature in the header. Node's own HMAC
 * (the library's pure-JS SHA-256 costs a large share of the hot path).
 */
function verifySignature(rawBody: string, id: string, timestamp: string, header: string, clientSecret: string): void {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) throw new WebhookRejected('webhook signature rejected: Invalid Signature Headers', 401);
  const now = Math.floor(Date.now() / 1000);
  if (now - ts > TOLERANCE_SECONDS) throw new WebhookRejected('webhook signature rejected: Message timestamp too old', 401);
  if (ts > now + TOLERANCE_SECONDS) throw new WebhookRejected('webhook signature rejected: Message timestamp too new', 401);
  const expected = createHmac('sha256', Buffer.from(clientSecret, 'utf8')).update(`${id}.${ts}.${rawBody}`, 'utf8').digest();
  for (const versioned of header.split(' ')) {
    const [version, signature] = versioned.split(',');
    if (version !== 'v1' || !signature) continue;
    const given = Buffer.from(signature, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  }
  throw new WebhookRejected('webhook signature rejected: No matching signature found', 401);
}

export function verifyBigCommerceWebhook(rawBody: string, headers: Headers, clientSecret: string): BigCommerceDelivery {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signature = headers.get('webhook-signature');
  if (!id || !timestamp || !signature) throw new WebhookRejected('missing webhook-id, webhook-timestamp or webhook-signature header', 401);
  verifySignature(rawBody, id, timestamp, signature, clientSecret);
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody) as unknown;
  } catch {
    throw new WebhookRejected('webhook body is not JSON', 400);
  }
  const parsed = deliverySchema.safeParse(payload);
  if (!parsed.success) throw new WebhookRejected(`webhook body is not a BigCommerce callback: ${parsed.error.issues[0]?.message ?? 'malformed'}`, 400);
  return {
    deliveryId: id,
    topic: parsed.data.scope,
    storeHash: parsed.data.producer.slice('stores/'.length),
    createdAt: new Date(parsed.data.created_at * 1000),
    data: parsed.data.data ?? {},
  };
}
