/**
 * Intake drains: one job per store and lane works every delivery waiting in the lane. The rows
 * are the work (recorded by the receivers in one statement each); a drain is woken by the
 * dispatcher (every working process looks for lanes with waiting rows twice a second), holds
 * the lane's lease while it works, and ends each row exactly once (`received` → `processed`).
 *
 * Coalescing: a Lightspeed lane becomes paged reads of the resource's `version` cursor (the
 * poll's machinery) however many deliveries wait; a BigCommerce lane becomes one queued intake
 * per order, one per refund and one dirty mark per product. A crash anywhere leaves the rows
 * `received` (the lease expires) and the next drain does the work again; every effect is
 * idempotent (versions, dirty marks, singleton jobs), and a row's status only moves forward.
 */
import { z } from 'zod';
import { beyondCursor, namedIds, parseLane, planBigCommerce, type LightspeedHint, type LightspeedKind, type PendingRow } from '../../core/intake/plan';
import { intakeFor, waitingLanes, type IntakeRepository, type WaitingDelivery } from '../../db/repositories/intake';
import { inventoryFor } from '../../db/repositories/inventory';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import type { LightspeedResource } from '../../db/schema';
import { lightspeedClientFor, NotConnected } from '../clients';
import { defineJob, type JobContext } from '../define';
import { indexChangedProducts } from './catalog-index';
import { markInventoryDirty } from './inventory-sync';
import { refreshEntity } from './lightspeed-entity';
import { pollResource } from './lightspeed-poll';
import { orderIntake, orderRefund, followOurSales } from './order-intake';

/**
 * The drains' tuning. `batch`: deliveries read per pass (a lane's backlog beyond it is the next
 * pass's). `budgetMs`: a drain yields its slot after this long and the dispatcher sends the next
 * (fairness between stores). `leaseMs`: how long a drain holds its lane without renewing (a
 * crashed drain's lane is free again after it). `lightspeedIntervalMs`: a Lightspeed lane is read
 * at most this often; deliveries arriving meanwhile share the next cursor read (Lightspeed allows
 * 300 × registers + 50 requests per 5 minutes); `bigcommerceIntervalMs` likewise for a
 * BigCommerce lane outside a backlog. `failureBackoffMs`: after a failed pass the lane
 * rests this long (on top of the job's own retries). Tests shorten them.
 */
export const intakeTuning = {
  batch: 5_000,
  budgetMs: 10_000,
  leaseMs: 60_000,
  lightspeedIntervalMs: 3_000,
  bigcommerceIntervalMs: 500,
  failureBackoffMs: 15_000,
};
/** Deliveries past the cursor read one by one at most per pass (Lightspeed's list lagging its webhooks). */
const MAX_DIRECT_READS = 25;

const RESOURCE: Record<LightspeedKind, LightspeedResource> = { product: 'products', inventory: 'inventory', sale: 'sales' };

type Ctx = Pick<JobContext, 'deps' | 'enqueue'>;

