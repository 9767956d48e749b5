/** Starts the built app (the production server, src/server/main.ts) on a free port with its own data folder, for end-to-end tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface AppServer {
  url: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Signals the server's process group (the server and anything it started). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * `host` is the name the app calls itself (APP_URL). The server listens on every loopback
 * address, so the same app is also reachable under the other name (a different site).
 * `viaStartScript` runs `npm start`'s script instead (scripts/start.mjs: its own HOST default).
 */
export async function startAppServer(
  extraEnv: Record<string, string> = {},
  options: { host?: 'localhost' | '127.0.0.1'; viaStartScript?: boolean } = {},
): Promise<AppServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cp-e2e-'));
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  // The production server itself (src/server/main.ts, as `npm start` runs it), on every loopback address.
  const args = options.viaStartScript ? [path.resolve('scripts/start.mjs'), '--no-build'] : ['--import', 'tsx', path.resolve('src/server/main.ts')];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATA_DIR: dataDir,
      APP_URL: url,
      PORT: String(port),
      ...(options.viaStartScript ? {} : { HOST: '::' }),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it also stops what it started (start.mjs runs next).
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(`${url}/api/health`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`the app did not answer within 60 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  return {
    url,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        signalGroup(child, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) signalGroup(child, 'SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
