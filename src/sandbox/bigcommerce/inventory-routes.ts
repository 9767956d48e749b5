/**
 * Inventory API v3 (inventory.v3.yml): absolute/relative adjustments, item reads, per-location
 * item settings. Adjustments are validated synchronously (422, problem+json) and applied later.
 */
import { z } from 'zod';
import { applyDueAdjustments, availableToSell, ensureStock, findStock, MAX_STOCK, projectedOnHand, queueAdjustment } from './inventory';
import { HttpError, intList, json, paged, parseBody, readPage, stringList } from './responses';
import type { Router } from './router';
import { intParam, type RouteContext } from './runtime';
import { findLocation, findProduct, isSimple, newUuid, variantsOf } from './store-state';
import type { InventoryItemChange, StoreState, Variant } from './types';

const PROBLEM = 'application/problem+json';
const MAX_ITEMS = 2000;

const identity = z.union([
  z.object({ sku: z.string().min(1) }),
  z.object({ variant_id: z.number().int() }),
  z.object({ product_id: z.number().int() }),
]);

const adjustmentBody = z.object({
  reason: z.string().optional(),
  items: z.array(z.intersection(identity, z.object({ location_id: z.number().int(), quantity: z.number().int() }))).min(1),
});

type Identity = z.infer<typeof identity>;

/** Finds the inventory item an identity names, or says why the platform would reject it. */
function resolveIdentity(store: StoreState, id: Identity): Variant | string {
  if ('product_id' in id) {
    const product = findProduct(store, id.product_id);
    if (!product) return `Item with product_id ${id.product_id} does not exist`;
    if (product.inventory_tracking === 'none') return `Item with product_id ${id.product_id} does not track inventory`;
    if (product.inventory_tracking === 'variant' && !isSimple(store, product)) {
      return `Item with product_id ${id.product_id} is tracked by variant, please update stock by variant id or sku`;
    }
    return variantsOf(store, product)[0] ?? `Item with product_id ${id.product_id} does not exist`;
  }
  const variant =
    'variant_id' in id
      ? store.variants.find((v) => v.id === id.variant_id)
      : store.variants.find((v) => v.sku.toLowerCase() === id.sku.toLowerCase());
  const label = 'variant_id' in id ? `variant_id ${id.variant_id}` : `sku ${id.sku}`;
  if (!variant) return `Item with ${label} does not exist`;
  const product = findProduct(store, variant.product_id);
  if (!product || product.inventory_tracking === 'none') return `Item with ${label} does not track inventory`;
  if (product.inventory_tracking === 'product' && !isSimple(store, product)) {
    return `Item with ${label} is tracked by product, please update stock by product id`;
  }
  return variant;
}

function validateItems(store: StoreState, items: z.infer<typeof adjustmentBody>['items'], method: 'absolute' | 'relative'): InventoryItemChange[] {
  if (items.length > MAX_ITEMS) throw new HttpError(422, `The number of items exceeds the limit of ${MAX_ITEMS}`, {}, PROBLEM);
  const problems: string[] = [];
  const changes: InventoryItemChange[] = [];
  items.forEach((item, index) => {
    const location = findLocation(store, item.location_id);
    if (!location) return problems.push(`Location with id ${item.location_id} does not exist (items.${index})`);
    if (!location.enabled) return problems.push(`Location with id ${item.location_id} is disabled (items.${index})`);
    const variant = resolveIdentity(store, item);
    if (typeof variant === 'string') return problems.push(variant);
    if (method === 'absolute' && (item.quantity < 0 || item.quantity > MAX_STOCK)) {
      return problems.push(`Quantity for items.${index} must be between 0 and ${MAX_STOCK}`);
    }
    if (method === 'relative') {
      const base = projectedOnHand(store, variant.id, item.location_id);
      if (base === undefined) return problems.push(`Items with identity: [variant_id ${variant.id}] requires absolute adjustment before relative`);
      const safety = findStock(store, variant.id, item.location_id)?.safety_stock ?? 0;
      if (base + item.quantity < safety) return problems.push(`Item with variant_id ${variant.id} would drop below safety stock at location ${item.location_id}`);
    }
    changes.push({ location_id: item.location_id, variant_id: variant.id, quantity: item.quantity });
  });
  if (problems.length > 0) throw new HttpError(422, `[${problems.join(', ')}]`, {}, PROBLEM);
  return changes;
}

function adjust(method: 'absolute' | 'relative') {
  return async (ctx: RouteContext): Promise<Response> => {
    const body = await parseBody(ctx.req, adjustmentBody, PROBLEM);
    const items = validateItems(ctx.store, body.items, method);
    const transactionId = newUuid(ctx.rt);
    queueAdjustment(ctx.rt, ctx.store, { transaction_id: transactionId, method, reason: body.reason ?? '', items });
    return json({ transaction_id: transactionId });
  };
}

