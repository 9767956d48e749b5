/** The process-wide job queue, started once (on `globalThis`, like the database). */
import { env } from '../env';
import type { LifecycleDeps } from './lifecycle/bigcommerce';
import { getDatabase, getSecrets } from '../db/runtime';
import { bigcommerceSetup } from './definitions/bigcommerce-setup';
import type { JobDeps } from './deps';
import { JobQueue } from './queue';
import { createRegistry } from './registry';

const g = globalThis as typeof globalThis & { __counterpartQueue?: Promise<JobQueue> };

export function getQueue(): Promise<JobQueue> {
  g.__counterpartQueue ??= (async () => {
    const queue = new JobQueue(await getDatabase(), createRegistry());
    await queue.start();
    return queue;
  })();
  g.__counterpartQueue.catch(() => {
    g.__counterpartQueue = undefined;
  });
  return g.__counterpartQueue;
}

/** Starts the queue and, unless WORKER=off, works its jobs in this process. */
export async function startWorker(): Promise<JobQueue> {
  const queue = await getQueue();
  if (env().WORKER === 'in-app' || !isAppProcess) {
    await queue.work({ database: await getDatabase(), secrets: getSecrets(), config: env() });
  }
  return queue;
}

let isAppProcess = false;
/** Marks this process as the Next.js app, so WORKER=off keeps jobs out of it. */
export function markAppProcess(): void {
  isAppProcess = true;
}

/** What the lifecycle callbacks need, from this process's runtime. */
export async function lifecycleDeps(): Promise<LifecycleDeps> {
  const database = await getDatabase();
  const queue = await getQueue();
  return {
    db: database.db,
    secrets: getSecrets(),
    env: env(),
    afterInstall: async (storeId) => {
      await queue.send(bigcommerceSetup, { storeId }, { singletonKey: `setup:${storeId}` });
    },
    afterUninstall: async (storeId) => {
      await queue.cancelStore(storeId);
    },
  };
}

/** The same dependencies job handlers get, for route handlers that act directly. */
export async function jobDeps(): Promise<JobDeps> {
  return { database: await getDatabase(), secrets: getSecrets(), config: env() };
}
