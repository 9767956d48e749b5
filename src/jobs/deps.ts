import type { Database } from '../db/client';
import type { SecretBox } from '../db/crypto';
import type { Env } from '../env';

/** The configuration jobs read: passed in, so tests can point it at sandboxes. */
export type JobConfig = Pick<Env, 'APP_URL' | 'bigcommerce' | 'lightspeed'> & {
  /**
   * Allowance for BigCommerce's clock and this app's disagreeing, in ms (default 60 s): the order
   * poll vouches for every order only up to this long before it started. Simulations whose
   * sandboxes run on this process's own clock set it lower; production leaves it unset.
   */
  clockSkewMs?: number;
};

/** What job handlers are given to do their work. */
export interface JobDeps {
  database: Database;
  secrets: SecretBox;
  config: JobConfig;
}
