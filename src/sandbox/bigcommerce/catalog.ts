/**
 * Catalog rules: unique names and SKUs (409 for products, 422 for variants, as the specs list),
 * options and variants that agree (every variant picks exactly one value of every option, no two
 * variants pick the same combination), and the simple-product base variant.
 */
import { z } from 'zod';
import { setCatalogLevel } from './inventory';
import { applyProductDetails, checkProductDetails, productDetailsUpdate } from './product-details';
import { HttpError } from './responses';
import type { Runtime } from './runtime';
import { findVariant, iso, isSimple, nextId, skuTaken, variantsOf } from './store-state';
import type { Product, ProductOption, StoreState, Variant } from './types';

const money = z.number().min(0);

const optionValueRef = z.union([
  z.object({ id: z.number().int(), option_id: z.number().int() }),
  z.object({ option_display_name: z.string().min(1), label: z.string().min(1) }),
]);

export const variantFields = z.object({
  sku: z.string().min(1).max(255).optional(),
  option_values: z.array(optionValueRef).optional(),
  price: money.nullable().optional(),
  sale_price: money.nullable().optional(),
  retail_price: money.nullable().optional(),
  cost_price: money.nullable().optional(),
  weight: z.number().min(0).nullable().optional(),
  upc: z.string().max(14).nullable().optional(),
  gtin: z.string().nullable().optional(),
  mpn: z.string().nullable().optional(),
  inventory_level: z.number().int().min(0).optional(),
  inventory_warning_level: z.number().int().min(0).optional(),
  purchasing_disabled: z.boolean().optional(),
  bin_picking_number: z.string().nullable().optional(),
});
export type VariantFields = z.infer<typeof variantFields>;

const productFields = {
  name: z.string().min(1).max(250),
  type: z.enum(['physical', 'digital']),
  sku: z.string().max(255),
  description: z.string(),
  weight: z.number().min(0),
  price: money,
  cost_price: money,
  retail_price: money,
  sale_price: money,
  categories: z.array(z.number().int()).max(1000),
  inventory_tracking: z.enum(['none', 'product', 'variant']),
  inventory_level: z.number().int().min(0),
  inventory_warning_level: z.number().int().min(0),
  is_visible: z.boolean(),
  availability: z.enum(['available', 'disabled', 'preorder']),
  upc: z.string().max(14),
  gtin: z.string(),
  mpn: z.string(),
};

export const productCreate = z.object({
  ...productFields,
  sku: productFields.sku.optional(),
  description: productFields.description.optional(),
  cost_price: money.optional(),
  retail_price: money.optional(),
  sale_price: money.optional(),
  categories: productFields.categories.optional(),
  inventory_tracking: productFields.inventory_tracking.optional(),
  inventory_level: productFields.inventory_level.optional(),
  inventory_warning_level: productFields.inventory_warning_level.optional(),
  is_visible: productFields.is_visible.optional(),
  availability: productFields.availability.optional(),
  upc: productFields.upc.optional(),
  gtin: productFields.gtin.optional(),
  mpn: productFields.mpn.optional(),
  variants: z.array(variantFields.extend({ sku: z.string().min(1).max(255) })).max(600).optional(),
});
export type ProductCreate = z.infer<typeof productCreate>;

/** `product_Base_PUT` also carries `images` and `custom_fields`: listed ones are updated (with `id`) or added. */
export const productUpdate = z.object({ ...productFields, ...productDetailsUpdate }).partial();
export type ProductUpdate = z.infer<typeof productUpdate>;

function conflict(field: string, message: string): HttpError {
  return new HttpError(409, message, { [field]: message });
}

function invalid(field: string, message: string): HttpError {
  return new HttpError(422, message, { [field]: message });
}

function checkProductUniques(store: StoreState, fields: { name?: string; sku?: string; categories?: number[] }, productId?: number): void {
  if (fields.name !== undefined && store.products.some((p) => p.id !== productId && p.name.toLowerCase() === fields.name!.toLowerCase())) {
    throw conflict('name', `The product name is a duplicate: ${fields.name}`);
  }
  if (fields.sku && skuTaken(store, fields.sku, { productId })) throw conflict('sku', `The product sku is a duplicate: ${fields.sku}`);
  for (const id of fields.categories ?? []) {
    if (!store.categories.some((c) => c.id === id)) throw conflict('categories', `Category ${id} does not exist`);
  }
}

