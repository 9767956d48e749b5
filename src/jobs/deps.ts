import type { Database } from '../db/client';
import type { SecretBox } from '../db/crypto';

/** What job handlers are given to do their work. */
export interface JobDeps {
  database: Database;
  secrets: SecretBox;
}
