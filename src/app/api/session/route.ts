import { type ApiSession, parseJson, requireApiSession, respond, sessionOf } from '@/app/_lib/http';
import { getDatabase, getSecrets } from '@/db/runtime';
import { env } from '@/env';
import { startSession } from '@/jobs/lifecycle/bigcommerce';
import { launchSchema, sessionGrantSchema, sessionViewSchema } from './schema';

export const dynamic = 'force-dynamic';

const view = (s: ApiSession) => ({ storeHash: s.storeHash, email: s.email, role: s.role, allowed: s.access.allowed, expiresAt: s.expiresAt.toISOString() });

/** Who the bearer session is: store, user, role and what they may do. */
export async function GET(request: Request) {
  return respond(async () => Response.json(sessionViewSchema.parse(view(await requireApiSession(request)))));
}

/** Exchanges the load callback's one-time launch code for a session token (401 when used or expired). */
export async function POST(request: Request) {
  return respond(async () => {
    const { launchCode } = await parseJson(request, launchSchema);
    const started = await startSession(launchCode, { db: (await getDatabase()).db, secrets: getSecrets(), env: env() });
    return Response.json(sessionGrantSchema.parse({ ...view(await sessionOf(started.token)), token: started.token }));
  });
}
