/**
 * Lightspeed X-Series OAuth 2.0 (authorization-code grant). The token endpoint lives on the
 * retailer's own domain (`{domain_prefix}`), takes form-encoded parameters in the body (URL
 * parameters have been rejected since 2017) and answers both the code exchange and the
 * refresh. Refresh tokens rotate: each refresh revokes the one it used, which is why refreshes
 * go through `TokenManager` and never straight through `refreshTokens`.
 */
import { z } from 'zod';
import { LightspeedReconnectRequired, LightspeedTokenError } from './errors';
import { retailerBaseUrl } from './urls';

export interface LightspeedOAuthConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Authorize host, e.g. `https://secure.retail.lightspeed.app`. */
  authUrl: string;
  /** Retailer API host with a `{domain_prefix}` placeholder, e.g. `https://{domain_prefix}.retail.lightspeed.app`. */
  apiUrlTemplate: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; injected for tests. */
  now?: () => number;
  /** Abort a token request after this long. Default 15 s. */
  timeoutMs?: number;
}

/** What the app keeps per store. `expiresAt` is epoch milliseconds. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresAt: number;
  domainPrefix: string;
  scopes: string[];
}

const tokenResponse = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().default('Bearer'),
    /** Absolute expiry, seconds since the epoch. */
    expires: z.number().int().positive().optional(),
    /** Lifetime in seconds (604800 in the 2025-03 changelog; do not assume it). */
    expires_in: z.number().int().positive().optional(),
    refresh_token: z.string().min(1),
    domain_prefix: z.string().min(1),
    scope: z.string().nullish(),
  })
  .refine((v) => v.expires !== undefined || v.expires_in !== undefined, { message: 'expected expires or expires_in' });

export function buildAuthorizeUrl(config: Pick<LightspeedOAuthConfig, 'authUrl' | 'clientId' | 'redirectUri'>, options: { state: string; scopes?: readonly string[] }): string {
  const url = new URL(`${config.authUrl.replace(/\/+$/, '')}/connect`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('state', options.state);
  if (options.scopes && options.scopes.length > 0) url.searchParams.set('scope', options.scopes.join(' '));
  return url.toString();
}

/** Trades the single-use authorization code (10-minute lifetime) for the store's first tokens. */
export function exchangeCode(config: LightspeedOAuthConfig, input: { code: string; domainPrefix: string }): Promise<Tokens> {
  return requestTokens(config, input.domainPrefix, {
    grant_type: 'authorization_code',
    code: input.code,
    client_id: config.clientId,
    client_secret: config.clientSecret,
    redirect_uri: config.redirectUri,
  });
}

/**
 * One refresh. A 400/401 means the grant is gone (refresh token revoked or already rotated):
 * it throws `LightspeedReconnectRequired` with `storeId` left empty for the caller to fill.
 * Never call this concurrently for one store; use `TokenManager`.
 */
export function refreshTokens(config: LightspeedOAuthConfig, input: { domainPrefix: string; refreshToken: string }): Promise<Tokens> {
  return requestTokens(config, input.domainPrefix, {
    grant_type: 'refresh_token',
    refresh_token: input.refreshToken,
    client_id: config.clientId,
    client_secret: config.clientSecret,
  });
}

async function requestTokens(config: LightspeedOAuthConfig, domainPrefix: string, form: Record<string, string>): Promise<Tokens> {
  const doFetch = config.fetch ?? fetch;
  const now = config.now ?? Date.now;
  const url = `${retailerBaseUrl(config.apiUrlTemplate, domainPrefix)}/api/1.0/token`;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(config.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new LightspeedTokenError(`Lightspeed token request for ${domainPrefix} failed to complete`, null, { cause: error });
  }
  const text = await response.text();
  if (response.status === 400 || response.status === 401) {
    throw new LightspeedReconnectRequired('', `token endpoint answered ${response.status}: ${oauthErrorOf(text)}`);
  }
  if (!response.ok) throw new LightspeedTokenError(`Lightspeed token endpoint answered ${response.status}`, response.status);
  const parsed = tokenResponse.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new LightspeedTokenError(`Lightspeed token endpoint returned an unexpected body: ${parsed.error.issues.map((i) => i.message).join('; ')}`, response.status);
  }
  const body = parsed.data;
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    tokenType: body.token_type,
    // Prefer the absolute `expires`: it is immune to the time the response spent in transit.
    expiresAt: body.expires !== undefined ? body.expires * 1000 : now() + (body.expires_in ?? 0) * 1000,
    domainPrefix: body.domain_prefix,
    scopes: (body.scope ?? '').split(/[\s,]+/).filter(Boolean),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function oauthErrorOf(text: string): string {
  const body = safeJson(text);
  if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') return body.error;
  return text.slice(0, 100) || 'no body';
}
