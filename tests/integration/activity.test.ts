/**
 * The Activity page's data: a store sees its own activity log (newest first, filtered by outcome,
 * paged by id) and its own API calls per endpoint, never another store's; bad queries are refused.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/db/crypto';
import { forStore } from '../../src/db/repositories/scoped';
import { storesRepository } from '../../src/db/repositories/stores';
import type { JobDeps } from '../../src/jobs/deps';
import { activityPage, activityQuerySchema, apiUsage, usageQuerySchema } from '../../src/jobs/lifecycle/activity';
import { testConfig } from '../support/config';
import { databaseTargets, type TestDatabase } from '../support/db';

describe.each(databaseTargets())('activity and API usage on $name', (target) => {
  let t: TestDatabase;
  let deps: JobDeps;
  let a: string;
  let b: string;
  const secrets = new SecretBox(randomBytes(32).toString('hex'));

  beforeAll(async () => {
    t = await target.open();
    deps = { database: t.database, secrets, config: testConfig() };
    a = (await storesRepository(t.database.db).upsertInstalled({ storeHash: `act${randomBytes(3).toString('hex')}` })).id;
    b = (await storesRepository(t.database.db).upsertInstalled({ storeHash: `act${randomBytes(3).toString('hex')}` })).id;
    const outcomes = ['ok', 'error', 'warning', 'info', 'ok'] as const;
    for (const [i, outcome] of outcomes.entries()) {
      await forStore(t.database.db, secrets, a).activity.record({ kind: 'test.event', outcome, summary: `A event ${i}`, reason: i === 1 ? 'BigCommerce said 422' : null, entityType: 'catalog.item', entityId: `item-${i}` });
    }
    await forStore(t.database.db, secrets, b).activity.record({ kind: 'test.event', outcome: 'error', summary: 'B event', entityType: 'catalog.item', entityId: 'b' });
    const usage = forStore(t.database.db, secrets, a).apiUsage;
    await usage.record({ platform: 'bigcommerce', method: 'POST', endpoint: '/v3/catalog/products', status: 200, durationMs: 40, attempt: 1 });
    await usage.record({ platform: 'bigcommerce', method: 'POST', endpoint: '/v3/catalog/products', status: 409, durationMs: 20, attempt: 1 });
    await usage.record({ platform: 'lightspeed', method: 'GET', endpoint: '/api/2026-07/products', status: 429, durationMs: 5, attempt: 1 });
    await forStore(t.database.db, secrets, b).apiUsage.record({ platform: 'bigcommerce', method: 'GET', endpoint: '/v3/channels', status: 200, durationMs: 9, attempt: 1 });
  }, 120_000);
  afterAll(async () => t?.cleanup());

  it('lists the store’s own events, newest first, with their reasons', async () => {
    const page = await activityPage(deps, a, activityQuerySchema.parse({}));
    expect(page.events.map((e) => e.summary)).toEqual(['A event 4', 'A event 3', 'A event 2', 'A event 1', 'A event 0']);
    expect(page.events[3]).toMatchObject({ outcome: 'error', reason: 'BigCommerce said 422', entity: 'catalog.item item-1' });
    expect(page.next).toBeNull();
    expect((await activityPage(deps, b, activityQuerySchema.parse({}))).events.map((e) => e.summary)).toEqual(['B event']);
  });

  it('filters by outcome and pages by id', async () => {
    expect((await activityPage(deps, a, activityQuerySchema.parse({ outcome: 'error' }))).events.map((e) => e.summary)).toEqual(['A event 1']);
    const first = await activityPage(deps, a, activityQuerySchema.parse({ limit: '2' }));
    expect(first.events.map((e) => e.summary)).toEqual(['A event 4', 'A event 3']);
    const second = await activityPage(deps, a, activityQuerySchema.parse({ limit: '2', before: String(first.next) }));
    expect(second.events.map((e) => e.summary)).toEqual(['A event 2', 'A event 1']);
    // A cursor from another store's ids shows nothing of that store.
    const bId = (await activityPage(deps, b, activityQuerySchema.parse({}))).events[0]!.id;
    expect((await activityPage(deps, a, activityQuerySchema.parse({ before: String(bId + 1) }))).events.every((e) => e.summary.startsWith('A'))).toBe(true);
  });

  it('sums the store’s API calls per platform and endpoint, failures included', async () => {
    const usage = await apiUsage(deps, a, usageQuerySchema.parse({}));
    expect(usage.totals).toEqual({ bigcommerce: { calls: 2, failures: 1 }, lightspeed: { calls: 1, failures: 1 } });
    expect(usage.endpoints).toContainEqual({ platform: 'bigcommerce', method: 'POST', endpoint: '/v3/catalog/products', calls: 2, failures: 1, meanMs: 30 });
    expect(usage.endpoints.some((e) => e.endpoint === '/v3/channels')).toBe(false);
  });

  it('refuses bad queries with the field named', () => {
    expect(activityQuerySchema.safeParse({ outcome: 'bogus' }).success).toBe(false);
    expect(activityQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(activityQuerySchema.safeParse({ before: '-3' }).error?.issues[0]?.path).toEqual(['before']);
    expect(usageQuerySchema.safeParse({ hours: '100000' }).success).toBe(false);
  });
});
