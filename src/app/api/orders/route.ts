import { parseQuery, requireApiSession, respond } from '@/app/_lib/http';
import { listOrders, ordersQuerySchema } from '@/jobs/lifecycle/orders';
import { jobDeps } from '@/jobs/runtime';
import { ordersPageSchema } from './schema';

export const dynamic = 'force-dynamic';

/** Recent online orders, newest first: routing, the Lightspeed sale(s) per outlet, errors. `?before=` pages on. */
export async function GET(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const query = parseQuery(request, ordersQuerySchema);
    return Response.json(ordersPageSchema.parse(await listOrders(await jobDeps(), session.storeId, query)));
  });
}
