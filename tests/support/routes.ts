/**
 * The app's API route handlers (the real modules under src/app/api), served over real HTTP for
 * integration tests, on a test database and job queue installed as the process's runtime (the
 * handlers reach both through src/db/runtime and src/jobs/runtime, which keep them on
 * globalThis). Next.js itself is not involved: paths map to handlers as the App Router maps them.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as activity from '../../src/app/api/activity/route';
import * as activityUsage from '../../src/app/api/activity/usage/route';
import * as bcAuth from '../../src/app/api/bigcommerce/auth/route';
import * as bcLoad from '../../src/app/api/bigcommerce/load/route';
import * as bcRemoveUser from '../../src/app/api/bigcommerce/remove-user/route';
import * as bcUninstall from '../../src/app/api/bigcommerce/uninstall/route';
import * as reindex from '../../src/app/api/catalog/reindex/route';
import * as health from '../../src/app/api/health/route';
import * as itemChanges from '../../src/app/api/items/changes/route';
import * as conflictResolve from '../../src/app/api/items/conflicts/[id]/resolve/route';
import * as conflicts from '../../src/app/api/items/conflicts/route';
import * as items from '../../src/app/api/items/route';
import * as run from '../../src/app/api/items/runs/[runId]/route';
import * as latestRun from '../../src/app/api/items/runs/latest/route';
import * as locations from '../../src/app/api/locations/route';
import * as locationItem from '../../src/app/api/locations/items/[itemId]/route';
import * as locationItemReserve from '../../src/app/api/locations/items/[itemId]/reserve/route';
import * as outlet from '../../src/app/api/locations/outlets/[outletId]/route';
import * as outletLocation from '../../src/app/api/locations/outlets/[outletId]/location/route';
import * as problemFix from '../../src/app/api/locations/problems/[lsProductId]/fix/route';
import * as locationSettings from '../../src/app/api/locations/settings/route';
import * as sweeps from '../../src/app/api/locations/sweeps/route';
import * as sweep from '../../src/app/api/locations/sweeps/[sweepId]/route';
import * as lsCallback from '../../src/app/api/lightspeed/callback/route';
import * as lsConnectComplete from '../../src/app/api/lightspeed/connect/complete/route';
import * as lsConnect from '../../src/app/api/lightspeed/connect/route';
import * as lsConnection from '../../src/app/api/lightspeed/connection/route';
import * as lsSync from '../../src/app/api/lightspeed/sync/route';
import * as sessionRenew from '../../src/app/api/session/renew/route';
import * as sessionResume from '../../src/app/api/session/resume/route';
import * as session from '../../src/app/api/session/route';
import * as settings from '../../src/app/api/settings/route';
import * as bcWebhook from '../../src/app/api/webhooks/bigcommerce/route';
import * as lsWebhook from '../../src/app/api/webhooks/lightspeed/[storeId]/[type]/route';
import type { Database } from '../../src/db/client';
import type { SecretBox } from '../../src/db/crypto';
import type { JobQueue } from '../../src/jobs/queue';
import { type RunningServer, serve } from '../../src/sandbox/http';

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Route file (under src/app/api) → its module. Static segments before dynamic ones, as Next.js matches them. */
const modules: Record<string, Record<string, unknown>> = {
  'activity/route.ts': activity,
  'activity/usage/route.ts': activityUsage,
  'bigcommerce/auth/route.ts': bcAuth,
  'bigcommerce/load/route.ts': bcLoad,
  'bigcommerce/remove-user/route.ts': bcRemoveUser,
  'bigcommerce/uninstall/route.ts': bcUninstall,
  'catalog/reindex/route.ts': reindex,
  'health/route.ts': health,
  'items/changes/route.ts': itemChanges,
  'items/conflicts/[id]/resolve/route.ts': conflictResolve,
  'items/conflicts/route.ts': conflicts,
  'items/route.ts': items,
  'items/runs/latest/route.ts': latestRun,
  'items/runs/[runId]/route.ts': run,
  'locations/route.ts': locations,
  'locations/items/[itemId]/reserve/route.ts': locationItemReserve,
  'locations/items/[itemId]/route.ts': locationItem,
  'locations/outlets/[outletId]/location/route.ts': outletLocation,
  'locations/outlets/[outletId]/route.ts': outlet,
  'locations/problems/[lsProductId]/fix/route.ts': problemFix,
  'locations/settings/route.ts': locationSettings,
  'locations/sweeps/route.ts': sweeps,
  'locations/sweeps/[sweepId]/route.ts': sweep,
  'lightspeed/callback/route.ts': lsCallback,
  'lightspeed/connect/complete/route.ts': lsConnectComplete,
  'lightspeed/connect/route.ts': lsConnect,
  'lightspeed/connection/route.ts': lsConnection,
  'lightspeed/sync/route.ts': lsSync,
  'session/renew/route.ts': sessionRenew,
  'session/resume/route.ts': sessionResume,
  'session/route.ts': session,
  'settings/route.ts': settings,
  'webhooks/bigcommerce/route.ts': bcWebhook,
  'webhooks/lightspeed/[storeId]/[type]/route.ts': lsWebhook,
};

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Every API route file in the source tree, relative to src/app/api (so a new route cannot go unserved). */
export function routeFiles(): string[] {
  const root = path.resolve('src/app/api');
  return (readdirSync(root, { recursive: true }) as string[]).filter((f) => path.basename(f) === 'route.ts').map((f) => f.split(path.sep).join('/'));
}

/** `METHOD /api/path/[param]` for every handler the route modules export. */
export function routeEndpoints(): string[] {
  return Object.entries(modules).flatMap(([file, mod]) => HTTP_METHODS.filter((m) => typeof mod[m] === 'function').map((m) => `${m} /api/${file.replace(/\/?route\.ts$/, '')}`));
}

const compiled = Object.entries(modules).map(([file, mod]) => {
  const route = `/api/${file.replace(/\/?route\.ts$/, '')}`;
  const names: string[] = [];
  const pattern = new RegExp(`^${route.replace(/\[([^\]]+)\]/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
  return { mod, pattern, names };
});

/** Installs the test's database, secrets and queue as the process runtime the handlers use. */
export function installRuntime(database: Database, secrets: SecretBox, queue: JobQueue): void {
  const g = globalThis as { __counterpartDb?: { database?: Promise<Database>; secrets?: SecretBox }; __counterpartQueue?: Promise<JobQueue> };
  // src/db/runtime.ts holds on to this object from its first import: fill it in, do not replace it.
  const runtime = (g.__counterpartDb ??= {});
  runtime.database = Promise.resolve(database);
  runtime.secrets = secrets;
  g.__counterpartQueue = Promise.resolve(queue);
}

export function serveRoutes(): Promise<RunningServer> {
  return serve(async (request) => {
    const { pathname } = new URL(request.url);
    for (const r of compiled) {
      const match = r.pattern.exec(pathname);
      if (!match) continue;
      const handler = r.mod[request.method] as Handler | undefined;
      if (!handler) return new Response(null, { status: 405 });
      const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
      return handler(request, { params: Promise.resolve(params) });
    }
    return new Response(null, { status: 404 });
  });
}
