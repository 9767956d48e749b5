import { answerLightspeed, toResponse } from '@/jobs/intake/answer';

export const dynamic = 'force-dynamic';

/**
 * Lightspeed webhook deliveries (form-encoded, X-Signature): verified and recorded once in one
 * statement. `npm start` answers them from its lean receiver (src/server/receiver.ts); this
 * route is the same answer under `next dev` and `next start`.
 */
export async function POST(request: Request, context: { params: Promise<{ storeId: string; type: string }> }) {
  const { storeId, type } = await context.params;
  return toResponse(await answerLightspeed({ storeId, type, rawBody: await request.text(), signature: request.headers.get('x-signature'), signal: request.signal }));
}
