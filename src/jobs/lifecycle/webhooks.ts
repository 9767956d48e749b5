/** Receiving a BigCommerce webhook: verify, record once, enqueue, answer fast. */
import type { Db } from '../../db/client';
import type { SecretBox } from '../../db/crypto';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { verifyBigCommerceWebhook } from '../../integrations/bigcommerce/webhook-verify';
import { bigcommerceWebhook } from '../definitions/bigcommerce-webhook';
import type { JobQueue } from '../queue';

export type ReceiveOutcome = 'enqueued' | 'duplicate' | 'unknown-store';

export async function receiveBigCommerceWebhook(
  rawBody: string,
  headers: Headers,
  deps: { db: Db; secrets: SecretBox; queue: JobQueue; clientSecret: string },
): Promise<ReceiveOutcome> {
  const delivery = verifyBigCommerceWebhook(rawBody, headers, deps.clientSecret);
  const store = await storesRepository(deps.db).findByHash(delivery.storeHash);
  if (!store || store.status !== 'active') return 'unknown-store';
  const scope = forStore(deps.db, deps.secrets, store.id);
  const entry = await scope.inbox.record({
    platform: 'bigcommerce',
    deliveryKey: delivery.deliveryId,
    topic: delivery.topic,
    payload: { data: delivery.data, createdAt: delivery.createdAt.toISOString() },
  });
  if (!entry) return 'duplicate';
  await deps.queue.send(bigcommerceWebhook, { storeId: store.id, inboxId: entry.id });
  await scope.inbox.setStatus(entry.id, 'enqueued');
  return 'enqueued';
}
