import { parseQuery, requireApiSession, respond } from '@/app/_lib/http';
import { activityPage, activityQuerySchema } from '@/jobs/lifecycle/activity';
import { jobDeps } from '@/jobs/runtime';
import { activityPageSchema } from './schema';

export const dynamic = 'force-dynamic';

/** The store's activity log, newest first: `?outcome=error|warning|ok|info`, `?before=<id>` for older. */
export async function GET(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const query = parseQuery(request, activityQuerySchema);
    return Response.json(activityPageSchema.parse(await activityPage(await jobDeps(), session.storeId, query)));
  });
}
