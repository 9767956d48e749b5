/**
 * Works one recorded BigCommerce delivery. Payloads are hints: handlers re-read the platform.
 * Topics without a sync rule yet are marked processed with that reason, never silently lost.
 */
import { z } from 'zod';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { defineJob } from '../define';

export const bigcommerceWebhook = defineJob({
  name: 'bigcommerce.webhook',
  schema: z.object({ storeId: z.uuid(), inboxId: z.number().int().positive() }),
  retry: { limit: 8, delaySeconds: 5, backoff: true },
  async handler({ storeId, inboxId }, { deps }) {
    const scope = forStore(deps.database.db, deps.secrets, storeId);
    const entry = await scope.inbox.get(inboxId);
    if (!entry || entry.status === 'processed' || entry.status === 'dropped') return; // replay-safe
    if (entry.topic === 'store/app/uninstalled') {
      await storesRepository(deps.database.db).purgeData(storeId);
      return;
    }
    await scope.inbox.setStatus(inboxId, 'processed', 'recorded; no sync rule consumes this topic yet');
  },
});
