/**
 * After a Lightspeed connection: size the rate limit to the retailer's registers, subscribe the
 * webhooks (a 409 means the subscription exists), then start the first cursor polls.
 */
import { z } from 'zod';
import { lightspeedResources } from '../../db/schema';
import { forStore } from '../../db/repositories/scoped';
import { lightspeedClientFor } from '../clients';
import { defineJob } from '../define';
import { LIGHTSPEED_WEBHOOK_TYPES, lightspeedWebhookUrl } from '../lightspeed/subscriptions';
import { lightspeedPoll } from './lightspeed-poll';

export const lightspeedConnected = defineJob({
  name: 'lightspeed.connected',
  schema: z.object({ storeId: z.uuid() }),
  retry: { limit: 6, delaySeconds: 10, backoff: true },
  async handler({ storeId }, ctx) {
    const client = await lightspeedClientFor(ctx.deps, storeId);
    const registers = await client.refreshRegisterCount();
    const created: string[] = [];
    for (const type of LIGHTSPEED_WEBHOOK_TYPES) {
      const result = await client.webhooks.create({ type, url: lightspeedWebhookUrl(ctx.deps.config.APP_URL, storeId, type), active: true });
      if (result.created) created.push(type);
    }
    await forStore(ctx.deps.database.db, ctx.deps.secrets, storeId).activity.record({
      kind: 'lightspeed.webhooks',
      outcome: 'ok',
      summary: created.length ? `Asked Lightspeed to notify Counterpart of ${created.length} kinds of change (webhooks)` : 'Lightspeed already notifies Counterpart of changes (webhooks)',
      reason: `the retailer has ${registers} register${registers === 1 ? '' : 's'}, so Lightspeed allows Counterpart ${(300 * registers + 50).toLocaleString('en-US')} requests every 5 minutes`,
      entityType: 'connection',
      entityId: 'lightspeed',
      details: { created, registers },
    });
    for (const resource of lightspeedResources) {
      await ctx.enqueue(lightspeedPoll, { storeId, resource }, { singletonKey: `poll:${storeId}:${resource}` });
    }
  },
});
