/**
 * Writing BigCommerce stock without a compare-and-set (DESIGN §4). Pure.
 *
 * BigCommerce takes an order's units off its own stock the moment the order is placed, long
 * before the app hears of it, and it has no compare-and-set: an absolute write computed from a
 * read undoes any order placed between the read and the write. So the engine writes **relative
 * adjustments**, which keep every decrement BigCommerce makes, and keeps a ledger per (variant,
 * location) to know what to add or take away:
 *
 * - `expected`: what BigCommerce should hold by everything the app knows — its own writes and
 *   the orders it has learned of. After each write it is the level the app aimed at.
 * - `unexplained`: units BigCommerce lacks that nothing the app knows explains. Most likely an
 *   order whose webhook has not arrived; they are treated as committed (never re-published)
 *   until an order explains them or a sweep, once every order up to then is known, finds they
 *   were something else (a manual edit) and reverts it.
 *
 * Each run reads BigCommerce and compares with `expected` (step 1, `absorbObservations`), then
 * writes the difference between what was read and the desired level, computed with the
 * unexplained units counted as committed (step 2, `planWrites`). An order placed between the read and the write keeps its decrement, because
 * the write is relative; the next run sees it as a shortfall (explained, or held as
 * unexplained until its webhook arrives).
 *
 * BigCommerce applies adjustments asynchronously, so a read right after a write may not show
 * it. The engine therefore reads a variant again only after its last write has settled (a few
 * seconds; `settleMs` in the job): every earlier write has then landed or was lost in transit.
 * A write whose answer was lost is taken as applied. If it was not, the next read shows a
 * shortfall (held as unexplained: publishing less, never more) or a surplus (taken back);
 * nothing is ever resent blindly.
 */

export interface LedgerEntry {
  /** Null until the app has first read this (variant, location). */
  expected: number | null;
  unexplained: number;
  /**
   * When the newest of the unexplained units were first seen (ms since epoch), null when none.
   * The newest, not the oldest: an order explains some units without saying which, so what is
   * left may be the newest, and units are released only when all of them are older than the
   * order poll's mark (`releaseStaleUnexplained`). Keeping the oldest released, on a later poll,
   * units of an order placed after that poll began (found by the simulation).
   */
  unexplainedSince: number | null;
}

export interface VariantLedger {
  entries: Map<number, LedgerEntry>;
}

export const emptyEntry = (): LedgerEntry => ({ expected: null, unexplained: 0, unexplainedSince: null });

export function cloneLedger(ledger: VariantLedger): VariantLedger {
  return { entries: new Map([...ledger.entries].map(([id, e]) => [id, { ...e }])) };
}

const entryOf = (ledger: VariantLedger, locationId: number): LedgerEntry => {
  let entry = ledger.entries.get(locationId);
  if (!entry) {
    entry = emptyEntry();
    ledger.entries.set(locationId, entry);
  }
  return entry;
};

const clearUnexplained = (entry: LedgerEntry, units: number) => {
  entry.unexplained -= Math.min(entry.unexplained, units);
  if (entry.unexplained === 0) entry.unexplainedSince = null;
};

/**
 * An order's effect on BigCommerce stock that the app has just learned of: `change` units at a
 * location (negative when the order took them, positive when a cancellation or refund gave
 * them back). A decrement first accounts for units already held as unexplained there (the order
 * was the explanation); the rest lowers what the app expects.
 *
 * When the location is not known (aggregated stock: BigCommerce chooses), nothing is changed:
 * the order's shortfall is held as unexplained wherever it shows, counted twice for a while
 * (there and as the routed outlet's committed units), which publishes less, never more. Guessing
 * the location instead could let a pickup not heard of yet hide behind the known order and
 * re-publish its units. The next run after an order poll releases it (`releaseStaleUnexplained`:
 * the poll marks the variants holding such units).
 */
export function learnOrderEffect(ledger: VariantLedger, effect: { locationId: number | null; change: number }): VariantLedger {
  const next = cloneLedger(ledger);
  if (effect.change === 0 || effect.locationId === null) return next;
  const entry = entryOf(next, effect.locationId);
  let rest = -effect.change; // > 0: units taken
  if (rest > 0 && entry.unexplained > 0) {
    const n = Math.min(entry.unexplained, rest);
    clearUnexplained(entry, n);
    rest -= n;
  }
  if (entry.expected !== null) entry.expected -= rest; // a return (rest < 0) raises it
  return next;
}

export type StockWrite =
  | { locationId: number; kind: 'relative'; change: number; from: number; to: number }
  /** Only a first write where BigCommerce holds nothing: relative adjustments need a record. */
  | { locationId: number; kind: 'absolute'; quantity: number; from: number | null };

export type Finding =
  | { locationId: number; kind: 'unexplained'; units: number; observed: number; expected: number }
  | { locationId: number; kind: 'surplus'; units: number; observed: number; expected: number };

export interface Absorbed {
  ledger: VariantLedger;
  findings: Finding[];
}

/**
 * Step 1 of a run: compare what BigCommerce holds (`observed`, just read; null where it holds no
 * record; locations missing were not read) with what the app expects. A shortfall not explained
 * by orders already known becomes `unexplained`; a surplus first cancels earlier unexplained
 * units (a write of ours applied late), the rest is drift that the write will take back.
 */
