/**
 * The inventory engine's run for one store (DESIGN §4): take the variants marked dirty, read
 * what BigCommerce holds for them, compute what it should hold from Lightspeed's on-hand, the
 * in-flight ledger and the merchant's mapping (core/inventory), and write only the differences,
 * grouped by location, 2,000 items a request. Level-triggered: a replayed run is harmless.
 *
 * This file fetches and writes; every decision is in core/inventory.
 */
import { randomUUID } from 'node:crypto';
import { causeOfWrite } from '../../core/inventory/causes';
import { explainRefusal, explainSafetyHold, OUTRUNS_BEFORE_PROBLEM, outrunByStock, persistentlyOutrun, type Problem } from '../../core/inventory/problems';
import { managedLocations, outletStocks, readyToPublish, unroutedFor, type ItemReserveRule, type OutletSettings } from '../../core/inventory/inputs';
import type { StockMode } from '../../core/inventory/levels';
import { learnOrderEffect, type VariantLedger } from '../../core/inventory/ledger';
import { reconcileVariant, type VariantResult } from '../../core/inventory/reconcile';
import { inventoryFor, type Commitment as CommitmentRow, type InventoryRepository, type LinkedVariant, type NewChange, type OutletMapping } from '../../db/repositories/inventory';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { BigCommerceApiError, BigCommerceNetworkError, BigCommerceStaleRequestError } from '../../integrations/bigcommerce/errors';
import { bigcommerceClientFor, type BigCommerceClient } from '../clients';
import type { JobDeps } from '../deps';

export const DEFAULT_LOCATION_ID = 1;

export interface EngineOptions {
  /** BigCommerce applies adjustments asynchronously: a variant is read again only this long after its last write. */
  settleMs: number;
  /** Variants per run; the rest wait for the next run. */
  batch: number;
  /**
   * Every order placed before this instant is known (the order poll ran): units held as
   * unexplained since before it were not an order and are released (`releaseStaleUnexplained`).
   */
  releaseUnexplainedBefore?: Date | null;
  /** A sweep: every linked variant, with its progress. */
  sweep?: { onProgress?: (done: number, total: number) => Promise<void> };
}

export interface EngineResult {
  variants: number;
  writes: number;
  requests: number;
  /** More keys are due now. */
  more: boolean;
  /** When a waiting key falls due (a settling write, a deferred increase). */
  nextDue: Date | null;
  /** Why nothing was published, when nothing could be. */
  skipped?: string;
}

export const outletSettingsOf = (o: OutletMapping): OutletSettings => ({
  lsOutletId: o.lsOutletId,
  bcLocationId: o.bcLocationId,
  publishes: o.publishes,
  retired: o.retired,
  reserve: o.reserveKind ? { kind: o.reserveKind, value: o.reserveValue } : null,
});

const toCoreCommitment = (c: CommitmentRow) => ({ lsProductId: c.lsProductId, quantity: c.quantity, outletId: c.lsOutletId, bcLocationId: c.bcLocationId });

/**
 * 'refused-no-record': a relative adjustment where BigCommerce holds no record yet (it wants an absolute first).
 * 'rate-limited': a 429, not applied; computed afresh once the quota resets (never resent as it was).
 * 'outrun': a relative decrease refused because an order or another adjustment took the stock
 * first (core outrunByStock): not applied; computed afresh once it has settled, and no problem
 * for the merchant.
 */
type Outcome = 'applied' | 'refused' | 'refused-no-record' | 'rate-limited' | 'unknown' | 'outrun';

/** What the answer (or its absence) says about whether BigCommerce took the request. */
function outcomeOf(error: unknown): Outcome {
  // Held by the quota until its levels were stale, and not sent: as good as a 429.
  if (error instanceof BigCommerceStaleRequestError) return 'rate-limited';
  if (error instanceof BigCommerceNetworkError) return 'unknown';
  if (error instanceof BigCommerceApiError) {
    if (error.status >= 500) return 'unknown';
    if (error.status === 429) return 'rate-limited';
    return /absolute adjustment before relative/i.test(JSON.stringify(error.body)) ? 'refused-no-record' : 'refused';
  }
  return 'unknown';
}

interface PlannedVariant {
  variant: LinkedVariant;
  result: VariantResult;
  cause: { at: Date; cause: string };
  /** When the newest Lightspeed on-hand the run read for it was stored, and when it was last written. */
  lightspeedStoredAt: Date | null;
  lastWrittenAt: Date | null;
  /** When the run read the on-hand and in-flight units it planned with (kept with each write: the age of what a write knew). */
  readAt: Date;
}

