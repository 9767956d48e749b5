/**
 * BigCommerce's per-store quota, followed from its own response headers (research §7,
 * guides/api-docs_getting-started_api-rate-limits.mdx):
 *
 *   X-Rate-Limit-Requests-Quota   requests allowed per window (150 on Standard/Plus, 450 on Pro)
 *   X-Rate-Limit-Requests-Left    requests left in the current window
 *   X-Rate-Limit-Time-Window-Ms   window length in milliseconds (30000)
 *   X-Rate-Limit-Time-Reset-Ms    milliseconds until the current window resets
 *   X-Retry-After                 seconds to wait, sometimes sent with a 429
 *
 * All apps on a store share its quota, so the limiter belongs to the store, not to a client
 * instance: `limiterFor(storeHash)` hands every client in this process the same one.
 *
 * How it decides: the newest report (by the order requests were *sent*) says how many requests
 * are left; every request granted after that report's request, and every request that was in
 * flight when that request was sent, is assumed not yet counted by the server. (Requests overtake
 * one another on the way: one sent earlier can reach the server later and even be answered
 * first, so an earlier request's answer does not mean the report counted it.) When that estimate
 * reaches a small reserve, callers queue (first in, first out) until the window resets. When
 * the estimated reset passes, the window is assumed fresh until a newer report says otherwise.
 * Before the first report nothing is known, so one request probes alone; a store whose answers
 * carry no rate-limit headers (the Unlimited plan) is not limited at all.
 */

export interface RateLimitReport {
  quota: number;
  left: number;
  windowMs: number;
  resetMs: number;
}

/** The four quota headers, or undefined when any is missing or not a number (header names are case-insensitive). */
export function parseRateLimitHeaders(headers: Headers): RateLimitReport | undefined {
  const quota = nonNegative(headers.get('x-rate-limit-requests-quota'));
  const left = nonNegative(headers.get('x-rate-limit-requests-left'));
  const windowMs = nonNegative(headers.get('x-rate-limit-time-window-ms'));
  const resetMs = nonNegative(headers.get('x-rate-limit-time-reset-ms'));
  if (quota === undefined || left === undefined || windowMs === undefined || resetMs === undefined) return undefined;
  return { quota, left, windowMs, resetMs };
}

/**
 * How long a 429 asks us to wait: the longer of `X-Rate-Limit-Time-Reset-Ms` (milliseconds) and
 * `X-Retry-After` (seconds). Undefined when neither is present, which BigCommerce documents as
 * platform load rather than quota: the caller then backs off exponentially instead.
 */
export function rateLimitWaitMs(headers: Headers): number | undefined {
  const resetMs = nonNegative(headers.get('x-rate-limit-time-reset-ms'));
  const retryAfterSeconds = nonNegative(headers.get('x-retry-after'));
  const retryAfterMs = retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000;
  if (resetMs === undefined && retryAfterMs === undefined) return undefined;
  return Math.max(resetMs ?? 0, retryAfterMs ?? 0);
}

