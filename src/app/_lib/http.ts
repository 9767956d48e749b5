/** Shared edges of the route handlers: one place that turns typed errors into responses. */
import { type z } from 'zod';
import { getDatabase, getSecrets } from '@/db/runtime';
import { env } from '@/env';
import { sessionDirectory } from '@/jobs/lifecycle/bigcommerce';
import { type Access, accessFor, type Action, may, refusal } from '@/core/access/permissions';
import { type Session, SessionError, sessionTokenFrom, verifySession } from '@/integrations/bigcommerce/session';

export class BadRequest extends Error {
  readonly status = 400;
}

/** Parses the query string with a zod schema; failures become a 400 naming the field. */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new BadRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** The JSON body checked against `schema`; with `optional`, an empty body reads as `{}`. */
export async function parseJson<S extends z.ZodType>(request: Request, schema: S, options: { optional?: boolean } = {}): Promise<z.output<S>> {
  let body: unknown;
  try {
    const text = await request.text();
    body = options.optional && text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new BadRequest('the request body is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new BadRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Runs a handler; errors carrying an HTTP `status` below 500 become that status with their message. */
export async function respond(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return Response.json({ error: (error as Error).message }, { status, headers: { 'cache-control': 'no-store' } });
    }
    console.error('[counterpart] request failed:', error);
    return Response.json({ error: 'Something went wrong on our side; it has been logged.' }, { status: 500 });
  }
}

export class Forbidden extends Error {
  readonly status = 403;
}

export interface ApiSession extends Session {
  access: Access;
}

/**
 * The session of an API request, allowed to do `action` (by default, look). Only the
 * Authorization header counts: a cross-site page can make the browser send cookies or follow
 * links, never set this header, so this is CSRF-safe. The role is read from the database on
 * every request, so a grant or its withdrawal takes effect at once. A user who may not act gets
 * 403 with what they cannot do and how to get it.
 */
export async function requireApiSession(request: Request, action: Action = 'view'): Promise<ApiSession> {
  const token = sessionTokenFrom(request);
  if (!token) throw new SessionError('missing Authorization: Bearer session token');
  const session = await sessionOf(token);
  if (!may(session.access, action)) throw new Forbidden(refusal(action));
  return session;
}

/** Refuses (403) an action the session's user may not take; for routes whose action depends on the body. */
export function requireAction(session: ApiSession, action: Action): void {
  if (!may(session.access, action)) throw new Forbidden(refusal(action));
}

/** A session token checked against the database, with what its user may do. */
export async function sessionOf(token: string): Promise<ApiSession> {
  const session = await verifySession(token, env().SESSION_SECRET, sessionDirectory((await getDatabase()).db, getSecrets()));
  return { ...session, access: accessFor(session.role, session.grants) };
}