/**
 * Turns a variant's option_values into {option_id, id} pairs, creating options and values when
 * they are named by display name and label and `autoCreate` is on (product POST with variants).
 */
function resolveOptionValues(store: StoreState, product: Product, refs: z.infer<typeof optionValueRef>[], autoCreate: boolean) {
  return refs.map((ref) => {
    if ('id' in ref) {
      const option = product.options.find((o) => o.id === ref.option_id);
      if (!option?.option_values.some((v) => v.id === ref.id)) throw invalid('option_values', `Option value ${ref.id} of option ${ref.option_id} does not exist on product ${product.id}`);
      return { option_id: ref.option_id, id: ref.id };
    }
    let option = product.options.find((o) => o.display_name === ref.option_display_name);
    if (!option) {
      if (!autoCreate) throw invalid('option_values', `Option ${ref.option_display_name} does not exist on product ${product.id}`);
      option = { id: nextId(store, 'option'), product_id: product.id, display_name: ref.option_display_name, type: 'rectangles', sort_order: product.options.length, option_values: [] };
      product.options.push(option);
    }
    let value = option.option_values.find((v) => v.label === ref.label);
    if (!value) {
      if (!autoCreate) throw invalid('option_values', `Value ${ref.label} does not exist on option ${ref.option_display_name}`);
      value = { id: nextId(store, 'optionValue'), label: ref.label, sort_order: option.option_values.length, is_default: false, value_data: null };
      option.option_values.push(value);
    }
    return { option_id: option.id, id: value.id };
  });
}

/** Every variant of a product with options picks one value of each option, in a unique combination. */
function checkVariantConsistency(store: StoreState, product: Product): void {
  const combos = new Set<string>();
  for (const variant of variantsOf(store, product)) {
    const optionIds = variant.option_value_ids.map((o) => o.option_id).sort((a, b) => a - b);
    const expected = product.options.map((o) => o.id).sort((a, b) => a - b);
    if (product.options.length > 0 && optionIds.join(',') !== expected.join(',')) {
      throw invalid('option_values', `Variant ${variant.sku} must have exactly one value for each of the product's options`);
    }
    const key = variant.option_value_ids.map((o) => o.id).sort((a, b) => a - b).join(',');
    if (combos.has(key)) throw invalid('option_values', `Variant ${variant.sku} duplicates the option values of another variant`);
    combos.add(key);
  }
}

function newVariant(store: StoreState, productId: number, sku: string, fields: VariantFields): Variant {
  return {
    id: nextId(store, 'variant'),
    product_id: productId,
    sku,
    option_value_ids: [],
    price: fields.price ?? null,
    sale_price: fields.sale_price ?? null,
    retail_price: fields.retail_price ?? null,
    cost_price: fields.cost_price ?? null,
    weight: fields.weight ?? null,
    upc: fields.upc ?? '',
    gtin: fields.gtin ?? '',
    mpn: fields.mpn ?? '',
    purchasing_disabled: fields.purchasing_disabled ?? false,
    inventory_warning_level: fields.inventory_warning_level ?? 0,
    bin_picking_number: fields.bin_picking_number ?? '',
  };
}

export function skuEvent(rt: Runtime, store: StoreState, action: 'created' | 'updated' | 'deleted', variant: Variant): void {
  rt.emit(store, `store/sku/${action}`, { type: 'sku', id: variant.id, sku: { product_id: variant.product_id, variant_id: variant.id } });
}

