import { parseJson, requireAction, requireApiSession, respond } from '@/app/_lib/http';
import { outletPatchSchema, updateOutlet } from '@/jobs/lifecycle/locations';
import { getQueue, jobDeps } from '@/jobs/runtime';
import { outletUpdatedSchema } from '../../schema';

export const dynamic = 'force-dynamic';

/** Maps an outlet to an existing BigCommerce location (or unmaps it) and changes its settings; stock is republished at once. */
export async function PATCH(request: Request, context: { params: Promise<{ outletId: string }> }) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const patch = await parseJson(request, outletPatchSchema);
    requireAction(session, 'locations.manage');
    const { outletId } = await context.params;
    return Response.json(outletUpdatedSchema.parse({ outlet: await updateOutlet(await jobDeps(), await getQueue(), session.storeId, outletId, patch, session.email) }));
  });
}
