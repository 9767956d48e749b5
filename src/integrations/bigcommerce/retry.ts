/**
 * When to try a request again and how long to wait first. Pure functions, so the schedule is
 * tested with an injected `random` and never with timers.
 */
import type { HttpMethod } from './errors';

export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  baseDelayMs: number;
  /** No delay ceiling grows past this. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 500, maxDelayMs: 20_000 };

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, base·2^(retry−1))).
 * Full jitter spreads a crowd of retrying workers instead of having them return in step.
 * `retry` is 1 for the first retry.
 */
export function backoffDelayMs(retry: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

/**
 * Whether a failed attempt may be sent again without risking doing its work twice.
 *
 * - 429 was refused before any work: always safe.
 * - A 5xx, a timeout or a dropped connection may have been applied. GET, PUT and DELETE are
 *   idempotent, and so is a POST the endpoint marks idempotent (a refund *quote*, a webhook whose
 *   scope+destination is unique). A relative stock adjustment or a refund is not: retrying it
 *   could move stock or money twice, so it surfaces the error for the caller to reconcile.
 * - A connection that was never opened did nothing: safe for every method.
 */
export type FailureKind = 'rate-limited' | 'server-error' | 'timeout' | 'network' | 'not-connected' | 'client-error';

export function isRetryable(kind: FailureKind, idempotent: boolean): boolean {
  switch (kind) {
    case 'rate-limited':
    case 'not-connected':
      return true;
    case 'server-error':
    case 'timeout':
    case 'network':
      return idempotent;
    case 'client-error':
      return false;
  }
}

export function isIdempotentByDefault(method: HttpMethod): boolean {
  return method !== 'POST';
}

/** Failures from `fetch` itself: a timeout, a connection that never opened, or one that broke. */
export function classifyFetchFailure(error: unknown): 'timeout' | 'not-connected' | 'network' {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const code = errorCode(error);
  if (code && NOT_CONNECTED_CODES.has(code)) return 'not-connected';
  return 'network';
}

const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function classifyStatus(status: number): FailureKind | undefined {
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  return undefined;
}
