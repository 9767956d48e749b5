/**
 * BigCommerce webhook deliveries carry a Standard Webhooks signature (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`), keyed with the app's client secret: BigCommerce's
 * docs verify with `new Webhook(base64(CLIENT_SECRET))` from the standardwebhooks library,
 * which also rejects timestamps more than 5 minutes away (replay protection).
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
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

export function verifyBigCommerceWebhook(rawBody: string, headers: Headers, clientSecret: string): BigCommerceDelivery {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signature = headers.get('webhook-signature');
  if (!id || !timestamp || !signature) throw new WebhookRejected('missing webhook-id, webhook-timestamp or webhook-signature header', 401);
  let payload: unknown;
  try {
    const verifier = new Webhook(Buffer.from(clientSecret, 'utf8').toString('base64'));
    payload = verifier.verify(rawBody, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature });
  } catch (error) {
    const reason = error instanceof WebhookVerificationError ? error.message : 'signature could not be verified';
    throw new WebhookRejected(`webhook signature rejected: ${reason}`, 401);
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
