import { requireApiSession, respond } from '@/app/_lib/http';
import { env } from '@/env';
import { renewSession } from '@/integrations/bigcommerce/session';
import { sessionGrantSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** A fresh token for a live session (the page calls this before its token expires). */
export async function POST(request: Request) {
  return respond(async () => {
    const s = await requireApiSession(request);
    const { token, expiresAt } = await renewSession(s, env().SESSION_SECRET, env().SESSION_TTL_SECONDS);
    return Response.json(sessionGrantSchema.parse({ token, expiresAt: expiresAt.toISOString(), storeHash: s.storeHash, email: s.email, role: s.role, allowed: s.access.allowed }));
  });
}
