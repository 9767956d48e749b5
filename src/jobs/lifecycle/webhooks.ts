/**
 * Receiving a BigCommerce webhook: verify, record once in one statement (the row is the work
 * its store's `bigcommerce` lane drains), answer fast. No token is read, no platform called.
 */
import type { Database } from '../../db/client';
import { BIGCOMMERCE_LANE } from '../../core/intake/plan';
import { verifyBigCommerceWebhook } from '../../integrations/bigcommerce/webhook-verify';
import { recorderFor } from '../intake/recorder';

export type ReceiveOutcome = 'enqueued' | 'duplicate' | 'unknown-store';

export async function receiveBigCommerceWebhook(
  rawBody: string,
  headers: Headers,
  /** `db` (with `kind`) or `database`; `secrets` and `queue` are unused (kept for older callers). */
  deps: { db?: Database['db']; kind?: Database['kind']; database?: Pick<Database, 'db' | 'kind'>; clientSecret: string; secrets?: unknown; queue?: unknown; signal?: AbortSignal },
): Promise<ReceiveOutcome> {
  const delivery = verifyBigCommerceWebhook(rawBody, headers, deps.clientSecret);
  const database = deps.database ?? { db: deps.db!, kind: deps.kind ?? 'postgres' };
  const result = await recorderFor(database).record(
    {
      platform: 'bigcommerce',
      storeHash: delivery.storeHash,
      deliveryKey: delivery.deliveryId,
      topic: delivery.topic,
      lane: BIGCOMMERCE_LANE,
      payload: { data: delivery.data, createdAt: delivery.createdAt.toISOString() },
    },
    deps.signal,
  );
  if (!result.known) return 'unknown-store';
  return result.inserted ? 'enqueued' : 'duplicate';
}
