/**
 * The simulation's allowance for what the app may have computed a write with (check a,
 * `knownMaxOf` in tests/support/inventory-simulation.ts). No database, no sandboxes.
 */
import { describe, expect, it } from 'vitest';
import { knownMaxOf, PROCESS_MS } from '../support/inventory-simulation';

describe('knownMaxOf: the level the app may have read its database for a write', () => {
  const at = 100_000;

  it('the newest level served is always known', () => {
    expect(knownMaxOf([{ at: 10_000, version: 1, level: 3 }], at)).toBe(3);
  });

  it('a level served long ago and superseded before the window opened does not excuse a write', () => {
    const history = [
      { at: 10_000, version: 1, level: 8 },
      { at: at - PROCESS_MS - 1_000, version: 2, level: 6 },
    ];
    expect(knownMaxOf(history, at)).toBe(6);
  });

  it('the level that was still the newest when the window opened does: the run may have read it just then', () => {
    // Lightspeed served 8 long ago (a later change's webhook was dropped), then the safety-net
    // poll served 6 a second before the write landed. A run that read its database 4 s before
    // the write (within PROCESS_MS) computed with 8: the poll's answer had not come yet.
    const history = [
      { at: 10_000, version: 1, level: 8 },
      { at: at - 1_000, version: 2, level: 6 },
    ];
    expect(knownMaxOf(history, at)).toBe(8);
  });

  it('a record served late with an older version is ignored, as the app ignores it', () => {
    const history = [
      { at: 10_000, version: 2, level: 4 },
      { at: at - 1_000, version: 1, level: 9 },
    ];
    expect(knownMaxOf(history, at)).toBe(4);
  });

  it('levels served after the write landed do not count', () => {
    const history = [
      { at: 10_000, version: 1, level: 2 },
      { at: at + 1, version: 2, level: 9 },
    ];
    expect(knownMaxOf(history, at)).toBe(2);
  });
});
