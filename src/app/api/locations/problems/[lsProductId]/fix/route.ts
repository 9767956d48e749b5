import { requireApiSession, respond } from '@/app/_lib/http';
import { fixInventoryTracking } from '@/jobs/lifecycle/locations';
import { getQueue, jobDeps } from '@/jobs/runtime';
import { fixedSchema } from '../../../schema';

export const dynamic = 'force-dynamic';

/** The one-click fix of a stock problem: BigCommerce tracks the item's stock the way Counterpart publishes it; published again at once. */
export async function POST(request: Request, context: { params: Promise<{ lsProductId: string }> }) {
  return respond(async () => {
    const session = await requireApiSession(request, 'locations.manage');
    const { lsProductId } = await context.params;
    return Response.json(fixedSchema.parse(await fixInventoryTracking(await jobDeps(), await getQueue(), session.storeId, lsProductId, session.email)));
  });
}
