/**
 * Lightspeed X-Series rate limit (x-series-api.lightspeedhq.com/docs/rate_limiting, research
 * §4): 300 × registers + 50 requests per 5-minute window, per retailer per application. Over
 * the limit → 429 `{"error":"Too Many Requests","message":"Rate limiting enforced"}` with
 * `Retry-After` as an HTTP date (RFC 1123), not seconds. Responses carry X-RateLimit-Limit and
 * X-RateLimit-Remaining; X-RateLimit-Reset (an HTTP date here) says when the window ends.
 */

export interface RateLimitOptions {
  windowMs: number;
  perRegister: number;
  base: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { windowMs: 5 * 60_000, perRegister: 300, base: 50 };

interface Window {
  startedAt: number;
  used: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: number;
}

export class RateLimiter {
  private windows = new Map<string, Window>();

  constructor(
    private options: RateLimitOptions,
    private readonly now: () => number,
  ) {}

  configure(options: Partial<RateLimitOptions>): void {
    this.options = { ...this.options, ...options };
    this.windows.clear();
  }

  get settings(): RateLimitOptions {
    return { ...this.options };
  }

  limitFor(registers: number): number {
    return this.options.perRegister * registers + this.options.base;
  }

  /** Count one request for `key` (retailer + application); refuse it when the window is spent. */
  take(key: string, registers: number): RateDecision {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now >= window.startedAt + this.options.windowMs) {
      window = { startedAt: now, used: 0 };
      this.windows.set(key, window);
    }
    const limit = this.limitFor(registers);
    const resetAt = window.startedAt + this.options.windowMs;
    if (window.used >= limit) return { allowed: false, limit, remaining: 0, resetAt };
    window.used += 1;
    return { allowed: true, limit, remaining: limit - window.used, resetAt };
  }

  reset(key?: string): void {
    if (key === undefined) this.windows.clear();
    else this.windows.delete(key);
  }
}

/** RFC 1123 date, rounded up to the next whole second so a client never retries early. */
export function httpDate(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toUTCString();
}

export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': String(decision.remaining),
    'x-ratelimit-reset': httpDate(decision.resetAt),
  };
}
