/**
 * The sandbox store's state. Everything is plain JSON (records and arrays, no Maps or classes)
 * so the whole state can be persisted with JSON.stringify and restored as-is.
 */
import type { RandomState } from './random';

export type StockMode = 'default-location' | 'aggregated';
export type UpdateStockBehavior = 'order_placed' | 'order_completed_or_shipped';

export interface Plan {
  name: string; // plan_name in /v2/store
  level: string; // plan_level in /v2/store
  maxLocations: number; // active locations allowed (inventory-locations guide)
}

export interface OptionValue {
  id: number;
  label: string;
  sort_order: number;
  is_default: boolean;
  value_data: Record<string, unknown> | null;
}

export interface ProductOption {
  id: number;
  product_id: number;
  display_name: string;
  type: 'radio_buttons' | 'rectangles' | 'dropdown' | 'product_list' | 'product_list_with_images' | 'swatch';
  sort_order: number;
  option_values: OptionValue[];
}

export interface Variant {
  id: number;
  product_id: number;
  sku: string;
  /** option_values as {option_id, id}; labels are resolved from the product's options on read. */
  option_value_ids: { option_id: number; id: number }[];
  price: number | null;
  sale_price: number | null;
  retail_price: number | null;
  cost_price: number | null;
  weight: number | null;
  upc: string;
  gtin: string;
  mpn: string;
  purchasing_disabled: boolean;
  inventory_warning_level: number;
  bin_picking_number: string;
}

/** A product image added by URL (products_catalog.v3.yml `productImage_Full`). */
export interface ProductImage {
  id: number;
  product_id: number;
  image_url: string;
  /** The stored file's path, as BigCommerce names it (`image_file`): derived from the URL. */
  image_file: string;
  is_thumbnail: boolean;
  sort_order: number;
  description: string;
  date_modified: string;
}

/** A product custom field (products_catalog.v3.yml `customFieldData`). */
export interface CustomField {
  id: number;
  name: string;
  value: string;
}

export interface Product {
  id: number;
  name: string;
  type: 'physical' | 'digital';
  sku: string;
  description: string;
  weight: number;
  price: number;
  cost_price: number;
  retail_price: number;
  sale_price: number;
  categories: number[];
  inventory_tracking: 'none' | 'product' | 'variant';
  inventory_warning_level: number;
  is_visible: boolean;
  availability: 'available' | 'disabled' | 'preorder';
  upc: string;
  gtin: string;
  mpn: string;
  date_created: string;
  date_modified: string;
  /** Variant ids in creation order. A simple product has exactly one "base" variant with no options. */
  variant_ids: number[];
  options: ProductOption[];
  total_sold: number;
  /** Absent in state persisted before images existed: read as none. */
  images?: ProductImage[];
  /** Absent in state persisted before custom fields existed: read as none. */
  custom_fields?: CustomField[];
}

export interface Category {
  id: number;
  uuid: string;
  tree_id: number;
  parent_id: number;
  name: string;
  description: string;
  is_visible: boolean;
  sort_order: number;
  page_title: string;
  search_keywords: string;
  url_path: string;
}

export interface Channel {
  id: number;
  name: string;
  type: 'pos' | 'marketplace' | 'storefront' | 'marketing';
  platform: string;
  status: string;
  external_id: string;
  is_listable_from_ui: boolean;
  is_visible: boolean;
  is_enabled: boolean;
  date_created: string;
  date_modified: string;
}

export interface Address {
  address1: string;
  address2: string;
  city: string;
  state: string;
  zip: string;
  email: string;
  phone: string;
  geo_coordinates: { latitude: number; longitude: number };
  country_code: string;
}

export interface Location {
  id: number;
  code: string;
  label: string;
  description: string;
  managed_by_external_source: boolean;
  type_id: 'PHYSICAL' | 'VIRTUAL';
  enabled: boolean;
  storefront_visibility: boolean;
  time_zone: string;
  address: Address | null;
  created_at: string;
  updated_at: string;
}

/** Stock of one variant at one location. Present only once something wrote it (absolute baseline). */
export interface StockRecord {
  variant_id: number;
  location_id: number;
  on_hand: number;
  safety_stock: number;
  is_in_stock: boolean;
  warning_level: number;
  bin_picking_number: string;
}

