/**
 * The Locations page's routes over real HTTP against both sandboxes: a store user may look and
 * ask for a stock check, and is refused every change until the owner grants it; the owner maps
 * every outlet (a new managed BigCommerce location each), changes an outlet's settings and the
 * store's stock settings, bad input changes nothing, a stock check's progress is read back from
 * the server, and the item view says why an item shows what it shows.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLaunchCode } from '../../src/db/repositories/launch-codes';
import { forStore } from '../../src/db/repositories/scoped';
import type { RunningServer } from '../../src/sandbox/http';
import type { ItemStock, LocationsPage, SweepStatus } from '../../src/app/api/locations/schema';
import type { ItemsPage } from '../../src/app/api/items/schema';
import { lightspeedPoll } from '../../src/jobs/definitions/lightspeed-poll';
import { pgliteTarget, type TestDatabase } from '../support/db';
import { bcStock, enableItems, inventoryOf, openInventoryHarness, type InventoryHarness } from '../support/inventory-harness';
import { installRuntime, serveRoutes } from '../support/routes';
import { waitFor } from '../support/wait';

interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T & { error?: string };
}

describe('locations routes', () => {
  let t: TestDatabase;
  let h: InventoryHarness;
  let api: RunningServer;
  let owner: string;
  let staff: string;
  let items: string[];

  const call = async <T = Record<string, unknown>>(method: string, route: string, token: string, body?: unknown): Promise<Reply<T>> => {
    const res = await fetch(`${api.url}${route}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T & { error?: string } };
  };
  const page = async () => (await call<LocationsPage>('GET', '/api/locations', owner)).body;
  const outletRows = async () => (await inventoryOf(h).outlets.list()).map(({ updatedAt: _, ...o }) => o);

  beforeAll(async () => {
    t = await pgliteTarget.open();
    h = await openInventoryHarness(t, { hash: 'locroutes' });
    api = await serveRoutes();
    // The handlers read their configuration through src/env.ts: the same sandboxes and clients as the harness's jobs.
    Object.assign(process.env, {
      NODE_ENV: 'test',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cp-locations-')),
      APP_URL: api.url,
      SANDBOX: 'off',
      ENCRYPTION_KEY: h.secretKey,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      BIGCOMMERCE_CLIENT_ID: h.deps.config.bigcommerce.clientId,
      BIGCOMMERCE_CLIENT_SECRET: h.deps.config.bigcommerce.clientSecret,
      BIGCOMMERCE_LOGIN_URL: h.bcServer.url,
      BIGCOMMERCE_API_URL: h.bcServer.url,
      LIGHTSPEED_CLIENT_ID: h.deps.config.lightspeed.clientId,
      LIGHTSPEED_CLIENT_SECRET: h.deps.config.lightspeed.clientSecret,
      LIGHTSPEED_AUTH_URL: h.lsServer.url,
      LIGHTSPEED_API_URL: `${h.lsServer.url}/{domain_prefix}`,
    });
    installRuntime(t.database, h.deps.secrets, h.queue);
    const scope = forStore(t.database.db, h.deps.secrets, h.storeId);
    await scope.users.upsert({ bcUserId: 1, email: 'owner@store.test', role: 'owner' });
    await scope.users.upsert({ bcUserId: 2, email: 'staff@store.test', role: 'user' });
    const sessionFor = async (userId: number) => {
      const res = await fetch(`${api.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ launchCode: await issueLaunchCode(t.database.db, h.storeId, userId, 60) }) });
      return ((await res.json()) as { token: string }).token;
    };
    [owner, staff] = [await sessionFor(1), await sessionFor(2)];
    items = await enableItems(h, 2);
  }, 240_000);

  afterAll(async () => {
    await api?.close();
    await h?.close();
    await t?.cleanup();
  });

  it('every outlet is listed, unmapped, with what that means, the code and coordinates a new location would get', async () => {
    const res = await call<LocationsPage>('GET', '/api/locations', staff);
    expect(res.status).toBe(200);
    const view = res.body;
    expect(view.outlets.map((o) => o.name).sort()).toEqual(['Back Room Warehouse', 'Downtown Store', 'Uptown Store']);
    expect(view.outlets.every((o) => o.bcLocationId === null && /^LS-[A-Z0-9]+$/.test(o.proposedCode))).toBe(true);
    // New York postcodes: suggested coordinates from the postcode, editable before creating.
    for (const o of view.outlets) expect(o.suggestedCoordinates).toMatchObject({ latitude: expect.closeTo(40.7, 0), longitude: expect.closeTo(-73.9, 0) });
    expect(view.warnings.filter((w) => w.kind === 'unmapped').map((w) => w.message)).toHaveLength(3);
    expect(view.warnings.find((w) => w.kind === 'unmapped')!.message).toMatch(/its stock is not sold online/);
    expect(view).toMatchObject({ stockMode: null, sweep: null, sweepIntervalMinutes: 60, lightspeed: 'connected', problems: [] });
    expect(view.locations.find((l) => l.isDefault)).toMatchObject({ id: 1 });
  });

  it('before any outlet is mapped, a linked item is never "synced" on Enable items: its stock is not published, and it says so', async () => {
    const list = (await call<ItemsPage>('GET', '/api/items?limit=250', staff)).body;
    const enabled = list.items.filter((i) => items.includes(i.id));
    expect(enabled.map((i) => i.sync.state)).toEqual(['synced', 'synced']);
    for (const i of enabled) expect(i.stockProblem).toMatch(/^Stock not published: no Lightspeed outlet is mapped/);
    expect(list.items.filter((i) => !items.includes(i.id)).every((i) => i.stockProblem === null)).toBe(true);
  });

  it('a store user is refused every change with the reason until granted, and nothing changes; a stock check needs a mapped outlet first', async () => {
    const [outlet] = (await page()).outlets;
    const before = await outletRows();
    for (const [method, route, body] of [
      ['PATCH', `/api/locations/outlets/${outlet!.lsOutletId}`, { publishes: false }],
      ['POST', `/api/locations/outlets/${outlet!.lsOutletId}/location`, { latitude: 40.7, longitude: -74 }],
      ['PUT', `/api/locations/items/${items[0]}/reserve`, { lsOutletId: null, reserve: { kind: 'units', value: 1 } }],
      ['PUT', '/api/locations/settings', { stockMode: 'aggregated' }],
    ] as const) {
      const res = await call(method, route, staff, body);
      expect(res.status, `${method} ${route}`).toBe(403);
      expect(res.body.error).toMatch(/^Only the store owner can .+ unless they allow it for other users/);
    }
    expect(await outletRows()).toEqual(before);
    expect(await inventoryOf(h).reserves.forItems(items)).toEqual([]);
    const sweep = await call('POST', '/api/locations/sweeps', staff);
    expect(sweep.status).toBe(409);
    expect(sweep.body.error).toMatch(/^Map at least one outlet/);
  });

  it('the owner creates a managed BigCommerce location for each outlet; each is logged and stock is published at once', async () => {
    const view = await page();
    for (const o of view.outlets) {
      const res = await call<{ outlet: { bcLocationId: number } }>('POST', `/api/locations/outlets/${o.lsOutletId}/location`, owner, o.suggestedCoordinates);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const location = (await h.bc.locations.listAll()).find((l) => l.id === res.body.outlet.bcLocationId)!;
      expect(location).toMatchObject({ code: o.proposedCode, label: o.name, managed_by_external_source: true });
    }
    const after = await page();
    expect(after.outlets.every((o) => o.bcLocationId !== null && o.locationLabel === o.name)).toBe(true);
    expect(after.warnings.filter((w) => w.kind === 'unmapped' || w.kind === 'nothing-mapped')).toEqual([]);
    const log = await forStore(t.database.db, h.deps.secrets, h.storeId).activity.list({});
    expect(log.filter((e) => e.kind === 'inventory.location-created' && e.reason === 'by owner@store.test')).toHaveLength(3);
    // Published: every linked variant has stock at each new location (the sandbox seeds every outlet).
    const linked = await inventoryOf(h).linkedVariants();
    await waitFor(() => {
      const stock = bcStock(h);
      return linked.every((v) => after.outlets.every((o) => stock.has(`${v.bcVariantId}:${o.bcLocationId}`))) || undefined;
    }, 'stock published to the new locations', 60_000, 200);
  });

  it('bad input is a 400 naming the field and changes nothing; an unknown location or outlet is named', async () => {
    const [outlet] = (await page()).outlets;
    const before = await outletRows();
    const cases: [string, string, unknown, RegExp][] = [
      ['PATCH', `/api/locations/outlets/${outlet!.lsOutletId}`, { rank: 0 }, /^rank: /],
      ['PATCH', `/api/locations/outlets/${outlet!.lsOutletId}`, { reserve: { kind: 'percent', value: 150 } }, /percentage is at most 100/],
      ['PATCH', `/api/locations/outlets/${outlet!.lsOutletId}`, { colour: 'blue' }, /colour/],
      ['PATCH', `/api/locations/outlets/${outlet!.lsOutletId}`, { bcLocationId: 9999 }, /BigCommerce location #9999 does not exist/],
      ['PATCH', '/api/locations/outlets/no-such-outlet', { publishes: false }, /^no such outlet$/],
      ['POST', `/api/locations/outlets/${outlet!.lsOutletId}/location`, { latitude: 91, longitude: 0 }, /^latitude: /],
      ['PUT', '/api/locations/settings', { sweepIntervalMinutes: 5 }, /check at most every 15 minutes/],
      ['PUT', '/api/locations/settings', {}, /nothing to change/],
      ['PUT', `/api/locations/items/${items[0]}/reserve`, { lsOutletId: 'nowhere', reserve: null }, /no such outlet: nowhere/],
    ];
    for (const [method, route, body, error] of cases) {
      const res = await call(method, route, owner, body);
      expect(res.status, `${method} ${route} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.error).toMatch(error);
    }
    expect(await outletRows()).toEqual(before);
    expect((await page()).sweepIntervalMinutes).toBe(60);
  });

  it('outlet settings, the stock mode and the schedule change at once and are logged; a granted user may change them too', async () => {
    const [first, second] = (await page()).outlets;
    const res = await call<{ outlet: Record<string, unknown> }>('PATCH', `/api/locations/outlets/${second!.lsOutletId}`, owner, { fulfils: false, rank: 2, dailyCapacity: 20, reserve: { kind: 'percent', value: 10 } });
    expect(res.status).toBe(200);
    expect(res.body.outlet).toMatchObject({ fulfils: false, rank: 2, dailyCapacity: 20, reserveKind: 'percent', reserveValue: 10 });
    const settings = await call('PUT', '/api/locations/settings', owner, { stockMode: 'default-location', sweepIntervalMinutes: 30 });
    expect(settings.body).toEqual({ stockMode: 'default-location', sweepIntervalMinutes: 30 });
    const log = await forStore(t.database.db, h.deps.secrets, h.storeId).activity.list({});
    expect(log.find((e) => e.kind === 'inventory.mapping')?.summary).toMatch(/no longer fulfils online orders, rank 2, up to 20 online orders a day, keeps 10% of each item for walk-ins/);
    expect(log.find((e) => e.kind === 'inventory.stock-mode')?.summary).toMatch(/default location/);
    expect(log.find((e) => e.kind === 'inventory.sweep-schedule')?.summary).toBe('Stock is now checked against Lightspeed every 30 minutes (was every hour)');
    // The owner grants "locations": the user may now change an outlet (and still not the store settings).
    await forStore(t.database.db, h.deps.secrets, h.storeId).settings.update({ staffPermissions: ['locations.manage'] });
    expect((await call('PATCH', `/api/locations/outlets/${first!.lsOutletId}`, staff, { rank: 1 })).status).toBe(200);
    expect((await call('PUT', '/api/locations/settings', staff, { sweepIntervalMinutes: 60 })).status).toBe(403);
    await forStore(t.database.db, h.deps.secrets, h.storeId).settings.update({ staffPermissions: [] });
    expect((await page()).outlets.map((o) => [o.name, o.rank]).slice(0, 2)).toEqual([[first!.name, 1], [second!.name, 2]]);
  });

  it('"check stock now": any user starts it, its progress comes from the server, the page shows its result', async () => {
    const started = await call<{ sweepId: string }>('POST', '/api/locations/sweeps', staff);
    expect(started.status).toBe(202);
    const done = await waitFor(async () => {
      const s = (await call<SweepStatus>('GET', `/api/locations/sweeps/${started.body.sweepId}`, staff)).body;
      return s.state === 'done' || s.state === 'failed' ? s : undefined;
    }, 'the stock check', 90_000, 250);
    expect(done).toMatchObject({ state: 'done', error: null });
    expect(done.total).toBe((await inventoryOf(h).linkedVariants()).length);
    const view = await page();
    expect(view.sweep).toMatchObject({ id: started.body.sweepId, state: 'done', trigger: 'merchant' });
    expect(view.sweep!.corrections.length).toBeLessThanOrEqual(view.sweep!.changed);
    expect((await call('GET', '/api/locations/sweeps/not-a-sweep', owner)).status).toBe(404);
  });

  it('a stock problem is listed with its fix, badges the item, and the one-click fix (refused to a user without the grant) clears it', async () => {
    const list = (await call<ItemsPage>('GET', '/api/items?limit=250', owner)).body;
    expect(list.items.filter((i) => items.includes(i.id)).map((i) => i.stockProblem)).toEqual([null, null]);
    const family = (await inventoryOf(h).linkedVariants()).find((v) => v.trackedBy === 'variant')!;
    await h.bc.catalog.products.update(family.bcProductId, { inventory_tracking: 'product' });
    const [outlet] = (await page()).outlets;
    const level = h.ls.control.state().inventory[`${family.lsProductId}:${outlet!.lsOutletId}`]?.current_inventory_level ?? 0;
    h.ls.control.setInventoryLevel(undefined, { product_id: family.lsProductId, outlet_id: outlet!.lsOutletId, level: level + 2 });
    await h.queue.send(lightspeedPoll, { storeId: h.storeId, resource: 'inventory' });
    const problem = await waitFor(async () => (await page()).problems.find((p) => p.lsProductId === family.lsProductId), 'the problem listed', 60_000, 250);
    expect(problem).toMatchObject({ kind: 'tracking-product', oneClick: true, lsItemId: family.lsItemId, name: family.name, fix: expect.stringMatching(/per variant/) });
    const badged = (await call<ItemsPage>('GET', `/api/items?id=${family.lsItemId}`, owner)).body.items[0]!;
    expect(badged.sync.state).toBe('synced');
    expect(badged.stockProblem).toMatch(/^Stock not in sync: .*per variant/);
    const refused = await call('POST', `/api/locations/problems/${family.lsProductId}/fix`, staff);
    expect(refused.status).toBe(403);
    expect((await page()).problems).toHaveLength(1);
    // A kind it does not know, or one the item does not have, is refused and changes nothing.
    const unknownKind = await call('POST', `/api/locations/problems/${family.lsProductId}/fix`, owner, { kind: 'everything' });
    expect(unknownKind).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^kind: /) } });
    const notThere = await call('POST', `/api/locations/problems/${family.lsProductId}/fix`, owner, { kind: 'safety-stock' });
    expect(notThere).toMatchObject({ status: 404, body: { error: 'this item has no safety-stock problem to fix' } });
    expect((await h.bc.catalog.products.get(family.bcProductId)).inventory_tracking).toBe('product');
    expect((await page()).problems).toHaveLength(1);
    const fixed = await call('POST', `/api/locations/problems/${family.lsProductId}/fix`, owner);
    expect(fixed.body).toEqual({ tracking: 'variant' });
    expect((await h.bc.catalog.products.get(family.bcProductId)).inventory_tracking).toBe('variant');
    expect((await page()).problems).toEqual([]);
    expect((await call<ItemsPage>('GET', `/api/items?id=${family.lsItemId}`, owner)).body.items[0]!.stockProblem).toBeNull();
    await waitFor(() => bcStock(h).get(`${family.bcVariantId}:${outlet!.bcLocationId}`) === level + 2 || undefined, 'the fixed item published', 60_000, 250);
  });

  it('the item view explains each location, and an item reserve takes effect at once', async () => {
    const res = await call<ItemStock>('GET', `/api/locations/items/${items[0]}`, staff);
    expect(res.status).toBe(200);
    const variant = res.body.variants.find((v) => v.bcVariantId !== null)!;
    expect(variant.outlets).toHaveLength(3);
    for (const o of variant.outlets) expect(o.available).toBe(Math.max(0, o.onHand - o.committed - o.reserved));
    expect(res.body.changes.length).toBeGreaterThan(0);
    const outlet = variant.outlets.find((o) => o.onHand > 1)!;
    const reserve = await call('PUT', `/api/locations/items/${items[0]}/reserve`, owner, { lsOutletId: outlet.lsOutletId, reserve: { kind: 'units', value: 1 } });
    expect(reserve.status).toBe(204);
    const want = await waitFor(async () => {
      const view = (await call<ItemStock>('GET', `/api/locations/items/${items[0]}`, owner)).body;
      const row = view.variants.find((v) => v.lsProductId === variant.lsProductId)!.outlets.find((o) => o.lsOutletId === outlet.lsOutletId)!;
      return row.reserved === 1 && row.bigcommerce === row.available ? { view, row } : undefined;
    }, 'the reserve published', 60_000, 250);
    expect(want.view.reserves).toEqual([{ lsOutletId: outlet.lsOutletId, kind: 'units', value: 1 }]);
    expect((await call('GET', '/api/locations/items/no-such-item', owner)).status).toBe(404);
  });
});
