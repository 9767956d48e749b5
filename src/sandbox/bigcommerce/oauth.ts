/**
 * The app lifecycle as BigCommerce drives it (apps guide: auth, callbacks):
 * - install: the control panel sends the browser to the app's auth callback with a one-time
 *   `code`, `scope`, `context=stores/{hash}` and `account_uuid`; the app exchanges the code at
 *   `POST /oauth2/token` for a permanent store access token;
 * - load / uninstall / remove_user: the app receives a `signed_payload_jwt` (HS256 with the
 *   client secret; iss 'bc', aud client id, sub stores/{hash}, nbf = iat, exp = iat + 24 h).
 *
 * The token endpoint's error bodies are not documented; the sandbox answers in RFC 6749 shape
 * (`{error, error_description}`; 400 for a bad grant, 401 for bad client credentials).
 */
import { SignJWT } from 'jose';
import { z } from 'zod';
import { json } from './responses';
import type { Runtime } from './runtime';
import type { AccessToken, Grant, StoreState } from './types';

export const DEFAULT_SCOPE = [
  'store_v2_products',
  'store_inventory',
  'store_locations',
  'store_v2_orders',
  'store_v2_transactions',
  'store_channel_settings',
  'store_channel_listings',
  'store_v2_information_read_only',
].join(' ');

const CODE_TTL_MS = 10 * 60_000;
export const ACCOUNT_UUID = '00000000-0000-4000-8000-000000000001';

export interface SandboxUser {
  id: number;
  username: string;
  email: string;
}

export const DEFAULT_OWNER: SandboxUser = { id: 7654321, username: 'Sandbox Owner', email: 'owner@example.com' };

export interface InstallResult {
  code: string;
  scope: string;
  context: string;
  account_uuid: string;
  /** The app's auth callback with the query BigCommerce sends, when appCallbacks are configured. */
  url: string | null;
}

export function issueInstall(rt: Runtime, store: StoreState, options: { scope?: string; user?: SandboxUser } = {}): InstallResult {
  const grant: Grant = {
    code: rt.ids.hex(24),
    store_hash: store.hash,
    scope: options.scope ?? DEFAULT_SCOPE,
    user: options.user ?? DEFAULT_OWNER,
    owner: DEFAULT_OWNER,
    account_uuid: ACCOUNT_UUID,
    expires_at: rt.config.now() + CODE_TTL_MS,
  };
  rt.state.grants.push(grant);
  rt.changed();
  const query = new URLSearchParams({ code: grant.code, scope: grant.scope, context: `stores/${store.hash}`, account_uuid: grant.account_uuid });
  const auth = rt.config.appCallbacks?.auth;
  return { code: grant.code, scope: grant.scope, context: `stores/${store.hash}`, account_uuid: grant.account_uuid, url: auth ? `${auth}?${query.toString()}` : null };
}

/** Mints a token for a store without the browser round trip (tests, the standalone entry). */
export function issueToken(rt: Runtime, store: StoreState, scope = DEFAULT_SCOPE): AccessToken {
  const token: AccessToken = { token: rt.ids.hex(31), store_hash: store.hash, scope, client_id: rt.config.clientId };
  rt.state.tokens.push(token);
  store.installed = true;
  rt.changed();
  return token;
}

const tokenRequest = z.object({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  code: z.string().min(1),
  grant_type: z.literal('authorization_code'),
  redirect_uri: z.string().min(1),
  scope: z.string().optional(),
  context: z.string().min(1),
});

