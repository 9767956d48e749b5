import { respond } from '@/app/_lib/http';
import { receiveLightspeedWebhook } from '@/jobs/lifecycle/lightspeed';
import { getQueue, jobDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** Lightspeed webhook deliveries (form-encoded, X-Signature): verified, deduplicated, enqueued. */
export async function POST(request: Request, context: { params: Promise<{ storeId: string; type: string }> }) {
  return respond(async () => {
    const { storeId, type } = await context.params;
    const outcome = await receiveLightspeedWebhook({ storeId, type, rawBody: await request.text(), signature: request.headers.get('x-signature') }, await jobDeps(), await getQueue());
    return Response.json({ outcome });
  });
}