/** The latest of these times (null when there are none). */
const latest = (dates: readonly (Date | null)[]): Date | null => dates.reduce<Date | null>((a, d) => (d && (!a || d > a) ? d : a), null);

interface BigCommerceLevels {
  /** On hand per (variant, location): null where BigCommerce has no record yet. */
  onHand: Map<number, Map<number, number | null>>;
  /** The safety stock BigCommerce keeps per (variant, location), where it keeps one. */
  safetyStock: Map<number, Map<number, number>>;
}

/** BigCommerce's on-hand and safety stock per (variant, location) for these variants at these locations. */
async function readLevels(bc: BigCommerceClient, variantIds: readonly number[], locationIds: readonly number[]): Promise<BigCommerceLevels> {
  const out: BigCommerceLevels = { onHand: new Map(), safetyStock: new Map() };
  for (let i = 0; i < variantIds.length; i += 250) {
    const chunk = variantIds.slice(i, i + 250);
    const items = await bc.inventory.items.listAll({ 'variant_id:in': chunk, 'location_id:in': locationIds });
    for (const item of items) {
      const variantId = item.identity.variant_id;
      if (variantId === null) continue;
      const levels = out.onHand.get(variantId) ?? new Map<number, number | null>();
      const safety = out.safetyStock.get(variantId) ?? new Map<number, number>();
      for (const l of item.locations) {
        levels.set(l.location_id, l.total_inventory_onhand);
        if (l.settings?.safety_stock) safety.set(l.location_id, l.settings.safety_stock);
      }
      out.onHand.set(variantId, levels);
      out.safetyStock.set(variantId, safety);
    }
  }
  return out;
}

