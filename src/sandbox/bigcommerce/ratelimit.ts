/**
 * BigCommerce's per-store request quota: a window of 30 s whose size depends on the store's plan
 * (api-rate-limits guide: Plus & Standard 150 / 30 s, Pro 450 / 30 s, Enterprise "by plan and
 * resource"), shared by every app on the store. Every API response reports the window through
 * the X-Rate-Limit-* headers; over quota the platform answers 429 and adds X-Retry-After (s).
 * Windows are measured on the sandbox's clock, so a VirtualClock moves them too.
 */
import type { StoreState } from './types';

export interface Quota {
  requests: number;
  windowMs: number;
}

const WINDOW_MS = 30_000;

/**
 * Documented quotas per plan. Enterprise has none published ("by plan and resource"): the
 * sandbox gives it Pro's quota unless the `enterpriseQuota` policy (or a store's own quota) says
 * otherwise.
 */
export const PLAN_QUOTAS: Record<string, Quota> = {
  Standard: { requests: 150, windowMs: WINDOW_MS },
  Plus: { requests: 150, windowMs: WINDOW_MS },
  Pro: { requests: 450, windowMs: WINDOW_MS },
};

export const DEFAULT_ENTERPRISE_QUOTA: Quota = { requests: 450, windowMs: WINDOW_MS };

/** The quota a request to `store` meets: the store's own, else the sandbox-wide override, else its plan's. */
export function quotaFor(store: StoreState, override: Quota | undefined, enterprise: Quota): Quota {
  if (store.quota) return store.quota;
  if (override) return override;
  if (store.plan.level === 'Enterprise') return enterprise;
  return PLAN_QUOTAS[store.plan.level] ?? PLAN_QUOTAS.Standard!;
}

export interface RateState {
  allowed: boolean;
  left: number;
  quota: number;
  windowMs: number;
  resetMs: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  consume(hash: string, quota: Quota, now: number): RateState {
    let window = this.windows.get(hash);
    if (!window || now - window.start >= quota.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(hash, window);
    }
    const resetMs = Math.max(0, window.start + quota.windowMs - now);
    if (window.count >= quota.requests) return { allowed: false, left: 0, quota: quota.requests, windowMs: quota.windowMs, resetMs };
    window.count += 1;
    return { allowed: true, left: quota.requests - window.count, quota: quota.requests, windowMs: quota.windowMs, resetMs };
  }

  peek(hash: string, quota: Quota, now: number): RateState {
    const window = this.windows.get(hash);
    const fresh = !window || now - window.start >= quota.windowMs;
    const used = fresh ? 0 : window.count;
    const resetMs = fresh ? quota.windowMs : Math.max(0, window.start + quota.windowMs - now);
    return { allowed: used < quota.requests, left: Math.max(0, quota.requests - used), quota: quota.requests, windowMs: quota.windowMs, resetMs };
  }

  reset(hash?: string): void {
    if (hash === undefined) this.windows.clear();
    else this.windows.delete(hash);
  }
}

export function rateHeaders(state: RateState, retryAfter = false): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Rate-Limit-Requests-Left': String(state.left),
    'X-Rate-Limit-Requests-Quota': String(state.quota),
    'X-Rate-Limit-Time-Window-Ms': String(state.windowMs),
    'X-Rate-Limit-Time-Reset-Ms': String(state.resetMs),
  };
  if (retryAfter) headers['X-Retry-After'] = String(Math.max(1, Math.ceil(state.resetMs / 1000)));
  return headers;
}
