/**
 * Database factory: postgres.js against a real server when a URL is given, embedded PGlite
 * otherwise. Migrations from `drizzle/` are applied on open, under an advisory lock so that
 * several processes starting together migrate once.
 */
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** The minimal SQL executor pg-boss needs when it shares our connection (PGlite). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Set for Postgres: pg-boss opens its own pool against the same server. */
  connectionString?: string;
  /** Set for PGlite: pg-boss must share the single embedded connection. */
  executor?: SqlExecutor;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; when absent an embedded PGlite database is used. */
  url?: string;
  /** Folder for the PGlite files; `undefined` with no url means in-memory. */
  pgliteDir?: string;
  migrationsFolder?: string;
  /** postgres.js pool size. */
  max?: number;
}

const MIGRATION_LOCK = 7_215_530_001;

export const defaultMigrationsFolder = () => path.join(process.cwd(), 'drizzle');

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
  if (options.url) {
    const client = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(client, { schema });
    const reserved = await client.reserve();
    try {
      await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`;
      await migratePostgres(db, { migrationsFolder });
    } finally {
      await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
      reserved.release();
    }
    return { kind: 'postgres', db: db as unknown as Db, connectionString: options.url, close: () => client.end({ timeout: 5 }) };
  }

  const pg = await PGlite.create(options.pgliteDir);
  const db = drizzlePglite(pg, { schema });
  await migratePglite(db, { migrationsFolder });
  const executor: SqlExecutor = {
    // Parameterised statements go through query(); pg-boss's multi-statement DDL needs exec().
    async executeSql(text, values) {
      if (values && values.length > 0) return { rows: (await pg.query(text, values)).rows };
      const results = await pg.exec(text);
      return { rows: results.flatMap((r) => r.rows) };
    },
  };
  return { kind: 'pglite', db: db as unknown as Db, executor, close: () => pg.close() };
}
