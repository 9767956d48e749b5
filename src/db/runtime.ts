/**
 * The process-wide database, opened once from the environment. Kept on `globalThis` because
 * Next.js may load this module in more than one bundle, and PGlite must be opened once.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env } from '../env';
import { type Database, openDatabase } from './client';
import { SecretBox } from './crypto';

interface Runtime {
  database?: Promise<Database>;
  secrets?: SecretBox;
}

const g = globalThis as typeof globalThis & { __counterpartDb?: Runtime };
const runtime: Runtime = (g.__counterpartDb ??= {});

export function getDatabase(): Promise<Database> {
  runtime.database ??= (async () => {
    const e = env();
    if (e.DATABASE_URL) return openDatabase({ url: e.DATABASE_URL });
    const dir = path.join(e.dataDir, 'pglite');
    lockEmbeddedDatabase(dir);
    return openDatabase({ pgliteDir: dir });
  })();
  runtime.database.catch(() => {
    runtime.database = undefined;
  });
  return runtime.database;
}

export function getSecrets(): SecretBox {
  runtime.secrets ??= new SecretBox(env().ENCRYPTION_KEY);
  return runtime.secrets;
}

/**
 * PGlite is a single-process database: a second process opening the same folder would corrupt
 * it. A pid file makes that a clear error instead.
 */
function lockEmbeddedDatabase(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const lock = `${dir}.lock`;
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(lock, { force: true });
      process.once('exit', release);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8'));
      if (holder === process.pid) return;
      if (holder && isAlive(holder)) {
        throw new Error(
          `The embedded database in ${dir} is in use by process ${holder}. Stop that process, or set DATABASE_URL to share a PostgreSQL server between processes.`,
        );
      }
      rmSync(lock, { force: true }); // left behind by a process that died
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
