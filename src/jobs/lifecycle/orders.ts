/**
 * The Orders page's use cases: recent online orders with their routing decision, the Lightspeed
 * sale each outlet got and what went wrong; retrying an order; the routing settings (each
 * outlet's rank, daily capacity and whether it fulfils online orders, the split policy, the
 * backorder outlet, how shipping reaches Lightspeed). Route handlers parse, call these, answer.
 */
import { z } from 'zod';
import { statusName } from '../../core/orders/booking';
import type { RoutingDecision } from '../../core/routing/route';
import { catalogFor } from '../../db/repositories/catalog';
import { inventoryFor, type OutletMapping } from '../../db/repositories/inventory';
import { ordersFor, type OnlineOrder, type OrderSale, type OrderSettingsRow } from '../../db/repositories/orders';
import { forStore } from '../../db/repositories/scoped';
import { bigcommerceClientFor } from '../clients';
import type { JobDeps } from '../deps';
import { orderIntake } from '../definitions/order-intake';
import type { JobQueue } from '../queue';
import { updateOutlet } from './locations';

export class OrdersRequestError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = 'OrdersRequestError';
  }
}

export const ordersQuerySchema = z.object({
  /** The page after this BigCommerce order number (the previous page's `next`). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** `attention`: only orders in error or flagged for the merchant. */
  show: z.enum(['all', 'attention']).default('all'),
});
export type OrdersQuery = z.output<typeof ordersQuerySchema>;

export const orderIdSchema = z.coerce.number({ message: 'the order number must be a number' }).int().positive({ message: 'the order number must be a positive whole number' });

export interface OrderSaleView {
  outletId: string;
  outletName: string;
  saleId: string;
  invoiceNumber: string | null;
  state: OrderSale['state'];
  backorder: boolean;
  units: number;
  fulfilledUnits: number;
  error: string | null;
}

export interface OrderView {
  id: number;
  placedAt: string | null;
  channel: string;
  status: { id: number; name: string };
  state: OnlineOrder['state'];
  fulfilment: 'pickup' | 'shipping';
  destination: string | null;
  pickupLocation: string | null;
  total: string | null;
  lines: { name: string; sku: string; quantity: number; synced: boolean }[];
  routing: { kind: RoutingDecision['kind']; summary: string; reasons: string[] } | null;
  sales: OrderSaleView[];
  flagged: boolean;
  attention: string | null;
  /** The cause of a failure, when the order is in error. */
  error: string | null;
  canRetry: boolean;
}

const RETRYABLE: readonly OnlineOrder['state'][] = ['error', 'recorded', 'waiting', 'routed'];

/** Whether a retry can do anything for the order: it failed, or it is not booked yet. */
export function retryable(order: OnlineOrder, sales: readonly OrderSale[]): boolean {
  return RETRYABLE.includes(order.state) || sales.some((s) => s.state === 'booking' && s.error !== null);
}

const destinationOf = (o: OnlineOrder): string | null => {
  const d = o.destination;
  if (!d) return null;
  return [d.city, [d.region, d.postcode].filter(Boolean).join(' '), d.country].filter(Boolean).join(', ') || null;
};

const NAMES_WAIT_MS = 3_000;

