/**
 * Durable jobs on pg-boss, on the app's own database: a real Postgres server, or the embedded
 * PGlite connection shared through `Database.executor`. Jobs that fail for good are copied by
 * pg-boss into one dead-letter queue, where they stay (with their error) for the pages to show.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Database } from '../db/client';
import { errorMessage } from '../db/errors';
import { forStore } from '../db/repositories/scoped';
import { storesRepository } from '../db/repositories/stores';
import type { JobDefinition, JobRegistry } from './define';
import type { JobDeps } from './deps';

export const DEAD_LETTER_QUEUE = 'dead-letter';
const DEAD_LETTER_RETENTION_DAYS = 30;

/** What travels in pg-boss's `data`: the payload plus the job's name, kept for the dead-letter queue. */
interface Envelope {
  job: string;
  payload: unknown;
}

export interface DeadLetter {
  id: string;
  job: string;
  payload: unknown;
  error: string;
  failedAt: Date;
}

export interface SendOptions {
  /** Run no earlier than this many seconds from now. */
  startAfterSeconds?: number;
  /** While a job with this key is queued, sending another with the same key is a no-op. */
  singletonKey?: string;
}

export class JobPayloadError extends Error {
  constructor(job: string, issues: z.core.$ZodIssue[]) {
    super(`invalid payload for job "${job}": ${issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
    this.name = 'JobPayloadError';
  }
}

export class JobQueue {
  readonly boss: PgBoss;
  readonly #database: Database;
  readonly #registry: JobRegistry;
  #started = false;
  #working = false;

  /** `poolMax`: connections pg-boss opens of its own on a Postgres server (12 by default). */
  constructor(database: Database, registry: JobRegistry, options: { pollingIntervalSeconds?: number; poolMax?: number } = {}) {
    this.#database = database;
    this.#registry = registry;
    const common = { schema: 'pgboss', monitorStateIntervalSeconds: 60, maintenanceIntervalSeconds: 120 } as const;
    this.boss = database.executor
      ? new PgBoss({ ...common, db: database.executor })
      : new PgBoss({ ...common, connectionString: database.connectionString, max: options.poolMax ?? 12, application_name: 'counterpart-jobs' });
    this.boss.on('error', (error: unknown) => console.error('[jobs] pg-boss error:', error));
    this.pollingIntervalSeconds = options.pollingIntervalSeconds ?? 1;
  }

  readonly pollingIntervalSeconds: number;

  get registry(): JobRegistry {
    return this.#registry;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    await this.boss.start();
    await this.#ensureQueue(DEAD_LETTER_QUEUE, { retryLimit: 0, retentionDays: DEAD_LETTER_RETENTION_DAYS });
    for (const def of this.#registry.all()) {
      await this.#ensureQueue(def.name, {
        // `short`: at most one queued job per singleton key (pg-boss 10 ignores a key on a
        // `standard` queue unless it comes with singletonSeconds). Sends without a key get a
        // key of their own, so they are never merged.
        policy: 'short',
        retryLimit: def.retry.limit,
        retryDelay: def.retry.delaySeconds,
        retryBackoff: def.retry.backoff,
        expireInSeconds: def.expireInSeconds,
        deadLetter: DEAD_LETTER_QUEUE,
      });
      if (def.schedule) {
        const envelope: Envelope = { job: def.name, payload: def.schema.parse(def.schedule.payload) };
        await this.boss.schedule(def.name, def.schedule.cron, envelope);
      }
    }
    this.#started = true;
  }

  /**
   * Creates or updates a queue. Processes starting together race for the same queues: one's
   * insert can find the other's between check and insert, or Postgres can end one of two such
   * transactions as a deadlock (seen with two workers started at once). Either way the queue
   * exists once the other commits, so the attempt is made again, a few times, after a short wait.
   */
  async #ensureQueue(name: string, options: Omit<PgBoss.Queue, 'name'> & { retentionDays?: number }): Promise<void> {
    const queue = { name, ...options } as PgBoss.Queue;
    for (let attempt = 1; ; attempt++) {
      try {
        if (await this.boss.getQueue(name)) await this.boss.updateQueue(name, queue);
        else await this.boss.createQueue(name, queue);
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
      }
    }
  }

  /** Validates the payload, then enqueues. Returns the job id, or null when a singleton is already queued. */
  async send<S extends z.ZodType>(def: JobDefinition<S>, payload: z.input<S>, options: SendOptions = {}): Promise<string | null> {
    const parsed = def.schema.safeParse(payload);
    if (!parsed.success) throw new JobPayloadError(def.name, parsed.error.issues);
    const envelope: Envelope = { job: def.name, payload: parsed.data };
    return this.boss.send(def.name, envelope as object, {
      ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
      singletonKey: options.singletonKey ?? `job:${randomUUID()}`,
    });
  }

  /**
   * Starts working every registered queue in this process: one polling loop per queue (per slot
   * for definitions with `slots`) on pg-boss's fetch / complete / fail. Each fetch takes up to
   * `concurrency` jobs and runs them side by side; each job completes or fails on its own, and
   * the loop waits for that to be recorded before it fetches again. A full batch fetches again at
   * once; a short one waits the polling interval (or a wake).
   *
   * Not pg-boss's `work()`: its worker waits out the polling interval after every batch (300
   * queued order intakes drained at 5 a second), completes a batch without waiting for the
   * write, and its graceful stop does not see a fetch in flight, so jobs fetched as the process
   * stopped were left active, unworked, until they expired (a clean-clone CI run lost a burst's
   * last 8 jobs that way). Here `stop()` waits for each loop's fetch and jobs.
   */
  async work(deps: JobDeps, options: { concurrency?: number } = {}): Promise<void> {
    if (this.#working) return;
    this.#working = true;
    const concurrency = options.concurrency ?? 5;
    for (const def of this.#registry.all()) {
      const loops: WorkLoop[] = [];
      for (let slot = 0; slot < (def.slots ?? 1); slot++) loops.push(this.#startLoop(deps, def, def.slots ? 1 : concurrency));
      if (def.wake) this.#startWake(deps, def, loops);
    }
  }

  readonly #loops: WorkLoop[] = [];

  #startLoop(deps: JobDeps, def: JobDefinition, batchSize: number): WorkLoop {
    let woken = false;
    let wakeUp: (() => void) | null = null;
    const active = new Set<string>();
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        if (woken || !this.#working) return resolve();
        const end = () => {
          clearTimeout(timer);
          wakeUp = null;
          resolve();
        };
        const timer = setTimeout(end, ms);
        wakeUp = end;
      });
    let lastError = 0;
    const done = (async () => {
      while (this.#working) {
        woken = false;
        let jobs: PgBoss.JobWithMetadata<Envelope>[] = [];
        try {
          jobs = await this.boss.fetch<Envelope>(def.name, { batchSize, includeMetadata: true });
        } catch (error) {
          // Logged at most once a minute: a database that is away is tried again after the interval.
          if (Date.now() - lastError > 60_000) console.error(`[jobs] fetching ${def.name} failed:`, error instanceof Error ? error.message : error);
          lastError = Date.now();
        }
        if (jobs.length > 0) await Promise.all(jobs.map((job) => this.#run(deps, def, job, active)));
        if (jobs.length < batchSize) await sleep(this.pollingIntervalSeconds * 1000);
      }
    })();
    const loop: WorkLoop = {
      name: def.name,
      active,
      done,
      wake: () => {
        woken = true;
        wakeUp?.();
      },
    };
    this.#loops.push(loop);
    return loop;
  }

  /** Runs one fetched job and records its outcome (complete, or fail: retried by pg-boss, dead-lettered after the last attempt). */
  async #run(deps: JobDeps, def: JobDefinition, job: PgBoss.JobWithMetadata<Envelope>, active: Set<string>): Promise<void> {
    active.add(job.id);
    let failure: { message: string; name?: string } | null = null;
    try {
      const parsed = def.schema.safeParse(job.data.payload);
      if (!parsed.success) throw new JobPayloadError(def.name, parsed.error.issues);
      // A store's job outlives nothing of the store: after an uninstall it ends unrun.
      const storeId = storeOf(parsed.data);
      if (storeId && (await storesRepository(deps.database.db).findById(storeId))?.status !== 'active') {
        console.info(`[jobs] ${def.name} ${job.id} skipped: store ${storeId} is not installed`);
      } else {
        const handled = def.handler(parsed.data, { jobId: job.id, attempt: job.retryCount, deps, enqueue: (d, p, o) => this.send(d, p, o) });
        await withinSeconds(handled, Number(job.expireInSeconds), `${def.name} ran past its expiry (${job.expireInSeconds} s)`);
      }
    } catch (error) {
      failure = error instanceof Error ? { message: errorMessage(error), name: error.name } : { message: String(error) };
      console.error(`[jobs] ${def.name} ${job.id} attempt ${job.retryCount + 1} failed: ${failure.message}`);
    }
    try {
      if (failure === null) await this.boss.complete(def.name, job.id);
      else {
        await this.boss.fail(def.name, job.id, failure);
        if (job.retryCount >= def.retry.limit) await this.#recordFailedForGood(deps, def, job.id, job.retryCount + 1, job.data.payload, failure.message);
      }
    } catch (error) {
      // The job stays active until it expires; pg-boss then retries it.
      console.error(`[jobs] could not record the outcome of ${def.name} ${job.id}:`, error instanceof Error ? error.message : error);
    } finally {
      active.delete(job.id);
    }
  }

  readonly #wakes = new Set<ReturnType<typeof setTimeout>>();
  /** Wake ticks under way (stop waits for them: a tick's sends use the database). */
  readonly #ticks = new Set<Promise<void>>();

  /** Asks the definition's `find` every `everyMs`, sends what it found, and wakes this process's loops of that queue. */
  #startWake(deps: JobDeps, def: JobDefinition, loops: WorkLoop[]): void {
    const wake = def.wake!;
    let lastError = 0;
    const tick = async () => {
      if (!this.#working) return;
      try {
        const found = await wake.find(deps);
        let sent = 0;
        for (const f of found) if (await this.send(def, f.payload, { singletonKey: f.singletonKey })) sent++;
        if (sent > 0) for (const loop of loops) loop.wake();
      } catch (error) {
        // Logged at most once a minute: a database that is away is retried on the next tick.
        if (Date.now() - lastError > 60_000) console.error(`[jobs] waking ${def.name} failed:`, error instanceof Error ? error.message : error);
        lastError = Date.now();
      }
      if (!this.#working) return;
      const timer = setTimeout(() => {
        this.#wakes.delete(timer);
        run();
      }, wake.everyMs);
      timer.unref?.();
      this.#wakes.add(timer);
    };
    const run = () => {
      const t = tick();
      this.#ticks.add(t);
      void t.finally(() => this.#ticks.delete(t));
    };
    run();
  }

  /** A store's job that failed for good also lands in its activity log, so the merchant sees it. */
  async #recordFailedForGood(deps: JobDeps, def: JobDefinition, jobId: string, attempts: number, payload: unknown, reason: string): Promise<void> {
    const storeId = storeOf(payload);
    if (!storeId) return;
    try {
      await forStore(deps.database.db, deps.secrets, storeId).activity.record({
        kind: 'job.failed',
        outcome: 'error',
        summary: `A background task ("${def.name}") gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
        reason,
        entityType: 'job',
        entityId: jobId,
      });
    } catch (error) {
      console.error(`[jobs] could not record the failure of ${def.name} ${jobId}:`, error);
    }
  }

  /** Stops a store's jobs (uninstall): every queued, retrying or running one is cancelled. Returns how many. */
  async cancelStore(storeId: string): Promise<number> {
    const result = await this.#database.db.execute(
      sql`select id, name from pgboss.job where state in ('created', 'retry', 'active') and data->'payload'->>'storeId' = ${storeId}`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { id: string; name: string }[];
    const byQueue = new Map<string, string[]>();
    for (const r of rows) byQueue.set(r.name, [...(byQueue.get(r.name) ?? []), r.id]);
    for (const [name, ids] of byQueue) await this.boss.cancel(name, ids);
    return rows.length;
  }

  /** Jobs that failed for good, newest first. */
  async deadLetters(limit = 50): Promise<DeadLetter[]> {
    const result = await this.#database.db.execute(
      sql`select id, data, output, created_on from pgboss.job where name = ${DEAD_LETTER_QUEUE} order by created_on desc limit ${limit}`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
      id: string;
      data: Envelope;
      output: unknown;
      created_on: Date | string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      job: r.data.job,
      payload: r.data.payload,
      error: describeOutput(r.output),
      failedAt: new Date(r.created_on),
    }));
  }

  /** Waiting, retrying and running jobs across the registered queues. */
  async backlog(): Promise<number> {
    let total = 0;
    for (const def of this.#registry.all()) total += await this.boss.getQueueSize(def.name, { before: 'completed' });
    return total;
  }

  async stop(options: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#working = false;
    for (const timer of this.#wakes) clearTimeout(timer);
    this.#wakes.clear();
    const loops = this.#loops.splice(0);
    for (const loop of loops) loop.wake();
    // Graceful: each loop ends its fetch and its jobs (up to timeoutMs). Whatever is still running
    // then, or at once when not graceful, is failed so that pg-boss retries it elsewhere.
    if (options.graceful ?? true) await settledWithin([...loops.map((l) => l.done), ...this.#ticks], options.timeoutMs ?? 10_000);
    for (const loop of loops) {
      for (const id of loop.active) await this.boss.fail(loop.name, id, { message: 'the worker stopped while the job was running' }).catch(() => undefined);
    }
    await this.boss.stop({ graceful: false, wait: true, close: !this.#database.executor });
  }
}

/** One polling loop of `work()`: a queue in this process, the jobs it runs, how to wake it. */
interface WorkLoop {
  name: string;
  active: Set<string>;
  done: Promise<void>;
  wake: () => void;
}

/** `promise`, or a rejection naming `what` once `seconds` have passed (a job past its expiry is failed, as pg-boss's worker does). */
async function withinSeconds<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  if (!(seconds > 0)) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), seconds * 1000)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once every promise has settled, or after `ms`, whichever is first. */
async function settledWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

const storePayload = z.object({ storeId: z.uuid() });
const storeOf = (payload: unknown): string | undefined => storePayload.safeParse(payload).data?.storeId;

function describeOutput(output: unknown): string {
  if (output && typeof output === 'object' && 'message' in output && typeof output.message === 'string') return output.message;
  return output === null || output === undefined ? 'unknown error' : JSON.stringify(output);
}
