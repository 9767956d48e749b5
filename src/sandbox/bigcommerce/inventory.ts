/**
 * Stock per (variant, location) and how the catalog sees it.
 *
 * BigCommerce keeps stock per location; the Catalog API's `inventory_level` shows only the
 * default location's stock, unless support switched the store to aggregated stock (the sum of
 * enabled locations). Inventory API writes are asynchronous: a request is validated, answered
 * with a `transaction_id`, and applied later — reads in between still show the old value.
 */
import { orderPolicies } from './policies';
import type { Runtime } from './runtime';
import { DEFAULT_LOCATION_ID, findProduct, findVariant, isSimple, variantsOf } from './store-state';
import type { InventoryItemChange, PendingAdjustment, Product, StockRecord, StoreState, Variant } from './types';

export const MAX_STOCK = 2_147_483_647;

export function findStock(store: StoreState, variantId: number, locationId: number): StockRecord | undefined {
  return store.stock.find((s) => s.variant_id === variantId && s.location_id === locationId);
}

export function ensureStock(store: StoreState, variantId: number, locationId: number): StockRecord {
  let record = findStock(store, variantId, locationId);
  if (!record) {
    record = { variant_id: variantId, location_id: locationId, on_hand: 0, safety_stock: 0, is_in_stock: true, warning_level: 0, bin_picking_number: '' };
    store.stock.push(record);
  }
  return record;
}

export function availableToSell(record: StockRecord | undefined): number {
  if (!record) return 0;
  return Math.max(0, record.on_hand - record.safety_stock);
}

/** What the catalog shows as a variant's `inventory_level` under the store's stock mode. */
export function catalogLevel(store: StoreState, variantId: number): number {
  if (store.stockMode === 'default-location') return findStock(store, variantId, DEFAULT_LOCATION_ID)?.on_hand ?? 0;
  return store.locations
    .filter((l) => l.enabled)
    .reduce((sum, l) => sum + (findStock(store, variantId, l.id)?.on_hand ?? 0), 0);
}

export function productLevel(store: StoreState, product: Product): number {
  if (product.inventory_tracking === 'none') return 0;
  if (product.inventory_tracking === 'product') {
    const carrier = product.variant_ids[0];
    return carrier === undefined ? 0 : catalogLevel(store, carrier);
  }
  return variantsOf(store, product).reduce((sum, v) => sum + catalogLevel(store, v.id), 0);
}

/**
 * The variant whose stock records hold a line's stock, or null when the product tracks none.
 * Tracked by product, a product keeps one count however many variants it has ("inventory levels
 * will be tracked using the inventory_level and inventory_warning_level fields",
 * products_catalog.v3.yml `inventory_tracking`): the sandbox keeps that count on the product's
 * first variant, the item the Inventory API's `product_id` identity resolves to.
 */
export function stockVariantId(product: Product, variantId: number): number | null {
  if (product.inventory_tracking === 'none') return null;
  if (product.inventory_tracking === 'product') return product.variant_ids[0] ?? null;
  return variantId;
}

/**
 * Units one location can sell of one item: on hand less safety stock ("Safety stock quantity is
 * not included in the Available to Sell quantity", inventory-adjustments guide). None when the
 * location is disabled (its stock does not count toward available to sell, inventory-locations
 * guide) or the item is marked not in stock there (`is_in_stock`: "whether an item is available
 * for purchase independent of quantity", inventory.v3.yml; how the flag reads is the store's
 * `isInStock` policy, policies.ts).
 */
export function sellableAt(store: StoreState, variantId: number, locationId: number): number {
  const location = store.locations.find((l) => l.id === locationId);
  if (!location?.enabled) return 0;
  const record = findStock(store, variantId, locationId);
  if (!record || (!record.is_in_stock && orderPolicies(store).isInStock === 'restricts')) return 0;
  return Math.max(0, availableToSell(record) + acceptedRelativeDecrease(store, variantId, locationId));
}

/**
 * Units that relative decreases already accepted, and not yet applied, will take from one
 * (variant, location) (0 or less). An order sells only what they leave: BigCommerce puts relative
 * adjustments and orders in one strict order and checks each against the stock the earlier ones
 * leave ("Concurrent adjustment handling": "handled one-by-one and have a strict order, to avoid
 * overselling"; relative adjustments "synchronize with orders", inventory-adjustments guide), so
 * an accepted decrease is never pushed below zero by a later order. An accepted increase is sold
 * once it is applied ("there may be a short delay before data is updated").
 */
function acceptedRelativeDecrease(store: StoreState, variantId: number, locationId: number): number {
  let sum = 0;
  for (const { method, quantity } of pendingFor(store, variantId, locationId)) if (method === 'relative' && quantity < 0) sum += quantity;
  return sum;
}

/** The adjustments accepted and not yet applied for one (variant, location), oldest first. */
function* pendingFor(store: StoreState, variantId: number, locationId: number): Generator<{ method: PendingAdjustment['method']; quantity: number }> {
  for (const pending of store.pendingAdjustments) {
    for (const item of pending.items) if (item.variant_id === variantId && item.location_id === locationId) yield { method: pending.method, quantity: item.quantity };
  }
}

