/**
 * The long series of the inventory + orders simulation (tests/support/inventory-simulation.ts):
 * SCENARIOS seeded scenarios (default 10,000) in one stock mode (MODE: default-location or
 * aggregated; `npm run bench:inventory` runs both, one process each), in rounds of SLOTS
 * concurrent scenarios, on Postgres when TEST_DATABASE_URL is set (else PGlite). Prints the
 * scenarios run, oversold units (must be 0), convergence p50 / p95 / p99 / max (wall time from a
 * scenario's last event to BigCommerce's last write for it), writes, orders, bookings, double
 * bookings and duplicates injected, every ROUND_REPORT rounds and at the end; MAX_MINUTES stops
 * it early (the figures then say how many ran). Exits non-zero if any scenario failed.
 */
import { openDatabase } from '../src/db/client';
import { createScratchDatabase, pgliteTarget, testDatabaseUrl, type TestDatabase } from '../tests/support/db';
import { describeFailure, describeTotals, openSimulation, summarise, type ScenarioRecord, type StockMode } from '../tests/support/inventory-simulation';

const mode = (process.env.MODE ?? 'default-location') as StockMode;
if (mode !== 'default-location' && mode !== 'aggregated') throw new Error('MODE must be default-location or aggregated');
const total = Number(process.env.SCENARIOS ?? 10_000);
const slots = Math.min(total, Number(process.env.SLOTS ?? 8));
const maxMinutes = Number(process.env.MAX_MINUTES ?? 0);
const firstSeed = Number(process.env.FIRST_SEED ?? 1);

async function database(): Promise<TestDatabase> {
  if (!testDatabaseUrl) return pgliteTarget.open();
  const scratch = await createScratchDatabase(testDatabaseUrl);
  const db = await openDatabase({ url: scratch.url, max: 24 });
  return { database: db, url: scratch.url, cleanup: async () => (await db.close(), await scratch.drop()) };
}

function report(records: ScenarioRecord[], started: number, final: boolean) {
  const s = summarise(records);
  const seconds = (Date.now() - started) / 1000;
  console.log(`${final ? 'FINAL' : 'so far'} ${mode}: scenarios ${s.scenarios} (failed ${s.failed.length}) in ${Math.round(seconds)} s (${(s.scenarios / (seconds / 60)).toFixed(1)} per minute); ${describeTotals(s)}`);
  return s;
}

async function main() {
  const t = await database();
  const sim = await openSimulation(t, { mode, slots });
  const started = Date.now();
  const records: ScenarioRecord[] = [];
  try {
    for (let seed = firstSeed; seed < firstSeed + total; seed += slots) {
      if (maxMinutes > 0 && Date.now() - started > maxMinutes * 60_000) {
        console.log(`stopped after ${maxMinutes} minute(s) (MAX_MINUTES)`);
        break;
      }
      const round = await sim.runRound(Array.from({ length: Math.min(slots, firstSeed + total - seed) }, (_, i) => seed + i));
      records.push(...round);
      for (const f of round.filter((r) => r.failures.length > 0)) console.log(describeFailure(f));
      if ((records.length / slots) % Number(process.env.ROUND_REPORT ?? 5) === 0) report(records, started, false);
    }
  } finally {
    await sim.close();
    await t.cleanup();
  }
  const s = report(records, started, true);
  process.exit(s.failed.length > 0 || s.oversoldUnits > 0 || s.doubleBookings > 0 ? 1 : 0);
}

void main();