async function drainLightspeed(ctx: Ctx, storeId: string, kind: LightspeedKind, rows: WaitingDelivery[]): Promise<{ outcomes: { id: number; reason: string }[]; calls: number }> {
  const pending = rows as PendingRow<LightspeedHint>[];
  const resource = RESOURCE[kind];
  // One cursor read covers every delivery recorded before it started, however many.
  const accepted = new Set<string>();
  const productIds = new Set<string>();
  let cursor = 0;
  let pages = 0;
  for (let more = true; more; ) {
    const result = await pollResource(ctx.deps, storeId, resource);
    result.acceptedIds.forEach((id) => accepted.add(id));
    result.productIds.forEach((id) => productIds.add(id));
    cursor = result.cursor;
    more = result.more;
    pages++;
  }
  // A delivery naming a version the list has not reached yet is read directly.
  const direct = beyondCursor(pending, cursor).slice(0, MAX_DIRECT_READS);
  if (direct.length > 0) {
    const client = await lightspeedClientFor(ctx.deps, storeId);
    for (const hint of direct) {
      const productId = kind === 'inventory' ? ((await forStore(ctx.deps.database.db, ctx.deps.secrets, storeId).lightspeed.entity('inventory', hint.id))?.state as { productId?: string } | null)?.productId ?? hint.productId : undefined;
      if ((await refreshEntity(client, ctx.deps, storeId, kind, hint.id, productId)) > 0) {
        accepted.add(hint.id);
        if (productId) productIds.add(productId);
      }
    }
  }
  // Level-triggered, as for a single delivery: the named items are looked at again whatever the read found.
  const named = namedIds(pending);
  if (kind === 'product') await indexChangedProducts(ctx, storeId, [...new Set([...named, ...accepted])]);
  // The products the deliveries name are marked too, whatever this read found: a pass that died
  // after its read stored the new versions (so the next read finds nothing newer) still marks them.
  if (kind === 'inventory') await markInventoryDirty(ctx, storeId, [...new Set([...productIds, ...pending.flatMap((r) => (r.payload.productId ? [r.payload.productId] : []))])], 'lightspeed');
  if (kind === 'sale') await followOurSales(ctx, storeId, [...new Set([...named, ...accepted])]);
  const reason = `read by cursor with ${pending.length} other deliveries: ${accepted.size} newer record(s)`;
  return { outcomes: pending.map((r) => ({ id: r.id, reason: accepted.has(r.payload.id) ? reason : `already up to date (${reason})` })), calls: pages + direct.length };
}

async function drainBigCommerce(ctx: Ctx, storeId: string, rows: WaitingDelivery[]): Promise<{ outcomes: { id: number; reason: string }[]; purged: boolean }> {
  const db = ctx.deps.database.db;
  const needsStock = rows.some((r) => r.topic === 'store/sku/inventory/updated' || r.topic === 'store/product/inventory/updated');
  const linked = needsStock ? await inventoryFor(db, storeId).linkedVariants() : [];
  const plan = planBigCommerce(rows, linked);
  if (plan.uninstall) {
    await storesRepository(db).purgeData(storeId); // the rows go with the store
    return { outcomes: [], purged: true };
  }
  for (const orderId of plan.orders) await ctx.enqueue(orderIntake, { storeId, orderId }, { singletonKey: `order:${storeId}:${orderId}` });
  for (const r of plan.refunds) await ctx.enqueue(orderRefund, { storeId, orderId: r.orderId, refundId: r.refundId }, { singletonKey: `refund:${storeId}:${r.refundId}` });
  await markInventoryDirty(ctx, storeId, plan.dirtyProducts, 'bigcommerce');
  return { outcomes: plan.outcomes, purged: false };
}

/** Test hook: a failure injected between the work of a pass and the rows' status (a crash there). */
export const drainFaults: { afterWork?: (storeId: string, lane: string) => void | Promise<void> } = {};

export interface DrainResult {
  worked: number;
  passes: number;
  /** Lightspeed calls the passes made (cursor pages and direct reads). */
  calls: number;
  more: boolean;
  held: boolean;
}

