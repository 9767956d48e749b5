import { parseJson, requireApiSession, respond } from '@/app/_lib/http';
import { fixStockProblem, problemFixSchema } from '@/jobs/lifecycle/locations';
import { getQueue, jobDeps } from '@/jobs/runtime';
import { fixedSchema } from '../../../schema';

export const dynamic = 'force-dynamic';

/**
 * The one-click fix of an item's stock problem (body `{ kind }`, or empty for its only one):
 * BigCommerce tracks the item's stock the way Counterpart publishes it, or keeps no safety stock
 * where it held the level above Lightspeed's; published again at once.
 */
export async function POST(request: Request, context: { params: Promise<{ lsProductId: string }> }) {
  return respond(async () => {
    const session = await requireApiSession(request, 'locations.manage');
    const { lsProductId } = await context.params;
    const { kind } = await parseJson(request, problemFixSchema, { optional: true });
    return Response.json(fixedSchema.parse(await fixStockProblem(await jobDeps(), await getQueue(), session.storeId, lsProductId, kind, session.email)));
  });
}
