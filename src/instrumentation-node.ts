/** App start-up: validate configuration, migrate the database, start the job worker. */
import { envOrExit } from './env';
import { getDatabase } from './db/runtime';
import { markAppProcess, startWorker } from './jobs/runtime';

const RETRY_MS = 5_000;

export async function startApp(): Promise<void> {
  const e = envOrExit();
  markAppProcess();
  const attempt = async (): Promise<void> => {
    try {
      const database = await getDatabase();
      await startWorker();
      console.log(`[counterpart] database: ${database.kind}; jobs: ${e.WORKER}; platforms: ${e.sandbox ? 'sandbox' : 'live'}`);
    } catch (error) {
      // An unreachable database is not fatal: /api/health reports it (503) and we keep trying.
      console.error(`[counterpart] database or job queue unavailable, retrying in ${RETRY_MS / 1000}s: ${error instanceof Error ? error.message : String(error)}`);
      setTimeout(() => void attempt(), RETRY_MS).unref();
    }
  };
  await attempt();
}