export async function runInventoryEngine(deps: JobDeps, storeId: string, options: EngineOptions): Promise<EngineResult> {
  const db = deps.database.db;
  const inventory = inventoryFor(db, storeId);
  const activity = forStore(db, deps.secrets, storeId).activity;
  const holder = randomUUID();
  if (!(await inventory.settings.acquireLease(holder, 5 * 60_000))) {
    return { variants: 0, writes: 0, requests: 0, more: true, nextDue: new Date(Date.now() + 1_000), skipped: 'another run is writing this store' };
  }
  const taken: { lsProductId: string; since: Date; cause: string }[] = [];
  try {
    const store = await storesRepository(db).findById(storeId);
    if (!store) return { variants: 0, writes: 0, requests: 0, more: false, nextDue: null, skipped: 'store not installed' };
    const mode: StockMode = store.stockMode ?? 'default-location';
    const mappings = await inventory.outlets.list();
    const outlets = mappings.map(outletSettingsOf);
    if (!readyToPublish(outlets)) {
      if (!options.sweep) await inventory.dirty.take(10_000); // nothing can be published; the first mapping marks every variant
      return { variants: 0, writes: 0, requests: 0, more: false, nextDue: null, skipped: 'no outlet is mapped to a BigCommerce location yet' };
    }

    let variants: LinkedVariant[];
    const causeOf = new Map<string, { at: Date; cause: string }>();
    if (options.sweep) {
      variants = await inventory.linkedVariants();
      for (const v of variants) causeOf.set(v.lsProductId, { at: new Date(), cause: 'sweep' });
    } else {
      taken.push(...(await inventory.dirty.take(options.batch)));
      for (const k of taken) causeOf.set(k.lsProductId, { at: k.since, cause: k.cause });
      variants = await inventory.linkedVariants(taken.map((k) => k.lsProductId));
    }
    let ledgerRows = await inventory.ledger.rows(variants.map((v) => v.bcVariantId));
    if (options.sweep) {
      // A sweep covers everything: it waits for the last writes to settle rather than skip them.
      const latest = Math.max(0, ...ledgerRows.map((r) => (r.publishedAt ? r.publishedAt.getTime() + options.settleMs - Date.now() : 0)));
      if (latest > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(latest, options.settleMs)));
      ledgerRows = await inventory.ledger.rows(variants.map((v) => v.bcVariantId));
    }
    // A variant written less than `settleMs` ago waits: BigCommerce may not show that write yet.
    const now = Date.now();
    const settling = new Map<number, Date>();
    for (const r of ledgerRows) {
      if (r.publishedAt && now - r.publishedAt.getTime() < options.settleMs) {
        const due = new Date(r.publishedAt.getTime() + options.settleMs);
        const current = settling.get(r.bcVariantId);
        if (!current || due > current) settling.set(r.bcVariantId, due);
      }
    }
    // They come back together, when the last of them has settled: one run, not one per write time.
    const waiting = variants.filter((v) => settling.has(v.bcVariantId));
    const settledAt = new Date(Math.max(0, ...[...settling.values()].map((d) => d.getTime())));
    for (const v of waiting) await inventory.dirty.mark([v.lsProductId], causeOf.get(v.lsProductId)?.cause ?? 'settling', { notBefore: settledAt, since: causeOf.get(v.lsProductId)?.at ?? new Date() });
    variants = variants.filter((v) => !settling.has(v.bcVariantId));

    const { current, retired } = managedLocations(mode, DEFAULT_LOCATION_ID, outlets, await inventory.ledger.locations());
    const bc = await bigcommerceClientFor(deps, storeId);
    const planned: PlannedVariant[] = [];
    const appliedEffects: CommitmentRow[] = [];
    let done = 0;
    for (let i = 0; i < variants.length; i += options.batch) {
      const chunk = variants.slice(i, i + options.batch);
      const productIds = chunk.map((v) => v.lsProductId);
      const [levels, ledgers, reserves] = await Promise.all([
        readLevels(bc, chunk.map((v) => v.bcVariantId), [...current, ...retired]),
        inventory.ledger.load(chunk.map((v) => v.bcVariantId)),
        inventory.reserves.forItems([...new Set(chunk.map((v) => v.lsItemId))]),
      ]);
      // In-flight units first, Lightspeed's on-hand after: a fulfilment stores the new on-hand
      // before it releases its units (orders/engine.ts syncSale), so read in this order a release
      // always comes with the on-hand that reflects it. Read side by side, a release could be seen
      // with the on-hand from before the fulfilment, and the units published again.
      const readAt = new Date();
      const { open: commitments, pending: effects } = await inventory.commitments.openAndPending(productIds);
      const onHandRows = await inventory.onHand(productIds);
      appliedEffects.push(...effects);
      for (const variant of chunk) {
        const onHand = new Map(onHandRows.filter((r) => r.productId === variant.lsProductId).map((r) => [r.outletId, r.onHand]));
        const lines = commitments.filter((c) => c.lsProductId === variant.lsProductId).map(toCoreCommitment);
        const itemReserves: ItemReserveRule[] = reserves.filter((r) => r.lsItemId === variant.lsItemId).map((r) => ({ lsOutletId: r.lsOutletId, rule: { kind: r.kind, value: r.value } }));
        const facts = { lsProductId: variant.lsProductId, outlets, onHand, commitments: lines, itemReserves };
        const read = levels.onHand.get(variant.bcVariantId);
        // A location BigCommerce did not list for the variant holds no record there yet.
        const observed = new Map<number, number | null>([...current, ...retired].map((id) => [id, read?.has(id) ? read.get(id)! : null]));
        const result = reconcileVariant({
          mode,
          defaultLocationId: DEFAULT_LOCATION_ID,
          outlets: outletStocks(facts),
          unrouted: unroutedFor(facts),
          retiredLocationIds: retired,
          ledger: withOrderEffects(ledgers.get(variant.bcVariantId) ?? { entries: new Map() }, effects.filter((e) => e.bcVariantId === variant.bcVariantId)),
          observed,
          safetyStock: levels.safetyStock.get(variant.bcVariantId) ?? new Map(),
          now,
          ...(options.releaseUnexplainedBefore ? { releaseUnexplainedBefore: options.releaseUnexplainedBefore.getTime() } : {}),
        });
        planned.push({
          variant,
          result,
          cause: causeOf.get(variant.lsProductId) ?? { at: new Date(), cause: 'lightspeed' },
          lightspeedStoredAt: latest(onHandRows.filter((r) => r.productId === variant.lsProductId).map((r) => r.seenAt)),
          lastWrittenAt: latest(ledgerRows.filter((r) => r.bcVariantId === variant.bcVariantId).map((r) => r.publishedAt)),
          readAt,
        });
      }
      done += chunk.length;
      await options.sweep?.onProgress?.(done, variants.length);
    }

    const { requests, outcomes, refusals } = await writeAll(bc, planned);
    await refuseRepeatedOutruns(inventory, planned, outcomes, refusals);
    const labels = new Map(mappings.map((m) => [m.bcLocationId, m.name]));
    const labelOf = (locationId: number) => (locationId === DEFAULT_LOCATION_ID ? 'the default location' : `${labels.get(locationId) ?? `location #${locationId}`}`);
    const problems = planned.flatMap((p) => {
      const row = (locationId: number, problem: Problem) => ({ lsProductId: p.variant.lsProductId, bcVariantId: p.variant.bcVariantId, bcProductId: p.variant.bcProductId, bcLocationId: locationId, kind: problem.kind, message: problem.message, fix: problem.fix });
      return [
        ...p.result.writes.flatMap((w) => {
          const key = `${p.variant.bcVariantId}:${w.locationId}`;
          const reason = refusals.get(key);
          return reason && outcomes.get(key) === 'refused' ? [row(w.locationId, explainRefusal(reason, p.variant, labelOf(w.locationId)))] : [];
        }),
        ...p.result.heldBySafetyStock.map((hold) => row(hold.locationId, explainSafetyHold(hold, p.variant, labelOf(hold.locationId)))),
      ];
    });
    const cleared = planned.filter((p) => p.result.writes.length > 0 && p.result.writes.every((w) => outcomes.get(`${p.variant.bcVariantId}:${w.locationId}`) === 'applied')).map((p) => p.variant.lsProductId);
    const known = new Set((await inventory.problems.forProducts(problems.map((p) => p.lsProductId))).map((p) => `${p.lsProductId}:${p.kind}`));
    await inventory.problems.clear(cleared);
    await inventory.problems.record(problems);
    // Once per variant and kind: a refusal at two locations is one problem.
    for (const problem of problems.filter((p) => !known.has(`${p.lsProductId}:${p.kind}`) && Boolean(known.add(`${p.lsProductId}:${p.kind}`)))) {
      // A safety stock holds the level up: nothing oversells, but the item is out of sync until it is freed.
      await activity.record({ kind: problem.kind === 'safety-stock' ? 'inventory.held' : 'inventory.refused', outcome: problem.kind === 'safety-stock' ? 'warning' : 'error', summary: problem.message, reason: problem.fix, entityType: 'variant', entityId: problem.lsProductId });
    }
    const changes: NewChange[] = [];
    // Lightspeed marks that came while this run worked: the write may be theirs (core causeOfWrite).
    const waitingLightspeed = new Set((await inventory.dirty.waiting(planned.filter((p) => p.result.writes.length > 0).map((p) => p.variant.lsProductId))).filter((k) => k.cause === 'lightspeed').map((k) => k.lsProductId));
    for (const p of planned) {
      const named = causeOfWrite({ cause: p.cause.cause, since: p.cause.at }, { lightspeedStoredAt: p.lightspeedStoredAt, lightspeedMarkWaiting: waitingLightspeed.has(p.variant.lsProductId), lastWrittenAt: p.lastWrittenAt });
      const ledger = ledgerFor(p.result, (locationId) => outcomes.get(`${p.variant.bcVariantId}:${locationId}`) ?? 'applied');
      await inventory.ledger.save(p.variant.bcVariantId, ledger, new Map(p.result.writes.map((w) => [w.locationId, p.result.targets.get(w.locationId) ?? 0])));
      for (const w of p.result.writes) {
        changes.push({
          lsProductId: p.variant.lsProductId,
          bcVariantId: p.variant.bcVariantId,
          bcLocationId: w.locationId,
          fromLevel: w.from,
          toLevel: w.kind === 'relative' ? w.to : w.quantity,
          cause: named.cause,
          causedAt: named.since,
          outcome: outcomes.get(`${p.variant.bcVariantId}:${w.locationId}`) ?? 'applied',
          // The ledger the write was planned with: units held as unexplained there count in `level.unrouted`.
          details: { level: p.result.levels.find((l) => l.locationId === w.locationId) ?? null, kind: w.kind, held: p.result.ledger.entries.get(w.locationId)?.unexplained ?? 0, readAt: p.readAt.toISOString() },
        });
      }
      if (p.result.deferred.length > 0) await inventory.dirty.mark([p.variant.lsProductId], 'moving stock', { notBefore: new Date(Date.now() + options.settleMs), since: p.cause.at });
      await recordFindings(activity, p, mode);
    }
    await inventory.commitments.effectsApplied(appliedEffects);
    await inventory.changes.record(changes);
    // An unanswered write, one that needs a first record, one the quota turned away or one an order got to first: looked at
    // again once it has settled (computed afresh from what both sides hold then). A refused one waits for a change (the merchant's fix marks it) or the sweep: retrying at once
    // would only be refused again.
    const retry = planned.filter((p) => p.result.writes.some((w) => ['unknown', 'refused-no-record', 'rate-limited', 'outrun'].includes(outcomes.get(`${p.variant.bcVariantId}:${w.locationId}`) ?? 'applied')));
    for (const p of retry) await inventory.dirty.mark([p.variant.lsProductId], 'retry', { notBefore: new Date(Date.now() + options.settleMs), since: p.cause.at });
    const counts = await inventory.dirty.count();
    return {
      variants: planned.length,
      writes: changes.length,
      requests,
      more: counts.due > 0,
      nextDue: counts.waiting > 0 ? await inventory.dirty.nextDue() : null,
    };
  } catch (error) {
    // Nothing is lost: the keys this run took are marked again for the retry.
    for (const k of taken) await inventory.dirty.mark([k.lsProductId], k.cause, { since: k.since });
    throw error;
  } finally {
    await inventory.settings.releaseLease(holder);
  }
}

