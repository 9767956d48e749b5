import { describe, expect, it } from 'vitest';
import {
  type ApplyRow,
  createdVariantLinks,
  finalOutcomes,
  inBatchesOf,
  linkedOutcome,
  markUnassigned,
  planHide,
  planLinked,
  ProductUpdates,
  sortForApply,
  updateReason,
  variantsNotAddedReason,
} from './apply-plan';
import type { ItemSnapshot } from './items';
import type { BcProductView } from './plan';

const row = (over: Partial<ApplyRow> = {}): ApplyRow => ({
  lsItemId: 'item-1',
  name: 'Tee',
  onlineEnabled: true,
  active: true,
  bcProductId: null,
  bcVariantIds: {},
  syncState: 'not_synced',
  previousVisibility: null,
  lsVersion: 5,
  syncedVersion: 0,
  ...over,
});

const simple: ItemSnapshot = {
  lsItemId: 'item-1',
  name: 'Tee',
  sku: 'TEE-1',
  barcodes: [],
  productType: null,
  brand: null,
  tags: [],
  active: true,
  tracksInventory: true,
  hasVariants: false,
  price: 20,
  cost: 8,
  variants: [],
  lsProductIds: ['item-1'],
  version: 5,
};
const view = (over: Partial<BcProductView> = {}): BcProductView => ({ id: 77, name: 'Tee', sku: 'TEE-1', price: 20, cost_price: 8, inventory_tracking: 'product', is_visible: true, base_variant_id: 700, variants: [], ...over });

describe('sorting a chunk for the apply', () => {
  it('links or creates what is wanted and has no product, updates what is linked, hides the rest; settles what needs no call', () => {
    const rows = [
      row({ lsItemId: 'new' }),
      row({ lsItemId: 'linked', bcProductId: 1 }),
      row({ lsItemId: 'off', onlineEnabled: false, bcProductId: 2 }),
      row({ lsItemId: 'gone-in-ls', active: false, bcProductId: 3 }),
      row({ lsItemId: 'inactive-never-created', active: false }),
      row({ lsItemId: 'never-enabled', onlineEnabled: false }),
    ];
    const sorted = sortForApply(rows);
    expect(sorted.toLink.map((r) => r.lsItemId)).toEqual(['new']);
    expect(sorted.linked.map((r) => r.lsItemId)).toEqual(['linked']);
    expect(sorted.toHide.map((r) => r.lsItemId)).toEqual(['off', 'gone-in-ls']);
    expect(sorted.settled.map((o) => [o.row.lsItemId, o.patch.syncState, o.result.outcome, o.result.reason])).toEqual([
      ['inactive-never-created', 'hidden', 'synced', 'inactive in Lightspeed'],
      ['never-enabled', 'not_synced', 'synced', null],
    ]);
    expect(sorted.settled.every((o) => o.patch.syncedVersion === 5)).toBe(true);
  });
});

describe('a product just created', () => {
  it('links a family’s variants by SKU (any case) and a simple item to the base variant', () => {
    const family = { ...simple, hasVariants: true, variants: [{ lsProductId: 'v1', sku: 'tee-s', name: 'S', barcodes: [], options: [], price: 1, cost: 1, active: true }, { lsProductId: 'v2', sku: 'TEE-M', name: 'M', barcodes: [], options: [], price: 1, cost: 1, active: true }] };
    expect(createdVariantLinks(family, { variants: [{ id: 11, sku: 'TEE-S' }, { id: 12, sku: 'tee-m' }] })).toEqual({ v1: 11, v2: 12 });
    expect(createdVariantLinks(simple, { base_variant_id: 700, variants: [{ id: 701, sku: 'TEE-1' }] })).toEqual({ 'item-1': 700 });
    expect(createdVariantLinks(simple, { base_variant_id: null, variants: [{ id: 701, sku: 'TEE-1' }] })).toEqual({ 'item-1': 701 });
    expect(createdVariantLinks(simple, { variants: [] })).toEqual({});
  });
});

