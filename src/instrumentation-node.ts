/** App start-up: validate configuration, migrate the database, start the job worker. */
import { EnvError, env } from './env';
import { getDatabase } from './db/runtime';
import { markAppProcess, startWorker } from './jobs/runtime';

export async function startApp(): Promise<void> {
  try {
    const e = env();
    markAppProcess();
    const database = await getDatabase();
    await startWorker();
    console.log(`[counterpart] database: ${database.kind}; jobs: ${e.WORKER}; platforms: ${e.sandbox ? 'sandbox' : 'live'}`);
  } catch (error) {
    console.error(error instanceof EnvError ? error.message : `[counterpart] start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
