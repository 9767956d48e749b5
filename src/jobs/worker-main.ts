/** `npm run worker`: works the job queues in a process of its own. */
import { setPriority } from 'node:os';
import { envOrExit } from '../env';
import { startWorker } from './runtime';

async function main() {
  lowerPriority(envOrExit().WORKER_NICE);
  const queue = await startWorker();
  console.log(`[worker] working ${queue.registry.all().length} job queues (pid ${process.pid})`);
  const stop = async (signal: string) => {
    console.log(`[worker] ${signal}: finishing running jobs`);
    await queue.stop({ graceful: true });
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/**
 * Jobs are throughput work, webhook answers latency work: on a shared machine the worker runs
 * at a lower priority so a burst of drains never makes a platform wait for its 2xx.
 */
function lowerPriority(nice: number): void {
  if (nice === 0) return;
  try {
    setPriority(nice);
  } catch (error) {
    console.warn(`[worker] could not lower the priority to nice ${nice}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

main().catch((error: unknown) => {
  console.error('[worker] failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
