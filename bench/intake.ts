/**
 * Webhook intake under load (issue 14): the production build as `npm start` serves it
 * (src/server/main.ts: the lean webhook receiver in front of Next.js; `--server next` for plain
 * `next start`), open-loop signed deliveries to both receivers (half BigCommerce
 * `store/sku/inventory/updated`, half Lightspeed `inventory.update`) at 100, 250, 500 and
 * 1,000/s for 30 s each; then a run at twice the highest rate that met the target; then one loud
 * store at 400/s beside 50 quiet ones at 1/s each (`--runs quiet`: the 50 alone, the baseline for
 * how long their deliveries wait to be worked). For each: achieved rate, ack p50/p95/p99/max,
 * non-2xx, answers past 5 s, and lost (deliveries answered `enqueued` with no inbox row).
 *
 * Postgres (BENCH_DATABASE_URL, a server URL; a scratch database is created and dropped): the
 * app runs with WORKER=off beside one `npm run worker` process, as the README runs production.
 * PGlite: the app alone with its in-app worker (the embedded database belongs to one process).
 *
 *   npx next build && npm run bench:intake                       (PGlite, and Postgres when set)
 *   npm run bench:intake -- --db postgres --rates 500 --seconds 10
 *
 * Options: --db pglite,postgres · --rates 100,250,500,1000 · --seconds 30 ·
 * --runs steady,overload,quiet,fairness · --capacity N (the overload line's base when no steady line
 * runs) · --server lean|next · --worker off · --acks FILE · --log FILE · --node-flags "…" ·
 * --worker-flags "…" · --port N.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase } from '../src/db/client';
import { SecretBox } from '../src/db/crypto';
import { forStore } from '../src/db/repositories/scoped';
import { storesRepository } from '../src/db/repositories/stores';
import { exchangeCode } from '../src/integrations/lightspeed/oauth';
import type { RunningServer } from '../src/sandbox/http';
import { createLightspeedSandbox, type LightspeedSandbox } from '../src/sandbox/lightspeed';
import { inventoryPayload } from '../src/sandbox/lightspeed/webhook-payloads';
import { type Ack, bigcommerceDelivery, type Delivery, lightspeedDelivery, openLoop, percentile, summarize } from '../tests/support/intake';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const serverUrl = process.env.BENCH_DATABASE_URL;
const targets = (arg('db') ?? (serverUrl ? 'pglite,postgres' : 'pglite')).split(',') as ('pglite' | 'postgres')[];
const RATES = (arg('rates') ?? '100,250,500,1000').split(',').map(Number);
const SECONDS = Number(arg('seconds') ?? 30);
const TARGET_P99_MS = 50;
const PORT = Number(arg('port') ?? 3917);
const QUIET_STORES = 50;
const RUNS = (arg('runs') ?? 'steady,overload,fairness').split(',');
const SERVER = arg('server') ?? 'lean';
/** `--log FILE`: the app's and the worker's output, appended (e.g. with NODE_OPTIONS=--trace-gc). */
const LOG_TO = arg('log');
/** `--node-flags "--trace-gc …"`, `--worker-flags "--cpu-prof …"`: flags for the app's and the worker's Node processes. */
/** `--worker off` (Postgres): no worker process, the receivers alone (the rows wait, undrained). */
const NODE_FLAGS = arg('node-flags')?.split(' ').filter(Boolean) ?? [];
/** `--acks FILE`: each steady line's answers (delivery number, ms, status) as a JSON line, to see when the slow ones came. */
const ACKS_TO = arg('acks');
const WORKER_FLAGS = arg('worker-flags')?.split(' ').filter(Boolean) ?? [];
if (SERVER !== 'lean' && SERVER !== 'next') throw new Error('--server must be lean (npm start) or next (next start)');

const ENCRYPTION_KEY = randomBytes(32).toString('hex');
const SESSION_SECRET = randomBytes(32).toString('hex');
// The sandbox platform secrets the app derives from its session secret (src/env.ts).
process.env.SESSION_SECRET = SESSION_SECRET;
process.env.ENCRYPTION_KEY = ENCRYPTION_KEY;
let bcSecret = '';
let lsSecret = '';

interface Store {
  id: string;
  hash: string;
}
interface Sent {
  acks: Ack[];
  seconds: number;
  deliveries: Delivery[];
  storeOf: string[];
}

