/**
 * `npm run worker` yields the CPU to the web process: it lowers its own scheduling priority to
 * WORKER_NICE (default 10) before it works any job, so drains never make a webhook answer wait.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

let child: ChildProcess | undefined;
const dataDirs: string[] = [];
afterEach(() => {
  child?.kill('SIGKILL');
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function startWorker(extraEnv: Record<string, string>): Promise<number> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cp-worker-'));
  dataDirs.push(dataDir);
  child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/jobs/worker-main.ts')], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', DATA_DIR: dataDir, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('[worker] working')) resolve(child!.pid!);
    });
    child!.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child!.once('exit', (code) => reject(new Error(`the worker exited with ${code}:\n${output}`)));
  });
}

describe('the worker process', () => {
  it('runs at niceness 10 by default, and at WORKER_NICE when set', async () => {
    expect(getPriority(await startWorker({}))).toBe(10);
    child!.kill('SIGKILL');
    expect(getPriority(await startWorker({ WORKER_NICE: '3' }))).toBe(3);
  }, 120_000);
});
