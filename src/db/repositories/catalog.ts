/**
 * Store-scoped catalog repository: the items the merchant can sell online, their conflicts and
 * the runs that apply the merchant's choices. Every statement carries `store_id = <this store>`.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { ItemSnapshot } from '../../core/catalog/items';
import type { Db } from '../client';
import {
  catalogConflicts,
  catalogItems,
  catalogRuns,
  catalogSettings,
  lightspeedEntityVersions,
  type CatalogRunResult,
  type CatalogRunState,
  type CatalogSyncState,
} from '../schema';

export type CatalogItem = typeof catalogItems.$inferSelect;
export type CatalogConflict = typeof catalogConflicts.$inferSelect;
export type CatalogRun = typeof catalogRuns.$inferSelect;

export const catalogStatuses = ['enabled', 'disabled', 'error', 'conflict', 'inactive'] as const;
export type CatalogStatus = (typeof catalogStatuses)[number];

export interface CatalogFilter {
  q?: string | undefined;
  type?: string | undefined;
  brand?: string | undefined;
  tag?: string | undefined;
  status?: CatalogStatus | undefined;
}

export interface SyncPatch {
  syncState?: CatalogSyncState;
  syncReason?: string | null;
  bcProductId?: number | null;
  bcVariantIds?: Record<string, number>;
  previousVisibility?: boolean | null;
  syncedVersion?: number;
}

const likeEscape = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The catalog item a stored Lightspeed product belongs to (same expression as the index). */
const itemKeyExpr = sql<string>`coalesce(${lightspeedEntityVersions.state}->>'familyId', ${lightspeedEntityVersions.state}->>'variantParentId', ${lightspeedEntityVersions.entityId})`;

