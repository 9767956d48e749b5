import { respond } from '@/app/_lib/http';
import { getDatabase } from '@/db/runtime';
import { env } from '@/env';
import { IntakeBusy } from '@/jobs/intake/recorder';
import { receiveLightspeedWebhook } from '@/jobs/lifecycle/lightspeed';

export const dynamic = 'force-dynamic';

/** Lightspeed webhook deliveries (form-encoded, X-Signature): verified and recorded once in one statement. */
export async function POST(request: Request, context: { params: Promise<{ storeId: string; type: string }> }) {
  return respond(async () => {
    const { storeId, type } = await context.params;
    try {
      const outcome = await receiveLightspeedWebhook(
        { storeId, type, rawBody: await request.text(), signature: request.headers.get('x-signature'), signal: request.signal },
        { database: await getDatabase(), config: env() },
      );
      return Response.json({ outcome });
    } catch (error) {
      if (error instanceof IntakeBusy) return error.response();
      throw error;
    }
  });
}
