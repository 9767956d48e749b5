import { requireApiSession, respond } from '@/app/_lib/http';
import { listConflicts } from '@/jobs/lifecycle/catalog';
import { jobDeps } from '@/jobs/runtime';
import { conflictsSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** Open matching conflicts, with their candidates. */
export async function GET(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    return Response.json(conflictsSchema.parse(await listConflicts(await jobDeps(), session.storeId)));
  });
}
