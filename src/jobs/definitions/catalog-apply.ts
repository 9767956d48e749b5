/**
 * `catalog.apply`: brings BigCommerce in line with the catalog, level-triggered. For each item it
 * computes what BigCommerce should hold (enabled and active → a linked product carrying the
 * Lightspeed-owned fields; disabled or inactive → hidden, never deleted) and writes only the
 * difference, in batches: one create per new product (its variants ride along), products
 * `updateMany` ≤10, variants `updateMany` ≤50, one channel-assignment write per chunk. Replaying
 * a run recomputes the same differences, so it is harmless.
 */
import { z } from 'zod';
import type { ItemSnapshot } from '../../core/catalog/items';
import {
  conflictOutcome,
  createdOutcome,
  createdVariantLinks,
  describeChanges,
  failedOutcome,
  finalOutcomes,
  hideReason,
  inBatchesOf,
  linkedOutcome,
  markUnassigned,
  type Outcome as PlannedOutcome,
  planHide,
  planLinked,
  ProductUpdates,
  productGoneOutcome,
  sortForApply,
  updateReason,
  variantsNotAddedReason,
} from '../../core/catalog/apply-plan';
import {
  HIDDEN_CATEGORY_NAME,
  matchItem,
  optionsForNewVariant,
  planCreate,
  productNameFor,
  sellableVariants,
  variantFields,
  type BcProductView,
  type MatchCandidate,
  type VariantFieldsUpdate,
} from '../../core/catalog/plan';
import { catalogFor, type CatalogItem, type CatalogRepository } from '../../db/repositories/catalog';
import { forStore, type StoreScope } from '../../db/repositories/scoped';
import type { CatalogRunResult } from '../../db/schema';
import { BigCommerceApiError } from '../../integrations/bigcommerce/errors';
import type { Product, ProductOption, VariantBatchItem } from '../../integrations/bigcommerce/schemas';
import { bigcommerceClientFor, NotConnected, type BigCommerceClient } from '../clients';
import { markInventoryDirty } from './inventory-sync';
import { defineJob, type JobDefinition } from '../define';
import type { JobDeps } from '../deps';

/** Items handled together: one look-up and one assignment write per chunk. */
const CHUNK = 50;
/** SKUs per `sku:in` look-up (keeps the URL short). */
const SKUS_PER_LOOKUP = 100;
const PRODUCT_BATCH = 10;
const VARIANT_BATCH = 50;
const APPLY_RETRIES = 5;