const rows = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Lightspeed for the bench's stores: a sandbox in this process with a retailer per store, each
 * connected by the OAuth code exchange, so the drains' cursor reads are answered as a real
 * retailer's would be (under Lightspeed's rate limit), not refused for a placeholder token.
 */
const LS_CLIENT_ID = 'counterpart-bench';
const LS_CLIENT_SECRET = randomBytes(16).toString('hex');
let lightspeed: LightspeedSandbox | undefined;
let lightspeedServer: RunningServer | undefined;
async function startLightspeed(): Promise<void> {
  lightspeed = createLightspeedSandbox({ clientId: LS_CLIENT_ID, clientSecret: LS_CLIENT_SECRET, seed: false });
  lightspeedServer = await lightspeed.listen();
  process.env.LIGHTSPEED_CLIENT_ID = LS_CLIENT_ID;
  process.env.LIGHTSPEED_CLIENT_SECRET = LS_CLIENT_SECRET;
  process.env.LIGHTSPEED_AUTH_URL = lightspeedServer.url;
  process.env.LIGHTSPEED_API_URL = `${lightspeedServer.url}/{domain_prefix}`;
}

async function seed(database: Awaited<ReturnType<typeof openDatabase>>): Promise<{ loud: Store; quiet: Store[] }> {
  const secrets = new SecretBox(ENCRYPTION_KEY);
  const redirectUri = 'http://127.0.0.1/bench-callback';
  const make = async (hash: string) => {
    const store = await storesRepository(database.db).upsertInstalled({ storeHash: hash });
    const domainPrefix = `${hash}-retailer`;
    if (!lightspeed!.control.listRetailers().some((r) => r.domain_prefix === domainPrefix)) lightspeed!.control.createRetailer(domainPrefix, { products: 30 });
    const code = lightspeed!.control.issueAuthCode({ domain_prefix: domainPrefix, redirect_uri: redirectUri });
    const tokens = await exchangeCode(
      { clientId: LS_CLIENT_ID, clientSecret: LS_CLIENT_SECRET, redirectUri, authUrl: lightspeedServer!.url, apiUrlTemplate: `${lightspeedServer!.url}/{domain_prefix}` },
      { code: code.code, domainPrefix },
    );
    await forStore(database.db, secrets, store.id).connections.save('lightspeed', {
      externalAccount: domainPrefix,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessTokenExpiresAt: new Date(tokens.expiresAt),
      scopes: tokens.scopes.join(' '),
    });
    return { id: store.id, hash };
  };
  return { loud: await make('benchloud'), quiet: await Promise.all(Array.from({ length: QUIET_STORES }, (_, i) => make(`benchquiet${i}`))) };
}

let sequence = 0;
/**
 * The overload line's Lightspeed deliveries are real: each is a stock change made in the loud
 * store's retailer just before it is sent, so what the app ends with can be compared with
 * Lightspeed (`catchUp`). The other lines' name records that do not exist (their cursor reads find nothing newer).
 */
let realChanges: { store: Store; records: { product_id: string; outlet_id: string }[]; made: number } | undefined;
function realChange(): Record<string, unknown> {
  const r = realChanges!;
  const target = r.records[r.made++ % r.records.length]!;
  const record = lightspeed!.control.setInventoryLevel(`${r.store.hash}-retailer`, { ...target, level: r.made });
  return inventoryPayload(record);
}

/** Delivery n for a store: BigCommerce and Lightspeed alternately, each unique. */
function delivery(store: Store, n: number): Delivery {
  const k = sequence++;
  if (n % 2 === 1 && realChanges?.store.id === store.id) return lightspeedDelivery(lsSecret, { storeId: store.id, type: 'inventory.update', domainPrefix: `${store.hash}-retailer`, payload: realChange() });
  return n % 2 === 0
    ? bigcommerceDelivery(bcSecret, { storeHash: store.hash, scope: 'store/sku/inventory/updated', data: { type: 'sku', id: 1 + (k % 5000), inventory: { product_id: 1 + (k % 5000), variant_id: 1 + (k % 5000), method: 'absolute', value: k } } })
    : lightspeedDelivery(lsSecret, { storeId: store.id, type: 'inventory.update', domainPrefix: `${store.hash}-retailer`, payload: { id: `inv-${k % 900}`, product_id: `prod-${k % 300}`, outlet_id: 'outlet-1', count: k } });
}

