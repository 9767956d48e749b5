/**
 * Inventory jobs: the engine run per store (coalesces every dirty variant into a few batched
 * writes), the reconciliation sweep (every linked variant, on a schedule and on demand), and
 * the helper every trigger uses to mark variants dirty and wake the engine.
 */
import { z } from 'zod';
import { inventoryFor } from '../../db/repositories/inventory';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { NotConnected } from '../clients';
import { defineJob, type JobContext } from '../define';
import { runInventoryEngine } from '../inventory/engine';
import { pollResource } from './lightspeed-cursor';

/** BigCommerce applies adjustments within a few seconds; a variant is read again only after this. */
export const SETTLE_MS = 3_000;
/** Variants per engine run (each run reads them in pages and writes them in ≤ 2,000-item requests). */
export const ENGINE_BATCH = 2_000;

const syncKey = (storeId: string) => `inventory:${storeId}`;

export const inventorySync = defineJob({
  name: 'inventory.sync',
  schema: z.object({ storeId: z.uuid() }),
  retry: { limit: 10, delaySeconds: 5, backoff: true },
  async handler({ storeId }, ctx) {
    try {
      // Units held as unexplained since before the order poll's mark are not an order: released
      // by any run, not only the sweep (the order poll marks their variants).
      const { ordersKnownUntil } = await inventoryFor(ctx.deps.database.db, storeId).settings.get();
      const result = await runInventoryEngine(ctx.deps, storeId, { settleMs: SETTLE_MS, batch: ENGINE_BATCH, releaseUnexplainedBefore: ordersKnownUntil });
      if (result.more) await ctx.enqueue(inventorySync, { storeId }, { singletonKey: `${syncKey(storeId)}:more` });
      else if (result.nextDue) {
        const seconds = Math.max(1, Math.ceil((result.nextDue.getTime() - Date.now()) / 1000));
        await ctx.enqueue(inventorySync, { storeId }, { singletonKey: `${syncKey(storeId)}:later`, startAfterSeconds: seconds });
      }
    } catch (error) {
      if (error instanceof NotConnected) return; // the overview says why; the keys wait for the connection
      throw error;
    }
  },
});

/** Marks variants for the engine and wakes it (one queued run per store). */
export async function markInventoryDirty(ctx: Pick<JobContext, 'deps' | 'enqueue'>, storeId: string, lsProductIds: readonly string[], cause: string, since?: Date): Promise<void> {
  if (lsProductIds.length === 0) return;
  await inventoryFor(ctx.deps.database.db, storeId).dirty.mark(lsProductIds, cause, since ? { since } : {});
  await ctx.enqueue(inventorySync, { storeId }, { singletonKey: syncKey(storeId) });
}

/** Marks every linked variant of the store (a mapping or mode change: everything is republished). */
export async function markAllInventoryDirty(ctx: Pick<JobContext, 'deps' | 'enqueue'>, storeId: string, cause: string): Promise<number> {
  const variants = await inventoryFor(ctx.deps.database.db, storeId).linkedVariants();
  await markInventoryDirty(ctx, storeId, variants.map((v) => v.lsProductId), cause);
  return variants.length;
}

const SWEEP_RETRIES = 3;

/** The engine is writing this store: the sweep stays queued (the merchant sees so) and the job's retry runs it. */
export class SweepWaiting extends Error {
  constructor() {
    super('waiting for the engine run to finish');
    this.name = 'SweepWaiting';
  }
}

