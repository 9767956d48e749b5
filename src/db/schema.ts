/**
 * Base tables. Every table but `stores` carries `store_id`, and the repositories in this folder
 * never run a query on them without it.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, primaryKey, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

export const storeStatuses = ['active', 'uninstalled', 'suspended'] as const;
export type StoreStatus = (typeof storeStatuses)[number];

export const stockModes = ['default-location', 'aggregated'] as const;
export type StockMode = (typeof stockModes)[number];

export const stores = pgTable('stores', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** BigCommerce store hash, the `{hash}` of `stores/{hash}`. */
  storeHash: text('store_hash').notNull().unique(),
  plan: text('plan'),
  status: text('status', { enum: storeStatuses }).notNull().default('active'),
  /**
   * How the storefronts sell stock (DESIGN §4): only the default location's, or the sum of the
   * enabled locations (a switch BigCommerce support makes). Null until the merchant says.
   */
  stockMode: text('stock_mode', { enum: stockModes }),
  /** The app's own BigCommerce channel (type pos, platform custom), once created. */
  bcChannelId: integer('bc_channel_id'),
  /** What the owner lets the store's other users do, beyond looking (core/access grantable actions). */
  staffPermissions: text('staff_permissions').array().notNull().default(sql`'{}'::text[]`),
  installedAt: timestamp('installed_at', { withTimezone: true }).notNull().defaultNow(),
  uninstalledAt: timestamp('uninstalled_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const storeUsers = pgTable(
  'store_users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    /** BigCommerce user id from the callback payload. */
    bcUserId: integer('bc_user_id').notNull(),
    email: text('email').notNull(),
    role: text('role', { enum: ['owner', 'user'] }).notNull().default('user'),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('store_users_store_user_uq').on(t.storeId, t.bcUserId)],
);

/**
 * One-time launch codes. The load callback redirects into the app with a code, not a session:
 * the page exchanges it (once, within a minute) for a session token it keeps out of the URL.
 * Only the code's SHA-256 is stored, so a database reader cannot use a pending code either.
 */
export const launchCodes = pgTable(
  'launch_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    bcUserId: integer('bc_user_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('launch_codes_store_idx').on(t.storeId, t.expiresAt)],
);

export const platforms = ['bigcommerce', 'lightspeed'] as const;
export type Platform = (typeof platforms)[number];
export const connectionStatuses = ['active', 'reconnect_required', 'disconnected'] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

export const platformConnections = pgTable(
  'platform_connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    platform: text('platform', { enum: platforms }).notNull(),
    /** The account on the platform: BigCommerce store hash or Lightspeed domain prefix. */
    externalAccount: text('external_account').notNull(),
    /** AES-256-GCM ciphertext (see `crypto.ts`), never the token itself. */
    accessTokenEnc: text('access_token_enc').notNull(),
    refreshTokenEnc: text('refresh_token_enc'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    scopes: text('scopes'),
    status: text('status', { enum: connectionStatuses }).notNull().default('active'),
    statusReason: text('status_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('platform_connections_store_platform_uq').on(t.storeId, t.platform)],
);

/**
 * A delivery's life: `received` (recorded; the row is itself the work item its lane's drain
 * picks up) → `processed`, `dropped` (recorded only to be ignored) or `failed`; never backwards.
 * `enqueued` is kept for rows recorded before intake drains (each had a job of its own).
 */
export const inboxStatuses = ['received', 'enqueued', 'processed', 'dropped', 'failed'] as const;
export type InboxStatus = (typeof inboxStatuses)[number];

export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    platform: text('platform', { enum: platforms }).notNull(),
    /** The platform's unique delivery id (BigCommerce `webhook-id`, Lightspeed payload hash...). */
    deliveryKey: text('delivery_key').notNull(),
    topic: text('topic').notNull(),
    /** The drain that works the row: `lightspeed:inventory`, `bigcommerce`... (null before intake lanes). */
    lane: text('lane'),
    payload: jsonb('payload').$type<unknown>().notNull(),
    status: text('status', { enum: inboxStatuses }).notNull().default('received'),
    statusReason: text('status_reason'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('webhook_inbox_delivery_uq').on(t.platform, t.deliveryKey),
    index('webhook_inbox_store_received_idx').on(t.storeId, t.receivedAt),
    // The work waiting in each lane: small (rows leave it once worked), read by every drain.
    index('webhook_inbox_pending_idx').on(t.storeId, t.lane, t.id).where(sql`status = 'received'`),
  ],
);

/** One row per store and intake lane: the lease that lets one drain at a time work the lane. */
export const intakeLanes = pgTable(
  'intake_lanes',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    lane: text('lane').notNull(),
    leaseHolder: text('lease_holder'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** When deliveries of the lane were last ended, and how many in total (counted as they end). */
    drainedAt: timestamp('drained_at', { withTimezone: true }),
    drained: bigint('drained', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.lane] })],
);

