/**
 * Routing an online order to the outlet(s) that fulfil it (DESIGN §5). Pure: the caller gives
 * each outlet's stock available online, today's load and its distance to the destination.
 *
 * 1. A pickup order goes to the outlet of its pickup location.
 * 2. Otherwise the candidates are outlets that fulfil online orders and have capacity left today.
 * 3. One outlet that can fill the whole order is preferred: the nearest to the shipping address
 *    (by distance; where it cannot be measured, same region, then same country), then the
 *    merchant's rank.
 * 4. Else the order is split across the fewest outlets (ties: nearer, then better ranked).
 * 5. What no candidate can fill goes to the merchant's backorder outlet, and the order is flagged.
 *
 * Every decision carries its reasons, one line per outlet considered.
 */

export interface RoutingOutlet {
  outletId: string;
  name: string;
  locationId: number | null;
  fulfils: boolean;
  /** Lower is preferred. */
  rank: number;
  /** Online orders a day it takes; null: no limit. */
  capacity: number | null;
  ordersToday: number;
  /** Units available for online orders per Lightspeed product. */
  available: ReadonlyMap<string, number>;
  /** Kilometres to the shipping destination; null when either end has no coordinates. */
  distanceKm: number | null;
  sameRegion: boolean;
  sameCountry: boolean;
}

export interface RoutingLine {
  lineId: number;
  lsProductId: string;
  quantity: number;
}

export interface RoutingInput {
  lines: readonly RoutingLine[];
  pickupLocationId: number | null;
  outlets: readonly RoutingOutlet[];
  backorderOutletId: string | null;
}

export interface Allocation {
  outletId: string;
  lines: { lineId: number; lsProductId: string; quantity: number }[];
  /** True for the backorder outlet's share: units nobody had. */
  backorder: boolean;
}

export type RoutingKind = 'pickup' | 'single' | 'split' | 'backorder' | 'unroutable';

export interface RoutingDecision {
  kind: RoutingKind;
  allocations: Allocation[];
  /** Needs the merchant's eye: a backorder, a short pickup, or nowhere to send it. */
  flagged: boolean;
  summary: string;
  /** One line per outlet considered, in the order they were preferred. */
  reasons: string[];
}

const units = (lines: readonly RoutingLine[]) => lines.reduce((s, l) => s + l.quantity, 0);

/** How many of the order's units the outlet can fill. */
function fillable(outlet: RoutingOutlet, lines: readonly RoutingLine[]): number {
  const left = new Map(outlet.available);
  let n = 0;
  for (const l of lines) {
    const have = Math.max(0, left.get(l.lsProductId) ?? 0);
    const take = Math.min(have, l.quantity);
    left.set(l.lsProductId, have - take);
    n += take;
  }
  return n;
}

/** Nearer first: measured distance, then same region, then same country, then the rest. */
function proximity(o: RoutingOutlet): [number, number] {
  if (o.distanceKm !== null) return [0, o.distanceKm];
  if (o.sameRegion) return [1, 0];
  if (o.sameCountry) return [2, 0];
  return [3, 0];
}

export function compareOutlets(a: RoutingOutlet, b: RoutingOutlet): number {
  const [ta, da] = proximity(a);
  const [tb, db] = proximity(b);
  return ta - tb || da - db || a.rank - b.rank || a.outletId.localeCompare(b.outletId);
}

function where(o: RoutingOutlet): string {
  if (o.distanceKm !== null) return `${o.distanceKm < 10 ? o.distanceKm.toFixed(1) : Math.round(o.distanceKm)} km`;
  if (o.sameRegion) return 'same region';
  if (o.sameCountry) return 'same country';
  return 'distance unknown';
}

function load(o: RoutingOutlet): string {
  return o.capacity === null ? `${o.ordersToday} today` : `${o.ordersToday} of ${o.capacity} today`;
}

function reasonFor(o: RoutingOutlet, lines: readonly RoutingLine[]): string {
  if (!o.fulfils) return `${o.name}: does not fulfil online orders`;
  if (o.capacity !== null && o.ordersToday >= o.capacity) return `${o.name}: at capacity (${load(o)})`;
  return `${o.name}: ${fillable(o, lines)} of ${units(lines)} in stock, ${where(o)}, ${load(o)}`;
}

/** Takes as much of each line from the outlet as it holds; returns the outlet's share and what is left. */
function take(outlet: RoutingOutlet, lines: readonly RoutingLine[]): { share: Allocation; rest: RoutingLine[] } {
  const left = new Map(outlet.available);
  const share: Allocation = { outletId: outlet.outletId, lines: [], backorder: false };
  const rest: RoutingLine[] = [];
  for (const l of lines) {
    const have = Math.max(0, left.get(l.lsProductId) ?? 0);
    const n = Math.min(have, l.quantity);
    left.set(l.lsProductId, have - n);
    if (n > 0) share.lines.push({ lineId: l.lineId, lsProductId: l.lsProductId, quantity: n });
    if (l.quantity - n > 0) rest.push({ ...l, quantity: l.quantity - n });
  }
  return { share, rest };
}

