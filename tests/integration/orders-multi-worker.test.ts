/**
 * Exactly once across processes (needs TEST_DATABASE_URL: two processes share a Postgres): two
 * worker processes on one queue work a burst of intakes for the same orders (duplicate webhooks
 * arriving at once), and a worker killed while Lightspeed is creating the sale leaves an order
 * that the next intake books without a second sale.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersFor } from '../../src/db/repositories/orders';
import { JobRegistry } from '../../src/jobs/define';
import { orderIntake } from '../../src/jobs/definitions/order-intake';
import { inventorySync } from '../../src/jobs/definitions/inventory-sync';
import { intakeOrder } from '../../src/jobs/orders/engine';
import { createLocationForOutlet, locationsView } from '../../src/jobs/lifecycle/locations';
import { JobQueue } from '../../src/jobs/queue';
import { postgresTarget, testDatabaseUrl, type TestDatabase } from '../support/db';
import { enableItems, inventoryOf, openInventoryHarness, type InventoryHarness } from '../support/inventory-harness';
import { waitFor } from '../support/wait';

function startWorker(input: object): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../support/order-worker.ts'), JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code, signal) => reject(new Error(`worker exited with ${code ?? signal}: ${errors}`)));
  });
}

describe.skipIf(!testDatabaseUrl)('orders booked exactly once across worker processes (needs TEST_DATABASE_URL)', () => {
  let t: TestDatabase;
  let h: InventoryHarness;
  let sender: JobQueue;
  const workers: ChildProcess[] = [];
  let workerInput: object;

  beforeAll(async () => {
    t = await postgresTarget(testDatabaseUrl!).open();
    h = await openInventoryHarness(t, { hash: 'orders2' });
    await enableItems(h, 2);
    for (const [i, o] of (await locationsView(h.deps, h.storeId)).outlets.entries()) {
      await createLocationForOutlet(h.deps, h.queue, h.storeId, o.lsOutletId, { latitude: 40.7 + i / 50, longitude: -74 }, 'owner@example.com');
    }
    // From here on this process only sends; the worker processes work.
    await h.queue.stop({ graceful: true });
    sender = new JobQueue(t.database, new JobRegistry([orderIntake, inventorySync]));
    await sender.start();
    workerInput = { url: t.url, secretKey: h.secretKey, config: h.deps.config };
  }, 180_000);

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await sender?.stop({ graceful: false });
    await h?.close().catch(() => undefined);
    await t?.cleanup();
  });

  const salesOf = (orderId: number) => Object.values(h.ls.control.state().sales).filter((s) => s.source.id === String(orderId));
  const place = async (quantity: number) => {
    const v = (await inventoryOf(h).linkedVariants())[0]!;
    return h.bcSandbox.control.placeOrder(h.hash, { status_id: 11, products: [{ product_id: v.bcProductId, ...(v.trackedBy === 'variant' ? { variant_id: v.bcVariantId } : {}), quantity }] }, { allowOversell: true });
  };

  it('two workers, five orders, each delivered four times at once: five sales, no duplicate', async () => {
    workers.push(...(await Promise.all([startWorker({ ...workerInput, name: 'w1' }), startWorker({ ...workerInput, name: 'w2' })])));
    const orders = await Promise.all(Array.from({ length: 5 }, () => place(1)));
    // Distinct keys: pg-boss queues every copy, as it would for webhooks redelivered by BigCommerce.
    await Promise.all(orders.flatMap((o) => [1, 2, 3, 4].map((n) => sender.send(orderIntake, { storeId: h.storeId, orderId: o.id }, { singletonKey: `dup:${o.id}:${n}` }))));
    const repo = ordersFor(t.database.db, h.storeId);
    await waitFor(async () => {
      for (const o of orders) if ((await repo.sales.forOrder(o.id)).some((s) => s.state !== 'booked') || (await repo.sales.forOrder(o.id)).length === 0) return undefined;
      return (await sender.boss.getQueueSize('orders.intake')) === 0 || undefined;
    }, 'every order booked and the queue drained', 90_000, 250);
    for (const o of orders) expect(salesOf(o.id)).toHaveLength(1);
    for (const w of workers.splice(0)) w.kill('SIGTERM');
  });

  it('a worker killed while Lightspeed creates the sale: the next intake finds the sale and books nothing twice', async () => {
    const order = await place(1);
    // Lightspeed creates the sale and holds its answer: the worker is killed while it waits.
    h.ls.control.setFaults({ api: [{ kind: 'lost', route: 'POST /sales', nextN: 1, delayMs: 10_000 }] } as never);
    const worker = await startWorker({ ...workerInput, name: 'doomed' });
    workers.push(worker);
    await sender.send(orderIntake, { storeId: h.storeId, orderId: order.id });
    await waitFor(() => salesOf(order.id).length === 1 || undefined, 'the sale created in Lightspeed', 30_000, 20);
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));
    const repo = ordersFor(t.database.db, h.storeId);
    expect((await repo.sales.forOrder(order.id))[0]?.state).toBe('booking'); // the worker died before recording it
    h.ls.control.setFaults({ api: [] });
    await intakeOrder({ deps: h.deps, enqueue: (def, payload, options) => sender.send(def, payload, options) }, h.storeId, order.id); // the retry (or a redelivered webhook)
    expect(salesOf(order.id)).toHaveLength(1);
    expect((await repo.sales.forOrder(order.id))[0]?.state).toBe('booked');
  });
});
