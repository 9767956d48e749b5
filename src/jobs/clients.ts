/** Platform clients for a store, with their calls recorded for the activity log and API usage. */
import { forStore, type StoreScope } from '../db/repositories/scoped';
import type { Platform } from '../db/schema';
import { storesRepository } from '../db/repositories/stores';
import { createBigCommerceClient } from '../integrations/bigcommerce/client';
import { createLightspeedClient, tokenManagerAuth } from '../integrations/lightspeed';
import type { JobDeps } from './deps';
import { tokenManagerFor } from './lightspeed/tokens';

export type BigCommerceClient = ReturnType<typeof createBigCommerceClient>;

/** Records each platform call in api_calls without holding the call up; a failed write is logged. */
function callRecorder(scope: StoreScope, platform: Platform) {
  return (call: { method: string; path: string; status: number | null; durationMs: number; attempt: number; error?: string }) => {
    scope.apiUsage
      .record({ platform, method: call.method, endpoint: call.path, status: call.status ?? 0, durationMs: call.durationMs, attempt: call.attempt, error: call.error ?? null })
      .catch((error: unknown) => console.error('[counterpart] could not record an API call:', error));
  };
}

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
    recorder: callRecorder(scope, 'bigcommerce'),
  });
}

export type LightspeedClient = ReturnType<typeof createLightspeedClient>;

export async function lightspeedClientFor(deps: JobDeps, storeId: string): Promise<LightspeedClient> {
  const scope = forStore(deps.database.db, deps.secrets, storeId);
  const connection = await scope.connections.get('lightspeed');
  if (!connection) throw new NotConnected('Lightspeed is not connected');
  if (connection.status !== 'active') throw new NotConnected(`Lightspeed needs to be reconnected: ${connection.statusReason ?? 'the connection was lost'}`);
  const manager = tokenManagerFor(deps.database, deps.secrets, deps.config);
  return createLightspeedClient({
    apiUrlTemplate: deps.config.lightspeed.apiUrlTemplate,
    domainPrefix: connection.externalAccount,
    auth: tokenManagerAuth(manager, storeId),
    recorder: callRecorder(scope, 'lightspeed'),
  });
}
