/** Shared edges of the route handlers: one place that turns typed errors into responses. */
import { type z } from 'zod';
import { getDatabase, getSecrets } from '@/db/runtime';
import { env } from '@/env';
import { sessionDirectory } from '@/jobs/lifecycle/bigcommerce';
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

export async function parseJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await request.json();
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

/**
 * The session of an API request. Only the Authorization header counts: a cross-site page can
 * make the browser send cookies or follow links, never set this header, so this is CSRF-safe.
 */
export async function requireApiSession(request: Request): Promise<Session> {
  const token = sessionTokenFrom(request, { allowQuery: false });
  if (!token) throw new SessionError('missing Authorization: Bearer session token');
  return verifySession(token, env().SESSION_SECRET, sessionDirectory((await getDatabase()).db, getSecrets()));
}

/** The session of a page render, from its `?session=` query (pages are reached through the load callback). */
export async function pageSession(token: string | undefined): Promise<Session | undefined> {
  try {
    return await verifySession(token, env().SESSION_SECRET, sessionDirectory((await getDatabase()).db, getSecrets()));
  } catch (error) {
    if (error instanceof SessionError) return undefined;
    throw error;
  }
}
