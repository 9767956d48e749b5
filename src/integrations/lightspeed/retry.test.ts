import { describe, expect, it } from 'vitest';
import { backoffDelay } from './retry';

describe('backoffDelay (exponential, full jitter)', () => {
  const opts = (random: number) => ({ baseMs: 500, capMs: 30_000, random: () => random });

  it('is uniform in [0, base × 2ⁿ): the random draw scales the ceiling', () => {
    expect(backoffDelay(0, opts(0))).toBe(0);
    expect(backoffDelay(0, opts(0.5))).toBe(250);
    expect(backoffDelay(1, opts(0.5))).toBe(500);
    expect(backoffDelay(3, opts(0.5))).toBe(2000);
    expect(backoffDelay(3, opts(0.999999))).toBe(3999);
  });

  it('never exceeds the cap, however many retries', () => {
    expect(backoffDelay(10, opts(0.999999))).toBeLessThan(30_000);
    expect(backoffDelay(60, opts(0.5))).toBe(15_000);
  });

  it('spreads retries: many draws cover the whole range', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const delays = Array.from({ length: 2000 }, () => backoffDelay(4, { baseMs: 500, capMs: 30_000, random }));
    expect(Math.min(...delays)).toBeLessThan(400);
    expect(Math.max(...delays)).toBeGreaterThan(7600);
    expect(delays.every((d) => d >= 0 && d < 8000)).toBe(true);
  });
});
