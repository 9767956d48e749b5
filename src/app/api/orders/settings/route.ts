import { parseJson, requireApiSession, respond } from '@/app/_lib/http';
import { routingSettings, routingSettingsPatchSchema, updateRoutingSettings } from '@/jobs/lifecycle/orders';
import { getQueue, jobDeps } from '@/jobs/runtime';
import { routingSettingsSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** How online orders are routed to outlets and booked. */
export async function GET(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    return Response.json(routingSettingsSchema.parse(await routingSettings(await jobDeps(), session.storeId)));
  });
}

/** Changes the routing settings (owner, or a user the owner allowed). Bad input is a 400 and changes nothing. */
export async function PUT(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request, 'orders.manage');
    const patch = await parseJson(request, routingSettingsPatchSchema);
    return Response.json(routingSettingsSchema.parse(await updateRoutingSettings(await jobDeps(), await getQueue(), session.storeId, patch, session.email)));
  });
}
