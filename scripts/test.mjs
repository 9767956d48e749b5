#!/usr/bin/env node
/**
 * `npm test`: every test. Makes sure Chromium is there (installs Debian's package when root,
 * otherwise stops and says how), builds the app for the end-to-end tests, then runs Vitest
 * (unit and integration on PGlite and, with TEST_DATABASE_URL, on Postgres; beside them, in a
 * second Vitest, end-to-end), then, with SIMULATION=1, the seeded inventory + orders simulation on
 * its own. Writes the results to test-results/vitest.json, vitest-e2e.json and simulation.json,
 * the totals to summary.json, and prints
 * `N passed, N failed`.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SIMULATION_FILES = ['tests/integration/inventory-simulation-default.test.ts', 'tests/integration/inventory-simulation-aggregated.test.ts'];

function ensureChromium() {
  if (existsSync(chromium)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || process.env.CHROMIUM_PATH) {
    console.error(
      `Chromium is needed for the browser tests and was not found at ${chromium}.\n` +
        'Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary, then run `npm test` again.',
    );
    process.exit(1);
  }
  console.log('Chromium not found: installing Debian\'s chromium package...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!existsSync(chromium)) {
    console.error(`apt-get finished but ${chromium} is still missing.`);
    process.exit(1);
  }
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status ?? 1;
}

ensureChromium();
mkdirSync('test-results', { recursive: true });

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
console.log('Building the app for the end-to-end tests...');
if (run('npx', ['next', 'build'], env) !== 0) {
  console.error('The build failed; no tests were run.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const args = process.argv.slice(2);

/**
 * Runs a command without blocking this process. With `quiet`, its output is kept and handed back
 * once it ends (so two runs side by side do not interleave); otherwise it prints as it goes.
 */
function runAsync(command, commandArgs, runEnv, quiet = false) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { env: runEnv, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const output = [];
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    child.on('close', (code) => resolve({ status: code ?? 1, output: Buffer.concat(output) }));
  });
}

const vitestArgs = (report) => ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
// The simulation's files stay out of this run (vitest.config.mts includes them when SIMULATION is set).
let status;
let reports;
if (args.length === 0) {
  // The end-to-end files (one at a time: each drives a browser against its own app server) mostly
  // wait on the browser and the server, where the integration files keep both CPUs busy: the two
  // projects run side by side, each in its own Vitest, instead of one after the other. The
  // integration files take three workers instead of four meanwhile, so as many test files run at
  // once as before (the load tests among them, such as intake fairness, timed out with five). The
  // integration run prints as it goes; the end-to-end run's output follows when it is done.
  reports = ['test-results/vitest.json', 'test-results/vitest-e2e.json'];
  for (const report of reports) rmSync(report, { force: true });
  const [unit, e2e] = await Promise.all([
    runAsync('npx', [...vitestArgs(reports[0]), '--project', 'unit', '--maxWorkers', '3'], { ...env, SIMULATION: '' }),
    runAsync('npx', [...vitestArgs(reports[1]), '--project', 'e2e'], { ...env, SIMULATION: '' }, true),
  ]);
  process.stdout.write(e2e.output);
  status = unit.status !== 0 ? unit.status : e2e.status;
} else {
  status = run('npx', [...vitestArgs('test-results/vitest.json'), ...args], { ...env, SIMULATION: '' });
  reports = ['test-results/vitest.json'];
}

/** Passed and failed tests of a Vitest JSON report (a report missing or unreadable counts as one failure). */
function counts(file) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    if (report.numPendingTests > 0) console.log(`(${report.numPendingTests} skipped: see the list above for why)`);
    return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

let passed = 0;
let failed = 0;
for (const report of reports) {
  const c = counts(report);
  passed += c.passed;
  failed += c.failed;
}
let simulationStatus = 0;
// The seeded inventory + orders simulation (`npm run test:simulation`: both stock modes side by
// side) with SIMULATION=1, after everything else and alone: its checks judge every write against
// what the app could know within a few seconds, which other test files competing for the two CPUs
// would blur. CI runs it (`.ci/run`); plain `npm test` leaves it out (500 scenarios per mode: about five minutes).
if (args.length === 0 && process.env.SIMULATION === '1') {
  rmSync('test-results/simulation.json', { force: true });
  console.log('The seeded inventory + orders simulation...');
  simulationStatus = run('npx', ['vitest', 'run', '--project', 'unit', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/simulation.json', ...SIMULATION_FILES], { ...env, SIMULATION: '1' });
  const sim = counts('test-results/simulation.json');
  passed += sim.passed;
  failed += sim.failed;
}
writeFileSync('test-results/summary.json', JSON.stringify({ passed, failed }));
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 ? status : simulationStatus !== 0 ? simulationStatus : failed > 0 ? 1 : 0);