export const inventorySweep = defineJob({
  name: 'inventory.sweep',
  schema: z.object({ storeId: z.uuid(), sweepId: z.uuid() }),
  retry: { limit: SWEEP_RETRIES, delaySeconds: 30, backoff: true },
  expireInSeconds: 60 * 60,
  async handler({ storeId, sweepId }, ctx) {
    const db = ctx.deps.database.db;
    const inventory = inventoryFor(db, storeId);
    const activity = forStore(db, ctx.deps.secrets, storeId).activity;
    const started = Date.now();
    await inventory.sweeps.progress(sweepId, { state: 'running', error: null });
    try {
      // Lightspeed first, by its cursor: whatever a webhook or a drain has not brought in yet
      // (a return booked a moment ago, say) is read now, so the sweep compares against Lightspeed
      // as it is, not as last heard.
      let lightspeedChanges = 0;
      for (let more = true; more; ) {
        const read = await pollResource(ctx.deps, storeId, 'inventory');
        lightspeedChanges += read.accepted;
        more = read.more;
      }
      const settings = await inventory.settings.get();
      const before = (await inventory.changes.all()).length;
      const result = await runInventoryEngine(ctx.deps, storeId, {
        settleMs: SETTLE_MS,
        batch: ENGINE_BATCH,
        releaseUnexplainedBefore: settings.ordersKnownUntil,
        sweep: {
          onProgress: (done, total) => inventory.sweeps.progress(sweepId, { done, total }),
        },
      });
      if (result.skipped && result.variants === 0) {
        const busy = result.skipped === 'another run is writing this store';
        await inventory.sweeps.progress(sweepId, { state: busy ? 'queued' : 'done', error: result.skipped, ...(busy ? {} : { finishedAt: new Date() }) });
        if (busy) throw new SweepWaiting();
        return;
      }
      const changed = result.writes;
      await inventory.sweeps.progress(sweepId, { state: 'done', done: result.variants, total: result.variants, changed, finishedAt: new Date() });
      await inventory.settings.update({ lastSweepAt: new Date() });
      await activity.record({
        kind: 'inventory.sweep',
        outcome: 'ok',
        summary: changed === 0 ? `Checked stock of ${result.variants} variant(s): BigCommerce matches Lightspeed` : `Checked stock of ${result.variants} variant(s) and corrected ${changed} level(s) in BigCommerce`,
        reason: 'reconciliation sweep',
        entityType: 'sweep',
        entityId: sweepId,
        startedAt: new Date(started),
        durationMs: Date.now() - started,
        details: { variants: result.variants, writes: changed, requests: result.requests, changesBefore: before, lightspeedChanges },
      });
    } catch (error) {
      // Not a failure: shown as queued until the retry (before, the page said failed meanwhile);
      // after the last retry it is one, and says why.
      if (error instanceof SweepWaiting && ctx.attempt < SWEEP_RETRIES) throw error;
      const message = error instanceof Error ? error.message : String(error);
      await inventory.sweeps.progress(sweepId, { state: 'failed', error: message, finishedAt: new Date() });
      if (error instanceof NotConnected) return;
      throw error;
    }
  },
});

/** Starts a sweep (recorded first, so its progress can be followed from the moment it is asked for). */
export async function startSweep(ctx: Pick<JobContext, 'deps' | 'enqueue'>, storeId: string, trigger: string): Promise<string> {
  const sweep = await inventoryFor(ctx.deps.database.db, storeId).sweeps.start(trigger);
  await ctx.enqueue(inventorySweep, { storeId, sweepId: sweep.id }, { singletonKey: `sweep:${storeId}` });
  return sweep.id;
}

/** Every five minutes: a sweep for each store whose interval has passed. */
export const inventorySweepSchedule = defineJob({
  name: 'inventory.sweep-schedule',
  schema: z.object({}),
  retry: { limit: 1, delaySeconds: 30 },
  schedule: { cron: '*/5 * * * *', payload: {} },
  async handler(_payload, ctx) {
    for (const store of await storesRepository(ctx.deps.database.db).listActive()) {
      const inventory = inventoryFor(ctx.deps.database.db, store.id);
      const settings = await inventory.settings.get();
      const due = !settings.lastSweepAt || Date.now() - settings.lastSweepAt.getTime() >= settings.sweepIntervalMinutes * 60_000;
      if (due && (await inventory.outlets.list()).some((o) => o.bcLocationId !== null)) await startSweep(ctx, store.id, 'schedule');
    }
  },
});
