/**
 * Lightspeed's webhook retry schedule (x-series-api.lightspeedhq.com/docs/webhooks, "Request
 * timeout and retries"): "The server listening for webhooks has 5 seconds to respond with a 2xx
 * response … If there is no response within that time or the server responds with an error, the
 * request will time out and it will be retried. The request will be retried up to 20 times over
 * 48h and those retries will be scheduled with exponential back-off."
 *
 * The docs give the count, the window and the shape, not the delays: here they grow by one
 * constant factor from `firstDelayMs`, the factor chosen so the 20 delays add up to exactly 48 h.
 */

export const WEBHOOK_TIMEOUT_MS = 5_000;
export const WEBHOOK_RETRIES = 20;
export const WEBHOOK_RETRY_WINDOW_MS = 48 * 3_600_000;
/** Undocumented: the first retry comes 30 s after the failed attempt. */
export const WEBHOOK_FIRST_RETRY_MS = 30_000;

export interface BackoffOptions {
  retries: number;
  windowMs: number;
  firstDelayMs: number;
}

/** Delays before retry 1…n: first·r⁰, first·r¹, …, with Σ = windowMs. */
export function exponentialBackoff({ retries, windowMs, firstDelayMs }: BackoffOptions): number[] {
  if (retries <= 0) return [];
  if (firstDelayMs * retries >= windowMs) return Array.from({ length: retries }, () => Math.floor(windowMs / retries));
  const total = (r: number) => firstDelayMs * (r === 1 ? retries : (r ** retries - 1) / (r - 1));
  let low = 1;
  let high = 2;
  while (total(high) < windowMs) high *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (total(mid) < windowMs) low = mid;
    else high = mid;
  }
  const delays = Array.from({ length: retries }, (_, i) => Math.floor(firstDelayMs * low ** i));
  return delays;
}

export const LIGHTSPEED_RETRY_DELAYS_MS = exponentialBackoff({
  retries: WEBHOOK_RETRIES,
  windowMs: WEBHOOK_RETRY_WINDOW_MS,
  firstDelayMs: WEBHOOK_FIRST_RETRY_MS,
});
