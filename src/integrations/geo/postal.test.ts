import { describe, expect, it } from 'vitest';
import { distanceKm, locatePostalCode, sameRegion } from './postal';

describe('postal codes, offline', () => {
  it('places US ZIP codes (also ZIP+4) and Canadian postal codes by their first three characters', () => {
    expect(locatePostalCode('10001')).toMatchObject({ region: 'NY', country: 'US' });
    expect(locatePostalCode('10001-1234', 'US')).toMatchObject({ region: 'NY', country: 'US' });
    expect(locatePostalCode('m5v 3l9', 'CA')).toMatchObject({ region: 'Ontario', country: 'CA' });
  });

  it('knows nothing of other countries or unknown codes', () => {
    expect(locatePostalCode('75001', 'FR')).toBeNull();
    expect(locatePostalCode('00000')).toBeNull();
    expect(locatePostalCode('')).toBeNull();
  });

  it('measures kilometres between two places', () => {
    const manhattan = locatePostalCode('10001')!;
    const brooklyn = locatePostalCode('11201')!;
    const toronto = locatePostalCode('M5V')!;
    expect(distanceKm(manhattan, brooklyn)).toBeGreaterThan(2);
    expect(distanceKm(manhattan, brooklyn)).toBeLessThan(10);
    expect(distanceKm(manhattan, toronto)).toBeGreaterThan(500);
  });

  it('compares regions given as a code or a name', () => {
    expect(sameRegion('NY', 'ny')).toBe(true);
    expect(sameRegion('NY', 'New York')).toBe(true);
    expect(sameRegion('NY', 'NJ')).toBe(false);
    expect(sameRegion(null, 'NY')).toBe(false);
  });
});
