import { describe, expect, it } from 'vitest';
import { buildItem, buildItems, groupProducts, itemKeyOf, type ItemSnapshot, type SourceProduct } from './items';
import { identifiersFor, linkVariantsBySku, matchItem, optionsForNewVariant, planCreate, planUpdate, productNameFor, type BcProductView, type MatchCandidate } from './plan';

const product = (over: Partial<SourceProduct> & { id: string; name: string; sku: string }): SourceProduct => ({
  active: true,
  tracksInventory: true,
  hasVariants: false,
  familyId: over.id,
  variantParentId: null,
  variantName: null,
  variantOptions: [],
  priceExcludingTax: 20,
  supplyPrice: 8,
  productCodes: [],
  deletedAt: null,
  version: 1,
  ...over,
});

const variant = (id: string, size: string, over: Partial<SourceProduct> = {}): SourceProduct =>
  product({ id, name: `Tee / ${size}`, sku: `TEE-${size}`, familyId: 'tee', variantParentId: 'tee', variantName: size, variantOptions: [{ name: 'Size', value: size }], ...over });

const family = (): SourceProduct[] => [
  product({ id: 'tee', name: 'Tee', sku: 'TEE', hasVariants: true, priceExcludingTax: null, supplyPrice: null, brand: 'B', productType: 'Tops', tags: ['x'] }),
  variant('tee-m', 'M', { priceExcludingTax: 22, supplyPrice: 9, productCodes: [{ type: 'UPC', code: '041234567890' }], version: 4 }),
  variant('tee-s', 'S', { priceExcludingTax: 19.999, supplyPrice: 7, productCodes: [{ type: 'EAN', code: '2001234567893' }], version: 3 }),
];

const simple = () => product({ id: 'mug', name: 'Mug', sku: 'MUG', productCodes: [{ type: 'EAN', code: '2001234567893' }, { type: 'UPC', code: '041234567890' }] });

const item = (products: SourceProduct[]): ItemSnapshot => buildItems(products)[0]!;

describe('grouping Lightspeed products into items', () => {
  it('groups a family by family id (or variant parent) and keeps standalone products alone', () => {
    const legacy = product({ id: 'v', name: 'Old / L', sku: 'OLD-L', familyId: null, variantParentId: 'old', variantName: 'L' });
    const groups = groupProducts([...family(), simple(), legacy]);
    expect([...groups.keys()]).toEqual(['tee', 'mug', 'old']);
    expect(itemKeyOf({ id: 'x', familyId: null, variantParentId: null })).toBe('x');
    const tee = buildItem('tee', groups.get('tee')!)!;
    expect(tee).toMatchObject({ lsItemId: 'tee', name: 'Tee', sku: 'TEE', hasVariants: true, active: true, brand: 'B', productType: 'Tops', tags: ['x'], version: 4 });
    expect(tee.variants.map((v) => v.sku)).toEqual(['TEE-M', 'TEE-S']);
    expect(tee.barcodes).toEqual(['041234567890', '2001234567893']);
    // A variant seen without its parent still forms the item, named without the variant suffix.
    expect(buildItem('old', groups.get('old')!)).toMatchObject({ name: 'Old', sku: 'OLD-L', hasVariants: true });
  });

  it('an item is inactive when deactivated or deleted; deleted variants drop out', () => {
    expect(item([{ ...simple(), active: false }]).active).toBe(false);
    expect(item([{ ...simple(), deletedAt: '2026-01-01T00:00:00Z' }]).active).toBe(false);
    const [parent, m, s] = family();
    const withDeleted = item([parent!, { ...m!, deletedAt: '2026-01-01T00:00:00Z' }, s!]);
    expect(withDeleted.variants.map((v) => v.lsProductId)).toEqual(['tee-s']);
    expect(withDeleted.active).toBe(true);
    expect(item([{ ...parent!, active: false }, m!, s!]).active).toBe(false);
    expect(item([parent!, { ...m!, active: false }, { ...s!, active: false }]).active).toBe(false);
  });
});