/** Which legacy inventory webhook family a product's stock changes belong to. */
export function inventoryScope(store: StoreState, product: Product): 'product' | 'sku' | null {
  if (product.inventory_tracking === 'none') return null;
  if (product.inventory_tracking === 'product' || isSimple(store, product)) return 'product';
  return 'sku';
}

/** Emits the inventory webhooks for one changed (variant, location). */
export function emitStockChange(
  rt: Runtime,
  store: StoreState,
  variant: Variant,
  locationId: number,
  cause: 'adjustment' | 'order',
  method: 'absolute' | 'relative',
  value: number,
): void {
  const product = findProduct(store, variant.product_id);
  if (!product) return;
  const family = inventoryScope(store, product);
  if (family === null) return;
  const suffix = cause === 'order' ? 'inventory/order/updated' : 'inventory/updated';
  if (family === 'product') {
    rt.emit(store, `store/product/${suffix}`, { type: 'product', id: product.id, inventory: { product_id: product.id, method, value } });
  } else {
    rt.emit(store, `store/sku/${suffix}`, {
      type: 'sku',
      id: variant.id, // the sandbox uses the variant id as sku_id
      inventory: { product_id: product.id, method, value, variant_id: variant.id },
    });
  }
  const where = { variant_id: variant.id, product_id: product.id, location_id: locationId };
  if (cause === 'adjustment') {
    rt.emit(store, 'store/channel/*/inventory/product/stock_changed', where);
  } else if (method === 'relative') {
    emitOrderThresholds(rt, store, findStock(store, variant.id, locationId), value, where);
  }
}

/**
 * The location-level events only an order fires (inventory-location webhooks guide):
 * `low_stock_reached` when stock is at or below the location's warning level (0 = no warning
 * set), `out_of_stock_reached` when it is zero. Whether they fire once on crossing or on every
 * order while below is the `lowStockWebhook` policy; out-of-stock fires on reaching zero.
 */
function emitOrderThresholds(rt: Runtime, store: StoreState, record: StockRecord | undefined, delta: number, where: Record<string, number>): void {
  if (!record || delta >= 0) return;
  const after = record.on_hand;
  const before = after - delta;
  const level = record.warning_level;
  const everyOrder = rt.config.policies.lowStockWebhook === 'every-order';
  if (level > 0 && after <= level && (everyOrder || before > level)) rt.emit(store, 'store/channel/*/inventory/product/low_stock_reached', where);
  if (after <= 0 && before > 0) rt.emit(store, 'store/channel/*/inventory/product/out_of_stock_reached', where);
}

function applyChange(rt: Runtime, store: StoreState, method: 'absolute' | 'relative', change: InventoryItemChange): void {
  const record = ensureStock(store, change.variant_id, change.location_id);
  const before = record.on_hand;
  record.on_hand = method === 'absolute' ? change.quantity : Math.max(0, record.on_hand + change.quantity);
  rt.config.onAdjustmentApplied?.({ store: store.hash, variant_id: change.variant_id, location_id: change.location_id, method, quantity: change.quantity, before, after: record.on_hand, at: rt.config.now() });
  const variant = findVariant(store, change.variant_id);
  if (variant && record.on_hand !== before) {
    emitStockChange(rt, store, variant, change.location_id, 'adjustment', method, method === 'absolute' ? record.on_hand : change.quantity);
  }
}

/** Applies every pending adjustment that is due (or all of them with `force`), oldest first. */
export function applyDueAdjustments(rt: Runtime, store: StoreState, force = false): number {
  const now = rt.config.now();
  const due = store.pendingAdjustments.filter((p) => force || p.apply_at <= now);
  if (due.length === 0) return 0;
  store.pendingAdjustments = store.pendingAdjustments.filter((p) => !due.includes(p));
  for (const adjustment of due) for (const item of adjustment.items) applyChange(rt, store, adjustment.method, item);
  rt.changed();
  return due.length;
}

/**
 * On-hand as it will be once everything already accepted has been applied; used to validate a
 * new relative adjustment against the baseline it will actually meet.
 */
export function projectedOnHand(store: StoreState, variantId: number, locationId: number): number | undefined {
  let value = findStock(store, variantId, locationId)?.on_hand;
  for (const { method, quantity } of pendingFor(store, variantId, locationId)) {
    value = method === 'absolute' ? quantity : value === undefined ? undefined : Math.max(0, value + quantity);
  }
  return value;
}

export function queueAdjustment(rt: Runtime, store: StoreState, adjustment: Omit<PendingAdjustment, 'apply_at'>): void {
  store.pendingAdjustments.push({ ...adjustment, apply_at: rt.config.now() + rt.config.inventoryApplyDelayMs });
  rt.scheduleInventory(store);
  rt.changed();
}

/** Catalog writes of `inventory_level` go to the default location, immediately. */
export function setCatalogLevel(store: StoreState, variantId: number, level: number): void {
  ensureStock(store, variantId, DEFAULT_LOCATION_ID).on_hand = Math.min(Math.max(0, level), MAX_STOCK);
}
