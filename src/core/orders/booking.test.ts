import { describe, expect, it } from 'vitest';
import { orderPhase, reduceSale, saleDraftFor, shipmentFor, shipToLine, statusAfterFulfilment, type BookedSaleLine, type BookingSettings, type OrderFacts } from './booking';

const settings: BookingSettings = { shipping: { mode: 'note' }, paymentTypeId: 'pay', taxId: 'tax', noTaxId: 'notax', authorId: 'user', registerId: 'reg' };
const order: OrderFacts = {
  id: 120,
  reference: '#120',
  pickup: false,
  shippingMethod: 'Flat rate',
  shippingCostExTax: 5,
  shippingCostIncTax: 5.4,
  customerMessage: 'Gift wrap please',
  lines: [
    { lineId: 1, lsProductId: 'p1', name: 'Tee M', sku: 'TEE-M', quantity: 2, priceExTax: 18, priceIncTax: 19.6, basePrice: 20 },
    { lineId: 2, lsProductId: 'p2', name: 'Mug', sku: 'MUG', quantity: 1, priceExTax: 10, priceIncTax: 10, basePrice: 10 },
  ],
};

describe('booking an order in Lightspeed', () => {
  it('books only paid orders waiting to be fulfilled; records the rest', () => {
    expect([11, 9, 8, 3].map(orderPhase)).toEqual(['bookable', 'bookable', 'bookable', 'bookable']);
    // A partial refund leaves a paid order: it stays bookable (found by the simulation: it used to read as awaiting payment).
    expect(orderPhase(14)).toBe('bookable');
    expect([1, 7, 12, 13].map(orderPhase)).toEqual(['awaiting-payment', 'awaiting-payment', 'awaiting-payment', 'awaiting-payment']);
    expect([0, 2, 10, 5, 6, 4].map(orderPhase)).toEqual(['incomplete', 'shipped', 'completed', 'cancelled', 'cancelled', 'refunded']);
  });

  it('a sale per outlet share: price, discount and tax as BigCommerce charged them, awaiting dispatch, paid in full, the order number as its source', () => {
    const draft = saleDraftFor(order, { outletId: 'A', backorder: false, lines: [{ lineId: 1, lsProductId: 'p1', quantity: 2 }, { lineId: 2, lsProductId: 'p2', quantity: 1 }] }, 'A', settings, true);
    expect(draft).toMatchObject({ state: 'pending', sourceId: '120', sourceType: 'BigCommerce', fulfillmentOutletId: 'A', fulfillmentDetails: [{ type: 'DISPATCH' }] });
    expect(draft.lines).toEqual([
      { productId: 'p1', quantity: 2, price: 18, discount: 2, taxId: 'tax', taxAmount: 1.6, fulfillmentOutletId: 'A', fulfillmentMethod: 'DISPATCH', sequence: 0, isPriceOverride: true, bcLineId: 1 },
      { productId: 'p2', quantity: 1, price: 10, discount: 0, taxId: 'notax', taxAmount: 0, fulfillmentOutletId: 'A', fulfillmentMethod: 'DISPATCH', sequence: 1, isPriceOverride: true, bcLineId: 2 },
    ]);
    expect(draft.payment).toEqual({ paymentTypeId: 'pay', amount: 49.2 });
    expect(draft.note).toBe('BigCommerce order #120 · Ship by Flat rate (5.40 charged) · Customer: Gift wrap please');
  });

  it('shipping as a line of the merchant\'s shipping product, on the first share only; a pickup is for collection and carries none', () => {
    const line = { ...settings, shipping: { mode: 'line' as const, lsProductId: 'ship' } };
    const first = saleDraftFor(order, { outletId: 'A', backorder: false, lines: [{ lineId: 2, lsProductId: 'p2', quantity: 1 }] }, 'A', line, true);
    expect(first.lines.at(-1)).toMatchObject({ productId: 'ship', quantity: 1, price: 5, taxAmount: 0.4, bcLineId: null });
    expect(first.payment.amount).toBe(15.4);
    const second = saleDraftFor(order, { outletId: 'B', backorder: false, lines: [{ lineId: 1, lsProductId: 'p1', quantity: 2 }] }, 'B', line, false);
    expect(second.lines.map((l) => l.productId)).toEqual(['p1']);
    const pickup = saleDraftFor({ ...order, pickup: true }, { outletId: 'A', backorder: false, lines: [{ lineId: 2, lsProductId: 'p2', quantity: 1 }] }, 'A', line, true);
    expect(pickup.fulfillmentDetails).toEqual([{ type: 'PICKUP' }]);
    expect(pickup.lines.map((l) => [l.productId, l.fulfillmentMethod])).toEqual([['p2', 'PICKUP']]);
  });

  it('every share that ships carries the address to send it to, on the sale and on its dispatch; a pickup carries none', () => {
    const shipTo = shipToLine({ name: 'Ada Lovelace', company: 'Analytical Ltd', street1: '12 Main St', street2: 'Unit 4', city: 'Portland', region: 'Oregon', postcode: '97201', country: 'US', phone: '503-555-0100' });
    expect(shipTo).toBe('Ada Lovelace, Analytical Ltd, 12 Main St, Unit 4, Portland, Oregon 97201, US (phone 503-555-0100)');
    const withAddress = { ...order, shipTo };
    const second = saleDraftFor(withAddress, { outletId: 'B', backorder: false, lines: [{ lineId: 1, lsProductId: 'p1', quantity: 2 }] }, 'B', settings, false);
    expect(second.note).toBe(`BigCommerce order #120 · Ship to ${shipTo} · Customer: Gift wrap please`);
    expect(second.fulfillmentDetails).toEqual([{ type: 'DISPATCH', note: `Ship to ${shipTo}` }]);
    const pickup = saleDraftFor({ ...withAddress, pickup: true }, { outletId: 'A', backorder: false, lines: [{ lineId: 2, lsProductId: 'p2', quantity: 1 }] }, 'A', settings, true);
    expect(pickup.note).not.toContain('Ship to');
    expect(pickup.fulfillmentDetails).toEqual([{ type: 'PICKUP' }]);
    // Whatever BigCommerce gave, nothing invented: an order taken in before addresses were kept has its city and postcode.
    expect(shipToLine({ city: 'Portland', region: null, postcode: '97201', country: 'US' })).toBe('Portland, 97201, US');
    expect(shipToLine({ city: null, region: null, postcode: null, country: null })).toBeNull();
    expect(shipToLine(null)).toBeNull();
  });

  it('a backorder share says so to the staff', () => {
    const draft = saleDraftFor(order, { outletId: 'W', backorder: true, lines: [{ lineId: 1, lsProductId: 'p1', quantity: 1 }] }, 'W', settings, false);
    expect(draft.note).toMatch(/^BigCommerce order #120 \(backorder: not in stock anywhere, order it in\)/);
  });

  it('a fulfilment becomes a shipment of the units not shipped yet', () => {
    expect(shipmentFor([{ bcLineId: 1, quantity: 1 }, { bcLineId: 1, quantity: 1 }, { bcLineId: 2, quantity: 1 }], new Map([[1, 1]]))).toEqual({ items: [{ order_product_id: 1, quantity: 1 }, { order_product_id: 2, quantity: 1 }] });
    expect(shipmentFor([{ bcLineId: 1, quantity: 2 }], new Map([[1, 2]]))).toEqual({ items: [] });
  });

  it('statuses: Partially Shipped, then Shipped as outlets complete; a pickup is Completed once collected', () => {
    expect(statusAfterFulfilment({ pickup: false, units: 3 }, 1)).toBe(3);
    expect(statusAfterFulfilment({ pickup: false, units: 3 }, 3)).toBe(2);
    expect(statusAfterFulfilment({ pickup: true, units: 3 }, 2)).toBeNull();
    expect(statusAfterFulfilment({ pickup: true, units: 3 }, 3)).toBe(10);
    expect(statusAfterFulfilment({ pickup: false, units: 3 }, 0)).toBeNull();
  });
});

describe('reduceSale: refunded units that were not fulfilled leave the awaiting sale', () => {
  const line = (id: string, productId: string, quantity: number, extra: Partial<BookedSaleLine> = {}): BookedSaleLine => ({ id, productId, quantity, price: 10, taxId: 't', tax: 1, status: 'CONFIRMED', isReturn: false, ...extra });

  it('takes the units off the product\'s line and says what they were worth', () => {
    const r = reduceSale([line('a', 'p1', 2), line('b', 'p2', 1)], [{ productId: 'p1', units: 1 }]);
    expect(r).toEqual({
      units: 1,
      value: 11,
      lines: [
        { id: 'a', productId: 'p1', quantity: 1, price: 10, taxId: 't', taxAmount: 1, status: 'CONFIRMED' },
        { id: 'b', productId: 'p2', quantity: 1, price: 10, taxId: 't', taxAmount: 1, status: 'CONFIRMED' },
      ],
    });
  });

  it('voids a line left with nothing, spreads over the product\'s lines in order, and never takes more than they hold', () => {
    const r = reduceSale([line('a', 'p1', 1), line('b', 'p1', 2)], [{ productId: 'p1', units: 5 }]);
    expect(r?.units).toBe(3);
    expect(r?.lines.map((l) => [l.id, l.quantity, l.status])).toEqual([
      ['a', 0, 'VOIDED'],
      ['b', 0, 'VOIDED'],
    ]);
  });

  it('keeps what was fulfilled, and leaves returns and voided lines alone', () => {
    const r = reduceSale([line('a', 'p1', 3), line('r', 'p1', -1, { isReturn: true }), line('v', 'p1', 2, { status: 'VOIDED' })], [{ productId: 'p1', units: 3 }], new Map([['p1', 2]]));
    expect(r?.units).toBe(1);
    expect(r?.lines.map((l) => [l.id, l.quantity])).toEqual([
      ['a', 2],
      ['r', -1],
      ['v', 2],
    ]);
  });

  it('is null when nothing is to change', () => {
    expect(reduceSale([line('a', 'p1', 2)], [{ productId: 'p2', units: 1 }])).toBeNull();
    expect(reduceSale([line('a', 'p1', 2)], [{ productId: 'p1', units: 2 }], new Map([['p1', 2]]))).toBeNull();
  });
});
