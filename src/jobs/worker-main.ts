/** `npm run worker`: works the job queues in a process of its own. */
import { EnvError, env } from '../env';
import { startWorker } from './runtime';

async function main() {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
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

main().catch((error: unknown) => {
  console.error('[worker] failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
