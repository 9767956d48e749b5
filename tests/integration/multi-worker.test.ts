import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Database, openDatabase } from '../../src/db/client';
import { defineJob, JobRegistry } from '../../src/jobs/define';
import { JobQueue } from '../../src/jobs/queue';
import { createScratchDatabase, testDatabaseUrl } from '../support/db';
import { waitFor } from '../support/wait';

// The same definition the worker processes run; this process only sends.
const burst = defineJob({ name: 'test.burst', schema: z.object({ n: z.number().int() }), retry: { limit: 2, delaySeconds: 1 }, handler: async () => {} });

const rows = <T>(result: unknown) => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

function startWorker(url: string, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../support/burst-worker.ts'), url, name], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker ${name} exited with ${code}: ${errors}`)));
  });
}

// Two processes need a shared server; PGlite is single-process by design.
describe.skipIf(!testDatabaseUrl)('two worker processes on one Postgres (needs TEST_DATABASE_URL)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: Database;
  let queue: JobQueue;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase(testDatabaseUrl!);
    database = await openDatabase({ url: scratch.url, max: 4 });
    await database.db.execute(sql`create table burst_effects (n int not null, worker text not null, job_id uuid not null)`);
    queue = new JobQueue(database, new JobRegistry([burst]));
    await queue.start();
    workers.push(...(await Promise.all([startWorker(scratch.url, 'w1'), startWorker(scratch.url, 'w2')])));
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await queue?.stop({ graceful: false });
    await database?.close();
    await scratch?.drop();
  });

  it('processes a burst with no effect twice and none lost, even when one worker stops mid-burst', async () => {
    const total = 400;
    const sent = await Promise.all(Array.from({ length: total }, (_, n) => queue.send(burst, { n })));
    expect(sent.filter(Boolean)).toHaveLength(total);

    const count = async () => Number(rows<{ c: string }>(await database.db.execute(sql`select count(*)::int as c from burst_effects`))[0]?.c ?? 0);
    await waitFor(async () => (await count()) >= total / 4, 'a quarter of the burst', 60_000, 50);
    // A rolling deploy: w1 is asked to stop while jobs are in flight; it finishes what it holds.
    workers[0]!.kill('SIGTERM');
    await waitFor(async () => (await count()) >= total, 'the whole burst', 90_000, 100);
    // Every job completed: none is left that could run a second time.
    await waitFor(async () => (await queue.backlog()) === 0, 'the burst queue drained', 30_000, 100);

    const effects = rows<{ n: number; worker: string; job_id: string }>(await database.db.execute(sql`select n, worker, job_id from burst_effects`));
    expect(effects).toHaveLength(total);
    expect(new Set(effects.map((e) => e.n)).size).toBe(total);
    expect(new Set(effects.map((e) => e.job_id))).toEqual(new Set(sent));
    expect(effects.filter((e) => e.worker === 'w1').length).toBeGreaterThan(0);
    expect(effects.filter((e) => e.worker === 'w2').length).toBeGreaterThan(0);
    expect(await queue.backlog()).toBe(0);
    expect(await queue.deadLetters()).toEqual([]);
  });
});
