import { parseQuery, requireApiSession, respond } from '@/app/_lib/http';
import { apiUsage, usageQuerySchema } from '@/jobs/lifecycle/activity';
import { jobDeps } from '@/jobs/runtime';
import { usageSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** The store's BigCommerce and Lightspeed API calls per endpoint over the last `?hours=` (24). */
export async function GET(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const query = parseQuery(request, usageQuerySchema);
    return Response.json(usageSchema.parse(await apiUsage(await jobDeps(), session.storeId, query)));
  });
}
