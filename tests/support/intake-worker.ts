/**
 * A separate worker process for the intake multi-process test: works intake drains and records
 * each order intake they ask for (tests/support/intake-jobs.ts), against the Postgres database
 * in argv[2] (JSON: url, worker name, lease, and `hang` to stop forever in the middle of a
 * drain's first pass, after its work and before the rows' status: the test kills it there).
 */
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../src/db/client';
import { SecretBox } from '../../src/db/crypto';
import { JobRegistry } from '../../src/jobs/define';
import { drainFaults, intakeDrain, intakeTuning } from '../../src/jobs/definitions/intake-drain';
import { JobQueue } from '../../src/jobs/queue';
import { testConfig } from './config';
import { recordingIntake } from './intake-jobs';

const input = JSON.parse(process.argv[2] ?? '{}') as { url: string; name: string; leaseMs?: number; hang?: boolean };

async function main() {
  if (input.leaseMs) intakeTuning.leaseMs = input.leaseMs;
  if (input.hang) {
    drainFaults.afterWork = () => {
      process.stdout.write('mid-drain\n');
      return new Promise<void>(() => {});
    };
  }
  const database = await openDatabase({ url: input.url, max: 4 });
  const queue = new JobQueue(database, new JobRegistry([intakeDrain, recordingIntake(input.name)]), { pollingIntervalSeconds: 0.5 });
  await queue.start();
  await queue.work({ database, secrets: new SecretBox(randomBytes(32).toString('hex')), config: testConfig() }, { concurrency: 4 });
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void queue.stop({ graceful: true }).then(() => process.exit(0));
  });
}

void main();
