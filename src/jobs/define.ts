/**
 * A job is a name, a zod payload schema, a handler and a retry policy. Payloads are validated
 * when sent (bad input never reaches the queue) and again when worked.
 */
import type { z } from 'zod';
import type { JobDeps } from './deps';

export interface RetryPolicy {
  /** Attempts after the first one. */
  limit: number;
  /** Base delay in seconds; with `backoff` each retry waits about twice as long, with jitter. */
  delaySeconds: number;
  backoff: boolean;
}

export const defaultRetry: RetryPolicy = { limit: 5, delaySeconds: 5, backoff: true };

export interface JobContext {
  jobId: string;
  /** 0 on the first attempt. */
  attempt: number;
  deps: JobDeps;
  /** Sends another job (validated like any send). */
  enqueue<S extends z.ZodType>(def: JobDefinition<S>, payload: z.input<S>, options?: { singletonKey?: string; startAfterSeconds?: number }): Promise<string | null>;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
  retry: RetryPolicy;
  /** A job still running after this long is considered lost and retried. */
  expireInSeconds: number;
  /** Run on a cron schedule (one instance per tick across every process). */
  schedule?: { cron: string; payload: z.input<S> };
  /**
   * Woken by work found in the database: every working process asks `find` every `everyMs` and
   * sends what it returns (a singleton key keeps one queued job per key across processes).
   */
  wake?: JobWake<S>;
  /**
   * Jobs of this queue a process runs side by side, each taken on its own (one slow job never
   * holds the others back). Without it, jobs are fetched in batches of the worker's concurrency.
   */
  slots?: number;
  handler: (payload: z.output<S>, ctx: JobContext) => Promise<void>;
}

export interface JobWake<S extends z.ZodType = z.ZodType> {
  everyMs: number;
  find: (deps: JobDeps) => Promise<{ payload: z.input<S>; singletonKey: string }[]>;
}

const NAME = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;

export function defineJob<S extends z.ZodType>(definition: {
  name: string;
  schema: S;
  handler: (payload: z.output<S>, ctx: JobContext) => Promise<void>;
  retry?: Partial<RetryPolicy>;
  expireInSeconds?: number;
  schedule?: { cron: string; payload: z.input<S> };
  wake?: JobWake<S>;
  slots?: number;
}): JobDefinition<S> {
  if (!NAME.test(definition.name)) throw new Error(`job name "${definition.name}" must be lower-case words joined by dots`);
  return {
    name: definition.name,
    schema: definition.schema,
    handler: definition.handler,
    retry: { ...defaultRetry, ...definition.retry },
    expireInSeconds: definition.expireInSeconds ?? 15 * 60,
    ...(definition.schedule ? { schedule: definition.schedule } : {}),
    ...(definition.wake ? { wake: definition.wake } : {}),
    ...(definition.slots ? { slots: definition.slots } : {}),
  };
}

export class JobRegistry {
  readonly #jobs = new Map<string, JobDefinition>();

  constructor(definitions: readonly JobDefinition[] = []) {
    for (const d of definitions) this.add(d);
  }

  add(definition: JobDefinition): this {
    if (this.#jobs.has(definition.name)) throw new Error(`job "${definition.name}" is registered twice`);
    this.#jobs.set(definition.name, definition);
    return this;
  }

  get(name: string): JobDefinition | undefined {
    return this.#jobs.get(name);
  }

  all(): JobDefinition[] {
    return [...this.#jobs.values()];
  }
}