function settingsView(record: ReturnType<typeof findStock>) {
  return {
    safety_stock: record?.safety_stock ?? 0,
    is_in_stock: record?.is_in_stock ?? false,
    warning_level: record?.warning_level ?? 0,
    bin_picking_number: record?.bin_picking_number ?? '',
  };
}

function identityView(variant: Variant) {
  return { sku: variant.sku, variant_id: variant.id, product_id: variant.product_id, sku_id: variant.id };
}

/** Tracked variants matching the sku:in / variant_id:in / product_id:in filters. */
function filteredVariants(ctx: RouteContext): Variant[] {
  const skus = stringList(ctx.url, 'sku:in')?.map((s) => s.toLowerCase());
  const variantIds = intList(ctx.url, 'variant_id:in');
  const productIds = intList(ctx.url, 'product_id:in');
  return ctx.store.variants
    .filter((v) => findProduct(ctx.store, v.product_id)?.inventory_tracking !== 'none')
    .filter((v) => !skus || skus.includes(v.sku.toLowerCase()))
    .filter((v) => !variantIds || variantIds.includes(v.id))
    .filter((v) => !productIds || productIds.includes(v.product_id));
}

function listItems(ctx: RouteContext): Response {
  const locationIds = intList(ctx.url, 'location_id:in');
  const codes = stringList(ctx.url, 'location_code:in');
  const locations = ctx.store.locations
    .filter((l) => !locationIds || locationIds.includes(l.id))
    .filter((l) => !codes || codes.includes(l.code));
  const items = filteredVariants(ctx).map((variant) => ({
    identity: identityView(variant),
    locations: locations.map((location) => {
      const record = findStock(ctx.store, variant.id, location.id);
      return {
        location_id: location.id,
        location_code: location.code,
        location_name: location.label,
        available_to_sell: availableToSell(record),
        total_inventory_onhand: record?.on_hand ?? 0,
        location_enabled: location.enabled,
        settings: settingsView(record),
      };
    }),
  }));
  return paged(items, ctx.url, readPage(ctx.url, 50, 1000));
}

function listLocationItems(ctx: RouteContext): Response {
  const location = findLocation(ctx.store, intParam(ctx, 'location_id'));
  if (!location) throw new HttpError(404, 'Location not found', {}, PROBLEM);
  const items = filteredVariants(ctx).map((variant) => {
    const record = findStock(ctx.store, variant.id, location.id);
    return {
      identity: { sku: variant.sku, variant_id: variant.id, product_id: variant.product_id },
      available_to_sell: availableToSell(record),
      total_inventory_onhand: record?.on_hand ?? 0,
      settings: settingsView(record),
    };
  });
  return paged(items, ctx.url, readPage(ctx.url, 50, 1000));
}

const settingsBody = z.object({
  settings: z
    .array(
      z.object({
        identity,
        safety_stock: z.number().int().min(0).optional(),
        is_in_stock: z.boolean().optional(),
        warning_level: z.number().int().min(0).optional(),
        bin_picking_number: z.string().optional(),
      }),
    )
    .min(1)
    .max(MAX_ITEMS),
});

async function updateLocationItemSettings(ctx: RouteContext): Promise<Response> {
  const location = findLocation(ctx.store, intParam(ctx, 'location_id'));
  if (!location) throw new HttpError(422, `Location with id ${ctx.params.location_id} does not exist`, {}, PROBLEM);
  const body = await parseBody(ctx.req, settingsBody, PROBLEM);
  const resolved = body.settings.map((s) => ({ s, variant: resolveIdentity(ctx.store, s.identity) }));
  const problems = resolved.flatMap((r) => (typeof r.variant === 'string' ? [r.variant] : []));
  if (problems.length > 0) throw new HttpError(422, `[${problems.join(', ')}]`, {}, PROBLEM);
  for (const { s, variant } of resolved) {
    if (typeof variant === 'string') continue;
    const record = ensureStock(ctx.store, variant.id, location.id);
    if (s.safety_stock !== undefined) record.safety_stock = s.safety_stock;
    if (s.is_in_stock !== undefined) record.is_in_stock = s.is_in_stock;
    if (s.warning_level !== undefined) record.warning_level = s.warning_level;
    if (s.bin_picking_number !== undefined) record.bin_picking_number = s.bin_picking_number;
    ctx.rt.emit(ctx.store, 'store/channel/*/inventory/product/settings_changed', { variant_id: variant.id, product_id: variant.product_id, location_id: location.id });
  }
  ctx.rt.changed();
  return json({ transaction_id: newUuid(ctx.rt) });
}

export function registerInventoryRoutes(router: Router): void {
  router
    .put('/v3/inventory/adjustments/absolute', adjust('absolute'))
    .post('/v3/inventory/adjustments/relative', adjust('relative'))
    .get('/v3/inventory/items', listItems)
    .get('/v3/inventory/locations/:location_id/items', listLocationItems)
    .put('/v3/inventory/locations/:location_id/items', updateLocationItemSettings);
}

export { applyDueAdjustments };