/** The order effects the ledger has not taken in yet: units BigCommerce took, or gave back. */
function withOrderEffects(ledger: VariantLedger, effects: readonly CommitmentRow[]): VariantLedger {
  let next = ledger;
  for (const e of effects) {
    const change = e.ledgerState === 'take-pending' ? -e.quantity : e.quantity;
    next = learnOrderEffect(next, { locationId: e.bcLocationId, change });
  }
  return next;
}

/** Per location, the ledger that matches what BigCommerce did with the write. */
function ledgerFor(result: VariantResult, outcome: (locationId: number) => Outcome): VariantLedger {
  const out: VariantLedger = { entries: new Map() };
  for (const [locationId, entry] of result.ledger.entries) {
    const o = result.writes.some((w) => w.locationId === locationId) ? outcome(locationId) : 'applied';
    const source = o === 'applied' ? result.ledger : o === 'unknown' ? result.ledgerIfUnknown : result.ledgerIfRefused;
    // No record there yet: the next write is a first one (absolute), as BigCommerce asks.
    out.entries.set(locationId, { ...(source.entries.get(locationId) ?? entry), ...(o === 'refused-no-record' ? { expected: null } : {}) });
  }
  return out;
}

type AdjustmentItem = { location_id: number; quantity: number } & ({ variant_id: number } | { product_id: number });

