/**
 * From the stored facts (the merchant's outlet choices, Lightspeed's on-hand, the in-flight
 * ledger, reserves) to the engine's input for one variant. Pure.
 */
import { committedAt, committedByOutlet, unroutedByLocation, type Commitment } from './commitments';
import type { OutletStock, ReserveRule, StockMode } from './levels';

export interface OutletSettings {
  lsOutletId: string;
  bcLocationId: number | null;
  publishes: boolean;
  retired: boolean;
  /** The outlet's default walk-in reserve. */
  reserve: ReserveRule | null;
}

export interface ItemReserveRule {
  /** null: every outlet. */
  lsOutletId: string | null;
  rule: ReserveRule;
}

/** The reserve that applies: the item's for this outlet, else the item's for every outlet, else the outlet's default. */
export function reserveFor(outlet: OutletSettings, itemRules: readonly ItemReserveRule[]): ReserveRule | null {
  return itemRules.find((r) => r.lsOutletId === outlet.lsOutletId)?.rule ?? itemRules.find((r) => r.lsOutletId === null)?.rule ?? outlet.reserve;
}

export interface VariantFacts {
  lsProductId: string;
  outlets: readonly OutletSettings[];
  /** Lightspeed on-hand per outlet id (missing: 0). */
  onHand: ReadonlyMap<string, number>;
  commitments: readonly Commitment[];
  itemReserves: readonly ItemReserveRule[];
}

export function outletStocks(facts: VariantFacts): OutletStock[] {
  const byOutlet = committedByOutlet(facts.commitments);
  return facts.outlets
    .filter((o) => !o.retired)
    .map((o) => ({
      outletId: o.lsOutletId,
      locationId: o.bcLocationId,
      publishes: o.publishes,
      onHand: facts.onHand.get(o.lsOutletId) ?? 0,
      committed: committedAt(byOutlet, facts.lsProductId, o.lsOutletId),
      reserve: reserveFor(o, facts.itemReserves),
    }));
}

export function unroutedFor(facts: Pick<VariantFacts, 'lsProductId' | 'commitments'>): Map<number | null, number> {
  return unroutedByLocation(facts.commitments, facts.lsProductId);
}

/**
 * The BigCommerce locations the engine writes for the store: those a live outlet is mapped to,
 * the default location in default-location mode (it carries the storefront's total), and any it
 * wrote before that no outlet feeds now (held at 0 so nothing stale stays on sale).
 */
export function managedLocations(mode: StockMode, defaultLocationId: number, outlets: readonly OutletSettings[], previouslyWritten: readonly number[]): { current: number[]; retired: number[] } {
  const current = new Set<number>();
  for (const o of outlets) if (!o.retired && o.bcLocationId !== null) current.add(o.bcLocationId);
  if (mode === 'default-location' && current.size > 0) current.add(defaultLocationId);
  const retired = previouslyWritten.filter((id) => !current.has(id));
  return { current: [...current].sort((a, b) => a - b), retired };
}

/** Nothing is published until at least one live outlet is mapped (the merchant has not set up yet). */
export function readyToPublish(outlets: readonly OutletSettings[]): boolean {
  return outlets.some((o) => !o.retired && o.bcLocationId !== null);
}
