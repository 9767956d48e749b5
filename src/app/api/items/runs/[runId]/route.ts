import { requireApiSession, respond } from '@/app/_lib/http';
import { runStatus } from '@/jobs/lifecycle/catalog';
import { jobDeps } from '@/jobs/runtime';
import { runSchema } from '../../schema';

export const dynamic = 'force-dynamic';

/** Progress and per-item results of a run. */
export async function GET(request: Request, context: { params: Promise<{ runId: string }> }) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const { runId } = await context.params;
    return Response.json(runSchema.parse(await runStatus(await jobDeps(), session.storeId, runId)));
  });
}