describe('planning the BigCommerce product', () => {
  it('creates a family hidden, in the hidden category, tracked by variant, priced from the lowest variant', () => {
    expect(planCreate(item(family()), 55)).toEqual({
      name: 'Tee',
      type: 'physical',
      sku: 'TEE',
      weight: 0,
      price: 20,
      cost_price: 7,
      is_visible: false,
      categories: [55],
      inventory_tracking: 'variant',
      variants: [
        { sku: 'TEE-M', option_values: [{ option_display_name: 'Size', label: 'M' }], price: 22, cost_price: 9, upc: '041234567890' },
        { sku: 'TEE-S', option_values: [{ option_display_name: 'Size', label: 'S' }], price: 20, cost_price: 7, upc: '2001234567893', gtin: '2001234567893' },
      ],
    });
  });

  it('creates a simple product tracked by product (or not at all), UPC-A as upc and EAN-13 as gtin', () => {
    expect(planCreate(item([simple()]), 1)).toMatchObject({ sku: 'MUG', price: 20, cost_price: 8, upc: '041234567890', gtin: '2001234567893', inventory_tracking: 'product' });
    expect(planCreate(item([simple()]), 1).variants).toBeUndefined();
    expect(planCreate(item([{ ...simple(), tracksInventory: false }]), 1).inventory_tracking).toBe('none');
    expect(identifiersFor(['ABC', '12345'])).toEqual({});
  });

  it('a variant without options gets one "Variant" option labelled by its name', () => {
    const plan = planCreate(item([family()[0]!, variant('tee-x', 'X', { variantOptions: [] })]), 1);
    expect(plan.variants?.[0]?.option_values).toEqual([{ option_display_name: 'Variant', label: 'X' }]);
  });
});

describe('planning updates of a linked product', () => {
  const linked = (): BcProductView => ({
    id: 9,
    name: 'Tee',
    sku: 'TEE',
    price: 20,
    cost_price: 7,
    inventory_tracking: 'variant',
    is_visible: true,
    variants: [
      { id: 91, sku: 'TEE-M', price: 22, cost_price: 9, upc: '041234567890', option_values: [{ id: 1, option_id: 5, label: 'M', option_display_name: 'Size' }] },
      { id: 92, sku: 'TEE-S', price: 20, cost_price: 7, upc: '2001234567893', gtin: '2001234567893', option_values: [{ id: 2, option_id: 5, label: 'S', option_display_name: 'Size' }] },
    ],
  });
  const ids = { 'tee-m': 91, 'tee-s': 92 };

  it('plans nothing when BigCommerce already matches', () => {
    expect(planUpdate(item(family()), linked(), ids)).toEqual({ product: null, variants: [], optionRenames: [], changes: [], unlinkedVariants: [] });
  });

  it('plans only the Lightspeed-owned fields that differ, never SKU or visibility', () => {
    const [parent, m, s] = family();
    const changed = item([{ ...parent!, name: 'Tee v2', sku: 'NEW-SKU' }, { ...m!, priceExcludingTax: 25, variantOptions: [{ name: 'Size', value: 'Medium' }] }, s!]);
    const plan = planUpdate(changed, { ...linked(), is_visible: false }, ids);
    expect(plan.product).toEqual({ id: 9, name: 'Tee v2' });
    expect(plan.variants).toEqual([{ id: 91, price: 25 }]);
    expect(plan.optionRenames).toEqual([{ optionId: 5, valueId: 1, from: 'M', to: 'Medium' }]);
    expect(plan.changes.map((c) => `${c.target}.${c.field}`)).toEqual(['product.name', 'tee-m.price', 'tee-m.option:Size']);
    expect(JSON.stringify(plan)).not.toContain('NEW-SKU');
  });

  it('keeps the SKU-carrying name a duplicate name was given, across renames, with the BigCommerce SKU', () => {
    expect(productNameFor({ name: 'Tee', sku: 'TEE' })).toBe('Tee');
    expect(productNameFor({ name: 'Tee', sku: 'TEE' }, true)).toBe('Tee [TEE]');
    expect(productNameFor({ name: 'x'.repeat(300), sku: 'TEE' }, true)).toHaveLength(250);
    expect(planUpdate(item(family()), { ...linked(), name: 'Tee [TEE]' }, ids).product).toBeNull();
    const [parent, m, s] = family();
    const renamed = item([{ ...parent!, name: 'Tee v2', sku: 'NEW-SKU' }, m!, s!]);
    expect(planUpdate(renamed, { ...linked(), name: 'Tee [TEE]' }, ids).product).toEqual({ id: 9, name: 'Tee v2 [TEE]' });
  });

  it('completes variant links by SKU, never reusing a variant linked to another', () => {
    expect(linkVariantsBySku(item(family()), linked(), { 'tee-m': 91 })).toEqual({ 'tee-m': 91, 'tee-s': 92 });
    expect(linkVariantsBySku(item(family()), linked(), { 'tee-m': 92 })).toEqual({ 'tee-m': 92 }); // TEE-S's variant is taken
    expect(linkVariantsBySku(item(family()), linked(), { 'tee-m': 999 })).toEqual({ 'tee-m': 91, 'tee-s': 92 }); // a dead link is replaced
  });

  it('reports variants that BigCommerce does not hold instead of guessing', () => {
    expect(planUpdate(item(family()), linked(), { 'tee-m': 91 }).unlinkedVariants).toEqual(['tee-s']);
  });

  it('a simple product: price, cost, upc and tracking at product level', () => {
    const bc: BcProductView = { id: 3, name: 'Mug', sku: 'MUG', price: 18, cost_price: 8, upc: '041234567890', gtin: '2001234567893', inventory_tracking: 'none', is_visible: false };
    expect(planUpdate(item([simple()]), bc, { mug: 30 }).product).toEqual({ id: 3, price: 20, inventory_tracking: 'product' });
  });
});

