/**
 * Works one recorded BigCommerce delivery. Payloads are hints: handlers re-read the platform.
 * Topics without a sync rule yet are marked processed with that reason, never silently lost.
 */
import { z } from 'zod';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { inventoryFor } from '../../db/repositories/inventory';
import { defineJob } from '../define';
import { markInventoryDirty } from './inventory-sync';
import { orderIntake, orderRefund } from './order-intake';

export const bigcommerceWebhook = defineJob({
  name: 'bigcommerce.webhook',
  schema: z.object({ storeId: z.uuid(), inboxId: z.number().int().positive() }),
  retry: { limit: 8, delaySeconds: 5, backoff: true },
  async handler({ storeId, inboxId }, ctx) {
    const { deps } = ctx;
    const scope = forStore(deps.database.db, deps.secrets, storeId);
    const entry = await scope.inbox.get(inboxId);
    if (!entry || entry.status === 'processed' || entry.status === 'dropped') return; // replay-safe
    if (entry.topic === 'store/app/uninstalled') {
      await storesRepository(deps.database.db).purgeData(storeId);
      return;
    }
    const data = (entry.payload as { data?: { id?: unknown; inventory?: { variant_id?: unknown; product_id?: unknown; method?: unknown } } } | null)?.data;
    const refundId = (data as { refund?: { refund_id?: unknown } } | undefined)?.refund?.refund_id;
    if (entry.topic === 'store/order/refund/created' && typeof data?.id === 'number' && typeof refundId === 'number') {
      await ctx.enqueue(orderRefund, { storeId, orderId: data.id, refundId }, { singletonKey: `refund:${storeId}:${refundId}` });
      await scope.inbox.setStatus(inboxId, 'processed', `refund #${refundId} of order #${data.id} queued`);
      return;
    }
    if (ORDER_TOPICS.has(entry.topic) && typeof data?.id === 'number') {
      await ctx.enqueue(orderIntake, { storeId, orderId: data.id }, { singletonKey: `order:${storeId}:${data.id}` });
      await scope.inbox.setStatus(inboxId, 'processed', `order #${data.id} queued for intake`);
      return;
    }
    if (STOCK_TOPICS.has(entry.topic)) {
      // Stock changed in BigCommerce outside an order (the control panel, another app, our own
      // write): the engine looks again, and sets back anything Lightspeed does not explain.
      const variantId = typeof data?.inventory?.variant_id === 'number' ? data.inventory.variant_id : null;
      const productId = typeof data?.inventory?.product_id === 'number' ? data.inventory.product_id : typeof data?.id === 'number' ? data.id : null;
      const linked = (await inventoryFor(deps.database.db, storeId).linkedVariants()).filter((v) => (variantId !== null ? v.bcVariantId === variantId : v.bcProductId === productId));
      await markInventoryDirty(ctx, storeId, linked.map((v) => v.lsProductId), 'bigcommerce');
      await scope.inbox.setStatus(inboxId, 'processed', linked.length ? `stock of ${linked.length} variant(s) to check` : 'not a product Counterpart syncs');
      return;
    }
    await scope.inbox.setStatus(inboxId, 'processed', 'recorded; no sync rule consumes this topic yet');
  },
});

const ORDER_TOPICS = new Set(['store/order/created', 'store/order/updated', 'store/order/statusUpdated']);
/** Order-driven stock changes (…/inventory/order/updated) are the order's: the intake handles them. */
const STOCK_TOPICS = new Set(['store/sku/inventory/updated', 'store/product/inventory/updated']);
