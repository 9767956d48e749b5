import { parseJson, requireApiSession, respond } from '@/app/_lib/http';
import { changesSchema, requestChanges } from '@/jobs/lifecycle/catalog';
import { getQueue, jobDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** Enables or disables items for online sale (by ids or by filter); answers 202 with the run to follow. */
export async function POST(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const body = await parseJson(request, changesSchema);
    const result = await requestChanges(await jobDeps(), await getQueue(), session.storeId, body, session.email);
    return Response.json(result, { status: 202 });
  });
}