export function createProduct(rt: Runtime, store: StoreState, input: ProductCreate): Product {
  const variantInputs = input.variants ?? [];
  const skus = [input.sku ?? '', ...variantInputs.map((v) => v.sku)].filter((s) => s !== '').map((s) => s.toLowerCase());
  if (new Set(skus).size !== skus.length) throw conflict('sku', 'The request contains the same sku more than once');
  checkProductUniques(store, input);
  for (const v of variantInputs) if (skuTaken(store, v.sku)) throw conflict('variants.sku', `The variant sku is a duplicate: ${v.sku}`);

  const stamp = iso(rt.config.now());
  const product: Product = {
    id: nextId(store, 'product'),
    name: input.name,
    type: input.type,
    sku: input.sku ?? '',
    description: input.description ?? '',
    weight: input.weight,
    price: input.price,
    cost_price: input.cost_price ?? 0,
    retail_price: input.retail_price ?? 0,
    sale_price: input.sale_price ?? 0,
    categories: input.categories ?? [],
    inventory_tracking: input.inventory_tracking ?? 'none',
    inventory_warning_level: input.inventory_warning_level ?? 0,
    is_visible: input.is_visible ?? true,
    availability: input.availability ?? 'available',
    upc: input.upc ?? '',
    gtin: input.gtin ?? '',
    mpn: input.mpn ?? '',
    date_created: stamp,
    date_modified: stamp,
    variant_ids: [],
    options: [],
    total_sold: 0,
  };
  const withOptions = variantInputs.filter((v) => (v.option_values ?? []).length > 0);
  const created: Variant[] = [];
  if (withOptions.length === 0) {
    // A simple product: one base variant that carries the product's SKU and stock.
    const base = newVariant(store, product.id, product.sku, variantInputs[0] ?? {});
    created.push(base);
    if (input.inventory_level !== undefined) setCatalogLevel(store, base.id, input.inventory_level);
  } else {
    if (withOptions.length !== variantInputs.length) throw invalid('variants', 'Every variant of a product with options needs option_values');
    for (const v of variantInputs) {
      const variant = newVariant(store, product.id, v.sku, v);
      variant.option_value_ids = resolveOptionValues(store, product, v.option_values ?? [], true);
      created.push(variant);
    }
  }
  product.variant_ids = created.map((v) => v.id);
  store.variants.push(...created);
  store.products.push(product);
  try {
    checkVariantConsistency(store, product);
  } catch (error) {
    removeProduct(store, product);
    throw error;
  }
  if (withOptions.length > 0) {
    variantInputs.forEach((v, i) => v.inventory_level !== undefined && setCatalogLevel(store, created[i]!.id, v.inventory_level));
    // Tracked by product, the product's inventory_level is the stock of all its variants (inventory.ts stockVariantId).
    if (product.inventory_tracking === 'product' && input.inventory_level !== undefined) setCatalogLevel(store, created[0]!.id, input.inventory_level);
  }
  // With a single storefront, new products are listed on the default channel.
  store.channelAssignments.push({ product_id: product.id, channel_id: 1 });
  rt.emit(store, 'store/product/created', { type: 'product', id: product.id });
  if (withOptions.length > 0) for (const v of created) skuEvent(rt, store, 'created', v);
  rt.changed();
  return product;
}

export function updateProduct(rt: Runtime, store: StoreState, product: Product, input: ProductUpdate): Product {
  checkProductUniques(store, { name: input.name, sku: input.sku, categories: input.categories }, product.id);
  const { inventory_level: level, images, custom_fields: customFields, ...fields } = input;
  checkProductDetails(product, { images, custom_fields: customFields });
  Object.assign(product, fields);
  applyProductDetails(rt, store, product, { images, custom_fields: customFields });
  const simple = isSimple(store, product);
  const base = simple ? findVariant(store, product.variant_ids[0]!) : undefined;
  if (base && input.sku !== undefined) base.sku = input.sku;
  if (level !== undefined) {
    // A product tracked by product keeps one level whatever its variants (products_catalog.v3.yml `inventory_level`).
    const carrier = base ?? (product.inventory_tracking === 'product' ? findVariant(store, product.variant_ids[0]!) : undefined);
    if (!carrier) throw invalid('inventory_level', 'inventory_level of a product tracked by variant is set per variant');
    setCatalogLevel(store, carrier.id, level);
  }
  product.date_modified = iso(rt.config.now());
  rt.emit(store, 'store/product/updated', { type: 'product', id: product.id });
  rt.changed();
  return product;
}

export function removeProduct(store: StoreState, product: Product): void {
  const ids = new Set(product.variant_ids);
  store.products = store.products.filter((p) => p.id !== product.id);
  store.variants = store.variants.filter((v) => !ids.has(v.id));
  store.stock = store.stock.filter((s) => !ids.has(s.variant_id));
  store.channelAssignments = store.channelAssignments.filter((a) => a.product_id !== product.id);
}

