/**
 * What each BigCommerce location should hold for one variant (DESIGN §4). Lightspeed's on-hand
 * per outlet is the truth; a location's level is derived from the outlets mapped to it:
 *
 *   available(v, o) = max(0, on_hand − committed − reserved)
 *
 * with the field's vocabulary (Shopify's inventory states): `on_hand` is Lightspeed's count,
 * `committed` the units ordered online that Lightspeed does not reflect yet (the in-flight
 * ledger), `reserved` the walk-in reserve, `available` what the app publishes. Pure.
 */

export type StockMode = 'default-location' | 'aggregated';

/** Walk-in reserve: units kept for the store's own customers, a fixed number or a share. */
export type ReserveRule = { kind: 'units'; value: number } | { kind: 'percent'; value: number };

export interface OutletStock {
  outletId: string;
  /** The BigCommerce location the outlet is mapped to; null when unmapped (never sold online). */
  locationId: number | null;
  /** The merchant's switch: this outlet's stock is sold online. */
  publishes: boolean;
  /** Lightspeed's count (may be negative in Lightspeed after an oversell at the till). */
  onHand: number;
  /** Units of online orders routed to this outlet that `onHand` does not reflect yet. */
  committed: number;
  /** The item's own reserve, else the outlet's default, else none. */
  reserve: ReserveRule | null;
}

export interface OutletBreakdown {
  outletId: string;
  onHand: number;
  committed: number;
  reserved: number;
  available: number;
}

/**
 * Units held back for walk-ins. A percentage rounds up, so what is published rounds down: the
 * rule never makes an extra unit sellable online.
 */
export function reservedUnits(onHand: number, rule: ReserveRule | null): number {
  if (!rule || onHand <= 0) return 0;
  if (rule.kind === 'units') return Math.max(0, Math.floor(rule.value));
  return Math.min(onHand, Math.ceil((onHand * Math.max(0, Math.min(100, rule.value))) / 100));
}

/**
 * Units committed at an outlet beyond what it offers online (its on-hand less its reserve):
 * online orders it cannot fill from its own stock — a pickup at an outlet that ran short, a line
 * a till sale took first, a backorder. Policy (DESIGN §4 is silent): they are held back from the
 * rest of the online stock, as units of an order not routed yet are, so routing an order moves
 * where its units are counted, never how many; the store has promised them, and stock that comes
 * in covers them before it is sold online again.
 */
export function shortfallOf(b: OutletBreakdown): number {
  return Math.max(0, b.committed - Math.max(0, b.onHand - b.reserved));
}

export function breakdown(outlet: OutletStock): OutletBreakdown {
  const reserved = reservedUnits(outlet.onHand, outlet.reserve);
  return {
    outletId: outlet.outletId,
    onHand: outlet.onHand,
    committed: outlet.committed,
    reserved,
    available: Math.max(0, outlet.onHand - outlet.committed - reserved),
  };
}

export interface DesiredInput {
  mode: StockMode;
  /** BigCommerce's default location (id 1): the storefront's stock in default-location mode. */
  defaultLocationId: number;
  outlets: readonly OutletStock[];
  /**
   * Units of online orders not routed to an outlet yet (BigCommerce has already taken them from
   * its own stock), and units BigCommerce is missing that nothing explains yet (most likely such
   * orders not heard of). Keyed by the location they were taken from, or `null` when unknown.
   */
  unrouted: ReadonlyMap<number | null, number>;
  /** Locations the app manages for this variant that no mapped outlet feeds any more: held at 0. */
  retiredLocationIds?: readonly number[];
}

export interface DesiredLevel {
  locationId: number;
  quantity: number;
  /** The outlets that feed it and their arithmetic, for the "why is this item showing N?" view. */
  outlets: OutletBreakdown[];
  /** Units taken off for orders not yet routed to an outlet. */
  unrouted: number;
  /** Units taken off for outlets' shortfalls (`shortfallOf`): orders they cannot fill from their own stock. */
  shortfall: number;
}