/**
 * Absolute writes first (a location's first record), then relative ones; each kind grouped by
 * location and sent 2,000 items a request by the client. The outcome is kept per request, so a
 * refused batch does not taint the others.
 */
/**
 * How long after the levels are computed a write may still be sent. Lightspeed's stock can move
 * while a write waits for the store's BigCommerce quota (up to a 30-second window): a write held
 * longer than this is not sent, and the variant is computed afresh once the quota allows.
 */
export const WRITE_FRESH_MS = 3_000;

async function writeAll(bc: BigCommerceClient, planned: readonly PlannedVariant[]): Promise<{ requests: number; outcomes: Map<string, Outcome>; refusals: Map<string, string> }> {
  const freshUntil = Date.now() + WRITE_FRESH_MS;
  const outcomes = new Map<string, Outcome>();
  const refusals = new Map<string, string>();
  let requests = 0;
  for (const kind of ['absolute', 'relative'] as const) {
    const byLocation = new Map<number, { key: string; item: AdjustmentItem }[]>();
    for (const p of planned) {
      for (const w of p.result.writes) {
        if (w.kind !== kind) continue;
        const identity = p.variant.trackedBy === 'product' ? { product_id: p.variant.bcProductId } : { variant_id: p.variant.bcVariantId };
        const quantity = w.kind === 'absolute' ? w.quantity : w.change;
        const list = byLocation.get(w.locationId) ?? [];
        list.push({ key: `${p.variant.bcVariantId}:${w.locationId}`, item: { location_id: w.locationId, quantity, ...identity } });
        byLocation.set(w.locationId, list);
      }
    }
    const send = async (batch: { key: string; item: AdjustmentItem }[]): Promise<void> => {
      requests++;
      try {
        if (kind === 'absolute') await bc.inventory.setAbsolute(batch.map((b) => b.item), 'Counterpart: stock from Lightspeed', { freshUntil });
        else await bc.inventory.adjustRelative(batch.map((b) => b.item), 'Counterpart: stock from Lightspeed', { freshUntil });
        for (const b of batch) outcomes.set(b.key, 'applied');
      } catch (error) {
        const answered = outcomeOf(error);
        const outcome: Outcome = answered === 'refused' && kind === 'relative' && outrunByStock(reasonOf(error)) ? 'outrun' : answered;
        // One refused item refuses the whole request: send it again in halves to find it, so the
        // others are not held back and the refused one is named with BigCommerce's reason (one
        // item of 2,000 costs about 22 requests, not 2,000). (A batch refused for a missing record
        // is not split: every item of it gets a first, absolute write on the next run where
        // BigCommerce holds nothing.)
        if ((outcome === 'refused' || outcome === 'outrun') && batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          await send(batch.slice(0, half));
          await send(batch.slice(half));
          return;
        }
        for (const b of batch) {
          outcomes.set(b.key, outcome);
          if (outcome === 'refused' || outcome === 'outrun') refusals.set(b.key, reasonOf(error));
        }
      }
    };
    for (const list of byLocation.values()) for (let i = 0; i < list.length; i += 2000) await send(list.slice(i, i + 2000));
  }
  return { requests, outcomes, refusals };
}

