import { parseJson, requireApiSession, respond } from '@/app/_lib/http';
import { resolveConflict, resolveSchema } from '@/jobs/lifecycle/catalog';
import { getQueue, jobDeps } from '@/jobs/runtime';
import { runStartedSchema } from '../../../schema';

export const dynamic = 'force-dynamic';

/** Resolves a conflict: link to a chosen BigCommerce product, or create a new one. */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  return respond(async () => {
    const session = await requireApiSession(request, 'catalog.mappings');
    const { id } = await context.params;
    const action = await parseJson(request, resolveSchema);
    return Response.json(runStartedSchema.parse(await resolveConflict(await jobDeps(), await getQueue(), session.storeId, id, action)), { status: 202 });
  });
}