/** The promise's value, or `fallback` if it fails or takes longer than `ms`. */
async function within<T>(ms: number, promise: Promise<T>, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise.catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function listOrders(deps: JobDeps, storeId: string, query: OrdersQuery): Promise<{ orders: OrderView[]; next: number | null }> {
  const db = deps.database.db;
  const repo = ordersFor(db, storeId);
  const rows = await repo.orders.page({ limit: query.limit + 1, ...(query.before !== undefined ? { beforeOrderId: query.before } : {}), attention: query.show === 'attention' });
  const page = rows.slice(0, query.limit);
  const [sales, outlets] = await Promise.all([repo.sales.forOrders(page.map((o) => o.bcOrderId)), inventoryFor(db, storeId).outlets.list()]);
  const outletName = (id: string) => outlets.find((o) => o.lsOutletId === id)?.name ?? id;
  const locationOutlet = (locationId: number) => outlets.find((o) => o.bcLocationId === locationId && !o.retired)?.name;
  // Channel names and location labels come from BigCommerce; the page still shows everything else without them.
  const channels = new Map<number, string>();
  const locations = new Map<number, string>();
  if (page.length > 0) {
    try {
      const bc = await bigcommerceClientFor(deps, storeId);
      // BigCommerce slow or down: the page does not wait on it (and does not retry it) for names.
      const [channelList, locationList] = await Promise.all([
        within(NAMES_WAIT_MS, bc.channels.listAll(), []),
        page.some((o) => o.pickupLocationId !== null) ? within(NAMES_WAIT_MS, bc.locations.listAll(), []) : Promise.resolve([]),
      ]);
      for (const c of channelList) channels.set(c.id, c.name);
      for (const l of locationList) locations.set(l.id, l.label);
    } catch {
      // not connected: ids are shown instead
    }
  }
  const orders = page.map((o): OrderView => {
    const mine = sales.filter((s) => s.bcOrderId === o.bcOrderId).sort((a, b) => outletName(a.lsOutletId).localeCompare(outletName(b.lsOutletId)));
    const routing = o.routing as unknown as RoutingDecision | null;
    const failed = mine.find((s) => s.error !== null && s.state === 'booking');
    return {
      id: o.bcOrderId,
      placedAt: o.placedAt?.toISOString() ?? null,
      channel: o.channelId === null ? 'Unknown channel' : (channels.get(o.channelId) ?? `Channel #${o.channelId}`),
      status: { id: o.statusId, name: statusName(o.statusId) },
      state: o.state,
      fulfilment: o.pickupLocationId !== null ? 'pickup' : 'shipping',
      destination: destinationOf(o),
      pickupLocation: o.pickupLocationId === null ? null : (locations.get(o.pickupLocationId) ?? locationOutlet(o.pickupLocationId) ?? `Location #${o.pickupLocationId}`),
      total: o.total,
      lines: o.lines.map((l) => ({ name: l.name, sku: l.sku, quantity: l.quantity, synced: l.lsProductId !== null })),
      routing: routing ? { kind: routing.kind, summary: routing.summary, reasons: routing.reasons } : null,
      sales: mine.map((s) => ({
        outletId: s.lsOutletId,
        outletName: outletName(s.lsOutletId),
        saleId: s.lsSaleId,
        invoiceNumber: s.lsInvoiceNumber,
        state: s.state,
        backorder: s.backorder,
        units: s.lines.reduce((n, l) => n + l.quantity, 0),
        fulfilledUnits: Object.values(s.shipped).reduce((n, q) => n + q, 0),
        error: s.error,
      })),
      flagged: o.flagged,
      attention: o.attention,
      error: o.state === 'error' ? (failed?.error ?? o.attention) : null,
      canRetry: retryable(o, mine),
    };
  });
  return { orders, next: rows.length > query.limit ? (page.at(-1)?.bcOrderId ?? null) : null };
}

/**
 * Takes the order in again now (the same job the webhooks start; booking is exactly once, so a
 * retry never books twice). An order that could not be routed anywhere is routed afresh, with
 * today's stock and settings: it has no booking to keep.
 */
export async function retryOrder(deps: JobDeps, queue: JobQueue, storeId: string, orderId: number, actor: string): Promise<{ orderId: number; queued: boolean }> {
  const db = deps.database.db;
  const repo = ordersFor(db, storeId);
  const order = await repo.orders.get(orderId);
  if (!order) throw new OrdersRequestError(`Order #${orderId} is not one Counterpart has seen`, 404);
  const sales = await repo.sales.forOrder(orderId);
  if (!retryable(order, sales)) throw new OrdersRequestError(`Order #${orderId} is ${order.state}: there is nothing to retry`, 409);
  const routing = order.routing as unknown as RoutingDecision | null;
  // Taken in afresh, even when BigCommerce has nothing new to say of it.
  await repo.orders.update(orderId, { takenIn: null, ...(routing && routing.allocations.length === 0 && sales.length === 0 ? { routing: null } : {}) });
  const jobId = await queue.send(orderIntake, { storeId, orderId }, { singletonKey: `order:${storeId}:${orderId}:retry` });
  await forStore(db, deps.secrets, storeId).activity.record({
    kind: 'order.retry',
    outcome: 'info',
    summary: `Order #${orderId}: trying again now`,
    reason: `asked by ${actor}`,
    entityType: 'order',
    entityId: String(orderId),
  });
  return { orderId, queued: jobId !== null };
}

export interface RoutingSettingsView {
  splitPolicy: OrderSettingsRow['splitPolicy'];
  backorderOutletId: string | null;
  shippingMode: OrderSettingsRow['shippingMode'];
  shippingProduct: { id: string; name: string; sku: string } | null;
  returnStockOnRefund: boolean;
  outlets: { id: string; name: string; location: number | null; fulfils: boolean; rank: number; dailyCapacity: number | null; ordersToday: number }[];
}

const outletRoutingSchema = z.strictObject({
  id: z.string().min(1).max(100),
  fulfils: z.boolean().optional(),
  rank: z.number({ message: 'rank must be a number' }).int().min(1, { message: 'rank must be between 1 and 1000' }).max(1000, { message: 'rank must be between 1 and 1000' }).optional(),
  dailyCapacity: z.number({ message: 'the daily capacity must be a number' }).int().min(0, { message: 'the daily capacity cannot be negative' }).max(100_000).nullable().optional(),
});

export const routingSettingsPatchSchema = z
  .strictObject({
    splitPolicy: z.enum(['split', 'backorder'], { message: 'splitPolicy must be split or backorder' }).optional(),
    backorderOutletId: z.string().min(1).max(100).nullable().optional(),
    shippingMode: z.enum(['note', 'line'], { message: 'shippingMode must be note or line' }).optional(),
    /** The SKU of the Lightspeed product that stands for shipping (when shipping is a line). */
    shippingSku: z.string().trim().min(1, { message: 'give the SKU of the Lightspeed product for shipping' }).max(200).nullable().optional(),
    returnStockOnRefund: z.boolean().optional(),
    outlets: z.array(outletRoutingSchema).max(200).optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'nothing to change' });
export type RoutingSettingsPatch = z.output<typeof routingSettingsPatchSchema>;

export async function routingSettings(deps: JobDeps, storeId: string): Promise<RoutingSettingsView> {
  const db = deps.database.db;
  const repo = ordersFor(db, storeId);
  const startOfDay = new Date();
  startOfDay.setUTCHours(0, 0, 0, 0);
  const [settings, outlets, today] = await Promise.all([repo.settings.get(), inventoryFor(db, storeId).outlets.list(), repo.sales.countSince(startOfDay)]);
  let shippingProduct: RoutingSettingsView['shippingProduct'] = null;
  if (settings.shippingProductId) {
    const item = await catalogFor(db, storeId).items.findByAnyId(settings.shippingProductId);
    const variant = item?.variants.find((v) => v.lsProductId === settings.shippingProductId);
    shippingProduct = { id: settings.shippingProductId, name: variant?.name ?? item?.name ?? settings.shippingProductId, sku: variant?.sku ?? item?.sku ?? '' };
  }
  return {
    splitPolicy: settings.splitPolicy,
    backorderOutletId: settings.backorderOutletId,
    shippingMode: settings.shippingMode,
    shippingProduct,
    returnStockOnRefund: settings.returnStockOnRefund,
    outlets: outlets
      .filter((o) => !o.retired)
      .sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name))
      .map((o) => ({ id: o.lsOutletId, name: o.name, location: o.bcLocationId, fulfils: o.fulfils, rank: o.rank, dailyCapacity: o.dailyCapacity, ordersToday: today.get(o.lsOutletId) ?? 0 })),
  };
}

