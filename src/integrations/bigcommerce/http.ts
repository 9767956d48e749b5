/**
 * The transport every BigCommerce endpoint module goes through: base URL and auth headers,
 * the store's rate limiter, retries, timeouts, zod-checked bodies, typed errors, and a report
 * of every attempt to an optional recorder so the app can log its API usage.
 *
 * Paths are given as templates (`/v3/catalog/products/{product_id}`) with their params apart,
 * so the recorder and errors name the endpoint, not the record.
 */
import type { z } from 'zod';
import { BigCommerceApiError, BigCommerceNetworkError, BigCommerceSchemaError, BigCommerceStaleRequestError, type HttpMethod } from './errors';
import { limiterFor, rateLimitWaitMs, type RateLimiter } from './rate-limit';
import { DEFAULT_BACKOFF, backoffDelayMs, classifyFetchFailure, classifyStatus, isIdempotentByDefault, isRetryable, type BackoffOptions, type FailureKind } from './retry';

export interface ApiCall {
  method: HttpMethod;
  /** Template without ids, e.g. `/v3/catalog/products/{product_id}`. */
  path: string;
  /** HTTP status, or 0 when no response arrived (network failure, timeout). */
  status: number;
  durationMs: number;
  /** 1 for the first attempt. */
  attempt: number;
  /** Set when this attempt failed and another follows after this many milliseconds. */
  retriedAfter?: number;
  error?: string;
}

export type ApiCallRecorder = (call: ApiCall) => void;

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;
export type QueryParams = Record<string, QueryValue>;

export interface BigCommerceHttpOptions {
  /** e.g. https://api.bigcommerce.com, or the sandbox's URL. */
  apiUrl: string;
  storeHash: string;
  accessToken: string;
  fetch?: typeof fetch;
  recorder?: ApiCallRecorder;
  /** Defaults to the process-wide limiter of this store (`limiterFor(storeHash)`). */
  limiter?: RateLimiter;
  /** Per attempt, including reading the body. */
  timeoutMs?: number;
  /** Retries after the first attempt for 5xx, timeouts and network failures. */
  maxRetries?: number;
  /** Retries after a 429; separate because waiting out a quota is expected, not a fault. */
  maxRateLimitRetries?: number;
  backoff?: Partial<BackoffOptions>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface RequestSpec {
  method: HttpMethod;
  /** Path template relative to the store, e.g. `/v3/catalog/products/{product_id}`. */
  path: string;
  params?: Record<string, string | number>;
  query?: QueryParams;
  body?: unknown;
  /** Whether repeating the request after an ambiguous failure is harmless; defaults to method !== POST. */
  idempotent?: boolean;
  /**
   * Whether a 429 is waited out and the same request sent again (default true). False for a
   * request computed from state that the wait makes stale (a stock write): the store's callers
   * are still held until the reset, but the 429 is thrown so the caller computes it afresh.
   */
  resendAfterRateLimit?: boolean;
  /**
   * For the same kind of request: the moment (Date.now()) after which it is not sent at all. When
   * the store's quota holds it past then, BigCommerceStaleRequestError is thrown instead.
   */
  freshUntil?: number;
}

export interface BigCommerceHttp {
  readonly storeHash: string;
  /** Sends a request and parses the JSON answer with `schema`. A 204/empty body yields `whenEmpty`, or fails the schema. */
  request<S extends z.ZodType>(spec: RequestSpec & { schema: S; whenEmpty?: z.output<S> }): Promise<z.output<S>>;
  /** Sends a request whose answer carries no body we need (204 No Content). */
  send(spec: RequestSpec): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_MAX_RATE_LIMIT_RETRIES = 10;

export function createBigCommerceHttp(options: BigCommerceHttpOptions): BigCommerceHttp {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const limiter = options.limiter ?? limiterFor(options.storeHash);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxRateLimitRetries = options.maxRateLimitRetries ?? DEFAULT_MAX_RATE_LIMIT_RETRIES;
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => performance.now());
  const base = `${options.apiUrl.replace(/\/+$/, '')}/stores/${encodeURIComponent(options.storeHash)}`;
  const headers = {
    'X-Auth-Token': options.accessToken,
    Accept: 'application/json',
    'Content-Type': 'application/json',
  };

  function record(call: ApiCall): void {
    try {
      options.recorder?.(call);
    } catch {
      // Logging API usage must never break the call it describes.
    }
  }

