/**
 * Splitting writes at BigCommerce's documented batch limits: as few requests as the limit
 * allows (N items at limit L make ⌈N/L⌉ requests), in input order.
 */

/** Documented per-request limits (research §3, §4; DESIGN §3). */
export const BATCH_LIMITS = {
  /** PUT /v3/catalog/products: "limited to 10 products". */
  productsUpdate: 10,
  /** PUT /v3/catalog/variants: "Currently the limit is 50 variants". */
  variantsUpdate: 50,
  /** PUT/POST /v3/inventory/adjustments/*: "Limit of 2000 items for payload length". */
  inventoryAdjustment: 2000,
} as const;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Orders items so each location's items are contiguous (locations in first-seen order, items in
 * input order within a location), as the inventory guide asks for bulk adjustments. Chunking the
 * result keeps the minimal request count while most requests touch a single location.
 */
export function groupByLocation<T extends { location_id: number }>(items: readonly T[]): T[] {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(item.location_id);
    if (group) group.push(item);
    else groups.set(item.location_id, [item]);
  }
  return [...groups.values()].flat();
}