export interface InventoryItemChange {
  location_id: number;
  variant_id: number;
  quantity: number; // absolute: new on-hand; relative: signed delta
}

/** An accepted adjustment waiting for its asynchronous apply. */
export interface PendingAdjustment {
  transaction_id: string;
  method: 'absolute' | 'relative';
  reason: string;
  items: InventoryItemChange[];
  apply_at: number;
}

export interface BillingAddress {
  first_name: string;
  last_name: string;
  company: string;
  street_1: string;
  street_2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  country_iso2: string;
  phone: string;
  email: string;
}

export interface OrderProduct {
  id: number;
  order_id: number;
  product_id: number;
  variant_id: number;
  order_address_id: number;
  order_pickup_method_id: number;
  name: string;
  sku: string;
  quantity: number;
  quantity_shipped: number;
  quantity_refunded: number;
  refund_amount: number;
  price_ex_tax: number;
  price_inc_tax: number;
  base_cost_price: number;
  upc: string;
}

/** Where the order's stock was taken from, so a cancellation can return it to the same places. */
export interface StockDecrement {
  variant_id: number;
  location_id: number;
  quantity: number;
}

export interface Shipment {
  id: number;
  order_id: number;
  order_address_id: number;
  date_created: string;
  tracking_number: string;
  tracking_link: string;
  tracking_carrier: string;
  shipping_provider: string;
  shipping_method: string;
  comments: string;
  items: { order_product_id: number; product_id: number; quantity: number }[];
}

export interface RefundItem {
  item_type: 'PRODUCT' | 'GIFT_WRAPPING' | 'SHIPPING' | 'HANDLING' | 'ORDER' | 'TAX' | 'FEE';
  item_id: number;
  quantity?: number;
  amount?: number;
  reason?: string;
}

export interface Refund {
  id: number;
  order_id: number;
  created: string;
  reason: string;
  total_amount: number;
  total_tax: number;
  items: (RefundItem & { requested_amount: number })[];
  payments: { id: number; provider_id: string; amount: number; offline: boolean }[];
}

/** A pickup method (pickup_methods.v3.yml `PickupMethodResponse`): how shoppers collect at one location. */
export interface PickupMethod {
  id: number;
  location_id: number;
  display_name: string;
  collection_instructions: string;
  collection_time_description: string;
  date_created: string;
  date_modified: string;
}

/** A pickup of an order's items (pickup.v3.yml `Pickup`), recorded by the merchant or an app. */
export interface Pickup {
  id: number;
  order_id: number;
  pickup_method_id: number;
  ready_at: string;
  created_at: string;
  updated_at: string;
  pickup_items: { id: number; order_product_id: number; quantity: number; status: 'AWAITING_COLLECTION' | 'COLLECTED'; collected_at: string | null }[];
}

/** An order's pickup consignment (orders.v2 `pickupConsignment_Get`), fixed when the order is placed. */
export interface OrderPickupConsignment {
  id: number;
  pickup_method_id: number;
  location_id: number;
  display_name: string;
  collection_instructions: string;
  collection_time_description: string;
  /** Location details as the order was placed with them (`pickupConsignmentLocation_Post`); absent fields come from the location. */
  location: Record<string, string>;
}

/** Sandbox choices where BigCommerce's docs are silent (see the README's fidelity table). */
export interface OrderPolicies {
  /** `POST /v2/orders` (and an API move out of Incomplete) beyond sellable stock: refused with 400, or accepted and oversold. */
  apiStockCheck: 'reject' | 'allow';
  /** Pre-order products: sold against stock like available ones, or without a stock check. */
  preorderStock: 'check' | 'ignore';
}

