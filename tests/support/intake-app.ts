/**
 * A separate app process for the intake multi-process test: serves the two webhook receivers
 * (the lifecycle functions the route handlers call) against the Postgres database in argv[2]
 * (JSON: url, BigCommerce client secret). Prints `ready <url>` once listening.
 */
import { openDatabase } from '../../src/db/client';
import { receiveBigCommerceWebhook } from '../../src/jobs/lifecycle/webhooks';
import { IntakeBusy } from '../../src/jobs/intake/recorder';
import { serve } from '../../src/sandbox/http';

const input = JSON.parse(process.argv[2] ?? '{}') as { url: string; clientSecret: string };

async function main() {
  const database = await openDatabase({ url: input.url, max: 4 });
  const app = await serve(async (request) => {
    if (request.method !== 'POST' || new URL(request.url).pathname !== '/api/webhooks/bigcommerce') return new Response(null, { status: 404 });
    try {
      const outcome = await receiveBigCommerceWebhook(await request.text(), request.headers, { database, clientSecret: input.clientSecret, signal: request.signal });
      return Response.json({ outcome });
    } catch (error) {
      if (error instanceof IntakeBusy) return error.response();
      const status = (error as { status?: number }).status ?? 500;
      if (status >= 500) console.error('[intake-app] delivery failed:', error);
      return Response.json({ error: (error as Error).message }, { status });
    }
  });
  process.stdout.write(`ready ${app.url}\n`);
}

void main();
