/**
 * What BigCommerce should hold for a catalog item, and the smallest change that gets it there.
 * Lightspeed owns name, SKU (set once, never changed after linking), barcodes, option labels,
 * price, cost and inventory tracking; everything else in BigCommerce (description, images,
 * categories after creation, custom fields, SEO, visibility) belongs to the merchant and is never
 * planned here. Pure: no I/O.
 */
import type { ItemSnapshot, ItemVariant } from './items';

/** The category the app files new products under, hidden from shoppers. */
export const HIDDEN_CATEGORY_NAME = 'Imported from Lightspeed';

export type InventoryTracking = 'none' | 'product' | 'variant';

export interface OptionValueRef {
  option_display_name: string;
  label: string;
}

export interface VariantCreate {
  sku: string;
  option_values: OptionValueRef[];
  price?: number;
  cost_price?: number;
  upc?: string;
  gtin?: string;
}

export interface ProductCreatePlan {
  name: string;
  type: 'physical';
  sku: string;
  weight: number;
  price: number;
  cost_price?: number;
  upc?: string;
  gtin?: string;
  is_visible: false;
  categories: number[];
  inventory_tracking: InventoryTracking;
  variants?: VariantCreate[];
}

/** What the app reads back from BigCommerce for a linked product (with its variants). */
export interface BcVariantView {
  id: number;
  sku: string;
  price?: number | null | undefined;
  cost_price?: number | null | undefined;
  upc?: string | null | undefined;
  gtin?: string | null | undefined;
  option_values: { id: number; option_id: number; label: string; option_display_name: string }[];
}

export interface BcProductView {
  id: number;
  name: string;
  sku: string;
  price: number;
  cost_price?: number | undefined;
  upc?: string | null | undefined;
  gtin?: string | null | undefined;
  inventory_tracking: InventoryTracking;
  is_visible: boolean;
  base_variant_id?: number | null | undefined;
  variants?: BcVariantView[] | undefined;
}

export interface ProductFieldsUpdate {
  id: number;
  name?: string;
  price?: number;
  cost_price?: number;
  upc?: string;
  gtin?: string;
  inventory_tracking?: InventoryTracking;
}

export interface VariantFieldsUpdate {
  id: number;
  price?: number;
  cost_price?: number;
  upc?: string;
  gtin?: string;
}

export interface OptionValueRename {
  optionId: number;
  valueId: number;
  from: string;
  to: string;
}

export interface FieldChange {
  /** `product` or the Lightspeed product id of the variant. */
  target: string;
  field: string;
  from: unknown;
  to: unknown;
}

