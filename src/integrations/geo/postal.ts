/**
 * Where a postal code is, from an offline dataset (the `zipcodes` package: US ZIP codes and
 * Canadian forward sortation areas), and distances between points (`geolib`). No network call:
 * routing an order never waits on a geocoder.
 */
import { getDistance } from 'geolib';
import zipcodes from 'zipcodes';

export interface Place {
  latitude: number;
  longitude: number;
  /** State or province, as the dataset names it (e.g. `NY`, `Ontario`). */
  region: string;
  /** `US` or `CA`. */
  country: string;
}

const CANADA = /^[A-Z]\d[A-Z]/;

/** The place of a postal code, or null when the dataset does not know it (another country, a typo). */
export function locatePostalCode(postcode: string | null | undefined, country?: string | null): Place | null {
  if (!postcode) return null;
  const code = postcode.trim().toUpperCase();
  const iso = country?.trim().toUpperCase().slice(0, 2) ?? null;
  if (iso && iso !== 'US' && iso !== 'CA') return null;
  // Canadian codes are known by their first three characters (the forward sortation area).
  const key = CANADA.test(code) ? code.slice(0, 3) : code.replace(/[^0-9]/g, '').slice(0, 5);
  const hit = key ? zipcodes.lookup(key) : undefined;
  if (!hit || typeof hit.latitude !== 'number' || typeof hit.longitude !== 'number') return null;
  return { latitude: hit.latitude, longitude: hit.longitude, region: hit.state, country: hit.country === 'Canada' ? 'CA' : 'US' };
}

export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  return getDistance(a, b) / 1000;
}

/** Region names as outlets and orders give them (`NY`, `New York`, `ON`, `Ontario`) compared loosely. */
export function sameRegion(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const norm = (s: string) => s.trim().toLowerCase();
  if (norm(a) === norm(b)) return true;
  const abbr = (s: string) => zipcodes.states?.normalize?.(s) ?? s;
  return norm(abbr(a)) === norm(abbr(b));
}
