/**
 * The transport every endpoint goes through: base URL and bearer token, the retailer's
 * request budget, retries, typed errors, zod parsing and a call recorder for sync-health
 * metrics.
 *
 * Retries: a 429 is always retried after its `Retry-After` (the request was refused, so it
 * did not happen). 5xx answers, network errors and timeouts are retried with exponential
 * backoff and full jitter, but only for idempotent requests: a stock adjustment is a delta,
 * and replaying one whose answer was lost would count stock twice. For those the error says
 * `maybeProcessed` and the caller reconciles. A 401 renews the token once and repeats.
 */
import type { z } from 'zod';
import { LightspeedApiError, LightspeedNetworkError, LightspeedSchemaError } from './errors';
import type { RequestBudget } from './rate-limit';
import { parseRetryAfter } from './rate-limit';
import { backoffDelay } from './retry';
import { apiBaseUrl } from './urls';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface CallRecord {
  method: HttpMethod;
  /** Templated, e.g. `/products/{id}`, so metrics group by endpoint. */
  path: string;
  /** `null` when no answer arrived (network error or timeout). */
  status: number | null;
  durationMs: number;
  /** 1 for the first try. */
  attempt: number;
  error?: string;
}

export interface LightspeedAuth {
  accessToken(): Promise<string>;
  /** Called once after a 401; returns a token to retry with. */
  renewAfterRejection?(rejectedAccessToken: string): Promise<string>;
}

export interface TransportOptions {
  apiUrlTemplate: string;
  domainPrefix: string;
  auth: LightspeedAuth;
  budget: RequestBudget;
  recorder?: (call: CallRecord) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Attempts per request, first included. Default 6. */
  maxAttempts?: number;
  /** Backoff base and cap. Defaults 500 ms and 30 s. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  /** Longest 429 wait honoured before giving up with the 429. Default 10 minutes. */
  maxRetryAfterMs?: number;
}

export interface RequestSpec<T> {
  method: HttpMethod;
  /** Path template under the versioned base, e.g. `/products/{id}`. */
  path: string;
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  body?: unknown;
  /** Parses the 2xx body. */
  schema: z.ZodType<T>;
  /**
   * Safe to repeat after a 5xx or a lost answer. Defaults to true for GET, PUT and DELETE.
   * (A 429 is always retried: the request was refused.)
   */
  idempotent?: boolean;
  /** Non-2xx statuses handed to the schema instead of thrown (e.g. 409 on webhook create). */
  acceptStatuses?: readonly number[];
}

export interface LightspeedResponse<T> {
  status: number;
  data: T;
}

export class LightspeedTransport {
  readonly #o: Required<Pick<TransportOptions, 'fetch' | 'sleep' | 'now' | 'random' | 'maxAttempts' | 'backoffBaseMs' | 'backoffCapMs' | 'timeoutMs' | 'maxRetryAfterMs'>> & TransportOptions;
  readonly #base: string;

  constructor(options: TransportOptions) {
    this.#o = {
      fetch: (...args) => fetch(...args),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: Date.now,
      random: Math.random,
      maxAttempts: 6,
      backoffBaseMs: 500,
      backoffCapMs: 30_000,
      timeoutMs: 30_000,
      maxRetryAfterMs: 10 * 60 * 1000,
      ...stripUndefined(options),
    };
    this.#base = apiBaseUrl(options.apiUrlTemplate, options.domainPrefix);
  }

  get domainPrefix(): string {
    return this.#o.domainPrefix;
  }

  async request<T>(spec: RequestSpec<T>): Promise<LightspeedResponse<T>> {
    const o = this.#o;
    const url = this.#url(spec);
    const idempotent = spec.idempotent ?? spec.method !== 'POST';
    let token = await o.auth.accessToken();
    let renewed = false;
    let failedRetries = 0;

    for (let attempt = 1; ; attempt++) {
      const ticket = await o.budget.acquire();
      const started = o.now();
      let response: Response;
      let body: unknown;
      try {
        response = await o.fetch(url, {
          method: spec.method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          signal: AbortSignal.timeout(o.timeoutMs),
        });
        // Inside the try: the timeout also covers a body that stalls half-way.
        body = await readBody(response);
      } catch (error) {
        o.budget.settle(ticket);
        const timedOut = isTimeout(error);
        o.recorder?.({ method: spec.method, path: spec.path, status: null, durationMs: o.now() - started, attempt, error: timedOut ? 'timeout' : 'network' });
        if (idempotent && attempt < o.maxAttempts) {
          await o.sleep(backoffDelay(failedRetries++, { baseMs: o.backoffBaseMs, capMs: o.backoffCapMs, random: o.random }));
          continue;
        }
        throw new LightspeedNetworkError(spec.method, spec.path, timedOut, !idempotent, { cause: error });
      }

      o.budget.observe(response.headers, ticket);
      const durationMs = o.now() - started;
      const status = response.status;
      const record = (error?: string) => o.recorder?.({ method: spec.method, path: spec.path, status, durationMs, attempt, ...(error ? { error } : {}) });

      if ((status >= 200 && status < 300) || spec.acceptStatuses?.includes(status)) {
        const parsed = spec.schema.safeParse(body);
        if (!parsed.success) {
          record('schema');
          throw new LightspeedSchemaError(spec.method, spec.path, parsed.error.issues);
        }
        record();
        return { status, data: parsed.data };
      }

      if (status === 401 && !renewed && o.auth.renewAfterRejection) {
        record('unauthorized');
        renewed = true;
        token = await o.auth.renewAfterRejection(token);
        continue;
      }

      if (status === 429 && attempt < o.maxAttempts) {
        const now = o.now();
        const until = parseRetryAfter(response.headers.get('retry-after'), now);
        const wait = until !== undefined ? until - now : backoffDelay(failedRetries++, { baseMs: o.backoffBaseMs, capMs: o.backoffCapMs, random: o.random });
        // Pause the whole retailer, not just this request: every queued call would get a 429 too.
        o.budget.pauseUntil(now + Math.max(0, wait));
        if (wait <= o.maxRetryAfterMs) {
          record('rate-limited');
          continue;
        }
      }

      if (status >= 500 && idempotent && attempt < o.maxAttempts) {
        record('server');
        await o.sleep(backoffDelay(failedRetries++, { baseMs: o.backoffBaseMs, capMs: o.backoffCapMs, random: o.random }));
        continue;
      }

      record(status >= 500 ? 'server' : 'client');
      throw new LightspeedApiError(status, spec.method, spec.path, body, status >= 500 && !idempotent);
    }
  }

  #url(spec: RequestSpec<unknown>): string {
    const path = spec.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = spec.params?.[name];
      if (value === undefined || value === '') throw new Error(`missing path parameter ${name} for ${spec.path}`);
      return encodeURIComponent(value);
    });
    const url = new URL(`${this.#base}${path}`);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value as readonly string[]) url.searchParams.append(key, v);
      else url.searchParams.set(key, String(value));
    }
    return url.toString();
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
