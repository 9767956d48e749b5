import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SecretBox } from '../../src/db/crypto';
import { defineJob, JobRegistry } from '../../src/jobs/define';
import { forStore } from '../../src/db/repositories/scoped';
import { storesRepository } from '../../src/db/repositories/stores';
import { JobPayloadError, JobQueue } from '../../src/jobs/queue';
import { databaseTargets, type TestDatabase } from '../support/db';
import { testConfig } from '../support/config';
import { waitFor } from '../support/wait';

describe.each(databaseTargets())('durable jobs on $name', (target) => {
  let t: TestDatabase;
  let queue: JobQueue;
  const secrets = new SecretBox(randomBytes(32).toString('hex'));
  const seen: { id: string; n: number; attempt: number }[] = [];
  const attemptsOf = new Map<number, number>();

  const record = defineJob({
    name: 'test.record',
    schema: z.object({ n: z.number().int().nonnegative() }),
    retry: { limit: 0 },
    async handler({ n }, ctx) {
      seen.push({ id: ctx.jobId, n, attempt: ctx.attempt });
    },
  });

  const flaky = defineJob({
    name: 'test.flaky',
    schema: z.object({ n: z.number().int(), failTimes: z.number().int() }),
    retry: { limit: 3, delaySeconds: 1, backoff: true },
    async handler({ n, failTimes }, ctx) {
      attemptsOf.set(n, ctx.attempt + 1);
      if (ctx.attempt < failTimes) throw new Error(`attempt ${ctx.attempt} of job ${n} failed on purpose`);
    },
  });

  const hopeless = defineJob({
    name: 'test.hopeless',
    schema: z.object({ orderId: z.number().int() }),
    retry: { limit: 1, delaySeconds: 1, backoff: false },
    async handler({ orderId }) {
      throw new Error(`BigCommerce rejected order ${orderId}: 422 invalid SKU`);
    },
  });

  const storeTask = defineJob({
    name: 'test.store-task',
    schema: z.object({ storeId: z.uuid() }),
    retry: { limit: 1, delaySeconds: 1, backoff: false },
    async handler() {
      throw new Error('Lightspeed answered 401: the token was revoked');
    },
  });

  beforeAll(async () => {
    t = await target.open();
    queue = new JobQueue(t.database, new JobRegistry([record, flaky, hopeless, storeTask]), { pollingIntervalSeconds: 0.5 });
    await queue.start();
    await queue.work({ database: t.database, secrets, config: testConfig() });
  }, 120_000);

  afterAll(async () => {
    await queue?.stop({ graceful: false });
    await t?.cleanup();
  });

  it('validates payloads before they reach the queue', async () => {
    await expect(queue.send(record, { n: -1 })).rejects.toBeInstanceOf(JobPayloadError);
    await expect(queue.send(record, { n: 'x' } as unknown as { n: number })).rejects.toThrow(/invalid payload for job "test.record": n /);
    expect(await queue.backlog()).toBe(0);
  });

  it('works every sent job exactly once', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, (_, n) => queue.send(record, { n })));
    await waitFor(() => seen.length >= 20, '20 jobs worked');
    // Every job completed: none is left that could run a second time.
    await waitFor(async () => (await queue.backlog()) === 0, 'the queue drained');
    expect(seen.map((s) => s.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(new Set(seen.map((s) => s.id))).toEqual(new Set(ids));
  });

  it('a singleton key keeps one job queued per key; jobs without a key are never merged', async () => {
    const later = { startAfterSeconds: 60 }; // queued, not yet worked
    const first = await queue.send(record, { n: 100 }, { ...later, singletonKey: 'k1' });
    expect(first).toEqual(expect.any(String));
    expect(await queue.send(record, { n: 101 }, { ...later, singletonKey: 'k1' })).toBeNull();
    const second = await queue.send(record, { n: 102 }, { ...later, singletonKey: 'k2' });
    expect(second).toEqual(expect.any(String));
    const plain = await Promise.all([queue.send(record, { n: 103 }, later), queue.send(record, { n: 104 }, later)]);
    expect(plain.every((id) => typeof id === 'string')).toBe(true);
    expect(await queue.backlog()).toBe(4);
    await queue.boss.deleteJob(record.name, [first!, second!, ...plain.map((id) => id!)]);
    expect(await queue.backlog()).toBe(0);
  });

  it('retries with backoff until the job succeeds', async () => {
    await queue.send(flaky, { n: 1, failTimes: 2 });
    await waitFor(() => attemptsOf.get(1) === 3, 'third attempt', 30_000);
    expect(attemptsOf.get(1)).toBe(3);
  });

  it('keeps jobs that failed for good in the dead-letter queue with their error', async () => {
    const id = await queue.send(hopeless, { orderId: 1001 });
    const dead = await waitFor(async () => (await queue.deadLetters()).find((d) => d.job === 'test.hopeless'), 'a dead letter', 30_000);
    expect(id).toBeTruthy();
    expect(dead).toMatchObject({ job: 'test.hopeless', payload: { orderId: 1001 } });
    expect(dead.error).toContain('BigCommerce rejected order 1001: 422 invalid SKU');
  });

  it('a store’s job that failed for good shows in its activity log; a job retried in time does not', async () => {
    const store = await storesRepository(t.database.db).upsertInstalled({ storeHash: `jobs${randomBytes(3).toString('hex')}` });
    const id = await queue.send(storeTask, { storeId: store.id });
    const activity = forStore(t.database.db, secrets, store.id).activity;
    const event = await waitFor(async () => (await activity.list({ outcome: 'error' })).find((e) => e.kind === 'job.failed'), 'the failure in the activity log', 30_000);
    expect(event).toMatchObject({ entityType: 'job', entityId: id, reason: 'Lightspeed answered 401: the token was revoked', summary: 'A background task ("test.store-task") gave up after 2 attempts' });
    // The final attempt's record exists, so the first (retried) attempt had already ended: had it been reported, it would be here.
    expect((await activity.list({})).filter((e) => e.kind === 'job.failed')).toHaveLength(1);
  });
});
