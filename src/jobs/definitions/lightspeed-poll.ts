/**
 * The safety net under webhooks: per store and resource, page through Lightspeed by `version`
 * after the stored cursor, keep every newer entity, and move the cursor forward. On a schedule
 * and on demand; whatever a dropped webhook missed arrives here.
 */
import { z } from 'zod';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { lightspeedResources } from '../../db/schema';
import { lightspeedClientFor, NotConnected } from '../clients';
import { defineJob } from '../define';
import type { JobDeps } from '../deps';
import { indexChangedProducts } from './catalog-index';
import { markInventoryDirty } from './inventory-sync';
import { followOurSales } from './order-intake';

/** Cursor pages processed per job run; a larger backlog continues in the next run. */
const MAX_PAGES_PER_RUN = 50;

export interface PollResult {
  seen: number;
  accepted: number;
  /** Ids of the entities stored because they were newer. */
  acceptedIds: string[];
  /** For inventory: the products whose stock changed (the engine's dirty keys). */
  productIds: string[];
  cursor: number;
  more: boolean;
}

/** "3 product changes", "1 stock level change", "2 new sales": what a check read, in the merchant's words. */
function changesOf(resource: (typeof lightspeedResources)[number], n: number): string {
  const one = resource === 'products' ? 'product change' : resource === 'inventory' ? 'stock level change' : 'sale';
  return `${n} ${n === 1 ? one : `${one}s`}`;
}

export async function pollResource(deps: JobDeps, storeId: string, resource: (typeof lightspeedResources)[number]): Promise<PollResult> {
  const scope = forStore(deps.database.db, deps.secrets, storeId);
  const client = await lightspeedClientFor(deps, storeId);
  let cursor = await scope.lightspeed.cursor(resource);
  let seen = 0;
  let accepted = 0;
  const kind = resource === 'products' ? 'product' : resource === 'inventory' ? 'inventory' : 'sale';
  const acceptedIds: string[] = [];
  const productIds = new Set<string>();
  for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
    const result: { items: { id: string; version: number | null }[]; nextAfter: number | null } =
      resource === 'products'
        ? await client.products.list({ after: cursor, deleted: true })
        : resource === 'inventory'
          ? await client.inventory.list({ after: cursor, includeDeleted: true })
          : await client.sales.list({ after: cursor });
    if (result.items.length === 0 || result.nextAfter === null) {
      await scope.lightspeed.advanceCursor(resource, cursor); // records the check, moves nothing back
      return { seen, accepted, acceptedIds, productIds: [...productIds], cursor, more: false };
    }
    for (const item of result.items) {
      seen++;
      if (item.version !== null && (await scope.lightspeed.acceptVersion(kind, item.id, item.version, { ...item }))) {
        accepted++;
        acceptedIds.push(item.id);
        if ('productId' in item && typeof item.productId === 'string') productIds.add(item.productId);
      }
    }
    // Only after the page is stored: a crash mid-page replays it, which is harmless.
    await scope.lightspeed.advanceCursor(resource, result.nextAfter);
    cursor = result.nextAfter;
  }
  return { seen, accepted, acceptedIds, productIds: [...productIds], cursor, more: true };
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