/** Works a lane until it is empty or the budget is spent. */
export async function drainLane(ctx: Ctx, storeId: string, lane: string, holder: string, options: { budgetMs?: number; batch?: number } = {}): Promise<DrainResult> {
  const intake: IntakeRepository = intakeFor(ctx.deps.database.db, storeId);
  const parsed = parseLane(lane);
  if (!(await intake.claim(lane, holder, intakeTuning.leaseMs))) return { worked: 0, passes: 0, calls: 0, more: false, held: true };
  const deadline = Date.now() + (options.budgetMs ?? intakeTuning.budgetMs);
  let worked = 0;
  let passes = 0;
  let calls = 0;
  let more = false;
  try {
    for (;;) {
      const rows = await intake.waiting(lane, options.batch ?? intakeTuning.batch);
      if (rows.length === 0) break;
      passes++;
      if (!parsed) {
        worked += await intake.finish(lane, rows.map((r) => ({ id: r.id, reason: `no drain works the lane ${lane}` })), 'dropped');
        continue;
      }
      let outcomes: { id: number; reason: string }[];
      try {
        if (parsed.platform === 'bigcommerce') {
          const result = await drainBigCommerce(ctx, storeId, rows);
          if (result.purged) return { worked: worked + rows.length, passes, calls, more: false, held: false };
          outcomes = result.outcomes;
        } else {
          const result = await drainLightspeed(ctx, storeId, parsed.kind, rows);
          outcomes = result.outcomes;
          calls += result.calls;
        }
      } catch (error) {
        if (!(error instanceof NotConnected)) throw error;
        // Not connected: the deliveries cannot be worked now, and the cursor read after the
        // store reconnects brings every change they named. Each is ended with the reason.
        worked += await intake.finish(lane, rows.map((r) => ({ id: r.id, reason: `not worked: ${error.message}; the check after reconnecting reads these changes` })), 'failed');
        await forStore(ctx.deps.database.db, ctx.deps.secrets, storeId).activity.record({
          kind: 'webhook.failed',
          outcome: 'warning',
          summary: `${rows.length} webhook deliver${rows.length === 1 ? 'y' : 'ies'} could not be worked`,
          reason: `${error.message}. Reconnect; the regular check then reads every change they named.`,
          entityType: 'lane',
          entityId: lane,
        });
        continue;
      }
      await drainFaults.afterWork?.(storeId, lane);
      worked += await intake.finish(lane, outcomes);
      // One cursor read per Lightspeed drain: what arrives meanwhile waits for the next read,
      // `lightspeedIntervalMs` later, and shares it (the lane's reads follow time, not traffic).
      // A BigCommerce lane goes on only through a backlog (a full batch); deliveries trickling in
      // wait `bigcommerceIntervalMs` and go together, instead of a pass per handful.
      if (parsed.platform === 'lightspeed' || rows.length < (options.batch ?? intakeTuning.batch)) {
        more = parsed.platform === 'lightspeed' && rows.length === (options.batch ?? intakeTuning.batch);
        break;
      }
      if (Date.now() > deadline) {
        more = true;
        break;
      }
      await intake.claim(lane, holder, intakeTuning.leaseMs); // renew
    }
  } catch (error) {
    // The lane rests before the next drain; the job's retry (same holder) may take it earlier.
    await intake.release(lane, holder, { holdMs: intakeTuning.failureBackoffMs }).catch(() => {});
    throw error;
  }
  const rest = parsed?.platform === 'lightspeed' ? intakeTuning.lightspeedIntervalMs : intakeTuning.bigcommerceIntervalMs;
  await intake.release(lane, holder, passes > 0 && rest > 0 ? { holdMs: rest } : {});
  return { worked, passes, calls, more, held: false };
}

export const intakeDrain = defineJob({
  name: 'intake.drain',
  schema: z.object({ storeId: z.uuid(), lane: z.string().min(1) }),
  retry: { limit: 8, delaySeconds: 5, backoff: true },
  expireInSeconds: 10 * 60,
  // Independent slots: a loud store's drain (one at a time per lane) never holds a quiet store's back.
  slots: 4,
  wake: {
    everyMs: 500,
    async find(deps) {
      return (await waitingLanes(deps.database.db)).map((l) => ({ payload: l, singletonKey: `intake:${l.storeId}:${l.lane}` }));
    },
  },
  async handler({ storeId, lane }, ctx) {
    const deadline = Date.now() + intakeTuning.budgetMs;
    await drainLane(ctx, storeId, lane, ctx.jobId);
    // Then any other lane with deliveries waiting that no drain holds, until the budget is spent:
    // fifty quiet stores are drained in one cycle by a few slots, not one store per slot and poll.
    while (Date.now() < deadline) {
      const waiting = (await waitingLanes(ctx.deps.database.db, 50)).filter((l) => !(l.storeId === storeId && l.lane === lane));
      if (waiting.length === 0) return;
      let worked = 0;
      for (const other of waiting) {
        if (Date.now() >= deadline) return;
        try {
          const result = await drainLane(ctx, other.storeId, other.lane, ctx.jobId, { budgetMs: Math.max(0, deadline - Date.now()) });
          if (!result.held) worked++;
        } catch (error) {
          // That lane rests (drainLane held it with a back-off) and its own drain retries it.
          console.error(`[jobs] intake.drain: lane ${other.lane} of store ${other.storeId} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (worked === 0) return;
    }
  },
});
