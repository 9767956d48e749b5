import { answerBigCommerce, toResponse } from '@/jobs/intake/answer';

export const dynamic = 'force-dynamic';

/**
 * BigCommerce webhook deliveries: verified and recorded once in one statement. `npm start`
 * answers them from its lean receiver before Next.js (src/server/receiver.ts); this route is the
 * same answer under `next dev` and `next start`.
 */
export async function POST(request: Request) {
  return toResponse(await answerBigCommerce(await request.text(), request.headers, request.signal));
}
