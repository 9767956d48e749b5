import { parseJson, requireAction, requireApiSession, respond } from '@/app/_lib/http';
import { createLocationForOutlet, createLocationSchema } from '@/jobs/lifecycle/locations';
import { getQueue, jobDeps } from '@/jobs/runtime';
import { outletUpdatedSchema } from '../../../schema';

export const dynamic = 'force-dynamic';

/** Creates a BigCommerce location for the outlet (managed by Counterpart, at the given coordinates) and maps the outlet to it. */
export async function POST(request: Request, context: { params: Promise<{ outletId: string }> }) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const input = await parseJson(request, createLocationSchema);
    requireAction(session, 'locations.manage');
    const { outletId } = await context.params;
    return Response.json(outletUpdatedSchema.parse({ outlet: await createLocationForOutlet(await jobDeps(), await getQueue(), session.storeId, outletId, input, session.email) }), { status: 201 });
  });
}
