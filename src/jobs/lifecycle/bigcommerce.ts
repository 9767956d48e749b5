/**
 * The single-click app lifecycle: install (auth callback), load, uninstall and remove-user.
 * Route handlers parse and respond; this module decides what each callback changes.
 */
import type { Db } from '../../db/client';
import type { SecretBox } from '../../db/crypto';
import { exchangeLaunchCode, issueLaunchCode } from '../../db/repositories/launch-codes';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { verifySignedPayload } from '../../integrations/bigcommerce/signed-payload';
import { issueSession, type SessionClaims, type SessionDirectory, SessionError } from '../../integrations/bigcommerce/session';
import { type AuthCallbackQuery, exchangeAuthCode } from '../../integrations/bigcommerce/token-exchange';
import type { Env } from '../../env';

export interface LifecycleDeps {
  db: Db;
  secrets: SecretBox;
  env: Pick<Env, 'APP_URL' | 'SESSION_SECRET' | 'SESSION_TTL_SECONDS' | 'LAUNCH_CODE_TTL_SECONDS' | 'bigcommerce'>;
  fetch?: typeof fetch;
  /** Called after a store is installed: creates the channel and the webhooks (a durable job). */
  afterInstall?: (storeId: string) => Promise<void>;
  /** Called after a store's data is purged: stops its queued and running jobs. */
  afterUninstall?: (storeId: string) => Promise<void>;
}

export interface Entry {
  storeId: string;
  /** The one-time launch code the page exchanges for a session (not a session itself). */
  launchCode: string;
  /** Path inside the app to open, carrying the launch code. */
  redirectTo: string;
}

/** The launch code rides in the query under this name; the page removes it as soon as it has read it. */
export const LAUNCH_PARAM = 'launch';
const withLaunchCode = (path: string, code: string) => `${path}${path.includes('?') ? '&' : '?'}${LAUNCH_PARAM}=${code}`;

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
  const launchCode = await issueLaunchCode(deps.db, store.id, grant.user.id, deps.env.LAUNCH_CODE_TTL_SECONDS);
  return { storeId: store.id, launchCode, redirectTo: withLaunchCode('/', launchCode) };
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
  // Multi-user apps: a user the owner granted access to arrives first through load. The payload
  // says who owns the store now; roles follow it (an ownership transfer moves the owner's rights).
  await scope.users.upsert({ bcUserId: payload.user.id, email: payload.user.email, role: payload.user.id === payload.owner.id ? 'owner' : 'user' });
  await scope.users.syncOwner(payload.owner.id);
  const launchCode = await issueLaunchCode(deps.db, store.id, payload.user.id, deps.env.LAUNCH_CODE_TTL_SECONDS);
  return { storeId: store.id, launchCode, redirectTo: withLaunchCode(payload.url, launchCode) };
}

export interface StartedSession {
  token: string;
  expiresAt: Date;
  claims: SessionClaims;
}

/** Exchanges a launch code (once, before it expires) for a session token. */
export async function startSession(code: string, deps: Pick<LifecycleDeps, 'db' | 'secrets' | 'env'>, now = new Date()): Promise<StartedSession> {
  const exchanged = await exchangeLaunchCode(deps.db, code, now);
  if (!exchanged.ok) {
    throw new SessionError(
      exchanged.reason === 'expired'
        ? 'this link to Counterpart has expired: open Counterpart again from your BigCommerce control panel'
        : 'this link to Counterpart was already used or is not valid: open Counterpart again from your BigCommerce control panel',
    );
  }
  const store = await storesRepository(deps.db).findById(exchanged.storeId);
  if (!store || store.status !== 'active') throw new SessionError('Counterpart is not installed in this store any more');
  const user = await forStore(deps.db, deps.secrets, store.id).users.findActive(exchanged.bcUserId);
  if (!user) throw new SessionError('this user no longer has access to Counterpart in this store (the store owner gives access in BigCommerce, under Settings › Users)');
  const claims = { storeId: store.id, storeHash: store.storeHash, userId: user.bcUserId, email: user.email, launchedAt: Math.floor(now.getTime() / 1000) };
  const { token, expiresAt } = await issueSession(claims, deps.env.SESSION_SECRET, deps.env.SESSION_TTL_SECONDS, now);
  return { token, expiresAt, claims };
}

export async function handleUninstall(jwt: string | null, deps: LifecycleDeps): Promise<void> {
  const payload = await verifySignedPayload(jwt, deps.env.bigcommerce);
  const store = await storesRepository(deps.db).findByHash(payload.storeHash);
  if (!store) return; // already gone: uninstall is idempotent
  await storesRepository(deps.db).purgeData(store.id);
  await deps.afterUninstall?.(store.id);
}

export async function handleRemoveUser(jwt: string | null, deps: LifecycleDeps): Promise<void> {
  const payload = await verifySignedPayload(jwt, deps.env.bigcommerce);
  const store = await activeStore(deps.db, payload.storeHash);
  const scope = forStore(deps.db, deps.secrets, store.id);
  if (await scope.users.remove(payload.user.id)) {
    await scope.activity.record({ kind: 'user.removed', outcome: 'info', summary: `${payload.user.email} no longer has access to Counterpart`, reason: 'BigCommerce remove-user callback', entityType: 'user', entityId: String(payload.user.id) });
  }
}

/** Sessions stay valid only while the store is installed and the user still has access; the role is read fresh. */
export function sessionDirectory(db: Db, secrets: SecretBox): SessionDirectory {
  return {
    async standing(claims) {
      const store = await storesRepository(db).findById(claims.storeId);
      if (!store || store.status !== 'active' || store.storeHash !== claims.storeHash) return undefined;
      const user = await forStore(db, secrets, store.id).users.findActive(claims.userId);
      return user ? { role: user.role, grants: store.staffPermissions } : undefined;
    },
  };
}
