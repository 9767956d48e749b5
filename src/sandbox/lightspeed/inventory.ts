/**
 * Inventory per product × outlet. Every change takes a new global version (so cursor pollers
 * see it) and queues an `inventory.update` webhook — unless the product does not track
 * inventory, for which Lightspeed sends none (docs/webhooks).
 */
import { isoTime, nextVersion, type SandboxContext } from './context';
import { inventoryPayload } from './webhook-payloads';
import type { InventoryRecord, Product, Retailer, StockAdjustment, StockAdjustmentReason } from './types';

export const inventoryKey = (productId: string, outletId: string): string => `${productId}:${outletId}`;

export class SandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function inventoryRecord(ctx: Pick<SandboxContext, 'newId'>, retailer: Retailer, productId: string, outletId: string): InventoryRecord {
  const key = inventoryKey(productId, outletId);
  let record = retailer.inventory[key];
  if (!record) {
    // Records exist for every product × outlet in Lightspeed; a new outlet or product gets one lazily.
    record = {
      id: ctx.newId(),
      product_id: productId,
      outlet_id: outletId,
      current_inventory_level: 0,
      reorder_point: null,
      reorder_amount: null,
      average_cost: retailer.products[productId]?.supply_price ?? null,
      deleted_at: null,
      version: 0,
    };
    retailer.inventory[key] = record;
  }
  return record;
}

export type InventoryChange = { delta: number } | { set: number };

/**
 * The one way stock moves. `cause` names what moved it (`sale:<id>`, `consignment:<id>`,
 * `adjustment`, …) in the event log, so a test can account for every unit.
 */
export function changeInventory(
  ctx: SandboxContext,
  retailer: Retailer,
  productId: string,
  outletId: string,
  change: InventoryChange,
  cause: string,
): InventoryRecord {
  const product = retailer.products[productId];
  if (!product) throw new SandboxError(422, `product ${productId} not found`);
  if (!retailer.outlets[outletId]) throw new SandboxError(422, `outlet ${outletId} not found`);
  const record = inventoryRecord(ctx, retailer, productId, outletId);
  record.current_inventory_level = 'set' in change ? change.set : record.current_inventory_level + change.delta;
  record.version = nextVersion(retailer);
  ctx.events.record({
    kind: 'stock',
    product_id: productId,
    outlet_id: outletId,
    change,
    level: record.current_inventory_level,
    version: record.version,
    cause,
  });
  if (product.has_inventory) ctx.emit(retailer, 'inventory.update', inventoryPayload(record));
  ctx.changed();
  return record;
}

/** Find a product the way a till does: by id, SKU or any barcode in product_codes. */
export function findProduct(
  retailer: Retailer,
  ref: { product_id?: string | undefined; sku?: string | undefined; barcode?: string | undefined },
): Product {
  const products = Object.values(retailer.products).filter((p) => p.deleted_at === null);
  const found = ref.product_id
    ? retailer.products[ref.product_id]
    : ref.sku
      ? products.find((p) => p.sku === ref.sku && !p.is_family_parent)
      : ref.barcode
        ? products.find((p) => p.product_codes.some((c) => c.code === ref.barcode))
        : undefined;
  if (!found) throw new SandboxError(422, `product not found: ${JSON.stringify(ref)}`);
  if (found.is_family_parent) throw new SandboxError(422, `product ${found.id} is a variant family parent`);
  return found;
}

export function createStockAdjustments(
  ctx: SandboxContext,
  retailer: Retailer,
  userId: string,
  items: {
    product_id: string;
    outlet_id: string;
    quantity: string;
    reason: StockAdjustmentReason;
    custom_inventory_adjustment_reason_id?: string | undefined;
  }[],
): StockAdjustment[] {
  // Validate the whole batch first: a bad line rejects the request with no partial write.
  for (const [index, item] of items.entries()) {
    if (!retailer.products[item.product_id]) throw new SandboxError(422, `stock_adjustments[${index}].product_id not found`);
    if (retailer.products[item.product_id]?.is_family_parent)
      throw new SandboxError(422, `stock_adjustments[${index}].product_id is a variant family parent`);
    if (!retailer.outlets[item.outlet_id]) throw new SandboxError(422, `stock_adjustments[${index}].outlet_id not found`);
    if (!/^-?\d+(\.\d+)?$/.test(item.quantity)) throw new SandboxError(422, `stock_adjustments[${index}].quantity must be a numeric string`);
    if (item.reason === 'CUSTOM' && !item.custom_inventory_adjustment_reason_id)
      throw new SandboxError(422, `stock_adjustments[${index}].custom_inventory_adjustment_reason_id is required for CUSTOM`);
  }
  const at = isoTime(ctx.now());
  return items.map((item) => {
    const id = ctx.newId();
    const record = changeInventory(ctx, retailer, item.product_id, item.outlet_id, { delta: Number(item.quantity) }, `stock_adjustment:${id}`);
    const adjustment: StockAdjustment = {
      id,
      product_id: item.product_id,
      outlet_id: item.outlet_id,
      quantity: item.quantity,
      reason: item.reason,
      custom_inventory_adjustment_reason_id: item.custom_inventory_adjustment_reason_id ?? null,
      user_id: userId,
      created_at: at,
      updated_at: at,
      version: record.version,
    };
    retailer.stock_adjustments[adjustment.id] = adjustment;
    return adjustment;
  });
}
