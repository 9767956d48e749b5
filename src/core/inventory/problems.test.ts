import { describe, expect, it } from 'vitest';
import { explainRefusal, explainSafetyHold, oneClickFixOf, OUTRUNS_BEFORE_PROBLEM, outrunByStock, persistentlyOutrun } from './problems';

const tee = { name: 'Tee', sku: 'TEE', trackedBy: 'variant' as const };

describe('why BigCommerce refused a stock level', () => {
  it('names the tracking mix-ups with a one-click fix', () => {
    expect(explainRefusal('Item with variant_id 106 is tracked by product, please update stock by product id', tee, 'Downtown')).toMatchObject({ kind: 'tracking-product', oneClick: 'track-per-variant', fix: expect.stringMatching(/per variant/) });
    expect(explainRefusal('Item with product_id 7 is tracked by variant', { ...tee, trackedBy: 'product' }, 'Downtown')).toMatchObject({ kind: 'tracking-product', oneClick: 'track-per-product' });
    expect(explainRefusal('Inventory for product 7 is not tracked', tee, 'Downtown')).toMatchObject({ kind: 'tracking-none', oneClick: 'track-per-variant' });
  });

  it('names a disabled or missing location, and otherwise says what BigCommerce said', () => {
    expect(explainRefusal('Location with id 3 is disabled (items.0)', tee, 'Uptown')).toMatchObject({ kind: 'location-disabled', oneClick: null, message: expect.stringContaining('Uptown is disabled') });
    expect(explainRefusal('Location with id 9 does not exist (items.0)', tee, 'Location #9')).toMatchObject({ kind: 'location-missing' });
    expect(explainRefusal('Quantity must be between 0 and 2147483647', tee, 'Uptown')).toMatchObject({ kind: 'refused', message: expect.stringContaining('Quantity must be between') });
  });

  it('tells a decrease an order got to first (a race, worked out again) from a refusal the merchant can fix', () => {
    expect(outrunByStock('[Item with variant_id 106 would drop below safety stock at location 3]')).toBe(true);
    expect(outrunByStock('Inventory level cannot be negative')).toBe(true);
    expect(outrunByStock('Insufficient stock for item 7')).toBe(true);
    expect(outrunByStock('Item with variant_id 106 is tracked by product, please update stock by product id')).toBe(false);
    expect(outrunByStock('Location with id 3 is disabled (items.0)')).toBe(false);
    expect(outrunByStock('Quantity must be between 0 and 2147483647')).toBe(false);
  });

  it('takes a stock race that keeps coming back for a refusal the merchant must see', () => {
    const outruns = (n: number) => Array.from({ length: n }, () => 'outrun');
    expect(persistentlyOutrun([])).toBe(false);
    expect(persistentlyOutrun(outruns(OUTRUNS_BEFORE_PROBLEM - 2))).toBe(false);
    expect(persistentlyOutrun(outruns(OUTRUNS_BEFORE_PROBLEM - 1))).toBe(true);
    // Only the outruns since the last write that went through count.
    expect(persistentlyOutrun([...outruns(OUTRUNS_BEFORE_PROBLEM - 2), 'applied', ...outruns(10)])).toBe(false);
    expect(persistentlyOutrun([...outruns(OUTRUNS_BEFORE_PROBLEM - 1), 'applied'])).toBe(true);
  });

  it('says what a safety stock in BigCommerce holds up, and how to free it', () => {
    const problem = explainSafetyHold({ safetyStock: 5, target: 2, level: 5 }, tee, 'Uptown');
    expect(problem).toMatchObject({ kind: 'safety-stock', oneClick: null });
    expect(problem.message).toContain('safety stock of 5 for Tee (TEE) at Uptown');
    expect(problem.message).toContain('shows 5 where Lightspeed');
    expect(problem.fix).toMatch(/safety stock of this item at that location to 0/);
  });

  it('names the problems the app fixes in one click, and which fix each takes', () => {
    expect(['tracking-product', 'tracking-none', 'safety-stock', 'location-disabled', 'refused', 'constructor'].map(oneClickFixOf)).toEqual(['tracking', 'tracking', 'safety-stock', null, null, null]);
  });
});
