import { respond } from '@/app/_lib/http';
import { handleUninstall } from '@/jobs/lifecycle/bigcommerce';
import { lifecycleDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** Uninstall callback: delete the store's tokens and data. */
export async function GET(request: Request) {
  return respond(async () => {
    await handleUninstall(new URL(request.url).searchParams.get('signed_payload_jwt'), await lifecycleDeps());
    return Response.json({ ok: true });
  });
}
