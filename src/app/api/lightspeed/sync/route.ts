import { lightspeedResources } from '@/db/schema';
import { requireApiSession, respond } from '@/app/_lib/http';
import { lightspeedPoll } from '@/jobs/definitions/lightspeed-poll';
import { getQueue } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** Polls Lightspeed now (products and inventory), instead of waiting for the schedule. */
export async function POST(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request, 'sweep');
    const queue = await getQueue();
    const jobs = await Promise.all(lightspeedResources.map((resource) => queue.send(lightspeedPoll, { storeId: session.storeId, resource })));
    return Response.json({ enqueued: jobs.filter(Boolean).length }, { status: 202 });
  });
}
