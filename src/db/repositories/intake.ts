/**
 * Webhook intake storage. `recordDeliveries` is the whole hot path: ONE statement that checks the
 * store (installed; for Lightspeed, connected to the retailer the delivery names), drops a
 * version already held, and inserts the delivery once (unique per platform and delivery key).
 * The inserted row is itself the work item: its lane's drain finds it, so there is no second
 * write that a crash could leave undone. Lane statements are store-scoped like every repository.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import type { InboxStatus, Platform } from '../schema';
import { intakeLanes } from '../schema';

export interface NewDelivery {
  platform: Platform;
  /** Lightspeed addresses the store by id (its URL), BigCommerce by store hash (its payload). */
  storeId?: string;
  storeHash?: string;
  deliveryKey: string;
  topic: string;
  /** Null for a delivery recorded only to be ignored (stored as `dropped` with `reason`). */
  lane: string | null;
  payload: unknown;
  reason?: string;
  /** Lightspeed: the retailer the body names, checked against the connection. */
  account?: string | null;
  /** Lightspeed: a versioned entity, dropped as stale when the stored version is as new. */
  entity?: { kind: string; id: string; version: number | null };
}

export interface RecordResult {
  /** The store exists, is installed and (Lightspeed) is connected. */
  known: boolean;
  /** Lightspeed: the retailer the store is connected to (to refuse another retailer's delivery). */
  connectedAccount: string | null;
  stale: boolean;
  /** False for a delivery key already recorded (a duplicate delivery). */
  inserted: boolean;
}

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/**
 * Records a batch of deliveries in one statement; results in input order. The caller makes the
 * delivery keys of one batch distinct. The input travels as one JSON parameter (Postgres and
 * PGlite alike).
 */