export interface UpdatePlan {
  product: ProductFieldsUpdate | null;
  variants: VariantFieldsUpdate[];
  optionRenames: OptionValueRename[];
  changes: FieldChange[];
  /** Lightspeed variants with no BigCommerce variant linked (not created by an update). */
  unlinkedVariants: string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const money = (n: number | null | undefined): number | undefined => (n === null || n === undefined || !Number.isFinite(n) || n < 0 ? undefined : round2(n));

/**
 * Barcodes → BigCommerce identifiers: a 12-digit UPC-A is the `upc`; an EAN-13 (or GTIN-14) is the
 * `gtin`, and also the `upc` when there is no UPC-A (BigCommerce's upc field holds up to 14 digits).
 */
export function identifiersFor(barcodes: readonly string[]): { upc?: string; gtin?: string } {
  const digits = barcodes.filter((b) => /^\d+$/.test(b));
  const upcA = digits.find((b) => b.length === 12);
  const ean = digits.find((b) => b.length === 13 || b.length === 14);
  const upc = upcA ?? ean;
  return { ...(upc ? { upc } : {}), ...(ean ? { gtin: ean } : {}) };
}

export function inventoryTrackingFor(item: Pick<ItemSnapshot, 'tracksInventory' | 'hasVariants'>): InventoryTracking {
  if (!item.tracksInventory) return 'none';
  return item.hasVariants ? 'variant' : 'product';
}

/** The product price: the item's own, else the lowest variant price, else 0. */
export function productPriceFor(item: Pick<ItemSnapshot, 'price' | 'variants'>): number {
  const own = money(item.price);
  if (own !== undefined) return own;
  const prices = item.variants.map((v) => money(v.price)).filter((p): p is number => p !== undefined);
  return prices.length > 0 ? Math.min(...prices) : 0;
}

export function productCostFor(item: Pick<ItemSnapshot, 'cost' | 'variants'>): number | undefined {
  const own = money(item.cost);
  if (own !== undefined) return own;
  const costs = item.variants.map((v) => money(v.cost)).filter((p): p is number => p !== undefined);
  return costs.length > 0 ? Math.min(...costs) : undefined;
}

/** A variant's option values; a variant Lightspeed gives no options gets one named "Variant". */
export function optionValuesFor(variant: ItemVariant): OptionValueRef[] {
  const values = variant.options.filter((o) => o.name.trim() !== '' && o.value.trim() !== '').map((o) => ({ option_display_name: o.name.trim(), label: o.value.trim() }));
  return values.length > 0 ? values : [{ option_display_name: 'Variant', label: variant.name || variant.sku }];
}

/** The variants BigCommerce would hold for the item: the active ones. */
export const sellableVariants = (item: Pick<ItemSnapshot, 'variants'>): ItemVariant[] => item.variants.filter((v) => v.active);

const NAME_LIMIT = 250;

/**
 * The BigCommerce product name for an item. BigCommerce product names are unique in a store while
 * Lightspeed allows two items of the same name, so the second one carries its SKU: "Tee [TEE-2]".
 */
export function productNameFor(item: Pick<ItemSnapshot, 'name' | 'sku'>, withSku = false): string {
  if (!withSku) return item.name.slice(0, NAME_LIMIT);
  const suffix = ` [${item.sku}]`;
  return `${item.name.slice(0, NAME_LIMIT - suffix.length)}${suffix}`;
}

/** Whether a BigCommerce name is the SKU-carrying form (so renames keep the form). */
export const nameCarriesSku = (bcName: string, item: Pick<ItemSnapshot, 'sku'>): boolean => bcName.endsWith(` [${item.sku}]`);

/** The `POST /v3/catalog/products` body for an item being enabled for the first time. */
export function planCreate(item: ItemSnapshot, hiddenCategoryId: number, options: { nameWithSku?: boolean } = {}): ProductCreatePlan {
  const cost = productCostFor(item);
  const plan: ProductCreatePlan = {
    name: productNameFor(item, options.nameWithSku),
    type: 'physical',
    sku: item.sku,
    weight: 0,
    price: productPriceFor(item),
    ...(cost !== undefined ? { cost_price: cost } : {}),
    ...(item.hasVariants ? {} : identifiersFor(item.barcodes)),
    is_visible: false,
    categories: [hiddenCategoryId],
    inventory_tracking: inventoryTrackingFor(item),
  };
  if (item.hasVariants) plan.variants = sellableVariants(item).map((v) => ({ ...variantFields(v), option_values: optionValuesFor(v) }));
  return plan;
}

/**
 * The item's variant links, completed by SKU: a Lightspeed variant with no live link whose SKU
 * the BigCommerce product already holds (on a variant not linked to another) is linked, not created.
 */
export function linkVariantsBySku(item: Pick<ItemSnapshot, 'variants'>, bc: Pick<BcProductView, 'variants'>, variantIds: Readonly<Record<string, number>>): Record<string, number> {
  const links = { ...variantIds };
  const bcVariants = bc.variants ?? [];
  const taken = new Set(Object.values(links));
  for (const v of sellableVariants(item)) {
    if (bcVariants.some((b) => b.id === links[v.lsProductId])) continue;
    const same = bcVariants.find((b) => b.sku.toLowerCase() === v.sku.toLowerCase() && !taken.has(b.id));
    if (!same) continue;
    links[v.lsProductId] = same.id;
    taken.add(same.id);
  }
  return links;
}

/** What a new BigCommerce variant carries from Lightspeed, besides its option values. */
export function variantFields(v: ItemVariant): Omit<VariantCreate, 'option_values'> {
  const price = money(v.price);
  const costPrice = money(v.cost);
  return {
    sku: v.sku,
    ...(price !== undefined ? { price } : {}),
    ...(costPrice !== undefined ? { cost_price: costPrice } : {}),
    ...identifiersFor(v.barcodes),
  };
}

/** A BigCommerce product option as the variant planning needs it. */
export interface OptionView {
  id: number;
  display_name: string;
  option_values: { id: number; label: string }[];
}

export type NewVariantOptions =
  | { kind: 'ready'; optionValues: { id: number; option_id: number }[] }
  /** Values BigCommerce's options must gain first (one option update each), then plan again. */
  | { kind: 'add-values'; additions: { optionId: number; label: string }[] }
  | { kind: 'mismatch'; reason: string };

/**
 * The option values a variant added in Lightspeed after linking takes in the BigCommerce product.
 * A new value of an existing option is added; a different set of options (a new attribute) is a
 * structural change BigCommerce variants cannot take one at a time, so it is reported, not guessed.
 */
export function optionsForNewVariant(variant: ItemVariant, options: readonly OptionView[]): NewVariantOptions {
  const wanted = optionValuesFor(variant);
  const key = (name: string) => name.trim().toLowerCase();
  const have = options.map((o) => key(o.display_name)).sort();
  const want = wanted.map((w) => key(w.option_display_name)).sort();
  if (have.join('\u0000') !== want.join('\u0000')) {
    const list = (names: readonly string[]) => (names.length ? names.join(', ') : 'none');
    return { kind: 'mismatch', reason: `Lightspeed's options are ${list(wanted.map((w) => w.option_display_name))}, the BigCommerce product's are ${list(options.map((o) => o.display_name))}` };
  }
  const optionValues: { id: number; option_id: number }[] = [];
  const additions: { optionId: number; label: string }[] = [];
  for (const w of wanted) {
    const option = options.find((o) => key(o.display_name) === key(w.option_display_name))!;
    const value = option.option_values.find((v) => v.label === w.label) ?? option.option_values.find((v) => key(v.label) === key(w.label));
    if (value) optionValues.push({ id: value.id, option_id: option.id });
    else additions.push({ optionId: option.id, label: w.label });
  }
  return additions.length > 0 ? { kind: 'add-values', additions } : { kind: 'ready', optionValues };
}

const differs = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) > 0.004 : (a ?? '') !== (b ?? ''));

