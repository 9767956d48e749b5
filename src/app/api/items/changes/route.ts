import { parseJson, requireAction, requireApiSession, respond } from '@/app/_lib/http';
import { changesSchema, requestChanges } from '@/jobs/lifecycle/catalog';
import { getQueue, jobDeps } from '@/jobs/runtime';
import { runStartedSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** Enables or disables items for online sale (by ids or by filter); answers 202 with the run to follow. */
export async function POST(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const body = await parseJson(request, changesSchema);
    requireAction(session, 'changes' in body ? 'items.enable' : 'items.bulk');
    const result = await requestChanges(await jobDeps(), await getQueue(), session.storeId, body, session.email);
    return Response.json(runStartedSchema.parse(result), { status: 202 });
  });
}
