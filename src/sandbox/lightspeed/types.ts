/**
 * The sandbox's internal model of one Lightspeed X-Series retailer. Records are plain JSON
 * (Records, not Maps) so the whole state can be persisted and restored as-is. The API shapes
 * are produced from these by `shapes.ts`; internal-only fields are never serialised directly.
 */

export const SALE_STATUSES = [
  'SAVED',
  'OPEN',
  'CLOSED',
  'ONACCOUNT',
  'LAYBY',
  'ONACCOUNT_CLOSED',
  'LAYBY_CLOSED',
  'AWAITING_DISPATCH',
  'AWAITING_PICKUP',
  'DISPATCHED_CLOSED',
  'PICKED_UP_CLOSED',
  'VOIDED',
  'SERVICE',
  'SERVICE_CLOSED',
] as const;
/**
 * The legacy sale status: the 2.0 `Sale.status` enum (x-series-2.0.openapi.json
 * components.schemas.Sale) plus OPEN, which docs/sales_states_and_attributes maps to a `pending`
 * sale without attributes.
 */
export type SaleStatus = (typeof SALE_STATUSES)[number];

/** 2026-07 sale attributes (docs/sales_states_and_attributes): with `state`, they give the legacy status. */
export const SALE_ATTRIBUTES = ['onaccount', 'layby', 'delivery', 'pickup', 'service'] as const;
export type SaleAttribute = (typeof SALE_ATTRIBUTES)[number];
export type SaleState = 'parked' | 'pending' | 'closed' | 'voided';

export const WEBHOOK_TYPES = [
  'sale.update',
  'product.update',
  'customer.update',
  'inventory.update',
  'register_closure.create',
  'consignment.send',
  'consignment.receive',
] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

export const STOCK_ADJUSTMENT_REASONS = [
  'DAMAGE',
  'EXPIRY',
  'INTERNAL_USE',
  'THEFT',
  'DONATION',
  'STOCK_FOUND',
  'SAMPLE_FOR_SALE',
  'CUSTOM',
] as const;
export type StockAdjustmentReason = (typeof STOCK_ADJUSTMENT_REASONS)[number];

export const CONSIGNMENT_TYPES = ['SUPPLIER', 'OUTLET', 'STOCKTAKE', 'RETURN'] as const;
export type ConsignmentType = (typeof CONSIGNMENT_TYPES)[number];
export const CONSIGNMENT_STATUSES = [
  'OPEN',
  'SENT',
  'DISPATCHED',
  'RECEIVED',
  'STOCKTAKE_IN_PROGRESS',
  'STOCKTAKE_SCHEDULED',
  'STOCKTAKE_IN_PROGRESS_PROCESSED',
  'STOCKTAKE_COMPLETE',
  'CLOSED',
  'CANCELLED',
] as const;
export type ConsignmentStatus = (typeof CONSIGNMENT_STATUSES)[number];

export interface Versioned {
  id: string;
  version: number;
  deleted_at: string | null;
}

export interface Named extends Versioned {
  name: string;
}

export interface Outlet extends Named {
  kind: 'store' | 'warehouse';
  time_zone: string;
  currency: string;
  currency_symbol: string;
  default_tax_id: string;
  email: string;
  phone: string | null;
  physical_address_1: string | null;
  physical_city: string | null;
  physical_postcode: string | null;
  physical_state: string | null;
  physical_country_id: string | null;
}

export interface Register extends Named {
  outlet_id: string;
  is_open: boolean;
  invoice_prefix: string;
  invoice_suffix: string;
  invoice_sequence: number;
  register_open_time: string | null;
  register_close_time: string | null;
  register_open_sequence_id: string | null;
  /** Sandbox-only: an offline register holds its sales locally until it comes back. */
  offline: boolean;
}

export interface User extends Versioned {
  username: string;
  display_name: string;
  email: string;
  account_type: 'cashier' | 'manager' | 'admin';
  is_primary_user: boolean;
  created_at: string;
  updated_at: string;
}

export interface PaymentType extends Named {
  type_id: number;
  category: string;
}

export interface Tax extends Named {
  display_name: string;
  rate: number;
  rate_id: string;
  is_default: boolean;
}

export interface ProductCode {
  id: string;
  type: 'CUSTOM' | 'EAN' | 'ISBN' | 'ITF' | 'JAN' | 'UPC';
  code: string;
}

