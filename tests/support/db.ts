/**
 * Databases for integration tests: an in-memory PGlite always, and a fresh database on a real
 * PostgreSQL server when TEST_DATABASE_URL is set (created per call, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../src/db/client';

export const testDatabaseUrl: string | undefined = process.env.TEST_DATABASE_URL || undefined;

export interface TestDatabase {
  database: Database;
  /** Connection URL of the fresh database (Postgres only), for child processes. */
  url?: string;
  cleanup(): Promise<void>;
}

export interface DatabaseTarget {
  name: 'pglite' | 'postgres';
  open(): Promise<TestDatabase>;
}

/** Creates an empty database on the TEST_DATABASE_URL server and returns its URL. */
export async function createScratchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cp_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export const pgliteTarget: DatabaseTarget = {
  name: 'pglite',
  async open() {
    const database = await openDatabase();
    return { database, cleanup: () => database.close() };
  },
};

export const postgresTarget = (serverUrl: string): DatabaseTarget => ({
  name: 'postgres',
  async open() {
    const scratch = await createScratchDatabase(serverUrl);
    const database = await openDatabase({ url: scratch.url, max: 5 });
    return {
      database,
      url: scratch.url,
      async cleanup() {
        await database.close();
        await scratch.drop();
      },
    };
  },
});

/** PGlite always; Postgres too when TEST_DATABASE_URL is set. */
export function databaseTargets(): DatabaseTarget[] {
  return testDatabaseUrl ? [pgliteTarget, postgresTarget(testDatabaseUrl)] : [pgliteTarget];
}
