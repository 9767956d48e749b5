/**
 * A separate worker process for the exactly-once tests: works the order jobs against the
 * Postgres database and the sandboxes the parent test started (argv[2]: JSON with the database
 * URL, the token encryption key, the job config and this worker's name).
 */
import { openDatabase } from '../../src/db/client';
import { SecretBox } from '../../src/db/crypto';
import { JobRegistry } from '../../src/jobs/define';
import { inventorySync } from '../../src/jobs/definitions/inventory-sync';
import { orderIntake, orderRefund, orderSaleSync } from '../../src/jobs/definitions/order-intake';
import type { JobConfig } from '../../src/jobs/deps';
import { JobQueue } from '../../src/jobs/queue';

const input = JSON.parse(process.argv[2] ?? '{}') as { url: string; secretKey: string; config: JobConfig; name: string };

async function main() {
  const database = await openDatabase({ url: input.url, max: 4 });
  const queue = new JobQueue(database, new JobRegistry([orderIntake, orderSaleSync, orderRefund, inventorySync]), { pollingIntervalSeconds: 0.5 });
  await queue.start();
  await queue.work({ database, secrets: new SecretBox(input.secretKey), config: input.config }, { concurrency: 4 });
  process.stdout.write('ready\n');
}

void main();
