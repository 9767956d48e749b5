/**
 * One Lightspeed entity changed (a webhook said so): re-read it from the API, since payloads are
 * hints, and keep it if its version is newer than the one stored. Replaying is harmless.
 */
import { z } from 'zod';
import { forStore } from '../../db/repositories/scoped';
import { lightspeedClientFor, type LightspeedClient } from '../clients';
import { defineJob } from '../define';
import type { JobDeps } from '../deps';
import { indexChangedProducts } from './catalog-index';
import { markInventoryDirty } from './inventory-sync';
import { followOurSales } from './order-intake';

export type EntityKind = 'product' | 'inventory' | 'sale';

/** Stores the current state of an entity (newest version wins); returns how many were newer. */
export async function refreshEntity(client: LightspeedClient, deps: JobDeps, storeId: string, kind: EntityKind, id: string, productId?: string): Promise<number> {
  const scope = forStore(deps.database.db, deps.secrets, storeId);
  if (kind === 'product') {
    const product = await client.products.get(id);
    if (!product) return 0; // gone: the poller sees the deletion with its version
    return (await scope.lightspeed.acceptVersion('product', product.id, product.version, { ...product })) ? 1 : 0;
  }
  if (kind === 'inventory') {
    // Inventory payloads may carry no version; the API's records do, for every outlet.
    if (!productId) return 0;
    let accepted = 0;
    for (const record of await client.inventory.forProduct(productId)) {
      if (await scope.lightspeed.acceptVersion('inventory', record.id, record.version, { ...record })) accepted++;
    }
    return accepted;
  }
  const sale = await client.sales.get(id);
  if (!sale || sale.version === null) return 0;
  return (await scope.lightspeed.acceptVersion('sale', sale.id, sale.version, { ...sale })) ? 1 : 0;
}

export const lightspeedEntity = defineJob({
  name: 'lightspeed.entity',
  schema: z.object({ storeId: z.uuid(), kind: z.enum(['product', 'inventory', 'sale']), id: z.string().min(1), inboxId: z.number().int().positive() }),
  retry: { limit: 8, delaySeconds: 5, backoff: true },
  async handler({ storeId, kind, id, inboxId }, ctx) {
    const { deps } = ctx;
    const scope = forStore(deps.database.db, deps.secrets, storeId);
    const entry = await scope.inbox.get(inboxId);
    if (!entry || entry.status === 'processed') return;
    const stored = await scope.lightspeed.entity(kind, id);
    const productId = kind === 'inventory' ? ((stored?.state as { productId?: string } | null)?.productId ?? (entry.payload as { productId?: string }).productId) : undefined;
    const client = await lightspeedClientFor(deps, storeId);
    const accepted = await refreshEntity(client, deps, storeId, kind, id, productId);
    // Level-triggered: the item is re-indexed from the stored state whatever this read found;
    // the index decides (by version) whether BigCommerce needs a change.
    if (kind === 'product') await indexChangedProducts(ctx, storeId, [id]);
    if (kind === 'inventory' && productId && accepted > 0) await markInventoryDirty(ctx, storeId, [productId], 'lightspeed');
    if (kind === 'sale') await followOurSales(ctx, storeId, [id]);
    await scope.inbox.setStatus(inboxId, 'processed', accepted ? `re-read ${accepted} newer record(s)` : 'already up to date');
  },
});
