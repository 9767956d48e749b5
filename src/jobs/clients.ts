/** Platform clients for a store, with their calls recorded for the activity log and API usage. */
import { forStore } from '../db/repositories/scoped';
import { storesRepository } from '../db/repositories/stores';
import { type ApiCall } from '../integrations/bigcommerce/http';
import { createBigCommerceClient } from '../integrations/bigcommerce/client';
import type { JobDeps } from './deps';

export type BigCommerceClient = ReturnType<typeof createBigCommerceClient>;

export class NotConnected extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'NotConnected';
  }
}

export async function bigcommerceClientFor(deps: JobDeps, storeId: string): Promise<BigCommerceClient> {
  const store = await storesRepository(deps.database.db).findById(storeId);
  if (!store || store.status !== 'active') throw new NotConnected(`store ${storeId} is not installed`);
  const scope = forStore(deps.database.db, deps.secrets, storeId);
  const connection = await scope.connections.get('bigcommerce');
  if (!connection) throw new NotConnected(`store ${store.storeHash} has no BigCommerce token`);
  return createBigCommerceClient({
    apiUrl: deps.config.bigcommerce.apiUrl,
    storeHash: store.storeHash,
    accessToken: connection.accessToken,
    recorder: (call: ApiCall) => {
      scope.apiUsage
        .record({ platform: 'bigcommerce', method: call.method, endpoint: call.path, status: call.status, durationMs: call.durationMs, attempt: call.attempt, error: call.error ?? null })
        .catch((error: unknown) => console.error('[counterpart] could not record an API call:', error));
    },
  });
}
