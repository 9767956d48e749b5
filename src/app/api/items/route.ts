import { parseQuery, requireApiSession, respond } from '@/app/_lib/http';
import { itemsQuerySchema, listItems } from '@/jobs/lifecycle/catalog';
import { jobDeps } from '@/jobs/runtime';
import { itemsPageSchema } from './schema';

export const dynamic = 'force-dynamic';

/** Catalog items: search, filters, paging, facets and index state; `?id=` finds the item holding a product. */
export async function GET(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const query = parseQuery(request, itemsQuerySchema);
    return Response.json(itemsPageSchema.parse(await listItems(await jobDeps(), session.storeId, query)));
  });
}