function keyOf(d: Delivery, storeId: string): { platform: string; key: string } {
  if (d.headers['webhook-id']) return { platform: 'bigcommerce', key: d.headers['webhook-id'] };
  // The Lightspeed receiver keys a version-less inventory delivery by its body hash (src/jobs/lifecycle/lightspeed.ts).
  const hash = createHash('sha256').update(d.body).digest('hex').slice(0, 32);
  const payload = JSON.parse(new URLSearchParams(d.body).get('payload')!) as { id: string };
  return { platform: 'lightspeed', key: `${storeId}:inventory:${payload.id}:${hash}` };
}

async function send(url: string, rate: number, seconds: number, pick: (n: number) => Store, timeoutMs = 10_000): Promise<Sent> {
  const deliveries: Delivery[] = [];
  const storeOf: string[] = [];
  const { acks, seconds: took } = await openLoop(url, {
    rate,
    count: Math.round(rate * seconds),
    timeoutMs,
    make: (n) => {
      const store = pick(n);
      const d = delivery(store, n);
      deliveries[n] = d;
      storeOf[n] = store.id;
      return d;
    },
  });
  return { acks, seconds: took, deliveries, storeOf };
}

function start(command: string, args: string[], extraEnv: Record<string, string>, ready?: RegExp): Promise<ChildProcess> {
  const child = spawn(command, args, { env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (d: Buffer) => {
    log += d.toString();
    if (log.length > 100_000) log = log.slice(-50_000);
    if (LOG_TO) appendFileSync(LOG_TO, d);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return new Promise((resolve, reject) => {
    if (!ready) return resolve(child);
    const timer = setInterval(() => {
      if (ready.test(log)) {
        clearInterval(timer);
        resolve(child);
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}:\n${log.slice(-3000)}`));
    });
  });
}

async function waitHealthy(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error('the app did not become healthy');
}

const stop = (child: ChildProcess | undefined) =>
  new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });

interface Line {
  db: string;
  run: string;
  rate: number;
  result: ReturnType<typeof summarize> & { lost: number; refusedThenRecorded?: number; recordedForGoneSender?: number; quietP99?: number; quietDrainMs?: number[]; quietDrainMaxMs?: number; quietLightspeedDrainMs?: number[]; quietLightspeedDrainMaxMs?: number; quietNotWorked?: number; loudP99?: number; lightspeedChanges?: number; drainedAfterS?: number; missingAfterCatchUp?: number; caughtUpAfterS?: number };
}

async function main() {
  if (!existsSync('.next/BUILD_ID')) throw new Error('no production build: run `npx next build` first');
  await startLightspeed();
  const { env } = await import('../src/env');
  bcSecret = env().bigcommerce.clientSecret;
  lsSecret = env().lightspeed.clientSecret;
  const lines: Line[] = [];
  console.log(`# intake bench (${SERVER === 'lean' ? 'npm start: lean receiver + Next.js' : 'next start'}) ${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model} · ${Math.round(os.totalmem() / 2 ** 30)} GiB · node ${process.version}`);
  console.log(`# load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const target of targets) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'counterpart-bench-'));
    let scratch: string | undefined;
    let databaseUrl: string | undefined;
    if (target === 'postgres') {
      if (!serverUrl) throw new Error('--db postgres needs BENCH_DATABASE_URL');
      scratch = `cp_bench_${Date.now().toString(36)}`;
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${scratch}`);
      await admin.end();
      const u = new URL(serverUrl);
      u.pathname = `/${scratch}`;
      databaseUrl = u.toString();
    }
    // Seed the stores (PGlite: before the app opens the folder; it belongs to one process).
    const seeding = await openDatabase(databaseUrl ? { url: databaseUrl, max: 2 } : { pgliteDir: path.join(dataDir, 'pglite') });
    const { loud, quiet } = await seed(seeding);
    await seeding.close();

    const appEnv: Record<string, string> = {
      DATA_DIR: dataDir,
      ENCRYPTION_KEY,
      SESSION_SECRET,
      PORT: String(PORT),
      APP_URL: `http://127.0.0.1:${PORT}`,
      WORKER: target === 'postgres' ? 'off' : 'in-app',
      LOG_LEVEL: 'warn',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    // `npm start`'s server (Next.js behind the lean webhook receiver), or `--server next` for plain `next start`.
    const app =
      SERVER === 'next'
        ? await start(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(PORT), '-H', '127.0.0.1'], appEnv, /Ready|started server|Local:/i)
        : await start(process.execPath, [...NODE_FLAGS, '--import', 'tsx', 'src/server/main.ts'], { ...appEnv, NODE_ENV: 'production', HOST: '127.0.0.1' }, /ready on/);
    const worker = target === 'postgres' && arg('worker') !== 'off' ? await start(process.execPath, [...WORKER_FLAGS, '--import', 'tsx', 'src/jobs/worker-main.ts'], appEnv, /\[worker\] working/) : undefined;
    const base = `http://127.0.0.1:${PORT}`;
    await waitHealthy(base);
    await send(base, 50, 4, () => loud); // warm-up: routes compiled, connections open

    const accepted: { platform: string; key: string }[] = [];
    const keep = (s: Sent) => s.acks.forEach((a) => a.outcome === 'enqueued' && accepted.push(keyOf(s.deliveries[a.n]!, s.storeOf[a.n]!)));
    const lostOf = async (s: Sent) => {
      if (!databaseUrl) return -1; // PGlite: counted at the end, once the app has closed the folder
      const keys = s.acks.filter((a) => a.outcome === 'enqueued').map((a) => keyOf(s.deliveries[a.n]!, s.storeOf[a.n]!));
      return missing(databaseUrl, keys);
    };

    let best = Number(arg('capacity') ?? 0);
    for (const rate of RUNS.includes('steady') ? RATES : []) {
      const s = await send(base, rate, SECONDS, () => loud);
      keep(s);
      if (ACKS_TO) appendFileSync(ACKS_TO, `${JSON.stringify({ db: target, rate, acks: s.acks.map((a) => [a.n, Math.round(a.ms * 10) / 10, a.status]) })}\n`);
      const result = { ...summarize(s.acks, s.seconds), lost: await lostOf(s) };
      lines.push({ db: target, run: 'steady', rate, result });
      console.log(JSON.stringify({ db: target, run: 'steady', rate, ...result, load: os.loadavg()[0]!.toFixed(2) }));
      if (result.p99 < TARGET_P99_MS && result.non2xx === 0) best = rate;
      await sleep(3_000);
    }

    // Twice the capacity: answered within Lightspeed's 5 s; the sender gives up at 5 s (as Lightspeed does) and retries later.
    const overload = 2 * (best || RATES[0]!);
    if (RUNS.includes('overload')) {
      const state = lightspeed!.control.state(`${loud.hash}-retailer`);
      realChanges = { store: loud, records: Object.values(state.inventory).map((r) => ({ product_id: r.product_id, outlet_id: r.outlet_id })), made: 0 };
      const s = await send(base, overload, SECONDS, () => loud, 5_000);
      const burstEnded = Date.now();
      // Once the drains have worked the burst, more changes whose deliveries are lost (as when
      // Lightspeed gives up): only the cursor poll brings them.
      if (databaseUrl) await drained(databaseUrl, loud);
      const drainedAfterS = Math.round((Date.now() - burstEnded) / 1000);
      for (let i = 0; i < TAIL_WITHOUT_DELIVERY; i++) realChange();
      const changes = realChanges.made;
      const tailMade = Date.now();
      realChanges = undefined;
      keep(s);
      const result: Line['result'] = { ...summarize(s.acks, s.seconds), lost: await lostOf(s) };
      // The platforms redeliver what was refused or timed out: once the burst is over, every one is recorded.
      const failed = s.acks.filter((a) => a.status < 200 || a.status >= 300);
      if (databaseUrl) {
        // Abandoned by the sender (timed out) yet recorded: work done for a request nobody waited for.
        const gone = failed.filter((a) => a.status === 0).map((a) => keyOf(s.deliveries[a.n]!, s.storeOf[a.n]!));
        result.recordedForGoneSender = gone.length - (await missing(databaseUrl, gone));
      }
      const retry = await openLoop(base, { rate: 100, count: failed.length, make: (i) => s.deliveries[failed[i]!.n]! });
      result.refusedThenRecorded = retry.acks.filter((a) => a.outcome === 'enqueued' || a.outcome === 'duplicate').length;
      if (databaseUrl) Object.assign(result, { lightspeedChanges: changes, drainedAfterS, ...(await catchUp(databaseUrl, loud, tailMade)) });
      lines.push({ db: target, run: `2× capacity (${best ? `${best}/s met the target` : 'no rate met the target'})`, rate: overload, result });
      console.log(JSON.stringify({ db: target, run: 'overload', rate: overload, ...result, retried: failed.length, load: os.loadavg()[0]!.toFixed(2) }));
      await sleep(5_000);
    }

    // How long after arrival the quiet stores' deliveries were worked (per lane kind), from the inbox.
    const quietDrains = async (started: Date): Promise<Partial<Line['result']>> => {
      if (!databaseUrl) return {};
      await sleep(5_000);
      const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      const quietIds = quiet.map((s) => s.id);
      const [row] = await client`with d as (
          select lane, status, extract(epoch from (coalesce(processed_at, now()) - received_at)) * 1000 as ms
          from webhook_inbox where store_id = any(${quietIds}) and received_at >= ${started})
        select percentile_cont(0.5) within group (order by ms) filter (where lane = 'bigcommerce')::int as bc50,
          percentile_cont(0.95) within group (order by ms) filter (where lane = 'bigcommerce')::int as bc95,
          max(ms) filter (where lane = 'bigcommerce')::int as bc,
          percentile_cont(0.5) within group (order by ms) filter (where lane like 'lightspeed:%')::int as ls50,
          percentile_cont(0.95) within group (order by ms) filter (where lane like 'lightspeed:%')::int as ls95,
          max(ms) filter (where lane like 'lightspeed:%')::int as ls,
          count(*) filter (where status = 'received')::int as waiting, count(*) filter (where status = 'failed')::int as failed
        from d`;
      await client.end();
      return {
        quietDrainMs: [Number(row?.bc50 ?? -1), Number(row?.bc95 ?? -1)],
        quietDrainMaxMs: Number(row?.bc ?? -1),
        quietLightspeedDrainMs: [Number(row?.ls50 ?? -1), Number(row?.ls95 ?? -1)],
        quietLightspeedDrainMaxMs: Number(row?.ls ?? -1),
        quietNotWorked: Number(row?.waiting ?? 0) + Number(row?.failed ?? 0),
      };
    };

    // The quiet stores alone: the baseline the fairness line's drain times are compared with.
    if (RUNS.includes('quiet')) {
      const started = new Date();
      const q = await send(base, QUIET_STORES, SECONDS, (n) => quiet[n % QUIET_STORES]!);
      keep(q);
      const result: Line['result'] = { ...summarize(q.acks, q.seconds), lost: await lostOf(q) };
      result.quietP99 = result.p99;
      Object.assign(result, await quietDrains(started));
      lines.push({ db: target, run: `${QUIET_STORES} stores at 1/s, no loud store`, rate: QUIET_STORES, result });
      console.log(JSON.stringify({ db: target, run: 'quiet', ...result, load: os.loadavg()[0]!.toFixed(2) }));
      await sleep(5_000);
    }

    // Fairness: one store at 400/s beside 50 stores at 1/s each.
    if (RUNS.includes('fairness')) {
      const started = new Date();
      const loudRun = send(base, 400, SECONDS, () => loud);
      const quietRun = send(base, QUIET_STORES, SECONDS, (n) => quiet[n % QUIET_STORES]!);
      const [l, q] = await Promise.all([loudRun, quietRun]);
      keep(l);
      keep(q);
      const result: Line['result'] = { ...summarize([...l.acks, ...q.acks], l.seconds), lost: (await lostOf(l)) + (await lostOf(q)) };
      result.loudP99 = Math.round(percentile(l.acks.map((a) => a.ms), 99) * 10) / 10;
      result.quietP99 = Math.round(percentile(q.acks.map((a) => a.ms), 99) * 10) / 10;
      Object.assign(result, await quietDrains(started));
      lines.push({ db: target, run: `1 store at 400/s + ${QUIET_STORES} at 1/s`, rate: 400 + QUIET_STORES, result });
      console.log(JSON.stringify({ db: target, run: 'fairness', ...result, load: os.loadavg()[0]!.toFixed(2) }));
    }

    await stop(worker);
    await stop(app);
    if (!databaseUrl) {
      const database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
      const lost = await missingIn(database.db, accepted);
      console.log(JSON.stringify({ db: target, acceptedChecked: accepted.length, lost }));
      for (const l of lines) if (l.db === target) l.result.lost = lost; // one figure for the whole PGlite session
      await database.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (scratch) {
      const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${scratch} with (force)`);
      await admin.end();
    }
  }

  console.log('\n| database | run | offered/s | achieved/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx | > 5 s | lost |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const l of lines) {
    const r = l.result;
    const extra = [r.loudP99 !== undefined ? `loud p99 ${r.loudP99}, quiet p99 ${r.quietP99}` : '', r.quietDrainMaxMs !== undefined ? `quiet deliveries worked after p50 / p95 / max: BigCommerce ${r.quietDrainMs?.join(' / ')} / ${r.quietDrainMaxMs} ms, Lightspeed ${r.quietLightspeedDrainMs?.join(' / ')} / ${r.quietLightspeedDrainMaxMs} ms; ${r.quietNotWorked} not worked or failed 5 s after` : '', r.refusedThenRecorded !== undefined ? `${r.refusedThenRecorded} redelivered and recorded` : '', r.missingAfterCatchUp !== undefined ? `${r.lightspeedChanges} Lightspeed stock changes; deliveries worked ${r.drainedAfterS} s after the burst; then ${TAIL_WITHOUT_DELIVERY} more without a delivery: ${r.missingAfterCatchUp} missing ${r.caughtUpAfterS} s later` : '', r.recordedForGoneSender !== undefined ? `${r.recordedForGoneSender} recorded for a gone sender` : '']
      .filter(Boolean)
      .join('; ');
    console.log(`| ${l.db} | ${l.run}${extra ? ` (${extra})` : ''} | ${l.rate} | ${r.achievedPerSecond} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.max} | ${r.non2xx} | ${r.over5s} | ${r.lost} |`);
  }
  console.log(`# load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await lightspeed?.close();
  await lightspeedServer?.close();
}

/** Lightspeed changes the overload line made and its deliveries lost, at the end: the cursor poll's (every minute) to bring. */
const TAIL_WITHOUT_DELIVERY = 30;
/** How long after a burst the app is given to hold every inventory record at Lightspeed's newest version. */
const CATCH_UP_MS = 150_000;

/** Waits until none of the store's deliveries waits to be worked. */
async function drained(url: string, store: Store): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (let i = 0; i < 600; i++) {
      const [row] = await client`select count(*)::int as n from webhook_inbox where store_id = ${store.id} and status = 'received'`;
      if (Number(row?.n) === 0) return;
      await sleep(500);
    }
  } finally {
    await client.end();
  }
}

/**
 * After a burst: every inventory record of the store's retailer, at the version the app holds
 * against Lightspeed's newest. Waits until none is behind (or CATCH_UP_MS); how many were still
 * behind, and when.
 */
async function catchUp(url: string, store: Store, started: number): Promise<{ missingAfterCatchUp: number; caughtUpAfterS: number }> {
  const database = await openDatabase({ url, max: 2 });
  try {
    const truth = Object.values(lightspeed!.control.state(`${store.hash}-retailer`).inventory);
    for (;;) {
      const held = new Map(
        rows<{ entity_id: string; version: string | number }>(await database.db.execute(sql`select entity_id, version from lightspeed_entity_versions where store_id = ${store.id} and kind = 'inventory'`)).map((r) => [r.entity_id, Number(r.version)]),
      );
      const behind = truth.filter((r) => (held.get(r.id) ?? -1) < r.version).length;
      if (behind === 0 || Date.now() - started > CATCH_UP_MS) return { missingAfterCatchUp: behind, caughtUpAfterS: Math.round((Date.now() - started) / 1000) };
      await sleep(1_000);
    }
  } finally {
    await database.close();
  }
}

async function missing(url: string, keys: { platform: string; key: string }[]): Promise<number> {
  const database = await openDatabase({ url, max: 2 });
  try {
    return await missingIn(database.db, keys);
  } finally {
    await database.close();
  }
}

/** Accepted deliveries with no inbox row. */
async function missingIn(db: Awaited<ReturnType<typeof openDatabase>>['db'], keys: { platform: string; key: string }[]): Promise<number> {
  let lost = 0;
  for (let i = 0; i < keys.length; i += 2000) {
    const chunk = keys.slice(i, i + 2000);
    const found = rows<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from webhook_inbox w join jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as k(platform text, key text) on w.platform = k.platform and w.delivery_key = k.key`),
    )[0]?.n;
    lost += chunk.length - Number(found ?? 0);
  }
  return lost;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
