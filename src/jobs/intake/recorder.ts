/**
 * The hot path's only I/O: deliveries are recorded by one statement each, and under load many
 * deliveries share one statement (group commit). A delivery waits for the statement in flight
 * at most, never for a timer: alone it is written at once; arriving while statements run, it
 * joins the next batch. A delivery whose sender has gone before its batch is written is not
 * written (nothing works for a request nobody waits for); one that cannot be written within
 * `maxWaitMs` is refused with a retry hint rather than answered after the sender's deadline.
 */
import type { Database } from '../../db/client';
import { recordDeliveries, type NewDelivery, type RecordResult } from '../../db/repositories/intake';

export class IntakeBusy extends Error {
  readonly status = 503;
  /** The answer for the sender: both platforms retry a 503 later. */
  response(): Response {
    return Response.json({ error: this.message }, { status: 503, headers: { 'retry-after': String(this.retryAfterSeconds), 'cache-control': 'no-store' } });
  }
  constructor(readonly retryAfterSeconds: number) {
    super('the app is receiving more webhooks than it can record right now; retry shortly');
    this.name = 'IntakeBusy';
  }
}

export class SenderGone extends Error {
  /** Nobody reads the answer; 499 is the log's "client closed the request". */
  readonly status = 499;
  constructor() {
    super('the sender closed the request before it was recorded; nothing was stored');
    this.name = 'SenderGone';
  }
}

interface Pending {
  delivery: NewDelivery;
  at: number;
  signal?: AbortSignal;
  resolve(result: RecordResult): void;
  reject(error: unknown): void;
  timer?: ReturnType<typeof setTimeout>;
  done: boolean;
}

export interface RecorderOptions {
  /** Statements in flight at once (1 for PGlite's single connection). */
  maxInFlight: number;
  /** Deliveries per statement. */
  maxBatch: number;
  /** How long a delivery may wait for its statement before it is refused (under Lightspeed's 5 s). */
  maxWaitMs: number;
}

export interface RecorderStats {
  statements: number;
  recorded: number;
  refused: number;
  abandoned: number;
  largestBatch: number;
}

export class IntakeRecorder {
  readonly #db: Database['db'];
  readonly #options: RecorderOptions;
  readonly #pending: Pending[] = [];
  #inFlight = 0;
  readonly stats: RecorderStats = { statements: 0, recorded: 0, refused: 0, abandoned: 0, largestBatch: 0 };

  constructor(db: Database['db'], options: RecorderOptions) {
    this.#db = db;
    this.#options = options;
  }

  record(delivery: NewDelivery, signal?: AbortSignal): Promise<RecordResult> {
    if (signal?.aborted) {
      this.stats.abandoned++;
      return Promise.reject(new SenderGone());
    }
    return new Promise<RecordResult>((resolve, reject) => {
      const item: Pending = { delivery, at: Date.now(), signal, resolve, reject, done: false };
      item.timer = setTimeout(() => {
        if (item.done) return;
        const index = this.#pending.indexOf(item);
        if (index < 0) return; // already in a statement: its answer is on the way
        this.#pending.splice(index, 1);
        item.done = true;
        this.stats.refused++;
        reject(new IntakeBusy(1));
      }, this.#options.maxWaitMs);
      item.timer.unref?.();
      this.#pending.push(item);
      this.#schedule();
    });
  }

  #scheduled = false;

  /**
   * Writes on the next turn of the event loop, not at once: the requests whose bodies arrived in
   * the same turn join one statement. (PGlite runs each statement on this thread; written at
   * once, every delivery would be a batch of one, blocking the next one's arrival.)
   */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#options.maxInFlight && this.#pending.length > 0) {
      const batch: Pending[] = [];
      const keys = new Set<string>();
      while (batch.length < this.#options.maxBatch && this.#pending.length > 0) {
        const item = this.#pending[0]!;
        const key = `${item.delivery.platform}\n${item.delivery.deliveryKey}`;
        if (keys.has(key)) break; // a repeat of a delivery in this batch waits for the next one
        this.#pending.shift();
        if (item.signal?.aborted) {
          this.#settle(item);
          this.stats.abandoned++;
          item.reject(new SenderGone());
          continue;
        }
        keys.add(key);
        batch.push(item);
      }
      if (batch.length === 0) continue;
      this.#inFlight++;
      void this.#write(batch).finally(() => {
        this.#inFlight--;
        this.#schedule();
      });
    }
  }

  #settle(item: Pending): void {
    item.done = true;
    if (item.timer) clearTimeout(item.timer);
  }

  async #write(batch: Pending[]): Promise<void> {
    this.stats.statements++;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    try {
      const results = await recordDeliveries(this.#db, batch.map((b) => b.delivery));
      batch.forEach((item, i) => {
        this.#settle(item);
        this.stats.recorded++;
        item.resolve(results[i]!);
      });
    } catch (error) {
      if (batch.length === 1) {
        this.#settle(batch[0]!);
        batch[0]!.reject(error);
        return;
      }
      // One bad delivery must not fail the others: each is written on its own.
      await Promise.all(
        batch.map(async (item) => {
          try {
            const [result] = await recordDeliveries(this.#db, [item.delivery]);
            this.#settle(item);
            this.stats.recorded++;
            item.resolve(result!);
          } catch (single) {
            this.#settle(item);
            item.reject(single);
          }
        }),
      );
    }
  }
}

const recorders = new WeakMap<object, IntakeRecorder>();

/** The process's recorder for a database (one per database, shared by both receivers). */
export function recorderFor(database: Pick<Database, 'db' | 'kind'>, options: Partial<RecorderOptions> = {}): IntakeRecorder {
  let recorder = recorders.get(database.db);
  if (!recorder) {
    recorder = new IntakeRecorder(database.db, {
      maxInFlight: database.kind === 'pglite' ? 1 : 3,
      maxBatch: 400,
      maxWaitMs: 4_000,
      ...options,
    });
    recorders.set(database.db, recorder);
  }
  return recorder;
}
