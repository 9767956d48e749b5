/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"): the delay for retry n is uniform in [0, min(cap, base × 2ⁿ)). Full jitter spreads
 * retries of many workers that failed together, instead of having them collide again.
 */

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Uniform in [0, 1). */
  random: () => number;
}

/** `retry` counts from 0 (the delay before the second attempt). */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, retry));
  return Math.floor(options.random() * ceiling);
}
