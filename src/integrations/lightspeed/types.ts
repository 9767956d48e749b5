/**
 * The app's own view of Lightspeed records. Endpoint modules parse raw payloads (snake_case,
 * API-version specific) into these; nothing outside `integrations/` sees a raw payload.
 * Timestamps stay ISO strings as Lightspeed sends them; money and quantities are numbers.
 */

/** One page of a version-cursored list; pass `nextAfter` as `after` for the next page. */
export interface Page<T> {
  items: T[];
  /** Highest version on this page, or null when the page is empty (the end). */
  nextAfter: number | null;
}

export interface Outlet {
  id: string;
  name: string;
  timeZone: string | null;
  currency: string | null;
  displayPrices: 'inclusive' | 'exclusive' | null;
  defaultTaxId: string | null;
  email: string | null;
  phone: string | null;
  address: {
    line1: string | null;
    line2: string | null;
    suburb: string | null;
    city: string | null;
    postcode: string | null;
    state: string | null;
    countryId: string | null;
  };
  latitude: number | null;
  longitude: number | null;
  deletedAt: string | null;
  version: number;
}

export interface Register {
  id: string;
  name: string;
  outletId: string;
  isOpen: boolean;
  deletedAt: string | null;
  version: number;
}

export interface LightspeedUser {
  id: string;
  username: string;
  displayName: string | null;
  accountType: string;
  restrictedOutletIds: string[];
  deletedAt: string | null;
  version: number;
}

export interface PaymentType {
  id: string;
  name: string;
  /** The global payment type id; several retailer payment types may share it. */
  typeId: number | null;
  disabled: boolean;
  internal: boolean;
  outletIds: string[] | null;
  deletedAt: string | null;
  version: number;
}

export interface Tax {
  id: string;
  name: string;
  isDefault: boolean;
  /** Fraction, e.g. 0.15; the sum when the tax has several rates. */
  rate: number;
  deletedAt: string | null;
  version: number;
}

export type ProductCodeType = 'CUSTOM' | 'EAN' | 'ISBN' | 'ITF' | 'JAN' | 'UPC';

export interface Product {
  id: string;
  name: string;
  /** "Should be unique" per Lightspeed, but not enforced. */
  sku: string;
  handle: string | null;
  active: boolean;
  /** `has_inventory`: false for products that do not track stock. */
  tracksInventory: boolean;
  hasVariants: boolean;
  isComposite: boolean;
  /** Shared by every member of a variant family (replacing `variantParentId` over time). */
  familyId: string | null;
  variantParentId: string | null;
  variantName: string | null;
  variantOptions: { name: string; value: string }[];
  priceExcludingTax: number | null;
  priceIncludingTax: number | null;
  supplyPrice: number | null;
  productCodes: { type: ProductCodeType | null; code: string }[];
  /** `brand.name`, for the app's item filters (optional: older stored states lack it). */
  brand?: string | null;
  /** `type.name` (the product type, now "product category"). */
  productType?: string | null;
  /** `categories[].name`: the product's tags. */
  tags?: string[];
  sourceId: string | null;
  sourceVariantId: string | null;
  deletedAt: string | null;
  updatedAt: string | null;
  version: number;
}

export interface VariantAttribute {
  id: string;
  name: string;
  deletedAt: string | null;
}

export interface InventoryRecord {
  id: string;
  productId: string;
  outletId: string;
  /** `current_inventory_level`: on hand at the outlet. */
  onHand: number;
  averageCost: number | null;
  reorderPoint: number | null;
  reorderAmount: number | null;
  deletedAt: string | null;
  version: number;
}

export type SaleState = 'parked' | 'pending' | 'voided' | 'closed';
export type FulfillmentMethod = 'DISPATCH' | 'PICKUP';

export interface SaleLine {
  id: string | null;
  productId: string | null;
  quantity: number;
  price: number | null;
  taxId: string | null;
  tax: number | null;
  status: string | null;
  isReturn: boolean;
}

export interface Sale {
  id: string;
  state: SaleState | null;
  invoiceNumber: string | null;
  receiptNumber: string | null;
  date: string | null;
  customerId: string | null;
  note: string | null;
  /** Our reference in another system (`source.id`, the BigCommerce order id for our sales). */
  sourceId: string | null;
  sourceType: string | null;
  outletId: string | null;
  registerId: string | null;
  lineItems: SaleLine[];
  payments: { id: string | null; paymentTypeId: string | null; amount: number }[];
  totalIncludingTax: number | null;
  totalTax: number | null;
  originalSaleId: string | null;
  returnSaleIds: string[];
  version: number | null;
}

