/**
 * A BigCommerce order arrived or changed (a webhook or the order poll said so): re-read it and
 * keep the in-flight ledger right. While BigCommerce holds the order's units off its stock and
 * Lightspeed does not reflect them yet, they are committed; a cancellation that gives them back
 * closes them. The inventory engine then republishes the order's variants.
 */
import { z } from 'zod';
import { ORDER_STATUS, orderStockPlan } from '../../core/inventory/orders';
import { inventoryFor } from '../../db/repositories/inventory';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { bigcommerceClientFor, NotConnected } from '../clients';
import { defineJob, type JobContext } from '../define';
import { DEFAULT_LOCATION_ID } from '../inventory/engine';
import { markInventoryDirty } from './inventory-sync';

export async function takeInOrder(ctx: Pick<JobContext, 'deps' | 'enqueue'>, storeId: string, orderId: number): Promise<{ committed: number; closed: number; unmanaged: number }> {
  const db = ctx.deps.database.db;
  const inventory = inventoryFor(db, storeId);
  const store = await storesRepository(db).findById(storeId);
  if (!store) return { committed: 0, closed: 0, unmanaged: 0 };
  const bc = await bigcommerceClientFor(ctx.deps, storeId);
  const [order, products, consignments, settings] = await Promise.all([
    bc.orders.get(orderId),
    bc.orders.products(orderId),
    bc.orders.consignments(orderId),
    bc.inventory.settings.get(),
  ]);
  const linked = new Map((await inventory.linkedVariants()).map((v) => [v.bcVariantId, v.lsProductId]));
  const plan = orderStockPlan(
    {
      id: order.id,
      statusId: order.status_id,
      pickupLocationId: consignments.pickups?.[0]?.location.id ?? null,
      lines: products.map((p) => ({ id: p.id, bcVariantId: p.variant_id ?? null, quantity: p.quantity })),
    },
    (variantId) => linked.get(variantId),
    {
      mode: store.stockMode ?? 'default-location',
      defaultLocationId: DEFAULT_LOCATION_ID,
      behavior: (settings.update_stock_behavior ?? 'order_placed'),
    },
  );
  const existing = await inventory.commitments.forOrder(orderId);
  const open = existing.filter((c) => c.state === 'open');
  let committed = 0;
  let closed = 0;
  if (plan.commitments.length > 0 && existing.length === 0) {
    const added = await inventory.commitments.add(plan.commitments.map((c) => ({ bcOrderId: orderId, ...c, lsOutletId: null })));
    committed = added.length;
  } else if (plan.commitments.length === 0 && open.length > 0) {
    // Cancelled or refunded: BigCommerce gives the units back if the store's setting says so;
    // any other way out (incomplete, declined) never held them.
    const cancelled = order.status_id === ORDER_STATUS.cancelled || order.status_id === ORDER_STATUS.refunded;
    const returned = !cancelled || (settings.refund_order_stock_adjustment ?? true);
    closed = (await inventory.commitments.close(open.map((c) => c.id), 'cancelled', { returned })).length;
  }
  const touched = [...new Set([...plan.commitments.map((c) => c.lsProductId), ...open.map((c) => c.lsProductId)])];
  if (committed > 0 || closed > 0) await markInventoryDirty(ctx, storeId, touched, 'order', new Date(order.date_modified));
  if (plan.unmanaged.length > 0 && committed + closed > 0) {
    await forStore(db, ctx.deps.secrets, storeId).activity.record({
      kind: 'order.unmanaged-lines',
      outcome: 'info',
      summary: `Order #${orderId}: ${plan.unmanaged.length} line(s) are products Counterpart does not sync; their stock is left to BigCommerce`,
      reason: 'not linked to a Lightspeed item',
      entityType: 'order',
      entityId: String(orderId),
    });
  }
  return { committed, closed, unmanaged: plan.unmanaged.length };
}

export const orderIntake = defineJob({
  name: 'orders.intake',
  schema: z.object({ storeId: z.uuid(), orderId: z.number().int().positive() }),
  retry: { limit: 8, delaySeconds: 5, backoff: true },
  async handler({ storeId, orderId }, ctx) {
    try {
      await takeInOrder(ctx, storeId, orderId);
    } catch (error) {
      if (error instanceof NotConnected) return;
      throw error;
    }
  },
});