  /**
   * One request, with every retry. Failed attempts are recorded here; the final 2xx is returned
   * with its call unrecorded, so the caller can record it with a schema failure if there is one.
   */
  async function exchange(spec: RequestSpec): Promise<{ status: number; text: string; call: ApiCall }> {
    const url = base + buildPath(spec.path, spec.params) + buildQuery(spec.query);
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const idempotent = spec.idempotent ?? isIdempotentByDefault(spec.method);
    let faults = 0;
    let rateLimited = 0;

    for (let attempt = 1; ; attempt++) {
      const asked = Date.now();
      const permit = await limiter.acquire();
      if (spec.freshUntil !== undefined && Date.now() > spec.freshUntil) {
        permit.release();
        record({ method: spec.method, path: spec.path, status: 0, durationMs: 0, attempt, error: 'not sent: stale after waiting for the quota' });
        throw new BigCommerceStaleRequestError(spec.method, spec.path, Date.now() - asked);
      }
      const started = now();
      let response: Response | undefined;
      let text = '';
      let failure: unknown;
      try {
        response = await fetchImpl(url, { method: spec.method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
        text = await response.text();
      } catch (error) {
        failure = error;
      } finally {
        permit.release(response);
      }
      const durationMs = Math.round(now() - started);
      const status = failure === undefined && response ? response.status : 0;
      const call = { method: spec.method, path: spec.path, status, durationMs, attempt };

      if (failure === undefined && status >= 200 && status < 300) return { status, text, call };

      const kind: FailureKind = failure !== undefined ? classifyFetchFailure(failure) : classifyStatus(status)!;
      const description = failure !== undefined ? describeFailure(kind, failure, timeoutMs) : `HTTP ${status}`;
      let waitMs: number | undefined;
      if (kind === 'rate-limited' && spec.resendAfterRateLimit === false) {
        // Not sent again: the store's callers are held until the reset all the same.
        const asked = response ? rateLimitWaitMs(response.headers) : undefined;
        if (asked !== undefined) limiter.pause(asked);
      } else if (kind === 'rate-limited' && rateLimited < maxRateLimitRetries) {
        rateLimited++;
        const asked = response ? rateLimitWaitMs(response.headers) : undefined;
        if (asked !== undefined) {
          // The quota is the store's: hold every caller, not just this one.
          limiter.pause(asked);
          waitMs = asked;
        } else {
          // A 429 without quota headers is platform load (research §7): back off like a fault.
          waitMs = backoffDelayMs(rateLimited, random, backoff);
        }
      } else if (kind !== 'rate-limited' && isRetryable(kind, idempotent) && faults < maxRetries) {
        faults++;
        waitMs = backoffDelayMs(faults, random, backoff);
      }

      if (waitMs === undefined) {
        record({ ...call, error: description });
        if (failure !== undefined) throw new BigCommerceNetworkError(spec.method, spec.path, kind === 'timeout', attempt, failure);
        throw new BigCommerceApiError(spec.method, spec.path, status, parseBody(text), attempt);
      }
      record({ ...call, retriedAfter: waitMs, error: description });
      // After a quota 429 the limiter already holds everyone until the reset; sleeping here too
      // keeps the wait honest even when the limiter was injected as a no-op.
      await sleep(waitMs);
    }
  }

  return {
    storeHash: options.storeHash,
    async request(spec) {
      const { status, text, call } = await exchange(spec);
      if (text.trim() === '' && spec.whenEmpty !== undefined) {
        record(call);
        return spec.whenEmpty;
      }
      const parsed = spec.schema.safeParse(text.trim() === '' ? undefined : parseBody(text));
      if (!parsed.success) {
        const error = new BigCommerceSchemaError(spec.method, spec.path, 'response', parsed.error.issues, status);
        record({ ...call, error: error.message });
        throw error;
      }
      record(call);
      return parsed.data;
    },
    async send(spec) {
      const { call } = await exchange(spec);
      record(call);
    },
  };
}

/** Fills `{name}` placeholders; a missing param is a programming error, caught before any request. */
export function buildPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{([a-z_]+)\}/gi, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter "${name}" for ${template}`);
    return encodeURIComponent(String(value));
  });
}

/**
 * BigCommerce filters look like `id:in=1,2,3`. Keys keep their `:`; array values are joined by
 * commas after each element is encoded, so a comma inside a SKU cannot split it.
 */
export function buildQuery(query: QueryParams | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const encodedKey = encodeURIComponent(key).replace(/%3A/gi, ':');
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      parts.push(`${encodedKey}=${value.map((v) => encodeURIComponent(String(v))).join(',')}`);
    } else {
      parts.push(`${encodedKey}=${encodeURIComponent(String(value))}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function describeFailure(kind: FailureKind, error: unknown, timeoutMs: number): string {
  if (kind === 'timeout') return `timeout after ${timeoutMs} ms`;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? `network: ${message} (${code})` : `network: ${message}`;
}

/** Checks a request body against its schema before anything is sent. */
export function checkRequest<S extends z.ZodType>(schema: S, value: unknown, method: HttpMethod, path: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BigCommerceSchemaError(method, path, 'request', parsed.error.issues);
  return parsed.data;
}