export function catalogFor(db: Db, storeId: string) {
  const filterWhere = (filter: CatalogFilter): SQL => {
    const where: SQL[] = [eq(catalogItems.storeId, storeId)];
    const q = filter.q?.trim();
    if (q) {
      const like = likeEscape(q);
      const match = or(
        sql`lower(${catalogItems.name}) like ${like}`,
        sql`lower(${catalogItems.sku}) like ${like}`,
        sql`exists (select 1 from unnest(${catalogItems.barcodes}) b where lower(b) like ${like})`,
        sql`exists (select 1 from jsonb_array_elements(${catalogItems.variants}) v where lower(v->>'sku') like ${like})`,
      );
      if (match) where.push(match);
    }
    if (filter.type) where.push(eq(catalogItems.productType, filter.type));
    if (filter.brand) where.push(eq(catalogItems.brand, filter.brand));
    if (filter.tag) where.push(sql`${filter.tag} = any(${catalogItems.tags})`);
    switch (filter.status) {
      case 'enabled':
        where.push(eq(catalogItems.onlineEnabled, true));
        break;
      case 'disabled':
        where.push(eq(catalogItems.onlineEnabled, false));
        break;
      case 'error':
        where.push(eq(catalogItems.syncState, 'error'));
        break;
      case 'conflict':
        where.push(eq(catalogItems.syncState, 'conflict'));
        break;
      case 'inactive':
        where.push(eq(catalogItems.active, false));
        break;
      default:
        break;
    }
    return and(...where)!;
  };

  const items = {
    /**
     * Writes what Lightspeed says about items; never touches the merchant's choice or the
     * BigCommerce link. An older snapshot never replaces a newer one.
     */
    async upsert(snapshots: readonly ItemSnapshot[]): Promise<CatalogItem[]> {
      if (snapshots.length === 0) return [];
      const values = snapshots.map((s) => ({
        storeId,
        lsItemId: s.lsItemId,
        name: s.name,
        sku: s.sku,
        barcodes: s.barcodes,
        productType: s.productType,
        brand: s.brand,
        tags: s.tags,
        active: s.active,
        tracksInventory: s.tracksInventory,
        hasVariants: s.hasVariants,
        price: { price: s.price, cost: s.cost },
        variants: s.variants,
        lsProductIds: s.lsProductIds,
        lsVersion: s.version,
      }));
      const ex = (column: string) => sql.raw(`excluded.${column}`);
      return db
        .insert(catalogItems)
        .values(values)
        .onConflictDoUpdate({
          target: [catalogItems.storeId, catalogItems.lsItemId],
          set: {
            name: ex('name'),
            sku: ex('sku'),
            barcodes: ex('barcodes'),
            productType: ex('product_type'),
            brand: ex('brand'),
            tags: ex('tags'),
            active: ex('active'),
            tracksInventory: ex('tracks_inventory'),
            hasVariants: ex('has_variants'),
            price: ex('price'),
            variants: ex('variants'),
            lsProductIds: ex('ls_product_ids'),
            lsVersion: ex('ls_version'),
            updatedAt: new Date(),
          },
          setWhere: sql`${catalogItems.lsVersion} <= excluded.ls_version`,
        })
        .returning();
    },

    async get(lsItemId: string): Promise<CatalogItem | undefined> {
      const [row] = await db
        .select()
        .from(catalogItems)
        .where(and(eq(catalogItems.storeId, storeId), eq(catalogItems.lsItemId, lsItemId)));
      return row;
    },

    async getMany(lsItemIds: readonly string[]): Promise<CatalogItem[]> {
      if (lsItemIds.length === 0) return [];
      return db
        .select()
        .from(catalogItems)
        .where(and(eq(catalogItems.storeId, storeId), inArray(catalogItems.lsItemId, [...lsItemIds])))
        .orderBy(asc(catalogItems.lsItemId));
    },

    /** The item with this item id, or the item containing this Lightspeed product id. */
    async findByAnyId(id: string): Promise<CatalogItem | undefined> {
      const [row] = await db
        .select()
        .from(catalogItems)
        .where(and(eq(catalogItems.storeId, storeId), or(eq(catalogItems.lsItemId, id), sql`${id} = any(${catalogItems.lsProductIds})`)))
        .orderBy(sql`${catalogItems.lsItemId} = ${id} desc`)
        .limit(1);
      return row;
    },

    async list(filter: CatalogFilter & { page?: number; limit?: number } = {}): Promise<{ rows: CatalogItem[]; total: number }> {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 250);
      const page = Math.max(filter.page ?? 1, 1);
      const where = filterWhere(filter);
      const rows = await db
        .select()
        .from(catalogItems)
        .where(where)
        .orderBy(asc(sql`lower(${catalogItems.name})`), asc(catalogItems.lsItemId))
        .limit(limit)
        .offset((page - 1) * limit);
      const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(catalogItems).where(where);
      return { rows, total: count?.n ?? 0 };
    },

    /** The ls item ids matching a filter. */
    async idsFor(filter: CatalogFilter): Promise<string[]> {
      const rows = await db.select({ id: catalogItems.lsItemId }).from(catalogItems).where(filterWhere(filter)).orderBy(asc(catalogItems.lsItemId));
      return rows.map((r) => r.id);
    },

    async facets(): Promise<{ types: string[]; brands: string[]; tags: string[] }> {
      const types = await db
        .selectDistinct({ v: catalogItems.productType })
        .from(catalogItems)
        .where(and(eq(catalogItems.storeId, storeId), sql`${catalogItems.productType} is not null`))
        .orderBy(asc(catalogItems.productType));
      const brands = await db
        .selectDistinct({ v: catalogItems.brand })
        .from(catalogItems)
        .where(and(eq(catalogItems.storeId, storeId), sql`${catalogItems.brand} is not null`))
        .orderBy(asc(catalogItems.brand));
      const tags = await db
        .selectDistinct({ v: sql<string>`unnest(${catalogItems.tags})` })
        .from(catalogItems)
        .where(eq(catalogItems.storeId, storeId))
        .orderBy(asc(sql`1`));
      const strings = (rows: { v: string | null }[]) => rows.flatMap((r) => (r.v ? [r.v] : []));
      return { types: strings(types), brands: strings(brands), tags: strings(tags) };
    },

    async count(): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(catalogItems).where(eq(catalogItems.storeId, storeId));
      return row?.n ?? 0;
    },

    /** Items linked to a BigCommerce product (what stays in BigCommerce when Lightspeed is disconnected). */
    async countLinked(): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(catalogItems)
        .where(and(eq(catalogItems.storeId, storeId), isNotNull(catalogItems.bcProductId)));
      return row?.n ?? 0;
    },

    /** Sets the merchant's choice; returns the ids that exist in this store. */
    async setEnabled(lsItemIds: readonly string[], enabled: boolean): Promise<string[]> {
      if (lsItemIds.length === 0) return [];
      const rows = await db
        .update(catalogItems)
        .set({ onlineEnabled: enabled, updatedAt: new Date() })
        .where(and(eq(catalogItems.storeId, storeId), inArray(catalogItems.lsItemId, [...lsItemIds])))
        .returning({ id: catalogItems.lsItemId });
      return rows.map((r) => r.id);
    },

    async setEnabledFor(filter: CatalogFilter, enabled: boolean): Promise<string[]> {
      const rows = await db.update(catalogItems).set({ onlineEnabled: enabled, updatedAt: new Date() }).where(filterWhere(filter)).returning({ id: catalogItems.lsItemId });
      return rows.map((r) => r.id);
    },

    async updateSync(lsItemId: string, patch: SyncPatch): Promise<boolean> {
      const rows = await db
        .update(catalogItems)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(catalogItems.storeId, storeId), eq(catalogItems.lsItemId, lsItemId)))
        .returning({ id: catalogItems.id });
      return rows.length > 0;
    },

    /**
     * Items whose BigCommerce side may differ from what it should be: enabled and not yet synced
     * at their Lightspeed version, or linked and disabled but not yet hidden. Keyset by item id.
     */
    async needingApply(options: { after?: string; limit?: number } = {}): Promise<CatalogItem[]> {
      const where: SQL[] = [
        eq(catalogItems.storeId, storeId),
        or(
          and(
            eq(catalogItems.onlineEnabled, true),
            or(
              sql`${catalogItems.lsVersion} > ${catalogItems.syncedVersion}`,
              inArray(catalogItems.syncState, ['not_synced', 'pending', 'error']),
              and(eq(catalogItems.active, true), eq(catalogItems.syncState, 'hidden')),
            ),
          ),
          and(or(eq(catalogItems.onlineEnabled, false), eq(catalogItems.active, false)), sql`${catalogItems.bcProductId} is not null`, sql`${catalogItems.syncState} <> 'hidden'`),
        )!,
      ];
      if (options.after) where.push(gt(catalogItems.lsItemId, options.after));
      return db
        .select()
        .from(catalogItems)
        .where(and(...where))
        .orderBy(asc(catalogItems.lsItemId))
        .limit(options.limit ?? 200);
    },
  };

  /** Stored Lightspeed product states, read by item for indexing (never all at once). */
  const sources = {
    /** The next item keys after `after`, in order (keyset paging over stored products). */
    async itemKeys(options: { after?: string; limit: number }): Promise<string[]> {
      const where: SQL[] = [eq(lightspeedEntityVersions.storeId, storeId), eq(lightspeedEntityVersions.kind, 'product')];
      if (options.after !== undefined) where.push(sql`${itemKeyExpr} > ${options.after}`);
      const rows = await db
        .selectDistinct({ key: itemKeyExpr })
        .from(lightspeedEntityVersions)
        .where(and(...where))
        .orderBy(asc(itemKeyExpr))
        .limit(options.limit);
      return rows.map((r) => r.key);
    },

    /** Every stored product state of these items. */
    async productsOf(keys: readonly string[]): Promise<Record<string, unknown>[]> {
      if (keys.length === 0) return [];
      const rows = await db
        .select({ state: lightspeedEntityVersions.state })
        .from(lightspeedEntityVersions)
        .where(and(eq(lightspeedEntityVersions.storeId, storeId), eq(lightspeedEntityVersions.kind, 'product'), inArray(itemKeyExpr, [...keys])));
      return rows.flatMap((r) => (r.state ? [r.state] : []));
    },

    /** The item keys of these Lightspeed product ids (as stored). */
    async itemKeysOfProducts(productIds: readonly string[]): Promise<string[]> {
      if (productIds.length === 0) return [];
      const rows = await db
        .selectDistinct({ key: itemKeyExpr })
        .from(lightspeedEntityVersions)
        .where(and(eq(lightspeedEntityVersions.storeId, storeId), eq(lightspeedEntityVersions.kind, 'product'), inArray(lightspeedEntityVersions.entityId, [...productIds])));
      return rows.map((r) => r.key);
    },
  };

  const conflicts = {
    /** Records the item's open conflict (replacing an older open one for the same item). */
    async open(lsItemId: string, reason: string, candidates: CatalogConflict['candidates']): Promise<CatalogConflict> {
      await db
        .update(catalogConflicts)
        .set({ resolvedAt: new Date(), resolution: 'superseded' })
        .where(and(eq(catalogConflicts.storeId, storeId), eq(catalogConflicts.lsItemId, lsItemId), isNull(catalogConflicts.resolvedAt)));
      const [row] = await db.insert(catalogConflicts).values({ storeId, lsItemId, reason, candidates }).returning();
      if (!row) throw new Error('conflict insert returned no row');
      return row;
    },

    async listOpen(): Promise<(CatalogConflict & { name: string })[]> {
      const rows = await db
        .select({ conflict: catalogConflicts, name: catalogItems.name })
        .from(catalogConflicts)
        .innerJoin(catalogItems, and(eq(catalogItems.storeId, catalogConflicts.storeId), eq(catalogItems.lsItemId, catalogConflicts.lsItemId)))
        .where(and(eq(catalogConflicts.storeId, storeId), isNull(catalogConflicts.resolvedAt)))
        .orderBy(asc(catalogConflicts.id));
      return rows.map((r) => ({ ...r.conflict, name: r.name }));
    },

    async get(id: number): Promise<CatalogConflict | undefined> {
      const [row] = await db
        .select()
        .from(catalogConflicts)
        .where(and(eq(catalogConflicts.storeId, storeId), eq(catalogConflicts.id, id)));
      return row;
    },

    async resolve(id: number, resolution: 'link' | 'create' = 'link'): Promise<boolean> {
      const rows = await db
        .update(catalogConflicts)
        .set({ resolvedAt: new Date(), resolution })
        .where(and(eq(catalogConflicts.storeId, storeId), eq(catalogConflicts.id, id), isNull(catalogConflicts.resolvedAt)))
        .returning({ id: catalogConflicts.id });
      return rows.length > 0;
    },

    /** Items (of these) whose newest conflict the merchant resolved with "create a new product". */
    async createRequested(lsItemIds: readonly string[]): Promise<Set<string>> {
      if (lsItemIds.length === 0) return new Set();
      const rows = await db
        .selectDistinctOn([catalogConflicts.lsItemId], { id: catalogConflicts.lsItemId, resolution: catalogConflicts.resolution })
        .from(catalogConflicts)
        .where(and(eq(catalogConflicts.storeId, storeId), inArray(catalogConflicts.lsItemId, [...lsItemIds])))
        .orderBy(asc(catalogConflicts.lsItemId), desc(catalogConflicts.id));
      return new Set(rows.filter((r) => r.resolution === 'create').map((r) => r.id));
    },

    async resolveForItem(lsItemId: string): Promise<void> {
      await db
        .update(catalogConflicts)
        .set({ resolvedAt: new Date(), resolution: 'superseded' })
        .where(and(eq(catalogConflicts.storeId, storeId), eq(catalogConflicts.lsItemId, lsItemId), isNull(catalogConflicts.resolvedAt)));
    },
  };

  const runs = {
    async create(kind: string, itemIds: readonly string[]): Promise<CatalogRun> {
      const [row] = await db
        .insert(catalogRuns)
        .values({ storeId, kind, itemIds: [...itemIds], total: itemIds.length })
        .returning();
      if (!row) throw new Error('run insert returned no row');
      return row;
    },

    async get(id: string): Promise<CatalogRun | undefined> {
      const [row] = await db
        .select()
        .from(catalogRuns)
        .where(and(eq(catalogRuns.storeId, storeId), eq(catalogRuns.id, id)));
      return row;
    },

    /** The newest run of a kind that is still queued or running. */
    async active(kind: string): Promise<CatalogRun | undefined> {
      const [row] = await db
        .select()
        .from(catalogRuns)
        .where(and(eq(catalogRuns.storeId, storeId), eq(catalogRuns.kind, kind), inArray(catalogRuns.state, ['queued', 'running'])))
        .orderBy(desc(catalogRuns.createdAt))
        .limit(1);
      return row;
    },

    /** The newest run of these kinds, whatever its state (the page shows it after a reload). */
    async latest(kinds: readonly string[]): Promise<CatalogRun | undefined> {
      const [row] = await db
        .select()
        .from(catalogRuns)
        .where(and(eq(catalogRuns.storeId, storeId), inArray(catalogRuns.kind, [...kinds])))
        .orderBy(desc(catalogRuns.createdAt))
        .limit(1);
      return row;
    },

    /** Items that a queued or running run of these kinds has not finished yet: their change is being saved. */
    async savingItemIds(kinds: readonly string[]): Promise<Set<string>> {
      const rows = await db
        .select({ itemIds: catalogRuns.itemIds, results: catalogRuns.results })
        .from(catalogRuns)
        .where(and(eq(catalogRuns.storeId, storeId), inArray(catalogRuns.kind, [...kinds]), inArray(catalogRuns.state, ['queued', 'running'])));
      const saving = new Set<string>();
      for (const run of rows) {
        const done = new Set(run.results.map((r) => r.id));
        for (const id of run.itemIds) if (!done.has(id)) saving.add(id);
      }
      return saving;
    },

    async setState(id: string, state: CatalogRunState, error: string | null = null): Promise<void> {
      const finished = state === 'done' || state === 'failed';
      await db
        .update(catalogRuns)
        .set({ state, error, ...(finished ? { finishedAt: new Date() } : {}) })
        .where(and(eq(catalogRuns.storeId, storeId), eq(catalogRuns.id, id)));
    },

    /** Appends results (replacing an earlier result for the same item: a retried run counts once). */
    async addResults(id: string, results: readonly CatalogRunResult[]): Promise<void> {
      if (results.length === 0) return;
      const ids = results.map((r) => r.id);
      await db
        .update(catalogRuns)
        .set({
          results: sql`(select coalesce(jsonb_agg(r), '[]'::jsonb) from jsonb_array_elements(${catalogRuns.results}) r where not (r->>'id' in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)))) || ${JSON.stringify(results)}::jsonb`,
        })
        .where(and(eq(catalogRuns.storeId, storeId), eq(catalogRuns.id, id)));
      await db
        .update(catalogRuns)
        .set({ done: sql`jsonb_array_length(${catalogRuns.results})` })
        .where(and(eq(catalogRuns.storeId, storeId), eq(catalogRuns.id, id)));
    },
  };

  const settings = {
    /**
     * Takes the store's apply lease for `holder` unless another holder's lease is still running.
     * Atomic (one upsert guarded by the expiry), so two workers cannot both get it.
     */
    async acquireApplyLease(holder: string, ms: number): Promise<boolean> {
      const until = new Date(Date.now() + ms);
      const rows = await db
        .insert(catalogSettings)
        .values({ storeId, applyLeaseHolder: holder, applyLeaseUntil: until })
        .onConflictDoUpdate({
          target: catalogSettings.storeId,
          set: { applyLeaseHolder: holder, applyLeaseUntil: until },
          setWhere: sql`${catalogSettings.applyLeaseUntil} is null or ${catalogSettings.applyLeaseUntil} < now() or ${catalogSettings.applyLeaseHolder} = ${holder}`,
        })
        .returning({ holder: catalogSettings.applyLeaseHolder });
      return rows[0]?.holder === holder;
    },

    async releaseApplyLease(holder: string): Promise<void> {
      await db
        .update(catalogSettings)
        .set({ applyLeaseHolder: null, applyLeaseUntil: null })
        .where(and(eq(catalogSettings.storeId, storeId), eq(catalogSettings.applyLeaseHolder, holder)));
    },

    async hiddenCategoryId(): Promise<number | null> {
      const [row] = await db.select({ id: catalogSettings.hiddenCategoryId }).from(catalogSettings).where(eq(catalogSettings.storeId, storeId));
      return row?.id ?? null;
    },
    async setHiddenCategoryId(id: number): Promise<void> {
      await db
        .insert(catalogSettings)
        .values({ storeId, hiddenCategoryId: id })
        .onConflictDoUpdate({ target: catalogSettings.storeId, set: { hiddenCategoryId: id, updatedAt: new Date() } });
    },
  };

  return { storeId, items, sources, conflicts, runs, settings };
}

export type CatalogRepository = ReturnType<typeof catalogFor>;
