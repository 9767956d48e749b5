import type { Database } from '../db/client';
import type { SecretBox } from '../db/crypto';
import type { Env } from '../env';

/** The configuration jobs read: passed in, so tests can point it at sandboxes. */
export type JobConfig = Pick<Env, 'APP_URL' | 'bigcommerce' | 'lightspeed'>;

/** What job handlers are given to do their work. */
export interface JobDeps {
  database: Database;
  secrets: SecretBox;
  config: JobConfig;
}
