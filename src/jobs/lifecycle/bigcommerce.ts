/**
 * The single-click app lifecycle: install (auth callback), load, uninstall and remove-user.
 * Route handlers parse and respond; this module decides what each callback changes.
 */
import type { Db } from '../../db/client';
import type { SecretBox } from '../../db/crypto';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { verifySignedPayload } from '../../integrations/bigcommerce/signed-payload';
import { issueSession, type SessionDirectory } from '../../integrations/bigcommerce/session';
import { type AuthCallbackQuery, exchangeAuthCode } from '../../integrations/bigcommerce/token-exchange';
import type { Env } from '../../env';

export interface LifecycleDeps {
  db: Db;
  secrets: SecretBox;
  env: Pick<Env, 'APP_URL' | 'SESSION_SECRET' | 'bigcommerce'>;
  fetch?: typeof fetch;
  /** Called after a store is installed: creates the channel and the webhooks (a durable job). */
  afterInstall?: (storeId: string) => Promise<void>;
}

export interface Entry {
  storeId: string;
  sessionToken: string;
  /** Path inside the app to open, already carrying the session. */
  redirectTo: string;
}

const withSession = (path: string, token: string) => `${path}${path.includes('?') ? '&' : '?'}session=${encodeURIComponent(token)}`;

export async function handleInstall(query: AuthCallbackQuery, deps: LifecycleDeps): Promise<Entry> {
  const started = Date.now();
  const app = deps.env.bigcommerce;
  const grant = await exchangeAuthCode(query, { ...app, redirectUri: `${deps.env.APP_URL}/api/bigcommerce/auth` }, deps.fetch);
  const store = await storesRepository(deps.db).upsertInstalled({ storeHash: grant.storeHash });
  const scope = forStore(deps.db, deps.secrets, store.id);
  await scope.connections.save('bigcommerce', { externalAccount: grant.storeHash, accessToken: grant.accessToken, scopes: grant.scope });
  const isOwner = !grant.owner || grant.owner.id === grant.user.id;
  await scope.users.upsert({ bcUserId: grant.user.id, email: grant.user.email, role: isOwner ? 'owner' : 'user' });
  if (grant.owner && !isOwner) await scope.users.upsert({ bcUserId: grant.owner.id, email: grant.owner.email, role: 'owner' });
  await scope.activity.record({
    kind: 'app.installed',
    outcome: 'ok',
    summary: `Counterpart was installed by ${grant.user.email}`,
    reason: 'BigCommerce auth callback',
    entityType: 'store',
    entityId: grant.storeHash,
    startedAt: new Date(started),
    durationMs: Date.now() - started,
    details: { scopes: grant.scope.split(' ') },
  });
  await deps.afterInstall?.(store.id);
  const sessionToken = await issueSession({ storeId: store.id, storeHash: grant.storeHash, userId: grant.user.id, email: grant.user.email }, deps.env.SESSION_SECRET);
  return { storeId: store.id, sessionToken, redirectTo: withSession('/', sessionToken) };
}

export class StoreNotInstalled extends Error {
  readonly status = 401;
  constructor(storeHash: string) {
    super(`store ${storeHash} has not installed the app (or has uninstalled it)`);
    this.name = 'StoreNotInstalled';
  }
}

async function activeStore(db: Db, storeHash: string) {
  const store = await storesRepository(db).findByHash(storeHash);
  if (!store || store.status !== 'active') throw new StoreNotInstalled(storeHash);
  return store;
}

export async function handleLoad(jwt: string | null, deps: LifecycleDeps): Promise<Entry> {
  const payload = await verifySignedPayload(jwt, deps.env.bigcommerce);
  const store = await activeStore(deps.db, payload.storeHash);
  const scope = forStore(deps.db, deps.secrets, store.id);
  // Multi-user apps: a user the owner granted access to arrives first through load.
  const known = await scope.users.findActive(payload.user.id);
  if (!known) await scope.users.upsert({ bcUserId: payload.user.id, email: payload.user.email, role: payload.user.id === payload.owner.id ? 'owner' : 'user' });
  const sessionToken = await issueSession({ storeId: store.id, storeHash: store.storeHash, userId: payload.user.id, email: payload.user.email }, deps.env.SESSION_SECRET);
  return { storeId: store.id, sessionToken, redirectTo: withSession(payload.url, sessionToken) };
}

export async function handleUninstall(jwt: string | null, deps: LifecycleDeps): Promise<void> {
  const payload = await verifySignedPayload(jwt, deps.env.bigcommerce);
  const store = await storesRepository(deps.db).findByHash(payload.storeHash);
  if (!store) return; // already gone: uninstall is idempotent
  await storesRepository(deps.db).purgeData(store.id);
}

export async function handleRemoveUser(jwt: string | null, deps: LifecycleDeps): Promise<void> {
  const payload = await verifySignedPayload(jwt, deps.env.bigcommerce);
  const store = await activeStore(deps.db, payload.storeHash);
  const scope = forStore(deps.db, deps.secrets, store.id);
  if (await scope.users.remove(payload.user.id)) {
    await scope.activity.record({ kind: 'user.removed', outcome: 'info', summary: `${payload.user.email} no longer has access to the app`, reason: 'BigCommerce remove-user callback', entityType: 'user', entityId: String(payload.user.id) });
  }
}

/** Sessions stay valid only while the store is installed and the user still has access. */
export function sessionDirectory(db: Db, secrets: SecretBox): SessionDirectory {
  return {
    async isActive(claims) {
      const store = await storesRepository(db).findById(claims.storeId);
      if (!store || store.status !== 'active' || store.storeHash !== claims.storeHash) return false;
      return Boolean(await forStore(db, secrets, store.id).users.findActive(claims.userId));
    },
  };
}
