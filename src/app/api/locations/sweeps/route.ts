import { requireApiSession, respond } from '@/app/_lib/http';
import { requestSweep } from '@/jobs/lifecycle/locations';
import { getQueue, jobDeps } from '@/jobs/runtime';
import { sweepStartedSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** "Check stock now": a reconciliation sweep of every linked item (any user may ask); answers 202 with the sweep to follow. */
export async function POST(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request, 'sweep');
    return Response.json(sweepStartedSchema.parse(await requestSweep(await jobDeps(), await getQueue(), session.storeId)), { status: 202 });
  });
}
