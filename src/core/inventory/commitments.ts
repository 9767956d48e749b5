/**
 * The in-flight ledger, read side: units of BigCommerce orders that Lightspeed's on-hand does
 * not reflect yet (`committed`). A line is open from the moment the app learns of the order
 * until a read of Lightspeed's inventory taken after the sale moved the stock; only then does
 * on-hand carry it, and counting it in both places would publish too little. Pure.
 */

export interface Commitment {
  /** Lightspeed product (the variant) the units are of. */
  lsProductId: string;
  quantity: number;
  /** The outlet the order was routed to; null until routed. */
  outletId: string | null;
  /** Where BigCommerce took the units from, when known (pickup location, default location). */
  bcLocationId: number | null;
}

const key = (lsProductId: string, outletId: string) => `${lsProductId}\u0000${outletId}`;

/** Committed units per (variant, outlet) for routed lines. */
export function committedByOutlet(lines: readonly Commitment[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) {
    if (l.outletId === null || l.quantity <= 0) continue;
    const k = key(l.lsProductId, l.outletId);
    out.set(k, (out.get(k) ?? 0) + l.quantity);
  }
  return out;
}

export function committedAt(byOutlet: ReadonlyMap<string, number>, lsProductId: string, outletId: string): number {
  return byOutlet.get(key(lsProductId, outletId)) ?? 0;
}

/** Units of one variant not routed yet, by the location BigCommerce took them from (null: unknown). */
export function unroutedByLocation(lines: readonly Commitment[], lsProductId: string): Map<number | null, number> {
  const out = new Map<number | null, number>();
  for (const l of lines) {
    if (l.lsProductId !== lsProductId || l.outletId !== null || l.quantity <= 0) continue;
    out.set(l.bcLocationId, (out.get(l.bcLocationId) ?? 0) + l.quantity);
  }
  return out;
}

/**
 * Where BigCommerce takes an order's units from, as far as the app can tell (DESIGN §4): a
 * pickup consignment takes them from its pickup location; in default-location mode a shipped
 * order takes them from the default location; in aggregated mode BigCommerce chooses, and the
 * ledger explains the shortfall wherever it shows.
 */
export function decrementLocation(order: { pickupLocationId: number | null }, mode: 'default-location' | 'aggregated', defaultLocationId: number): number | null {
  if (order.pickupLocationId !== null) return order.pickupLocationId;
  return mode === 'default-location' ? defaultLocationId : null;
}