export function absorbObservations(ledger: VariantLedger, observed: ReadonlyMap<number, number | null>, now: number): Absorbed {
  const next = cloneLedger(ledger);
  const findings: Finding[] = [];
  for (const [locationId, seen] of [...observed].sort(([a], [b]) => a - b)) {
    const entry = entryOf(next, locationId);
    if (seen === null || entry.expected === null) {
      if (seen !== null) entry.expected = seen;
      continue;
    }
    const gap = entry.expected - seen; // > 0: BigCommerce holds less than expected
    if (gap > 0) {
      findings.push({ locationId, kind: 'unexplained', units: gap, observed: seen, expected: entry.expected });
      entry.unexplained += gap;
      entry.unexplainedSince = now;
    } else if (gap < 0) {
      const cancelled = Math.min(entry.unexplained, -gap);
      clearUnexplained(entry, cancelled);
      if (-gap > cancelled) findings.push({ locationId, kind: 'surplus', units: -gap - cancelled, observed: seen, expected: entry.expected });
    }
    entry.expected = seen; // every known effect accounted for
  }
  return { ledger: next, findings };
}

export interface PlanResult {
  writes: StockWrite[];
  ledger: VariantLedger;
  /** The level each location is aimed at. */
  targets: Map<number, number>;
  /** Increases held back until the decreases of this run have landed (run the variant again). */
  deferred: number[];
  /** Locations whose target is below the safety stock BigCommerce keeps there: the level goes no lower than it. */
  heldBySafetyStock: SafetyHold[];
}

/**
 * BigCommerce keeps `safetyStock` units of the item at the location and refuses a relative
 * adjustment that would take the level below it ("the above request would error; stock would be
 * unchanged": inventory-adjustments guide, the safety-buffer example). The level is taken down to
 * the safety stock and no lower, so none of it is sellable there (sellable = on hand less safety
 * stock), and the merchant is told.
 */
export interface SafetyHold {
  locationId: number;
  safetyStock: number;
  /** What the location should show. */
  target: number;
  /** What it shows after this run's write: no lower than the safety stock, or where it already was if below it. */
  level: number;
}

/**
 * Step 2: the writes that take each observed location to its target (`desired`, which already
 * counts the units held as unexplained: see `reconcileVariant`). Relative, so an order placed
 * after the read keeps its decrement; absolute only for a first write where BigCommerce holds
 * nothing (nothing there for an order to have taken). Locations not observed are left alone.
 *
 * When stock moves between locations (one goes down, another up), only the decreases are sent:
 * an order may take the last units of a location between the read and the write, and BigCommerce
 * then refuses the decrease (relative adjustments and orders share one strict order, and neither
 * takes stock below zero); had the increase gone out with it, the units sold there would be
 * published again elsewhere. The increases follow in the next run, from a read that shows
 * whatever sold meanwhile.
 */
export function planWrites(
  ledger: VariantLedger,
  observed: ReadonlyMap<number, number | null>,
  desired: ReadonlyMap<number, number>,
  firstContact: ReadonlySet<number> = new Set(),
  safetyStock: ReadonlyMap<number, number> = new Map(),
): PlanResult {
  const next = cloneLedger(ledger);
  const planned: StockWrite[] = [];
  const targets = new Map<number, number>();
  const heldBySafetyStock: SafetyHold[] = [];
  for (const [locationId, want] of [...desired].sort(([a], [b]) => a - b)) {
    if (!observed.has(locationId)) continue;
    const seen = observed.get(locationId) ?? null;
    const target = Math.max(0, want);
    targets.set(locationId, target);
    // The first write to a (variant, location) that holds nothing is absolute: there is nothing
    // an order can take between the read and the write, and relative adjustments need a record
    // to exist (a read shows none as 0).
    // A zero is written too: it gives the location its record, so later changes can be relative.
    if (seen === null || (seen === 0 && firstContact.has(locationId))) planned.push({ locationId, kind: 'absolute', quantity: target, from: seen });
    else if (target !== seen) {
      // BigCommerce refuses a relative adjustment that would take the level below zero, or below
      // the safety stock it keeps there (from a level already below it, any decrease).
      const safety = safetyStock.get(locationId) ?? 0;
      const floor = Math.min(seen, Math.max(0, safety));
      const change = Math.max(target - seen, floor - seen);
      if (safety > 0 && target < floor) heldBySafetyStock.push({ locationId, safetyStock: safety, target, level: seen + change });
      if (change !== 0) planned.push({ locationId, kind: 'relative', change, from: seen, to: seen + change });
    }
  }
  const increase = (w: StockWrite) => (w.kind === 'absolute' ? w.quantity > (w.from ?? 0) : w.change > 0);
  const moving = planned.some((w) => w.kind === 'relative' && w.change < 0) && planned.some(increase);
  const writes = moving ? planned.filter((w) => !increase(w)) : planned;
  const deferred = moving ? planned.filter(increase).map((w) => w.locationId) : [];
  for (const w of writes) entryOf(next, w.locationId).expected = w.kind === 'absolute' ? w.quantity : w.to;
  return { writes, ledger: next, targets, deferred, heldBySafetyStock };
}

/**
 * The question for an unexplained shortfall, asked by every run: once every order placed up to
 * `ordersKnownUntil` is known and none explained units first seen before then, they were not an
 * order (a manual edit, most likely) and are released: the next plan writes them back.
 */
export function releaseStaleUnexplained(ledger: VariantLedger, ordersKnownUntil: number): { ledger: VariantLedger; released: { locationId: number; units: number }[] } {
  const next = cloneLedger(ledger);
  const released: { locationId: number; units: number }[] = [];
  for (const [locationId, entry] of next.entries) {
    if (entry.unexplained > 0 && entry.unexplainedSince !== null && entry.unexplainedSince < ordersKnownUntil) {
      released.push({ locationId, units: entry.unexplained });
      clearUnexplained(entry, entry.unexplained);
    }
  }
  return { ledger: next, released };
}
