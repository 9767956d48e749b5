import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '../../src/db/client';
import { JobRegistry } from '../../src/jobs/define';
import { checkHealth } from '../../src/jobs/health';
import { JobQueue } from '../../src/jobs/queue';
import { databaseTargets, type TestDatabase } from '../support/db';

describe.each(databaseTargets())('health on $name', (target) => {
  let t: TestDatabase;
  let queue: JobQueue;
  beforeAll(async () => {
    t = await target.open();
    queue = new JobQueue(t.database, new JobRegistry());
    await queue.start();
  });
  afterAll(async () => {
    await queue?.stop({ graceful: false });
    await t?.cleanup();
  });

  it('reports database, queue and version', async () => {
    const report = await checkHealth({ database: async () => t.database, queue: async () => queue });
    expect(report).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: { ok: true, kind: target.name }, queue: { ok: true, backlog: 0, deadLetters: 0 } });
  });
});

describe('health with the database unreachable', () => {
  it('reports down with the reason, without touching the queue', async () => {
    // A real postgres.js client aimed at a port where nothing listens.
    const client = postgres('postgres://nobody@127.0.0.1:1/none', { max: 1, connect_timeout: 2 });
    const database: Database = { kind: 'postgres', db: drizzle(client) as unknown as Db, close: () => client.end() };
    let queueAsked = false;
    const report = await checkHealth({
      database: async () => database,
      queue: async () => {
        queueAsked = true;
        throw new Error('unreachable');
      },
    });
    await database.close();
    expect(report.status).toBe('down');
    expect(report.database.ok).toBe(false);
    expect(report.database.error).toMatch(/ECONNREFUSED|connect/i);
    expect(report.queue).toMatchObject({ ok: false, error: expect.stringContaining('unreachable') });
    expect(queueAsked).toBe(false);
  });
});
