import { requireApiSession, respond } from '@/app/_lib/http';
import { catalogFor } from '@/db/repositories/catalog';
import { forStore } from '@/db/repositories/scoped';
import { lightspeedClientFor } from '@/jobs/clients';
import { disconnect } from '@/jobs/lifecycle/lightspeed';
import { lightspeedWebhookUrl } from '@/jobs/lightspeed/subscriptions';
import { jobDeps } from '@/jobs/runtime';
import { connectionViewSchema, disconnectResultSchema } from './schema';

export const dynamic = 'force-dynamic';

/** The Lightspeed connection of this store: status, reason, cursors, and how many products are linked. */
export async function GET(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request);
    const deps = await jobDeps();
    const scope = forStore(deps.database.db, deps.secrets, session.storeId);
    const connection = await scope.connections.get('lightspeed');
    const cursors = await scope.lightspeed.cursors();
    return Response.json(
      connectionViewSchema.parse({
        connected: Boolean(connection),
        domainPrefix: connection?.externalAccount ?? null,
        status: connection?.status ?? 'disconnected',
        statusReason: connection?.statusReason ?? null,
        linkedProducts: await catalogFor(deps.database.db, session.storeId).items.countLinked(),
        cursors: cursors.map((c) => ({
          resource: c.resource,
          version: c.version,
          lastPolledAt: c.lastPolledAt?.toISOString() ?? null,
          lastError: c.lastError,
          requestedAt: c.requestedAt?.toISOString() ?? null,
          checking: c.requestedAt !== null && (c.lastPolledAt === null || c.lastPolledAt < c.requestedAt),
        })),
      }),
    );
  });
}

/** Disconnects: removes the app's webhooks at Lightspeed (when it still can), then the tokens. Linked products stay. */
export async function DELETE(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request, 'lightspeed.connection');
    const deps = await jobDeps();
    const result = await disconnect(session.storeId, deps, async () => {
      const client = await lightspeedClientFor(deps, session.storeId);
      const mine = (await client.webhooks.list()).filter((w) => w.url.startsWith(lightspeedWebhookUrl(deps.config.APP_URL, session.storeId, '')));
      for (const webhook of mine) await client.webhooks.delete(webhook.id);
      return mine.length;
    });
    return Response.json(disconnectResultSchema.parse({ ...result, linkedProducts: await catalogFor(deps.database.db, session.storeId).items.countLinked() }));
  });
}