/**
 * The changes to Lightspeed-owned fields that bring a linked BigCommerce product in line with
 * the item. Never SKU, description, images, categories, custom fields or visibility.
 * `variantIds` maps Lightspeed product ids to BigCommerce variant ids.
 */
export function planUpdate(item: ItemSnapshot, bc: BcProductView, variantIds: Readonly<Record<string, number>>): UpdatePlan {
  const changes: FieldChange[] = [];
  const product: ProductFieldsUpdate = { id: bc.id };
  const set = <K extends keyof Omit<ProductFieldsUpdate, 'id'>>(field: K, to: ProductFieldsUpdate[K], from: unknown) => {
    if (to === undefined || !differs(from, to)) return;
    product[field] = to;
    changes.push({ target: 'product', field, from: from ?? null, to });
  };
  // The SKU suffix (for a name another product holds) is BigCommerce's SKU, which never changes.
  set('name', productNameFor({ name: item.name, sku: bc.sku }, nameCarriesSku(bc.name, bc)), bc.name);
  set('price', productPriceFor(item), bc.price);
  set('cost_price', productCostFor(item), bc.cost_price);
  set('inventory_tracking', inventoryTrackingFor(item), bc.inventory_tracking);
  if (!item.hasVariants) {
    const ids = identifiersFor(item.barcodes);
    set('upc', ids.upc, bc.upc);
    set('gtin', ids.gtin, bc.gtin);
  }

  const variants: VariantFieldsUpdate[] = [];
  const optionRenames: OptionValueRename[] = [];
  const unlinkedVariants: string[] = [];
  if (item.hasVariants) {
    const byId = new Map((bc.variants ?? []).map((v) => [v.id, v]));
    for (const v of sellableVariants(item)) {
      const bcVariant = byId.get(variantIds[v.lsProductId] ?? -1);
      if (!bcVariant) {
        unlinkedVariants.push(v.lsProductId);
        continue;
      }
      const update: VariantFieldsUpdate = { id: bcVariant.id };
      const setV = <K extends keyof Omit<VariantFieldsUpdate, 'id'>>(field: K, to: VariantFieldsUpdate[K], from: unknown) => {
        if (to === undefined || !differs(from, to)) return;
        update[field] = to;
        changes.push({ target: v.lsProductId, field, from: from ?? null, to });
      };
      setV('price', money(v.price), bcVariant.price);
      setV('cost_price', money(v.cost), bcVariant.cost_price);
      const ids = identifiersFor(v.barcodes);
      setV('upc', ids.upc, bcVariant.upc);
      setV('gtin', ids.gtin, bcVariant.gtin);
      if (Object.keys(update).length > 1) variants.push(update);
      for (const want of optionValuesFor(v)) {
        const have = bcVariant.option_values.find((o) => o.option_display_name.toLowerCase() === want.option_display_name.toLowerCase());
        if (!have || have.label === want.label) continue;
        if (optionRenames.some((r) => r.valueId === have.id)) continue;
        optionRenames.push({ optionId: have.option_id, valueId: have.id, from: have.label, to: want.label });
        changes.push({ target: v.lsProductId, field: `option:${want.option_display_name}`, from: have.label, to: want.label });
      }
    }
  }
  return { product: Object.keys(product).length > 1 ? product : null, variants, optionRenames, changes, unlinkedVariants };
}