export const activityOutcomes = ['ok', 'error', 'warning', 'info'] as const;
export type ActivityOutcome = (typeof activityOutcomes)[number];

export const activityEvents = pgTable(
  'activity_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    /** What happened, as a dotted kind: `product.created`, `inventory.pushed`, `webhook.rejected`... */
    kind: text('kind').notNull(),
    outcome: text('outcome', { enum: activityOutcomes }).notNull().default('info'),
    /** A sentence for the merchant: what happened. */
    summary: text('summary').notNull(),
    /** Why it happened (the trigger or the rule), or why it failed. */
    reason: text('reason'),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    durationMs: integer('duration_ms'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('activity_events_store_time_idx').on(t.storeId, t.createdAt), index('activity_events_entity_idx').on(t.storeId, t.entityType, t.entityId)],
);

/** Every platform API call, for the activity log and the API-usage figures. */
export const apiCalls = pgTable(
  'api_calls',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    platform: text('platform', { enum: platforms }).notNull(),
    method: text('method').notNull(),
    /** Path template without ids, e.g. /v3/catalog/products/{product_id}. */
    endpoint: text('endpoint').notNull(),
    /** HTTP status, 0 when no response arrived. */
    status: integer('status').notNull(),
    durationMs: integer('duration_ms').notNull(),
    attempt: integer('attempt').notNull().default(1),
    error: text('error'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('api_calls_store_time_idx').on(t.storeId, t.at)],
);

/** Lightspeed resources followed by version cursor. */
export const lightspeedResources = ['products', 'inventory', 'sales'] as const;
export type LightspeedResource = (typeof lightspeedResources)[number];

/** Per store and resource, the highest Lightspeed `version` fully processed (the poller's cursor). */
export const lightspeedCursors = pgTable(
  'lightspeed_cursors',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    resource: text('resource', { enum: lightspeedResources }).notNull(),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
    lastError: text('last_error'),
    /** When the merchant last asked to check now: the check is still running while this is newer than lastPolledAt. */
    requestedAt: timestamp('requested_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.resource] })],
);

/**
 * The newest version seen of each Lightspeed entity, so a late, duplicated or reordered webhook
 * carrying an older state is dropped instead of overwriting a newer one.
 */
export const lightspeedEntityVersions = pgTable(
  'lightspeed_entity_versions',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    entityId: text('entity_id').notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    /** The newest state seen (the parsed, app-shaped entity). */
    state: jsonb('state').$type<Record<string, unknown>>(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.kind, t.entityId] }),
    /** The catalog item a product belongs to (its family, variant parent or itself), for indexing. */
    index('lightspeed_entity_versions_item_idx').on(t.storeId, t.kind, sql`coalesce(${t.state}->>'familyId', ${t.state}->>'variantParentId', ${t.entityId})`),
    /** Inventory records of a product (one per outlet), for the inventory engine. */
    index('lightspeed_entity_versions_product_idx').on(t.storeId, t.kind, sql`(${t.state}->>'productId')`),
  ],
);

/** One variant of a catalog item, as indexed from Lightspeed. */
export interface CatalogVariant {
  lsProductId: string;
  sku: string;
  name: string;
  barcodes: string[];
  options: { name: string; value: string }[];
  price: number | null;
  cost: number | null;
  active: boolean;
}

export const catalogSyncStates = ['not_synced', 'pending', 'synced', 'error', 'conflict', 'hidden'] as const;
export type CatalogSyncState = (typeof catalogSyncStates)[number];

/**
 * One Lightspeed *item* per store: a variant family (parent and variants) or a standalone
 * product, with the merchant's online choice and its link to BigCommerce.
 */
