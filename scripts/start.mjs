#!/usr/bin/env node
/**
 * `npm start`: builds the app when the build is missing or older than the sources, then serves
 * it (src/server/main.ts: Next.js with the lean webhook receiver in front). With nothing configured it runs on the embedded defaults (PGlite in .data/, sandbox
 * platforms), so a fresh checkout works with no server. It listens on the loopback address
 * only, unless HOST says otherwise: an app holding store tokens is not opened to the network by
 * default (in production it sits behind an HTTPS reverse proxy on the same machine).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const buildId = '.next/BUILD_ID';
// `npm start -- --no-build` serves the existing build as it is (a deployment that built in an
// earlier step, where file times say nothing).
const noBuild = process.argv.includes('--no-build');
if (noBuild && !existsSync(buildId)) {
  console.error('--no-build: there is no build to serve; run `npm run build` first.');
  process.exit(1);
}
const sources = noBuild ? [] : ['src', 'public', 'drizzle'].filter(existsSync).map(newestMtime);
const stale = !noBuild && (!existsSync(buildId) || Math.max(...sources, statSync('package.json').mtimeMs) > statSync(buildId).mtimeMs);
if (stale) {
  console.log('Building Counterpart (first start, or the sources changed)...');
  const build = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const port = process.env.PORT || '3000';
const host = process.env.HOST || '127.0.0.1';
console.log(`Starting Counterpart on http://localhost:${port} (listening on ${host}${host === '127.0.0.1' ? '; set HOST=0.0.0.0 to accept other machines' : ''})`);
// src/server/main.ts: Next.js in one process with the lean webhook receiver in front of it.
const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { stdio: 'inherit', env: { ...env, NODE_ENV: 'production', PORT: port, HOST: host } });
// A process manager stops `npm start` with SIGTERM: pass it on so the server stops too (and
// drains its jobs) instead of being left running without its parent.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