/** A BigCommerce product found when looking for an item's SKUs or barcodes. */
export interface MatchCandidate {
  id: number;
  name: string;
  sku: string;
  upc?: string | null | undefined;
  gtin?: string | null | undefined;
  base_variant_id?: number | null | undefined;
  variants?: { id: number; sku: string; upc?: string | null | undefined; gtin?: string | null | undefined; option_values: unknown[] }[] | undefined;
}

export type MatchResult =
  | { kind: 'create' }
  | { kind: 'linked'; productId: number; variantIds: Record<string, number>; on: 'sku' | 'barcode' }
  | { kind: 'conflict'; reason: string; candidates: { bigcommerceProductId: number; name: string; sku: string }[] };

const eq = (a: string | null | undefined, b: string) => !!a && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Decides whether an item links to an existing BigCommerce product, needs a new one, or is
 * ambiguous. SKU first, then barcode; anything that is not one clear match is a conflict with
 * its reason, never a guess.
 */
export function matchItem(item: ItemSnapshot, found: readonly MatchCandidate[]): MatchResult {
  const unique = [...new Map(found.map((c) => [c.id, c])).values()];
  const skus = [item.sku, ...item.variants.map((v) => v.sku)].filter((s) => s.trim() !== '');
  const barcodes = [...item.barcodes];
  const bySku = unique.filter((c) => skus.some((s) => eq(c.sku, s) || (c.variants ?? []).some((v) => eq(v.sku, s))));
  const byBarcode = unique.filter((c) => barcodes.some((b) => eq(c.upc, b) || eq(c.gtin, b) || (c.variants ?? []).some((v) => eq(v.upc, b) || eq(v.gtin, b))));
  const on: 'sku' | 'barcode' = bySku.length > 0 ? 'sku' : 'barcode';
  const matches = bySku.length > 0 ? bySku : byBarcode;
  const describe = (cs: MatchCandidate[]) => cs.map((c) => ({ bigcommerceProductId: c.id, name: c.name, sku: c.sku }));
  if (matches.length === 0) return { kind: 'create' };
  if (matches.length > 1) return { kind: 'conflict', reason: `${matches.length} BigCommerce products match this item's ${on === 'sku' ? 'SKUs' : 'barcodes'}`, candidates: describe(matches) };
  const product = matches[0]!;
  const bcVariants = product.variants ?? [];
  const withOptions = bcVariants.filter((v) => v.option_values.length > 0);

  if (!item.hasVariants) {
    if (on === 'sku' && !eq(product.sku, item.sku)) {
      return { kind: 'conflict', reason: `SKU ${item.sku} is on a variant of BigCommerce product "${product.name}", not on a product`, candidates: describe([product]) };
    }
    if (withOptions.length > 0) return { kind: 'conflict', reason: `BigCommerce product "${product.name}" has options; this Lightspeed item has none`, candidates: describe([product]) };
    const base = product.base_variant_id ?? bcVariants[0]?.id;
    return { kind: 'linked', productId: product.id, variantIds: base !== undefined && base !== null ? { [item.lsItemId]: base } : {}, on };
  }

  if (on === 'sku' && !eq(product.sku, item.sku) && bcVariants.some((v) => eq(v.sku, item.sku))) {
    return { kind: 'conflict', reason: `SKU ${item.sku} is on a variant of BigCommerce product "${product.name}", not on a product`, candidates: describe([product]) };
  }
  const variantIds: Record<string, number> = {};
  const missing: string[] = [];
  for (const v of sellableVariants(item)) {
    const match = bcVariants.find((b) => eq(b.sku, v.sku)) ?? bcVariants.find((b) => v.barcodes.some((code) => eq(b.upc, code) || eq(b.gtin, code)));
    if (match) variantIds[v.lsProductId] = match.id;
    else missing.push(v.sku);
  }
  if (withOptions.length === 0) return { kind: 'conflict', reason: `option mismatch: BigCommerce product "${product.name}" has no options; this item has ${item.variants.length} variants`, candidates: describe([product]) };
  if (missing.length > 0) return { kind: 'conflict', reason: `option mismatch: variant(s) ${missing.join(', ')} are not in BigCommerce product "${product.name}"`, candidates: describe([product]) };
  return { kind: 'linked', productId: product.id, variantIds, on };
}
