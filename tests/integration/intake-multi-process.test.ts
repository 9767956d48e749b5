/**
 * Intake across processes (issue 14, item 6): two app processes receive the same BigCommerce
 * deliveries (a redelivery can land on either), two worker processes drain them, one worker is
 * stopped mid-run; then a worker is killed (SIGKILL) in the middle of a drain. Every accepted
 * delivery is recorded once, processed once, and nothing is lost. Needs Postgres.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client';
import { intakeFor } from '../../src/db/repositories/intake';
import { storesRepository } from '../../src/db/repositories/stores';
import { createScratchDatabase, testDatabaseUrl } from '../support/db';
import { bigcommerceDelivery, openLoop } from '../support/intake';
import { createEffectsTable, effectsByOrder, inboxCounts } from '../support/intake-jobs';
import { waitFor } from '../support/wait';

const clientSecret = `bc-${randomBytes(8).toString('hex')}`;

function start(script: string, input: object, until: RegExp): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../support', script), JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      const line = d.toString().split('\n').find((l) => until.test(l));
      if (line) resolve({ child, line });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${errors}`)));
  });
}

describe.skipIf(!testDatabaseUrl)('intake with two app processes and two workers on one Postgres (needs TEST_DATABASE_URL)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: Database;
  const children: ChildProcess[] = [];
  const apps: string[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase(testDatabaseUrl!);
    database = await openDatabase({ url: scratch.url, max: 4 });
    await createEffectsTable(database.db);
    for (const name of ['a1', 'a2']) {
      const { child, line } = await start('intake-app.ts', { url: scratch.url, clientSecret }, /^ready /);
      children.push(child);
      apps.push(line.slice('ready '.length).trim());
      void name;
    }
  }, 120_000);

  // A test's workers end with it, pass or fail: a worker left running would take the next
  // test's drain (a failed first test once made the second wait for a drain it never saw).
  const workers: ChildProcess[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).filter((w) => w.exitCode === null && w.signalCode === null).map((w) => new Promise((resolve) => {
      w.once('exit', resolve);
      w.kill('SIGKILL');
    })));
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await database?.close();
    await scratch?.drop();
  });

  it('each delivery sent to both app processes is recorded once and processed once; a worker stopping mid-run loses nothing', async () => {
    const hash = `mp${randomBytes(3).toString('hex')}`;
    const storeId = (await storesRepository(database.db).upsertInstalled({ storeHash: hash })).id;
    const w1 = await start('intake-worker.ts', { url: scratch.url, name: 'w1' }, /^ready/);
    const w2 = await start('intake-worker.ts', { url: scratch.url, name: 'w2' }, /^ready/);
    children.push(w1.child, w2.child);
    workers.push(w1.child, w2.child);

    const orders = 300;
    const deliveries = Array.from({ length: orders }, (_, i) => bigcommerceDelivery(clientSecret, { storeHash: hash, scope: 'store/order/created', data: { type: 'order', id: 1 + i } }));
    const stop = setTimeout(() => w1.child.kill('SIGTERM'), 700); // a rolling deploy, mid-burst
    const [r1, r2] = await Promise.all(apps.map((url) => openLoop(url, { rate: 150, count: orders, make: (n) => deliveries[n]! })));
    clearTimeout(stop);
    const acks = [...r1!.acks, ...r2!.acks];
    expect(acks.filter((a) => a.status !== 200)).toEqual([]);
    // For each delivery, exactly one process recorded it; the other answered duplicate.
    const byDelivery = new Map<number, string[]>();
    for (const a of acks) byDelivery.set(a.n, [...(byDelivery.get(a.n) ?? []), a.outcome ?? '?']);
    expect([...byDelivery.values()].every((o) => o.sort().join() === 'duplicate,enqueued')).toBe(true);

    await waitFor(async () => (await inboxCounts(database.db, storeId)).processed === orders, async () => `all deliveries processed (${JSON.stringify(await inboxCounts(database.db, storeId))})`, 60_000, 200);
    const effects = await waitFor(async () => {
      const found = await effectsByOrder(database.db);
      return found.size === orders ? found : undefined;
    }, 'an intake for every order', 60_000, 200);
    // Let any stray duplicate surface before counting.
    await new Promise((r) => setTimeout(r, 1500));
    const final = await effectsByOrder(database.db);
    expect(final.size).toBe(orders);
    expect([...final.values()].every((n) => n === 1)).toBe(true);
    expect(effects.size).toBe(orders);
    expect(await inboxCounts(database.db, storeId)).toEqual({ processed: orders });
    expect((await intakeFor(database.db, storeId).lanes())[0]).toMatchObject({ drained: orders });
    w2.child.kill('SIGTERM');
  }, 180_000);

  it('a worker killed (SIGKILL) in the middle of a drain: its lease runs out and another worker finishes every delivery', async () => {
    const hash = `mk${randomBytes(3).toString('hex')}`;
    const storeId = (await storesRepository(database.db).upsertInstalled({ storeHash: hash })).id;
    const doomed = await start('intake-worker.ts', { url: scratch.url, name: 'doomed', leaseMs: 3_000, hang: true }, /^ready/);
    children.push(doomed.child);
    workers.push(doomed.child);
    const midDrain = new Promise<void>((resolve) => doomed.child.stdout?.on('data', (d: Buffer) => d.toString().includes('mid-drain') && resolve()));
    const orders = 50;
    const deliveries = Array.from({ length: orders }, (_, i) => bigcommerceDelivery(clientSecret, { storeHash: hash, scope: 'store/order/created', data: { type: 'order', id: 10_000 + i } }));
    const { acks } = await openLoop(apps[0]!, { rate: 200, count: orders, make: (n) => deliveries[n]! });
    expect(acks.every((a) => a.status === 200 && a.outcome === 'enqueued')).toBe(true);
    await midDrain;
    doomed.child.kill('SIGKILL');
    expect((await inboxCounts(database.db, storeId)).processed ?? 0).toBe(0); // the pass died before ending any row

    const rescuer = await start('intake-worker.ts', { url: scratch.url, name: 'rescuer', leaseMs: 3_000 }, /^ready/);
    children.push(rescuer.child);
    workers.push(rescuer.child);
    await waitFor(async () => (await inboxCounts(database.db, storeId)).processed === orders, async () => `all deliveries processed after the kill (${JSON.stringify(await inboxCounts(database.db, storeId))})`, 60_000, 200);
    expect(await inboxCounts(database.db, storeId)).toEqual({ processed: orders });
    expect((await intakeFor(database.db, storeId).lanes())[0]).toMatchObject({ drained: orders });
    const effects = await waitFor(async () => {
      const found = await effectsByOrder(database.db);
      const mine = [...found].filter(([id]) => id >= 10_000 && id < 10_000 + orders);
      return mine.length === orders ? mine : undefined;
    }, 'an intake for every order', 60_000, 200);
    // The killed pass had asked for intakes already; the rescuer asked again: at most twice, idempotent.
    expect(effects.every(([, n]) => n >= 1 && n <= 2)).toBe(true);
    rescuer.child.kill('SIGTERM');
  }, 180_000);
});
