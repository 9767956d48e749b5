/**
 * Both sandboxes, the app's database and its job queue, wired as in production: a store
 * installed with a BigCommerce token, Lightspeed connected through OAuth, the catalog indexed
 * and a few items enabled and linked. For the inventory and order tests and the simulation.
 */
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/db/crypto';
import { catalogFor } from '../../src/db/repositories/catalog';
import { inventoryFor } from '../../src/db/repositories/inventory';
import { forStore } from '../../src/db/repositories/scoped';
import { storesRepository } from '../../src/db/repositories/stores';
import { createBigCommerceClient, type BigCommerceClient } from '../../src/integrations/bigcommerce/client';
import { JobRegistry, type JobDefinition } from '../../src/jobs/define';
import { catalogApply } from '../../src/jobs/definitions/catalog-apply';
import { catalogIndex } from '../../src/jobs/definitions/catalog-index';
import { inventorySweep, inventorySync } from '../../src/jobs/definitions/inventory-sync';
import { lightspeedConnected } from '../../src/jobs/definitions/lightspeed-connected';
import { intakeDrain } from '../../src/jobs/definitions/intake-drain';
import { lightspeedEntity } from '../../src/jobs/definitions/lightspeed-entity';
import { lightspeedPoll } from '../../src/jobs/definitions/lightspeed-poll';
import { orderIntake } from '../../src/jobs/definitions/order-intake';
import type { JobDeps } from '../../src/jobs/deps';
import { requestChanges, runStatus } from '../../src/jobs/lifecycle/catalog';
import { completeConnect, startConnect } from '../../src/jobs/lifecycle/lightspeed';
import { JobQueue } from '../../src/jobs/queue';
import { createBigCommerceSandbox, type BigCommerceSandbox } from '../../src/sandbox/bigcommerce';
import { serve, type RunningServer } from '../../src/sandbox/http';
import { createLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed';
import { testConfig } from './config';
import type { TestDatabase } from './db';
import { waitFor } from './wait';

type BigCommerceSandboxConfig = Parameters<typeof createBigCommerceSandbox>[0];
type LightspeedSandboxConfig = Parameters<typeof createLightspeedSandbox>[0];

export interface InventoryHarness {
  t: TestDatabase;
  ls: LightspeedSandbox;
  lsServer: RunningServer;
  bcSandbox: BigCommerceSandbox;
  bcServer: RunningServer;
  bc: BigCommerceClient;
  queue: JobQueue;
  deps: JobDeps;
  storeId: string;
  hash: string;
  /** The hex key of the app's token encryption (a worker process needs it). */
  secretKey: string;
  /** The context jobs get, for calling use cases directly. */
  ctx: { deps: JobDeps; enqueue: JobQueue['send'] };
  close(): Promise<void>;
}

export async function openInventoryHarness(
  t: TestDatabase,
  options: {
    hash: string;
    products?: number;
    runSeed?: number;
    extraJobs?: JobDefinition[];
    bigcommerce?: Partial<BigCommerceSandboxConfig>;
    lightspeed?: Partial<LightspeedSandboxConfig>;
    /** Where the platforms deliver webhooks (the app's base URL); unreachable by default. */
    appUrl?: string;
    /** JobConfig.clockSkewMs (the sandboxes run on this process's clock). */
    clockSkewMs?: number;
    /** Jobs the worker runs side by side (the queue's default when absent). */
    concurrency?: number;
    /** Connections the job queue opens of its own on a Postgres server (the queue's default when absent). */
    queuePoolMax?: number;
    /** Told of every answer each sandbox serves (a copy; for simulations tracking what the app was told). */
    tap?: { lightspeed?: (request: Request, response: Response) => void; bigcommerce?: (request: Request, response: Response) => void };
  },
): Promise<InventoryHarness> {
  const lsClient = { clientId: `counterpart-ls-${options.hash}`, clientSecret: `ls-${randomBytes(8).toString('hex')}` };
  const bcClient = { clientId: `counterpart-bc-${options.hash}`, clientSecret: `bc-${randomBytes(8).toString('hex')}` };
  const secretKey = randomBytes(32).toString('hex');
  const secrets = new SecretBox(secretKey);
  const ls = createLightspeedSandbox({ ...lsClient, seed: { products: options.products ?? 12 }, webhookRetryDelaysMs: [100], ...(options.runSeed !== undefined ? { runSeed: options.runSeed } : {}), ...options.lightspeed });
  const tapped = (handle: (req: Request) => Promise<Response>, tap: (request: Request, response: Response) => void) => async (req: Request) => {
    const res = await handle(req);
    if (res.status === 200) tap(req, res.clone());
    return res;
  };
  const lsServer = options.tap?.lightspeed ? await serve(tapped((req) => ls.handle(req), options.tap.lightspeed)) : await ls.listen();
  const bcSandbox = createBigCommerceSandbox({
    ...bcClient,
    appCallbacks: { auth: 'http://127.0.0.1:9/a', load: 'http://127.0.0.1:9/l', uninstall: 'http://127.0.0.1:9/u', removeUser: 'http://127.0.0.1:9/r' },
    demoStore: true,
    seedStoreHash: options.hash,
    inventoryApplyDelayMs: 50,
    ...options.bigcommerce,
  });
  const bcServer = options.tap?.bigcommerce ? await serve(tapped((req) => bcSandbox.handle(req), options.tap.bigcommerce)) : await bcSandbox.listen();
  const deps: JobDeps = {
    database: t.database,
    secrets,
    config: testConfig({
      ...(options.appUrl ? { APP_URL: options.appUrl } : {}),
      ...(options.clockSkewMs !== undefined ? { clockSkewMs: options.clockSkewMs } : {}),
      lightspeed: { ...lsClient, authUrl: lsServer.url, apiUrlTemplate: `${lsServer.url}/{domain_prefix}` },
      bigcommerce: { ...bcClient, loginUrl: bcServer.url, apiUrl: bcServer.url },
    }),
  };
  const queue = new JobQueue(
    t.database,
    new JobRegistry([lightspeedConnected, intakeDrain, lightspeedEntity, lightspeedPoll, catalogIndex, catalogApply, inventorySync, inventorySweep, orderIntake, ...(options.extraJobs ?? [])]),
    { pollingIntervalSeconds: 0.5, ...(options.queuePoolMax ? { poolMax: options.queuePoolMax } : {}) },
  );
  await queue.start();
  await queue.work(deps, options.concurrency ? { concurrency: options.concurrency } : {});
  const storeId = (await storesRepository(t.database.db).upsertInstalled({ storeHash: options.hash })).id;
  const token = bcSandbox.control.issueToken(options.hash);
  await forStore(t.database.db, secrets, storeId).connections.save('bigcommerce', { externalAccount: options.hash, accessToken: token });
  const bc = createBigCommerceClient({ apiUrl: bcServer.url, storeHash: options.hash, accessToken: token });
  const session = { ...deps, sessionSecret: randomBytes(32).toString('hex') };
  const authorize = new URL(startConnect({ storeId, userId: 1 }, session));
  const code = ls.control.issueAuthCode({ redirect_uri: authorize.searchParams.get('redirect_uri')! });
  await completeConnect({ code: code.code, domain_prefix: code.domain_prefix, state: authorize.searchParams.get('state')! }, session, queue);
  return {
    t,
    ls,
    lsServer,
    bcSandbox,
    bcServer,
    bc,
    queue,
    deps,
    storeId,
    hash: options.hash,
    secretKey,
    ctx: { deps, enqueue: (def, payload, opts) => queue.send(def, payload, opts) },
    async close() {
      // Graceful: a job still running finishes (or fails) before the database it writes to closes.
      await queue.stop({ graceful: true, timeoutMs: 10_000 });
      await ls.close();
      await lsServer.close();
      bcSandbox.close();
      await bcServer.close();
    },
  };
}

/** Waits for the catalog to be indexed, enables `count` tracked items (families first) and waits until they are linked. */
export async function enableItems(h: InventoryHarness, count: number): Promise<string[]> {
  const catalog = catalogFor(h.t.database.db, h.storeId);
  const rows = await waitFor(async () => {
    const list = await catalog.items.list({ limit: 200 });
    return list.total >= 8 && list.rows.some((r) => r.hasVariants) ? list.rows : undefined;
  }, 'the catalog indexed', 60_000, 250);
  const picked = [...rows.filter((r) => r.active && r.tracksInventory && r.hasVariants).slice(0, Math.ceil(count / 2)), ...rows.filter((r) => r.active && r.tracksInventory && !r.hasVariants)]
    .slice(0, count)
    .map((r) => r.lsItemId);
  const { runId } = await requestChanges(h.deps, h.queue, h.storeId, { changes: picked.map((id) => ({ id, enabled: true })) }, 'test@example.com');
  await waitFor(async () => {
    const run = await runStatus(h.deps, h.storeId, runId);
    return run.state === 'done' ? run : undefined;
  }, 'items linked', 60_000, 200);
  return picked;
}

/** BigCommerce's on-hand per `variantId:locationId`, straight from the sandbox store. */
export function bcStock(h: InventoryHarness): Map<string, number> {
  return new Map(h.bcSandbox.control.store(h.hash).stock.map((s) => [`${s.variant_id}:${s.location_id}`, s.on_hand]));
}

export const inventoryOf = (h: InventoryHarness) => inventoryFor(h.t.database.db, h.storeId);
