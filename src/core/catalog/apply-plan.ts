/**
 * What a catalog apply decides for each item, given what BigCommerce holds: which items to link
 * or create, update, or hide; what each item's sync state becomes and what the run reports for
 * it. The job (jobs/definitions/catalog-apply.ts) reads BigCommerce, calls these, and writes;
 * every decision is here and testable without a network or a database. Pure: no I/O.
 */
import type { ItemSnapshot } from './items';
import { type BcProductView, type FieldChange, linkVariantsBySku, planUpdate, type ProductFieldsUpdate, type UpdatePlan } from './plan';

export type SyncState = 'not_synced' | 'pending' | 'synced' | 'error' | 'conflict' | 'hidden';

/** The stored state of a catalog item that the apply reads. */
export interface ApplyRow {
  lsItemId: string;
  name: string;
  onlineEnabled: boolean;
  active: boolean;
  bcProductId: number | null;
  bcVariantIds: Record<string, number>;
  syncState: SyncState;
  previousVisibility: boolean | null;
  lsVersion: number;
  syncedVersion: number;
}

/** What the apply writes back to an item. */
export interface SyncPatch {
  syncState?: SyncState;
  syncReason?: string | null;
  bcProductId?: number | null;
  bcVariantIds?: Record<string, number>;
  previousVisibility?: boolean | null;
  syncedVersion?: number;
}

/** What the run reports for an item. */
export interface RunResult {
  id: string;
  name: string;
  outcome: 'synced' | 'pending' | 'error';
  reason: string | null;
}

export interface Outcome<R extends ApplyRow = ApplyRow> {
  row: R;
  patch: SyncPatch;
  result: RunResult;
}

export const runResult = (row: Pick<ApplyRow, 'lsItemId' | 'name'>, outcome: RunResult['outcome'], reason: string | null = null): RunResult => ({ id: row.lsItemId, name: row.name, outcome, reason });

/** How the items of a chunk split: to link or create, linked (to update), to hide, or settled with no BigCommerce call. */
export interface Sorted<R extends ApplyRow> {
  toLink: R[];
  linked: R[];
  toHide: R[];
  settled: Outcome<R>[];
}

/**
 * An item wanted online (enabled and active) is linked or created when it has no product, and
 * updated when it has one. One not wanted is hidden when it has a product; otherwise nothing is
 * written to BigCommerce and it is settled here (an enabled item that is inactive is "hidden"
 * without ever being created).
 */
export function sortForApply<R extends ApplyRow>(rows: readonly R[]): Sorted<R> {
  const sorted: Sorted<R> = { toLink: [], linked: [], toHide: [], settled: [] };
  for (const row of rows) {
    const want = row.onlineEnabled && row.active;
    if (row.bcProductId === null) {
      if (want) sorted.toLink.push(row);
      else if (row.onlineEnabled) {
        sorted.settled.push({ row, patch: { syncState: 'hidden', syncReason: 'inactive or deleted in Lightspeed: not created in BigCommerce', syncedVersion: row.lsVersion }, result: runResult(row, 'synced', 'inactive in Lightspeed') });
      } else sorted.settled.push({ row, patch: { syncState: 'not_synced', syncReason: null, syncedVersion: row.lsVersion }, result: runResult(row, 'synced') });
    } else if (want) sorted.linked.push(row);
    else sorted.toHide.push(row);
  }
  return sorted;
}

/** Lightspeed product id → BigCommerce variant id, for a product just created from the item. */
export function createdVariantLinks(item: Pick<ItemSnapshot, 'lsItemId' | 'hasVariants' | 'variants'>, product: { base_variant_id?: number | null | undefined; variants: readonly { id: number; sku: string }[] }): Record<string, number> {
  const links: Record<string, number> = {};
  if (item.hasVariants) {
    for (const v of item.variants) {
      const bcVariant = product.variants.find((b) => b.sku.toLowerCase() === v.sku.toLowerCase());
      if (bcVariant) links[v.lsProductId] = bcVariant.id;
    }
  } else {
    const base = product.base_variant_id ?? product.variants[0]?.id;
    if (base !== undefined && base !== null) links[item.lsItemId] = base;
  }
  return links;
}

