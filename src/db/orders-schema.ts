/**
 * Online orders (DESIGN §2 orders row, §5 routing): each BigCommerce order the app has seen, its
 * routing decision, the Lightspeed sale each fulfilling outlet got (one per order and outlet,
 * exactly once), refunds handled, and the merchant's booking settings.
 */
import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, index } from 'drizzle-orm/pg-core';
import { stores } from './schema';

const storeRef = () =>
  uuid('store_id')
    .notNull()
    .references(() => stores.id, { onDelete: 'cascade' });
const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

export const onlineOrderStates = ['recorded', 'unmanaged', 'waiting', 'routed', 'booked', 'fulfilled', 'cancelled', 'refunded', 'error'] as const;
export type OnlineOrderState = (typeof onlineOrderStates)[number];

export interface OrderLineRecord {
  lineId: number;
  lsProductId: string | null;
  bcVariantId: number | null;
  name: string;
  sku: string;
  quantity: number;
  priceExTax: number;
  priceIncTax: number;
  basePrice: number;
  quantityRefunded: number;
}

export interface OrderDestination {
  postcode: string | null;
  city: string | null;
  region: string | null;
  country: string | null;
  /** Who and where it ships to, for the store that sends it (orders taken in before these were kept have none). */
  name?: string | null;
  company?: string | null;
  street1?: string | null;
  street2?: string | null;
  phone?: string | null;
}

export const onlineOrders = pgTable(
  'online_orders',
  {
    storeId: storeRef(),
    bcOrderId: integer('bc_order_id').notNull(),
    statusId: integer('status_id').notNull(),
    channelId: integer('channel_id'),
    pickupLocationId: integer('pickup_location_id'),
    orderAddressId: integer('order_address_id'),
    destination: jsonb('destination').$type<OrderDestination>(),
    shippingMethod: text('shipping_method'),
    shippingCostExTax: text('shipping_cost_ex_tax'),
    shippingCostIncTax: text('shipping_cost_inc_tax'),
    customerMessage: text('customer_message'),
    total: text('total'),
    lines: jsonb('lines').$type<OrderLineRecord[]>().notNull().default([]),
    state: text('state', { enum: onlineOrderStates }).notNull().default('recorded'),
    /** The routing decision with its reasons (core/routing RoutingDecision). */
    routing: jsonb('routing').$type<Record<string, unknown>>(),
    flagged: boolean('flagged').notNull().default(false),
    /** Why it needs the merchant (an error, a backorder, a short pickup), in their words. */
    attention: text('attention'),
    placedAt: timestamp('placed_at', { withTimezone: true }),
    /**
     * What the last complete intake read of the order (status, refunded amount, total, items,
     * modification time: `orderFingerprint`). The order poll lists orders with these fields and
     * skips one whose listing still says the same: nothing changed since it was taken in.
     */
    takenIn: text('taken_in'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.bcOrderId] }), index('online_orders_store_time_idx').on(t.storeId, t.createdAt)],
);

export const orderSaleStates = ['booking', 'booked', 'fulfilled', 'voided'] as const;
export type OrderSaleState = (typeof orderSaleStates)[number];

export interface SaleLineRecord {
  bcLineId: number;
  lsProductId: string;
  quantity: number;
}

/** One Lightspeed sale per order and fulfilling outlet; its id is fixed before it is created. */
export const orderSales = pgTable(
  'order_sales',
  {
    storeId: storeRef(),
    bcOrderId: integer('bc_order_id').notNull(),
    lsOutletId: text('ls_outlet_id').notNull(),
    lsSaleId: text('ls_sale_id').notNull(),
    /** The sale's invoice number in Lightspeed (what staff see at the register), once booked. */
    lsInvoiceNumber: text('ls_invoice_number'),
    state: text('state', { enum: orderSaleStates }).notNull().default('booking'),
    backorder: boolean('backorder').notNull().default(false),
    lines: jsonb('lines').$type<SaleLineRecord[]>().notNull().default([]),
    /** BigCommerce line id → units shipped (or collected) from this outlet so far. */
    shipped: jsonb('shipped').$type<Record<string, number>>().notNull().default({}),
    bookedAt: timestamp('booked_at', { withTimezone: true }),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.bcOrderId, t.lsOutletId] }), uniqueIndex('order_sales_sale_uq').on(t.storeId, t.lsSaleId), index('order_sales_outlet_day_idx').on(t.storeId, t.lsOutletId, t.createdAt)],
);

/** A BigCommerce refund handled once, whichever webhook brought it. */
export const orderRefunds = pgTable(
  'order_refunds',
  {
    storeId: storeRef(),
    bcRefundId: integer('bc_refund_id').notNull(),
    bcOrderId: integer('bc_order_id').notNull(),
    /** Lightspeed return sales it created (none for an amount-only refund). */
    lsReturnSaleIds: text('ls_return_sale_ids').array().notNull().default([]),
    outcome: text('outcome').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.bcRefundId] })],
);

export const orderSettings = pgTable('order_settings', {
  storeId: uuid('store_id')
    .primaryKey()
    .references(() => stores.id, { onDelete: 'cascade' }),
  backorderOutletId: text('backorder_outlet_id'),
  /** 'split': an order no single outlet can fill is split; 'backorder': it goes whole to the backorder outlet. */
  splitPolicy: text('split_policy', { enum: ['split', 'backorder'] }).notNull().default('split'),
  shippingMode: text('shipping_mode', { enum: ['note', 'line'] }).notNull().default('note'),
  shippingProductId: text('shipping_product_id'),
  paymentTypeId: text('payment_type_id'),
  /** A refund with items returns the units to the outlet's stock in Lightspeed. */
  returnStockOnRefund: boolean('return_stock_on_refund').notNull().default(true),
  /** The order poll's mark: orders modified before this have been taken in. */
  pollCursor: timestamp('poll_cursor', { withTimezone: true }),
  updatedAt: updatedAt(),
});