async function readTokenBody(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text();
  if ((req.headers.get('content-type') ?? '').includes('application/json')) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function oauthError(status: number, error: string, description: string): Response {
  return json({ error, error_description: description }, status);
}

export async function exchangeCode(rt: Runtime, req: Request): Promise<Response> {
  const parsed = tokenRequest.safeParse(await readTokenBody(req));
  if (!parsed.success) return oauthError(400, 'invalid_request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const body = parsed.data;
  if (body.client_id !== rt.config.clientId || body.client_secret !== rt.config.clientSecret) {
    return oauthError(401, 'invalid_client', 'Invalid client id or secret');
  }
  const grant = rt.state.grants.find((g) => g.code === body.code);
  // Codes are single use: consumed on the first attempt, whether it succeeds or not.
  rt.state.grants = rt.state.grants.filter((g) => g.code !== body.code);
  if (!grant || grant.expires_at < rt.config.now()) return oauthError(400, 'invalid_grant', 'The authorization code is invalid, expired or already used');
  if (body.context !== `stores/${grant.store_hash}`) return oauthError(400, 'invalid_grant', 'The context does not match the authorization code');
  const registered = rt.config.appCallbacks?.auth;
  if (registered && body.redirect_uri !== registered) return oauthError(400, 'invalid_grant', 'redirect_uri does not match the registered auth callback');
  const store = rt.state.stores[grant.store_hash];
  if (!store) return oauthError(400, 'invalid_grant', 'The store no longer exists');
  // A fresh install replaces the app's previous token for this store.
  rt.state.tokens = rt.state.tokens.filter((t) => !(t.store_hash === store.hash && t.client_id === rt.config.clientId));
  const token = issueToken(rt, store, grant.scope);
  return json({
    access_token: token.token,
    scope: grant.scope,
    user: grant.user,
    owner: grant.owner,
    context: `stores/${store.hash}`,
    account_uuid: grant.account_uuid,
  });
}

export type SignedPayloadKind = 'load' | 'uninstall' | 'remove_user';

export interface SignedPayloadOptions {
  user?: { id: number; email: string; locale?: string };
  url?: string; // deep link, default '/'
  channelId?: number | null;
}

export async function mintSignedPayload(rt: Runtime, store: StoreState, options: SignedPayloadOptions = {}): Promise<string> {
  const iat = Math.floor(rt.config.now() / 1000);
  const user = options.user ?? { id: DEFAULT_OWNER.id, email: DEFAULT_OWNER.email, locale: 'en-US' };
  return new SignJWT({
    user: { id: user.id, email: user.email, locale: user.locale ?? 'en-US' },
    owner: { id: DEFAULT_OWNER.id, email: DEFAULT_OWNER.email },
    url: options.url ?? '/',
    channel_id: options.channelId ?? null,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('bc')
    .setAudience(rt.config.clientId)
    .setSubject(`stores/${store.hash}`)
    .setIssuedAt(iat)
    .setNotBefore(iat) // documented as always equal to iat
    .setExpirationTime(iat + 24 * 3600)
    .setJti(rt.ids.uuid())
    .sign(new TextEncoder().encode(rt.config.clientSecret));
}

export function callbackUrl(rt: Runtime, kind: SignedPayloadKind, jwt: string): string | null {
  const callbacks = rt.config.appCallbacks;
  if (!callbacks) return null;
  const base = kind === 'load' ? callbacks.load : kind === 'uninstall' ? callbacks.uninstall : callbacks.removeUser;
  return `${base}?signed_payload_jwt=${encodeURIComponent(jwt)}`;
}

/**
 * Uninstalls the app: its tokens stop working and its hooks are deleted (webhooks overview),
 * then BigCommerce calls the uninstall callback server-to-server.
 */
export async function uninstall(rt: Runtime, store: StoreState): Promise<{ url: string | null; status: number | null }> {
  const jwt = await mintSignedPayload(rt, store);
  rt.state.tokens = rt.state.tokens.filter((t) => t.store_hash !== store.hash);
  store.hooks = store.hooks.filter((h) => h.client_id !== rt.config.clientId);
  store.installed = false;
  rt.changed();
  const url = callbackUrl(rt, 'uninstall', jwt);
  if (!url) return { url: null, status: null };
  try {
    const response = await rt.config.fetch(url, { method: 'GET' });
    return { url, status: response.status };
  } catch {
    return { url, status: null };
  }
}