export function createdOutcome<R extends ApplyRow>(row: R, productId: number, variantIds: Record<string, number>): Outcome<R> {
  return { row, patch: { bcProductId: productId, bcVariantIds: variantIds, syncState: 'synced', syncReason: null, previousVisibility: null, syncedVersion: row.lsVersion }, result: runResult(row, 'synced') };
}

export function conflictOutcome<R extends ApplyRow>(row: R, reason: string): Outcome<R> {
  return { row, patch: { syncState: 'conflict', syncReason: reason }, result: runResult(row, 'error', `conflict: ${reason}`) };
}

export function failedOutcome<R extends ApplyRow>(row: R, reason: string): Outcome<R> {
  return { row, patch: { syncState: 'error', syncReason: reason }, result: runResult(row, 'error', reason) };
}

/** The linked product is gone from BigCommerce: the link is forgotten and the next apply creates it again. */
export function productGoneOutcome<R extends ApplyRow>(row: R): Outcome<R> {
  return {
    row,
    patch: { bcProductId: null, bcVariantIds: {}, syncState: 'pending', syncReason: `BigCommerce product #${row.bcProductId} no longer exists; it will be created again` },
    result: runResult(row, 'pending', 'the linked BigCommerce product was deleted'),
  };
}

export interface LinkedPlan extends UpdatePlan {
  /** Variant links completed by SKU. */
  variantIds: Record<string, number>;
  /** Re-enabling an item the app hid gives the product back the visibility it had before. */
  restore: boolean;
  /** The visibility write that restoring takes, when BigCommerce does not hold it already. */
  visibility: { id: number; is_visible: boolean } | null;
}

/** What an enabled, linked item needs: Lightspeed-owned fields brought in line, and its visibility back if the app had hidden it. */
export function planLinked(row: ApplyRow, item: ItemSnapshot, view: BcProductView, variantIds: Readonly<Record<string, number>>, fresh: boolean): LinkedPlan {
  const links = linkVariantsBySku(item, view, variantIds);
  const plan = planUpdate(item, view, links);
  const restore = row.syncState === 'hidden' && row.previousVisibility !== null && !fresh;
  const visibility = restore && view.is_visible !== row.previousVisibility ? { id: view.id, is_visible: row.previousVisibility! } : null;
  return { ...plan, variantIds: links, restore, visibility };
}

/** The state a linked item ends in, once its option renames and new variants were tried. */
export function linkedOutcome<R extends ApplyRow>(row: R, productId: number, plan: Pick<LinkedPlan, 'variantIds' | 'restore'>, problems: { error: string | null; pending: string | null }): Outcome<R> {
  const reason = problems.error ?? problems.pending;
  return {
    row,
    patch: {
      bcProductId: productId,
      bcVariantIds: plan.variantIds,
      syncState: reason ? (problems.error ? 'error' : 'pending') : 'synced',
      syncReason: reason,
      syncedVersion: row.lsVersion,
      ...(plan.restore ? { previousVisibility: null } : {}),
    },
    result: runResult(row, problems.error ? 'error' : problems.pending ? 'pending' : 'synced', reason),
  };
}

/** Why Lightspeed variants stay out of the BigCommerce product (a different set of options is reported, not guessed). */
export function variantsNotAddedReason(mismatches: readonly { sku: string; reason: string }[]): string | null {
  if (mismatches.length === 0) return null;
  const skus = mismatches.map((m) => m.sku);
  return `${skus.length} Lightspeed variant(s) (${skus.slice(0, 5).join(', ')}${skus.length > 5 ? ', …' : ''}) are not in the BigCommerce product and cannot be added to it: ${[...new Set(mismatches.map((m) => m.reason))].join('; ')}`;
}

export interface HidePlan<R extends ApplyRow> {
  outcome: Outcome<R>;
  /** The product is visible: hide it (never delete). */
  hide: { id: number; is_visible: false } | null;
  /** First time hidden: worth an activity record. */
  newlyHidden: boolean;
}

