/**
 * Webhook intake, the pure part. A recorded delivery belongs to a lane (per store: one per
 * Lightspeed resource, one for BigCommerce); a lane's drain reads every delivery waiting in it
 * and turns them into as little work as they need: one cursor read per Lightspeed resource, one
 * queued intake per order, one dirty mark per product.
 */

export type LightspeedKind = 'product' | 'inventory' | 'sale';
export const lightspeedKinds = ['product', 'inventory', 'sale'] as const satisfies readonly LightspeedKind[];

export const BIGCOMMERCE_LANE = 'bigcommerce';
export const lightspeedLane = (kind: LightspeedKind) => `lightspeed:${kind}`;

export type Lane = { platform: 'bigcommerce' } | { platform: 'lightspeed'; kind: LightspeedKind };

/** The lane a stored lane name stands for; undefined for a name no drain knows. */
export function parseLane(lane: string): Lane | undefined {
  if (lane === BIGCOMMERCE_LANE) return { platform: 'bigcommerce' };
  const [platform, kind] = lane.split(':');
  if (platform === 'lightspeed' && (lightspeedKinds as readonly string[]).includes(kind ?? '')) return { platform: 'lightspeed', kind: kind as LightspeedKind };
  return undefined;
}

/** What a Lightspeed delivery's row keeps: the entity it names (a hint; the API is re-read). */
export interface LightspeedHint {
  kind: LightspeedKind;
  id: string;
  version: number | null;
  productId?: string;
}

export interface PendingRow<P = unknown> {
  id: number;
  topic: string;
  payload: P;
}

/** The ids a batch of Lightspeed deliveries names, once each. */
export function namedIds(rows: readonly PendingRow<LightspeedHint>[]): string[] {
  return [...new Set(rows.map((r) => r.payload.id))];
}

/**
 * Deliveries whose version the cursor read has not reached (Lightspeed's list can lag its
 * webhooks): each is read directly, as before intake lanes. A delivery without a version is
 * covered by the cursor read that started after it was recorded.
 */
export function beyondCursor(rows: readonly PendingRow<LightspeedHint>[], cursor: number): LightspeedHint[] {
  const byEntity = new Map<string, LightspeedHint>();
  for (const r of rows) {
    if (r.payload.version === null || r.payload.version <= cursor) continue;
    const held = byEntity.get(r.payload.id);
    if (!held || (held.version ?? 0) < r.payload.version) byEntity.set(r.payload.id, r.payload);
  }
  return [...byEntity.values()];
}

/** What one BigCommerce delivery asks for. Payloads are hints: the handlers re-read BigCommerce. */
export type BigCommerceIntent =
  | { type: 'uninstall' }
  | { type: 'order'; orderId: number }
  | { type: 'refund'; orderId: number; refundId: number }
  | { type: 'stock'; variantId: number | null; productId: number | null }
  | { type: 'none' };

const ORDER_TOPICS = new Set(['store/order/created', 'store/order/updated', 'store/order/statusUpdated']);
/** Order-driven stock changes (…/inventory/order/updated) are the order's: the intake handles them. */
const STOCK_TOPICS = new Set(['store/sku/inventory/updated', 'store/product/inventory/updated']);

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function bigcommerceIntent(topic: string, payload: unknown): BigCommerceIntent {
  if (topic === 'store/app/uninstalled') return { type: 'uninstall' };
  const data = (payload as { data?: Record<string, unknown> } | null)?.data;
  const id = num(data?.id);
  if (topic === 'store/order/refund/created') {
    const refundId = num((data?.refund as { refund_id?: unknown } | undefined)?.refund_id);
    return id !== null && refundId !== null ? { type: 'refund', orderId: id, refundId } : { type: 'none' };
  }
  if (ORDER_TOPICS.has(topic)) return id !== null ? { type: 'order', orderId: id } : { type: 'none' };
  if (STOCK_TOPICS.has(topic)) {
    const inventory = data?.inventory as { variant_id?: unknown; product_id?: unknown } | undefined;
    return { type: 'stock', variantId: num(inventory?.variant_id), productId: num(inventory?.product_id) ?? id };
  }
  return { type: 'none' };
}

export interface LinkedVariant {
  lsProductId: string;
  bcProductId: number;
  bcVariantId: number;
}

export interface BigCommercePlan {
  /** The store removed the app: nothing else in the batch matters. */
  uninstall: boolean;
  orders: number[];
  refunds: { orderId: number; refundId: number }[];
  /** Lightspeed products whose stock the engine looks at again. */
  dirtyProducts: string[];
  /** Each delivery's outcome, in the merchant's words. */
  outcomes: { id: number; reason: string }[];
}

/** Coalesces a lane's deliveries: one intake per order, one refund per refund id, one mark per product. */
export function planBigCommerce(rows: readonly PendingRow[], linked: readonly LinkedVariant[]): BigCommercePlan {
  const orders = new Set<number>();
  const refunds = new Map<number, { orderId: number; refundId: number }>();
  const dirty = new Set<string>();
  const outcomes: { id: number; reason: string }[] = [];
  let uninstall = false;
  for (const row of rows) {
    const intent = bigcommerceIntent(row.topic, row.payload);
    switch (intent.type) {
      case 'uninstall':
        uninstall = true;
        outcomes.push({ id: row.id, reason: 'the store removed the app' });
        break;
      case 'order':
        orders.add(intent.orderId);
        outcomes.push({ id: row.id, reason: `order #${intent.orderId} queued for intake` });
        break;
      case 'refund':
        refunds.set(intent.refundId, { orderId: intent.orderId, refundId: intent.refundId });
        outcomes.push({ id: row.id, reason: `refund #${intent.refundId} of order #${intent.orderId} queued` });
        break;
      case 'stock': {
        // Stock changed in BigCommerce outside an order (the control panel, another app, our own
        // write): the engine looks again, and sets back anything Lightspeed does not explain.
        const hit = linked.filter((v) => (intent.variantId !== null ? v.bcVariantId === intent.variantId : v.bcProductId === intent.productId));
        for (const v of hit) dirty.add(v.lsProductId);
        outcomes.push({ id: row.id, reason: hit.length ? `stock of ${hit.length} variant(s) to check` : 'not a product Counterpart syncs' });
        break;
      }
      case 'none':
        outcomes.push({ id: row.id, reason: 'recorded; no sync rule consumes this topic yet' });
        break;
    }
  }
  return { uninstall, orders: [...orders], refunds: [...refunds.values()], dirtyProducts: [...dirty], outcomes };
}
