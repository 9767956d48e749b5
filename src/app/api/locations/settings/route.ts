import { parseJson, requireAction, requireApiSession, respond } from '@/app/_lib/http';
import { locationSettingsPatchSchema, updateLocationSettings } from '@/jobs/lifecycle/locations';
import { getQueue, jobDeps } from '@/jobs/runtime';
import { locationSettingsSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** The storefront stock mode (stock republished at once) and how often stock is checked: store settings, owner or granted. */
export async function PUT(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const patch = await parseJson(request, locationSettingsPatchSchema);
    requireAction(session, 'settings.change');
    return Response.json(locationSettingsSchema.parse(await updateLocationSettings(await jobDeps(), await getQueue(), session.storeId, patch, session.email)));
  });
}