export interface Order {
  id: number;
  status_id: number;
  channel_id: number;
  customer_id: number;
  date_created: string;
  date_modified: string;
  date_shipped: string;
  billing_address: BillingAddress;
  shipping_address: BillingAddress | null; // one shipping address (id = order_address_id) or none for pickup
  order_address_id: number;
  pickup_location_id: number | null;
  /** The pickup consignment of a pickup order (absent in state persisted before pickup methods existed). */
  pickup?: OrderPickupConsignment | null;
  /** The shipping method the shopper chose (shipping consignments' `shipping_method`). */
  shipping_method?: string;
  external_source: string | null;
  external_id: string | null;
  external_order_id: string;
  order_source: string;
  payment_method: string;
  customer_message: string;
  staff_notes: string;
  shipping_cost_inc_tax: number;
  refunded_amount: number;
  products: OrderProduct[];
  shipments: Shipment[];
  refunds: Refund[];
  /** Set once the order's stock was decremented (per update_stock_behavior) and not yet returned. */
  decrements: StockDecrement[] | null;
  is_deleted: boolean;
}

export interface Hook {
  id: number;
  client_id: string;
  store_hash: string;
  scope: string;
  destination: string;
  is_active: boolean;
  headers: Record<string, string> | null;
  created_at: number;
  updated_at: number;
  /** When a new hook starts receiving events ("up to one minute" after creation); ms. */
  activates_at?: number;
  /** Last time an event was sent to the hook, or it was created or re-enabled; ms (90-day inactivity rule). */
  last_event_at?: number;
  /** Set when the platform, not the app, switched the hook off. */
  deactivated_reason?: 'retries' | 'inactivity';
}

export interface DeliveryAttempt {
  webhook_id: string; // the Standard Webhooks message id; identical on retries and duplicates
  hook_id: number;
  scope: string;
  destination: string;
  attempt: number; // 1 = first try
  at: number;
  status: number | null; // HTTP status, null on network error/timeout
  outcome: 'delivered' | 'failed' | 'dropped' | 'blocked' | 'deactivated';
  duplicate: boolean; // a fault-injected second copy of a message already sent
  error?: string;
  body: string;
}

export interface StoreState {
  hash: string;
  store_id: number;
  name: string;
  plan: Plan;
  stockMode: StockMode;
  updateStockBehavior: UpdateStockBehavior;
  /** Stored inventory settings other than update_stock_behavior (absent until first written). */
  inventorySettings?: Record<string, unknown>;
  /** Per-channel overrides of the inventory settings, by channel id (absent fields inherit the global value). */
  channelInventorySettings?: Record<string, Record<string, unknown>>;
  quota: { requests: number; windowMs: number } | null; // null → sandbox default
  installed: boolean;
  nextId: Record<string, number>;
  products: Product[];
  variants: Variant[];
  categories: Category[];
  channels: Channel[];
  channelAssignments: { product_id: number; channel_id: number }[];
  locations: Location[];
  stock: StockRecord[];
  pendingAdjustments: PendingAdjustment[];
  orders: Order[];
  hooks: Hook[];
  deliveries: DeliveryAttempt[];
  /** Pickup methods and pickups (absent in state persisted before they existed: read as none). */
  pickupMethods?: PickupMethod[];
  pickups?: Pickup[];
  /** Absent: the defaults in policies.ts. */
  orderPolicies?: Partial<OrderPolicies>;
  /** Notification emails per API account (client_id), set with PUT /v3/hooks/admin. */
  hookAdminEmails?: Record<string, string[]>;
  /** Order messages (orders.v2 `/orders/{order_id}/messages`); absent until the first one. */
  orderMessages?: OrderMessage[];
}

export interface OrderMessage {
  id: number;
  order_id: number;
  staff_id: number;
  customer_id: number;
  type: 'customer' | 'admin';
  subject: string;
  message: string;
  status: 'read' | 'unread';
  is_flagged: boolean;
  date_created: string;
}

export interface Grant {
  code: string;
  store_hash: string;
  scope: string;
  user: { id: number; username: string; email: string };
  owner: { id: number; username: string; email: string };
  account_uuid: string;
  expires_at: number;
}

export interface AccessToken {
  token: string;
  store_hash: string;
  scope: string;
  client_id: string;
}

export interface SandboxState {
  /** The seeded generators' state (random.ts); absent in state saved before runs were seeded. */
  random?: RandomState;
  stores: Record<string, StoreState>;
  grants: Grant[];
  tokens: AccessToken[];
}
