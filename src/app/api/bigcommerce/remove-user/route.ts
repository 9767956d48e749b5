import { respond } from '@/app/_lib/http';
import { handleRemoveUser } from '@/jobs/lifecycle/bigcommerce';
import { lifecycleDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** Remove-user callback: that user loses access; other users keep theirs. */
export async function GET(request: Request) {
  return respond(async () => {
    await handleRemoveUser(new URL(request.url).searchParams.get('signed_payload_jwt'), await lifecycleDeps());
    return Response.json({ ok: true });
  });
}
