import { requireApiSession, respond } from '@/app/_lib/http';
import { forStore } from '@/db/repositories/scoped';
import { lightspeedClientFor } from '@/jobs/clients';
import { disconnect } from '@/jobs/lifecycle/lightspeed';
import { lightspeedWebhookUrl } from '@/jobs/lightspeed/subscriptions';
import { jobDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** The Lightspeed connection of this store: status, reason, cursors. */
export async function GET(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const deps = await jobDeps();
    const scope = forStore(deps.database.db, deps.secrets, session.storeId);
    const connection = await scope.connections.get('lightspeed');
    const cursors = await scope.lightspeed.cursors();
    return Response.json(
      {
        connected: Boolean(connection),
        domainPrefix: connection?.externalAccount ?? null,
        status: connection?.status ?? 'disconnected',
        statusReason: connection?.statusReason ?? null,
        cursors: cursors.map((c) => ({ resource: c.resource, version: c.version, lastPolledAt: c.lastPolledAt, lastError: c.lastError })),
      },
      { headers: { 'cache-control': 'no-store' } },
    );
  });
}

/** Disconnects: removes the app's webhooks at Lightspeed (when it still can), then the tokens. */
export async function DELETE(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const deps = await jobDeps();
    const result = await disconnect(session.storeId, deps, async () => {
      const client = await lightspeedClientFor(deps, session.storeId);
      const mine = (await client.webhooks.list()).filter((w) => w.url.startsWith(lightspeedWebhookUrl(deps.config.APP_URL, session.storeId, '')));
      for (const webhook of mine) await client.webhooks.delete(webhook.id);
      return mine.length;
    });
    return Response.json(result);
  });
}
