import { describe, expect, it } from 'vitest';
import { bigcommerceReturnedStock, ORDER_STATUS, orderStockPlan } from './orders';

describe('did BigCommerce give a closed order its units back', () => {
  const on = { refundOrderStockAdjustment: true };
  const off = { refundOrderStockAdjustment: false };

  it('an abandoned checkout always gives them back', () => {
    expect(bigcommerceReturnedStock({ statusId: ORDER_STATUS.incomplete, refundedAmount: 0 }, off)).toBe(true);
  });

  it('a cancellation gives them back only when the channel setting says so', () => {
    expect(bigcommerceReturnedStock({ statusId: ORDER_STATUS.cancelled, refundedAmount: 0 }, on)).toBe(true);
    expect(bigcommerceReturnedStock({ statusId: ORDER_STATUS.cancelled, refundedAmount: 0 }, off)).toBe(false);
  });

  it('Refunded set by hand follows the setting; refunded through the refund service never restocks', () => {
    expect(bigcommerceReturnedStock({ statusId: ORDER_STATUS.refunded, refundedAmount: 0 }, on)).toBe(true);
    expect(bigcommerceReturnedStock({ statusId: ORDER_STATUS.refunded, refundedAmount: 0 }, off)).toBe(false);
    expect(bigcommerceReturnedStock({ statusId: ORDER_STATUS.refunded, refundedAmount: 12.5 }, on)).toBe(false);
  });
});

describe('an order’s in-flight lines', () => {
  const settings = { mode: 'default-location' as const, defaultLocationId: 1, behavior: 'order_placed' as const };
  const lsOf = (id: number) => (id === 7 ? 'ls-7' : undefined);

  it('holds the units of linked lines, less those returned, at the location BigCommerce took them from', () => {
    const plan = orderStockPlan({ id: 1, statusId: ORDER_STATUS.awaitingFulfillment, pickupLocationId: null, lines: [{ id: 10, bcVariantId: 7, quantity: 3, quantityReturned: 1 }, { id: 11, bcVariantId: 8, quantity: 1 }] }, lsOf, settings);
    expect(plan).toEqual({ commitments: [{ bcOrderLineId: 10, bcVariantId: 7, lsProductId: 'ls-7', quantity: 2, bcLocationId: 1 }], unmanaged: [11] });
  });

  it('holds nothing for a refunded order, or before shipping when BigCommerce takes stock only then', () => {
    const line = [{ id: 10, bcVariantId: 7, quantity: 3 }];
    expect(orderStockPlan({ id: 1, statusId: ORDER_STATUS.refunded, pickupLocationId: null, lines: line }, lsOf, settings).commitments).toEqual([]);
    expect(orderStockPlan({ id: 1, statusId: ORDER_STATUS.awaitingFulfillment, pickupLocationId: 4, lines: line }, lsOf, { ...settings, behavior: 'order_completed_or_shipped' }).commitments).toEqual([]);
  });
});
