/**
 * Order jobs. A BigCommerce order arrived or changed (a webhook or the order poll said so): read
 * it and bring the record, the in-flight ledger and the Lightspeed bookings in line
 * (jobs/orders/engine.ts). A Lightspeed sale of ours changed: ship and release what was
 * fulfilled. A refund: handled once. The order poll is the safety net under the webhooks, and its
 * mark tells the inventory engine up to when every order is known.
 */
import { needsIntake } from '../../core/orders/fingerprint';
import { z } from 'zod';
import { inventoryFor } from '../../db/repositories/inventory';
import { ordersFor } from '../../db/repositories/orders';
import { storesRepository } from '../../db/repositories/stores';
import { bigcommerceClientFor, NotConnected } from '../clients';
import { defineJob, type JobContext } from '../define';
import { markInventoryDirty } from './inventory-sync';
import { handleRefund, intakeOrder, ordersPollTargets, syncSale } from '../orders/engine';

/**
 * The intake (idempotent), then the sales it found Lightspeed already holding are followed: a
 * fulfilment at the register while their booking was unrecorded is worked now, not left to the
 * retries of a sale job that met the booking unfinished.
 */
export async function takeInOrder(ctx: Pick<JobContext, 'deps' | 'enqueue'>, storeId: string, orderId: number) {
  const result = await intakeOrder(ctx, storeId, orderId);
  if (result.heldSales.length > 0) await followOurSales(ctx, storeId, result.heldSales);
  return result;
}

const quietly = async (work: () => Promise<unknown>) => {
  try {
    await work();
  } catch (error) {
    if (error instanceof NotConnected) return; // the overview says why; the poll picks it up once connected
    throw error;
  }
};

export const orderIntake = defineJob({
  name: 'orders.intake',
  schema: z.object({ storeId: z.uuid(), orderId: z.number().int().positive() }),
  retry: { limit: 8, delaySeconds: 5, backoff: true },
  async handler({ storeId, orderId }, ctx) {
    await quietly(() => takeInOrder(ctx, storeId, orderId));
  },
});

export const orderSaleSync = defineJob({
  name: 'orders.sale',
  schema: z.object({ storeId: z.uuid(), lsSaleId: z.string().min(1) }),
  retry: { limit: 8, delaySeconds: 5, backoff: true },
  async handler({ storeId, lsSaleId }, ctx) {
    await quietly(() => syncSale(ctx, storeId, lsSaleId));
  },
});

export const orderRefund = defineJob({
  name: 'orders.refund',
  schema: z.object({ storeId: z.uuid(), orderId: z.number().int().positive(), refundId: z.number().int().positive() }),
  retry: { limit: 8, delaySeconds: 5, backoff: true },
  async handler({ storeId, orderId, refundId }, ctx) {
    await quietly(() => handleRefund(ctx, storeId, orderId, refundId));
  },
});

/** Sends the sales of ours among these Lightspeed sale ids to `orders.sale`. */
export async function followOurSales(ctx: Pick<JobContext, 'deps' | 'enqueue'>, storeId: string, lsSaleIds: readonly string[]): Promise<void> {
  for (const s of await ordersFor(ctx.deps.database.db, storeId).sales.bySaleIds(lsSaleIds)) {
    await ctx.enqueue(orderSaleSync, { storeId, lsSaleId: s.lsSaleId }, { singletonKey: `sale:${storeId}:${s.lsSaleId}` });
  }
}

/** Allowance for the clocks of BigCommerce and this app disagreeing (JobConfig.clockSkewMs overrides it). */
const CLOCK_SKEW_MS = 60_000;

/**
 * Orders modified since the last poll are taken in (in the job, one after the other), except those
 * whose listing is what their last complete intake read (nothing changed for them). Then every
 * order placed before the poll started is known: the inventory engine may release shortfalls
 * older than that.
 */
export async function pollOrders(ctx: Pick<JobContext, 'deps' | 'enqueue'>, storeId: string): Promise<number> {
  const repo = ordersFor(ctx.deps.database.db, storeId);
  const started = new Date();
  const skew = ctx.deps.config.clockSkewMs ?? CLOCK_SKEW_MS;
  const settings = await repo.settings.get();
  const since = new Date((settings.pollCursor ?? new Date(Date.now() - 24 * 3600_000)).getTime() - skew);
  const bc = await bigcommerceClientFor(ctx.deps, storeId);
  const targets = await ordersPollTargets(bc, since);
  // One order that fails (Lightspeed refusing its update, say) must not hold up the others, nor
  // the safety net: it is shown on the order (intakeOrder records it) and retried by its own job;
  // the cursor stops at its last modification, so the next poll reads it again, and the
  // inventory engine takes no order placed after it as known until it is taken in.
  let heldModified: Date | null = null;
  let heldCreated: Date | null = null;
  // An order whose listing matches its last complete intake has nothing new: not read again.
  const intakes = await repo.orders.intakes(targets.map((t) => t.id));
  for (const target of targets.filter((t) => needsIntake(t.listing, intakes.get(t.id)))) {
    try {
      await takeInOrder(ctx, storeId, target.id);
    } catch (error) {
      if (error instanceof NotConnected) throw error;
      if (!heldModified || target.modifiedAt < heldModified) heldModified = target.modifiedAt;
      if (!heldCreated || target.createdAt < heldCreated) heldCreated = target.createdAt;
      await ctx.enqueue(orderIntake, { storeId, orderId: target.id }, { singletonKey: `order:${storeId}:${target.id}` });
    }
  }
  const earliest = (held: Date | null) => (held && held < started ? held : started);
  await repo.settings.update({ pollCursor: earliest(heldModified) });
  const inventory = inventoryFor(ctx.deps.database.db, storeId);
  const knownUntil = new Date(earliest(heldCreated).getTime() - skew);
  await inventory.settings.update({ ordersKnownUntil: knownUntil });
  // Units held as unexplained since before the mark were no order: their variants run again now,
  // which releases them (in aggregated stock, where BigCommerce does not say which location an
  // order drew on, every shipped order's units are held so until here), not at the next sweep.
  const stale = new Set(await inventory.ledger.unexplainedBefore(knownUntil));
  if (stale.size > 0) await markInventoryDirty(ctx, storeId, (await inventory.linkedVariants()).filter((v) => stale.has(v.bcVariantId)).map((v) => v.lsProductId), 'orders known');
  return targets.length;
}

export const ordersPoll = defineJob({
  name: 'orders.poll',
  schema: z.object({ storeId: z.uuid() }),
  retry: { limit: 3, delaySeconds: 15, backoff: true },
  async handler({ storeId }, ctx) {
    await quietly(() => pollOrders(ctx, storeId));
  },
});

/** Every minute: an order poll for each installed store. */
export const ordersPollSweep = defineJob({
  name: 'orders.poll-sweep',
  schema: z.object({}),
  retry: { limit: 1, delaySeconds: 30 },
  schedule: { cron: '* * * * *', payload: {} },
  async handler(_payload, ctx) {
    for (const store of await storesRepository(ctx.deps.database.db).listActive()) {
      await ctx.enqueue(ordersPoll, { storeId: store.id }, { singletonKey: `orders-poll:${store.id}` });
    }
  },
});