describe('a linked item', () => {
  it('brings the Lightspeed-owned fields in line and nothing else', () => {
    const plan = planLinked(row({ bcProductId: 77, syncState: 'synced' }), { ...simple, price: 25 }, view(), { 'item-1': 700 }, false);
    expect(plan.product).toEqual({ id: 77, price: 25 });
    expect(plan.restore).toBe(false);
    expect(plan.visibility).toBeNull();
    expect(linkedOutcome(row(), 77, plan, { error: null, pending: null })).toMatchObject({ patch: { bcProductId: 77, syncState: 'synced', syncReason: null, syncedVersion: 5 }, result: { outcome: 'synced' } });
  });

  it('re-enabled after the app hid it: gets back the visibility it had (and only writes it when BigCommerce differs)', () => {
    const hidden = row({ bcProductId: 77, syncState: 'hidden', previousVisibility: true });
    const plan = planLinked(hidden, simple, view({ is_visible: false }), { 'item-1': 700 }, false);
    expect(plan.restore).toBe(true);
    expect(plan.visibility).toEqual({ id: 77, is_visible: true });
    expect(linkedOutcome(hidden, 77, plan, { error: null, pending: null }).patch.previousVisibility).toBeNull();
    expect(planLinked(hidden, simple, view({ is_visible: true }), { 'item-1': 700 }, false).visibility).toBeNull();
    // A product just linked (fresh) keeps the merchant's visibility: nothing to restore.
    expect(planLinked(hidden, simple, view({ is_visible: false }), { 'item-1': 700 }, true).restore).toBe(false);
  });

  it('reports a failed option rename as an error and variants it cannot add as pending', () => {
    const plan = planLinked(row({ bcProductId: 77 }), simple, view(), {}, false);
    expect(linkedOutcome(row(), 77, plan, { error: 'option labels not updated: 422', pending: 'x' })).toMatchObject({ patch: { syncState: 'error', syncReason: 'option labels not updated: 422' }, result: { outcome: 'error' } });
    expect(linkedOutcome(row(), 77, plan, { error: null, pending: 'later' })).toMatchObject({ patch: { syncState: 'pending', syncReason: 'later' }, result: { outcome: 'pending' } });
    expect(variantsNotAddedReason([])).toBeNull();
    expect(variantsNotAddedReason([{ sku: 'A', reason: 'r1' }, { sku: 'B', reason: 'r1' }])).toBe('2 Lightspeed variant(s) (A, B) are not in the BigCommerce product and cannot be added to it: r1');
  });

  it('says why an update was written', () => {
    expect(updateReason({ lsVersion: 6, syncedVersion: 5 }, false)).toBe('changed in Lightspeed');
    expect(updateReason({ lsVersion: 5, syncedVersion: 5 }, false)).toMatch(/BigCommerce edit .* overwritten/);
    expect(updateReason({ lsVersion: 5, syncedVersion: 5 }, true)).toMatch(/^linked product brought in line/);
  });
});

describe('an item no longer wanted online', () => {
  it('hides a visible product, never deletes it, and keeps the visibility it had for later', () => {
    const plan = planHide(row({ onlineEnabled: false, bcProductId: 77, syncState: 'synced' }), { id: 77, is_visible: true });
    expect(plan.hide).toEqual({ id: 77, is_visible: false });
    expect(plan.newlyHidden).toBe(true);
    expect(plan.outcome).toMatchObject({ patch: { syncState: 'hidden', syncReason: 'disabled for online sale', previousVisibility: true }, result: { outcome: 'synced' } });
  });

  it('an already hidden item keeps its first remembered visibility and is not recorded twice', () => {
    const plan = planHide(row({ active: false, bcProductId: 77, syncState: 'hidden', previousVisibility: true }), { id: 77, is_visible: false });
    expect(plan.hide).toBeNull();
    expect(plan.newlyHidden).toBe(false);
    expect(plan.outcome.patch).toMatchObject({ previousVisibility: true, syncReason: 'inactive or deleted in Lightspeed' });
  });

  it('a product deleted in BigCommerce forgets the link', () => {
    expect(planHide(row({ onlineEnabled: false, bcProductId: 77 }), undefined).outcome.patch).toEqual({ bcProductId: null, bcVariantIds: {}, syncState: 'not_synced', syncReason: 'the BigCommerce product no longer exists', syncedVersion: 5 });
  });
});

describe('writing a chunk', () => {
  it('merges an item’s writes into one product entry and batches at the platform limits', () => {
    const updates = new ProductUpdates<string>();
    updates.add('a', { id: 1, price: 2 }, 'SKU-1');
    updates.add('a', { id: 1, is_visible: false });
    updates.add('b', { id: 2, name: 'X' });
    expect(updates.entries()).toEqual([
      { update: { id: 1, price: 2, is_visible: false }, rows: ['a'], sku: 'SKU-1' },
      { update: { id: 2, name: 'X' }, rows: ['b'] },
    ]);
    expect(inBatchesOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(inBatchesOf([], 10)).toEqual([]);
  });

  it('an unassigned new product and any state that ended in error report an error', () => {
    const outcomes = [
      { row: row(), patch: { bcProductId: 9, syncState: 'synced' as const }, result: { id: 'item-1', name: 'Tee', outcome: 'synced' as const, reason: null } },
      { row: row({ lsItemId: 'other' }), patch: { bcProductId: 10, syncState: 'synced' as const }, result: { id: 'other', name: 'Tee', outcome: 'synced' as const, reason: null } },
    ];
    markUnassigned(outcomes, [9], '503');
    expect(outcomes[0]!.patch).toMatchObject({ syncState: 'error', syncReason: 'not assigned to the storefront: 503', syncedVersion: 0 });
    expect(finalOutcomes(outcomes).map((o) => [o.result.outcome, o.result.reason])).toEqual([
      ['error', 'not assigned to the storefront: 503'],
      ['synced', null],
    ]);
  });
});
