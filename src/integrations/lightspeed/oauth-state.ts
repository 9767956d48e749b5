/**
 * The OAuth `state` parameter, bound to the browser session that started the connection: a
 * callback carrying a state minted for another session (login CSRF) or an old one (replay after
 * expiry) is refused. Stateless, so no table is needed: `<expiry>.<nonce>.<mac>`, where the
 * MAC is HMAC-SHA256 over the session id, expiry and nonce with a server secret.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface OAuthStateOptions {
  sessionId: string;
  secret: string;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

const DEFAULT_TTL_MS = 10 * 60 * 1000;

export function createOAuthState(options: OAuthStateOptions & { ttlMs?: number }): string {
  const now = options.now ?? Date.now;
  const expiresAt = Math.floor((now() + (options.ttlMs ?? DEFAULT_TTL_MS)) / 1000);
  const nonce = randomBytes(12).toString('base64url');
  return `${expiresAt}.${nonce}.${mac(options, expiresAt, nonce)}`;
}

export type OAuthStateCheck = { valid: true } | { valid: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export function verifyOAuthState(state: string | null | undefined, options: OAuthStateOptions): OAuthStateCheck {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{43})$/.exec(state ?? '');
  if (!match) return { valid: false, reason: 'malformed' };
  const [, expiry, nonce, given] = match as unknown as [string, string, string, string];
  const expected = Buffer.from(mac(options, Number(expiry), nonce), 'base64url');
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { valid: false, reason: 'bad-signature' };
  const now = options.now ?? Date.now;
  if (Number(expiry) * 1000 <= now()) return { valid: false, reason: 'expired' };
  return { valid: true };
}

function mac(options: OAuthStateOptions, expiresAt: number, nonce: string): string {
  if (options.secret.length < 16) throw new Error('the OAuth state secret must be at least 16 characters');
  return createHmac('sha256', options.secret).update(`lightspeed-oauth-state\n${options.sessionId}\n${expiresAt}\n${nonce}`).digest('base64url');
}
