/**
 * Online orders both ways (DESIGN §2, orders row): when a BigCommerce order is booked, what
 * Lightspeed sale each fulfilling outlet gets, and what a Lightspeed fulfilment means back in
 * BigCommerce (shipments and statuses). Pure.
 */
import { ORDER_STATUS } from '../inventory/orders';
import type { Allocation } from '../routing/route';

export type OrderPhase = 'incomplete' | 'awaiting-payment' | 'bookable' | 'shipped' | 'completed' | 'cancelled' | 'refunded';

/**
 * Where a BigCommerce status leaves an order for booking. Only paid orders waiting to be
 * fulfilled are booked in Lightspeed; unpaid ones are recorded and booked when they get there.
 */
export function orderPhase(statusId: number): OrderPhase {
  switch (statusId) {
    case ORDER_STATUS.incomplete:
      return 'incomplete';
    // Partially Refunded: paid, then part of it refunded, still the order to book and fulfil (the
    // refund's own webhook returns its items). Read as awaiting payment, a booked order went back to waiting.
    case ORDER_STATUS.awaitingFulfillment:
    case ORDER_STATUS.awaitingShipment:
    case ORDER_STATUS.awaitingPickup:
    case ORDER_STATUS.partiallyShipped:
    case ORDER_STATUS.partiallyRefunded:
      return 'bookable';
    case ORDER_STATUS.shipped:
      return 'shipped';
    case ORDER_STATUS.completed:
      return 'completed';
    case ORDER_STATUS.cancelled:
    case ORDER_STATUS.declined:
      return 'cancelled';
    case ORDER_STATUS.refunded:
      return 'refunded';
    default:
      // Pending, Awaiting Payment, Manual Verification Required, Disputed
      return 'awaiting-payment';
  }
}

export interface OrderLineFacts {
  /** BigCommerce order product id. */
  lineId: number;
  lsProductId: string | null;
  name: string;
  sku: string;
  quantity: number;
  /** What BigCommerce charged per unit, after discounts, without and with tax. */
  priceExTax: number;
  priceIncTax: number;
  /** The catalog price per unit before the order's discounts. */
  basePrice: number;
}

export interface BookingSettings {
  /** How shipping reaches Lightspeed: a note on the sale, or a line of this Lightspeed product. */
  shipping: { mode: 'note' } | { mode: 'line'; lsProductId: string };
  paymentTypeId: string;
  /** Lightspeed tax ids: the outlet's default and the retailer's no-tax one. */
  taxId: string;
  noTaxId: string;
  authorId: string;
  registerId: string;
}

export interface OrderFacts {
  id: number;
  /** Shown to staff: `#123`. */
  reference: string;
  pickup: boolean;
  shippingMethod: string | null;
  shippingCostExTax: number;
  shippingCostIncTax: number;
  customerMessage: string | null;
  /** Where a shipped order goes, one line for the store that sends it (`shipToLine`); null for a pickup or when unknown. */
  shipTo?: string | null;
  lines: readonly OrderLineFacts[];
}

/**
 * The shipping address as staff read it on the sale and its dispatch: name, company, street,
 * city, region and postcode, country, phone — whatever BigCommerce gave. Null when it gave none.
 */
