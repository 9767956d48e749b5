/**
 * What the catalog API routes do, outside Next so tests can drive it: list items, record the
 * merchant's online choices as a run and queue it, report run progress, list and resolve
 * conflicts, re-index. Route handlers only parse, call these and respond.
 */
import { z } from 'zod';
import { catalogFor, catalogStatuses, type CatalogItem, type CatalogRun } from '../../db/repositories/catalog';
import { inventoryFor } from '../../db/repositories/inventory';
import { forStore } from '../../db/repositories/scoped';
import { bigcommerceClientFor } from '../clients';
import { catalogApply } from '../definitions/catalog-apply';
import { catalogIndex } from '../definitions/catalog-index';
import type { JobDeps } from '../deps';
import type { JobQueue } from '../queue';

export class CatalogRequestError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = 'CatalogRequestError';
  }
}

const text = z.string().trim().max(200).optional();
export const itemFilterSchema = z.strictObject({ q: text, type: text, brand: text, tag: text, status: z.enum(catalogStatuses).optional() });

export const itemsQuerySchema = z.object({
  q: text,
  type: text,
  brand: text,
  tag: text,
  status: z.enum(catalogStatuses).optional().or(z.literal('').transform(() => undefined)),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(250).default(50),
  id: z.string().min(1).max(200).optional(),
});

export const changesSchema = z.union([
  z.strictObject({ changes: z.array(z.strictObject({ id: z.string().min(1).max(200), enabled: z.boolean() })).min(1).max(10_000) }),
  z.strictObject({ filter: itemFilterSchema, enabled: z.boolean() }),
]);

export const resolveSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('link'), bigcommerceProductId: z.number().int().positive() }),
  z.strictObject({ action: z.literal('create') }),
]);

export interface ItemRow {
  id: string;
  name: string;
  sku: string;
  barcodes: string[];
  type: string | null;
  brand: string | null;
  tags: string[];
  active: boolean;
  enabled: boolean;
  saving: boolean;
  variants: { id: string; name: string; sku: string; barcodes: string[]; options: { name: string; value: string }[] }[];
  sync: { state: CatalogItem['syncState']; reason: string | null; bigcommerceProductId: number | null };
  /** Why its stock in BigCommerce is not in line with Lightspeed (null when it is, or is not published). */
  stockProblem: string | null;
}

/** The kinds of run that apply the merchant's choices (the index run is not one). */
export const APPLY_RUN_KINDS = ['enable', 'disable', 'change', 'resolve'] as const;

export function itemRow(row: CatalogItem, saving = false, stockProblem: string | null = null): ItemRow {
  return {
    id: row.lsItemId,
    name: row.name,
    sku: row.sku,
    barcodes: row.barcodes,
    type: row.productType,
    brand: row.brand,
    tags: row.tags,
    active: row.active,
    enabled: row.onlineEnabled,
    saving,
    variants: row.variants.map((v) => ({ id: v.lsProductId, name: v.name, sku: v.sku, barcodes: v.barcodes, options: v.options })),
    sync: { state: row.syncState, reason: row.syncReason, bigcommerceProductId: row.bcProductId },
    stockProblem,
  };
}

/**
 * Why each linked item's stock is not in sync, so that it is never badged "synced": an open
 * stock problem (BigCommerce refused its stock), or no outlet mapped at all (nothing published).
 */