/**
 * An item no longer wanted online (disabled, or inactive in Lightspeed): its product is hidden,
 * never deleted, and the visibility it had is kept so that re-enabling restores it.
 */
export function planHide<R extends ApplyRow>(row: R, product: { id: number; is_visible: boolean } | undefined): HidePlan<R> {
  if (!product) {
    return {
      outcome: {
        row,
        patch: { bcProductId: null, bcVariantIds: {}, syncState: row.onlineEnabled ? 'hidden' : 'not_synced', syncReason: 'the BigCommerce product no longer exists', syncedVersion: row.lsVersion },
        result: runResult(row, 'synced', 'the BigCommerce product no longer exists'),
      },
      hide: null,
      newlyHidden: false,
    };
  }
  const why = hideReason(row);
  return {
    outcome: {
      row,
      patch: { syncState: 'hidden', syncReason: why, previousVisibility: row.syncState === 'hidden' ? row.previousVisibility : product.is_visible, syncedVersion: row.lsVersion },
      result: runResult(row, 'synced', why),
    },
    hide: product.is_visible ? { id: product.id, is_visible: false } : null,
    newlyHidden: row.syncState !== 'hidden',
  };
}

export const hideReason = (row: Pick<ApplyRow, 'onlineEnabled'>): string => (row.onlineEnabled ? 'inactive or deleted in Lightspeed' : 'disabled for online sale');

/**
 * Product writes of a chunk, one entry per product: an item's field update and its visibility
 * write go out as one entry of the batch.
 */
export class ProductUpdates<R> {
  readonly #entries = new Map<number, { update: ProductFieldsUpdate & { is_visible?: boolean }; rows: R[]; sku?: string }>();

  add(row: R, update: ProductFieldsUpdate & { is_visible?: boolean }, sku?: string): void {
    const entry = this.#entries.get(update.id) ?? { update: { id: update.id }, rows: [], ...(sku !== undefined ? { sku } : {}) };
    Object.assign(entry.update, update);
    if (!entry.rows.includes(row)) entry.rows.push(row);
    this.#entries.set(update.id, entry);
  }

  entries() {
    return [...this.#entries.values()];
  }
}

/** Splits a list into batches of at most `size` (the platform's batch limits). */
export function inBatchesOf<T>(list: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < list.length; i += size) batches.push(list.slice(i, i + size));
  return batches;
}

/** New products that could not be assigned to the storefronts are errors, to be created or assigned again. */
export function markUnassigned<R extends ApplyRow>(outcomes: Outcome<R>[], productIds: readonly number[], reason: string): void {
  for (const o of outcomes) {
    if (o.patch.bcProductId !== undefined && o.patch.bcProductId !== null && productIds.includes(o.patch.bcProductId)) {
      o.patch = { ...o.patch, syncState: 'error', syncReason: `not assigned to the storefront: ${reason}`, syncedVersion: 0 };
    }
  }
}

/** An item whose state is an error reports an error, whatever it was planned to report. */
export function finalOutcomes<R extends ApplyRow>(outcomes: Outcome<R>[]): Outcome<R>[] {
  return outcomes.map((o) => (o.patch.syncState === 'error' && o.result.outcome !== 'error' ? { ...o, result: runResult(o.row, 'error', o.patch.syncReason ?? null) } : o));
}

/** "price, cost_price of variant 123": the fields an update changed, for the activity log. */
export function describeChanges(changes: readonly FieldChange[]): string {
  return changes.map((c) => (c.target === 'product' ? c.field : `${c.field} of variant ${c.target}`)).join(', ');
}

/** Why an update was written, for the activity log: Lightspeed changed, or a BigCommerce edit of a Lightspeed-owned field was overwritten. */
export function updateReason(row: Pick<ApplyRow, 'lsVersion' | 'syncedVersion'>, fresh: boolean): string {
  if (fresh) return 'linked product brought in line with Lightspeed (a BigCommerce value was overwritten)';
  if (row.lsVersion <= row.syncedVersion) return 'a BigCommerce edit of Lightspeed-owned field(s) was overwritten: Lightspeed owns them';
  return 'changed in Lightspeed';
}