export function shipToLine(address: { name?: string | null; company?: string | null; street1?: string | null; street2?: string | null; city: string | null; region: string | null; postcode: string | null; country: string | null; phone?: string | null } | null): string | null {
  if (!address) return null;
  const clean = (v: string | null | undefined) => (v ?? '').trim();
  const place = [clean(address.city), [clean(address.region), clean(address.postcode)].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const parts = [clean(address.name), clean(address.company), clean(address.street1), clean(address.street2), place, clean(address.country)].filter(Boolean);
  if (parts.length === 0) return null;
  const phone = clean(address.phone);
  return `${parts.join(', ')}${phone ? ` (phone ${phone})` : ''}`;
}

export interface SaleDraft {
  state: 'pending';
  sourceId: string;
  sourceType: 'BigCommerce';
  note: string;
  fulfillmentOutletId: string;
  fulfillmentDetails: { type: 'DISPATCH' | 'PICKUP'; note?: string }[];
  lines: {
    productId: string;
    quantity: number;
    price: number;
    discount: number;
    taxId: string;
    taxAmount: number;
    fulfillmentOutletId: string;
    fulfillmentMethod: 'DISPATCH' | 'PICKUP';
    sequence: number;
    isPriceOverride: boolean;
    /** The BigCommerce line it books (for the mapping back). */
    bcLineId: number | null;
  }[];
  payment: { paymentTypeId: string; amount: number };
  registerId: string;
  authorId: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The Lightspeed sale one outlet gets for its share of an order: the lines at the price,
 * discount and tax BigCommerce charged, waiting for dispatch or pickup, paid in full (the money
 * was taken online), carrying the order number as its source. Shipping goes to the outlet that
 * ships the first share (a line or a note, as the merchant chose).
 */
export function saleDraftFor(order: OrderFacts, share: Allocation, outletId: string, settings: BookingSettings, carriesShipping: boolean): SaleDraft {
  const method = order.pickup ? 'PICKUP' : 'DISPATCH';
  const byLine = new Map(order.lines.map((l) => [l.lineId, l]));
  const lines: SaleDraft['lines'] = share.lines.map((s, i) => {
    const line = byLine.get(s.lineId);
    const priceExTax = line?.priceExTax ?? 0;
    const base = Math.max(line?.basePrice ?? priceExTax, priceExTax);
    const tax = round2((line?.priceIncTax ?? priceExTax) - priceExTax);
    return {
      productId: s.lsProductId,
      quantity: s.quantity,
      // As in Lightspeed's own sales: the unit price charged (after discount, before tax), and the
      // per-unit discount that was taken off it.
      price: round2(priceExTax),
      discount: round2(base - priceExTax),
      taxId: tax > 0 ? settings.taxId : settings.noTaxId,
      taxAmount: tax,
      fulfillmentOutletId: outletId,
      fulfillmentMethod: method,
      sequence: i,
      isPriceOverride: true,
      bcLineId: s.lineId,
    };
  });
  const shippingLine = carriesShipping && !order.pickup && settings.shipping.mode === 'line' && order.shippingCostExTax > 0;
  if (shippingLine && settings.shipping.mode === 'line') {
    const tax = round2(order.shippingCostIncTax - order.shippingCostExTax);
    lines.push({
      productId: settings.shipping.lsProductId,
      quantity: 1,
      price: round2(order.shippingCostExTax),
      discount: 0,
      taxId: tax > 0 ? settings.taxId : settings.noTaxId,
      taxAmount: tax,
      fulfillmentOutletId: outletId,
      fulfillmentMethod: method,
      sequence: lines.length,
      isPriceOverride: true,
      bcLineId: null,
    });
  }
  const noteParts = [`BigCommerce order ${order.reference}${share.backorder ? ' (backorder: not in stock anywhere, order it in)' : ''}`];
  if (!order.pickup && carriesShipping && order.shippingMethod) noteParts.push(`Ship by ${order.shippingMethod}${settings.shipping.mode === 'note' && order.shippingCostIncTax > 0 ? ` (${order.shippingCostIncTax.toFixed(2)} charged)` : ''}`);
  // Every outlet that sends a share needs the address (Lightspeed's dispatch detail carries it too).
  if (!order.pickup && order.shipTo) noteParts.push(`Ship to ${order.shipTo}`);
  if (order.customerMessage) noteParts.push(`Customer: ${order.customerMessage}`);
  const total = round2(lines.reduce((s, l) => s + (l.price + l.taxAmount) * l.quantity, 0));
  return {
    state: 'pending',
    sourceId: String(order.id),
    sourceType: 'BigCommerce',
    note: noteParts.join(' · '),
    fulfillmentOutletId: outletId,
    fulfillmentDetails: [{ type: method, ...(method === 'DISPATCH' && order.shipTo ? { note: `Ship to ${order.shipTo}` } : {}) }],
    lines,
    payment: { paymentTypeId: settings.paymentTypeId, amount: total },
    registerId: settings.registerId,
    authorId: settings.authorId,
  };
}

export interface FulfilledLine {
  /** BigCommerce order product id. */
  bcLineId: number;
  quantity: number;
}

export interface ShipmentPlan {
  /** Units to ship now per BigCommerce line (those fulfilled in Lightspeed and not shipped yet). */
  items: { order_product_id: number; quantity: number }[];
}

/** What a Lightspeed fulfilment adds to BigCommerce: the units fulfilled there and not shipped yet. */
export function shipmentFor(fulfilled: readonly FulfilledLine[], alreadyShipped: ReadonlyMap<number, number>): ShipmentPlan {
  const byLine = new Map<number, number>();
  for (const f of fulfilled) byLine.set(f.bcLineId, (byLine.get(f.bcLineId) ?? 0) + f.quantity);
  const items: ShipmentPlan['items'] = [];
  for (const [lineId, quantity] of [...byLine].sort(([a], [b]) => a - b)) {
    const remaining = quantity - (alreadyShipped.get(lineId) ?? 0);
    if (remaining > 0) items.push({ order_product_id: lineId, quantity: remaining });
  }
  return { items };
}

/**
 * The BigCommerce status once outlets have done their part: a pickup order collected everywhere
 * is Completed; a shipped order is Shipped when every unit has gone, Partially Shipped before.
 */
export function statusAfterFulfilment(order: { pickup: boolean; units: number }, done: number): number | null {
  if (done <= 0) return null;
  if (order.pickup) return done >= order.units ? ORDER_STATUS.completed : null;
  return done >= order.units ? ORDER_STATUS.shipped : ORDER_STATUS.partiallyShipped;
}

/** BigCommerce's names of its order statuses (orders.v2 `status`), by status id. */
const STATUS_NAMES: Record<number, string> = {
  0: 'Incomplete',
  1: 'Pending',
  2: 'Shipped',
  3: 'Partially Shipped',
  4: 'Refunded',
  5: 'Cancelled',
  6: 'Declined',
  7: 'Awaiting Payment',
  8: 'Awaiting Pickup',
  9: 'Awaiting Shipment',
  10: 'Completed',
  11: 'Awaiting Fulfillment',
  12: 'Manual Verification Required',
  13: 'Disputed',
  14: 'Partially Refunded',
};

export const statusName = (statusId: number): string => STATUS_NAMES[statusId] ?? `Status ${statusId}`;

export interface BookedSaleLine {
  id: string | null;
  productId: string | null;
  quantity: number;
  /** Unit price, tax exclusive. */
  price: number | null;
  taxId: string | null;
  /** Unit tax. */
  tax: number | null;
  status: string | null;
  isReturn: boolean;
}

export interface SaleReduction {
  /** Every line of the sale, the refunded units taken off (a line left with none is VOIDED). */
  lines: { id: string | null; productId: string; quantity: number; price: number; taxId: string | null; taxAmount: number; status?: string }[];
  /** Units taken off, and their value with tax (what the sale's payment shrinks by). */
  units: number;
  value: number;
}

/**
 * A refund of units not fulfilled yet: they leave the Lightspeed sale that awaits dispatch or
 * pickup, so the store does not send them and Lightspeed never takes them off its stock. Units
 * are taken off the sale's lines of each product in order, never below what those lines have
 * fulfilled (`fulfilled`, per product). Returns null when nothing is to change. Pure.
 */
export function reduceSale(lines: readonly BookedSaleLine[], drop: readonly { productId: string; units: number }[], fulfilled: ReadonlyMap<string, number> = new Map()): SaleReduction | null {
  const left = new Map<string, number>();
  for (const d of drop) if (d.units > 0) left.set(d.productId, (left.get(d.productId) ?? 0) + d.units);
  const pinned = new Map(fulfilled);
  let units = 0;
  let value = 0;
  const out: SaleReduction['lines'] = [];
  for (const l of lines) {
    if (l.productId === null) continue;
    const live = !l.isReturn && l.status !== 'VOIDED';
    const keep = live ? Math.min(l.quantity, pinned.get(l.productId) ?? 0) : 0;
    if (live) pinned.set(l.productId, (pinned.get(l.productId) ?? 0) - keep);
    const take = live ? Math.min(left.get(l.productId) ?? 0, l.quantity - keep) : 0;
    if (take > 0) left.set(l.productId, (left.get(l.productId) ?? 0) - take);
    units += take;
    value += take * ((l.price ?? 0) + (l.tax ?? 0));
    const quantity = l.quantity - take;
    out.push({ id: l.id, productId: l.productId, quantity, price: l.price ?? 0, taxId: l.taxId, taxAmount: l.tax ?? 0, ...(quantity === 0 && live ? { status: 'VOIDED' } : l.status ? { status: l.status } : {}) });
  }
  if (units === 0) return null;
  return { lines: out, units, value: Math.round(value * 100) / 100 };
}
