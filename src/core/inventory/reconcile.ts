/**
 * One variant, one run of the engine: BigCommerce as just read, Lightspeed as last seen, the
 * in-flight ledger and the mapping in; the writes, the new ledger and the reasons out. Pure.
 */
import { desiredLevels, type DesiredLevel, type OutletStock, type StockMode } from './levels';
import { absorbObservations, cloneLedger, planWrites, releaseStaleUnexplained, type Finding, type SafetyHold, type StockWrite, type VariantLedger } from './ledger';

export interface VariantInput {
  mode: StockMode;
  defaultLocationId: number;
  outlets: readonly OutletStock[];
  unrouted: ReadonlyMap<number | null, number>;
  retiredLocationIds?: readonly number[];
  ledger: VariantLedger;
  /** BigCommerce on-hand per location as just read (null: no record there yet). */
  observed: ReadonlyMap<number, number | null>;
  /** The safety stock BigCommerce keeps per location, as just read (absent: none). */
  safetyStock?: ReadonlyMap<number, number>;
  now: number;
  /**
   * Every order placed before this instant is known (the order poll ran), so units held as
   * unexplained since before it were not an order BigCommerce named a location for (a manual
   * edit; in aggregated stock, most likely an order whose location BigCommerce does not say,
   * whose units are counted as committed): they are released and the plan counts them again.
   */
  releaseUnexplainedBefore?: number;
}

export interface VariantResult {
  writes: StockWrite[];
  /** The ledger to keep once BigCommerce has accepted the writes. */
  ledger: VariantLedger;
  /** ...when BigCommerce refused them (an answer came back: nothing was applied). */
  ledgerIfRefused: VariantLedger;
  /**
   * ...when no answer came back (a reset, a timeout): each write may or may not have been
   * applied. The ledger takes the reading that publishes less next time: an increase as applied
   * (if it was not, the next read shows a shortfall, held as unexplained), a decrease as not
   * applied (if it was, likewise). Taking a lost decrease as applied would let it hide an order
   * not heard of yet, and a lost increase as not applied likewise.
   */
  ledgerIfUnknown: VariantLedger;
  findings: Finding[];
  levels: DesiredLevel[];
  targets: Map<number, number>;
  /** Locations whose increase waits for this run's decreases to land: run the variant again after they settle. */
  deferred: number[];
  /** Units released (`releaseUnexplainedBefore`), per location. */
  released: { locationId: number; units: number }[];
  /** Locations held at BigCommerce's safety stock, above what they should show (a stock problem for the merchant). */
  heldBySafetyStock: SafetyHold[];
}

export function reconcileVariant(input: VariantInput): VariantResult {
  // Released before this read is absorbed: what this read finds missing is new, and may be an
  // order placed after the poll.
  const swept = input.releaseUnexplainedBefore === undefined ? { ledger: input.ledger, released: [] } : releaseStaleUnexplained(input.ledger, input.releaseUnexplainedBefore);
  const absorbed = absorbObservations(swept.ledger, input.observed, input.now);
  // Units BigCommerce is missing that nothing explains are treated like orders not routed yet,
  // taken from where they went missing: in default-location mode a pickup not heard of comes off
  // the storefront's total as well as the outlet's location (the outlet's units are counted in
  // both); in aggregated mode what the location cannot cover comes off the others.
  const unrouted = new Map(input.unrouted);
  for (const [locationId, entry] of absorbed.ledger.entries) {
    if (entry.unexplained > 0) unrouted.set(locationId, (unrouted.get(locationId) ?? 0) + entry.unexplained);
  }
  const levels = desiredLevels({
    mode: input.mode,
    defaultLocationId: input.defaultLocationId,
    outlets: input.outlets,
    unrouted,
    retiredLocationIds: input.retiredLocationIds ?? [],
  });
  const desired = new Map(levels.map((l) => [l.locationId, l.quantity]));
  const firstContact = new Set([...input.observed.keys()].filter((id) => (input.ledger.entries.get(id)?.expected ?? null) === null));
  const planned = planWrites(absorbed.ledger, input.observed, desired, firstContact, input.safetyStock);
  const ledgerIfUnknown = cloneLedger(planned.ledger);
  for (const write of planned.writes) {
    const entry = ledgerIfUnknown.entries.get(write.locationId);
    if (!entry) continue;
    if (write.kind === 'absolute') entry.expected = null; // the next read is its own baseline
    else if (write.change < 0) entry.expected = write.from;
  }
  return {
    writes: planned.writes,
    ledger: planned.ledger,
    ledgerIfRefused: absorbed.ledger,
    ledgerIfUnknown,
    findings: absorbed.findings,
    levels,
    targets: planned.targets,
    deferred: planned.deferred,
    released: swept.released,
    heldBySafetyStock: planned.heldBySafetyStock,
  };
}
