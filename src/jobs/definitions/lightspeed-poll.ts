/**
 * The safety net under webhooks: per store and resource, page through Lightspeed by `version`
 * after the stored cursor, keep every newer entity, and move the cursor forward. On a schedule
 * and on demand; whatever a dropped webhook missed arrives here.
 */
import { z } from 'zod';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { lightspeedResources } from '../../db/schema';
import { NotConnected } from '../clients';
import { defineJob } from '../define';
import { indexChangedProducts } from './catalog-index';
import { markInventoryDirty } from './inventory-sync';
import { followOurSales } from './order-intake';
import { pollResource } from './lightspeed-cursor';

export { pollResource, type PollResult } from './lightspeed-cursor';

/** "3 product changes", "1 stock level change", "2 new sales": what a check read, in the merchant's words. */
function changesOf(resource: (typeof lightspeedResources)[number], n: number): string {
  const one = resource === 'products' ? 'product change' : resource === 'inventory' ? 'stock level change' : 'sale';
  return `${n} ${n === 1 ? one : `${one}s`}`;
}

export const lightspeedPoll = defineJob({
  name: 'lightspeed.poll',
  schema: z.object({ storeId: z.uuid(), resource: z.enum(lightspeedResources) }),
  retry: { limit: 5, delaySeconds: 15, backoff: true },
  async handler({ storeId, resource }, ctx) {
    const scope = forStore(ctx.deps.database.db, ctx.deps.secrets, storeId);
    const started = Date.now();
    try {
      const result = await pollResource(ctx.deps, storeId, resource);
      // Level-triggered: the catalog items of changed products are re-indexed (database only);
      // enabled ones that changed are queued for BigCommerce.
      if (resource === 'products' && result.acceptedIds.length > 0) await indexChangedProducts(ctx, storeId, result.acceptedIds);
      if (resource === 'inventory' && result.productIds.length > 0) await markInventoryDirty(ctx, storeId, result.productIds, 'lightspeed');
      if (resource === 'sales' && result.acceptedIds.length > 0) await followOurSales(ctx, storeId, result.acceptedIds);
      if (result.more) await ctx.enqueue(lightspeedPoll, { storeId, resource }, { singletonKey: `poll:${storeId}:${resource}:more` });
      if (result.accepted > 0) {
        await scope.activity.record({
          kind: 'lightspeed.polled',
          outcome: 'ok',
          summary: `Read ${changesOf(resource, result.accepted)} from Lightspeed`,
          reason: 'the regular check for what changed in Lightspeed (it also catches what a webhook missed)',
          entityType: 'resource',
          entityId: resource,
          startedAt: new Date(started),
          durationMs: Date.now() - started,
          details: { seen: result.seen, accepted: result.accepted, cursor: result.cursor, more: result.more },
        });
      }
    } catch (error) {
      if (error instanceof NotConnected) return; // nothing to poll; the connection page says why
      await scope.lightspeed.recordPollError(resource, error instanceof Error ? error.message : String(error));
      throw error;
    }
  },
});

/** Every minute: a poll of each resource for each connected store. */
export const lightspeedPollSweep = defineJob({
  name: 'lightspeed.poll-sweep',
  schema: z.object({}),
  retry: { limit: 1, delaySeconds: 30 },
  schedule: { cron: '* * * * *', payload: {} },
  async handler(_payload, ctx) {
    for (const store of await storesRepository(ctx.deps.database.db).listActive()) {
      const connection = await forStore(ctx.deps.database.db, ctx.deps.secrets, store.id).connections.get('lightspeed');
      if (connection?.status !== 'active') continue;
      for (const resource of lightspeedResources) {
        await ctx.enqueue(lightspeedPoll, { storeId: store.id, resource }, { singletonKey: `poll:${store.id}:${resource}` });
      }
    }
  },
});
