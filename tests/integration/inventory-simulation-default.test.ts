import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteTarget, postgresTarget, testDatabaseUrl, type TestDatabase } from '../support/db';
import { describeFailure, openSimulation, summarise, type Simulation } from '../support/inventory-simulation';

describe('simulation smoke', () => {
  let t: TestDatabase;
  let sim: Simulation;
  beforeAll(async () => {
    t = await (testDatabaseUrl ? postgresTarget(testDatabaseUrl) : pgliteTarget).open();
    sim = await openSimulation(t, { mode: 'default-location', slots: 8 });
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
    await t?.cleanup();
  });
  it('runs a round', async () => {
    const started = Date.now();
    const records = await sim.runRound([1, 2, 3, 4, 5, 6, 7, 8]);
    const s = summarise(records);
    console.log(JSON.stringify({ ...s, failed: s.failed.length, ms: Date.now() - started }));
    for (const f of s.failed) console.log(describeFailure(f));
    for (const r of records) console.log(r.seed, r.steps.join(', '));
    expect(s.failed).toEqual([]);
  }, 300_000);
});
