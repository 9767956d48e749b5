import { lightspeedResources } from '@/db/schema';
import { requireApiSession, respond } from '@/app/_lib/http';
import { lightspeedPoll } from '@/jobs/definitions/lightspeed-poll';
import { getQueue } from '@/jobs/runtime';
import { getDatabase, getSecrets } from '@/db/runtime';
import { forStore } from '@/db/repositories/scoped';

export const dynamic = 'force-dynamic';

/** Polls Lightspeed now (products and inventory), instead of waiting for the schedule. */
export async function POST(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request, 'sweep');
    const queue = await getQueue();
    // Recorded first, so the card shows the check running (after a reload, in another tab) until each poll lands.
    await forStore((await getDatabase()).db, getSecrets(), session.storeId).lightspeed.requestCheck(lightspeedResources);
    const jobs = await Promise.all(lightspeedResources.map((resource) => queue.send(lightspeedPoll, { storeId: session.storeId, resource })));
    return Response.json({ enqueued: jobs.filter(Boolean).length }, { status: 202 });
  });
}
