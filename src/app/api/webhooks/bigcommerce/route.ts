import { respond } from '@/app/_lib/http';
import { getDatabase } from '@/db/runtime';
import { env } from '@/env';
import { IntakeBusy } from '@/jobs/intake/recorder';
import { receiveBigCommerceWebhook } from '@/jobs/lifecycle/webhooks';

export const dynamic = 'force-dynamic';

/** BigCommerce webhook deliveries: verified and recorded once in one statement; 2xx in milliseconds. */
export async function POST(request: Request) {
  return respond(async () => {
    const raw = await request.text();
    try {
      const outcome = await receiveBigCommerceWebhook(raw, request.headers, { database: await getDatabase(), clientSecret: env().bigcommerce.clientSecret, signal: request.signal });
      return Response.json({ outcome }, { status: 200 });
    } catch (error) {
      if (error instanceof IntakeBusy) return error.response();
      throw error;
    }
  });
}
