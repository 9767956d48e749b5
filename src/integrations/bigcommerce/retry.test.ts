import { describe, expect, it } from 'vitest';
import { backoffDelayMs, classifyFetchFailure, classifyStatus, isIdempotentByDefault, isRetryable } from './retry';

const options = { baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelayMs (exponential, full jitter)', () => {
  it('doubles the ceiling each retry and caps it at the maximum', () => {
    const justUnderOne = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(retry, justUnderOne, options))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('spreads the delay uniformly between zero and the ceiling', () => {
    expect(backoffDelayMs(3, () => 0, options)).toBe(0);
    expect(backoffDelayMs(3, () => 0.5, options)).toBe(200);
    expect(backoffDelayMs(3, () => 0.25, options)).toBe(100);
  });

  it('stays within bounds even if the random source misbehaves', () => {
    expect(backoffDelayMs(2, () => 7, options)).toBe(200);
    expect(backoffDelayMs(2, () => -1, options)).toBe(0);
  });
});

describe('isRetryable', () => {
  it('retries 429 and never-connected requests for every method', () => {
    for (const idempotent of [true, false]) {
      expect(isRetryable('rate-limited', idempotent)).toBe(true);
      expect(isRetryable('not-connected', idempotent)).toBe(true);
    }
  });

  it('retries 5xx, timeouts and broken connections only when repeating is harmless', () => {
    for (const kind of ['server-error', 'timeout', 'network'] as const) {
      expect(isRetryable(kind, true)).toBe(true);
      expect(isRetryable(kind, false)).toBe(false);
    }
  });

  it('never retries other 4xx', () => {
    expect(isRetryable('client-error', true)).toBe(false);
  });

  it('treats POST as the only non-idempotent method by default', () => {
    expect(isIdempotentByDefault('POST')).toBe(false);
    expect(['GET', 'PUT', 'DELETE'].map((m) => isIdempotentByDefault(m as 'GET'))).toEqual([true, true, true]);
  });
});

describe('classification', () => {
  it('maps statuses', () => {
    expect([200, 204, 400, 404, 422, 429, 500, 503].map(classifyStatus)).toEqual([
      undefined,
      undefined,
      'client-error',
      'client-error',
      'client-error',
      'rate-limited',
      'server-error',
      'server-error',
    ]);
  });

  it('tells timeouts, refused connections and broken ones apart', () => {
    expect(classifyFetchFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toBe('timeout');
    expect(classifyFetchFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }))).toBe('not-connected');
    expect(classifyFetchFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('socket'), { code: 'ECONNRESET' }) }))).toBe('network');
    expect(classifyFetchFailure(new TypeError('fetch failed'))).toBe('network');
  });
});
