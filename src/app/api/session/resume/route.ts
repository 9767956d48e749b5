import { respond, sessionOf } from '@/app/_lib/http';
import { env } from '@/env';
import { renewSession, resumeTokenFrom, verifyResumeToken } from '@/integrations/bigcommerce/session';
import { resumeSchema } from '../schema';
import { sessionView } from '../view';

export const dynamic = 'force-dynamic';

/**
 * A reloaded frame resumes its session: the partitioned resume cookie (sent to this path only)
 * buys a fresh bearer token, re-checked against the database. Without the cookie (a copied link,
 * another browser, another top-level site) there is nothing to resume and the page asks the
 * merchant to open the app from the control panel; a cookie that no longer holds (user removed,
 * app uninstalled, launch older than 12 hours) is a 401 with the reason. A cross-site page cannot
 * read the answer (no CORS).
 */
export async function POST(request: Request) {
  return respond(async () => {
    const cookie = resumeTokenFrom(request);
    if (!cookie) return Response.json(resumeSchema.parse({ session: null }));
    const claims = await verifyResumeToken(cookie, env().SESSION_SECRET);
    const { token } = await renewSession(claims, env().SESSION_SECRET, env().SESSION_TTL_SECONDS);
    return Response.json(resumeSchema.parse({ session: { ...sessionView(await sessionOf(token)), token } }));
  });
}
