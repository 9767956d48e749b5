import { parseJson, requireApiSession, respond, sessionOf } from '@/app/_lib/http';
import { getDatabase, getSecrets } from '@/db/runtime';
import { env } from '@/env';
import { issueResumeToken, resumeCookie } from '@/integrations/bigcommerce/session';
import { startSession } from '@/jobs/lifecycle/bigcommerce';
import { launchSchema, sessionGrantSchema, sessionViewSchema } from './schema';
import { sessionView } from './view';

export const dynamic = 'force-dynamic';


/** Who the bearer session is: store, user, role and what they may do. */
export async function GET(request: Request) {
  return respond(async () => Response.json(sessionViewSchema.parse(sessionView(await requireApiSession(request)))));
}

/**
 * Exchanges the load callback's one-time launch code for a session token (401 when used or
 * expired), and sets the partitioned resume cookie a reloaded frame resumes with.
 */
export async function POST(request: Request) {
  return respond(async () => {
    const { launchCode } = await parseJson(request, launchSchema);
    const started = await startSession(launchCode, { db: (await getDatabase()).db, secrets: getSecrets(), env: env() });
    const resume = await issueResumeToken(started.claims, env().SESSION_SECRET);
    return Response.json(sessionGrantSchema.parse({ ...sessionView(await sessionOf(started.token)), token: started.token }), {
      headers: { 'set-cookie': resumeCookie(resume.token, resume.maxAgeSeconds) },
    });
  });
}