/**
 * A (variant, location) outrun again and again (core persistentlyOutrun) is not a race with
 * orders: it becomes a refusal, filed as a stock problem with BigCommerce's words, and is not
 * retried until a change or the sweep looks at it again.
 */
async function refuseRepeatedOutruns(inventory: InventoryRepository, planned: readonly PlannedVariant[], outcomes: Map<string, Outcome>, refusals: Map<string, string>): Promise<void> {
  const outrun = planned.flatMap((p) => p.result.writes.map((w) => ({ p, key: `${p.variant.bcVariantId}:${w.locationId}` }))).filter(({ key }) => outcomes.get(key) === 'outrun');
  if (outrun.length === 0) return;
  const earlier = await inventory.changes.recentOutcomes([...new Set(outrun.map(({ p }) => p.variant.lsProductId))], OUTRUNS_BEFORE_PROBLEM);
  for (const { key } of outrun) {
    if (!persistentlyOutrun(earlier.get(key) ?? [])) continue;
    outcomes.set(key, 'refused');
    refusals.set(key, `${refusals.get(key) ?? 'refused'} (refused ${OUTRUNS_BEFORE_PROBLEM} times in a row, so not an order that got there first)`);
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof BigCommerceApiError) return error.title ?? `answered ${error.status}`;
  return error instanceof Error ? error.message : String(error);
}

async function recordFindings(activity: ReturnType<typeof forStore>['activity'], p: PlannedVariant, mode: StockMode): Promise<void> {
  for (const f of p.result.findings) {
    if (f.kind === 'surplus') {
      await activity.record({
        kind: 'inventory.drift',
        outcome: 'warning',
        summary: `${p.variant.name} (${p.variant.sku}) had ${f.observed} at BigCommerce location #${f.locationId}; ${f.units} more than Counterpart published: set back from Lightspeed`,
        reason: 'stock at a location Counterpart manages was changed outside Lightspeed',
        entityType: 'variant',
        entityId: p.variant.lsProductId,
        details: { ...f },
      });
    }
  }
  for (const r of p.result.released) {
    // In aggregated stock BigCommerce does not say which location an online order drew on, so a
    // shipped order's units show as a shortfall there until the order check vouches for it: said
    // as such, as it is the usual cause, beside the other (a manual edit).
    await activity.record({
      kind: 'inventory.drift',
      outcome: mode === 'aggregated' ? 'info' : 'warning',
      summary:
        mode === 'aggregated'
          ? `${p.variant.name} (${p.variant.sku}) was ${r.units} short at BigCommerce location #${r.locationId}, explained by no order BigCommerce named there: counted from Lightspeed again`
          : `${p.variant.name} (${p.variant.sku}) was ${r.units} short at BigCommerce location #${r.locationId} with no order to explain it: set back from Lightspeed`,
      reason:
        mode === 'aggregated'
          ? 'every order up to the last order check is known; in aggregated stock BigCommerce does not say which location an order drew on, so an order’s units show as a shortfall until then (or the stock was edited in BigCommerce)'
          : 'every order up to the last order check is known, so the shortfall was a change outside Lightspeed',
      entityType: 'variant',
      entityId: p.variant.lsProductId,
      details: { ...r },
    });
  }
}