export function deleteProduct(rt: Runtime, store: StoreState, product: Product): void {
  removeProduct(store, product);
  rt.emit(store, 'store/product/deleted', { type: 'product', id: product.id });
  rt.changed();
}

/**
 * Adds a variant with option values. The first such variant replaces a simple product's base
 * variant (and its stock), as a product stops being simple once it has option variants.
 */
export function addVariant(rt: Runtime, store: StoreState, product: Product, input: VariantFields): Variant {
  if (!input.sku) throw invalid('sku', 'sku is required');
  if (skuTaken(store, input.sku)) throw invalid('sku', `The variant sku is a duplicate: ${input.sku}`);
  if (variantsOf(store, product).length >= 600) throw invalid('variants', 'A product can have at most 600 variants');
  const optionValueIds = resolveOptionValues(store, product, input.option_values ?? [], false);
  if (optionValueIds.length === 0) throw invalid('option_values', 'option_values are required to create a variant');
  const replacedBase = isSimple(store, product) ? product.variant_ids[0] : undefined;
  const variant = newVariant(store, product.id, input.sku, input);
  variant.option_value_ids = optionValueIds;
  const previous = { variants: store.variants, ids: product.variant_ids, stock: store.stock };
  store.variants = [...store.variants.filter((v) => v.id !== replacedBase), variant];
  product.variant_ids = [...product.variant_ids.filter((id) => id !== replacedBase), variant.id];
  try {
    checkVariantConsistency(store, product);
  } catch (error) {
    store.variants = previous.variants;
    product.variant_ids = previous.ids;
    throw error;
  }
  store.stock = store.stock.filter((s) => s.variant_id !== replacedBase);
  if (product.inventory_tracking === 'product' && replacedBase !== undefined) product.inventory_tracking = 'variant';
  if (input.inventory_level !== undefined) setCatalogLevel(store, variant.id, input.inventory_level);
  product.date_modified = iso(rt.config.now());
  skuEvent(rt, store, 'created', variant);
  rt.changed();
  return variant;
}

export function updateVariant(rt: Runtime, store: StoreState, product: Product, variant: Variant, input: VariantFields): Variant {
  if (input.sku !== undefined && input.sku.toLowerCase() !== variant.sku.toLowerCase() && skuTaken(store, input.sku, { variantId: variant.id })) {
    throw invalid('sku', `The variant sku is a duplicate: ${input.sku}`);
  }
  if (input.option_values !== undefined) {
    const before = variant.option_value_ids;
    variant.option_value_ids = resolveOptionValues(store, product, input.option_values, false);
    try {
      checkVariantConsistency(store, product);
    } catch (error) {
      variant.option_value_ids = before;
      throw error;
    }
  }
  const { inventory_level: level, option_values: _ignored, ...rest } = input;
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    (variant as unknown as Record<string, unknown>)[key] = value ?? (key === 'upc' || key === 'gtin' || key === 'mpn' || key === 'bin_picking_number' ? '' : null);
  }
  if (isSimple(store, product) && input.sku !== undefined) product.sku = input.sku;
  if (level !== undefined) setCatalogLevel(store, variant.id, level);
  product.date_modified = iso(rt.config.now());
  skuEvent(rt, store, 'updated', variant);
  rt.changed();
  return variant;
}

export function deleteVariant(rt: Runtime, store: StoreState, product: Product, variant: Variant): void {
  product.variant_ids = product.variant_ids.filter((id) => id !== variant.id);
  store.variants = store.variants.filter((v) => v.id !== variant.id);
  store.stock = store.stock.filter((s) => s.variant_id !== variant.id);
  skuEvent(rt, store, 'deleted', variant);
  rt.changed();
}

export function removeOptionVariants(rt: Runtime, store: StoreState, product: Product, predicate: (ref: { option_id: number; id: number }) => boolean): void {
  for (const variant of variantsOf(store, product)) {
    if (variant.option_value_ids.some(predicate)) deleteVariant(rt, store, product, variant);
  }
}

export function findOption(product: Product, optionId: number): ProductOption {
  const option = product.options.find((o) => o.id === optionId);
  if (!option) throw new HttpError(404, 'The requested option was not found.');
  return option;
}
