/**
 * Lightspeed outlets ↔ BigCommerce locations: the location the app creates for an outlet, the
 * plan's location limit, and what the Locations page warns about. Pure.
 */

export interface OutletFacts {
  lsOutletId: string;
  name: string;
  address: { street1: string | null; street2: string | null; city: string | null; state: string | null; postcode: string | null; countryCode: string | null } | null;
  bcLocationId: number | null;
  publishes: boolean;
  retired: boolean;
  latitude: number | null;
  longitude: number | null;
}

export interface LocationFacts {
  id: number;
  code: string;
  label: string;
  enabled: boolean;
  managedByExternalSource: boolean;
}

/**
 * A location code derived from the outlet: stable (the outlet id, not its name, which the
 * merchant may change) and unique per outlet, in BigCommerce's code format.
 */
export function locationCodeFor(lsOutletId: string): string {
  return `LS-${lsOutletId.replace(/[^A-Za-z0-9]/g, '').slice(0, 24).toUpperCase()}`;
}

export interface LocationDraft {
  code: string;
  label: string;
  description: string;
  managed_by_external_source: true;
  type_id: 'PHYSICAL';
  enabled: true;
  storefront_visibility: true;
  time_zone: string;
  address: {
    address1: string;
    address2?: string;
    city: string;
    state: string;
    zip: string;
    email: string;
    geo_coordinates: { latitude: number; longitude: number };
    country_code: string;
  };
}

export class LocationDraftError extends Error {}

/**
 * The BigCommerce location the app creates for an outlet (locations.v3.yml: a PHYSICAL location
 * needs a full address and coordinates). Lightspeed outlets carry no coordinates, so the merchant
 * gives them (they also drive order routing by distance); a missing part of the address is named.
 */
export function locationDraftFor(outlet: OutletFacts, options: { latitude: number; longitude: number; email: string; timeZone?: string | null }): LocationDraft {
  const a = outlet.address;
  const missing = [!a?.street1 && 'street', !a?.city && 'city', !a?.postcode && 'postcode', !a?.countryCode && 'country'].filter(Boolean);
  if (missing.length > 0) throw new LocationDraftError(`${outlet.name} has no ${missing.join(', ')} in Lightspeed; BigCommerce needs a full address for a physical location. Add it to the outlet in Lightspeed, then try again.`);
  if (!(Math.abs(options.latitude) <= 90 && Math.abs(options.longitude) <= 180)) throw new LocationDraftError('Coordinates must be a latitude between -90 and 90 and a longitude between -180 and 180.');
  return {
    code: locationCodeFor(outlet.lsOutletId),
    label: outlet.name.slice(0, 255),
    description: `Stock of the Lightspeed outlet ${outlet.name}, kept by Counterpart`,
    managed_by_external_source: true,
    type_id: 'PHYSICAL',
    enabled: true,
    storefront_visibility: true,
    time_zone: options.timeZone ?? 'Etc/UTC',
    address: {
      address1: a!.street1!,
      ...(a!.street2 ? { address2: a!.street2 } : {}),
      city: a!.city!,
      state: a!.state ?? '',
      zip: a!.postcode!,
      email: options.email,
      geo_coordinates: { latitude: options.latitude, longitude: options.longitude },
      country_code: a!.countryCode!.toUpperCase().slice(0, 2),
    },
  };
}

/** Active locations each plan allows (inventory-locations guide: Standard 4, Plus 5, Pro 8, Enterprise 100). */
export const LOCATION_LIMITS: Record<string, number> = { Standard: 4, Plus: 5, Pro: 8, Enterprise: 100 };

export function locationLimit(plan: string | null): { limit: number | null; plan: string | null } {
  if (!plan) return { limit: null, plan };
  const key = Object.keys(LOCATION_LIMITS).find((p) => plan.toLowerCase().includes(p.toLowerCase()));
  return { limit: key ? LOCATION_LIMITS[key]! : null, plan };
}

export type MappingWarning =
  | { kind: 'unmapped'; lsOutletId: string; message: string }
  | { kind: 'location-disabled'; lsOutletId: string; locationId: number; message: string }
  | { kind: 'location-missing'; lsOutletId: string; locationId: number; message: string }
  | { kind: 'not-managed'; lsOutletId: string; locationId: number; message: string }
  | { kind: 'limit-reached'; message: string }
  | { kind: 'nothing-mapped'; message: string };

/** Everything on the mapping a merchant should know about, in their words. */
export function mappingWarnings(outlets: readonly OutletFacts[], locations: readonly LocationFacts[], plan: string | null): MappingWarning[] {
  const warnings: MappingWarning[] = [];
  const live = outlets.filter((o) => !o.retired);
  if (live.length > 0 && live.every((o) => o.bcLocationId === null)) {
    warnings.push({ kind: 'nothing-mapped', message: 'No outlet is mapped to a BigCommerce location yet, so Counterpart publishes no stock. Map at least one outlet below.' });
  }
  for (const o of live) {
    if (o.bcLocationId === null) {
      warnings.push({ kind: 'unmapped', lsOutletId: o.lsOutletId, message: `${o.name} is not mapped: its stock is not sold online and it takes no online orders.` });
      continue;
    }
    const location = locations.find((l) => l.id === o.bcLocationId);
    if (!location) warnings.push({ kind: 'location-missing', lsOutletId: o.lsOutletId, locationId: o.bcLocationId, message: `${o.name} is mapped to BigCommerce location #${o.bcLocationId}, which no longer exists: map it again.` });
    else if (!location.enabled) warnings.push({ kind: 'location-disabled', lsOutletId: o.lsOutletId, locationId: location.id, message: `${location.label} is disabled in BigCommerce: its stock does not count online and cannot be updated. Enable it in BigCommerce (Settings › Locations).` });
    else if (!location.managedByExternalSource && location.id !== 1) warnings.push({ kind: 'not-managed', lsOutletId: o.lsOutletId, locationId: location.id, message: `${location.label} can still be edited by hand in BigCommerce; Counterpart sets any such edit back from Lightspeed.` });
  }
  const { limit } = locationLimit(plan);
  if (limit !== null && locations.filter((l) => l.enabled).length >= limit) {
    warnings.push({ kind: 'limit-reached', message: `Your BigCommerce ${plan} plan allows ${limit} active locations and all are in use (the default location counts). Map outlets to existing locations, disable one you do not need, or upgrade the plan to add more.` });
  }
  return warnings;
}
