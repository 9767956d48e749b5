/**
 * The emulated platforms, mounted inside the app in sandbox mode only. One instance per process
 * (on globalThis), persisted under DATA_DIR so a restart keeps the sandbox's state in step with
 * the app's database.
 */
import path from 'node:path';
import { env, SANDBOX_PATHS } from '@/env';
import { type BigCommerceSandbox, createBigCommerceSandbox } from '@/sandbox/bigcommerce';
import { createLightspeedSandbox, type LightspeedSandbox } from '@/sandbox/lightspeed';

const g = globalThis as typeof globalThis & {
  __counterpartLightspeedSandbox?: LightspeedSandbox;
  __counterpartBigCommerceSandbox?: BigCommerceSandbox;
};

/** The sandbox store every fresh install starts with. */
export const SANDBOX_STORE_HASH = 'sandbox1';

export function bigcommerceSandbox(): BigCommerceSandbox | undefined {
  const e = env();
  if (!e.sandbox) return undefined;
  g.__counterpartBigCommerceSandbox ??= createBigCommerceSandbox({
    basePath: SANDBOX_PATHS.bigcommerce,
    clientId: e.bigcommerce.clientId,
    clientSecret: e.bigcommerce.clientSecret,
    appCallbacks: {
      auth: `${e.APP_URL}/api/bigcommerce/auth`,
      load: `${e.APP_URL}/api/bigcommerce/load`,
      uninstall: `${e.APP_URL}/api/bigcommerce/uninstall`,
      removeUser: `${e.APP_URL}/api/bigcommerce/remove-user`,
    },
    demoStore: true,
    seedStoreHash: SANDBOX_STORE_HASH,
    persistPath: path.join(e.dataDir, 'sandbox', 'bigcommerce.json'),
  });
  return g.__counterpartBigCommerceSandbox;
}

export function lightspeedSandbox(): LightspeedSandbox | undefined {
  const e = env();
  if (!e.sandbox) return undefined;
  g.__counterpartLightspeedSandbox ??= createLightspeedSandbox({
    basePath: SANDBOX_PATHS.lightspeed,
    clientId: e.lightspeed.clientId,
    clientSecret: e.lightspeed.clientSecret,
    seed: true,
    persistPath: path.join(e.dataDir, 'sandbox', 'lightspeed.json'),
  });
  return g.__counterpartLightspeedSandbox;
}

const notFound = () => Response.json({ error: 'the sandbox is only available in sandbox mode' }, { status: 404 });

/** Route handlers for a catch-all sandbox route. */
export function sandboxRoute(get: () => { handle(request: Request): Promise<Response> } | undefined) {
  const handler = async (request: Request) => {
    const sandbox = get();
    return sandbox ? sandbox.handle(request) : notFound();
  };
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}
