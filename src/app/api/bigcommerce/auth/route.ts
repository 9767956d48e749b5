import { parseQuery, respond } from '@/app/_lib/http';
import { authCallbackQuerySchema } from '@/integrations/bigcommerce/token-exchange';
import { handleInstall } from '@/jobs/lifecycle/bigcommerce';
import { lifecycleDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** Auth callback: BigCommerce sends the merchant here with a code when they install the app. */
export async function GET(request: Request) {
  return respond(async () => {
    const entry = await handleInstall(parseQuery(request, authCallbackQuerySchema), await lifecycleDeps());
    return new Response(null, { status: 302, headers: { location: entry.redirectTo, 'cache-control': 'no-store' } });
  });
}