export const catalogItems = pgTable(
  'catalog_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    /** The family id (the variant parent's id) or the standalone product's id. */
    lsItemId: text('ls_item_id').notNull(),
    name: text('name').notNull(),
    sku: text('sku').notNull(),
    barcodes: text('barcodes').array().notNull().default(sql`'{}'::text[]`),
    productType: text('product_type'),
    brand: text('brand'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    tracksInventory: boolean('tracks_inventory').notNull().default(true),
    hasVariants: boolean('has_variants').notNull().default(false),
    /** Price and cost of the item itself (a standalone product, or the family parent). */
    price: jsonb('price').$type<{ price: number | null; cost: number | null }>(),
    variants: jsonb('variants').$type<CatalogVariant[]>().notNull().default([]),
    /** Every Lightspeed product id of the item (parent and variants), for look-ups by product. */
    lsProductIds: text('ls_product_ids').array().notNull().default(sql`'{}'::text[]`),
    /** Highest Lightspeed version indexed into this row. */
    lsVersion: bigint('ls_version', { mode: 'number' }).notNull().default(0),
    /** The merchant's choice: sell this item online. */
    onlineEnabled: boolean('online_enabled').notNull().default(false),
    bcProductId: integer('bc_product_id'),
    /** Lightspeed product id → BigCommerce variant id. */
    bcVariantIds: jsonb('bc_variant_ids').$type<Record<string, number>>().notNull().default({}),
    syncState: text('sync_state', { enum: catalogSyncStates }).notNull().default('not_synced'),
    syncReason: text('sync_reason'),
    /** BigCommerce visibility before the app hid the product, restored on re-enable. */
    previousVisibility: boolean('previous_visibility'),
    /** Lightspeed version last written to BigCommerce (dirty when lsVersion is higher). */
    syncedVersion: bigint('synced_version', { mode: 'number' }).notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('catalog_items_store_item_uq').on(t.storeId, t.lsItemId),
    index('catalog_items_store_name_idx').on(t.storeId, sql`lower(${t.name})`),
    index('catalog_items_store_sku_idx').on(t.storeId, sql`lower(${t.sku})`),
    index('catalog_items_barcodes_idx').using('gin', t.barcodes),
    index('catalog_items_product_ids_idx').using('gin', t.lsProductIds),
    index('catalog_items_store_state_idx').on(t.storeId, t.syncState),
  ],
);

export const catalogConflicts = pgTable(
  'catalog_conflicts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    lsItemId: text('ls_item_id').notNull(),
    reason: text('reason').notNull(),
    candidates: jsonb('candidates').$type<{ bigcommerceProductId: number; name: string; sku: string }[]>().notNull().default([]),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** How the merchant resolved it: `link` (to a chosen product), `create` (a new product), or `superseded`. */
    resolution: text('resolution'),
  },
  (t) => [index('catalog_conflicts_store_item_idx').on(t.storeId, t.lsItemId)],
);

export const catalogRunStates = ['queued', 'running', 'done', 'failed'] as const;
export type CatalogRunState = (typeof catalogRunStates)[number];

export interface CatalogRunResult {
  id: string;
  name: string;
  outcome: 'synced' | 'pending' | 'error';
  reason: string | null;
}

/** A batch of catalog work the merchant asked for (enable / disable / sync), with its progress. */
export const catalogRuns = pgTable(
  'catalog_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    state: text('state', { enum: catalogRunStates }).notNull().default('queued'),
    /** The ls item ids the run covers. */
    itemIds: text('item_ids').array().notNull().default(sql`'{}'::text[]`),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    results: jsonb('results').$type<CatalogRunResult[]>().notNull().default([]),
    error: text('error'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('catalog_runs_store_time_idx').on(t.storeId, t.createdAt)],
);

/** Per-store BigCommerce objects the catalog sync created once (the hidden category). */
export const catalogSettings = pgTable('catalog_settings', {
  storeId: uuid('store_id')
    .primaryKey()
    .references(() => stores.id, { onDelete: 'cascade' }),
  hiddenCategoryId: integer('hidden_category_id'),
  /** A lease so that one catalog apply at a time writes to a store's BigCommerce catalog. */
  applyLeaseHolder: text('apply_lease_holder'),
  applyLeaseUntil: timestamp('apply_lease_until', { withTimezone: true }),
  updatedAt: updatedAt(),
});