/**
 * The level each managed location should hold.
 *
 * - default-location mode: the storefront sells the default location, so it carries the online
 *   total of every publishing outlet (less unrouted orders); each outlet's own location carries
 *   that outlet's available stock, for pickup (less unrouted pickups taken there). An outlet
 *   mapped to the default location itself feeds only the total.
 * - aggregated mode: the storefront sells the sum of enabled locations, so each location carries
 *   exactly its own outlets' available stock and nothing is counted twice; unrouted orders come
 *   off the location BigCommerce took them from (or, when unknown, off the largest first).
 *
 * An outlet that does not publish feeds nothing (its location, if any, holds 0). What outlets
 * cannot fill of their own commitments (`shortfallOf`) comes off the total, or (aggregated) off
 * the fullest locations, as unrouted units of unknown origin do.
 */
export function desiredLevels(input: DesiredInput): DesiredLevel[] {
  const levels = new Map<number, DesiredLevel>();
  const level = (locationId: number): DesiredLevel => {
    let entry = levels.get(locationId);
    if (!entry) {
      entry = { locationId, quantity: 0, outlets: [], unrouted: 0, shortfall: 0 };
      levels.set(locationId, entry);
    }
    return entry;
  };
  for (const id of input.retiredLocationIds ?? []) level(id);

  let onlineTotal = 0;
  let shortfall = 0;
  const totalOutlets: OutletBreakdown[] = [];
  for (const outlet of input.outlets) {
    if (outlet.locationId === null) continue;
    const b = breakdown(outlet);
    shortfall += shortfallOf(b);
    const sellable = outlet.publishes ? b.available : 0;
    const own = level(outlet.locationId);
    own.outlets.push({ ...b, available: sellable });
    if (input.mode === 'aggregated' || outlet.locationId !== input.defaultLocationId) own.quantity += sellable;
    if (input.mode === 'default-location') {
      onlineTotal += sellable;
      totalOutlets.push({ ...b, available: sellable });
    }
  }

  if (input.mode === 'default-location') {
    let unrouted = 0;
    for (const [locationId, units] of input.unrouted) {
      if (units <= 0) continue;
      unrouted += units;
      // Taken from an outlet's own location (a pickup): that location's pickup stock drops too.
      const own = locationId !== null && locationId !== input.defaultLocationId ? levels.get(locationId) : undefined;
      if (own) {
        own.unrouted += units;
        own.quantity = Math.max(0, own.quantity - units);
      }
    }
    const def = level(input.defaultLocationId);
    def.outlets = totalOutlets;
    def.unrouted = unrouted;
    def.shortfall = shortfall;
    def.quantity = Math.max(0, onlineTotal - unrouted - shortfall);
    return [...levels.values()].sort((a, b) => a.locationId - b.locationId);
  }

  // Unknown origin: take from the fullest location first, so no single location is overstated.
  const takeFromFullest = (units: number, field: 'unrouted' | 'shortfall') => {
    let rest = units;
    while (rest > 0) {
      const fullest = [...levels.values()].filter((l) => l.quantity > 0).sort((a, b) => b.quantity - a.quantity || a.locationId - b.locationId)[0];
      if (!fullest) break;
      const taken = Math.min(fullest.quantity, rest);
      fullest.quantity -= taken;
      fullest[field] += taken;
      rest -= taken;
    }
  };
  let unknown = 0;
  for (const [locationId, units] of input.unrouted) {
    if (units <= 0) continue;
    if (locationId === null || !levels.has(locationId)) {
      unknown += units;
      continue;
    }
    const entry = level(locationId);
    const taken = Math.min(entry.quantity, units);
    entry.quantity -= taken;
    entry.unrouted += units;
    unknown += units - taken; // more than the location had: take the rest from the others
  }
  takeFromFullest(unknown, 'unrouted');
  takeFromFullest(shortfall, 'shortfall');
  return [...levels.values()].sort((a, b) => a.locationId - b.locationId);
}
