/**
 * Product edits (PUT /api/2.1|2026-07/products/{id} and the control panel's "change a
 * product"). In the 2.1 model `common` fields belong to the whole variant family and `details`
 * to one variant, so a family-level edit touches every member. Each touched product takes a
 * new version and fires `product.update`.
 */
import { isoTime, nextVersion, type SandboxContext } from './context';
import { changeInventory, SandboxError } from './inventory';
import { productPayload } from './webhook-payloads';
import type { Product, ProductCode, Retailer } from './types';

export interface ProductChange {
  name?: string | undefined;
  description?: string | undefined;
  brand_id?: string | undefined;
  tag_ids?: string[] | undefined;
  track_inventory?: boolean | undefined;
  active?: boolean | undefined;
  price_excluding_tax?: number | undefined;
  supply_price?: number | undefined;
  sku?: string | undefined;
  product_codes?: { code: string; type?: ProductCode['type'] | undefined }[] | undefined;
  inventory?: { outlet_id: string; current_amount?: number | undefined; reorder_point?: number | undefined; reorder_amount?: number | undefined }[] | undefined;
  deleted?: boolean | undefined;
}

function family(retailer: Retailer, product: Product): Product[] {
  return Object.values(retailer.products).filter((p) => p.family_id === product.family_id);
}

export function updateProduct(ctx: SandboxContext, retailer: Retailer, productId: string, change: ProductChange): Product {
  const product = retailer.products[productId];
  if (!product) throw new SandboxError(404, 'product not found');
  if (change.brand_id && !retailer.brands[change.brand_id]) throw new SandboxError(422, 'brand_id brand not found');
  for (const id of change.tag_ids ?? []) if (!retailer.tags[id]) throw new SandboxError(422, `tag ${id} not found`);
  for (const i of change.inventory ?? []) if (!retailer.outlets[i.outlet_id]) throw new SandboxError(422, `outlet ${i.outlet_id} not found`);
  if (change.sku && Object.values(retailer.products).some((p) => p.id !== productId && p.sku === change.sku && !p.deleted_at))
    throw new SandboxError(422, `sku ${change.sku} is already in use`);

  const at = isoTime(ctx.now());
  const members = family(retailer, product);
  const touched = new Set<Product>([product]);
  // Family-level (common) fields.
  if (change.name !== undefined) {
    const parent = members.find((p) => p.is_family_parent);
    if (product.is_family_parent || !parent) {
      for (const p of members) {
        p.base_name = change.name;
        p.name = p.variant_name ? `${change.name} / ${p.variant_name}` : change.name;
        touched.add(p);
      }
    } else {
      product.name = change.name;
    }
  }
  for (const p of members) {
    if (change.description !== undefined) p.description = change.description;
    if (change.brand_id !== undefined) p.brand_id = change.brand_id;
    if (change.tag_ids !== undefined) p.tag_ids = [...change.tag_ids];
    if (change.track_inventory !== undefined) p.has_inventory = change.track_inventory;
    if (change.description !== undefined || change.brand_id !== undefined || change.tag_ids !== undefined || change.track_inventory !== undefined)
      touched.add(p);
  }
  // Variant-level (details) fields.
  if (change.active !== undefined) product.active = change.active;
  if (change.price_excluding_tax !== undefined) product.price_excluding_tax = change.price_excluding_tax;
  if (change.supply_price !== undefined) product.supply_price = change.supply_price;
  if (change.sku !== undefined) product.sku = change.sku;
  if (change.product_codes !== undefined)
    product.product_codes = change.product_codes.map((c) => ({ id: ctx.newId(), type: c.type ?? 'CUSTOM', code: c.code }));
  if (change.deleted) product.deleted_at = product.deleted_at ?? at;

  for (const p of touched) {
    p.updated_at = at;
    p.version = nextVersion(retailer);
  }
  // 2.1's details.inventory is an absolute set (docs/inventory_updates warns about it).
  for (const i of change.inventory ?? []) {
    if (i.current_amount !== undefined) changeInventory(ctx, retailer, product.id, i.outlet_id, { set: i.current_amount }, `product:${product.id}`);
  }
  for (const p of touched) ctx.emit(retailer, 'product.update', productPayload(retailer, p));
  ctx.changed();
  return product;
}

export interface VariantAddition {
  sku: string;
  options: { name: string; value: string }[];
  price_excluding_tax?: number | undefined;
  supply_price?: number | undefined;
  product_codes?: { code: string; type?: ProductCode['type'] | undefined }[] | undefined;
}

/**
 * Adds a variant to an existing family (BackOffice's "add variant"): a new product sharing the
 * family's common fields, with its own options, SKU and codes, and no stock yet. The family's
 * parent counts it; both take new versions and fire `product.update`.
 */
export function addVariant(ctx: SandboxContext, retailer: Retailer, familyMemberId: string, input: VariantAddition): Product {
  const member = retailer.products[familyMemberId];
  if (!member) throw new SandboxError(404, 'product not found');
  const members = family(retailer, member);
  const parent = members.find((p) => p.is_family_parent);
  const sibling = members.find((p) => !p.is_family_parent && !p.deleted_at);
  if (!parent || !sibling) throw new SandboxError(422, 'the product is not part of a variant family');
  if (Object.values(retailer.products).some((p) => p.sku === input.sku && !p.deleted_at)) throw new SandboxError(422, `sku ${input.sku} is already in use`);
  if (input.options.length === 0) throw new SandboxError(422, 'a variant needs at least one option');
  const at = isoTime(ctx.now());
  const variantName = input.options.map((o) => o.value).join(' / ');
  const product: Product = {
    ...sibling,
    id: ctx.newId(),
    name: `${parent.base_name} / ${variantName}`,
    variant_name: variantName,
    variant_options: input.options.map((o) => ({ ...o })),
    sku: input.sku,
    supplier_code: `${input.sku}-S`,
    price_excluding_tax: input.price_excluding_tax ?? sibling.price_excluding_tax,
    supply_price: input.supply_price ?? sibling.supply_price,
    product_codes: (input.product_codes ?? []).map((c) => ({ id: ctx.newId(), type: c.type ?? 'CUSTOM', code: c.code })),
    tag_ids: [...sibling.tag_ids],
    created_at: at,
    updated_at: at,
    deleted_at: null,
    version: nextVersion(retailer),
  };
  retailer.products[product.id] = product;
  parent.variant_count = (parent.variant_count ?? 0) + 1;
  parent.updated_at = at;
  parent.version = nextVersion(retailer);
  for (const p of [parent, product]) ctx.emit(retailer, 'product.update', productPayload(retailer, p));
  ctx.changed();
  return product;
}