/** The Lightspeed product id of a SKU from the item list (an item's or one of its variants'). */
async function productForSku(deps: JobDeps, storeId: string, sku: string): Promise<string> {
  const { rows } = await catalogFor(deps.database.db, storeId).items.list({ q: sku, limit: 50 });
  for (const item of rows) {
    const variant = item.variants.find((v) => v.sku.toLowerCase() === sku.toLowerCase());
    if (variant) return variant.lsProductId;
    if (item.sku.toLowerCase() === sku.toLowerCase() && !item.hasVariants) return item.lsItemId;
  }
  throw new OrdersRequestError(`No Lightspeed product has the SKU “${sku}”: create a product for shipping in Lightspeed (or check the SKU), then choose it here`);
}

/**
 * Changes the routing settings. Everything is checked first (unknown outlets, a shipping line
 * without a product): bad input changes nothing. Outlet changes go through the Locations use case
 * (the same log lines and republishing); the rest is logged here.
 */
export async function updateRoutingSettings(deps: JobDeps, queue: JobQueue, storeId: string, patch: RoutingSettingsPatch, actor: string): Promise<RoutingSettingsView> {
  const db = deps.database.db;
  const repo = ordersFor(db, storeId);
  const outlets = (await inventoryFor(db, storeId).outlets.list()).filter((o) => !o.retired);
  const known = (id: string) => outlets.find((o) => o.lsOutletId === id);
  for (const o of patch.outlets ?? []) if (!known(o.id)) throw new OrdersRequestError(`There is no outlet with id “${o.id}” in this store`);
  if (new Set((patch.outlets ?? []).map((o) => o.id)).size !== (patch.outlets ?? []).length) throw new OrdersRequestError('Each outlet may appear once');
  if (patch.backorderOutletId && !known(patch.backorderOutletId)) throw new OrdersRequestError(`There is no outlet with id “${patch.backorderOutletId}” in this store to take backorders`);
  const before = await repo.settings.get();
  const shippingProductId = patch.shippingSku === undefined ? undefined : patch.shippingSku === null ? null : await productForSku(deps, storeId, patch.shippingSku);
  const mode = patch.shippingMode ?? before.shippingMode;
  if (mode === 'line' && (shippingProductId === undefined ? before.shippingProductId : shippingProductId) === null) {
    throw new OrdersRequestError('To book shipping as a line, give the SKU of the Lightspeed product that stands for shipping');
  }
  const splitPolicy = patch.splitPolicy ?? before.splitPolicy;
  const backorderOutletId = patch.backorderOutletId === undefined ? before.backorderOutletId : patch.backorderOutletId;
  if (splitPolicy === 'backorder' && !backorderOutletId) throw new OrdersRequestError('To send orders no single outlet can fill to one outlet, choose that backorder outlet');

  const changes: string[] = [];
  const next: Partial<OrderSettingsRow> = {};
  if (patch.splitPolicy !== undefined && patch.splitPolicy !== before.splitPolicy) {
    next.splitPolicy = patch.splitPolicy;
    changes.push(patch.splitPolicy === 'split' ? 'an order no single outlet can fill is split across outlets' : 'an order no single outlet can fill goes whole to the backorder outlet');
  }
  if (patch.backorderOutletId !== undefined && patch.backorderOutletId !== before.backorderOutletId) {
    next.backorderOutletId = patch.backorderOutletId;
    changes.push(patch.backorderOutletId ? `backorders go to ${known(patch.backorderOutletId)!.name}` : 'no backorder outlet');
  }
  if (patch.shippingMode !== undefined && patch.shippingMode !== before.shippingMode) {
    next.shippingMode = patch.shippingMode;
    changes.push(patch.shippingMode === 'line' ? `shipping is booked as a line (SKU ${patch.shippingSku ?? 'as before'})` : 'shipping is written as a note on the sale');
  }
  if (shippingProductId !== undefined && shippingProductId !== before.shippingProductId) {
    next.shippingProductId = shippingProductId;
    if (patch.shippingMode === undefined || patch.shippingMode === before.shippingMode) changes.push(shippingProductId ? `shipping product: SKU ${patch.shippingSku}` : 'no shipping product');
  }
  if (patch.returnStockOnRefund !== undefined && patch.returnStockOnRefund !== before.returnStockOnRefund) {
    next.returnStockOnRefund = patch.returnStockOnRefund;
    changes.push(patch.returnStockOnRefund ? 'refunded items go back into stock' : 'refunded items are kept out of stock');
  }
  if (Object.keys(next).length > 0) {
    await repo.settings.update(next);
    await forStore(db, deps.secrets, storeId).activity.record({
      kind: 'orders.settings',
      outcome: 'ok',
      summary: `Online order routing: ${changes.join('; ')}`,
      reason: `changed by ${actor}`,
      entityType: 'store',
      entityId: storeId,
    });
  }
  for (const o of patch.outlets ?? []) {
    const current: OutletMapping = known(o.id)!;
    const outletPatch = {
      ...(o.fulfils !== undefined && o.fulfils !== current.fulfils ? { fulfils: o.fulfils } : {}),
      ...(o.rank !== undefined && o.rank !== current.rank ? { rank: o.rank } : {}),
      ...(o.dailyCapacity !== undefined && o.dailyCapacity !== current.dailyCapacity ? { dailyCapacity: o.dailyCapacity } : {}),
    };
    if (Object.keys(outletPatch).length > 0) await updateOutlet(deps, queue, storeId, o.id, outletPatch, actor);
  }
  return routingSettings(deps, storeId);
}
