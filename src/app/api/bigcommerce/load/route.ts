import { respond } from '@/app/_lib/http';
import { handleLoad } from '@/jobs/lifecycle/bigcommerce';
import { lifecycleDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** Load callback: the control panel opens the app; start a session and honour the deep link. */
export async function GET(request: Request) {
  return respond(async () => {
    const entry = await handleLoad(new URL(request.url).searchParams.get('signed_payload_jwt'), await lifecycleDeps());
    return new Response(null, { status: 302, headers: { location: entry.redirectTo, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
  });
}
