/**
 * Connecting a store to its Lightspeed retailer, and receiving Lightspeed webhooks.
 * Webhooks are hints that can be late, duplicated, reordered or lost: a delivery carrying an
 * older version than the one stored is dropped, and the cursor poller is the safety net.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../../db/client';
import type { SecretBox } from '../../db/crypto';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import {
  buildAuthorizeUrl,
  createOAuthState,
  exchangeCode,
  LightspeedWebhookError,
  parseLightspeedWebhook,
  verifyLightspeedSignature,
  verifyOAuthState,
} from '../../integrations/lightspeed';
import { lightspeedConnected } from '../definitions/lightspeed-connected';
import type { JobConfig } from '../deps';
import { tokenManagerFor } from '../lightspeed/tokens';
import type { JobQueue } from '../queue';
import { recorderFor } from '../intake/recorder';
import type { NewDelivery } from '../../db/repositories/intake';
import { lightspeedLane } from '../../core/intake/plan';

export class LightspeedConnectError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401 | 404 | 502,
  ) {
    super(message);
    this.name = 'LightspeedConnectError';
  }
}

const oauthConfig = (config: JobConfig) => ({
  clientId: config.lightspeed.clientId,
  clientSecret: config.lightspeed.clientSecret,
  redirectUri: `${config.APP_URL}/api/lightspeed/callback`,
  authUrl: config.lightspeed.authUrl,
  apiUrlTemplate: config.lightspeed.apiUrlTemplate,
});

interface Ctx {
  database: Database;
  secrets: SecretBox;
  config: JobConfig;
  sessionSecret: string;
}

/**
 * The authorize URL. Its `state` names the session's store and user and is signed with the
 * session secret, so the callback can only complete a connection the same user started.
 */
export function startConnect(session: { storeId: string; userId: number }, ctx: Ctx): string {
  const sessionId = `${session.storeId}:${session.userId}`;
  const state = `${Buffer.from(sessionId).toString('base64url')}.${createOAuthState({ sessionId, secret: ctx.sessionSecret })}`;
  return buildAuthorizeUrl(oauthConfig(ctx.config), { state });
}

export const callbackQuerySchema = z.object({
  code: z.string().min(1, 'code is missing'),
  domain_prefix: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'domain_prefix is malformed'),
  state: z.string().min(1, 'state is missing'),
});

/**
 * `by`: the session completing the connection. The app completes it from the page that started
 * it, so a copied authorize link finished in another browser connects nothing: its state names
 * another session (or none completes it at all).
 */
export async function completeConnect(query: z.infer<typeof callbackQuerySchema>, ctx: Ctx, queue: JobQueue, by?: { storeId: string; userId: number }): Promise<{ storeId: string; domainPrefix: string }> {
  const [encoded, ...rest] = query.state.split('.');
  const sessionId = encoded ? Buffer.from(encoded, 'base64url').toString('utf8') : '';
  const check = verifyOAuthState(rest.join('.'), { sessionId, secret: ctx.sessionSecret });
  if (!check.valid) throw new LightspeedConnectError(`the connection request is not valid (${check.reason}); start again from the app`, 401);
  if (by && sessionId !== `${by.storeId}:${by.userId}`) throw new LightspeedConnectError('this Lightspeed sign-in was started by another user or store; press Connect Lightspeed again', 401);
  const [storeId] = sessionId.split(':');
  const store = storeId ? await storesRepository(ctx.database.db).findById(storeId) : undefined;
  if (!store || store.status !== 'active') throw new LightspeedConnectError('the store that started this connection is no longer installed', 404);

  let tokens;
  try {
    tokens = await exchangeCode(oauthConfig(ctx.config), { code: query.code, domainPrefix: query.domain_prefix });
  } catch (error) {
    throw new LightspeedConnectError(`Lightspeed refused the authorization: ${error instanceof Error ? error.message : String(error)}`, 502);
  }
  const scope = forStore(ctx.database.db, ctx.secrets, store.id);
  tokenManagerFor(ctx.database, ctx.secrets, ctx.config).forget(store.id);
  await scope.connections.save('lightspeed', {
    externalAccount: tokens.domainPrefix || query.domain_prefix,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accessTokenExpiresAt: new Date(tokens.expiresAt),
    scopes: tokens.scopes.join(' '),
  });
  await scope.activity.record({ kind: 'lightspeed.connected', outcome: 'ok', summary: `Connected to the Lightspeed retailer ${tokens.domainPrefix || query.domain_prefix}`, reason: 'OAuth authorization', entityType: 'connection', entityId: 'lightspeed' });
  await queue.send(lightspeedConnected, { storeId: store.id }, { singletonKey: `ls-connected:${store.id}` });
  return { storeId: store.id, domainPrefix: tokens.domainPrefix || query.domain_prefix };
}