async function stockProblemsOf(deps: JobDeps, storeId: string, rows: readonly CatalogItem[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const linked = rows.filter((r) => r.onlineEnabled && r.tracksInventory && r.bcProductId !== null);
  if (linked.length === 0) return out;
  const inventory = inventoryFor(deps.database.db, storeId);
  const productIds = (r: CatalogItem) => (r.hasVariants ? r.variants.map((v) => v.lsProductId) : [r.lsItemId]);
  const problems = await inventory.problems.forProducts(linked.flatMap(productIds));
  const mapped = (await inventory.outlets.list()).some((o) => o.bcLocationId !== null && !o.retired);
  for (const r of linked) {
    const ids = new Set(productIds(r));
    const problem = problems.find((p) => ids.has(p.lsProductId));
    if (problem) out.set(r.lsItemId, `Stock not in sync: ${problem.message} ${problem.fix}`);
    else if (!mapped) out.set(r.lsItemId, 'Stock not published: no Lightspeed outlet is mapped to a BigCommerce location yet (see Locations).');
  }
  return out;
}

export async function listItems(deps: JobDeps, storeId: string, query: z.output<typeof itemsQuerySchema>) {
  const catalog = catalogFor(deps.database.db, storeId);
  const indexing = await catalog.runs.active('index');
  // Connecting Lightspeed starts the first read of its catalog (the products check): until it has
  // answered once, the list is still filling, and the page says so instead of "no items".
  const scope = forStore(deps.database.db, deps.secrets, storeId);
  const connection = await scope.connections.get('lightspeed');
  const firstRead = (await scope.lightspeed.cursors()).find((c) => c.resource === 'products')?.lastPolledAt ?? null;
  const state = indexing ? ('indexing' as const) : connection?.status === 'active' && firstRead === null ? ('reading' as const) : ('idle' as const);
  const index = { state, indexed: await catalog.items.count(), lightspeed: connection?.status ?? ('disconnected' as const) };
  const facets = await catalog.items.facets();
  const saving = await catalog.runs.savingItemIds(APPLY_RUN_KINDS);
  const toRows = async (rows: CatalogItem[]) => {
    const stock = await stockProblemsOf(deps, storeId, rows);
    return rows.map((row) => itemRow(row, saving.has(row.lsItemId), stock.get(row.lsItemId) ?? null));
  };
  if (query.id) {
    const row = await catalog.items.findByAnyId(query.id);
    return { items: row ? await toRows([row]) : [], total: row ? 1 : 0, page: 1, limit: query.limit, facets, index };
  }
  const { rows, total } = await catalog.items.list(query);
  return { items: await toRows(rows), total, page: query.page, limit: query.limit, facets, index };
}

/** Records the merchant's choices, then queues one run that applies them. Unknown ids: 400, nothing changes. */
export async function requestChanges(deps: JobDeps, queue: JobQueue, storeId: string, body: z.output<typeof changesSchema>, actor: string): Promise<{ runId: string }> {
  const catalog = catalogFor(deps.database.db, storeId);
  let ids: string[];
  let kind: string;
  if ('changes' in body) {
    const wanted = new Map(body.changes.map((c) => [c.id, c.enabled]));
    const known = new Set((await catalog.items.getMany([...wanted.keys()])).map((r) => r.lsItemId));
    const unknown = [...wanted.keys()].filter((id) => !known.has(id));
    if (unknown.length > 0) throw new CatalogRequestError(`unknown item id(s): ${unknown.slice(0, 10).join(', ')}`);
    const on = [...wanted].filter(([, e]) => e).map(([id]) => id);
    const off = [...wanted].filter(([, e]) => !e).map(([id]) => id);
    await catalog.items.setEnabled(on, true);
    await catalog.items.setEnabled(off, false);
    ids = [...wanted.keys()];
    kind = off.length === 0 ? 'enable' : on.length === 0 ? 'disable' : 'change';
  } else {
    ids = await catalog.items.setEnabledFor(body.filter, body.enabled);
    kind = body.enabled ? 'enable' : 'disable';
  }
  const run = await catalog.runs.create(kind, ids);
  await forStore(deps.database.db, deps.secrets, storeId).activity.record({
    kind: 'catalog.choice',
    outcome: 'info',
    summary: `${kind === 'enable' ? 'Turned on' : kind === 'disable' ? 'Turned off' : 'Changed'} ${ids.length} item${ids.length === 1 ? '' : 's'} for online sale`,
    reason: `by ${actor}`,
    entityType: 'catalog.run',
    entityId: run.id,
  });
  if (ids.length === 0) await catalog.runs.setState(run.id, 'done');
  else await queue.send(catalogApply, { storeId, runId: run.id });
  return { runId: run.id };
}

const runView = (run: CatalogRun) => ({
  runId: run.id,
  kind: run.kind,
  state: run.state,
  total: run.total,
  done: run.done,
  error: run.error,
  results: run.results,
  createdAt: run.createdAt.toISOString(),
  finishedAt: run.finishedAt?.toISOString() ?? null,
});

export async function runStatus(deps: JobDeps, storeId: string, runId: string) {
  if (!z.uuid().safeParse(runId).success) throw new CatalogRequestError('no such run', 404);
  const run = await catalogFor(deps.database.db, storeId).runs.get(runId);
  if (!run) throw new CatalogRequestError('no such run', 404);
  return runView(run);
}

/** The store's newest save, whatever its state: a reloaded page or a second tab follows it. */
export async function latestRun(deps: JobDeps, storeId: string) {
  const run = await catalogFor(deps.database.db, storeId).runs.latest(APPLY_RUN_KINDS);
  return { run: run ? runView(run) : null };
}

export async function listConflicts(deps: JobDeps, storeId: string) {
  const open = await catalogFor(deps.database.db, storeId).conflicts.listOpen();
  return { conflicts: open.map((c) => ({ id: String(c.id), itemId: c.lsItemId, name: c.name, reason: c.reason, candidates: c.candidates })) };
}

/** Link to the chosen BigCommerce product, or create a new one; then applies the item. */
export async function resolveConflict(deps: JobDeps, queue: JobQueue, storeId: string, conflictId: string, action: z.output<typeof resolveSchema>): Promise<{ runId: string }> {
  const catalog = catalogFor(deps.database.db, storeId);
  const id = Number(conflictId);
  const conflict = Number.isSafeInteger(id) ? await catalog.conflicts.get(id) : undefined;
  if (!conflict) throw new CatalogRequestError('no such conflict', 404);
  if (conflict.resolvedAt) throw new CatalogRequestError('this conflict is already resolved', 409);
  const item = await catalog.items.get(conflict.lsItemId);
  if (!item) throw new CatalogRequestError('the item no longer exists', 404);
  if (action.action === 'link') {
    const bc = await bigcommerceClientFor(deps, storeId);
    const product = await bc.catalog.products.get(action.bigcommerceProductId, { include: ['variants'] }).catch(() => undefined);
    if (!product) throw new CatalogRequestError(`BigCommerce product ${action.bigcommerceProductId} does not exist`);
    const variants = product.variants ?? [];
    const variantIds: Record<string, number> = {};
    if (item.hasVariants) {
      for (const v of item.variants) {
        const match = variants.find((b) => b.sku.toLowerCase() === v.sku.toLowerCase());
        if (match) variantIds[v.lsProductId] = match.id;
      }
    } else if (product.base_variant_id ?? variants[0]?.id) variantIds[item.lsItemId] = (product.base_variant_id ?? variants[0]?.id)!;
    await catalog.items.updateSync(item.lsItemId, { bcProductId: product.id, bcVariantIds: variantIds, syncState: 'pending', syncReason: 'linked by the merchant', syncedVersion: 0 });
  } else {
    await catalog.items.updateSync(item.lsItemId, { syncState: 'pending', syncReason: 'a new BigCommerce product will be created', syncedVersion: 0 });
  }
  await catalog.conflicts.resolve(conflict.id, action.action);
  const run = await catalog.runs.create('resolve', [item.lsItemId]);
  await queue.send(catalogApply, { storeId, runId: run.id });
  return { runId: run.id };
}

export async function requestReindex(deps: JobDeps, queue: JobQueue, storeId: string): Promise<{ runId: string }> {
  const catalog = catalogFor(deps.database.db, storeId);
  const active = await catalog.runs.active('index');
  if (active) return { runId: active.id };
  const run = await catalog.runs.create('index', []);
  await queue.send(catalogIndex, { storeId, runId: run.id });
  return { runId: run.id };
}
