import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock';

describe('VirtualClock', () => {
  it('fires timers in due-time then creation order, including timers set while advancing', async () => {
    const clock = new VirtualClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 50);
    clock.setTimeout(() => {
      fired.push(`a@${clock.now()}`);
      clock.setTimeout(() => fired.push(`c@${clock.now()}`), 10);
    }, 20);
    const cancelled = clock.setTimeout(() => fired.push('never'), 30);
    clock.setTimeout(() => fired.push(`d@${clock.now()}`), 50);
    clock.clearTimeout(cancelled);
    await clock.advance(40);
    expect(fired).toEqual(['a@1020', 'c@1030']);
    expect(clock.now()).toBe(1_040);
    await clock.advance(100);
    expect(fired).toEqual(['a@1020', 'c@1030', 'b@1050', 'd@1050']);
    expect(clock.pending).toBe(0);
  });

  it('runs hours of timers without waiting for them', async () => {
    const clock = new VirtualClock(0);
    let count = 0;
    const tick = () => {
      count += 1;
      if (count < 48) clock.setTimeout(tick, 3_600_000);
    };
    clock.setTimeout(tick, 3_600_000);
    const started = Date.now();
    await clock.runAll();
    expect(count).toBe(48);
    expect(clock.now()).toBe(48 * 3_600_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