export type LightspeedReceipt = 'enqueued' | 'duplicate' | 'stale' | 'ignored';

export class LightspeedWebhookRejected extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401 | 404,
  ) {
    super(message);
    this.name = 'LightspeedWebhookRejected';
  }
}

/**
 * The hot path: verify, parse, record. One statement checks the store and its connection
 * (without decrypting a token), drops a version already held and records the delivery once;
 * the recorded row is the work its lane's drain picks up (jobs/definitions/intake-drain.ts).
 * Nothing is stored for an unverified body, and no platform is called. `queue` is unused (kept
 * for callers written before intake lanes).
 */
export async function receiveLightspeedWebhook(
  input: { storeId: string; type: string; rawBody: string; signature: string | null; signal?: AbortSignal },
  ctx: { database: Pick<Database, 'db' | 'kind'>; config: Pick<JobConfig, 'lightspeed'> },
  _queue?: unknown,
): Promise<LightspeedReceipt> {
  if (!verifyLightspeedSignature(input.rawBody, input.signature, ctx.config.lightspeed.clientSecret)) {
    throw new LightspeedWebhookRejected(input.signature ? 'X-Signature does not match the body' : 'X-Signature header is missing', 401);
  }
  if (!z.uuid().safeParse(input.storeId).success) throw new LightspeedWebhookRejected('unknown store', 404);

  let parsed;
  try {
    parsed = parseLightspeedWebhook(input.rawBody, { typeHint: input.type });
  } catch (error) {
    throw new LightspeedWebhookRejected(error instanceof LightspeedWebhookError ? error.message : 'malformed webhook body', 400);
  }
  const bodyHash = createHash('sha256').update(input.rawBody).digest('hex').slice(0, 32);
  const base = { platform: 'lightspeed' as const, storeId: input.storeId, topic: input.type, account: parsed.domainPrefix };
  const delivery: NewDelivery =
    parsed.status === 'ignored'
      ? { ...base, deliveryKey: `${input.storeId}:${bodyHash}`, lane: null, payload: { ignored: parsed.reason }, reason: parsed.reason }
      : {
          ...base,
          // A versioned entity older than (or equal to) what we hold is a late or repeated delivery.
          // Nothing is stored from the payload itself: the drain re-reads the state from the API.
          deliveryKey: `${input.storeId}:${parsed.entity.kind}:${parsed.entity.id}:${parsed.entity.version ?? bodyHash}`,
          lane: lightspeedLane(parsed.entity.kind),
          payload: { kind: parsed.entity.kind, id: parsed.entity.id, version: parsed.entity.version, ...(parsed.entity.kind === 'inventory' ? { productId: parsed.entity.productId } : {}) },
          entity: { kind: parsed.entity.kind, id: parsed.entity.id, version: parsed.entity.version },
        };
  const result = await recorderFor(ctx.database).record(delivery, input.signal);
  if (!result.known) throw new LightspeedWebhookRejected('this store is not connected to Lightspeed', 404);
  if (parsed.domainPrefix && parsed.domainPrefix !== result.connectedAccount) throw new LightspeedWebhookRejected('the webhook is for another retailer', 401);
  if (result.stale) return 'stale';
  if (!result.inserted) return 'duplicate';
  return parsed.status === 'ignored' ? 'ignored' : 'enqueued';
}

/** Removes the connection; the app's webhooks at Lightspeed are deleted first when still possible. */
export async function disconnect(storeId: string, ctx: Omit<Ctx, 'sessionSecret'>, removeWebhooks: () => Promise<number>): Promise<{ webhooksRemoved: number; warning?: string }> {
  const scope = forStore(ctx.database.db, ctx.secrets, storeId);
  let webhooksRemoved = 0;
  let warning: string | undefined;
  try {
    webhooksRemoved = await removeWebhooks();
  } catch (error) {
    warning = `could not remove the webhooks at Lightspeed (${error instanceof Error ? error.message : String(error)}); they will fail harmlessly`;
  }
  await scope.connections.remove('lightspeed');
  tokenManagerFor(ctx.database, ctx.secrets, ctx.config).forget(storeId);
  await scope.activity.record({ kind: 'lightspeed.disconnected', outcome: warning ? 'warning' : 'ok', summary: 'Disconnected from Lightspeed', reason: warning ?? null, entityType: 'connection', entityId: 'lightspeed' });
  return { webhooksRemoved, ...(warning ? { warning } : {}) };
}