function nonNegative(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export interface RateLimitPermit {
  /** Call exactly once: with the response when one arrived, without when the request failed. */
  release(response?: { status: number; headers: Headers }): void;
}

export interface RateLimiterState {
  mode: 'unknown' | 'limited' | 'unlimited';
  quota: number | undefined;
  /** Requests the limiter would still grant in this window, after the reserve. */
  available: number;
  inFlight: number;
  queued: number;
  /** Clock time at which the current window is expected to reset. */
  windowEndsAt: number | undefined;
}

export interface RateLimiter {
  /** Resolves when a request may be sent. */
  acquire(): Promise<RateLimitPermit>;
  /** A 429 told us to wait: nobody sends for `waitMs`, then a fresh window is assumed. */
  pause(waitMs: number): void;
  state(): RateLimiterState;
}

export interface RateLimiterOptions {
  /** Milliseconds on a monotonic clock. */
  now?: () => number;
  /** Resolves once `now()` has moved on by at least `ms` (a test's virtual sleep must advance its clock). */
  sleep?: (ms: number) => Promise<void>;
  /** Requests kept back from every window, for other apps on the store and for clock skew. */
  reserve?: number;
}

export const DEFAULT_RESERVE = 5;

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  // Monotonic: a wall-clock jump must not end or extend a wait.
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? defaultSleep;
  const reserve = options.reserve ?? DEFAULT_RESERVE;

  let mode: RateLimiterState['mode'] = 'unknown';
  let quota = 0;
  let windowMs = 0;
  let windowEndsAt = 0;
  // The newest report: how many were left when request #baseSeq was processed, and how many
  // requests were in flight at that moment (they may not have been counted yet).
  let baseLeft = 0;
  let baseSeq = 0;
  let uncountedInFlight = 0;
  let pausedUntil = 0;

  let nextSeq = 1;
  const inFlight = new Set<number>();
  const queue: Array<(permit: RateLimitPermit) => void> = [];
  let wakeAt: number | undefined;

  function rollOver(at: number): void {
    if (mode !== 'limited' || at < windowEndsAt) return;
    // The window we knew has ended. Assume a full one; requests in flight may land in it.
    baseLeft = quota;
    baseSeq = nextSeq - 1;
    uncountedInFlight = inFlight.size;
    windowEndsAt = at + windowMs;
  }

  function available(): number {
    if (mode === 'unlimited') return Number.POSITIVE_INFINITY;
    if (mode === 'unknown') return inFlight.size === 0 ? 1 : 0;
    const grantedSince = nextSeq - 1 - baseSeq;
    // A tiny quota (a sandbox, a throttled store) must not be swallowed whole by the reserve.
    const kept = Math.min(reserve, Math.floor(quota / 10));
    return baseLeft - grantedSince - uncountedInFlight - kept;
  }

  function grant(resolve: (permit: RateLimitPermit) => void): void {
    const seq = nextSeq++;
    // Sent before this one and not answered yet: any of them may reach the server after it.
    const overtakable = inFlight.size;
    inFlight.add(seq);
    let released = false;
    resolve({
      release(response?: { status: number; headers: Headers }) {
        if (released) return;
        released = true;
        const report = response ? parseRateLimitHeaders(response.headers) : undefined;
        inFlight.delete(seq);
        if (report) apply(seq, report, overtakable);
        // Only a success without quota headers means "no quota" (the Unlimited plan); a 5xx from
        // a proxy without them says nothing about the quota.
        else if (response && response.status >= 200 && response.status < 300 && mode === 'unknown') mode = 'unlimited';
        pump();
      },
    });
  }

  function apply(seq: number, report: RateLimitReport, overtakable: number): void {
    // A report older than the one we hold says less than we already know.
    if (mode === 'limited' && seq <= baseSeq) return;
    mode = 'limited';
    quota = Math.max(report.quota, 1);
    windowMs = report.windowMs;
    baseLeft = report.left;
    baseSeq = seq;
    uncountedInFlight = overtakable;
    windowEndsAt = Math.max(now() + report.resetMs, pausedUntil);
  }

  function pump(): void {
    const at = now();
    if (at >= pausedUntil) rollOver(at);
    while (queue.length > 0 && at >= pausedUntil && available() > 0) grant(queue.shift()!);
    if (queue.length === 0) return;
    // Still waiting: wake when the pause ends or the window resets. Otherwise only requests in
    // flight hold us back, and their release pumps again.
    const target = at < pausedUntil ? pausedUntil : mode === 'limited' && windowEndsAt > at ? windowEndsAt : undefined;
    if (target === undefined) return;
    if (wakeAt !== undefined && wakeAt > at && wakeAt <= target) return;
    wakeAt = target;
    void sleep(target - at).then(() => {
      if (wakeAt === target) wakeAt = undefined;
      pump();
    });
  }

  return {
    acquire() {
      return new Promise<RateLimitPermit>((resolve) => {
        queue.push(resolve);
        pump();
      });
    },
    pause(waitMs: number) {
      const until = now() + waitMs;
      if (until <= pausedUntil) return;
      pausedUntil = until;
      if (mode === 'limited') {
        // Nothing is left until the pause ends; then the window is fresh.
        baseLeft = 0;
        baseSeq = nextSeq - 1;
        uncountedInFlight = 0;
        windowEndsAt = Math.max(windowEndsAt, until);
      }
      pump();
    },
    state() {
      const a = available();
      return {
        mode,
        quota: mode === 'limited' ? quota : undefined,
        available: Number.isFinite(a) ? Math.max(0, a) : a,
        inFlight: inFlight.size,
        queued: queue.length,
        windowEndsAt: mode === 'limited' ? windowEndsAt : undefined,
      };
    },
  };
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const limiters = new Map<string, RateLimiter>();

/** The one limiter for a store in this process, shared by every client talking to it. */
export function limiterFor(storeHash: string): RateLimiter {
  let limiter = limiters.get(storeHash);
  if (!limiter) {
    limiter = createRateLimiter();
    limiters.set(storeHash, limiter);
  }
  return limiter;
}
