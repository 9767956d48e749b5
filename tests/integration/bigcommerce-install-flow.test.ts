/**
 * The single-click lifecycle against the BigCommerce sandbox over real HTTP: install through the
 * code exchange, the setup job creating the pos/custom channel and the webhooks, the sweep
 * restoring a deactivated hook, signed deliveries landing once in the inbox, and uninstall.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/db/crypto';
import { forStore } from '../../src/db/repositories/scoped';
import { storesRepository } from '../../src/db/repositories/stores';
import { createBigCommerceClient } from '../../src/integrations/bigcommerce/client';
import { JobRegistry } from '../../src/jobs/define';
import { bigcommerceHooksSweep, bigcommerceSetup, CHANNEL_NAME, WEBHOOK_SCOPES } from '../../src/jobs/definitions/bigcommerce-setup';
import { bigcommerceWebhook } from '../../src/jobs/definitions/bigcommerce-webhook';
import { intakeDrain } from '../../src/jobs/definitions/intake-drain';
import { handleInstall, handleUninstall, type LifecycleDeps } from '../../src/jobs/lifecycle/bigcommerce';
import { receiveBigCommerceWebhook } from '../../src/jobs/lifecycle/webhooks';
import { JobQueue } from '../../src/jobs/queue';
import { type BigCommerceSandbox, createBigCommerceSandbox } from '../../src/sandbox/bigcommerce';
import { type RunningServer, serve } from '../../src/sandbox/http';
import { testConfig } from '../support/config';
import { databaseTargets, type TestDatabase } from '../support/db';
import { waitFor } from '../support/wait';

const clientId = 'counterpart-test';
const clientSecret = `secret-${randomBytes(8).toString('hex')}`;
const hash = 'sandbox1';

describe.each(databaseTargets())('BigCommerce install flow on $name', (target) => {
  let t: TestDatabase;
  let sandbox: BigCommerceSandbox;
  let sandboxServer: RunningServer;
  let app: RunningServer;
  let queue: JobQueue;
  let deps: LifecycleDeps;
  let storeId: string;
  const secrets = new SecretBox(randomBytes(32).toString('hex'));
  const received: { status: number; outcome?: string }[] = [];

  beforeAll(async () => {
    t = await target.open();
    // The app's webhook receiver, served like the route handler serves it.
    let appUrl = '';
    app = await serve(async (request) => {
      const url = new URL(request.url);
      if (request.method === 'POST' && url.pathname === '/api/webhooks/bigcommerce') {
        try {
          const outcome = await receiveBigCommerceWebhook(await request.text(), request.headers, { db: t.database.db, secrets, queue, clientSecret });
          received.push({ status: 200, outcome });
          return Response.json({ outcome });
        } catch (error) {
          const status = (error as { status?: number }).status ?? 500;
          received.push({ status });
          return Response.json({ error: (error as Error).message }, { status });
        }
      }
      return new Response(null, { status: 404 });
    });
    appUrl = app.url;
    sandbox = createBigCommerceSandbox({
      clientId,
      clientSecret,
      appCallbacks: { auth: `${appUrl}/api/bigcommerce/auth`, load: `${appUrl}/api/bigcommerce/load`, uninstall: `${appUrl}/api/bigcommerce/uninstall`, removeUser: `${appUrl}/api/bigcommerce/remove-user` },
      demoStore: true,
      seedStoreHash: hash,
      webhookRetryDelaysMs: [200, 400],
    });
    sandboxServer = await sandbox.listen();
    const config = testConfig({ APP_URL: appUrl, bigcommerce: { clientId, clientSecret, loginUrl: sandboxServer.url, apiUrl: sandboxServer.url } });
    queue = new JobQueue(t.database, new JobRegistry([bigcommerceSetup, bigcommerceHooksSweep, intakeDrain, bigcommerceWebhook]), { pollingIntervalSeconds: 0.5 });
    await queue.start();
    await queue.work({ database: t.database, secrets, config });
    deps = {
      db: t.database.db,
      secrets,
      env: { APP_URL: appUrl, SESSION_SECRET: randomBytes(32).toString('hex'), SESSION_TTL_SECONDS: 900, LAUNCH_CODE_TTL_SECONDS: 60, bigcommerce: config.bigcommerce },
      afterInstall: async (id) => void (await queue.send(bigcommerceSetup, { storeId: id })),
    };
  }, 120_000);

  afterAll(async () => {
    await queue?.stop({ graceful: false });
    sandbox?.close();
    await sandboxServer?.close();
    await app?.close();
    await t?.cleanup();
  });

  const client = async () => {
    const token = (await forStore(t.database.db, secrets, storeId).connections.get('bigcommerce'))!.accessToken;
    return createBigCommerceClient({ apiUrl: sandboxServer.url, storeHash: hash, accessToken: token });
  };

  it('installs: exchanges the code, stores the token encrypted, creates the channel and registers every webhook', async () => {
    const grant = sandbox.control.issueInstall(hash);
    const entry = await handleInstall({ code: grant.code, scope: grant.scope, context: grant.context, account_uuid: grant.account_uuid }, deps);
    storeId = entry.storeId;
    expect(entry.redirectTo).toMatch(/^\/\?launch=[A-Za-z0-9_-]{43}$/);
    const scope = forStore(t.database.db, secrets, storeId);
    expect((await scope.connections.get('bigcommerce'))?.accessToken).toMatch(/.+/);
    expect((await scope.users.list()).map((u) => u.role)).toContain('owner');

    const bc = await client();
    const channel = await waitFor(async () => (await bc.channels.listAll()).find((c) => c.name === CHANNEL_NAME), 'the app channel', 30_000, 250);
    expect(channel).toMatchObject({ type: 'pos', platform: 'custom' });
    await waitFor(async () => (await storesRepository(t.database.db).findById(storeId))?.bcChannelId === channel.id, 'channel id recorded', 10_000);
    const hooks = await waitFor(async () => {
      const all = await bc.hooks.listAll();
      return all.length === WEBHOOK_SCOPES.length ? all : undefined;
    }, 'all webhooks', 30_000, 250);
    expect(hooks.map((h) => h.scope).sort()).toEqual([...WEBHOOK_SCOPES].sort());
    expect(hooks.every((h) => h.is_active && h.destination === `${app.url}/api/webhooks/bigcommerce`)).toBe(true);
    // The call log for the activity page and API usage.
    // Calls are recorded after each response, so wait for the count the assertion needs (a wait
    // that ends on the first row can see 8 of 9), then make sure no extra call lands after it.
    const hookPosts = async () => (await scope.apiUsage.summary(new Date(0))).find((r) => r.endpoint === '/v3/hooks' && r.method === 'POST')?.calls ?? 0;
    await waitFor(async () => (await hookPosts()) >= WEBHOOK_SCOPES.length, 'every webhook registration recorded', 10_000);
    expect(await hookPosts()).toBe(WEBHOOK_SCOPES.length);
  });

  it('running setup again changes nothing; the sweep restores a hook BigCommerce deactivated', async () => {
    const bc = await client();
    const before = await bc.hooks.listAll();
    const victim = before.find((h) => h.scope === 'store/order/created')!;
    await bc.hooks.update(victim.id, { is_active: false });
    await queue.send(bigcommerceHooksSweep, {});
    await waitFor(async () => (await bc.hooks.get(victim.id)).is_active, 'hook reactivated', 30_000, 250);
    expect((await bc.hooks.listAll()).length).toBe(before.length); // nothing duplicated
    expect((await bc.channels.listAll()).filter((c) => c.name === CHANNEL_NAME)).toHaveLength(1);
    // The job records what it did after BigCommerce has answered: the hook can be seen active a moment before the entry is written.
    const said = async () => (await forStore(t.database.db, secrets, storeId).activity.list({ entityType: 'store' })).some((e) => e.kind === 'bigcommerce.setup' && /turned back on 1 BigCommerce notification \(webhooks\) that BigCommerce had turned off/.test(e.summary));
    await waitFor(async () => (await said()) || undefined, 'the reactivation in the activity log', 10_000, 100);
    expect(await said()).toBe(true);
  });

  it('records each signed delivery once; duplicates are acknowledged and dropped', async () => {
    sandbox.control.setFaults(hash, { webhooks: { duplicateNext: 4 } });
    const order = sandbox.control.placeOrder(hash, { products: [{ product_id: sandbox.control.store(hash).products[0]!.id, quantity: 1 }] });
    await sandbox.control.webhooksIdle();
    const scope = forStore(t.database.db, secrets, storeId);
    const deliveries = sandbox.control.deliveries(hash).filter((d) => d.status === 200);
    const uniqueIds = new Set(deliveries.map((d) => d.webhook_id));
    // Wait for as many inbox rows as distinct deliveries were accepted (the count asserted), not the first one.
    const inbox = await waitFor(async () => {
      const rows = await scope.inbox.list({ limit: 100 });
      return rows.length >= uniqueIds.size ? rows : undefined;
    }, `${uniqueIds.size} deliveries in the inbox`, 15_000);
    expect(inbox).toHaveLength(uniqueIds.size);
    expect(received.filter((r) => r.outcome === 'duplicate').length).toBeGreaterThanOrEqual(1);
    expect(inbox.find((r) => r.topic === 'store/order/created')?.payload).toMatchObject({ data: { type: 'order', id: order.id } });
    await waitFor(async () => (await scope.inbox.list({ limit: 100 })).every((r) => r.status === 'processed'), 'deliveries worked', 20_000);
  });

  it('rejects an unsigned delivery with 401 and stores nothing', async () => {
    const scope = forStore(t.database.db, secrets, storeId);
    const before = (await scope.inbox.list({ limit: 500 })).length;
    const body = JSON.stringify({ scope: 'store/order/created', store_id: '1', producer: `stores/${hash}`, created_at: 1, data: { type: 'order', id: 1 } });
    const res = await fetch(`${app.url}/api/webhooks/bigcommerce`, { method: 'POST', body, headers: { 'webhook-id': 'forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,Zm9yZ2Vk' } });
    expect(res.status).toBe(401);
    expect((await scope.inbox.list({ limit: 500 })).length).toBe(before);
  });

  it('uninstall (signed by the sandbox) deletes the tokens and data', async () => {
    const { jwt } = await sandbox.control.signedPayload('uninstall', hash);
    await handleUninstall(jwt, deps);
    expect(await forStore(t.database.db, secrets, storeId).connections.get('bigcommerce')).toBeUndefined();
    expect(await storesRepository(t.database.db).findByHash(hash)).toBeUndefined();
  });
});
