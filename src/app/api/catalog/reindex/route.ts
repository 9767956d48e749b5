import { requireApiSession, respond } from '@/app/_lib/http';
import { requestReindex } from '@/jobs/lifecycle/catalog';
import { getQueue, jobDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** Rebuilds the catalog index from the stored Lightspeed products. */
export async function POST(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request, 'sweep');
    return Response.json(await requestReindex(await jobDeps(), await getQueue(), session.storeId), { status: 202 });
  });
}
