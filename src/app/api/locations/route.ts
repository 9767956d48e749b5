import { requireApiSession, respond } from '@/app/_lib/http';
import { locationsPage } from '@/jobs/lifecycle/locations';
import { jobDeps } from '@/jobs/runtime';
import { locationsPageSchema } from './schema';

export const dynamic = 'force-dynamic';

/** Every Lightspeed outlet with its BigCommerce mapping, the store's locations, warnings, the last stock check and open stock problems. */
export async function GET(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    return Response.json(locationsPageSchema.parse(await locationsPage(await jobDeps(), session.storeId)));
  });
}
