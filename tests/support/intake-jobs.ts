/**
 * A stand-in for `orders.intake` that records each run in `intake_effects` (created by
 * `createEffectsTable`): the intake tests count how often the drains asked for each order.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { defineJob } from '../../src/jobs/define';
import { orderIntake } from '../../src/jobs/definitions/order-intake';

export const createEffectsTable = (db: Db) => db.execute(sql`create table if not exists intake_effects (order_id int not null, job_id uuid not null, worker text not null)`);

export const recordingIntake = (worker: string) =>
  defineJob({
    name: orderIntake.name,
    schema: orderIntake.schema,
    retry: { limit: 2, delaySeconds: 1 },
    async handler({ orderId }, ctx) {
      await ctx.deps.database.db.execute(sql`insert into intake_effects (order_id, job_id, worker) values (${orderId}, ${ctx.jobId}, ${worker})`);
    },
  });

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/** Runs per order id. */
export async function effectsByOrder(db: Db): Promise<Map<number, number>> {
  const rows = rowsOf<{ order_id: number; n: number }>(await db.execute(sql`select order_id, count(*)::int as n from intake_effects group by order_id`));
  return new Map(rows.map((r) => [Number(r.order_id), Number(r.n)]));
}

export async function inboxCounts(db: Db, storeId: string): Promise<Record<string, number>> {
  const rows = rowsOf<{ status: string; n: number }>(await db.execute(sql`select status, count(*)::int as n from webhook_inbox where store_id = ${storeId} group by status`));
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
