import { requireApiSession, respond } from '@/app/_lib/http';

export const dynamic = 'force-dynamic';

/** Who the app thinks you are: store and user of the bearer session. */
export async function GET(request: Request) {
  return respond(async () => {
    const s = await requireApiSession(request);
    return Response.json({ storeHash: s.storeHash, userId: s.userId, email: s.email }, { headers: { 'cache-control': 'no-store' } });
  });
}
