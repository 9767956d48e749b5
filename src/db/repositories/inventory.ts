/**
 * Store-scoped inventory repository: outlet mappings and reserves, the engine's write ledger,
 * the in-flight ledger, dirty keys, the change history and sweeps. Every statement carries
 * `store_id = <this store>`.
 */
import { type AnyColumn, and, asc, desc, eq, gt, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { CAUSE_PRIORITY } from '../../core/inventory/causes';
import type { VariantLedger } from '../../core/inventory/ledger';
import type { Db } from '../client';
import {
  inventoryChanges,
  inventoryCommitments,
  inventoryDirty,
  inventoryLedger,
  inventoryProblems,
  inventorySettings,
  inventorySweeps,
  itemReserves,
  outletMappings,
  type OutletAddress,
  type ReserveKind,
} from '../inventory-schema';
import { catalogItems, lightspeedEntityVersions } from '../schema';


/** core/inventory/causes `causeRank` as SQL over a cause column or value (constants only). */
function rankSql(cause: SQL): SQL {
  return sql`(case ${cause} ${sql.raw(CAUSE_PRIORITY.map((c, i) => `when '${c}' then ${i}`).join(' '))} else ${CAUSE_PRIORITY.length} end)`;
}

export type OutletMapping = typeof outletMappings.$inferSelect;
export type ItemReserve = typeof itemReserves.$inferSelect;
export type Commitment = typeof inventoryCommitments.$inferSelect;
export type InventoryChange = typeof inventoryChanges.$inferSelect;
export type InventorySweep = typeof inventorySweeps.$inferSelect;
export type InventorySettingsRow = typeof inventorySettings.$inferSelect;
export type InventoryProblem = typeof inventoryProblems.$inferSelect;

export interface OutletPatch {
  bcLocationId?: number | null;
  locationCreatedByApp?: boolean;
  publishes?: boolean;
  fulfils?: boolean;
  rank?: number;
  dailyCapacity?: number | null;
  reserveKind?: ReserveKind | null;
  reserveValue?: number;
  latitude?: number | null;
  longitude?: number | null;
}

export interface NewCommitment {
  bcOrderId: number;
  bcOrderLineId: number;
  part?: number;
  lsProductId: string;
  bcVariantId: number;
  quantity: number;
  lsOutletId: string | null;
  bcLocationId: number | null;
}

export interface NewChange {
  lsProductId: string;
  bcVariantId: number;
  bcLocationId: number;
  fromLevel: number | null;
  toLevel: number;
  cause: string;
  details?: Record<string, unknown> | null;
  causedAt?: Date | null;
  outcome?: string;
  /** When it was written (default: now). */
  writtenAt?: Date;
}

/** A linked, stock-tracked variant: the Lightspeed product, its BigCommerce ids and its item. */
export interface LinkedVariant {
  lsProductId: string;
  lsItemId: string;
  bcProductId: number;
  bcVariantId: number;
  /** BigCommerce tracks a standalone product's stock on the product, a family's per variant. */
  trackedBy: 'product' | 'variant';
  name: string;
  sku: string;
}

export function inventoryFor(db: Db, storeId: string) {
  const outlets = {
    async list(): Promise<OutletMapping[]> {
      return db.select().from(outletMappings).where(eq(outletMappings.storeId, storeId)).orderBy(asc(outletMappings.rank), asc(outletMappings.name));
    },
    async get(lsOutletId: string): Promise<OutletMapping | undefined> {
      const [row] = await db.select().from(outletMappings).where(and(eq(outletMappings.storeId, storeId), eq(outletMappings.lsOutletId, lsOutletId)));
      return row;
    },
    /** Brings the list in line with Lightspeed's outlets: new ones added (unmapped), gone ones retired. */
    async syncFromLightspeed(list: readonly { id: string; name: string; address: OutletAddress }[]): Promise<void> {
      for (const o of list) {
        await db
          .insert(outletMappings)
          .values({ storeId, lsOutletId: o.id, name: o.name, address: o.address })
          .onConflictDoUpdate({ target: [outletMappings.storeId, outletMappings.lsOutletId], set: { name: o.name, address: o.address, retired: false } });
      }
      const ids = list.map((o) => o.id);
      await db
        .update(outletMappings)
        .set({ retired: true })
        .where(and(eq(outletMappings.storeId, storeId), ids.length ? sql`${outletMappings.lsOutletId} not in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})` : sql`true`));
    },
    async update(lsOutletId: string, patch: OutletPatch): Promise<OutletMapping | undefined> {
      const [row] = await db
        .update(outletMappings)
        .set(patch)
        .where(and(eq(outletMappings.storeId, storeId), eq(outletMappings.lsOutletId, lsOutletId)))
        .returning();
      return row;
    },
  };

  const reserves = {
    async forItems(lsItemIds: readonly string[]): Promise<ItemReserve[]> {
      if (lsItemIds.length === 0) return [];
      return db.select().from(itemReserves).where(and(eq(itemReserves.storeId, storeId), inArray(itemReserves.lsItemId, [...lsItemIds])));
    },
    async set(lsItemId: string, lsOutletId: string | null, rule: { kind: ReserveKind; value: number } | null): Promise<void> {
      const where = and(eq(itemReserves.storeId, storeId), eq(itemReserves.lsItemId, lsItemId), sql`coalesce(${itemReserves.lsOutletId}, '') = ${lsOutletId ?? ''}`);
      await db.delete(itemReserves).where(where);
      if (rule) await db.insert(itemReserves).values({ storeId, lsItemId, lsOutletId, kind: rule.kind, value: rule.value });
    },
  };

  const ledger = {
    async load(bcVariantIds: readonly number[]): Promise<Map<number, VariantLedger>> {
      const out = new Map<number, VariantLedger>();
      if (bcVariantIds.length === 0) return out;
      const rows = await db
        .select()
        .from(inventoryLedger)
        .where(and(eq(inventoryLedger.storeId, storeId), inArray(inventoryLedger.bcVariantId, [...bcVariantIds])));
      for (const r of rows) {
        const entry = out.get(r.bcVariantId) ?? { entries: new Map() };
        entry.entries.set(r.bcLocationId, { expected: r.expected, unexplained: r.unexplained, unexplainedSince: r.unexplainedSince?.getTime() ?? null });
        out.set(r.bcVariantId, entry);
      }
      return out;
    },
    /** Saves one variant's ledger; `targets` are the levels aimed at by this run's writes. */
    async save(bcVariantId: number, value: VariantLedger, targets: ReadonlyMap<number, number> = new Map()): Promise<void> {
      for (const [bcLocationId, e] of value.entries) {
        const published = targets.get(bcLocationId);
        const row = {
          expected: e.expected,
          unexplained: e.unexplained,
          unexplainedSince: e.unexplainedSince === null ? null : new Date(e.unexplainedSince),
          ...(published !== undefined ? { published, publishedAt: new Date() } : {}),
        };
        await db
          .insert(inventoryLedger)
          .values({ storeId, bcVariantId, bcLocationId, ...row })
          .onConflictDoUpdate({ target: [inventoryLedger.storeId, inventoryLedger.bcVariantId, inventoryLedger.bcLocationId], set: row });
      }
    },
    async rows(bcVariantIds: readonly number[]) {
      if (bcVariantIds.length === 0) return [];
      return db.select().from(inventoryLedger).where(and(eq(inventoryLedger.storeId, storeId), inArray(inventoryLedger.bcVariantId, [...bcVariantIds])));
    },
    /** Variants holding units as unexplained since before `before` (the order poll's mark: they are ready to release). */
    async unexplainedBefore(before: Date): Promise<number[]> {
      const rows = await db
        .selectDistinct({ id: inventoryLedger.bcVariantId })
        .from(inventoryLedger)
        .where(and(eq(inventoryLedger.storeId, storeId), sql`${inventoryLedger.unexplained} > 0`, sql`${inventoryLedger.unexplainedSince} < ${before.toISOString()}::timestamptz`));
      return rows.map((r) => r.id);
    },
    /** Locations the engine has managed (for a mapping removed: they are held at 0). */
    async locations(): Promise<number[]> {
      const rows = await db.selectDistinct({ id: inventoryLedger.bcLocationId }).from(inventoryLedger).where(eq(inventoryLedger.storeId, storeId));
      return rows.map((r) => r.id);
    },
  };

  const commitments = {
    /** Adds order lines; a line already recorded is left as it is (a redelivered webhook). */
    async add(lines: readonly NewCommitment[]): Promise<Commitment[]> {
      if (lines.length === 0) return [];
      return db
        .insert(inventoryCommitments)
        .values(lines.map((l) => ({ storeId, part: 0, ...l })))
        .onConflictDoNothing()
        .returning();
    },
    async openFor(lsProductIds: readonly string[]): Promise<Commitment[]> {
      if (lsProductIds.length === 0) return [];
      return db
        .select()
        .from(inventoryCommitments)
        .where(and(eq(inventoryCommitments.storeId, storeId), eq(inventoryCommitments.state, 'open'), inArray(inventoryCommitments.lsProductId, [...lsProductIds])));
    },
    async forOrder(bcOrderId: number): Promise<Commitment[]> {
      return db.select().from(inventoryCommitments).where(and(eq(inventoryCommitments.storeId, storeId), eq(inventoryCommitments.bcOrderId, bcOrderId)));
    },
    async open(): Promise<Commitment[]> {
      return db.select().from(inventoryCommitments).where(and(eq(inventoryCommitments.storeId, storeId), eq(inventoryCommitments.state, 'open')));
    },
    async route(ids: readonly number[], lsOutletId: string): Promise<void> {
      if (ids.length === 0) return;
      await db.update(inventoryCommitments).set({ lsOutletId }).where(and(eq(inventoryCommitments.storeId, storeId), inArray(inventoryCommitments.id, [...ids])));
    },
    async attachSale(ids: readonly number[], lsSaleId: string): Promise<void> {
      if (ids.length === 0) return;
      await db.update(inventoryCommitments).set({ lsSaleId }).where(and(eq(inventoryCommitments.storeId, storeId), inArray(inventoryCommitments.id, [...ids])));
    },
    /**
     * Lightspeed's on-hand now reflects them (released), or the order was cancelled; with
     * `returned`, BigCommerce gave the units back, which the engine's ledger must learn.
     */
    async close(ids: readonly number[], state: 'released' | 'cancelled', options: { returned?: boolean } = {}): Promise<Commitment[]> {
      if (ids.length === 0) return [];
      return db
        .update(inventoryCommitments)
        .set({
          state,
          releasedAt: new Date(),
          ...(options.returned
            ? { ledgerState: sql`case when ${inventoryCommitments.ledgerState} = 'take-pending' then 'none' else 'return-pending' end` }
            : {}),
        })
        .where(and(eq(inventoryCommitments.storeId, storeId), eq(inventoryCommitments.state, 'open'), inArray(inventoryCommitments.id, [...ids])))
        .returning();
    },
    /**
     * Routes an order line: its in-flight units go to the outlets of the routing decision (one row
     * per outlet part). The line's effect on BigCommerce's stock is unchanged by routing, so new
     * parts carry the first part's ledger state.
     */
    async routeLine(bcOrderId: number, bcOrderLineId: number, parts: readonly { lsOutletId: string; quantity: number }[]): Promise<void> {
      const rows = await db
        .select()
        .from(inventoryCommitments)
        .where(and(eq(inventoryCommitments.storeId, storeId), eq(inventoryCommitments.bcOrderId, bcOrderId), eq(inventoryCommitments.bcOrderLineId, bcOrderLineId), eq(inventoryCommitments.state, 'open')));
      const first = rows.find((r) => r.part === 0) ?? rows[0];
      if (!first || parts.length === 0 || rows.some((r) => r.lsOutletId !== null)) return; // routed already
      await db.update(inventoryCommitments).set({ lsOutletId: parts[0]!.lsOutletId, quantity: parts[0]!.quantity }).where(eq(inventoryCommitments.id, first.id));
      // Units no outlet took (nothing had them and no backorder outlet is set: the order is
      // flagged) stay in flight where BigCommerce took them, as a wholly unroutable order's do:
      // BigCommerce sold them and no Lightspeed sale will ever reflect them until the merchant acts.
      const routed = parts.reduce((n, p) => n + p.quantity, 0);
      const rest = first.quantity - routed;
      const extra = [...parts.slice(1), ...(rest > 0 ? [{ lsOutletId: null, quantity: rest }] : [])].map((p, i) => ({
        storeId,
        bcOrderId,
        bcOrderLineId,
        part: first.part + i + 1,
        lsProductId: first.lsProductId,
        bcVariantId: first.bcVariantId,
        quantity: p.quantity,
        lsOutletId: p.lsOutletId,
        bcLocationId: first.bcLocationId,
        ledgerState: first.ledgerState === 'take-pending' ? ('take-pending' as const) : ('none' as const),
      }));
      if (extra.length > 0) await db.insert(inventoryCommitments).values(extra).onConflictDoNothing();
    },
    /**
     * Lightspeed's on-hand now reflects `quantity` units of this order at the outlet (a read taken
     * after the sale moved the stock): they leave the in-flight ledger. Returns how many left.
     */
    async release(bcOrderId: number, lsProductId: string, lsOutletId: string, quantity: number): Promise<number> {
      const rows = await db
        .select()
        .from(inventoryCommitments)
        .where(
          and(
            eq(inventoryCommitments.storeId, storeId),
            eq(inventoryCommitments.bcOrderId, bcOrderId),
            eq(inventoryCommitments.lsProductId, lsProductId),
            eq(inventoryCommitments.lsOutletId, lsOutletId),
            eq(inventoryCommitments.state, 'open'),
          ),
        );
      let left = quantity;
      for (const r of rows) {
        if (left <= 0) break;
        const n = Math.min(left, r.quantity);
        left -= n;
        await db
          .update(inventoryCommitments)
          .set(n === r.quantity ? { quantity: 0, state: 'released', releasedAt: new Date() } : { quantity: r.quantity - n })
          .where(eq(inventoryCommitments.id, r.id));
      }
      return quantity - left;
    },
    /** Lines whose effect on BigCommerce's stock the engine's ledger has not taken in yet. */
    /**
     * The engine's read: open commitments and order effects not yet in the ledger, in ONE
     * statement, so both come from one snapshot. Read as two, an order recorded between them
     * could have its effect (BigCommerce took the units) learned without its units counted as
     * committed, and the write would publish them again.
     */
    async openAndPending(lsProductIds: readonly string[]): Promise<{ open: Commitment[]; pending: Commitment[] }> {
      if (lsProductIds.length === 0) return { open: [], pending: [] };
      const rows = await db
        .select()
        .from(inventoryCommitments)
        .where(
          and(
            eq(inventoryCommitments.storeId, storeId),
            inArray(inventoryCommitments.lsProductId, [...lsProductIds]),
            or(eq(inventoryCommitments.state, 'open'), inArray(inventoryCommitments.ledgerState, ['take-pending', 'return-pending'])),
          ),
        );
      return { open: rows.filter((r) => r.state === 'open'), pending: rows.filter((r) => r.ledgerState === 'take-pending' || r.ledgerState === 'return-pending') };
    },
    /**
     * The engine's ledger has learned these effects, as it read them. A take learned is taken, a
     * return returned. Two changes can land between the engine's read and this statement (its
     * writes in between can wait out BigCommerce's quota for seconds), and the take was learned
     * all the same: the order was cancelled with its units given back (close turned take-pending
     * into 'none', "neither happened"), so the return is now pending; or the line was routed and
     * split into parts after it was read whole, so the take covered the new parts too. Missed,
     * the first left the ledger expecting fewer units than BigCommerce held, which the next run
     * took for a hand edit and "set back", undoing an unknown order's decrement (bench seed 631).
     */
    async effectsApplied(applied: readonly Pick<Commitment, 'id' | 'bcOrderId' | 'bcOrderLineId' | 'part' | 'quantity' | 'ledgerState'>[]): Promise<void> {
      if (applied.length === 0) return;
      const learned = (state: AnyColumn) => sql`case ${state} when 'take-pending' then 'taken' when 'return-pending' then 'returned' when 'none' then 'return-pending' else ${state} end`;
      const now = await db
        .update(inventoryCommitments)
        .set({ ledgerState: learned(inventoryCommitments.ledgerState) })
        .where(and(eq(inventoryCommitments.storeId, storeId), inArray(inventoryCommitments.id, applied.map((a) => a.id))))
        .returning({ id: inventoryCommitments.id, quantity: inventoryCommitments.quantity });
      const quantity = new Map(now.map((r) => [r.id, r.quantity]));
      for (const take of applied.filter((a) => a.ledgerState === 'take-pending' && (quantity.get(a.id) ?? a.quantity) < a.quantity)) {
        await db
          .update(inventoryCommitments)
          .set({ ledgerState: learned(inventoryCommitments.ledgerState) })
          .where(
            and(
              eq(inventoryCommitments.storeId, storeId),
              eq(inventoryCommitments.bcOrderId, take.bcOrderId),
              eq(inventoryCommitments.bcOrderLineId, take.bcOrderLineId),
              gt(inventoryCommitments.part, take.part),
              inArray(inventoryCommitments.ledgerState, ['take-pending', 'none']),
            ),
          );
      }
    },
  };

  const dirty = {
    /**
     * Marks variants for the engine. A key already marked is named after the cause that best
     * explains the write (core/inventory/causes `mergeCause`, here in SQL), keeps the earliest time
     * of its cause, and the later of the two not-before times.
     */
    async mark(lsProductIds: readonly string[], cause: string, options: { notBefore?: Date; since?: Date } = {}): Promise<void> {
      // In one order: two marks of overlapping keys at once (a poll's page and a webhook's drain)
      // inserting in different orders each waited for a row the other held, and Postgres ended
      // one with 'deadlock detected' (seen in bench:inventory). Sorted, one waits for the other.
      const ids = [...new Set(lsProductIds)].sort();
      if (ids.length === 0) return;
      const since = options.since ?? new Date();
      const notBefore = options.notBefore ?? new Date();
      await db
        .insert(inventoryDirty)
        .values(ids.map((lsProductId) => ({ storeId, lsProductId, since, notBefore, cause })))
        .onConflictDoUpdate({
          target: [inventoryDirty.storeId, inventoryDirty.lsProductId],
          // The cause that best explains the write names it, with its own time (core/inventory/causes:
          // a sale after a settings change is the sale; BigCommerce echoing our write never wins);
          // the same cause again keeps its earliest time (for the latency figure).
          set: {
            cause: sql`case when ${rankSql(sql`excluded.cause`)} < ${rankSql(sql`${inventoryDirty.cause}`)} then excluded.cause else ${inventoryDirty.cause} end`,
            since: sql`case when ${rankSql(sql`excluded.cause`)} < ${rankSql(sql`${inventoryDirty.cause}`)} then excluded.since when excluded.cause = ${inventoryDirty.cause} then least(${inventoryDirty.since}, excluded.since) else ${inventoryDirty.since} end`,
            notBefore: sql`greatest(${inventoryDirty.notBefore}, excluded.not_before)`,
          },
        });
    },
    /** Takes up to `limit` keys that are due, removing them (a failed run marks them again). */
    async take(limit: number, now = new Date()): Promise<{ lsProductId: string; since: Date; cause: string }[]> {
      return db
        .delete(inventoryDirty)
        .where(
          and(
            eq(inventoryDirty.storeId, storeId),
            sql`${inventoryDirty.lsProductId} in (select ${inventoryDirty.lsProductId} from ${inventoryDirty} where ${inventoryDirty.storeId} = ${storeId} and ${inventoryDirty.notBefore} <= ${now.toISOString()}::timestamptz order by ${inventoryDirty.since} limit ${limit} for update skip locked)`,
          ),
        )
        .returning({ lsProductId: inventoryDirty.lsProductId, since: inventoryDirty.since, cause: inventoryDirty.cause });
    },
    /** The keys marked (due or not) for these variants, with their causes. */
    async waiting(lsProductIds: readonly string[]): Promise<{ lsProductId: string; cause: string; since: Date }[]> {
      if (lsProductIds.length === 0) return [];
      return db
        .select({ lsProductId: inventoryDirty.lsProductId, cause: inventoryDirty.cause, since: inventoryDirty.since })
        .from(inventoryDirty)
        .where(and(eq(inventoryDirty.storeId, storeId), inArray(inventoryDirty.lsProductId, [...lsProductIds])));
    },
    async count(): Promise<{ due: number; waiting: number }> {
      const [row] = await db
        .select({ due: sql<number>`count(*) filter (where ${inventoryDirty.notBefore} <= now())::int`, waiting: sql<number>`count(*) filter (where ${inventoryDirty.notBefore} > now())::int` })
        .from(inventoryDirty)
        .where(eq(inventoryDirty.storeId, storeId));
      return { due: row?.due ?? 0, waiting: row?.waiting ?? 0 };
    },
    /** When the next key falls due (null when none is waiting). */
    async nextDue(): Promise<Date | null> {
      const [row] = await db.select({ at: sql<Date | null>`min(${inventoryDirty.notBefore})` }).from(inventoryDirty).where(eq(inventoryDirty.storeId, storeId));
      return row?.at ? new Date(row.at) : null;
    },
  };

  const changes = {
    async record(list: readonly NewChange[]): Promise<void> {
      if (list.length === 0) return;
      await db.insert(inventoryChanges).values(list.map((c) => ({ storeId, ...c, details: c.details ?? null, causedAt: c.causedAt ?? null })));
    },
    async forProducts(lsProductIds: readonly string[], limit = 50): Promise<InventoryChange[]> {
      if (lsProductIds.length === 0) return [];
      return db
        .select()
        .from(inventoryChanges)
        .where(and(eq(inventoryChanges.storeId, storeId), inArray(inventoryChanges.lsProductId, [...lsProductIds])))
        .orderBy(desc(inventoryChanges.writtenAt), desc(inventoryChanges.id))
        .limit(limit);
    },
    async all(): Promise<InventoryChange[]> {
      return db.select().from(inventoryChanges).where(eq(inventoryChanges.storeId, storeId)).orderBy(asc(inventoryChanges.id));
    },
    /** The outcomes of the last `limit` writes per (variant, location) of these products, newest first, keyed `variant:location`. */
    async recentOutcomes(lsProductIds: readonly string[], limit: number): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      if (lsProductIds.length === 0) return out;
      const ranked = db
        .select({
          bcVariantId: inventoryChanges.bcVariantId,
          bcLocationId: inventoryChanges.bcLocationId,
          outcome: inventoryChanges.outcome,
          rank: sql<number>`row_number() over (partition by ${inventoryChanges.bcVariantId}, ${inventoryChanges.bcLocationId} order by ${inventoryChanges.writtenAt} desc, ${inventoryChanges.id} desc)`.as('rank'),
        })
        .from(inventoryChanges)
        .where(and(eq(inventoryChanges.storeId, storeId), inArray(inventoryChanges.lsProductId, [...lsProductIds])))
        .as('ranked');
      const rows = await db.select().from(ranked).where(lte(ranked.rank, limit)).orderBy(asc(ranked.rank));
      for (const r of rows) {
        const key = `${r.bcVariantId}:${r.bcLocationId}`;
        out.set(key, [...(out.get(key) ?? []), r.outcome]);
      }
      return out;
    },
    /** Changes written in a time window (a sweep's corrections), newest first. */
    async between(from: Date, to: Date, causes: readonly string[], limit = 50): Promise<InventoryChange[]> {
      if (causes.length === 0) return [];
      return db
        .select()
        .from(inventoryChanges)
        .where(and(eq(inventoryChanges.storeId, storeId), gte(inventoryChanges.writtenAt, from), lte(inventoryChanges.writtenAt, to), inArray(inventoryChanges.cause, [...causes])))
        .orderBy(desc(inventoryChanges.writtenAt), desc(inventoryChanges.id))
        .limit(limit);
    },
  };

  const sweeps = {
    async start(trigger: string): Promise<InventorySweep> {
      const [row] = await db.insert(inventorySweeps).values({ storeId, trigger }).returning();
      if (!row) throw new Error('sweep insert returned no row');
      return row;
    },
    async get(id: string): Promise<InventorySweep | undefined> {
      const [row] = await db.select().from(inventorySweeps).where(and(eq(inventorySweeps.storeId, storeId), eq(inventorySweeps.id, id)));
      return row;
    },
    async latest(): Promise<InventorySweep | undefined> {
      const [row] = await db.select().from(inventorySweeps).where(eq(inventorySweeps.storeId, storeId)).orderBy(desc(inventorySweeps.startedAt)).limit(1);
      return row;
    },
    async progress(id: string, patch: Partial<Pick<InventorySweep, 'state' | 'total' | 'done' | 'changed' | 'error' | 'finishedAt'>>): Promise<void> {
      await db.update(inventorySweeps).set(patch).where(and(eq(inventorySweeps.storeId, storeId), eq(inventorySweeps.id, id)));
    },
  };

  const settings = {
    async get(): Promise<InventorySettingsRow> {
      const [row] = await db.insert(inventorySettings).values({ storeId }).onConflictDoNothing().returning();
      if (row) return row;
      const [existing] = await db.select().from(inventorySettings).where(eq(inventorySettings.storeId, storeId));
      if (!existing) throw new Error('inventory settings missing');
      return existing;
    },
    async update(patch: Partial<Pick<InventorySettingsRow, 'sweepIntervalMinutes' | 'lastSweepAt' | 'ordersKnownUntil' | 'ordersCursor'>>): Promise<void> {
      await settings.get();
      await db.update(inventorySettings).set(patch).where(eq(inventorySettings.storeId, storeId));
    },
    /** Takes the store's engine lease unless another holder's is still running (one atomic upsert). */
    async acquireLease(holder: string, ms: number): Promise<boolean> {
      const until = new Date(Date.now() + ms);
      const rows = await db
        .insert(inventorySettings)
        .values({ storeId, engineLeaseHolder: holder, engineLeaseUntil: until })
        .onConflictDoUpdate({
          target: inventorySettings.storeId,
          set: { engineLeaseHolder: holder, engineLeaseUntil: until },
          setWhere: sql`${inventorySettings.engineLeaseUntil} is null or ${inventorySettings.engineLeaseUntil} < now() or ${inventorySettings.engineLeaseHolder} = ${holder}`,
        })
        .returning({ holder: inventorySettings.engineLeaseHolder });
      return rows[0]?.holder === holder;
    },
    async releaseLease(holder: string): Promise<void> {
      await db
        .update(inventorySettings)
        .set({ engineLeaseHolder: null, engineLeaseUntil: null })
        .where(and(eq(inventorySettings.storeId, storeId), eq(inventorySettings.engineLeaseHolder, holder)));
    },
  };

  /** Lightspeed's on-hand per (product, outlet), as last seen (webhook re-read or cursor poll). */
  async function onHand(lsProductIds: readonly string[]): Promise<{ productId: string; outletId: string; onHand: number; version: number; seenAt: Date }[]> {
    if (lsProductIds.length === 0) return [];
    const rows = await db
      .select({ state: lightspeedEntityVersions.state, version: lightspeedEntityVersions.version, seenAt: lightspeedEntityVersions.seenAt })
      .from(lightspeedEntityVersions)
      .where(
        and(
          eq(lightspeedEntityVersions.storeId, storeId),
          eq(lightspeedEntityVersions.kind, 'inventory'),
          inArray(sql`(${lightspeedEntityVersions.state}->>'productId')`, [...lsProductIds]),
        ),
      );
    return rows.flatMap((r) => {
      const s = r.state as { productId?: string; outletId?: string; onHand?: number; deletedAt?: string | null } | null;
      if (!s?.productId || !s.outletId || s.deletedAt) return [];
      return [{ productId: s.productId, outletId: s.outletId, onHand: Number(s.onHand ?? 0), version: r.version, seenAt: r.seenAt }];
    });
  }

  /**
   * The linked variants of these Lightspeed products (or of every enabled, linked item), with
   * how BigCommerce tracks their stock. Items that do not track stock in Lightspeed are left out
   * (their BigCommerce product tracks none either; the item view says so).
   */
  async function linkedVariants(lsProductIds?: readonly string[]): Promise<LinkedVariant[]> {
    const where = [eq(catalogItems.storeId, storeId), eq(catalogItems.onlineEnabled, true), sql`${catalogItems.bcProductId} is not null`, eq(catalogItems.tracksInventory, true)];
    if (lsProductIds) {
      if (lsProductIds.length === 0) return [];
      where.push(sql`${catalogItems.lsProductIds} && ${sql`array[${sql.join(lsProductIds.map((id) => sql`${id}`), sql`, `)}]::text[]`}`);
    }
    const items = await db.select().from(catalogItems).where(and(...where));
    const wanted = lsProductIds ? new Set(lsProductIds) : null;
    const out: LinkedVariant[] = [];
    for (const item of items) {
      const variants = item.hasVariants ? item.variants : [{ lsProductId: item.lsItemId, sku: item.sku, name: item.name }];
      for (const v of variants) {
        const bcVariantId = item.bcVariantIds[v.lsProductId];
        if (bcVariantId === undefined || item.bcProductId === null) continue;
        if (wanted && !wanted.has(v.lsProductId)) continue;
        out.push({
          lsProductId: v.lsProductId,
          lsItemId: item.lsItemId,
          bcProductId: item.bcProductId,
          bcVariantId,
          trackedBy: item.hasVariants ? 'variant' : 'product',
          name: item.hasVariants ? `${item.name} — ${v.name}` : item.name,
          sku: v.sku,
        });
      }
    }
    return out;
  }

  const problems = {
    async record(list: readonly Omit<InventoryProblem, 'storeId' | 'since'>[]): Promise<void> {
      for (const p of list) {
        await db
          .insert(inventoryProblems)
          .values({ storeId, ...p })
          .onConflictDoUpdate({ target: [inventoryProblems.storeId, inventoryProblems.lsProductId, inventoryProblems.kind], set: { message: p.message, fix: p.fix, bcLocationId: p.bcLocationId } });
      }
    },
    /** Clears what a variant's accepted write proved gone. */
    async clear(lsProductIds: readonly string[]): Promise<void> {
      if (lsProductIds.length === 0) return;
      await db.delete(inventoryProblems).where(and(eq(inventoryProblems.storeId, storeId), inArray(inventoryProblems.lsProductId, [...lsProductIds])));
    },
    /** Clears one problem of a variant (its one-click fix was made). */
    async clearOne(lsProductId: string, kind: string): Promise<void> {
      await db.delete(inventoryProblems).where(and(eq(inventoryProblems.storeId, storeId), eq(inventoryProblems.lsProductId, lsProductId), eq(inventoryProblems.kind, kind)));
    },
    async list(): Promise<InventoryProblem[]> {
      return db.select().from(inventoryProblems).where(eq(inventoryProblems.storeId, storeId)).orderBy(asc(inventoryProblems.since));
    },
    async forProducts(lsProductIds: readonly string[]): Promise<InventoryProblem[]> {
      if (lsProductIds.length === 0) return [];
      return db.select().from(inventoryProblems).where(and(eq(inventoryProblems.storeId, storeId), inArray(inventoryProblems.lsProductId, [...lsProductIds])));
    },
  };

  return { outlets, reserves, ledger, commitments, dirty, changes, sweeps, settings, problems, onHand, linkedVariants };
}

export type InventoryRepository = ReturnType<typeof inventoryFor>;

