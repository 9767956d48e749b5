/**
 * Lightspeed tokens for the TokenManager, kept encrypted in platform_connections. Every refresh
 * rotates the refresh token, so refreshes are serialised: in-process by the TokenManager, and
 * across processes by a Postgres advisory lock (PGlite is single-process by design).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { SecretBox } from '../../db/crypto';
import { forStore } from '../../db/repositories/scoped';
import { TokenManager, type TokenStore, type Tokens } from '../../integrations/lightspeed';
import type { JobConfig } from '../deps';

export function tokenStore(db: Database['db'], secrets: SecretBox): TokenStore {
  return {
    async load(storeId) {
      const c = await forStore(db, secrets, storeId).connections.get('lightspeed');
      // A store needing reconnection has no usable tokens: never spend a dead refresh token again.
      if (!c || c.status !== 'active' || !c.refreshToken) return undefined;
      return {
        accessToken: c.accessToken,
        refreshToken: c.refreshToken,
        tokenType: 'Bearer',
        expiresAt: c.accessTokenExpiresAt?.getTime() ?? 0,
        domainPrefix: c.externalAccount,
        scopes: c.scopes ? c.scopes.split(' ').filter(Boolean) : [],
      } satisfies Tokens;
    },
    async save(storeId, tokens) {
      await forStore(db, secrets, storeId).connections.save('lightspeed', {
        externalAccount: tokens.domainPrefix,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        accessTokenExpiresAt: new Date(tokens.expiresAt),
        scopes: tokens.scopes.join(' '),
      });
    },
    async markReconnectRequired(storeId, reason) {
      const scope = forStore(db, secrets, storeId);
      await scope.connections.setStatus('lightspeed', 'reconnect_required', reason);
      await scope.activity.record({
        kind: 'lightspeed.reconnect-required',
        outcome: 'error',
        summary: 'Lightspeed needs to be reconnected',
        reason,
        entityType: 'connection',
        entityId: 'lightspeed',
      });
    },
  };
}

// pg_advisory_xact_lock(int4, int4): a namespace for "Lightspeed token refresh", then the store.
const LOCK_NAMESPACE = 72_155;

function advisoryLock(database: Database) {
  if (database.kind !== 'postgres') return undefined;
  return <T>(storeId: string, fn: () => Promise<T>) =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${storeId}))`);
      return fn();
    });
}

const managers = new WeakMap<Database, TokenManager>();

/** One TokenManager per database per process, so concurrent callers share one refresh. */
export function tokenManagerFor(database: Database, secrets: SecretBox, config: JobConfig): TokenManager {
  let manager = managers.get(database);
  if (!manager) {
    manager = new TokenManager({
      oauth: {
        clientId: config.lightspeed.clientId,
        clientSecret: config.lightspeed.clientSecret,
        redirectUri: `${config.APP_URL}/api/lightspeed/callback`,
        authUrl: config.lightspeed.authUrl,
        apiUrlTemplate: config.lightspeed.apiUrlTemplate,
      },
      store: tokenStore(database.db, secrets),
      withLock: advisoryLock(database),
    });
    managers.set(database, manager);
  }
  return manager;
}
