import { requireApiSession, respond } from '@/app/_lib/http';
import { sweepStatus } from '@/jobs/lifecycle/locations';
import { jobDeps } from '@/jobs/runtime';
import { sweepStatusSchema } from '../../schema';

export const dynamic = 'force-dynamic';

/** A stock check's progress (from the server's record, so a reloaded page follows it). */
export async function GET(request: Request, context: { params: Promise<{ sweepId: string }> }) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const { sweepId } = await context.params;
    return Response.json(sweepStatusSchema.parse(await sweepStatus(await jobDeps(), session.storeId, sweepId)));
  });
}
