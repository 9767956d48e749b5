/**
 * Managing the retailer's webhook subscriptions (`/webhooks`, scope `webhooks`). There is one
 * subscription per (type, URL): creating one that exists answers 409, which is the state we
 * wanted, so it counts as success and the existing subscription is looked up.
 */
import { z } from 'zod';
import { LightspeedSchemaError } from '../errors';
import type { LightspeedTransport } from '../http';
import { single, webhookSubscriptionSchema } from '../schemas';
import type { WebhookSubscription, WebhookType } from '../types';
import { anyBody, orNull } from './common';

export type EnsureWebhookResult = { created: true; webhook: WebhookSubscription } | { created: false; webhook: WebhookSubscription | null };

export function webhookSubscriptionEndpoints(transport: LightspeedTransport) {
  const webhooks = {
    /** `GET /webhooks` */
    list: async (): Promise<WebhookSubscription[]> => {
      const { data } = await transport.request({ method: 'GET', path: '/webhooks', schema: z.object({ data: z.array(webhookSubscriptionSchema).nullish() }) });
      return data.data ?? [];
    },

    /** `POST /webhooks`; a 409 (same type and URL exists) is success, with the existing one looked up. */
    create: async (input: { type: WebhookType; url: string; active?: boolean }): Promise<EnsureWebhookResult> => {
      const response = await transport.request({
        method: 'POST',
        path: '/webhooks',
        body: { active: input.active ?? true, type: input.type, url: input.url },
        schema: z.unknown(),
        acceptStatuses: [409],
        // Repeating a create is harmless: the repeat answers 409.
        idempotent: true,
      });
      if (response.status !== 409) {
        const webhook = single(webhookSubscriptionSchema).safeParse(response.data);
        if (!webhook.success) throw new LightspeedSchemaError('POST', '/webhooks', webhook.error.issues);
        return { created: true, webhook: webhook.data };
      }
      const existing = (await webhooks.list()).find((w) => w.type === input.type && w.url === input.url) ?? null;
      return { created: false, webhook: existing };
    },

    /** `DELETE /webhooks/{webhookId}`; false when it was already gone (404). */
    delete: async (id: string): Promise<boolean> => {
      const result = await orNull(transport.request({ method: 'DELETE', path: '/webhooks/{webhookId}', params: { webhookId: id }, schema: anyBody }));
      return result !== null;
    },
  };
  return { webhooks };
}
