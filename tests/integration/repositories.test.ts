import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersFor } from '../../src/db/repositories/orders';
import { SecretBox } from '../../src/db/crypto';
import { inventoryFor } from '../../src/db/repositories/inventory';
import { forStore } from '../../src/db/repositories/scoped';
import { storesRepository } from '../../src/db/repositories/stores';
import { platformConnections } from '../../src/db/schema';
import { databaseTargets, type TestDatabase } from '../support/db';

describe.each(databaseTargets())('repositories on $name', (target) => {
  let t: TestDatabase;
  const secrets = new SecretBox(randomBytes(32).toString('hex'));

  beforeAll(async () => {
    t = await target.open();
  });
  afterAll(async () => t?.cleanup());

  const twoStores = async () => {
    const repo = storesRepository(t.database.db);
    const a = await repo.upsertInstalled({ storeHash: `a${randomBytes(4).toString('hex')}`, plan: 'standard' });
    const b = await repo.upsertInstalled({ storeHash: `b${randomBytes(4).toString('hex')}` });
    return { a: forStore(t.database.db, secrets, a.id), b: forStore(t.database.db, secrets, b.id), ids: { a: a.id, b: b.id } };
  };

  it('applies the migrations (base tables exist)', async () => {
    const result = await t.database.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_name in ('stores','store_users','platform_connections','webhook_inbox','activity_events') order by table_name`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { table_name: string }[];
    expect(rows.map((r) => r.table_name)).toEqual(['activity_events', 'platform_connections', 'store_users', 'stores', 'webhook_inbox']);
  });

  it('a dirty inventory key is named after the cause that best explains the write (core/inventory/causes), with its time', async () => {
    const { ids } = await twoStores();
    const dirty = inventoryFor(t.database.db, ids.a).dirty;
    const t0 = new Date(Date.now() - 10_000);
    const t1 = new Date(Date.now() - 5_000);
    await dirty.mark(['p1', 'p2', 'p3'], 'mapping', { since: t0 });
    await dirty.mark(['p1'], 'lightspeed', { since: t1 }); // a sale after a settings change: the write answers the sale
    await dirty.mark(['p1'], 'bigcommerce', { since: new Date() }); // BigCommerce echoing a write never renames it
    await dirty.mark(['p2'], 'retry', { since: t1 }); // a follow-up of the same work
    await dirty.mark(['p3'], 'mapping', { since: t1 }); // the same cause again: its earliest time
    const taken = await dirty.take(10, new Date(Date.now() + 1_000));
    expect(taken.map((k) => [k.lsProductId, k.cause, k.since.getTime()]).sort()).toEqual([
      ['p1', 'lightspeed', t1.getTime()],
      ['p2', 'mapping', t0.getTime()],
      ['p3', 'mapping', t0.getTime()],
    ]);
  });

  it("the engine reads a product's open commitments and pending order effects in one statement: each row where it belongs, another store's in neither", async () => {
    const { ids } = await twoStores();
    const line = (n: number, lsProductId = 'p1') => ({ bcOrderId: 100 + n, bcOrderLineId: n, lsProductId, bcVariantId: 7, quantity: 1, lsOutletId: null, bcLocationId: null });
    const mine = inventoryFor(t.database.db, ids.a).commitments;
    const [fresh, taken, cancelled, released] = await mine.add([line(1), line(2), line(3), line(4)]);
    await mine.add([line(5, 'p2')]);
    await inventoryFor(t.database.db, ids.b).commitments.add([line(6)]);
    await mine.effectsApplied([taken!, cancelled!, released!]); // taken into the ledger
    await mine.close([cancelled!.id], 'cancelled', { returned: true }); // BigCommerce gave the units back: pending again
    await mine.close([released!.id], 'released');
    const { open, pending } = await mine.openAndPending(['p1']);
    expect(open.map((c) => c.bcOrderLineId).sort()).toEqual([fresh!.bcOrderLineId, taken!.bcOrderLineId]);
    expect(pending.map((c) => [c.bcOrderLineId, c.ledgerState]).sort()).toEqual([
      [fresh!.bcOrderLineId, 'take-pending'],
      [cancelled!.bcOrderLineId, 'return-pending'],
    ]);
  });

  it("reads the last outcomes of each (variant, location)'s writes, newest first, at most the number asked, this store's only", async () => {
    const { ids } = await twoStores();
    const change = (bcLocationId: number, outcome: string, at: number, lsProductId = 'p1', bcVariantId = 7) => ({ lsProductId, bcVariantId, bcLocationId, fromLevel: 1, toLevel: 0, cause: 'lightspeed', outcome, writtenAt: new Date(Date.now() - 60_000 + at) });
    const mine = inventoryFor(t.database.db, ids.a).changes;
    await mine.record([change(1, 'applied', 0), change(1, 'outrun', 1), change(1, 'outrun', 2), change(1, 'refused', 3), change(2, 'outrun', 4), change(3, 'applied', 5, 'p2', 8)]);
    await inventoryFor(t.database.db, ids.b).changes.record([change(1, 'outrun', 9)]);
    const outcomes = await mine.recentOutcomes(['p1'], 3);
    expect(Object.fromEntries(outcomes)).toEqual({ '7:1': ['refused', 'outrun', 'outrun'], '7:2': ['outrun'] });
    expect(await mine.recentOutcomes([], 3)).toEqual(new Map());
  });

  it('marks of overlapping inventory keys at once, in opposite orders, all land (no deadlock)', async () => {
    const { ids } = await twoStores();
    const dirty = inventoryFor(t.database.db, ids.a).dirty;
    for (let round = 0; round < 10; round++) {
      const keys = Array.from({ length: 300 }, (_, i) => `r${round}-${String(i).padStart(3, '0')}`);
      await Promise.all([dirty.mark(keys, 'lightspeed'), dirty.mark([...keys].reverse(), 'order'), dirty.mark(keys.filter((_, i) => i % 2 === 0), 'bigcommerce')]);
    }
    const { due, waiting } = await dirty.count();
    expect(due + waiting).toBe(3_000);
  });

  it('pages of overlapping Lightspeed versions stored at once, in opposite orders, all land (no deadlock)', async () => {
    const { a } = await twoStores();
    for (let round = 0; round < 10; round++) {
      const page = Array.from({ length: 400 }, (_, i) => ({ entityId: `r${round}-${String(i).padStart(3, '0')}`, version: 10 + round, state: null }));
      const newer = page.map((e) => ({ ...e, version: e.version + 1 }));
      const [first, second] = await Promise.all([a.lightspeed.acceptVersions('inventory', page), a.lightspeed.acceptVersions('inventory', [...newer].reverse())]);
      expect(second.size).toBe(400); // the newer page always wins its entities
      expect(first.size).toBeLessThanOrEqual(400);
    }
  });

  it("an order effect the engine learned stays learned when the order is cancelled or routed while it worked", async () => {
    const { ids } = await twoStores();
    const mine = inventoryFor(t.database.db, ids.a).commitments;
    const line = (n: number, quantity: number) => ({ bcOrderId: 200 + n, bcOrderLineId: n, lsProductId: 'p9', bcVariantId: 9, quantity, lsOutletId: null, bcLocationId: 1 });
    const [cancelled, split] = await mine.add([line(1, 2), line(2, 3)]);
    const read = (await mine.openAndPending(['p9'])).pending; // the engine's read: both takes pending
    expect(read.map((c) => [c.id, c.ledgerState, c.quantity])).toEqual([
      [cancelled!.id, 'take-pending', 2],
      [split!.id, 'take-pending', 3],
    ]);
    // While its writes wait: one order is cancelled and BigCommerce gives its units back; the
    // other is routed to two outlets.
    await mine.close([cancelled!.id], 'cancelled', { returned: true });
    await mine.routeLine(202, 2, [
      { lsOutletId: 'o1', quantity: 2 },
      { lsOutletId: 'o2', quantity: 1 },
    ]);
    await mine.effectsApplied(read); // the ledger took both in as read: -2 and -3
    const { pending } = await mine.openAndPending(['p9']);
    // The cancelled order's return is what the ledger has still to learn; the split line's parts are all taken.
    expect(pending.map((c) => [c.bcOrderId, c.ledgerState, c.quantity])).toEqual([[201, 'return-pending', 2]]);
    expect((await mine.forOrder(202)).map((c) => [c.part, c.ledgerState, c.quantity]).sort()).toEqual([
      [0, 'taken', 2],
      [1, 'taken', 1],
    ]);
  });

  it("keeps an order's first routing decision and its first booking record: a second intake's are refused, not written over", async () => {
    const { ids } = await twoStores();
    const orders = ordersFor(t.database.db, ids.a);
    await orders.orders.upsert({ bcOrderId: 7, statusId: 11 });
    const decisions = [
      { routing: { kind: 'single', summary: 'Downtown' }, flagged: false, attention: null },
      { routing: { kind: 'single', summary: 'Uptown' }, flagged: true, attention: 'x' },
    ];
    const kept = await Promise.all(decisions.map((d) => orders.orders.decideRouting(7, d)));
    expect([...kept].sort()).toEqual([false, true]);
    expect(await orders.orders.get(7)).toMatchObject({ ...decisions[kept.indexOf(true)], state: 'routed' });
    expect(await orders.orders.decideRouting(7, decisions[0]!)).toBe(false);
    await orders.sales.claim({ bcOrderId: 7, lsOutletId: 'o1', lsSaleId: 's1', lines: [], backorder: false });
    const at = new Date();
    expect((await Promise.all([orders.sales.markBooked(7, 'o1', { bookedAt: at, lsInvoiceNumber: '1' }), orders.sales.markBooked(7, 'o1', { bookedAt: at, lsInvoiceNumber: '1' })])).sort()).toEqual([false, true]);
    await orders.sales.setState(7, 'o1', { state: 'fulfilled' });
    expect(await orders.sales.markBooked(7, 'o1', { bookedAt: new Date(), lsInvoiceNumber: '1' })).toBe(false);
    expect((await orders.sales.forOrder(7))[0]?.state).toBe('fulfilled');
  });

  it('stores tokens encrypted and reads them back decrypted', async () => {
    const { a, ids } = await twoStores();
    await a.connections.save('lightspeed', { externalAccount: 'shop', accessToken: 'ls-access-1', refreshToken: 'ls-refresh-1', accessTokenExpiresAt: new Date('2030-01-01') });
    const [raw] = await t.database.db.select().from(platformConnections).where(sql`${platformConnections.storeId} = ${ids.a}`);
    expect(raw?.accessTokenEnc).toMatch(/^v1\./);
    expect(JSON.stringify(raw)).not.toContain('ls-access-1');
    expect(await a.connections.get('lightspeed')).toMatchObject({ accessToken: 'ls-access-1', refreshToken: 'ls-refresh-1', status: 'active' });
  });

  it("cannot read or change another store's rows", async () => {
    const { a, b } = await twoStores();
    await b.users.upsert({ bcUserId: 42, email: 'owner@b.test', role: 'owner' });
    await b.connections.save('bigcommerce', { externalAccount: 'bhash', accessToken: 'b-token' });
    const bEvent = await b.activity.record({ kind: 'product.created', summary: 'Created in B', entityType: 'product', entityId: '7' });
    const bDelivery = await b.inbox.record({ platform: 'bigcommerce', deliveryKey: `d-${randomBytes(4).toString('hex')}`, topic: 'store/order/created', payload: { id: 1 } });
    expect(bDelivery).toBeDefined();

    // Reads through A see nothing of B, even addressed by B's own ids.
    expect(await a.users.findActive(42)).toBeUndefined();
    expect(await a.users.list()).toEqual([]);
    expect(await a.connections.get('bigcommerce')).toBeUndefined();
    expect(await a.activity.get(bEvent.id)).toBeUndefined();
    expect(await a.activity.list()).toEqual([]);
    expect(await a.inbox.get(bDelivery!.id)).toBeUndefined();
    expect(await a.inbox.list()).toEqual([]);

    // Writes through A addressed at B's rows change nothing.
    expect(await a.users.remove(42)).toBe(false);
    expect(await a.connections.setStatus('bigcommerce', 'reconnect_required', 'x')).toBe(false);
    expect(await a.connections.remove('bigcommerce')).toBe(false);
    expect(await a.inbox.setStatus(bDelivery!.id, 'dropped', 'x')).toBe(false);

    expect(await b.users.findActive(42)).toMatchObject({ email: 'owner@b.test' });
    expect(await b.connections.get('bigcommerce')).toMatchObject({ accessToken: 'b-token', status: 'active' });
    expect(await b.inbox.get(bDelivery!.id)).toMatchObject({ status: 'received' });
  });

  it('records a webhook delivery once; a duplicate key is reported, not stored', async () => {
    const { a } = await twoStores();
    const key = `dup-${randomBytes(4).toString('hex')}`;
    const first = await a.inbox.record({ platform: 'bigcommerce', deliveryKey: key, topic: 'store/order/created', payload: { id: 5 } });
    const second = await a.inbox.record({ platform: 'bigcommerce', deliveryKey: key, topic: 'store/order/created', payload: { id: 5 } });
    expect(first?.id).toBeGreaterThan(0);
    expect(second).toBeUndefined();
    expect(await a.inbox.list()).toHaveLength(1);
  });

  it('keeps activity events with what, why, entity and timing, newest first with paging', async () => {
    const { a } = await twoStores();
    for (let i = 1; i <= 5; i++) {
      await a.activity.record({ kind: 'inventory.pushed', summary: `Pushed ${i}`, reason: 'sale at outlet', entityType: 'variant', entityId: String(i), durationMs: i * 10, outcome: i === 3 ? 'error' : 'ok' });
    }
    const page1 = await a.activity.list({ limit: 2 });
    expect(page1.map((e) => e.summary)).toEqual(['Pushed 5', 'Pushed 4']);
    const page2 = await a.activity.list({ limit: 2, before: page1[1]!.id });
    expect(page2.map((e) => e.summary)).toEqual(['Pushed 3', 'Pushed 2']);
    expect(page2[0]).toMatchObject({ outcome: 'error', reason: 'sale at outlet', entityType: 'variant', entityId: '3', durationMs: 30 });
    expect(await a.activity.list({ outcome: 'error' })).toHaveLength(1);
  });

  it('uninstall purges the store and every row of it', async () => {
    const { a, ids } = await twoStores();
    await a.connections.save('bigcommerce', { externalAccount: 'x', accessToken: 't' });
    await a.users.upsert({ bcUserId: 1, email: 'o@a.test' });
    const repo = storesRepository(t.database.db);
    await repo.purgeData(ids.a);
    expect(await a.connections.get('bigcommerce')).toBeUndefined();
    expect(await a.users.list()).toEqual([]);
    expect(await repo.findById(ids.a)).toBeUndefined();
  });

  it('keeps the newest Lightspeed entity version whatever order deliveries arrive in', async () => {
    const { a, b } = await twoStores();
    expect(await a.lightspeed.acceptVersion('inventory', 'inv-1', 10, { count: 5 })).toBe(true);
    expect(await a.lightspeed.acceptVersion('inventory', 'inv-1', 10, { count: 5 })).toBe(false); // duplicate
    expect(await a.lightspeed.acceptVersion('inventory', 'inv-1', 7, { count: 9 })).toBe(false); // late, older
    expect(await a.lightspeed.acceptVersion('inventory', 'inv-1', 12, { count: 3 })).toBe(true);
    expect(await a.lightspeed.entity('inventory', 'inv-1')).toMatchObject({ version: 12, state: { count: 3 } });
    // Racing deliveries: exactly one of two identical versions wins.
    const raced = await Promise.all([a.lightspeed.acceptVersion('product', 'p-1', 3), a.lightspeed.acceptVersion('product', 'p-1', 3)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    // Another store's entity with the same id is its own.
    expect(await b.lightspeed.acceptVersion('inventory', 'inv-1', 1)).toBe(true);
    expect(await a.lightspeed.entity('inventory', 'inv-1')).toMatchObject({ version: 12 });
  });

  it('keeps a page of Lightspeed entities in one go, by the same rule: only newer versions, the newest of an id repeated', async () => {
    const { a, b } = await twoStores();
    await a.lightspeed.acceptVersion('inventory', 'inv-1', 10, { count: 5 });
    await a.lightspeed.acceptVersion('inventory', 'inv-2', 10, { count: 5 });
    const page = [
      { entityId: 'inv-1', version: 11, state: { count: 4 } }, // newer: kept
      { entityId: 'inv-2', version: 9, state: { count: 9 } }, // older: refused
      { entityId: 'inv-3', version: 2, state: { count: 1 } }, // repeated: the newest wins
      { entityId: 'inv-3', version: 4, state: { count: 2 } },
      ...Array.from({ length: 1_200 }, (_, i) => ({ entityId: `bulk-${i}`, version: i + 1, state: { count: i } })), // more than one statement's worth
    ];
    const stored = await a.lightspeed.acceptVersions('inventory', page);
    expect(stored.has('inv-1') && stored.has('inv-3') && !stored.has('inv-2')).toBe(true);
    expect(stored.size).toBe(2 + 1_200);
    expect(await a.lightspeed.entity('inventory', 'inv-1')).toMatchObject({ version: 11, state: { count: 4 } });
    expect(await a.lightspeed.entity('inventory', 'inv-2')).toMatchObject({ version: 10, state: { count: 5 } });
    expect(await a.lightspeed.entity('inventory', 'inv-3')).toMatchObject({ version: 4, state: { count: 2 } });
    expect(await a.lightspeed.entity('inventory', 'bulk-1199')).toMatchObject({ version: 1_200 });
    // The same page again changes nothing; another store's ids are its own.
    expect((await a.lightspeed.acceptVersions('inventory', page)).size).toBe(0);
    expect(await a.lightspeed.acceptVersions('inventory', [])).toEqual(new Set());
    expect([...(await b.lightspeed.acceptVersions('inventory', [{ entityId: 'inv-1', version: 1, state: null }]))]).toEqual(['inv-1']);
  });

  it('moves a Lightspeed cursor forward only', async () => {
    const { a } = await twoStores();
    expect(await a.lightspeed.cursor('inventory')).toBe(0);
    await a.lightspeed.advanceCursor('inventory', 500);
    await a.lightspeed.advanceCursor('inventory', 300);
    expect(await a.lightspeed.cursor('inventory')).toBe(500);
    await a.lightspeed.recordPollError('inventory', '503 from Lightspeed');
    expect((await a.lightspeed.cursors())[0]).toMatchObject({ version: 500, lastError: '503 from Lightspeed' });
  });
});
