import { requireApiSession, respond } from '@/app/_lib/http';
import { itemStock } from '@/jobs/lifecycle/locations';
import { jobDeps } from '@/jobs/runtime';
import { itemStockSchema } from '../../schema';

export const dynamic = 'force-dynamic';

/** "Why is this item showing N?": per location, Lightspeed's on-hand, in flight, reserve, published, BigCommerce's level, and the last changes with cause and latency. */
export async function GET(request: Request, context: { params: Promise<{ itemId: string }> }) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const { itemId } = await context.params;
    return Response.json(itemStockSchema.parse(await itemStock(await jobDeps(), session.storeId, itemId)));
  });
}
