/**
 * App sessions inside the control panel's cross-site iframe. Third-party cookies are blocked
 * there, so (as BigCommerce's own sample app does) the session travels as a token: in the page
 * URL after the load callback, then in the `Authorization: Bearer` header of every API call.
 * The token is a next-auth JWT (encrypted, signed with SESSION_SECRET) bound to one store and
 * one user, re-checked against the database on every request so an uninstall or a removed user
 * takes effect at once. A header the browser never sends on its own makes mutations CSRF-safe.
 */
import { decode, encode } from 'next-auth/jwt';
import { z } from 'zod';

export const SESSION_TTL_SECONDS = 12 * 60 * 60;
const SALT = 'counterpart.session';

const claimsSchema = z.object({
  storeId: z.uuid(),
  storeHash: z.string().min(1),
  userId: z.number().int(),
  email: z.string(),
});

export type SessionClaims = z.infer<typeof claimsSchema>;

export interface Session extends SessionClaims {
  token: string;
}

/** What the session check needs from the database. */
export interface SessionDirectory {
  isActive(claims: SessionClaims): Promise<boolean>;
}

export class SessionError extends Error {
  readonly status = 401;
  constructor(message: string) {
    super(message);
    this.name = 'SessionError';
  }
}

export function issueSession(claims: SessionClaims, secret: string): Promise<string> {
  return encode({ token: { ...claims, sub: `${claims.storeHash}:${claims.userId}` }, secret, salt: SALT, maxAge: SESSION_TTL_SECONDS });
}

/** The bearer token of a request: the Authorization header, or (pages only) the `session` query. */
export function sessionTokenFrom(request: Request, options: { allowQuery: boolean }): string | undefined {
  const header = request.headers.get('authorization');
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  if (options.allowQuery) return new URL(request.url).searchParams.get('session') ?? undefined;
  return undefined;
}

export async function verifySession(token: string | undefined, secret: string, directory: SessionDirectory): Promise<Session> {
  if (!token) throw new SessionError('no session: open the app from the BigCommerce control panel');
  let decoded: unknown;
  try {
    decoded = await decode({ token, secret, salt: SALT });
  } catch {
    decoded = null;
  }
  if (!decoded) throw new SessionError('session is invalid or has expired: reopen the app from the control panel');
  const claims = claimsSchema.safeParse(decoded);
  if (!claims.success) throw new SessionError('session is malformed');
  if (!(await directory.isActive(claims.data))) throw new SessionError('this user no longer has access to the app in this store');
  return { ...claims.data, token };
}
