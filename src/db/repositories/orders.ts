/**
 * Store-scoped orders repository: online orders, their Lightspeed sales (one per order and
 * outlet), refunds handled and booking settings. Every statement carries `store_id`.
 */
import { and, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { onlineOrders, orderRefunds, orderSales, orderSettings, type OnlineOrderState, type OrderSaleState, type SaleLineRecord } from '../orders-schema';

export type OnlineOrder = typeof onlineOrders.$inferSelect;
export type NewOnlineOrder = Omit<typeof onlineOrders.$inferInsert, 'storeId'>;
export type OrderSale = typeof orderSales.$inferSelect;
export type OrderSettingsRow = typeof orderSettings.$inferSelect;

export function ordersFor(db: Db, storeId: string) {
  const orders = {
    /** Records or refreshes what BigCommerce says of the order; the app's own state is kept. */
    async upsert(order: NewOnlineOrder): Promise<OnlineOrder> {
      const { state: _state, routing: _routing, flagged: _flagged, attention: _attention, ...facts } = order;
      const [row] = await db
        .insert(onlineOrders)
        .values({ storeId, ...order })
        .onConflictDoUpdate({ target: [onlineOrders.storeId, onlineOrders.bcOrderId], set: facts })
        .returning();
      if (!row) throw new Error('order upsert returned no row');
      return row;
    },
    async get(bcOrderId: number): Promise<OnlineOrder | undefined> {
      const [row] = await db.select().from(onlineOrders).where(and(eq(onlineOrders.storeId, storeId), eq(onlineOrders.bcOrderId, bcOrderId)));
      return row;
    },
    async update(bcOrderId: number, patch: { state?: OnlineOrderState; routing?: Record<string, unknown> | null; flagged?: boolean; attention?: string | null; takenIn?: string | null }): Promise<void> {
      await db.update(onlineOrders).set(patch).where(and(eq(onlineOrders.storeId, storeId), eq(onlineOrders.bcOrderId, bcOrderId)));
    },
    /**
     * Keeps a routing decision when the order has none yet. Returns true when this one was kept;
     * false when another intake of the order decided first (its decision is the order's).
     */
    async decideRouting(bcOrderId: number, patch: { routing: Record<string, unknown>; flagged: boolean; attention: string | null }): Promise<boolean> {
      const rows = await db
        .update(onlineOrders)
        .set({ ...patch, state: 'routed' })
        .where(and(eq(onlineOrders.storeId, storeId), eq(onlineOrders.bcOrderId, bcOrderId), isNull(onlineOrders.routing)))
        .returning({ id: onlineOrders.bcOrderId });
      return rows.length > 0;
    },
    /** Each order's last complete intake and state, for the order poll. */
    async intakes(bcOrderIds: readonly number[]): Promise<Map<number, { takenIn: string | null; state: OnlineOrderState }>> {
      if (bcOrderIds.length === 0) return new Map();
      const rows = await db
        .select({ bcOrderId: onlineOrders.bcOrderId, takenIn: onlineOrders.takenIn, state: onlineOrders.state })
        .from(onlineOrders)
        .where(and(eq(onlineOrders.storeId, storeId), inArray(onlineOrders.bcOrderId, [...bcOrderIds])));
      return new Map(rows.map((r) => [r.bcOrderId, { takenIn: r.takenIn, state: r.state }]));
    },
    async list(options: { limit?: number; before?: Date; flagged?: boolean } = {}): Promise<OnlineOrder[]> {
      const where = [eq(onlineOrders.storeId, storeId)];
      if (options.before) where.push(lt(onlineOrders.createdAt, options.before));
      if (options.flagged) where.push(eq(onlineOrders.flagged, true));
      return db.select().from(onlineOrders).where(and(...where)).orderBy(desc(onlineOrders.createdAt), desc(onlineOrders.bcOrderId)).limit(options.limit ?? 50);
    },
    /**
     * A page of orders, newest first by BigCommerce order number (BigCommerce numbers orders as they
     * are placed), so a cursor is exact. `attention`: only orders in error or flagged.
     */
    async page(options: { limit: number; beforeOrderId?: number; attention?: boolean }): Promise<OnlineOrder[]> {
      const where = [eq(onlineOrders.storeId, storeId)];
      if (options.beforeOrderId !== undefined) where.push(lt(onlineOrders.bcOrderId, options.beforeOrderId));
      if (options.attention) where.push(or(eq(onlineOrders.state, 'error'), eq(onlineOrders.flagged, true))!);
      return db.select().from(onlineOrders).where(and(...where)).orderBy(desc(onlineOrders.bcOrderId)).limit(options.limit);
    },
  };

  const sales = {
    /**
     * Claims the (order, outlet) booking with a sale id fixed in advance. Idempotent: a second
     * claim (a retry, a duplicate webhook, another worker) gets the same row back.
     */
    async claim(input: { bcOrderId: number; lsOutletId: string; lsSaleId: string; lines: SaleLineRecord[]; backorder: boolean }): Promise<OrderSale> {
      await db.insert(orderSales).values({ storeId, ...input }).onConflictDoNothing();
      const [row] = await db.select().from(orderSales).where(and(eq(orderSales.storeId, storeId), eq(orderSales.bcOrderId, input.bcOrderId), eq(orderSales.lsOutletId, input.lsOutletId)));
      if (!row) throw new Error('order sale claim found no row');
      return row;
    },
    async forOrder(bcOrderId: number): Promise<OrderSale[]> {
      return db.select().from(orderSales).where(and(eq(orderSales.storeId, storeId), eq(orderSales.bcOrderId, bcOrderId)));
    },
    async forOrders(bcOrderIds: readonly number[]): Promise<OrderSale[]> {
      if (bcOrderIds.length === 0) return [];
      return db.select().from(orderSales).where(and(eq(orderSales.storeId, storeId), inArray(orderSales.bcOrderId, [...bcOrderIds])));
    },
    async bySaleIds(lsSaleIds: readonly string[]): Promise<OrderSale[]> {
      if (lsSaleIds.length === 0) return [];
      return db.select().from(orderSales).where(and(eq(orderSales.storeId, storeId), inArray(orderSales.lsSaleId, [...lsSaleIds])));
    },
    /** 'booking' → 'booked', once: false when another intake recorded it first (or the sale moved on since). */
    async markBooked(bcOrderId: number, lsOutletId: string, patch: { bookedAt: Date; lsInvoiceNumber: string | null }): Promise<boolean> {
      const rows = await db
        .update(orderSales)
        .set({ ...patch, state: 'booked', error: null })
        .where(and(eq(orderSales.storeId, storeId), eq(orderSales.bcOrderId, bcOrderId), eq(orderSales.lsOutletId, lsOutletId), eq(orderSales.state, 'booking')))
        .returning({ id: orderSales.lsSaleId });
      return rows.length > 0;
    },
    async setState(bcOrderId: number, lsOutletId: string, patch: { state?: OrderSaleState; error?: string | null; bookedAt?: Date; shipped?: Record<string, number>; lsInvoiceNumber?: string | null; lines?: SaleLineRecord[] }): Promise<void> {
      await db.update(orderSales).set(patch).where(and(eq(orderSales.storeId, storeId), eq(orderSales.bcOrderId, bcOrderId), eq(orderSales.lsOutletId, lsOutletId)));
    },
    /** Sales booked per outlet since `since` (the day's load, for capacity). */
    async countSince(since: Date): Promise<Map<string, number>> {
      const rows = await db
        .select({ outlet: orderSales.lsOutletId, n: sql<number>`count(distinct ${orderSales.bcOrderId})::int` })
        .from(orderSales)
        .where(and(eq(orderSales.storeId, storeId), gte(orderSales.createdAt, since)))
        .groupBy(orderSales.lsOutletId);
      return new Map(rows.map((r) => [r.outlet, r.n]));
    },
    async count(): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(orderSales).where(eq(orderSales.storeId, storeId));
      return row?.n ?? 0;
    },
  };

  const refunds = {
    /**
     * Claims a refund for handling: null when it was handled (or is being handled) already. A
     * refund whose handling failed is claimed again (its retry), with the Lightspeed returns the
     * failed attempt had started, so the retry finishes them rather than start another.
     */
    async claim(bcRefundId: number, bcOrderId: number): Promise<{ startedReturns: string[] } | null> {
      const rows = await db
        .insert(orderRefunds)
        .values({ storeId, bcRefundId, bcOrderId, outcome: 'handling' })
        .onConflictDoUpdate({ target: [orderRefunds.storeId, orderRefunds.bcRefundId], set: { outcome: 'handling' }, setWhere: sql`${orderRefunds.outcome} like 'failed%'` })
        .returning({ ids: orderRefunds.lsReturnSaleIds });
      return rows[0] ? { startedReturns: rows[0].ids } : null;
    },
    /** The Lightspeed returns this refund has started so far (recorded before each is completed). */
    async started(bcRefundId: number, lsReturnSaleIds: string[]): Promise<void> {
      await db.update(orderRefunds).set({ lsReturnSaleIds }).where(and(eq(orderRefunds.storeId, storeId), eq(orderRefunds.bcRefundId, bcRefundId)));
    },
    /** Records how handling ended; the returns it started are kept unless `lsReturnSaleIds` replaces them. */
    async done(bcRefundId: number, outcome: string, lsReturnSaleIds?: string[]): Promise<void> {
      await db.update(orderRefunds).set({ outcome, ...(lsReturnSaleIds ? { lsReturnSaleIds } : {}) }).where(and(eq(orderRefunds.storeId, storeId), eq(orderRefunds.bcRefundId, bcRefundId)));
    },
    async forOrder(bcOrderId: number) {
      return db.select().from(orderRefunds).where(and(eq(orderRefunds.storeId, storeId), eq(orderRefunds.bcOrderId, bcOrderId)));
    },
  };

  const settings = {
    async get(): Promise<OrderSettingsRow> {
      const [row] = await db.insert(orderSettings).values({ storeId }).onConflictDoNothing().returning();
      if (row) return row;
      const [existing] = await db.select().from(orderSettings).where(eq(orderSettings.storeId, storeId));
      if (!existing) throw new Error('order settings missing');
      return existing;
    },
    async update(patch: Partial<Omit<OrderSettingsRow, 'storeId' | 'updatedAt'>>): Promise<OrderSettingsRow> {
      await settings.get();
      const [row] = await db.update(orderSettings).set(patch).where(eq(orderSettings.storeId, storeId)).returning();
      return row!;
    },
  };

  return { orders, sales, refunds, settings };
}

export type OrdersRepository = ReturnType<typeof ordersFor>;
