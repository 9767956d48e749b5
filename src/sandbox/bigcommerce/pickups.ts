/**
 * Buy online, pick up in store: pickup methods (a way to collect at one location), the pickup
 * options a basket has (methods whose location holds every item), and pickups of an order's
 * items. Sources: pickup_methods.v3.yml, pickup_options.v3.yml, pickup.v3.yml and the BOPIS
 * guide ("The API lets you make the methods available at certain locations").
 */
import { stockVariantId } from './inventory';
import { HttpError } from './responses';
import type { Runtime } from './runtime';
import { findProduct, findVariant, iso, nextId } from './store-state';
import { sellableUnits } from './stock-policy';
import type { Location, Pickup, PickupMethod, StoreState } from './types';

export function pickupMethodsOf(store: StoreState): PickupMethod[] {
  store.pickupMethods ??= [];
  return store.pickupMethods;
}

export function pickupsOf(store: StoreState): Pickup[] {
  store.pickups ??= [];
  return store.pickups;
}

export function findPickupMethod(store: StoreState, id: number): PickupMethod | undefined {
  return pickupMethodsOf(store).find((m) => m.id === id);
}

/**
 * A location can carry pickup methods only while enabled: "the enabled flag also controls whether
 * a location can be used to create orders and pickup methods" (inventory-locations guide).
 */
export function requireUsableLocation(store: StoreState, locationId: number): Location {
  const location = store.locations.find((l) => l.id === locationId);
  if (!location) throw new HttpError(422, `Location with id ${locationId} does not exist`, { location_id: 'unknown location' });
  if (!location.enabled) throw new HttpError(422, `Location with id ${locationId} is disabled`, { location_id: 'disabled location' });
  return location;
}

export interface PickupMethodFields {
  location_id: number;
  display_name?: string;
  collection_instructions?: string;
  collection_time_description?: string;
}

export function createPickupMethod(rt: Runtime, store: StoreState, fields: PickupMethodFields): PickupMethod {
  const location = requireUsableLocation(store, fields.location_id);
  const stamp = iso(rt.config.now());
  const method: PickupMethod = {
    id: nextId(store, 'pickupMethod'),
    location_id: location.id,
    display_name: fields.display_name ?? `Pickup at ${location.label}`,
    collection_instructions: fields.collection_instructions ?? '',
    collection_time_description: fields.collection_time_description ?? '',
    date_created: stamp,
    date_modified: stamp,
  };
  pickupMethodsOf(store).push(method);
  rt.changed();
  return method;
}

/**
 * The sandbox shorthand "pick up at location N" (control API, older tests): the location's first
 * pickup method, created when the location has none, since a pickup order always names a method.
 */
export function pickupMethodForLocation(rt: Runtime, store: StoreState, locationId: number): PickupMethod {
  return pickupMethodsOf(store).find((m) => m.location_id === locationId) ?? createPickupMethod(rt, store, { location_id: locationId });
}

/** Great-circle distance in km between two coordinates. */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export interface PickupSearch {
  coordinates?: { latitude: number; longitude: number };
  radiusKm: number;
  items: { variant_id: number; quantity: number }[];
  /** The storefront also hides locations with `storefront_visibility: false` (inventory-locations guide). */
  storefront?: boolean;
}

export interface PickupOption {
  method: PickupMethod;
  location: Location;
  distance_km: number | null;
  /** Units of each requested variant the location can sell for pickup (null: not tracked). */
  available: { variant_id: number; quantity: number | null }[];
}

/** Units of a variant a location can sell for pickup; null when its product tracks no stock. */
export function pickupAvailability(store: StoreState, variantId: number, locationId: number): number | null {
  const variant = findVariant(store, variantId);
  const product = variant ? findProduct(store, variant.product_id) : undefined;
  if (!variant || !product) return 0;
  const carrier = stockVariantId(product, variant.id);
  return carrier === null ? null : sellableUnits(store, carrier, locationId);
}

/**
 * Up to 10 methods within the radius, nearest first, whose location can sell every requested item
 * in full: "The pickup options returned only include options where all requested items are
 * available and can be picked up from a single location" (pickup_options.v3.yml).
 */
export function findPickupOptions(store: StoreState, search: PickupSearch): PickupOption[] {
  const options: PickupOption[] = [];
  for (const method of pickupMethodsOf(store)) {
    const location = store.locations.find((l) => l.id === method.location_id);
    if (!location?.enabled || (search.storefront && !location.storefront_visibility)) continue;
    const distance = search.coordinates && location.address ? distanceKm(search.coordinates, location.address.geo_coordinates) : null;
    if (search.coordinates && (distance === null || distance > search.radiusKm)) continue;
    const available = search.items.map((item) => ({ variant_id: item.variant_id, quantity: pickupAvailability(store, item.variant_id, location.id) }));
    const allThere = search.items.every((item, i) => {
      const units = available[i]!.quantity;
      return units === null || units >= item.quantity;
    });
    if (allThere) options.push({ method, location, distance_km: distance, available });
  }
  return options.sort((a, b) => (a.distance_km ?? 0) - (b.distance_km ?? 0) || a.method.id - b.method.id).slice(0, 10);
}
