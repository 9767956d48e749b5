import { requireApiSession, respond, sessionOf } from '@/app/_lib/http';
import { env } from '@/env';
import { renewSession } from '@/integrations/bigcommerce/session';
import { sessionView } from '../view';
import { sessionGrantSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** A fresh token for a live session (the page calls this before its token expires). */
export async function POST(request: Request) {
  return respond(async () => {
    const s = await requireApiSession(request);
    const { token } = await renewSession(s, env().SESSION_SECRET, env().SESSION_TTL_SECONDS);
    return Response.json(sessionGrantSchema.parse({ ...sessionView(await sessionOf(token)), token }));
  });
}
