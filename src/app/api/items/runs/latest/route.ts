import { requireApiSession, respond } from '@/app/_lib/http';
import { latestRun } from '@/jobs/lifecycle/catalog';
import { jobDeps } from '@/jobs/runtime';
import { latestRunSchema } from '../../schema';

export const dynamic = 'force-dynamic';

/** The store's newest save (running or finished), so a reloaded page or a second tab shows its progress. */
export async function GET(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    return Response.json(latestRunSchema.parse(await latestRun(await jobDeps(), session.storeId)));
  });
}
