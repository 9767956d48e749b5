import { describe, expect, it } from 'vitest';
import { orderFingerprint, needsIntake, type OrderListing } from './fingerprint';

const listing: OrderListing = { status_id: 11, date_modified: 'Sun, 06 Dec 2026 21:00:00 +0000', total_inc_tax: '25.0000', refunded_amount: '0.0000', items_total: 2 };

describe('the order poll skips an order whose listing has not changed since its last complete intake', () => {
  it('takes in an order never taken in, or one whose last intake failed', () => {
    expect(needsIntake(listing, undefined)).toBe(true);
    expect(needsIntake(listing, { takenIn: null, state: 'booked' })).toBe(true);
    expect(needsIntake(listing, { takenIn: orderFingerprint(listing), state: 'error' })).toBe(true);
  });

  it('skips the same listing, however BigCommerce formats its numbers and dates', () => {
    const same = { ...listing, total_inc_tax: 25, refunded_amount: undefined, date_modified: '2026-12-06T21:00:00Z' };
    expect(orderFingerprint(same)).toBe(orderFingerprint(listing));
    expect(needsIntake(same, { takenIn: orderFingerprint(listing), state: 'booked' })).toBe(false);
  });

  it('takes it in again when its status, refunds, total, items or modification time change', () => {
    const taken = { takenIn: orderFingerprint(listing), state: 'booked' };
    for (const change of [{ status_id: 5 }, { refunded_amount: '5.0000' }, { total_inc_tax: '20.0000' }, { items_total: 1 }, { date_modified: 'Sun, 06 Dec 2026 21:00:01 +0000' }]) {
      expect(needsIntake({ ...listing, ...change }, taken)).toBe(true);
    }
  });
});
