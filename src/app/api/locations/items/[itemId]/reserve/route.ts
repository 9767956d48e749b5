import { parseJson, requireAction, requireApiSession, respond } from '@/app/_lib/http';
import { itemReserveSchema, setItemReserve } from '@/jobs/lifecycle/locations';
import { getQueue, jobDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** The item's own walk-in reserve at one outlet or every outlet (null removes it: the outlet's default applies); republished at once. */
export async function PUT(request: Request, context: { params: Promise<{ itemId: string }> }) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const input = await parseJson(request, itemReserveSchema);
    requireAction(session, 'locations.manage');
    const { itemId } = await context.params;
    await setItemReserve(await jobDeps(), await getQueue(), session.storeId, itemId, input, session.email);
    return new Response(null, { status: 204 });
  });
}