describe('a variant added in Lightspeed after linking', () => {
  const variant = (options: { name: string; value: string }[]) => ({ lsProductId: 'n', sku: 'TEE-XL', name: 'XL', options, barcodes: [], price: 20, cost: 7, active: true });
  const options = [
    { id: 5, display_name: 'Size', option_values: [{ id: 1, label: 'M' }, { id: 2, label: 'S' }] },
    { id: 6, display_name: 'Colour', option_values: [{ id: 3, label: 'Red' }] },
  ];

  it('takes existing option values by name and label', () => {
    expect(optionsForNewVariant(variant([{ name: 'colour', value: 'Red' }, { name: 'Size', value: 'm' }]), options)).toEqual({ kind: 'ready', optionValues: [{ id: 3, option_id: 6 }, { id: 1, option_id: 5 }] });
  });

  it('asks for the values an option lacks', () => {
    expect(optionsForNewVariant(variant([{ name: 'Size', value: 'XL' }, { name: 'Colour', value: 'Red' }]), options)).toEqual({ kind: 'add-values', additions: [{ optionId: 5, label: 'XL' }] });
  });

  it('reports a different set of options instead of guessing', () => {
    const planned = optionsForNewVariant(variant([{ name: 'Size', value: 'XL' }]), options);
    expect(planned).toEqual({ kind: 'mismatch', reason: "Lightspeed's options are Size, the BigCommerce product's are Size, Colour" });
    expect(optionsForNewVariant(variant([{ name: 'Size', value: 'XL' }]), []).kind).toBe('mismatch');
  });
});

describe('matching an item to existing BigCommerce products', () => {
  const bcSimple = (over: Partial<MatchCandidate> = {}): MatchCandidate => ({ id: 1, name: 'Mug (BC)', sku: 'MUG', base_variant_id: 11, variants: [{ id: 11, sku: 'MUG', option_values: [] }], ...over });
  const bcFamily = (over: Partial<MatchCandidate> = {}): MatchCandidate => ({
    id: 2,
    name: 'Tee (BC)',
    sku: 'TEE',
    variants: [
      { id: 21, sku: 'TEE-M', option_values: [{}] },
      { id: 22, sku: 'TEE-S', option_values: [{}] },
    ],
    ...over,
  });

  it('creates when nothing matches', () => {
    expect(matchItem(item([simple()]), [])).toEqual({ kind: 'create' });
    expect(matchItem(item([simple()]), [bcSimple({ sku: 'OTHER', variants: [] })])).toEqual({ kind: 'create' });
  });

  it('links by SKU, then by barcode, with the variant ids', () => {
    expect(matchItem(item([simple()]), [bcSimple()])).toEqual({ kind: 'linked', productId: 1, variantIds: { mug: 11 }, on: 'sku' });
    expect(matchItem(item([simple()]), [bcSimple({ sku: 'X', upc: '041234567890', variants: [{ id: 11, sku: 'X', option_values: [] }] })])).toMatchObject({ kind: 'linked', on: 'barcode' });
    expect(matchItem(item(family()), [bcFamily()])).toEqual({ kind: 'linked', productId: 2, variantIds: { 'tee-m': 21, 'tee-s': 22 }, on: 'sku' });
  });

  it('flags two candidates, a SKU on a variant, and option mismatches as conflicts with reasons', () => {
    const two = matchItem(item([simple()]), [bcSimple(), bcSimple({ id: 5, name: 'Mug 2', variants: [{ id: 51, sku: 'MUG', option_values: [] }] })]);
    expect(two).toMatchObject({ kind: 'conflict', reason: expect.stringContaining('2 BigCommerce products'), candidates: [{ bigcommerceProductId: 1 }, { bigcommerceProductId: 5 }] });
    const onVariant = matchItem(item([simple()]), [bcFamily({ sku: 'TEE', variants: [{ id: 21, sku: 'MUG', option_values: [{}] }] })]);
    expect(onVariant).toMatchObject({ kind: 'conflict', reason: expect.stringContaining('on a variant') });
    const missing = matchItem(item(family()), [bcFamily({ variants: [{ id: 21, sku: 'TEE-M', option_values: [{}] }] })]);
    expect(missing).toMatchObject({ kind: 'conflict', reason: expect.stringMatching(/option mismatch.*TEE-S/) });
    const noOptions = matchItem(item(family()), [bcSimple({ sku: 'TEE', name: 'Plain' })]);
    expect(noOptions).toMatchObject({ kind: 'conflict', reason: expect.stringContaining('has no options') });
  });
});
