/**
 * App sessions inside the control panel's cross-site iframe. Third-party cookies are blocked
 * there, and BigCommerce's publishing guide asks apps to be cookieless and never to pass
 * sensitive data in query parameters. So:
 *
 * 1. the load (or auth) callback redirects with a one-time launch code (db/repositories/
 *    launch-codes.ts), never a session;
 * 2. the page exchanges the code for a short-lived session token (SESSION_TTL_SECONDS), keeps
 *    it out of every URL and sends it as `Authorization: Bearer` — a header no cross-site page
 *    can make the browser send, so mutations are CSRF-safe;
 * 3. the open page renews the token before it expires, up to SESSION_MAX_AGE_SECONDS after the
 *    launch; after that (or after an uninstall or a removed user) the merchant reopens the app;
 * 4. a reload of the frame resumes the session with a resume token held in a partitioned,
 *    HttpOnly cookie scoped to the resume endpoint (see `resumeCookie`): it is no bearer token
 *    (another salt), it is sent to no other endpoint, and its answer (a fresh bearer token) is
 *    readable only by the app's own pages.
 *
 * The token is a next-auth JWT (encrypted, signed with SESSION_SECRET) bound to one store and
 * one user, re-checked against the database on every request so an uninstall or a removed user
 * takes effect at once.
 */
import { decode, encode } from 'next-auth/jwt';
import { z } from 'zod';

/** How long the sessions of one launch may be renewed: a working day, then the app is reopened. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
const SALT = 'counterpart.session';
const RESUME_SALT = 'counterpart.resume';

/** The resume cookie: only the resume endpoint receives it. */
export const RESUME_COOKIE = 'counterpart_resume';
export const RESUME_PATH = '/api/session/resume';

const claimsSchema = z.object({
  storeId: z.uuid(),
  storeHash: z.string().min(1),
  userId: z.number().int(),
  email: z.string(),
  /** When the launch code was exchanged (epoch seconds): renewals never go past the max age. */
  launchedAt: z.number().int().positive(),
});

export type SessionClaims = z.infer<typeof claimsSchema>;

/** The user's standing in the store, read from the database on every request. */
export interface SessionStanding {
  role: 'owner' | 'user';
  /** The owner's grants to other users (see core/access). */
  grants: string[];
}

export interface Session extends SessionClaims, SessionStanding {
  token: string;
  expiresAt: Date;
}

/** What the session check needs from the database: the user's standing, or undefined when access is gone. */
export interface SessionDirectory {
  standing(claims: SessionClaims): Promise<SessionStanding | undefined>;
}

export class SessionError extends Error {
  readonly status = 401;
  constructor(message: string) {
    super(message);
    this.name = 'SessionError';
  }
}

export async function issueSession(claims: SessionClaims, secret: string, ttlSeconds: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = await encode({ token: { ...claims, sub: `${claims.storeHash}:${claims.userId}`, iat: Math.floor(now.getTime() / 1000) }, secret, salt: SALT, maxAge: ttlSeconds });
  return { token, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) };
}

/** The bearer token of an API request. Never a query parameter or a cookie. */
export function sessionTokenFrom(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
  return undefined;
}

export async function verifySession(token: string | undefined, secret: string, directory: SessionDirectory): Promise<Session> {
  if (!token) throw new SessionError('no session: open the app from the BigCommerce control panel');
  let decoded: (Record<string, unknown> & { exp?: unknown }) | null;
  try {
    decoded = await decode({ token, secret, salt: SALT });
  } catch {
    decoded = null;
  }
  if (!decoded) throw new SessionError('session is invalid or has expired: reopen the app from the control panel');
  const claims = claimsSchema.safeParse(decoded);
  if (!claims.success) throw new SessionError('session is malformed');
  const standing = await directory.standing(claims.data);
  if (!standing) throw new SessionError('this user no longer has access to Counterpart in this store (the store owner gives access in BigCommerce, under Settings › Users)');
  const exp = typeof decoded.exp === 'number' ? decoded.exp : 0;
  return { ...claims.data, ...standing, token, expiresAt: new Date(exp * 1000) };
}

/**
 * A fresh token for a live session (or a resumed one), as long as its launch is younger than the
 * max age; it never outlives that.
 */
export async function renewSession(claims: SessionClaims, secret: string, ttlSeconds: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const limit = claims.launchedAt + SESSION_MAX_AGE_SECONDS;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (nowSeconds >= limit) throw new SessionError('this session is older than 12 hours: reopen the app from the control panel');
  const { storeId, storeHash, userId, email, launchedAt } = claims;
  return issueSession({ storeId, storeHash, userId, email, launchedAt }, secret, Math.min(ttlSeconds, limit - nowSeconds), now);
}

/** A resume token for the launch: valid until the launch's max age, only at the resume endpoint. */
export async function issueResumeToken(claims: SessionClaims, secret: string, now = new Date()): Promise<{ token: string; maxAgeSeconds: number }> {
  const maxAgeSeconds = Math.max(1, claims.launchedAt + SESSION_MAX_AGE_SECONDS - Math.floor(now.getTime() / 1000));
  const token = await encode({ token: { ...claims, sub: `${claims.storeHash}:${claims.userId}` }, secret, salt: RESUME_SALT, maxAge: maxAgeSeconds });
  return { token, maxAgeSeconds };
}

/**
 * The cookie that lets a reloaded frame resume: `Partitioned` (CHIPS) so that browsers blocking
 * third-party cookies still keep it for the app framed by this control panel, and only there;
 * HttpOnly (no script reads it); `Secure` (browsers accept it on HTTPS and on loopback);
 * `SameSite=None` because the frame is cross-site; `Path` = the resume endpoint.
 */
export function resumeCookie(token: string | null, maxAgeSeconds: number): string {
  const value = token ?? '';
  const age = token ? maxAgeSeconds : 0;
  return `${RESUME_COOKIE}=${value}; Path=${RESUME_PATH}; Max-Age=${age}; HttpOnly; Secure; SameSite=None; Partitioned`;
}

export function resumeTokenFrom(request: Request): string | undefined {
  const header = request.headers.get('cookie') ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === RESUME_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

/** The claims of a resume token, or a SessionError. Resume tokens are never accepted as bearer tokens (another salt). */
export async function verifyResumeToken(token: string | undefined, secret: string): Promise<SessionClaims> {
  if (!token) throw new SessionError('no session to resume: open the app from the BigCommerce control panel');
  let decoded: unknown;
  try {
    decoded = await decode({ token, secret, salt: RESUME_SALT });
  } catch {
    decoded = null;
  }
  const claims = claimsSchema.safeParse(decoded);
  if (!decoded || !claims.success) throw new SessionError('the session cannot be resumed any more: open the app again from the BigCommerce control panel');
  return claims.data;
}
