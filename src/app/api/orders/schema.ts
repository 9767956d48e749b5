/**
 * What the orders routes answer: the contract the Orders page is built on. The page takes its
 * types from here (never from the server's modules); the routes parse their answers with these
 * schemas, so a drift fails on the server, in tests, not in a merchant's browser.
 */
import { z } from 'zod';

export const orderStates = ['recorded', 'unmanaged', 'waiting', 'routed', 'booked', 'fulfilled', 'cancelled', 'refunded', 'error'] as const;
export type OrderState = (typeof orderStates)[number];

export const saleStates = ['booking', 'booked', 'fulfilled', 'voided'] as const;
export type SaleState = (typeof saleStates)[number];

export const orderSaleSchema = z.object({
  outletId: z.string(),
  outletName: z.string(),
  saleId: z.string(),
  /** What staff see at the register. */
  invoiceNumber: z.string().nullable(),
  state: z.enum(saleStates),
  /** Units nobody had: the outlet orders them in. */
  backorder: z.boolean(),
  units: z.number().int().nonnegative(),
  fulfilledUnits: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type OrderSale = z.infer<typeof orderSaleSchema>;

export const orderRowSchema = z.object({
  id: z.number().int().positive(),
  placedAt: z.iso.datetime().nullable(),
  channel: z.string(),
  status: z.object({ id: z.number().int(), name: z.string() }),
  state: z.enum(orderStates),
  fulfilment: z.enum(['pickup', 'shipping']),
  destination: z.string().nullable(),
  pickupLocation: z.string().nullable(),
  total: z.string().nullable(),
  lines: z.array(z.object({ name: z.string(), sku: z.string(), quantity: z.number().int(), synced: z.boolean() })),
  routing: z.object({ kind: z.enum(['pickup', 'single', 'split', 'backorder', 'unroutable']), summary: z.string(), reasons: z.array(z.string()) }).nullable(),
  sales: z.array(orderSaleSchema),
  flagged: z.boolean(),
  attention: z.string().nullable(),
  error: z.string().nullable(),
  canRetry: z.boolean(),
});
export type OrderRow = z.infer<typeof orderRowSchema>;

export const ordersPageSchema = z.object({
  orders: z.array(orderRowSchema),
  /** Pass as `before` for the next (older) page; null on the last page. */
  next: z.number().int().positive().nullable(),
});
export type OrdersPage = z.infer<typeof ordersPageSchema>;

export const retryStartedSchema = z.object({ orderId: z.number().int().positive(), queued: z.boolean() });
export type RetryStarted = z.infer<typeof retryStartedSchema>;

export const routingSettingsSchema = z.object({
  splitPolicy: z.enum(['split', 'backorder']),
  backorderOutletId: z.string().nullable(),
  shippingMode: z.enum(['note', 'line']),
  shippingProduct: z.object({ id: z.string(), name: z.string(), sku: z.string() }).nullable(),
  returnStockOnRefund: z.boolean(),
  outlets: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** The BigCommerce location it is mapped to (pickups there go to it); null: not mapped. */
      location: z.number().int().nullable(),
      fulfils: z.boolean(),
      rank: z.number().int(),
      dailyCapacity: z.number().int().nullable(),
      ordersToday: z.number().int().nonnegative(),
    }),
  ),
});
export type RoutingSettings = z.infer<typeof routingSettingsSchema>;

/** What the settings panel sends (the server checks it again: src/jobs/lifecycle/orders.ts). */
export interface RoutingSettingsPatch {
  splitPolicy?: 'split' | 'backorder';
  backorderOutletId?: string | null;
  shippingMode?: 'note' | 'line';
  shippingSku?: string | null;
  returnStockOnRefund?: boolean;
  outlets?: { id: string; fulfils?: boolean; rank?: number; dailyCapacity?: number | null }[];
}
