/**
 * Connecting to the Lightspeed sandbox retailer over real HTTP and following its state: OAuth
 * with a session-bound state, webhook subscriptions, signed form-encoded deliveries received
 * once with the newest version winning, the cursor poller recovering what dropped webhooks
 * missed, and the reconnect state when the authorization is lost.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/db/crypto';
import { forStore } from '../../src/db/repositories/scoped';
import { storesRepository } from '../../src/db/repositories/stores';
import { lightspeedClientFor } from '../../src/jobs/clients';
import { JobRegistry } from '../../src/jobs/define';
import { lightspeedConnected } from '../../src/jobs/definitions/lightspeed-connected';
import { intakeDrain } from '../../src/jobs/definitions/intake-drain';
import { lightspeedEntity } from '../../src/jobs/definitions/lightspeed-entity';
import { lightspeedPoll, pollResource } from '../../src/jobs/definitions/lightspeed-poll';
import type { JobDeps } from '../../src/jobs/deps';
import { completeConnect, LightspeedConnectError, receiveLightspeedWebhook, startConnect } from '../../src/jobs/lifecycle/lightspeed';
import { JobQueue } from '../../src/jobs/queue';
import { LightspeedReconnectRequired, type Product } from '../../src/integrations/lightspeed';
import { type RunningServer, serve } from '../../src/sandbox/http';
import { createLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed';
import { testConfig } from '../support/config';
import { databaseTargets, type TestDatabase } from '../support/db';
import { waitFor } from '../support/wait';

const clientId = 'counterpart-ls-test';
const clientSecret = `ls-secret-${randomBytes(8).toString('hex')}`;
const sessionSecret = randomBytes(32).toString('hex');

describe.each(databaseTargets())('Lightspeed connection and webhooks on $name', (target) => {
  let t: TestDatabase;
  let sandbox: LightspeedSandbox;
  let retailer: RunningServer;
  let app: RunningServer;
  let queue: JobQueue;
  let deps: JobDeps;
  let storeId: string;
  const secrets = new SecretBox(randomBytes(32).toString('hex'));
  const outcomes: string[] = [];

  beforeAll(async () => {
    t = await target.open();
    app = await serve(async (request) => {
      const match = /^\/api\/webhooks\/lightspeed\/([^/]+)\/([^/]+)$/.exec(new URL(request.url).pathname);
      if (request.method !== 'POST' || !match) return new Response(null, { status: 404 });
      try {
        const outcome = await receiveLightspeedWebhook({ storeId: match[1]!, type: match[2]!, rawBody: await request.text(), signature: request.headers.get('x-signature') }, deps, queue);
        outcomes.push(outcome);
        return Response.json({ outcome });
      } catch (error) {
        const status = (error as { status?: number }).status ?? 500;
        outcomes.push(`rejected:${status}`);
        return Response.json({ error: (error as Error).message }, { status });
      }
    });
    sandbox = createLightspeedSandbox({ clientId, clientSecret, seed: { products: 60 }, webhookRetryDelaysMs: [100, 200] });
    retailer = await sandbox.listen();
    deps = {
      database: t.database,
      secrets,
      config: testConfig({ APP_URL: app.url, lightspeed: { clientId, clientSecret, authUrl: retailer.url, apiUrlTemplate: `${retailer.url}/{domain_prefix}` } }),
    };
    queue = new JobQueue(t.database, new JobRegistry([lightspeedConnected, intakeDrain, lightspeedEntity, lightspeedPoll]), { pollingIntervalSeconds: 0.5 });
    await queue.start();
    await queue.work(deps);
    storeId = (await storesRepository(t.database.db).upsertInstalled({ storeHash: `ls${randomBytes(3).toString('hex')}` })).id;
  }, 120_000);

  afterAll(async () => {
    await queue?.stop({ graceful: false });
    await sandbox?.close();
    await retailer?.close();
    await app?.close();
    await t?.cleanup();
  });

  const scope = () => forStore(t.database.db, secrets, storeId);
  const ctx = () => ({ ...deps, sessionSecret });

  it('refuses a callback whose state was not issued for this session, storing nothing', async () => {
    const url = new URL(startConnect({ storeId, userId: 1 }, ctx()));
    const code = sandbox.control.issueAuthCode({ redirect_uri: url.searchParams.get('redirect_uri')! });
    const forged = `${Buffer.from(`${storeId}:2`).toString('base64url')}.${url.searchParams.get('state')!.split('.').slice(1).join('.')}`;
    await expect(completeConnect({ code: code.code, domain_prefix: code.domain_prefix, state: forged }, ctx(), queue)).rejects.toBeInstanceOf(LightspeedConnectError);
    expect(await scope().connections.get('lightspeed')).toBeUndefined();
  });

  it('connects: code exchange, encrypted tokens, webhooks subscribed, catalog and stock read by cursor', async () => {
    const authorize = new URL(startConnect({ storeId, userId: 1 }, ctx()));
    expect(authorize.pathname).toBe('/connect');
    expect(authorize.searchParams.get('client_id')).toBe(clientId);
    const code = sandbox.control.issueAuthCode({ redirect_uri: authorize.searchParams.get('redirect_uri')! });
    const result = await completeConnect({ code: code.code, domain_prefix: code.domain_prefix, state: authorize.searchParams.get('state')! }, ctx(), queue);
    expect(result.storeId).toBe(storeId);
    expect(await scope().connections.get('lightspeed')).toMatchObject({ externalAccount: code.domain_prefix, status: 'active', refreshToken: expect.any(String) });

    const client = await lightspeedClientFor(deps, storeId);
    const hooks = await waitFor(async () => {
      const list = await client.webhooks.list();
      return list.length === 4 ? list : undefined;
    }, 'four webhook subscriptions', 20_000, 200);
    expect(hooks.map((h) => h.type).sort()).toEqual(['consignment.receive', 'inventory.update', 'product.update', 'sale.update']);
    expect(hooks.every((h) => h.url.startsWith(`${app.url}/api/webhooks/lightspeed/${storeId}/`))).toBe(true);

    await waitFor(async () => (await scope().lightspeed.cursors()).length === 3, 'the three cursors', 30_000, 250);
    const products: Product[] = [];
    for await (const p of client.products.iterate()) products.push(p);
    await waitFor(async () => {
      const entity = await scope().lightspeed.entity('product', products.at(-1)!.id);
      return entity?.version === products.at(-1)!.version;
    }, 'the whole catalog indexed', 30_000, 250);
  });

  it('a POS sale reaches the app through signed webhooks; the newest inventory version is kept', async () => {
    const summary = sandbox.control.retailer();
    const register = summary.registers.find((r) => r.is_open)!;
    const product = (await (await lightspeedClientFor(deps, storeId)).products.list()).items.find((p) => p.tracksInventory && !p.hasVariants)!;
    sandbox.control.sell(undefined, { register_id: register.id, lines: [{ product_id: product.id, quantity: 2 }] });
    await sandbox.control.waitForWebhooks();
    const client = await lightspeedClientFor(deps, storeId);
    const truth = (await client.inventory.forProduct(product.id)).find((r) => r.outletId === register.outlet_id)!;
    await waitFor(async () => (await scope().lightspeed.entity('inventory', truth.id))?.version === truth.version, 'the sold stock level', 20_000, 200);
    expect((await scope().lightspeed.entity('inventory', truth.id))?.state).toMatchObject({ onHand: truth.onHand });
    expect(outcomes).toContain('enqueued');
  });

  it('duplicate and reordered product webhooks leave the newest product state', async () => {
    const client = await lightspeedClientFor(deps, storeId);
    const product = (await client.products.list()).items[3]!;
    const start = outcomes.length;
    sandbox.control.setFaults({ webhooks: { duplicate: { nextN: 3 }, reorder: { nextN: 3, holdMs: 500 } } });
    for (const name of ['First rename', 'Second rename', 'Final name']) sandbox.control.changeProduct(undefined, product.id, { name });
    // The duplicated and reordered deliveries arrive: wait for the one the assertion below needs.
    await waitFor(() => outcomes.slice(start).some((o) => o === 'stale' || o === 'duplicate'), 'a stale or duplicate delivery dropped', 20_000, 50);
    await sandbox.control.waitForWebhooks();
    sandbox.control.clearFaults();
    const latest = (await client.products.get(product.id))!;
    await waitFor(async () => (await scope().lightspeed.entity('product', product.id))?.version === latest.version, 'the newest product version', 20_000, 200);
    expect((await scope().lightspeed.entity('product', product.id))?.state).toMatchObject({ name: 'Final name' });
    expect(outcomes.slice(start).some((o) => o === 'stale' || o === 'duplicate')).toBe(true);
  });

  it('rejects an unsigned or forged delivery with 401 and stores nothing', async () => {
    const before = (await scope().inbox.list({ limit: 1000 })).length;
    const body = new URLSearchParams({ type: 'product.update', payload: JSON.stringify({ id: 'x', name: 'Forged', version: 999999999 }) }).toString();
    for (const headers of [{}, { 'x-signature': 'signature=Zm9yZ2Vk, algorithm=HMAC-SHA256' }] as Record<string, string>[]) {
      const res = await fetch(`${app.url}/api/webhooks/lightspeed/${storeId}/product.update`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
      expect(res.status).toBe(401);
    }
    expect((await scope().inbox.list({ limit: 1000 })).length).toBe(before);
    expect(await scope().lightspeed.entity('product', 'x')).toBeUndefined();
  });

  it('with every webhook dropped, the cursor poller alone brings the app up to date', async () => {
    const client = await lightspeedClientFor(deps, storeId);
    const summary = sandbox.control.retailer();
    const register = summary.registers.find((r) => r.is_open)!;
    const warehouse = summary.outlets.find((o) => o.kind === 'warehouse')!;
    const tracked = (await client.products.list()).items.filter((p) => p.tracksInventory && !p.hasVariants).slice(0, 12);
    const received = outcomes.length;
    sandbox.control.setFaults({ webhooks: { drop: { probability: 1 } } });
    sandbox.control.sell(undefined, { register_id: register.id, lines: tracked.slice(0, 3).map((p) => ({ product_id: p.id, quantity: 1 })) });
    sandbox.control.receiveConsignment(undefined, { outlet_id: warehouse.id, lines: tracked.map((p) => ({ product_id: p.id, quantity: 5 })) });
    sandbox.control.changeProduct(undefined, tracked[0]!.id, { name: 'Renamed while webhooks were lost' });
    await sandbox.control.waitForWebhooks();
    sandbox.control.clearFaults();
    expect(outcomes.length).toBe(received); // nothing arrived

    await pollResource(deps, storeId, 'products');
    await pollResource(deps, storeId, 'inventory');
    await pollResource(deps, storeId, 'sales');

    // Every inventory record and product in Lightspeed now matches what the app holds.
    for await (const record of client.inventory.iterate()) {
      const held = await scope().lightspeed.entity('inventory', record.id);
      expect({ id: record.id, version: held?.version, onHand: (held?.state as { onHand?: number } | null)?.onHand }).toEqual({ id: record.id, version: record.version, onHand: record.onHand });
    }
    expect((await scope().lightspeed.entity('product', tracked[0]!.id))?.state).toMatchObject({ name: 'Renamed while webhooks were lost' });
    // The sale made while webhooks were lost is known too, at its current version.
    for await (const sale of client.sales.iterate()) {
      if (sale.version === null) continue;
      expect((await scope().lightspeed.entity('sale', sale.id))?.version).toBe(sale.version);
    }
  });

  it('when Lightspeed revokes the authorization, the store shows reconnect-required', async () => {
    sandbox.control.revokeTokens();
    sandbox.control.expireAccessTokens();
    const client = await lightspeedClientFor(deps, storeId);
    await expect(client.outlets.list()).rejects.toBeInstanceOf(LightspeedReconnectRequired);
    expect(await scope().connections.get('lightspeed')).toMatchObject({ status: 'reconnect_required', statusReason: expect.any(String) });
    await expect(lightspeedClientFor(deps, storeId)).rejects.toThrow(/reconnected/);
    const events = await scope().activity.list({ outcome: 'error' });
    expect(events.some((e) => e.kind === 'lightspeed.reconnect-required')).toBe(true);
  });
});
