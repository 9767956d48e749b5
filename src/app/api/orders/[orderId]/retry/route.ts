import { BadRequest, requireApiSession, respond } from '@/app/_lib/http';
import { orderIdSchema, retryOrder } from '@/jobs/lifecycle/orders';
import { getQueue, jobDeps } from '@/jobs/runtime';
import { retryStartedSchema } from '../../schema';

export const dynamic = 'force-dynamic';

/** Takes an order in again now (booking stays exactly once). */
export async function POST(request: Request, context: { params: Promise<{ orderId: string }> }) {
  return respond(async () => {
    const session = await requireApiSession(request, 'orders.manage');
    const parsed = orderIdSchema.safeParse((await context.params).orderId);
    if (!parsed.success) throw new BadRequest(parsed.error.issues[0]?.message ?? 'the order number is not valid');
    return Response.json(retryStartedSchema.parse(await retryOrder(await jobDeps(), await getQueue(), session.storeId, parsed.data, session.email)), { status: 202 });
  });
}
