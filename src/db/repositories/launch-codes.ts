/**
 * One-time launch codes (see `launchCodes` in the schema). Issued per store and user by the load
 * and auth callbacks; exchanged once. The exchange is one DELETE … RETURNING: two requests racing
 * with the same code cannot both get it, and a used code is gone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { launchCodes } from '../schema';

const hash = (code: string) => createHash('sha256').update(code).digest('hex');

export type LaunchCodeExchange = { ok: true; storeId: string; bcUserId: number } | { ok: false; reason: 'unknown' | 'expired' };

/** A code for one store and user, valid for `ttlSeconds`; the store's expired codes are cleared. */
export async function issueLaunchCode(db: Db, storeId: string, bcUserId: number, ttlSeconds: number, now = new Date()): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  await db.delete(launchCodes).where(and(eq(launchCodes.storeId, storeId), lt(launchCodes.expiresAt, now)));
  await db.insert(launchCodes).values({ codeHash: hash(code), storeId, bcUserId, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) });
  return code;
}

/** Uses a code up: it works once, before it expires, and never again. */
export async function exchangeLaunchCode(db: Db, code: string, now = new Date()): Promise<LaunchCodeExchange> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(code)) return { ok: false, reason: 'unknown' };
  const [row] = await db.delete(launchCodes).where(eq(launchCodes.codeHash, hash(code))).returning();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, storeId: row.storeId, bcUserId: row.bcUserId };
}
