/**
 * Store-scoped repositories. `forStore(db, secrets, storeId)` returns functions that cannot
 * reach another store's rows: every statement carries `store_id = <this store>`, including
 * updates and deletes addressed by a row id.
 */
import { and, desc, eq, gte, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import type { SecretBox } from '../crypto';
import {
  activityEvents,
  apiCalls,
  lightspeedCursors,
  lightspeedEntityVersions,
  type LightspeedResource,
  type ActivityOutcome,
  type ConnectionStatus,
  type InboxStatus,
  type Platform,
  type StockMode,
  stores,
  platformConnections,
  storeUsers,
  webhookInbox,
} from '../schema';

export type StoreUser = typeof storeUsers.$inferSelect;
export type ActivityEvent = typeof activityEvents.$inferSelect;
export type InboxEntry = typeof webhookInbox.$inferSelect;

export interface ConnectionTokens {
  externalAccount: string;
  accessToken: string;
  refreshToken?: string | null;
  accessTokenExpiresAt?: Date | null;
  scopes?: string | null;
}

export interface Connection extends ConnectionTokens {
  id: string;
  platform: Platform;
  status: ConnectionStatus;
  statusReason: string | null;
  updatedAt: Date;
}

export interface NewActivity {
  kind: string;
  summary: string;
  outcome?: ActivityOutcome;
  reason?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  startedAt?: Date;
  durationMs?: number | null;
  details?: Record<string, unknown> | null;
}

export function forStore(db: Db, secrets: SecretBox, storeId: string) {
  const users = {
    /** Adds the user or brings a removed one back. */
    async upsert(input: { bcUserId: number; email: string; role?: 'owner' | 'user' }): Promise<StoreUser> {
      const [row] = await db
        .insert(storeUsers)
        .values({ storeId, bcUserId: input.bcUserId, email: input.email, role: input.role ?? 'user' })
        .onConflictDoUpdate({
          target: [storeUsers.storeId, storeUsers.bcUserId],
          set: { email: input.email, removedAt: null, ...(input.role ? { role: input.role } : {}) },
        })
        .returning();
      if (!row) throw new Error('user upsert returned no row');
      return row;
    },

    /**
     * The load payload names the store owner: that user is the owner, and anyone else marked
     * owner (ownership moved) is not any more.
     */
    async syncOwner(ownerBcUserId: number): Promise<void> {
      await db
        .update(storeUsers)
        .set({ role: 'user' })
        .where(and(eq(storeUsers.storeId, storeId), eq(storeUsers.role, 'owner'), ne(storeUsers.bcUserId, ownerBcUserId)));
      await db
        .update(storeUsers)
        .set({ role: 'owner' })
        .where(and(eq(storeUsers.storeId, storeId), eq(storeUsers.bcUserId, ownerBcUserId)));
    },

    async findActive(bcUserId: number): Promise<StoreUser | undefined> {
      const [row] = await db
        .select()
        .from(storeUsers)
        .where(and(eq(storeUsers.storeId, storeId), eq(storeUsers.bcUserId, bcUserId)))
        .limit(1);
      return row && !row.removedAt ? row : undefined;
    },

    async list(): Promise<StoreUser[]> {
      return db.select().from(storeUsers).where(eq(storeUsers.storeId, storeId)).orderBy(storeUsers.createdAt);
    },

    /** Returns false when this store has no such user. */
    async remove(bcUserId: number): Promise<boolean> {
      const rows = await db
        .update(storeUsers)
        .set({ removedAt: new Date() })
        .where(and(eq(storeUsers.storeId, storeId), eq(storeUsers.bcUserId, bcUserId)))
        .returning({ id: storeUsers.id });
      return rows.length > 0;
    },
  };

  const decrypt = (row: typeof platformConnections.$inferSelect): Connection => ({
    id: row.id,
    platform: row.platform,
    externalAccount: row.externalAccount,
    accessToken: secrets.open(row.accessTokenEnc),
    refreshToken: row.refreshTokenEnc ? secrets.open(row.refreshTokenEnc) : null,
    accessTokenExpiresAt: row.accessTokenExpiresAt,
    scopes: row.scopes,
    status: row.status,
    statusReason: row.statusReason,
    updatedAt: row.updatedAt,
  });

  const connections = {
    async save(platform: Platform, tokens: ConnectionTokens): Promise<Connection> {
      const values = {
        externalAccount: tokens.externalAccount,
        accessTokenEnc: secrets.seal(tokens.accessToken),
        refreshTokenEnc: tokens.refreshToken ? secrets.seal(tokens.refreshToken) : null,
        accessTokenExpiresAt: tokens.accessTokenExpiresAt ?? null,
        scopes: tokens.scopes ?? null,
        status: 'active' as const,
        statusReason: null,
      };
      const [row] = await db
        .insert(platformConnections)
        .values({ storeId, platform, ...values })
        .onConflictDoUpdate({ target: [platformConnections.storeId, platformConnections.platform], set: values })
        .returning();
      if (!row) throw new Error('connection upsert returned no row');
      return decrypt(row);
    },

    async get(platform: Platform): Promise<Connection | undefined> {
      const [row] = await db
        .select()
        .from(platformConnections)
        .where(and(eq(platformConnections.storeId, storeId), eq(platformConnections.platform, platform)))
        .limit(1);
      return row ? decrypt(row) : undefined;
    },

    async setStatus(platform: Platform, status: ConnectionStatus, reason: string | null = null): Promise<boolean> {
      const rows = await db
        .update(platformConnections)
        .set({ status, statusReason: reason })
        .where(and(eq(platformConnections.storeId, storeId), eq(platformConnections.platform, platform)))
        .returning({ id: platformConnections.id });
      return rows.length > 0;
    },

    async remove(platform: Platform): Promise<boolean> {
      const rows = await db
        .delete(platformConnections)
        .where(and(eq(platformConnections.storeId, storeId), eq(platformConnections.platform, platform)))
        .returning({ id: platformConnections.id });
      return rows.length > 0;
    },
  };

  const inbox = {
    /**
     * Records a delivery once. Returns the new entry, or `undefined` when the delivery key was
     * already recorded (a duplicate delivery, to be acknowledged and dropped).
     */
    async record(input: { platform: Platform; deliveryKey: string; topic: string; payload: unknown }): Promise<InboxEntry | undefined> {
      const [row] = await db
        .insert(webhookInbox)
        .values({ storeId, platform: input.platform, deliveryKey: input.deliveryKey, topic: input.topic, payload: input.payload })
        .onConflictDoNothing({ target: [webhookInbox.platform, webhookInbox.deliveryKey] })
        .returning();
      return row;
    },

    async setStatus(id: number, status: InboxStatus, reason: string | null = null): Promise<boolean> {
      const rows = await db
        .update(webhookInbox)
        .set({ status, statusReason: reason, processedAt: status === 'processed' || status === 'dropped' ? new Date() : null })
        .where(and(eq(webhookInbox.storeId, storeId), eq(webhookInbox.id, id)))
        .returning({ id: webhookInbox.id });
      return rows.length > 0;
    },

    async get(id: number): Promise<InboxEntry | undefined> {
      const [row] = await db
        .select()
        .from(webhookInbox)
        .where(and(eq(webhookInbox.storeId, storeId), eq(webhookInbox.id, id)))
        .limit(1);
      return row;
    },

    async list(options: { limit?: number; status?: InboxStatus } = {}): Promise<InboxEntry[]> {
      const where: SQL[] = [eq(webhookInbox.storeId, storeId)];
      if (options.status) where.push(eq(webhookInbox.status, options.status));
      return db
        .select()
        .from(webhookInbox)
        .where(and(...where))
        .orderBy(desc(webhookInbox.id))
        .limit(options.limit ?? 50);
    },
  };

  const activity = {
    async record(event: NewActivity): Promise<ActivityEvent> {
      const [row] = await db
        .insert(activityEvents)
        .values({
          storeId,
          kind: event.kind,
          summary: event.summary,
          outcome: event.outcome ?? 'info',
          reason: event.reason ?? null,
          entityType: event.entityType ?? null,
          entityId: event.entityId ?? null,
          startedAt: event.startedAt ?? new Date(),
          durationMs: event.durationMs ?? null,
          details: event.details ?? null,
        })
        .returning();
      if (!row) throw new Error('activity insert returned no row');
      return row;
    },

    /** Newest first; `before` is the id of the last row of the previous page. */
    async list(options: { limit?: number; before?: number; entityType?: string; entityId?: string; outcome?: ActivityOutcome } = {}): Promise<ActivityEvent[]> {
      const where: SQL[] = [eq(activityEvents.storeId, storeId)];
      if (options.before !== undefined) where.push(lt(activityEvents.id, options.before));
      if (options.entityType) where.push(eq(activityEvents.entityType, options.entityType));
      if (options.entityId) where.push(eq(activityEvents.entityId, options.entityId));
      if (options.outcome) where.push(eq(activityEvents.outcome, options.outcome));
      return db
        .select()
        .from(activityEvents)
        .where(and(...where))
        .orderBy(desc(activityEvents.id))
        .limit(Math.min(options.limit ?? 50, 500));
    },

    async get(id: number): Promise<ActivityEvent | undefined> {
      const [row] = await db
        .select()
        .from(activityEvents)
        .where(and(eq(activityEvents.storeId, storeId), eq(activityEvents.id, id)))
        .limit(1);
      return row;
    },
  };

  const apiUsage = {
    async record(call: { platform: Platform; method: string; endpoint: string; status: number; durationMs: number; attempt: number; error?: string | null }): Promise<void> {
      await db.insert(apiCalls).values({ storeId, ...call, durationMs: Math.round(call.durationMs), error: call.error ?? null });
    },

    /** Calls per platform and endpoint since a time, with failures and mean duration. */
    async summary(since: Date) {
      return db
        .select({
          platform: apiCalls.platform,
          method: apiCalls.method,
          endpoint: apiCalls.endpoint,
          calls: sql<number>`count(*)::int`,
          failures: sql<number>`count(*) filter (where ${apiCalls.status} = 0 or ${apiCalls.status} >= 400)::int`,
          meanMs: sql<number>`avg(${apiCalls.durationMs})::int`,
        })
        .from(apiCalls)
        .where(and(eq(apiCalls.storeId, storeId), gte(apiCalls.at, since)))
        .groupBy(apiCalls.platform, apiCalls.method, apiCalls.endpoint)
        .orderBy(desc(sql`count(*)`));
    },
  };

  const lightspeed = {
    async cursor(resource: LightspeedResource): Promise<number> {
      const [row] = await db
        .select({ version: lightspeedCursors.version })
        .from(lightspeedCursors)
        .where(and(eq(lightspeedCursors.storeId, storeId), eq(lightspeedCursors.resource, resource)));
      return row?.version ?? 0;
    },

    /** Moves the cursor forward only: a slower poll finishing late never moves it back. */
    async advanceCursor(resource: LightspeedResource, version: number): Promise<void> {
      await db
        .insert(lightspeedCursors)
        .values({ storeId, resource, version, lastPolledAt: new Date(), lastError: null })
        .onConflictDoUpdate({
          target: [lightspeedCursors.storeId, lightspeedCursors.resource],
          set: { version: sql`greatest(${lightspeedCursors.version}, excluded.version)`, lastPolledAt: new Date(), lastError: null },
        });
    },

    async recordPollError(resource: LightspeedResource, error: string): Promise<void> {
      await db
        .insert(lightspeedCursors)
        .values({ storeId, resource, version: 0, lastError: error, lastPolledAt: new Date() })
        .onConflictDoUpdate({ target: [lightspeedCursors.storeId, lightspeedCursors.resource], set: { lastError: error, lastPolledAt: new Date() } });
    },

    async cursors() {
      return db.select().from(lightspeedCursors).where(eq(lightspeedCursors.storeId, storeId)).orderBy(lightspeedCursors.resource);
    },

    /** The merchant asked to check these resources now: until a poll lands after this, the check is running. */
    async requestCheck(resources: readonly LightspeedResource[], at = new Date()): Promise<void> {
      for (const resource of resources) {
        await db
          .insert(lightspeedCursors)
          .values({ storeId, resource, version: 0, requestedAt: at })
          .onConflictDoUpdate({ target: [lightspeedCursors.storeId, lightspeedCursors.resource], set: { requestedAt: at } });
      }
    },

    /**
     * Records an entity state if its version is newer than the stored one. Returns false (and
     * stores nothing) for a stale or duplicate version. Atomic: two deliveries racing cannot
     * both win.
     */
    async acceptVersion(kind: string, entityId: string, version: number, state: Record<string, unknown> | null = null): Promise<boolean> {
      const rows = await db
        .insert(lightspeedEntityVersions)
        .values({ storeId, kind, entityId, version, state })
        .onConflictDoUpdate({
          target: [lightspeedEntityVersions.storeId, lightspeedEntityVersions.kind, lightspeedEntityVersions.entityId],
          set: { version, state, seenAt: new Date() },
          setWhere: sql`${lightspeedEntityVersions.version} < excluded.version`,
        })
        .returning({ version: lightspeedEntityVersions.version });
      return rows.length > 0;
    },

    /**
     * `acceptVersion` for a page of entities in one statement per 500 (a cursor page holds up to
     * 5,000 inventory records: one round trip each kept the page's cursor, and the levels it
     * carried, from the app for seconds under load). Returns the ids stored because they were
     * newer; an id repeated in the page counts with its highest version.
     */
    async acceptVersions(kind: string, entities: readonly { entityId: string; version: number; state: Record<string, unknown> | null }[]): Promise<Set<string>> {
      const newest = new Map<string, (typeof entities)[number]>();
      for (const e of entities) if ((newest.get(e.entityId)?.version ?? -Infinity) < e.version) newest.set(e.entityId, e);
      // In id order, as dirty marks are: two pages of overlapping entities stored at once (the
      // poll's and a drain's) in different orders deadlocked.
      const rows = [...newest.values()].sort((x, y) => (x.entityId < y.entityId ? -1 : x.entityId > y.entityId ? 1 : 0));
      const accepted = new Set<string>();
      for (let i = 0; i < rows.length; i += 500) {
        const stored = await db
          .insert(lightspeedEntityVersions)
          .values(rows.slice(i, i + 500).map((e) => ({ storeId, kind, entityId: e.entityId, version: e.version, state: e.state })))
          .onConflictDoUpdate({
            target: [lightspeedEntityVersions.storeId, lightspeedEntityVersions.kind, lightspeedEntityVersions.entityId],
            set: { version: sql`excluded.version`, state: sql`excluded.state`, seenAt: sql`now()` },
            setWhere: sql`${lightspeedEntityVersions.version} < excluded.version`,
          })
          .returning({ entityId: lightspeedEntityVersions.entityId });
        for (const r of stored) accepted.add(r.entityId);
      }
      return accepted;
    },

    /** Read-only: whether a version is newer than the one stored (or nothing is stored yet). */
    async isNewer(kind: string, entityId: string, version: number): Promise<boolean> {
      const [row] = await db
        .select({ version: lightspeedEntityVersions.version })
        .from(lightspeedEntityVersions)
        .where(and(eq(lightspeedEntityVersions.storeId, storeId), eq(lightspeedEntityVersions.kind, kind), eq(lightspeedEntityVersions.entityId, entityId)));
      return !row || row.version < version;
    },

    async entity(kind: string, entityId: string) {
      const [row] = await db
        .select()
        .from(lightspeedEntityVersions)
        .where(and(eq(lightspeedEntityVersions.storeId, storeId), eq(lightspeedEntityVersions.kind, kind), eq(lightspeedEntityVersions.entityId, entityId)));
      return row;
    },
  };

  const settings = {
    async get(): Promise<{ stockMode: StockMode | null; staffPermissions: string[] }> {
      const [row] = await db.select({ stockMode: stores.stockMode, staffPermissions: stores.staffPermissions }).from(stores).where(eq(stores.id, storeId));
      return { stockMode: row?.stockMode ?? null, staffPermissions: row?.staffPermissions ?? [] };
    },

    async update(patch: { stockMode?: StockMode; staffPermissions?: string[] }): Promise<void> {
      if (patch.stockMode === undefined && patch.staffPermissions === undefined) return;
      await db.update(stores).set(patch).where(eq(stores.id, storeId));
    },
  };

  return { storeId, users, connections, inbox, activity, apiUsage, lightspeed, settings };
}

export type StoreScope = ReturnType<typeof forStore>;
