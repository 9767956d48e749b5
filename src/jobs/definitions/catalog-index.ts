/**
 * `catalog.index`: (re)builds catalog items from the Lightspeed product states the poller and
 * webhooks stored, item by item in keyset pages (never the whole catalog in memory). Touches
 * nothing in BigCommerce; items that are enabled and changed are handed to `catalog.apply`.
 */
import { z } from 'zod';
import { buildItems, type SourceProduct } from '../../core/catalog/items';
import { catalogFor, type CatalogItem } from '../../db/repositories/catalog';
import { forStore } from '../../db/repositories/scoped';
import { defineJob, type JobContext } from '../define';
import type { JobDeps } from '../deps';
import { catalogApply, syncApplyKey } from './catalog-apply';

const KEYS_PER_PAGE = 200;

export interface IndexResult {
  indexed: number;
  /** Enabled (or linked) items whose BigCommerce side is now out of date. */
  dirty: string[];
}

const needsApply = (row: CatalogItem) =>
  (row.onlineEnabled && (row.lsVersion > row.syncedVersion || !row.active)) || (row.bcProductId !== null && !row.active && row.syncState !== 'hidden');

async function indexKeys(deps: JobDeps, storeId: string, keys: readonly string[]): Promise<IndexResult> {
  const catalog = catalogFor(deps.database.db, storeId);
  const states = (await catalog.sources.productsOf(keys)) as unknown as SourceProduct[];
  const rows = await catalog.items.upsert(buildItems(states));
  return { indexed: rows.length, dirty: rows.filter(needsApply).map((r) => r.lsItemId) };
}

/** Re-indexes the items holding these Lightspeed products, or (without ids) every item. */
export async function indexCatalog(deps: JobDeps, storeId: string, productIds?: readonly string[]): Promise<IndexResult> {
  const catalog = catalogFor(deps.database.db, storeId);
  if (productIds) {
    const keys = await catalog.sources.itemKeysOfProducts(productIds);
    const result: IndexResult = { indexed: 0, dirty: [] };
    for (let i = 0; i < keys.length; i += KEYS_PER_PAGE) {
      const page = await indexKeys(deps, storeId, keys.slice(i, i + KEYS_PER_PAGE));
      result.indexed += page.indexed;
      result.dirty.push(...page.dirty);
    }
    return result;
  }
  const result: IndexResult = { indexed: 0, dirty: [] };
  let after: string | undefined;
  for (;;) {
    const keys = await catalog.sources.itemKeys({ ...(after !== undefined ? { after } : {}), limit: KEYS_PER_PAGE });
    if (keys.length === 0) break;
    const page = await indexKeys(deps, storeId, keys);
    result.indexed += page.indexed;
    result.dirty.push(...page.dirty);
    after = keys.at(-1);
  }
  return result;
}

/** Indexes changed products and, when enabled items changed, queues the apply that syncs them. */
export async function indexChangedProducts(ctx: Pick<JobContext, 'deps' | 'enqueue'>, storeId: string, productIds: readonly string[]): Promise<IndexResult> {
  const result = await indexCatalog(ctx.deps, storeId, productIds);
  if (result.dirty.length > 0) await ctx.enqueue(catalogApply, { storeId }, { singletonKey: syncApplyKey(storeId) });
  return result;
}

export const catalogIndex = defineJob({
  name: 'catalog.index',
  schema: z.object({ storeId: z.uuid(), productIds: z.array(z.string().min(1)).optional(), runId: z.uuid().optional() }),
  retry: { limit: 5, delaySeconds: 10, backoff: true },
  async handler({ storeId, productIds, runId }, ctx) {
    const catalog = catalogFor(ctx.deps.database.db, storeId);
    const started = Date.now();
    if (runId) await catalog.runs.setState(runId, 'running');
    try {
      const result = productIds ? await indexChangedProducts(ctx, storeId, productIds) : await indexCatalog(ctx.deps, storeId);
      if (!productIds && result.dirty.length > 0) await ctx.enqueue(catalogApply, { storeId }, { singletonKey: syncApplyKey(storeId) });
      if (runId) await catalog.runs.setState(runId, 'done');
      if (!productIds) {
        await forStore(ctx.deps.database.db, ctx.deps.secrets, storeId).activity.record({
          kind: 'catalog.indexed',
          outcome: 'ok',
          summary: `Read ${result.indexed} item${result.indexed === 1 ? '' : 's'} from your Lightspeed catalog`,
          reason: 'the item list was rebuilt from Lightspeed',
          entityType: 'catalog',
          startedAt: new Date(started),
          durationMs: Date.now() - started,
          details: { indexed: result.indexed, dirty: result.dirty.length },
        });
      }
    } catch (error) {
      if (runId) await catalog.runs.setState(runId, 'failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
  },
});