export interface NewSaleLine {
  productId: string;
  quantity: number;
  /** Unit price, tax exclusive. */
  price: number;
  /** The tax applied; for tax-free items the retailer's "no tax" tax id. */
  taxId: string;
  /** Unit tax amount. */
  taxAmount: number;
  cost?: number;
  discount?: number;
  /** The outlet that fulfils this line; defaults to the sale's `fulfillmentOutletId`. */
  fulfillmentOutletId?: string;
  /** Only used on create; Lightspeed ignores it on update. */
  fulfillmentMethod?: FulfillmentMethod;
  sequence?: number;
  isPriceOverride?: boolean;
  /** `CONFIRMED` on a pending sale makes the line read-only. */
  status?: string;
  note?: string;
}

export interface NewSale {
  /**
   * Client-chosen sale UUID. Give a stable one (e.g. derived from the BigCommerce order) so a
   * retried create cannot book the same order twice.
   */
  id?: string;
  /** The user (cashier) recorded as creating the sale. */
  authorId: string;
  registerId?: string;
  /** Our id for this sale in the other system (the BigCommerce order id). */
  sourceId?: string;
  /** Name of the other system, e.g. `BigCommerce`. */
  sourceType?: string;
  state: SaleState;
  date?: string;
  customerId?: string;
  invoiceNumber?: string;
  note?: string;
  attributes?: string[];
  /** Default fulfilling outlet for lines that do not name their own. */
  fulfillmentOutletId?: string;
  fulfillmentDetails?: { type: FulfillmentMethod; note?: string; shippingAddressId?: string }[];
  lineItems: (NewSaleLine & { id?: string })[];
  payments?: { id?: string; paymentTypeId: string; amount: number; date?: string; registerId?: string }[];
}

export type FulfillmentState = 'OPEN' | 'STARTED' | 'PICKED' | 'PACKED' | 'FULFILLED';

export interface Fulfillment {
  id: string;
  saleId: string;
  outletId: string;
  type: 'PICKUP' | 'DISPATCH' | 'SERVICE';
  state: FulfillmentState;
  /** Staff's note on the fulfilment (the sandbox register keeps a tracking number there). */
  note: string | null;
  lineItems: { saleLineItemId: string; productId: string; quantity: number; fulfilledQuantity: number }[];
  /** Optimistic-lock version, required to fulfil individual lines. */
  version: number;
}

export type StockAdjustmentReason = 'DAMAGE' | 'EXPIRY' | 'INTERNAL_USE' | 'THEFT' | 'DONATION' | 'STOCK_FOUND' | 'SAMPLE_FOR_SALE' | 'CUSTOM';

export interface NewStockAdjustment {
  productId: string;
  outletId: string;
  /** Signed delta: negative for DAMAGE/EXPIRY/INTERNAL_USE/THEFT/DONATION, positive for STOCK_FOUND/SAMPLE_FOR_SALE. */
  quantity: number;
  reason: StockAdjustmentReason;
  customReasonId?: string;
}

export interface StockAdjustment {
  id: string;
  productId: string;
  outletId: string;
  quantity: number;
  reason: StockAdjustmentReason;
  userId: string | null;
  createdAt: string | null;
  version: number;
}

export type ConsignmentType = 'SUPPLIER' | 'OUTLET' | 'STOCKTAKE' | 'RETURN';
export type ConsignmentStatus =
  | 'OPEN'
  | 'SENT'
  | 'DISPATCHED'
  | 'RECEIVED'
  | 'STOCKTAKE_IN_PROGRESS'
  | 'STOCKTAKE_SCHEDULED'
  | 'STOCKTAKE_IN_PROGRESS_PROCESSED'
  | 'STOCKTAKE_COMPLETE'
  | 'CLOSED'
  | 'CANCELLED';

export interface Consignment {
  id: string;
  name: string;
  type: ConsignmentType;
  status: ConsignmentStatus | null;
  outletId: string;
  sourceOutletId: string | null;
  supplierId: string | null;
  reference: string | null;
  version: number | null;
}

export interface ConsignmentLine {
  productId: string;
  /** Expected count. */
  count?: number;
  /** Observed (received or counted) quantity. */
  received?: number;
  cost?: number;
}

export type WebhookType = 'sale.update' | 'product.update' | 'customer.update' | 'inventory.update' | 'register_closure.create' | 'consignment.send' | 'consignment.receive';

export interface WebhookSubscription {
  id: string;
  url: string;
  active: boolean;
  type: WebhookType;
}
