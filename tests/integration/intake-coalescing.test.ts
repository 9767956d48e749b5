/**
 * Coalescing (issue 14, item 2): 10,000 `inventory.update` deliveries for 900 inventory records
 * across the retailer's 3 outlets become a handful of paged reads of Lightspeed's `version`
 * cursor, not 10,000 reads; every record ends at Lightspeed's newest version and every product
 * is marked for the inventory engine. The sandbox enforces Lightspeed's rate limit (300 ×
 * registers + 50 requests per 5 minutes); calls are counted in the app's api_calls table.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/db/crypto';
import { forStore } from '../../src/db/repositories/scoped';
import { storesRepository } from '../../src/db/repositories/stores';
import { lightspeedClientFor } from '../../src/jobs/clients';
import { JobRegistry } from '../../src/jobs/define';
import { drainFaults, intakeDrain, intakeTuning } from '../../src/jobs/definitions/intake-drain';
import { inventorySync } from '../../src/jobs/definitions/inventory-sync';
import { lightspeedConnected } from '../../src/jobs/definitions/lightspeed-connected';
import { lightspeedPoll } from '../../src/jobs/definitions/lightspeed-poll';
import type { JobDeps } from '../../src/jobs/deps';
import { completeConnect, receiveLightspeedWebhook, startConnect } from '../../src/jobs/lifecycle/lightspeed';
import { JobQueue } from '../../src/jobs/queue';
import type { InventoryRecord } from '../../src/integrations/lightspeed';
import type { RunningServer } from '../../src/sandbox/http';
import { createLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed';
import { testConfig } from '../support/config';
import { databaseTargets, type TestDatabase } from '../support/db';
import { lightspeedDelivery } from '../support/intake';
import { inboxCounts } from '../support/intake-jobs';
import { waitFor } from '../support/wait';

const DELIVERIES = 10_000;
const RECORDS = 900;
const PAGE = 1000; // the inventory list's page size (Lightspeed's default)
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

describe.each(databaseTargets())('intake coalescing on $name', (target) => {
  let t: TestDatabase;
  let ls: LightspeedSandbox;
  let server: RunningServer;
  let queue: JobQueue;
  let deps: JobDeps;
  let storeId: string;
  const clientId = 'counterpart-ls-coalesce';
  const clientSecret = `ls-${randomBytes(8).toString('hex')}`;
  const secrets = new SecretBox(randomBytes(32).toString('hex'));

  beforeAll(async () => {
    t = await target.open();
    ls = createLightspeedSandbox({ clientId, clientSecret, seed: { products: 420 }, webhookRetryDelaysMs: [100] });
    server = await ls.listen();
    deps = { database: t.database, secrets, config: testConfig({ lightspeed: { clientId, clientSecret, authUrl: server.url, apiUrlTemplate: `${server.url}/{domain_prefix}` } }) };
    queue = new JobQueue(t.database, new JobRegistry([lightspeedConnected, lightspeedPoll, intakeDrain, inventorySync]), { pollingIntervalSeconds: 0.5 });
    await queue.start();
    await queue.work(deps);
    storeId = (await storesRepository(t.database.db).upsertInstalled({ storeHash: `co${randomBytes(3).toString('hex')}` })).id;
    const session = { ...deps, sessionSecret: randomBytes(32).toString('hex') };
    const authorize = new URL(startConnect({ storeId, userId: 1 }, session));
    const code = ls.control.issueAuthCode({ redirect_uri: authorize.searchParams.get('redirect_uri')! });
    await completeConnect({ code: code.code, domain_prefix: code.domain_prefix, state: authorize.searchParams.get('state')! }, session, queue);
    // The first cursor reads after connecting (lightspeed.connected queues them).
    await waitFor(async () => (await forStore(t.database.db, secrets, storeId).lightspeed.cursors()).filter((c) => c.lastPolledAt).length === 3, 'the first cursor reads', 60_000, 250);
    ls.control.setFaults({ webhooks: { drop: { probability: 1 } } }); // this test sends the deliveries itself
  }, 180_000);

  afterAll(async () => {
    drainFaults.afterWork = undefined;
    await queue?.stop({ graceful: false });
    await ls?.close();
    await server?.close();
    await t?.cleanup();
  });

  it(`${DELIVERIES.toLocaleString('en-US')} inventory.update deliveries for ${RECORDS} records cost (records ÷ page size) + a few calls per drain`, async () => {
    const client = await lightspeedClientFor(deps, storeId);
    const all: InventoryRecord[] = [];
    for await (const r of client.inventory.iterate()) all.push(r);
    const records = all.slice(0, RECORDS);
    expect(records).toHaveLength(RECORDS);
    expect(new Set(records.map((r) => r.outletId)).size).toBe(3);
    const domainPrefix = ls.control.retailer().domain_prefix;

    // 10,000 stock changes at the till, about 11 per record; each is a webhook delivery.
    const deliveries = Array.from({ length: DELIVERIES }, (_, i) => {
      const r = records[i % RECORDS]!;
      const level = 1000 + i;
      ls.control.setInventoryLevel(undefined, { outlet_id: r.outletId, product_id: r.productId, level });
      return lightspeedDelivery(clientSecret, { storeId, type: 'inventory.update', domainPrefix, payload: { id: r.id, product_id: r.productId, outlet_id: r.outletId, count: level } });
    });

    const callsBefore = await lightspeedCalls();
    let passes = 0;
    drainFaults.afterWork = (s, lane) => {
      if (s === storeId && lane === 'lightspeed:inventory') passes++;
    };
    const started = Date.now();
    const outcomes: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < deliveries.length) {
          const d = deliveries[next++]!;
          const type = d.path.split('/').pop()!;
          outcomes.push(await receiveLightspeedWebhook({ storeId, type, rawBody: d.body, signature: d.headers['x-signature']! }, deps));
        }
      }),
    );
    const ingestSeconds = (Date.now() - started) / 1000;
    expect(outcomes.filter((o) => o !== 'enqueued')).toEqual([]);

    await waitFor(async () => (await inboxCounts(t.database.db, storeId)).processed === DELIVERIES, async () => `all deliveries processed (${JSON.stringify(await inboxCounts(t.database.db, storeId))})`, 180_000, 250);
    const drainSeconds = (Date.now() - started) / 1000;
    // Every call answered is recorded just after it, and a pass may still be reading when the last
    // row is marked: count once calls and passes have both stopped moving (two samples agree).
    let seen = '';
    const settled = await waitFor(
      async () => {
        const now = JSON.stringify([await lightspeedCalls(), passes]);
        const same = now === seen;
        seen = now;
        return same ? (JSON.parse(now) as [number, number]) : undefined;
      },
      'the drain passes and their calls settled',
      60_000,
      500,
    );
    const calls = settled[0] - callsBefore;

    // Every record at Lightspeed's newest version, and every product marked for the engine.
    const truth = new Map<string, InventoryRecord>();
    for await (const r of client.inventory.iterate()) truth.set(r.id, r);
    for (const r of records) {
      const held = await forStore(t.database.db, secrets, storeId).lightspeed.entity('inventory', r.id);
      expect({ id: r.id, version: held?.version, onHand: (held?.state as { onHand?: number } | null)?.onHand }).toEqual({ id: r.id, version: truth.get(r.id)!.version, onHand: truth.get(r.id)!.onHand });
    }
    const products = new Set(records.map((r) => r.productId)).size;
    const byEndpoint = rowsOf<{ endpoint: string; status: number; n: number }>(await t.database.db.execute(sql`select endpoint, status, count(*)::int as n from api_calls where store_id = ${storeId} and platform = 'lightspeed' group by endpoint, status order by endpoint, status`));
    const report = { deliveries: DELIVERIES, records: RECORDS, products, lightspeedCalls: calls, drainPasses: passes, ingestSeconds, drainSeconds, rateLimit: '300 × registers + 50 per 5 minutes', byEndpoint };
    console.info(`[intake coalescing on ${target.name}]`, JSON.stringify(report));

    // Each pass reads the cursor: ceil(new records ÷ page) pages plus the empty page that ends it.
    // The safety-net poll (lightspeed.poll, every minute) reads the same cursor: each of its runs
    // in the window is a page and the empty page too.
    const pollRuns = Math.ceil(drainSeconds / 60) + 1;
    expect(calls).toBeLessThanOrEqual(Math.ceil(RECORDS / PAGE) + 2 * (passes + pollRuns));
    // Passes are paced (one per lane per intakeTuning.lightspeedIntervalMs), so their number follows the burst's length, not its size.
    expect(passes).toBeLessThanOrEqual(Math.ceil((ingestSeconds * 1000) / intakeTuning.lightspeedIntervalMs) + 2);
    expect(calls).toBeLessThan(50);
  }, 300_000);

  async function lightspeedCalls(): Promise<number> {
    return Number(rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from api_calls where store_id = ${storeId} and platform = 'lightspeed'`))[0]?.n ?? 0);
  }
});
