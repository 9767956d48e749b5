import { describe, expect, it } from 'vitest';
import { beyondCursor, bigcommerceIntent, lightspeedLane, namedIds, parseLane, planBigCommerce, type LightspeedHint, type PendingRow } from './plan';

const row = (id: number, topic: string, data: Record<string, unknown>): PendingRow => ({ id, topic, payload: { data } });
const hint = (id: number, payload: LightspeedHint): PendingRow<LightspeedHint> => ({ id, topic: 'inventory.update', payload });

describe('lanes', () => {
  it('names and parses the lanes a drain knows, and nothing else', () => {
    expect(parseLane(lightspeedLane('inventory'))).toEqual({ platform: 'lightspeed', kind: 'inventory' });
    expect(parseLane('bigcommerce')).toEqual({ platform: 'bigcommerce' });
    expect(parseLane('lightspeed:customer')).toBeUndefined();
    expect(parseLane('shopify')).toBeUndefined();
  });
});

describe('planBigCommerce', () => {
  const linked = [
    { lsProductId: 'ls-1', bcProductId: 10, bcVariantId: 100 },
    { lsProductId: 'ls-2', bcProductId: 10, bcVariantId: 101 },
    { lsProductId: 'ls-3', bcProductId: 11, bcVariantId: 110 },
  ];

  it('coalesces: one intake per order, one refund per refund id, one mark per product, a reason for every delivery', () => {
    const plan = planBigCommerce(
      [
        row(1, 'store/order/created', { id: 7 }),
        row(2, 'store/order/statusUpdated', { id: 7 }),
        row(3, 'store/order/updated', { id: 8 }),
        row(4, 'store/order/refund/created', { id: 7, refund: { refund_id: 3 } }),
        row(5, 'store/order/refund/created', { id: 7, refund: { refund_id: 3 } }),
        row(6, 'store/sku/inventory/updated', { inventory: { variant_id: 101, product_id: 10 } }),
        row(7, 'store/product/inventory/updated', { id: 10, inventory: { product_id: 10 } }),
        row(8, 'store/sku/inventory/updated', { inventory: { variant_id: 999 } }),
        row(9, 'store/cart/created', { id: 1 }),
        row(10, 'store/order/created', {}),
      ],
      linked,
    );
    expect(plan.uninstall).toBe(false);
    expect(plan.orders.sort()).toEqual([7, 8]);
    expect(plan.refunds).toEqual([{ orderId: 7, refundId: 3 }]);
    expect(plan.dirtyProducts.sort()).toEqual(['ls-1', 'ls-2']);
    expect(plan.outcomes.map((o) => o.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(plan.outcomes.find((o) => o.id === 6)?.reason).toBe('stock of 1 variant(s) to check');
    expect(plan.outcomes.find((o) => o.id === 8)?.reason).toBe('not a product Counterpart syncs');
    expect(plan.outcomes.find((o) => o.id === 10)?.reason).toMatch(/no sync rule/);
  });

  it('an uninstall in the batch wins', () => {
    expect(planBigCommerce([row(1, 'store/order/created', { id: 7 }), row(2, 'store/app/uninstalled', {})], linked).uninstall).toBe(true);
  });

  it('reads intents from payloads defensively', () => {
    expect(bigcommerceIntent('store/order/created', { data: { id: '7' } })).toEqual({ type: 'none' });
    expect(bigcommerceIntent('store/order/refund/created', { data: { id: 7 } })).toEqual({ type: 'none' });
    expect(bigcommerceIntent('store/sku/inventory/updated', null)).toEqual({ type: 'stock', variantId: null, productId: null });
  });
});

describe('Lightspeed deliveries', () => {
  it('names each entity once, and finds the deliveries a cursor read has not reached (newest version per entity)', () => {
    const rows = [
      hint(1, { kind: 'inventory', id: 'a', version: 10, productId: 'p' }),
      hint(2, { kind: 'inventory', id: 'a', version: 30, productId: 'p' }),
      hint(3, { kind: 'inventory', id: 'a', version: 25, productId: 'p' }),
      hint(4, { kind: 'inventory', id: 'b', version: null, productId: 'q' }),
      hint(5, { kind: 'inventory', id: 'c', version: 20, productId: 'r' }),
    ];
    expect(namedIds(rows)).toEqual(['a', 'b', 'c']);
    expect(beyondCursor(rows, 20)).toEqual([{ kind: 'inventory', id: 'a', version: 30, productId: 'p' }]);
    expect(beyondCursor(rows, 30)).toEqual([]);
  });
});