/** Fills the lines from the outlets in this order; returns the shares and what nobody had. */
function fillInOrder(order: readonly RoutingOutlet[], lines: readonly RoutingLine[]): { shares: Allocation[]; rest: RoutingLine[] } {
  let rest = [...lines];
  const shares: Allocation[] = [];
  for (const o of order) {
    if (rest.length === 0) break;
    const { share, rest: next } = take(o, rest);
    if (share.lines.length > 0) shares.push(share);
    rest = next;
  }
  return { shares, rest };
}

/**
 * The fewest outlets that together fill the lines: an exact search over combinations for up to
 * 12 candidates (ties: nearer, then better ranked, in `compareOutlets` order), greedy beyond.
 */
function fewestOutlets(candidates: readonly RoutingOutlet[], lines: readonly RoutingLine[]): RoutingOutlet[] | null {
  const sorted = [...candidates].sort(compareOutlets);
  const total = units(lines);
  if (sorted.length <= 12) {
    for (let size = 2; size <= sorted.length; size++) {
      let found: RoutingOutlet[] | null = null;
      const pickCombos = (start: number, chosen: RoutingOutlet[]): void => {
        if (found) return;
        if (chosen.length === size) {
          if (fillInOrder(chosen, lines).rest.length === 0) found = [...chosen];
          return;
        }
        for (let i = start; i < sorted.length; i++) {
          chosen.push(sorted[i]!);
          pickCombos(i + 1, chosen);
          chosen.pop();
        }
      };
      pickCombos(0, []);
      if (found) return found;
    }
    return null;
  }
  const chosen: RoutingOutlet[] = [];
  let rest = [...lines];
  while (rest.length > 0) {
    const best = sorted.filter((o) => !chosen.includes(o)).map((o) => ({ o, n: fillable(o, rest) })).filter((x) => x.n > 0).sort((a, b) => b.n - a.n || compareOutlets(a.o, b.o))[0];
    if (!best) return null;
    chosen.push(best.o);
    rest = take(best.o, rest).rest;
  }
  return units(lines) === total ? chosen : null;
}

export function routeOrder(input: RoutingInput): RoutingDecision {
  const lines = input.lines.filter((l) => l.quantity > 0);
  const byPreference = [...input.outlets].sort(compareOutlets);
  const reasons = byPreference.map((o) => reasonFor(o, lines));

  if (input.pickupLocationId !== null) {
    const atLocation = byPreference.filter((o) => o.locationId === input.pickupLocationId).sort((a, b) => fillable(b, lines) - fillable(a, lines) || a.rank - b.rank);
    const outlet = atLocation[0];
    if (!outlet) {
      return { kind: 'unroutable', allocations: [], flagged: true, summary: `No outlet is mapped to pickup location #${input.pickupLocationId}: map one on the Locations page`, reasons };
    }
    const short = units(lines) - fillable(outlet, lines);
    return {
      kind: 'pickup',
      allocations: [{ outletId: outlet.outletId, lines: lines.map((l) => ({ lineId: l.lineId, lsProductId: l.lsProductId, quantity: l.quantity })), backorder: false }],
      flagged: short > 0,
      summary: short > 0 ? `Pickup at ${outlet.name}, which is ${short} unit(s) short` : `Pickup at ${outlet.name}`,
      reasons: [reasonFor(outlet, lines), ...reasons.filter((r) => !r.startsWith(`${outlet.name}:`))],
    };
  }

  const candidates = byPreference.filter((o) => o.fulfils && (o.capacity === null || o.ordersToday < o.capacity));
  const whole = candidates.find((o) => fillable(o, lines) === units(lines));
  if (whole) {
    return {
      kind: 'single',
      allocations: [{ outletId: whole.outletId, lines: lines.map((l) => ({ ...l })), backorder: false }],
      flagged: false,
      summary: `${whole.name} fills the whole order (${where(whole)})`,
      reasons,
    };
  }
  const split = fewestOutlets(candidates, lines);
  if (split) {
    const { shares } = fillInOrder(split, lines);
    return { kind: 'split', allocations: shares, flagged: false, summary: `Split across ${split.map((o) => o.name).join(' and ')}: no single outlet has everything`, reasons };
  }
  // Nobody can fill it all: what is in stock is taken from the preferred outlets first; the rest
  // goes to the backorder outlet to order in.
  const { shares, rest } = fillInOrder(candidates, lines);
  const backorder = input.outlets.find((o) => o.outletId === input.backorderOutletId);
  if (backorder) {
    shares.push({ outletId: backorder.outletId, lines: rest.map((l) => ({ lineId: l.lineId, lsProductId: l.lsProductId, quantity: l.quantity })), backorder: true });
    return { kind: 'backorder', allocations: shares, flagged: true, summary: `${units(rest)} unit(s) in stock nowhere: sent to ${backorder.name} to order in`, reasons };
  }
  return {
    kind: 'unroutable',
    allocations: shares,
    flagged: true,
    summary: `${units(rest)} unit(s) in stock nowhere and no backorder outlet is set: choose one in the routing settings`,
    reasons,
  };
}
