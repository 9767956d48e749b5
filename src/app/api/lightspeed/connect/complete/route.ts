import { parseJson, requireApiSession, respond } from '@/app/_lib/http';
import { env } from '@/env';
import { callbackQuerySchema, completeConnect } from '@/jobs/lifecycle/lightspeed';
import { getQueue, jobDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/**
 * Finishes a Lightspeed connection with the code Lightspeed sent back. Called by the app's page
 * that started it (the callback window hands it the code), with that page's session: the state
 * must name this session's store and user, so a copied authorize link connects nothing.
 */
export async function POST(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request, 'lightspeed.connection');
    const query = await parseJson(request, callbackQuerySchema.strict());
    const deps = await jobDeps();
    const result = await completeConnect(query, { ...deps, sessionSecret: env().SESSION_SECRET }, await getQueue(), { storeId: session.storeId, userId: session.userId });
    return Response.json({ domainPrefix: result.domainPrefix });
  });
}
