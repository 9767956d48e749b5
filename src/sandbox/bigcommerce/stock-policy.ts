/**
 * Which locations sell an order's stock: a pluggable policy, picked by the store's stock mode.
 *
 * What BigCommerce documents (inventory-locations guide): by default the storefront sees only the
 * default location's stock; by support request a store uses aggregated stock, "stock from all
 * locations is summed up", and a disabled location's stock does not count. What it does not
 * document is which location an aggregated order then takes its units from. The sandbox names
 * that choice as a policy object (`aggregated`: enabled locations in id order, the default
 * location first), so a test can swap it and the engine built on the sandbox cannot quietly rely
 * on one reading. A pickup order sells its pickup location's stock in either mode: pickup options
 * are "options where all requested items are available and can be picked up from a single
 * location" (pickup_options.v3.yml).
 */
import { sellableAt } from './inventory';
import { DEFAULT_LOCATION_ID } from './store-state';
import type { StockDecrement, StockMode, StoreState } from './types';

export interface StockPolicy {
  readonly name: StockMode;
  /** The locations a shipping order sells from, in the order they give stock. */
  shippingSources(store: StoreState): number[];
}

export const defaultLocationPolicy: StockPolicy = {
  name: 'default-location',
  shippingSources: () => [DEFAULT_LOCATION_ID],
};

export const aggregatedPolicy: StockPolicy = {
  name: 'aggregated',
  shippingSources: (store) =>
    store.locations
      .filter((l) => l.enabled)
      .map((l) => l.id)
      .sort((a, b) => (a === DEFAULT_LOCATION_ID ? -1 : b === DEFAULT_LOCATION_ID ? 1 : a - b)),
};

export const STOCK_POLICIES: Record<StockMode, StockPolicy> = { 'default-location': defaultLocationPolicy, aggregated: aggregatedPolicy };

export function stockPolicy(store: StoreState): StockPolicy {
  return STOCK_POLICIES[store.stockMode] ?? defaultLocationPolicy;
}

/** Units already promised to earlier lines of the same order, by `variant:location`. */
export type Taken = Map<string, number>;

const key = (variantId: number, locationId: number) => `${variantId}:${locationId}`;

function sources(store: StoreState, pickupLocationId: number | null): number[] {
  return pickupLocationId !== null ? [pickupLocationId] : stockPolicy(store).shippingSources(store);
}

/** What the storefront can still sell of one stock item, for shipping or for pickup at one location. */
export function sellableUnits(store: StoreState, variantId: number, pickupLocationId: number | null, taken: Taken = new Map()): number {
  return sources(store, pickupLocationId).reduce((sum, id) => sum + Math.max(0, sellableAt(store, variantId, id) - (taken.get(key(variantId, id)) ?? 0)), 0);
}

/**
 * Takes `quantity` units from the policy's locations in order. `short` is what they could not
 * give; the caller decides whether that refuses the order or oversells the first source.
 */
export function allocate(store: StoreState, variantId: number, quantity: number, pickupLocationId: number | null, taken: Taken): { decrements: StockDecrement[]; short: number } {
  const decrements: StockDecrement[] = [];
  let remaining = quantity;
  for (const locationId of sources(store, pickupLocationId)) {
    if (remaining === 0) break;
    const free = Math.max(0, sellableAt(store, variantId, locationId) - (taken.get(key(variantId, locationId)) ?? 0));
    const units = Math.min(remaining, free);
    if (units === 0) continue;
    decrements.push({ variant_id: variantId, location_id: locationId, quantity: units });
    taken.set(key(variantId, locationId), (taken.get(key(variantId, locationId)) ?? 0) + units);
    remaining -= units;
  }
  return { decrements, short: remaining };
}

/** Where an oversold remainder lands: the first source (the pickup location, or the default location). */
export function oversellLocation(store: StoreState, pickupLocationId: number | null): number {
  return sources(store, pickupLocationId)[0] ?? DEFAULT_LOCATION_ID;
}
