/**
 * Lightspeed products → catalog items. An item is what the merchant enables online: a variant
 * family (its parent and variants) or a standalone product. Pure: no I/O.
 */

/** The Lightspeed product fields the catalog reads (structurally the client's `Product`). */
export interface SourceProduct {
  id: string;
  name: string;
  sku: string;
  active: boolean;
  tracksInventory: boolean;
  hasVariants: boolean;
  familyId: string | null;
  variantParentId: string | null;
  variantName: string | null;
  variantOptions: { name: string; value: string }[];
  priceExcludingTax: number | null;
  supplyPrice: number | null;
  productCodes: { type: string | null; code: string }[];
  brand?: string | null | undefined;
  productType?: string | null | undefined;
  tags?: string[] | undefined;
  deletedAt: string | null;
  version: number;
}

export interface ItemVariant {
  lsProductId: string;
  sku: string;
  name: string;
  barcodes: string[];
  options: { name: string; value: string }[];
  price: number | null;
  cost: number | null;
  active: boolean;
}

export interface ItemSnapshot {
  lsItemId: string;
  name: string;
  sku: string;
  /** Barcodes of the product itself, then of its variants (for search). */
  barcodes: string[];
  productType: string | null;
  brand: string | null;
  tags: string[];
  /** False when the item (or every variant) is inactive or deleted in Lightspeed. */
  active: boolean;
  tracksInventory: boolean;
  hasVariants: boolean;
  price: number | null;
  cost: number | null;
  /** Live (not deleted) variants, in SKU order. Empty for a standalone product. */
  variants: ItemVariant[];
  lsProductIds: string[];
  version: number;
}

/** The item a product belongs to: its family, else its variant parent, else itself. */
export function itemKeyOf(p: Pick<SourceProduct, 'id' | 'familyId' | 'variantParentId'>): string {
  return p.familyId ?? p.variantParentId ?? p.id;
}

const barcodesOf = (p: SourceProduct): string[] => [...new Set(p.productCodes.map((c) => c.code.trim()).filter((c) => c.length > 0))];

/** Groups products into items (first-seen order); every product lands in exactly one item. */
export function groupProducts(products: readonly SourceProduct[]): Map<string, SourceProduct[]> {
  const groups = new Map<string, SourceProduct[]>();
  for (const p of products) {
    const key = itemKeyOf(p);
    const members = groups.get(key);
    if (members) members.push(p);
    else groups.set(key, [p]);
  }
  return groups;
}

/**
 * Builds one item from the products sharing its key. Returns null when nothing is left to show
 * (no parent and no variant: every member unknown).
 */
export function buildItem(key: string, members: readonly SourceProduct[]): ItemSnapshot | null {
  if (members.length === 0) return null;
  const parent = members.find((m) => m.id === key) ?? members.find((m) => m.variantParentId === null && m.hasVariants);
  const variantMembers = members.filter((m) => m !== parent && (m.variantParentId !== null || m.variantOptions.length > 0));
  const isFamily = variantMembers.length > 0 || (parent?.hasVariants ?? false);
  const head = parent ?? variantMembers[0];
  if (!head) return null;
  const live = variantMembers.filter((m) => m.deletedAt === null).sort((a, b) => a.sku.localeCompare(b.sku));
  const variants: ItemVariant[] = live.map((m) => ({
    lsProductId: m.id,
    sku: m.sku,
    name: m.variantName ?? m.name,
    barcodes: barcodesOf(m),
    options: m.variantOptions.map((o) => ({ name: o.name, value: o.value })),
    price: m.priceExcludingTax,
    cost: m.supplyPrice,
    active: m.active,
  }));
  const headAlive = head.deletedAt === null && head.active;
  const active = isFamily ? (parent ? parent.deletedAt === null && parent.active : true) && variants.some((v) => v.active) : headAlive;
  const ownBarcodes = parent || !isFamily ? barcodesOf(head) : [];
  const name = parent ? parent.name : stripVariantName(head);
  return {
    lsItemId: key,
    name,
    sku: parent ? parent.sku : head.sku,
    barcodes: [...new Set([...ownBarcodes, ...variants.flatMap((v) => v.barcodes)])],
    productType: head.productType ?? null,
    brand: head.brand ?? null,
    tags: [...new Set(head.tags ?? [])],
    active,
    tracksInventory: head.tracksInventory,
    hasVariants: isFamily,
    price: head.priceExcludingTax,
    cost: head.supplyPrice,
    variants,
    lsProductIds: members.map((m) => m.id),
    version: Math.max(...members.map((m) => m.version)),
  };
}

function stripVariantName(p: SourceProduct): string {
  if (p.variantName && p.name.endsWith(` / ${p.variantName}`)) return p.name.slice(0, -(p.variantName.length + 3));
  return p.name;
}

/** Every item the products form. */
export function buildItems(products: readonly SourceProduct[]): ItemSnapshot[] {
  const items: ItemSnapshot[] = [];
  for (const [key, members] of groupProducts(products)) {
    const item = buildItem(key, members);
    if (item) items.push(item);
  }
  return items;
}
