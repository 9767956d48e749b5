import { respond } from '@/app/_lib/http';
import { getDatabase, getSecrets } from '@/db/runtime';
import { env } from '@/env';
import { receiveBigCommerceWebhook } from '@/jobs/lifecycle/webhooks';
import { getQueue } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** BigCommerce webhook deliveries: verified, recorded once, enqueued; 2xx in milliseconds. */
export async function POST(request: Request) {
  return respond(async () => {
    const raw = await request.text();
    const outcome = await receiveBigCommerceWebhook(raw, request.headers, {
      db: (await getDatabase()).db,
      secrets: getSecrets(),
      queue: await getQueue(),
      clientSecret: env().bigcommerce.clientSecret,
    });
    return Response.json({ outcome }, { status: 200 });
  });
}