export async function recordDeliveries(db: Db, deliveries: readonly NewDelivery[]): Promise<RecordResult[]> {
  if (deliveries.length === 0) return [];
  const input = deliveries.map((d, n) => ({
    n,
    platform: d.platform,
    store_id: d.storeId ?? null,
    store_hash: d.storeHash ?? null,
    delivery_key: d.deliveryKey,
    topic: d.topic,
    lane: d.lane,
    payload: d.payload ?? null,
    status: d.lane === null ? 'dropped' : 'received',
    reason: d.lane === null ? (d.reason ?? 'ignored') : null,
    account: d.account ?? null,
    kind: d.entity?.kind ?? null,
    entity_id: d.entity?.id ?? null,
    version: d.entity?.version ?? null,
  }));
  const result = await db.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x(
        n int, platform text, store_id uuid, store_hash text, delivery_key text, topic text, lane text,
        payload jsonb, status text, reason text, account text, kind text, entity_id text, version bigint)
    ),
    target as (
      select i.*, s.id as sid, c.external_account as connected,
        (i.version is not null and exists (
          select 1 from lightspeed_entity_versions v
          where v.store_id = s.id and v.kind = i.kind and v.entity_id = i.entity_id and v.version >= i.version)) as stale
      from input i
      left join stores s on s.status = 'active' and s.id = coalesce(i.store_id, (select h.id from stores h where h.store_hash = i.store_hash))
      left join platform_connections c on i.platform = 'lightspeed' and c.store_id = s.id and c.platform = 'lightspeed'
    ),
    ins as (
      insert into webhook_inbox (store_id, platform, delivery_key, topic, lane, payload, status, status_reason, processed_at)
      select sid, platform, delivery_key, topic, lane, coalesce(payload, 'null'::jsonb), status, reason, case when status = 'dropped' then now() end
      from target
      where sid is not null and not stale
        and (platform <> 'lightspeed' or (connected is not null and (account is null or account = connected)))
      -- Key order, not arrival order: two processes recording overlapping batches then take the
      -- unique index's entries in the same order and one waits for the other, instead of each
      -- holding an entry the other needs (a deadlock, which answered a delivery 500).
      order by platform, delivery_key
      on conflict (platform, delivery_key) do nothing
      returning platform, delivery_key
    )
    select t.n, t.sid is not null and (t.platform <> 'lightspeed' or t.connected is not null) as known, t.connected, t.stale,
      exists (select 1 from ins where ins.platform = t.platform and ins.delivery_key = t.delivery_key) as inserted
    from target t order by t.n`);
  const out: RecordResult[] = [];
  for (const r of rowsOf<{ n: number; known: boolean; connected: string | null; stale: boolean; inserted: boolean }>(result)) {
    out[r.n] = { known: r.known, connectedAccount: r.connected, stale: r.stale, inserted: r.inserted };
  }
  return out;
}

/** Lanes with deliveries waiting, of installed stores, that no drain holds now (the dispatcher's read). */
export async function waitingLanes(db: Db, limit = 500): Promise<{ storeId: string; lane: string }[]> {
  const result = await db.execute(sql`
    select w.store_id, w.lane from (
      select distinct store_id, lane from webhook_inbox where status = 'received' and lane is not null
    ) w
    join stores s on s.id = w.store_id and s.status = 'active'
    where not exists (select 1 from intake_lanes l where l.store_id = w.store_id and l.lane = w.lane and l.lease_until > now())
    limit ${limit}`);
  return rowsOf<{ store_id: string; lane: string }>(result).map((r) => ({ storeId: r.store_id, lane: r.lane }));
}

export interface WaitingDelivery {
  id: number;
  topic: string;
  payload: unknown;
}

export function intakeFor(db: Db, storeId: string) {
  return {
    /**
     * Takes the lane for `holder` until `ms` from now, when it is free, expired, or already this
     * holder's (a retried job). False when another drain holds it.
     */
    async claim(lane: string, holder: string, ms: number): Promise<boolean> {
      const until = sql`now() + ${`${Math.ceil(ms)} milliseconds`}::interval`;
      const rows = await db
        .insert(intakeLanes)
        .values({ storeId, lane, leaseHolder: holder, leaseUntil: until })
        .onConflictDoUpdate({
          target: [intakeLanes.storeId, intakeLanes.lane],
          set: { leaseHolder: holder, leaseUntil: until },
          setWhere: sql`${intakeLanes.leaseUntil} is null or ${intakeLanes.leaseUntil} <= now() or ${intakeLanes.leaseHolder} = ${holder}`,
        })
        .returning({ lane: intakeLanes.lane });
      return rows.length > 0;
    },

    /** Gives the lane back (at once, or held `holdMs` longer: a rest between reads, or a back-off). */
    async release(lane: string, holder: string, options: { holdMs?: number } = {}): Promise<void> {
      const until = options.holdMs ? sql`now() + ${`${Math.ceil(options.holdMs)} milliseconds`}::interval` : sql`now()`;
      await db
        .update(intakeLanes)
        .set({ leaseUntil: until, ...(options.holdMs ? {} : { leaseHolder: null }) })
        .where(and(eq(intakeLanes.storeId, storeId), eq(intakeLanes.lane, lane), eq(intakeLanes.leaseHolder, holder)));
    },

    /** The oldest deliveries waiting in a lane. */
    async waiting(lane: string, limit: number): Promise<WaitingDelivery[]> {
      const result = await db.execute(sql`
        select id, topic, payload from webhook_inbox
        where store_id = ${storeId} and lane = ${lane} and status = 'received'
        order by id limit ${limit}`);
      return rowsOf<{ id: number | string; topic: string; payload: unknown }>(result).map((r) => ({ id: Number(r.id), topic: r.topic, payload: r.payload }));
    },

    /**
     * Ends deliveries of a lane (each with its reason). Only a `received` row moves: a status
     * never goes back, and a row another drain finished stays as it finished. The lane's count
     * of drained deliveries grows in the same statement, so it always equals the rows moved.
     * Returns how many moved.
     */
    async finish(lane: string, outcomes: readonly { id: number; reason: string }[], status: Exclude<InboxStatus, 'received' | 'enqueued'> = 'processed'): Promise<number> {
      if (outcomes.length === 0) return 0;
      const result = await db.execute(sql`
        with moved as (
          update webhook_inbox w set status = ${status}, status_reason = o.reason, processed_at = now()
          from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb) as o(id bigint, reason text)
          where w.store_id = ${storeId} and w.lane = ${lane} and w.id = o.id and w.status = 'received'
          returning w.id
        ),
        counted as (
          insert into intake_lanes (store_id, lane, drained, drained_at)
          select ${storeId}, ${lane}, count(*), now() from moved having count(*) > 0
          on conflict (store_id, lane) do update set drained = intake_lanes.drained + excluded.drained, drained_at = excluded.drained_at
        )
        select count(*)::int as n from moved`);
      return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
    },

    async lanes() {
      return db.select().from(intakeLanes).where(eq(intakeLanes.storeId, storeId));
    },
  };
}

export type IntakeRepository = ReturnType<typeof intakeFor>;
