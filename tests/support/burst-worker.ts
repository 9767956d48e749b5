/**
 * A separate worker process for the multi-worker test: works `test.burst` jobs against the
 * Postgres database given as argv[2], recording each effect with this process's name.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { openDatabase } from '../../src/db/client';
import { SecretBox } from '../../src/db/crypto';
import { defineJob, JobRegistry } from '../../src/jobs/define';
import { JobQueue } from '../../src/jobs/queue';
import { testConfig } from './config';

const [url, name] = process.argv.slice(2);
if (!url || !name) throw new Error('usage: burst-worker <database-url> <worker-name>');

const burst = defineJob({
  name: 'test.burst',
  schema: z.object({ n: z.number().int() }),
  retry: { limit: 2, delaySeconds: 1 },
  async handler({ n }, ctx) {
    await new Promise((r) => setTimeout(r, Math.random() * 20));
    await ctx.deps.database.db.execute(sql`insert into burst_effects (n, worker, job_id) values (${n}, ${name}, ${ctx.jobId})`);
  },
});

async function main(databaseUrl: string) {
  const database = await openDatabase({ url: databaseUrl, max: 4 });
  const queue = new JobQueue(database, new JobRegistry([burst]), { pollingIntervalSeconds: 0.5 });
  await queue.start();
  await queue.work({ database, secrets: new SecretBox(randomBytes(32).toString('hex')), config: testConfig() }, { concurrency: 8 });
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void queue
      .stop({ graceful: true, timeoutMs: 10_000 })
      .then(() => database.close())
      .then(() => process.exit(0));
  });
}

void main(url);