export interface Product extends Named {
  family_id: string;
  variant_parent_id: string | null;
  /** Parent of a variant family: a container, it has no inventory records of its own. */
  is_family_parent: boolean;
  base_name: string;
  variant_name: string | null;
  variant_options: { name: string; value: string }[];
  variant_count: number | null;
  handle: string;
  sku: string;
  description: string | null;
  active: boolean;
  has_inventory: boolean;
  brand_id: string | null;
  product_type_id: string | null;
  supplier_id: string | null;
  supplier_code: string | null;
  tag_ids: string[];
  price_excluding_tax: number;
  supply_price: number;
  tax_id: string;
  product_codes: ProductCode[];
  source: string;
  source_id: string | null;
  source_variant_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface InventoryRecord extends Versioned {
  product_id: string;
  outlet_id: string;
  current_inventory_level: number;
  reorder_point: number | null;
  reorder_amount: number | null;
  average_cost: number | null;
}

export interface SaleLine {
  id: string;
  product_id: string;
  quantity: number;
  price: number;
  cost: number;
  discount: number;
  loyalty_amount: number;
  tax_id: string;
  tax_amount: number;
  fulfilment_outlet_id: string | null;
  fulfillment_method: 'DISPATCH' | 'PICKUP' | null;
  sequence: number;
  status: 'SAVED' | 'VOIDED' | 'CONFIRMED';
  is_return: boolean;
  is_price_override: boolean;
}

export interface SalePayment {
  id: string;
  payment_type_id: string;
  amount: number;
  date: string;
  register_id: string;
}

/** One stock movement a sale made, kept so a void can reverse exactly what was applied. */
export interface StockMovement {
  product_id: string;
  outlet_id: string;
  quantity: number;
}

export interface Sale extends Versioned {
  register_id: string;
  outlet_id: string;
  user_id: string;
  customer_id: string | null;
  /** The sale date as the register recorded it; offline uploads keep their original date. */
  date: string;
  created_at: string;
  updated_at: string;
  status: SaleStatus;
  /** The 2026-07 `attributes` (payment: onaccount|layby; fulfilment: delivery|pickup; service). */
  attributes: SaleAttribute[];
  invoice_number: string;
  receipt_number: string;
  short_code: string;
  note: string;
  source: { id: string | null; type: string | null };
  fulfillment_outlet_id: string | null;
  fulfillment_details: { type: 'DISPATCH' | 'PICKUP'; note: string | null; shipping_address_id: string | null }[];
  line_items: SaleLine[];
  payments: SalePayment[];
  return_for: string | null;
  return_sale_ids: string[];
  applied: StockMovement[];
}

export interface ConsignmentLine {
  product_id: string;
  count: number | null;
  received: number | null;
  cost: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface Consignment extends Named {
  type: ConsignmentType;
  status: ConsignmentStatus;
  outlet_id: string;
  source_outlet_id: string | null;
  supplier_id: string | null;
  reference: string | null;
  consignment_date: string | null;
  due_at: string | null;
  received_at: string | null;
  created_at: string;
  updated_at: string;
  lines: Record<string, ConsignmentLine>;
  /** Stock already moved out of the source outlet (transfer sent), so it is not moved twice. */
  sent_applied: boolean;
}

export interface StockAdjustment {
  id: string;
  product_id: string;
  outlet_id: string;
  quantity: string;
  reason: StockAdjustmentReason;
  custom_inventory_adjustment_reason_id: string | null;
  user_id: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface Webhook {
  id: string;
  retailer_id: string;
  url: string;
  type: WebhookType;
  active: boolean;
}

export interface FulfillmentLine {
  sale_line_item_id: string;
  product_id: string;
  quantity: number;
  fulfilled_quantity: number;
}

export interface Fulfillment {
  id: string;
  sale_id: string;
  outlet_id: string;
  type: 'DISPATCH' | 'PICKUP';
  /** The spec's enum; the sandbox uses OPEN and FULFILLED (it does not model picking and packing). */
  state: 'OPEN' | 'STARTED' | 'PICKED' | 'PACKED' | 'FULFILLED';
  note: string;
  shipping_address_id: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  line_items: FulfillmentLine[];
  /**
   * The last POST /fulfillments/{id}/fulfill that moved this fulfilment: replaying exactly that
   * request (same body, same now-stale version) answers as the first time instead of 409, which
   * is how the spec's "idempotent" and its version lock fit together.
   */
  last_fulfil: { from_version: number; request: string; to_version: number } | null;
}

/** A sale rung up on an offline register: held until the register reconnects. */
export interface HeldSale {
  register_id: string;
  user_id: string;
  date: string;
  lines: { product_id: string; quantity: number; price: number }[];
  payment_type_id: string;
  customer_id: string | null;
}

export interface Retailer {
  id: string;
  domain_prefix: string;
  name: string;
  created_at: string;
  /** One global, monotonically increasing version counter per retailer (docs/pagination). */
  version: number;
  invoice_sequence: number;
  outlets: Record<string, Outlet>;
  registers: Record<string, Register>;
  users: Record<string, User>;
  payment_types: Record<string, PaymentType>;
  taxes: Record<string, Tax>;
  brands: Record<string, Named>;
  product_types: Record<string, Named>;
  tags: Record<string, Named>;
  suppliers: Record<string, Named>;
  variant_attributes: Record<string, Named>;
  products: Record<string, Product>;
  /** Keyed `${product_id}:${outlet_id}`: one record per product × outlet. */
  inventory: Record<string, InventoryRecord>;
  sales: Record<string, Sale>;
  consignments: Record<string, Consignment>;
  stock_adjustments: Record<string, StockAdjustment>;
  webhooks: Record<string, Webhook>;
  fulfillments: Record<string, Fulfillment>;
  held_sales: HeldSale[];
}
