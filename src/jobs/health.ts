/** The health report behind GET /api/health. */
import { sql } from 'drizzle-orm';
import { appVersion } from '../env';
import type { Database } from '../db/client';
import type { JobQueue } from './queue';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  database: { ok: boolean; kind?: Database['kind']; latencyMs?: number; error?: string };
  queue: { ok: boolean; backlog?: number; deadLetters?: number; error?: string };
}

const TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The root cause's message: drizzle wraps driver errors ("Failed query: ...") around the useful part. */
function message(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (current instanceof Error) return current.message || (current as NodeJS.ErrnoException).code || current.name;
  return String(current);
}

export async function checkHealth(sources: { database: () => Promise<Database>; queue: () => Promise<JobQueue> }): Promise<HealthReport> {
  const report: HealthReport = { status: 'ok', version: appVersion, database: { ok: false }, queue: { ok: false } };
  try {
    const started = performance.now();
    const database = await withTimeout(sources.database(), 'the database');
    report.database.kind = database.kind;
    await withTimeout(database.db.execute(sql`select 1`), 'the database');
    report.database = { ok: true, kind: database.kind, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    report.database.error = message(error);
  }
  if (report.database.ok) {
    try {
      const queue = await withTimeout(sources.queue(), 'the job queue');
      const [backlog, dead] = await withTimeout(Promise.all([queue.backlog(), queue.deadLetters(500)]), 'the job queue');
      report.queue = { ok: true, backlog, deadLetters: dead.length };
    } catch (error) {
      report.queue.error = message(error);
    }
  } else {
    report.queue.error = 'the job queue lives in the database, which is unreachable';
  }
  report.status = !report.database.ok ? 'down' : report.queue.ok ? 'ok' : 'degraded';
  return report;
}
