#!/usr/bin/env node
/**
 * `npm start`: builds the app when the build is missing or older than the sources, then serves
 * it. With nothing configured it runs on the embedded defaults (PGlite in .data/, sandbox
 * platforms), so a fresh checkout works with no server.
 */
import { spawnSync } from 'node:child_process';
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
const sources = ['src', 'public', 'drizzle'].filter(existsSync).map(newestMtime);
const stale = !existsSync(buildId) || Math.max(...sources, statSync('package.json').mtimeMs) > statSync(buildId).mtimeMs;
if (stale) {
  console.log('Building Counterpart (first start, or the sources changed)...');
  const build = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const port = process.env.PORT || '3000';
console.log(`Starting Counterpart on http://localhost:${port}`);
const server = spawnSync('npx', ['next', 'start', '-p', port], { stdio: 'inherit', env });
process.exit(server.status ?? 0);
