/**
 * Inventory tables (DESIGN §4): how each Lightspeed outlet maps to a BigCommerce location, the
 * write ledger per (variant, location), the in-flight ledger of online orders, the dirty keys the
 * engine works off, and the history of every change it made and why.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { stores } from './schema';

const storeRef = () =>
  uuid('store_id')
    .notNull()
    .references(() => stores.id, { onDelete: 'cascade' });
const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

export const reserveKinds = ['units', 'percent'] as const;
export type ReserveKind = (typeof reserveKinds)[number];

export interface OutletAddress {
  street1: string | null;
  street2: string | null;
  city: string | null;
  state: string | null;
  postcode: string | null;
  countryCode: string | null;
}

/** Every Lightspeed outlet the store has, with the merchant's choices for it. */
export const outletMappings = pgTable(
  'outlet_mappings',
  {
    storeId: storeRef(),
    lsOutletId: text('ls_outlet_id').notNull(),
    name: text('name').notNull(),
    address: jsonb('address').$type<OutletAddress>(),
    /** The BigCommerce location its stock is published to; null = not mapped (not sold online). */
    bcLocationId: integer('bc_location_id'),
    /** True when the app created that location (managed_by_external_source). */
    locationCreatedByApp: boolean('location_created_by_app').notNull().default(false),
    publishes: boolean('publishes').notNull().default(true),
    fulfils: boolean('fulfils').notNull().default(true),
    rank: integer('rank').notNull().default(100),
    dailyCapacity: integer('daily_capacity'),
    reserveKind: text('reserve_kind', { enum: reserveKinds }),
    reserveValue: integer('reserve_value').notNull().default(0),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    /** Gone from Lightspeed (deleted or deactivated); kept so history still names it. */
    retired: boolean('retired').notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.lsOutletId] })],
);

/** A walk-in reserve for one item, at one outlet or (outlet null) at every outlet. */
export const itemReserves = pgTable(
  'item_reserves',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    storeId: storeRef(),
    lsItemId: text('ls_item_id').notNull(),
    lsOutletId: text('ls_outlet_id'),
    kind: text('kind', { enum: reserveKinds }).notNull(),
    value: integer('value').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('item_reserves_item_outlet_uq').on(t.storeId, t.lsItemId, sql`coalesce(${t.lsOutletId}, '')`)],
);

/** The engine's write ledger per (BigCommerce variant, location); see core/inventory/ledger.ts. */
export const inventoryLedger = pgTable(
  'inventory_ledger',
  {
    storeId: storeRef(),
    bcVariantId: integer('bc_variant_id').notNull(),
    bcLocationId: integer('bc_location_id').notNull(),
    expected: integer('expected'),
    unexplained: integer('unexplained').notNull().default(0),
    unexplainedSince: timestamp('unexplained_since', { withTimezone: true }),
    /** The level last aimed at, and when. */
    published: integer('published'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.bcVariantId, t.bcLocationId] })],
);

export const commitmentStates = ['open', 'released', 'cancelled'] as const;
export const ledgerStates = ['take-pending', 'taken', 'return-pending', 'returned', 'none'] as const;
export type LedgerState = (typeof ledgerStates)[number];
export type CommitmentState = (typeof commitmentStates)[number];

/**
 * In flight: units of a BigCommerce order line that Lightspeed's on-hand does not reflect yet.
 * Open from the moment the app learns of the order until a Lightspeed read taken after the sale
 * moved the stock (released), or until the order is cancelled with its stock returned.
 */
export const inventoryCommitments = pgTable(
  'inventory_commitments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    storeId: storeRef(),
    bcOrderId: integer('bc_order_id').notNull(),
    /** The order product id (one line can be split across outlets: then one row per outlet part). */
    bcOrderLineId: integer('bc_order_line_id').notNull(),
    part: integer('part').notNull().default(0),
    lsProductId: text('ls_product_id').notNull(),
    bcVariantId: integer('bc_variant_id').notNull(),
    quantity: integer('quantity').notNull(),
    lsOutletId: text('ls_outlet_id'),
    /** Where BigCommerce took the units from, when known. */
    bcLocationId: integer('bc_location_id'),
    state: text('state', { enum: commitmentStates }).notNull().default('open'),
    /**
     * Whether the engine's write ledger has taken this line's effect on BigCommerce's stock into
     * account (the units BigCommerce took, and gave back on a cancellation). Only the engine,
     * under its lease, moves it on, so an order and a run never overwrite each other's ledger.
     */
    ledgerState: text('ledger_state', { enum: ledgerStates }).notNull().default('take-pending'),
    lsSaleId: text('ls_sale_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('inventory_commitments_line_uq').on(t.storeId, t.bcOrderId, t.bcOrderLineId, t.part),
    index('inventory_commitments_open_idx').on(t.storeId, t.lsProductId).where(sql`${t.state} = 'open'`),
  ],
);

