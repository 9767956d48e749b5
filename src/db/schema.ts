/**
 * Base tables. Every table but `stores` carries `store_id`, and the repositories in this folder
 * never run a query on them without it.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, primaryKey, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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
    payload: jsonb('payload').$type<unknown>().notNull(),
    status: text('status', { enum: inboxStatuses }).notNull().default('received'),
    statusReason: text('status_reason'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('webhook_inbox_delivery_uq').on(t.platform, t.deliveryKey), index('webhook_inbox_store_received_idx').on(t.storeId, t.receivedAt)],
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
  (t) => [primaryKey({ columns: [t.storeId, t.kind, t.entityId] })],
);

/** A sanity expression used by the health check. */
export const selectOne = sql`select 1 as ok`;
