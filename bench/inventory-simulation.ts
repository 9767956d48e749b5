/**
 * The long series of the inventory + orders simulation (tests/support/inventory-simulation.ts):
 * SCENARIOS seeded scenarios (default 10,000) in one stock mode (MODE: default-location or
 * aggregated; `npm run bench:inventory` runs both, one process each), in rounds of SLOTS
 * concurrent scenarios shared among STORES stores (each its own sandboxes, Lightspeed retailer,
 * database and worker; a store's rounds one after another, keeping to its retailer's Lightspeed
 * quota), on Postgres when TEST_DATABASE_URL is set (else PGlite: one store, rounds of 40).
 * Defaults as CI's suite: four stores, rounds of 125. Prints the scenarios run, oversold units
 * (must be 0), convergence p50 / p95 / p99 / max (wall time from a scenario's last event to
 * BigCommerce's last write for it), writes, orders, bookings, double bookings and duplicates
 * injected, every ROUND_REPORT rounds and at the end; MAX_MINUTES stops it early (the figures
 * then say how many ran). Exits non-zero if any scenario failed.
 */
import { openDatabase } from '../src/db/client';
import { createScratchDatabase, pgliteTarget, testDatabaseUrl, type TestDatabase } from '../tests/support/db';
import { describeFailure, describeTotals, openSimulation, summarise, type ScenarioRecord, type Simulation, type StockMode } from '../tests/support/inventory-simulation';

const mode = (process.env.MODE ?? 'default-location') as StockMode;
if (mode !== 'default-location' && mode !== 'aggregated') throw new Error('MODE must be default-location or aggregated');
const total = Number(process.env.SCENARIOS ?? 10_000);
const stores = testDatabaseUrl ? Math.max(1, Number(process.env.STORES ?? 4)) : 1;
const slots = Math.min(total, Number(process.env.SLOTS ?? (testDatabaseUrl ? 125 : 40)));
const maxMinutes = Number(process.env.MAX_MINUTES ?? 0);
const firstSeed = Number(process.env.FIRST_SEED ?? 1);
const roundReport = Number(process.env.ROUND_REPORT ?? 4);

/**
 * A store's database. Both modes run at once (`npm run bench:inventory`), so each process keeps
 * to half of SIM_CONNECTIONS (80 of the server's 100 by default), split among its stores: the app
 * pool and the job queue's own.
 */
async function database(): Promise<{ t: TestDatabase; queuePoolMax?: number }> {
  if (!testDatabaseUrl) return { t: await pgliteTarget.open() };
  const budget = Math.floor(Number(process.env.SIM_CONNECTIONS ?? 80) / (2 * stores));
  const queuePoolMax = Math.max(3, Math.floor(budget * 0.4));
  const scratch = await createScratchDatabase(testDatabaseUrl);
  const db = await openDatabase({ url: scratch.url, max: Math.max(4, budget - queuePoolMax) });
  return { t: { database: db, url: scratch.url, cleanup: async () => (await db.close(), await scratch.drop()) }, queuePoolMax };
}

function report(records: ScenarioRecord[], started: number, final: boolean) {
  const s = summarise(records);
  const seconds = (Date.now() - started) / 1000;
  console.log(`${final ? 'FINAL' : 'so far'} ${mode}: scenarios ${s.scenarios} (failed ${s.failed.length}) on ${stores} store(s) in ${Math.round(seconds)} s (${(s.scenarios / (seconds / 60)).toFixed(1)} per minute); ${describeTotals(s)}`);
  return s;
}

async function main() {
  const harnesses: { t: TestDatabase; sim: Simulation }[] = [];
  for (let k = 0; k < stores; k++) {
    const { t, queuePoolMax } = await database();
    harnesses.push({ t, sim: await openSimulation(t, { mode, slots, ...(queuePoolMax ? { queuePoolMax } : {}) }) });
  }
  const rounds: number[][] = [];
  for (let seed = firstSeed; seed < firstSeed + total; seed += slots) rounds.push(Array.from({ length: Math.min(slots, firstSeed + total - seed) }, (_, i) => seed + i));
  const started = Date.now();
  const records: ScenarioRecord[] = [];
  let roundsDone = 0;
  let stopped = false;
  try {
    // Round r runs on store r mod STORES; each store's rounds one after another.
    await Promise.all(
      harnesses.map(async ({ sim }, k) => {
        for (let r = k; r < rounds.length; r += harnesses.length) {
          if (maxMinutes > 0 && Date.now() - started > maxMinutes * 60_000) {
            stopped = true;
            return;
          }
          const round = await sim.runRound(rounds[r]!);
          records.push(...round);
          for (const f of round.filter((x) => x.failures.length > 0)) console.log(describeFailure(f));
          if (++roundsDone % roundReport === 0) report(records, started, false);
        }
      }),
    );
  } finally {
    for (const { t, sim } of harnesses) {
      await sim.close();
      await t.cleanup();
    }
  }
  if (stopped) console.log(`stopped after ${maxMinutes} minute(s) (MAX_MINUTES)`);
  const s = report(records, started, true);
  process.exit(s.failed.length > 0 || s.oversoldUnits > 0 || s.doubleBookings > 0 ? 1 : 0);
}

void main();