/** Variants whose BigCommerce stock must be recomputed (level-triggered: the key, not the event). */
export const inventoryDirty = pgTable(
  'inventory_dirty',
  {
    storeId: storeRef(),
    lsProductId: text('ls_product_id').notNull(),
    /** Earliest unhandled cause, for latency (Lightspeed change → BigCommerce write). */
    since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
    /** Not before this (a write of ours still settling). */
    notBefore: timestamp('not_before', { withTimezone: true }).notNull().defaultNow(),
    cause: text('cause').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.lsProductId] }), index('inventory_dirty_due_idx').on(t.storeId, t.notBefore)],
);

/** Every level the engine wrote and why, for the item view and the activity log. */
export const inventoryChanges = pgTable(
  'inventory_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    storeId: storeRef(),
    lsProductId: text('ls_product_id').notNull(),
    bcVariantId: integer('bc_variant_id').notNull(),
    bcLocationId: integer('bc_location_id').notNull(),
    fromLevel: integer('from_level'),
    toLevel: integer('to_level').notNull(),
    /** What set it off: `lightspeed` (a sale, delivery, count), `order`, `sweep`, `mapping`, `drift`... */
    cause: text('cause').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>(),
    /** When the cause happened (the earliest dirty mark), for the latency figure. */
    causedAt: timestamp('caused_at', { withTimezone: true }),
    writtenAt: timestamp('written_at', { withTimezone: true }).notNull().defaultNow(),
    outcome: text('outcome').notNull().default('applied'),
  },
  (t) => [index('inventory_changes_variant_idx').on(t.storeId, t.lsProductId, t.writtenAt)],
);

export const inventoryRunStates = ['queued', 'running', 'done', 'failed'] as const;

/** Reconciliation sweeps, with their progress (the Locations page follows it across reloads). */
export const inventorySweeps = pgTable(
  'inventory_sweeps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: storeRef(),
    trigger: text('trigger').notNull(),
    state: text('state', { enum: inventoryRunStates }).notNull().default('queued'),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    changed: integer('changed').notNull().default(0),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('inventory_sweeps_store_idx').on(t.storeId, t.startedAt)],
);

/** Per-store inventory settings. */
export const inventorySettings = pgTable('inventory_settings', {
  storeId: uuid('store_id')
    .primaryKey()
    .references(() => stores.id, { onDelete: 'cascade' }),
  sweepIntervalMinutes: integer('sweep_interval_minutes').notNull().default(60),
  lastSweepAt: timestamp('last_sweep_at', { withTimezone: true }),
  /** Every BigCommerce order placed before this is known to the app (the order poll's mark). */
  ordersKnownUntil: timestamp('orders_known_until', { withTimezone: true }),
  ordersCursor: bigint('orders_cursor', { mode: 'number' }),
  /** One engine run at a time per store: a read must never overtake another run's write. */
  engineLeaseHolder: text('engine_lease_holder'),
  engineLeaseUntil: timestamp('engine_lease_until', { withTimezone: true }),
  updatedAt: updatedAt(),
});

/**
 * What keeps a variant's stock out of sync, in the merchant's words, with the fix: BigCommerce
 * refused its stock (tracking switched to "none" or to the product, a location disabled...).
 * Cleared by the variant's next accepted write. Never silent: listed on the Locations page and
 * the item view, and the item is not badged "synced" while one is open.
 */
export const inventoryProblems = pgTable(
  'inventory_problems',
  {
    storeId: storeRef(),
    lsProductId: text('ls_product_id').notNull(),
    bcVariantId: integer('bc_variant_id').notNull(),
    bcProductId: integer('bc_product_id').notNull(),
    bcLocationId: integer('bc_location_id'),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    fix: text('fix').notNull(),
    since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.lsProductId, t.kind] })],
);