export function snapshotOf(row: CatalogItem): ItemSnapshot {
  return {
    lsItemId: row.lsItemId,
    name: row.name,
    sku: row.sku,
    barcodes: row.barcodes,
    productType: row.productType,
    brand: row.brand,
    tags: row.tags,
    active: row.active,
    tracksInventory: row.tracksInventory,
    hasVariants: row.hasVariants,
    price: row.price?.price ?? null,
    cost: row.price?.cost ?? null,
    variants: row.variants,
    lsProductIds: row.lsProductIds,
    version: row.lsVersion,
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

type Outcome = PlannedOutcome<CatalogItem>;

/** Per-run BigCommerce context, fetched once. */
interface Context {
  bc: BigCommerceClient;
  catalog: CatalogRepository;
  scope: StoreScope;
  hiddenCategoryId?: number;
  channelIds?: number[];
}

async function hiddenCategory(ctx: Context): Promise<number> {
  if (ctx.hiddenCategoryId !== undefined) return ctx.hiddenCategoryId;
  const stored = await ctx.catalog.settings.hiddenCategoryId();
  if (stored !== null) return (ctx.hiddenCategoryId = stored);
  const trees = await ctx.bc.catalog.categories.trees();
  const tree = trees.find((t) => t.channels.includes(1)) ?? trees[0];
  if (!tree) throw new Error('BigCommerce has no category tree to hold the hidden category');
  const existing = (await ctx.bc.catalog.categories.list({ name: HIDDEN_CATEGORY_NAME, 'tree_id:in': [tree.id] })).data.find((c) => c.name === HIDDEN_CATEGORY_NAME);
  const category = existing ?? (await ctx.bc.catalog.categories.create([{ name: HIDDEN_CATEGORY_NAME, tree_id: tree.id, parent_id: 0, is_visible: false }]))[0];
  if (!category) throw new Error('BigCommerce did not return the hidden category');
  await ctx.catalog.settings.setHiddenCategoryId(category.category_id);
  if (!existing) {
    await ctx.scope.activity.record({
      kind: 'category.created',
      outcome: 'ok',
      summary: `Created the hidden category "${HIDDEN_CATEGORY_NAME}" in BigCommerce`,
      reason: 'new products stay out of the storefront until the merchant places them',
      entityType: 'bigcommerce.category',
      entityId: String(category.category_id),
    });
  }
  return (ctx.hiddenCategoryId = category.category_id);
}

/** Every live storefront channel: new products are listed on each (and stay hidden). */
async function storefrontChannels(ctx: Context): Promise<number[]> {
  if (ctx.channelIds) return ctx.channelIds;
  const channels = await ctx.bc.channels.listAll();
  return (ctx.channelIds = channels.filter((c) => c.type === 'storefront' && !['deleted', 'archived', 'terminated'].includes(c.status)).map((c) => c.id));
}

const toView = (p: Product): BcProductView => ({
  id: p.id,
  name: p.name,
  sku: p.sku,
  price: p.price,
  cost_price: p.cost_price,
  upc: p.upc,
  gtin: p.gtin,
  inventory_tracking: p.inventory_tracking,
  is_visible: p.is_visible,
  base_variant_id: p.base_variant_id,
  variants: p.variants,
});

async function lookupCandidates(ctx: Context, items: readonly ItemSnapshot[]): Promise<Product[]> {
  const skus = [...new Set(items.flatMap((i) => [i.sku, ...i.variants.map((v) => v.sku)]).filter((s) => s.trim() !== ''))];
  const found = new Map<number, Product>();
  for (let i = 0; i < skus.length; i += SKUS_PER_LOOKUP) {
    for await (const page of ctx.bc.catalog.products.pages({ 'sku:in': skus.slice(i, i + SKUS_PER_LOOKUP), include: ['variants'] })) for (const p of page) found.set(p.id, p);
  }
  return [...found.values()];
}

/** Barcode look-up (product-level `upc` filter), only for simple items no SKU matched. */
async function lookupByBarcode(ctx: Context, item: ItemSnapshot): Promise<Product[]> {
  const found: Product[] = [];
  for (const code of item.barcodes.slice(0, 2)) {
    const page = await ctx.bc.catalog.products.list({ upc: code, include: ['variants'], limit: 50 });
    found.push(...page.data.filter((p) => p.upc === code || p.gtin === code || (p.variants ?? []).some((v) => v.upc === code || v.gtin === code)));
  }
  return found;
}

const skusOf = (item: ItemSnapshot) => [item.sku, ...item.variants.map((v) => v.sku)].map((s) => s.toLowerCase());
const mentions = (p: Product, item: ItemSnapshot) => {
  const skus = skusOf(item);
  return skus.includes(p.sku.toLowerCase()) || (p.variants ?? []).some((v) => skus.includes(v.sku.toLowerCase()));
};


/**
 * Sends a batch; when BigCommerce refuses it (a 4xx names no single item), sends its entries one
 * by one so only the offending item fails and the others still go through.
 */
async function inBatch<T>(batch: readonly T[], send: (entries: readonly T[]) => Promise<unknown>, failed: (entry: T, error: unknown) => Promise<void> | void): Promise<void> {
  try {
    await send(batch);
  } catch (error) {
    const isolate = batch.length > 1 && error instanceof BigCommerceApiError && error.status >= 400 && error.status < 500;
    if (!isolate) {
      for (const entry of batch) await failed(entry, error);
      return;
    }
    for (const entry of batch) {
      try {
        await send([entry]);
      } catch (single) {
        await failed(entry, single);
      }
    }
  }
}

async function recordSkuName(ctx: Context, row: CatalogItem, name: string): Promise<void> {
  await ctx.scope.activity.record({
    kind: 'product.renamed',
    outcome: 'warning',
    summary: `"${row.name}" is named "${name}" in BigCommerce`,
    reason: 'BigCommerce product names are unique and another product already has this name; the SKU tells them apart',
    entityType: 'catalog.item',
    entityId: row.lsItemId,
  });
}

/** Creates the item's product; a name another product holds gets the SKU-carrying form. */
async function createProduct(ctx: Context, row: CatalogItem, item: ItemSnapshot): Promise<Product> {
  const categoryId = await hiddenCategory(ctx);
  try {
    return await ctx.bc.catalog.products.create(planCreate(item, categoryId));
  } catch (error) {
    if (!(error instanceof BigCommerceApiError && error.isDuplicateName)) throw error;
    const plan = planCreate(item, categoryId, { nameWithSku: true });
    const product = await ctx.bc.catalog.products.create(plan);
    await recordSkuName(ctx, row, plan.name);
    return product;
  }
}

/**
 * Plans the variants Lightspeed added after the item was linked: their option values (adding the
 * new values to the product's options first, one option update each), sent as batch creates.
 */
async function planNewVariants(ctx: Context, productId: number, item: ItemSnapshot, lsProductIds: readonly string[]) {
  let options: ProductOption[] = await ctx.bc.catalog.options.list(productId);
  const variants = sellableVariants(item).filter((v) => lsProductIds.includes(v.lsProductId));
  const additions = new Map<number, Set<string>>();
  for (const v of variants) {
    const planned = optionsForNewVariant(v, options);
    if (planned.kind !== 'add-values') continue;
    for (const a of planned.additions) additions.set(a.optionId, (additions.get(a.optionId) ?? new Set()).add(a.label));
  }
  if (additions.size > 0) {
    const next: ProductOption[] = [];
    for (const option of options) {
      const labels = additions.get(option.id);
      if (!labels) {
        next.push(option);
        continue;
      }
      const values = [...option.option_values.map((v) => ({ id: v.id, label: v.label, sort_order: v.sort_order })), ...[...labels].map((label, i) => ({ label, sort_order: option.option_values.length + i }))];
      next.push(await ctx.bc.catalog.options.update(productId, option.id, { option_values: values }));
    }
    options = next;
  }
  const creates: { update: VariantBatchItem; lsProductId: string }[] = [];
  const mismatches: { sku: string; reason: string }[] = [];
  for (const v of variants) {
    const planned = optionsForNewVariant(v, options);
    if (planned.kind === 'ready') creates.push({ lsProductId: v.lsProductId, update: { product_id: productId, ...variantFields(v), option_values: planned.optionValues } });
    else mismatches.push({ sku: v.sku, reason: planned.kind === 'mismatch' ? planned.reason : 'its option values could not be added' });
  }
  return { creates, mismatches };
}

/** Applies one chunk of items; returns their outcomes (already written). Decisions come from core/catalog/apply-plan. */
async function applyChunk(ctx: Context, rows: readonly CatalogItem[]): Promise<CatalogRunResult[]> {
  const sorted = sortForApply(rows);
  const outcomes: Outcome[] = [...sorted.settled];
  const linked: { row: CatalogItem; item: ItemSnapshot; variantIds: Record<string, number>; fresh: boolean; view?: BcProductView }[] = sorted.linked.map((row) => ({
    row,
    item: snapshotOf(row),
    variantIds: row.bcVariantIds,
    fresh: false,
  }));

  const created: number[] = [];
  // Link or create.
  if (sorted.toLink.length > 0) {
    const toLink = sorted.toLink;
    const items = toLink.map(snapshotOf);
    const createRequested = await ctx.catalog.conflicts.createRequested(toLink.map((r) => r.lsItemId));
    const candidates = await lookupCandidates(ctx, items.filter((i) => !createRequested.has(i.lsItemId)));
    for (const [index, row] of toLink.entries()) {
      const item = items[index]!;
      try {
        const forceCreate = createRequested.has(row.lsItemId);
        let found = forceCreate ? [] : candidates.filter((p) => mentions(p, item));
        if (!forceCreate && found.length === 0 && !item.hasVariants && item.barcodes.length > 0) found = await lookupByBarcode(ctx, item);
        const match = matchItem(item, found.map((p): MatchCandidate => ({ ...p, variants: p.variants ?? [] })));
        if (match.kind === 'conflict') {
          await ctx.catalog.conflicts.open(row.lsItemId, match.reason, match.candidates);
          await ctx.scope.activity.record({ kind: 'product.conflict', outcome: 'warning', summary: `"${row.name}" was not linked: ${match.reason}`, reason: 'ambiguous match; choose a product or create a new one', entityType: 'catalog.item', entityId: row.lsItemId, details: { candidates: match.candidates } });
          outcomes.push(conflictOutcome(row, match.reason));
        } else if (match.kind === 'linked') {
          const product = found.find((p) => p.id === match.productId)!;
          await ctx.catalog.conflicts.resolveForItem(row.lsItemId);
          await ctx.scope.activity.record({ kind: 'product.linked', outcome: 'ok', summary: `Linked "${row.name}" to existing BigCommerce product #${product.id}`, reason: `same ${match.on === 'sku' ? 'SKU' : 'barcode'}; no duplicate created`, entityType: 'catalog.item', entityId: row.lsItemId });
          linked.push({ row, item, variantIds: match.variantIds, fresh: true, view: toView(product) });
          row.previousVisibility = null;
        } else {
          const product = await createProduct(ctx, row, item);
          const variantIds = createdVariantLinks(item, { base_variant_id: product.base_variant_id, variants: product.variants ?? (await ctx.bc.catalog.variants.listAll(product.id)) });
          created.push(product.id);
          await ctx.scope.activity.record({ kind: 'product.created', outcome: 'ok', summary: `Created "${row.name}" in BigCommerce (hidden, in "${HIDDEN_CATEGORY_NAME}")`, reason: 'enabled for online sale', entityType: 'catalog.item', entityId: row.lsItemId, details: { bigcommerceProductId: product.id, variants: Object.keys(variantIds).length } });
          outcomes.push(createdOutcome(row, product.id, variantIds));
        }
      } catch (error) {
        outcomes.push(failedOutcome(row, message(error)));
        await ctx.scope.activity.record({ kind: 'product.sync-failed', outcome: 'error', summary: `"${row.name}" could not be created or linked in BigCommerce`, reason: message(error), entityType: 'catalog.item', entityId: row.lsItemId });
      }
    }
  }

  // Read what BigCommerce holds for the linked and to-hide products (one request per chunk).
  const needRead = [...linked.filter((l) => !l.view).map((l) => l.row.bcProductId!), ...sorted.toHide.map((r) => r.bcProductId!)];
  const current = new Map<number, Product>();
  if (needRead.length > 0) {
    for await (const page of ctx.bc.catalog.products.pages({ 'id:in': needRead, include: ['variants'] })) for (const p of page) current.set(p.id, p);
  }

  const productUpdates = new ProductUpdates<CatalogItem>();
  // Entries with `creates` add a variant (batch create form); its new id is linked from the answer.
  const variantUpdates: { update: VariantFieldsUpdate | VariantBatchItem; row: CatalogItem; creates?: { lsProductId: string; variantIds: Record<string, number> } }[] = [];
  const pendingOutcome = new Map<CatalogItem, Outcome>();
  const assign: number[] = [...created];

  for (const entry of linked) {
    const { row, item } = entry;
    const view = entry.view ?? (current.get(row.bcProductId!) ? toView(current.get(row.bcProductId!)!) : undefined);
    if (!view) {
      outcomes.push(productGoneOutcome(row));
      continue;
    }
    const plan = planLinked(row, item, view, entry.variantIds, entry.fresh);
    if (plan.product) productUpdates.add(row, plan.product, view.sku);
    for (const v of plan.variants) variantUpdates.push({ update: v, row });
    if (plan.visibility) productUpdates.add(row, plan.visibility);
    if (entry.fresh) assign.push(view.id);
    let renameError: string | null = null;
    if (plan.optionRenames.length > 0) {
      try {
        const options = await ctx.bc.catalog.options.list(view.id);
        for (const option of options) {
          const renames = plan.optionRenames.filter((r) => r.optionId === option.id);
          if (renames.length === 0) continue;
          await ctx.bc.catalog.options.update(view.id, option.id, {
            option_values: option.option_values.map((v) => ({ id: v.id, label: renames.find((r) => r.valueId === v.id)?.to ?? v.label, sort_order: v.sort_order })),
          });
        }
      } catch (error) {
        renameError = `option labels not updated: ${message(error)}`;
      }
    }
    let pending: string | null = null;
    if (plan.unlinkedVariants.length > 0 && !renameError) {
      try {
        const added = await planNewVariants(ctx, view.id, item, plan.unlinkedVariants);
        for (const create of added.creates) variantUpdates.push({ update: create.update, row, creates: { lsProductId: create.lsProductId, variantIds: plan.variantIds } });
        pending = variantsNotAddedReason(added.mismatches);
      } catch (error) {
        renameError = `new variants not added: ${message(error)}`;
      }
    }
    pendingOutcome.set(row, linkedOutcome(row, view.id, plan, { error: renameError, pending }));
    if (plan.changes.length > 0) {
      await ctx.scope.activity.record({
        kind: 'product.updated',
        outcome: 'ok',
        summary: `Updated ${describeChanges(plan.changes)} of "${row.name}" in BigCommerce`,
        reason: updateReason(row, entry.fresh),
        entityType: 'catalog.item',
        entityId: row.lsItemId,
        details: { bigcommerceProductId: view.id, changes: plan.changes },
      });
    }
    if (plan.restore) {
      await ctx.scope.activity.record({
        kind: 'product.shown',
        outcome: 'ok',
        summary: row.previousVisibility ? `"${row.name}" is visible on your storefronts again` : `"${row.name}" is back in BigCommerce, still hidden from shoppers as it was before`,
        reason: 'turned on again for online sale: it gets the visibility it had before it was turned off',
        entityType: 'catalog.item',
        entityId: row.lsItemId,
      });
    }
  }

  for (const row of sorted.toHide) {
    const product = current.get(row.bcProductId!);
    const plan = planHide(row, product);
    if (!product) {
      outcomes.push(plan.outcome);
      continue;
    }
    if (plan.hide) productUpdates.add(row, plan.hide);
    pendingOutcome.set(row, plan.outcome);
    if (plan.newlyHidden) await ctx.scope.activity.record({ kind: 'product.hidden', outcome: 'ok', summary: `Hid "${row.name}" in BigCommerce (not deleted)`, reason: hideReason(row), entityType: 'catalog.item', entityId: row.lsItemId, details: { bigcommerceProductId: product.id, wasVisible: product.is_visible } });
  }

  const fail = (rowsFailed: readonly CatalogItem[], error: unknown) => {
    for (const row of rowsFailed) pendingOutcome.set(row, failedOutcome(row, message(error)));
  };
  for (const batch of inBatchesOf(productUpdates.entries(), PRODUCT_BATCH)) {
    await inBatch(batch, (entries) => ctx.bc.catalog.products.updateMany(entries.map((b) => b.update)), async (entry, error) => {
      // A rename onto a name another product holds: the item keeps its SKU-carrying name.
      const row = entry.rows[0];
      if (!(error instanceof BigCommerceApiError && error.isDuplicateName && entry.update.name !== undefined && entry.sku !== undefined && row)) return fail(entry.rows, error);
      const name = productNameFor({ name: row.name, sku: entry.sku }, true);
      try {
        await ctx.bc.catalog.products.updateMany([{ ...entry.update, name }]);
        await recordSkuName(ctx, row, name);
      } catch (retryError) {
        fail(entry.rows, retryError);
      }
    });
  }
  for (const batch of inBatchesOf(variantUpdates, VARIANT_BATCH)) {
    await inBatch(
      batch,
      async (entries) => {
        const answered = await ctx.bc.catalog.variants.updateMany(entries.map((b) => b.update));
        for (const entry of entries) {
          if (!entry.creates || !('product_id' in entry.update)) continue;
          const { product_id: productId, sku } = entry.update;
          const made = answered.find((v) => v.product_id === productId && v.sku.toLowerCase() === sku.toLowerCase());
          if (!made) throw new Error(`BigCommerce did not return the new variant ${sku}`);
          entry.creates.variantIds[entry.creates.lsProductId] = made.id;
          await ctx.scope.activity.record({ kind: 'variant.created', outcome: 'ok', summary: `Added variant ${sku} to "${entry.row.name}" in BigCommerce`, reason: 'added in Lightspeed after the item was linked', entityType: 'catalog.item', entityId: entry.row.lsItemId, details: { bigcommerceProductId: productId, bigcommerceVariantId: made.id } });
        }
      },
      (entry, error) => fail([entry.row], error),
    );
  }
  if (assign.length > 0) {
    const channels = await storefrontChannels(ctx);
    try {
      await ctx.bc.catalog.channelAssignments.assign(assign.flatMap((productId) => channels.map((channelId) => ({ product_id: productId, channel_id: channelId }))));
    } catch (error) {
      markUnassigned(outcomes, assign, message(error));
      fail(linked.filter((l) => l.fresh).map((l) => l.row), error);
    }
  }

  const all = finalOutcomes([...outcomes, ...pendingOutcome.values()]);
  for (const o of all) await ctx.catalog.items.updateSync(o.row.lsItemId, o.patch);
  return all.map((o) => o.result);
}

export interface ApplyResult {
  processed: number;
  results: CatalogRunResult[];
}

/** Applies a run's items, or (without a run) every item that needs it. */
export async function applyCatalog(deps: JobDeps, storeId: string, runId?: string, heartbeat: () => Promise<unknown> = async () => undefined): Promise<ApplyResult> {
  const catalog = catalogFor(deps.database.db, storeId);
  const ctx: Context = { bc: await bigcommerceClientFor(deps, storeId), catalog, scope: forStore(deps.database.db, deps.secrets, storeId) };
  const results: CatalogRunResult[] = [];
  if (runId) {
    const run = await catalog.runs.get(runId);
    if (!run) return { processed: 0, results };
    const done = new Set(run.results.map((r) => r.id));
    const remaining = run.itemIds.filter((id) => !done.has(id));
    for (let i = 0; i < remaining.length; i += CHUNK) {
      const rows = await catalog.items.getMany(remaining.slice(i, i + CHUNK));
      const chunk = await applyChunk(ctx, rows);
      await catalog.runs.addResults(runId, chunk);
      results.push(...chunk);
      await heartbeat();
    }
    return { processed: results.length, results };
  }
  let after: string | undefined;
  for (;;) {
    const rows = await catalog.items.needingApply({ ...(after !== undefined ? { after } : {}), limit: CHUNK });
    if (rows.length === 0) break;
    results.push(...(await applyChunk(ctx, rows)));
    after = rows.at(-1)!.lsItemId;
    await heartbeat();
  }
  return { processed: results.length, results };
}

/** Renewed after every chunk; a worker that dies frees the store when it runs out. */
const APPLY_LEASE_MS = 5 * 60 * 1000;

/** Waits a little for the other apply to finish (a merchant is watching the progress bar); false when it did not. */
async function waitForLease(acquire: () => Promise<boolean>, waitMs = 60_000, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await acquire()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export class ApplyBusy extends Error {
  constructor(storeId: string) {
    super(`another catalog apply is running for store ${storeId}; this one waits its turn`);
    this.name = 'ApplyBusy';
  }
}

/** The key of a store's run-less apply (what the index and the poller changed): one queued at a time. */
export const syncApplyKey = (storeId: string): string => `catalog-apply:${storeId}:sync`;

/** How long a run that found its store busy waits before it looks again. */
const BUSY_RECHECK_SECONDS = 15;

const applySchema = z.object({ storeId: z.uuid(), runId: z.uuid().optional() });

export const catalogApply: JobDefinition<typeof applySchema> = defineJob({
  name: 'catalog.apply',
  schema: applySchema,
  retry: { limit: APPLY_RETRIES, delaySeconds: 10, backoff: true },
  expireInSeconds: 60 * 60,
  async handler({ storeId, runId }, ctx) {
    const { deps, attempt, jobId } = ctx;
    const catalog = catalogFor(deps.database.db, storeId);
    const lease = () => catalog.settings.acquireApplyLease(jobId, APPLY_LEASE_MS);
    try {
      // One apply at a time per store: two would race to create the same product. A busy store
      // is not a failure: the run waits its turn without using up its retries.
      if (!(await waitForLease(lease))) {
        if (runId) await catalog.runs.setState(runId, 'queued', 'waiting for another save to this store to finish');
        await ctx.enqueue(catalogApply, { storeId, ...(runId ? { runId } : {}) }, { startAfterSeconds: BUSY_RECHECK_SECONDS, ...(runId ? {} : { singletonKey: syncApplyKey(storeId) }) });
        return;
      }
      try {
        if (runId) await catalog.runs.setState(runId, 'running');
        const applied = await applyCatalog(deps, storeId, runId, async () => {
          if (!(await lease())) throw new ApplyBusy(storeId);
        });
        // Linked or updated items: their stock is (re)published from Lightspeed.
        const synced = applied.results.filter((r) => r.outcome === 'synced').map((r) => r.id);
        if (synced.length > 0) await markInventoryDirty(ctx, storeId, (await catalog.items.getMany(synced)).flatMap((row) => row.lsProductIds), 'linked');
      } finally {
        await catalog.settings.releaseApplyLease(jobId);
      }
      if (runId) await catalog.runs.setState(runId, 'done');
    } catch (error) {
      const final = error instanceof NotConnected || attempt >= APPLY_RETRIES;
      // A run that will be retried stays open (the page keeps following it) and says why it waits.
      if (runId) await catalog.runs.setState(runId, final ? 'failed' : 'queued', final ? message(error) : `attempt ${attempt + 1} failed (${message(error)}); retrying automatically`);
      if (error instanceof NotConnected) return;
      throw error;
    }
  },
});
