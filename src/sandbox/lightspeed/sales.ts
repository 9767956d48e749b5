/**
 * Sales: create, update, void and return, with the lifecycle X-Series documents.
 *
 * A sale's 2026-07 `state` and `attributes` give its legacy status (sale-status.ts). Stock moves
 * for every status except parked (SAVED) and voided, and moves back when a sale is voided (docs
 * statuses: CLOSED "the inventory count … will be decreased", ONACCOUNT "will reduce the
 * inventory", VOIDED "all the line-items … will be returned into inventory"). For lines awaiting
 * dispatch or pickup it moves when they are fulfilled, by default (policies.ts `stockTiming`).
 * Each sale remembers the movements it applied, so any change moves stock by exactly the
 * difference — never twice.
 */
import { isoTime, nextVersion, type SandboxContext } from './context';
import { removeFulfilments, syncFulfilments } from './fulfilments';
import { changeInventory, SandboxError } from './inventory';
import { attributeOfFulfilment, fulfilmentTypeOf, isClosedStatus, parseAttributes, stateOfStatus, statusOf } from './sale-status';
import { salePayload } from './webhook-payloads';
import type { Retailer, Sale, SaleAttribute, SaleLine, SaleState, StockMovement } from './types';

export interface SaleLineInput {
  id?: string | undefined;
  product_id: string;
  quantity: number;
  price: number;
  cost?: number | undefined;
  discount?: number | undefined;
  loyalty_amount?: number | undefined;
  tax_id: string;
  tax_amount: number;
  fulfilment_outlet_id?: string | undefined;
  fulfillment_method?: 'DISPATCH' | 'PICKUP' | undefined;
  sequence?: number | undefined;
  status?: string | undefined;
  is_price_override?: boolean | undefined;
}

export interface SaleInput {
  id?: string | undefined;
  state: SaleState;
  /** As sent (validated here): undefined when the request has no `attributes`. */
  attributes?: string[] | undefined;
  register_id: string;
  user_id: string;
  customer_id?: string | undefined;
  date?: string | undefined;
  invoice_number?: string | undefined;
  short_code?: string | undefined;
  note?: string | undefined;
  source_id?: string | undefined;
  source_type?: string | undefined;
  fulfillment_outlet_id?: string | undefined;
  fulfillment_details?: { type: 'DISPATCH' | 'PICKUP'; note?: string | undefined; shipping_address_id?: string | null | undefined }[];
  line_items: SaleLineInput[];
  payments: { id?: string | undefined; payment_type_id: string; amount: number; date?: string | undefined; register_id?: string | undefined }[];
}

/** The outlet a line's stock comes from: its own fulfilment outlet, the sale's, or the register's. */
export const lineOutlet = (sale: Sale, line: SaleLine): string => line.fulfilment_outlet_id ?? sale.fulfillment_outlet_id ?? sale.outlet_id;

function validateRefs(retailer: Retailer, input: SaleInput): void {
  const register = retailer.registers[input.register_id];
  if (!register || register.deleted_at) throw new SandboxError(422, 'register_id register ID not found');
  if (!retailer.users[input.user_id]) throw new SandboxError(422, 'source.author_id user not found');
  if (input.fulfillment_outlet_id && !retailer.outlets[input.fulfillment_outlet_id])
    throw new SandboxError(422, 'fulfillment_outlet_id outlet not found');
  input.line_items.forEach((l, i) => {
    const product = retailer.products[l.product_id];
    if (!product || product.deleted_at) throw new SandboxError(422, `line_items[${i}].product.id product not found`);
    if (product.is_family_parent) throw new SandboxError(422, `line_items[${i}].product.id is a variant family parent`);
    if (!retailer.taxes[l.tax_id]) throw new SandboxError(422, `line_items[${i}].tax.id tax not found`);
    if (l.fulfilment_outlet_id && !retailer.outlets[l.fulfilment_outlet_id])
      throw new SandboxError(422, `line_items[${i}].fulfilment_outlet_id outlet not found`);
  });
  input.payments.forEach((p, i) => {
    if (!retailer.payment_types[p.payment_type_id]) throw new SandboxError(422, `payments[${i}].type.config_id payment type not found`);
  });
}

/**
 * Attributes of a new sale: the request's, plus the fulfilment attribute its lines imply when the
 * request names none (a line's `_metadata.fulfillment_method`, "only used when creating new
 * sales", or the first `fulfillment_details` type).
 */
function attributesForCreate(input: SaleInput): SaleAttribute[] {
  const attributes = parseAttributes(input.attributes ?? []);
  if (fulfilmentTypeOf(attributes) !== null) return attributes;
  const implied = input.line_items.find((l) => l.fulfillment_method)?.fulfillment_method ?? input.fulfillment_details?.[0]?.type;
  return implied ? parseAttributes([...attributes, attributeOfFulfilment(implied)]) : attributes;
}

/**
 * Attributes after an update: payment attributes as the request gives them (or unchanged when it
 * gives none); the fulfilment attribute stays as the sale was created with it, as the line's
 * `fulfillment_method` is "ignored when updating existing sales" (a parked sale without one may
 * still gain one from the request's `attributes`).
 */
function attributesForUpdate(sale: Sale, input: SaleInput): SaleAttribute[] {
  if (input.attributes === undefined) return sale.attributes;
  const requested = parseAttributes(input.attributes);
  const fulfilment = fulfilmentTypeOf(sale.attributes) ?? fulfilmentTypeOf(requested);
  const rest = requested.filter((a) => a !== 'delivery' && a !== 'pickup');
  return parseAttributes(fulfilment ? [...rest, attributeOfFulfilment(fulfilment)] : rest);
}

/** Stock a sale should have taken by now, per product × outlet (negative: taken off the shelf). */
function desiredMovements(ctx: SandboxContext, retailer: Retailer, sale: Sale): StockMovement[] {
  if (sale.status === 'SAVED' || sale.status === 'VOIDED') return [];
  const fulfilled = new Map<string, number>();
  if (ctx.policies.stockTiming === 'at-fulfilment') {
    for (const f of Object.values(retailer.fulfillments)) {
      if (f.sale_id !== sale.id) continue;
      for (const l of f.line_items) fulfilled.set(l.sale_line_item_id, (fulfilled.get(l.sale_line_item_id) ?? 0) + l.fulfilled_quantity);
    }
  }
  return sale.line_items
    .filter((l) => l.status !== 'VOIDED')
    .map((l) => ({ product_id: l.product_id, outlet_id: lineOutlet(sale, l), quantity: -(fulfilled.get(l.id) ?? l.quantity) }));
}

/** Move stock by (desired − already applied) per product × outlet. */
export function reconcileStock(ctx: SandboxContext, retailer: Retailer, sale: Sale): void {
  const net = new Map<string, StockMovement>();
  const add = (m: StockMovement, sign: number) => {
    const key = `${m.product_id}:${m.outlet_id}`;
    const entry = net.get(key) ?? { product_id: m.product_id, outlet_id: m.outlet_id, quantity: 0 };
    entry.quantity += sign * m.quantity;
    net.set(key, entry);
  };
  const desired = desiredMovements(ctx, retailer, sale);
  for (const m of desired) add(m, 1);
  for (const m of sale.applied) add(m, -1);
  for (const m of net.values()) {
    const product = retailer.products[m.product_id];
    if (m.quantity !== 0 && product?.has_inventory) changeInventory(ctx, retailer, m.product_id, m.outlet_id, { delta: m.quantity }, `sale:${sale.id}`);
  }
  sale.applied = desired.filter((m) => m.quantity !== 0);
}

function buildLines(ctx: SandboxContext, input: SaleInput, existing: SaleLine[] | null): SaleLine[] {
  return input.line_items.map((l, index) => {
    const previous = l.id ? existing?.find((e) => e.id === l.id) : undefined;
    const status = l.status === 'VOIDED' || l.status === 'SAVED' || l.status === 'CONFIRMED' ? l.status : 'CONFIRMED';
    return {
      id: previous?.id ?? l.id ?? ctx.newId(),
      product_id: l.product_id,
      quantity: l.quantity,
      price: l.price,
      cost: l.cost ?? 0,
      discount: l.discount ?? 0,
      loyalty_amount: l.loyalty_amount ?? 0,
      tax_id: l.tax_id,
      tax_amount: l.tax_amount,
      fulfilment_outlet_id: l.fulfilment_outlet_id ?? null,
      // "Only used when creating new sales, ignored when updating existing sales": a line an
      // update adds follows the sale's own fulfilment type.
      fulfillment_method: existing === null ? (l.fulfillment_method ?? null) : (previous?.fulfillment_method ?? null),
      sequence: l.sequence ?? index,
      status,
      is_return: l.quantity < 0,
      is_price_override: l.is_price_override ?? false,
    };
  });
}

function payments(ctx: SandboxContext, input: SaleInput, registerId: string, fallbackDate: string) {
  return input.payments.map((p) => ({
    id: p.id ?? ctx.newId(),
    payment_type_id: p.payment_type_id,
    amount: p.amount,
    date: p.date ?? fallbackDate,
    register_id: p.register_id ?? registerId,
  }));
}

const fulfilmentDetails = (input: SaleInput) =>
  (input.fulfillment_details ?? []).map((d) => ({ type: d.type, note: d.note ?? null, shipping_address_id: d.shipping_address_id ?? null }));

export function saved(ctx: SandboxContext, retailer: Retailer, sale: Sale): Sale {
  sale.updated_at = isoTime(ctx.now());
  sale.version = nextVersion(retailer);
  ctx.emit(retailer, 'sale.update', salePayload(retailer, sale));
  ctx.changed();
  return sale;
}

/** Fulfilled units pin their lines: they cannot be dropped, moved or shrunk below what left the shelf. */
function assertFulfilledLinesKept(retailer: Retailer, sale: Sale, next: SaleLine[]): void {
  for (const f of Object.values(retailer.fulfillments)) {
    if (f.sale_id !== sale.id) continue;
    for (const l of f.line_items) {
      if (l.fulfilled_quantity <= 0) continue;
      const line = next.find((n) => n.id === l.sale_line_item_id);
      const before = sale.line_items.find((n) => n.id === l.sale_line_item_id);
      if (!line || !before || line.product_id !== before.product_id || lineOutlet(sale, line) !== lineOutlet(sale, before) || line.quantity < l.fulfilled_quantity)
        throw new SandboxError(422, `line ${l.sale_line_item_id} has ${l.fulfilled_quantity} fulfilled and cannot be removed, moved or reduced below that`);
    }
  }
}

function sourceClash(ctx: SandboxContext, retailer: Retailer, input: SaleInput, ownId?: string): void {
  if (ctx.policies.duplicateSourceId !== 'conflict' || input.source_id === undefined) return;
  const clash = Object.values(retailer.sales).find(
    (s) => s.id !== ownId && s.source.id === input.source_id && s.source.type === (input.source_type ?? null),
  );
  if (clash) throw new SandboxError(409, `a sale with source id ${input.source_id} already exists (${clash.id})`);
}

export function createSale(ctx: SandboxContext, retailer: Retailer, input: SaleInput, options: { returnFor?: string } = {}): Sale {
  const existing = input.id ? retailer.sales[input.id] : undefined;
  if (existing) {
    // Not documented for POST /sales: policies.ts `existingSaleId` says why 'update' is the default.
    if (ctx.policies.existingSaleId === 'conflict') throw new SandboxError(409, `sale ${existing.id} already exists`);
    if (ctx.policies.existingSaleId === 'return-existing') return existing;
    return updateSale(ctx, retailer, existing.id, input);
  }
  validateRefs(retailer, input);
  sourceClash(ctx, retailer, input);
  const attributes = attributesForCreate(input);
  const register = retailer.registers[input.register_id];
  if (!register) throw new SandboxError(422, 'register_id register ID not found');
  const at = isoTime(ctx.now());
  register.invoice_sequence += 1;
  const id = input.id ?? ctx.newId();
  const sale: Sale = {
    id,
    register_id: register.id,
    outlet_id: register.outlet_id,
    user_id: input.user_id,
    customer_id: input.customer_id ?? null,
    date: input.date ?? at,
    created_at: at,
    updated_at: at,
    status: statusOf(input.state, attributes),
    attributes,
    invoice_number: input.invoice_number ?? `${register.invoice_prefix}${register.invoice_sequence}${register.invoice_suffix}`,
    receipt_number: String(register.invoice_sequence),
    short_code: input.short_code ?? ctx.newId().replace(/-/g, '').slice(0, 6),
    note: input.note ?? '',
    source: { id: input.source_id ?? null, type: input.source_type ?? null },
    fulfillment_outlet_id: input.fulfillment_outlet_id ?? null,
    fulfillment_details: fulfilmentDetails(input),
    line_items: buildLines(ctx, input, null),
    payments: payments(ctx, input, register.id, input.date ?? at),
    return_for: options.returnFor ?? null,
    return_sale_ids: [],
    applied: [],
    deleted_at: null,
    version: 0,
  };
  retailer.sales[sale.id] = sale;
  syncFulfilments(ctx, retailer, sale);
  reconcileStock(ctx, retailer, sale);
  return saved(ctx, retailer, sale);
}

export function updateSale(ctx: SandboxContext, retailer: Retailer, saleId: string, input: SaleInput): Sale {
  const sale = retailer.sales[saleId];
  if (!sale) throw new SandboxError(404, 'sale not found');
  // Statuses doc: "After marking a sale as VOIDED it shouldn't be transitioned into any other";
  // voiding it again changes nothing, so a repeated void is answered, not refused.
  if (sale.status === 'VOIDED') {
    if (input.state === 'voided') return sale;
    throw new SandboxError(422, 'a voided sale cannot be changed');
  }
  validateRefs(retailer, input);
  sourceClash(ctx, retailer, input, sale.id);
  const closed = isClosedStatus(sale.status);
  // Statuses doc: a closed sale "should ONLY every be transitioned into VOIDED"; its lines are history.
  if (closed && input.state !== 'voided' && input.state !== 'closed') throw new SandboxError(422, 'a closed sale cannot be reopened');
  const attributes = closed ? sale.attributes : attributesForUpdate(sale, input);
  // A void cancels the sale as it stands: its lines are kept (marked VOIDED), whatever the body lists.
  if (!closed && input.state !== 'voided') {
    const lines = buildLines(ctx, input, sale.line_items);
    assertFulfilledLinesKept(retailer, sale, lines);
    sale.line_items = lines;
    sale.payments = payments(ctx, input, sale.register_id, isoTime(ctx.now()));
    sale.customer_id = input.customer_id ?? sale.customer_id;
    sale.note = input.note ?? sale.note;
    sale.fulfillment_outlet_id = input.fulfillment_outlet_id ?? sale.fulfillment_outlet_id;
    if (input.fulfillment_details) sale.fulfillment_details = fulfilmentDetails(input);
    if (input.date) sale.date = input.date;
    if (input.source_id !== undefined) sale.source = { id: input.source_id, type: input.source_type ?? sale.source.type };
  }
  sale.attributes = attributes;
  sale.status = statusOf(input.state, attributes);
  if (sale.status === 'VOIDED') for (const l of sale.line_items) l.status = 'VOIDED';
  syncFulfilments(ctx, retailer, sale);
  reconcileStock(ctx, retailer, sale);
  return saved(ctx, retailer, sale);
}

/** Void (control action; the API does it with PUT state "voided"): stock comes back, fulfilments go. */
export function voidSale(ctx: SandboxContext, retailer: Retailer, saleId: string): Sale {
  const sale = retailer.sales[saleId];
  if (!sale) throw new SandboxError(404, 'sale not found');
  if (sale.status === 'VOIDED') return sale;
  sale.status = 'VOIDED';
  for (const l of sale.line_items) l.status = 'VOIDED';
  removeFulfilments(retailer, sale.id);
  reconcileStock(ctx, retailer, sale);
  return saved(ctx, retailer, sale);
}

/** What is left to return of a closed sale: its lines, negated, less what earlier returns took back. */
export function returnableLines(retailer: Retailer, original: Sale): SaleLineInput[] {
  const alreadyReturned = new Map<string, number>();
  for (const id of original.return_sale_ids) {
    const r = retailer.sales[id];
    if (!r || r.status === 'VOIDED') continue;
    for (const l of r.line_items) alreadyReturned.set(l.product_id, (alreadyReturned.get(l.product_id) ?? 0) - l.quantity);
  }
  const lines: SaleLineInput[] = [];
  for (const l of original.line_items.filter((x) => x.status !== 'VOIDED' && x.quantity > 0)) {
    const taken = alreadyReturned.get(l.product_id) ?? 0;
    const quantity = l.quantity - Math.min(taken, l.quantity);
    alreadyReturned.set(l.product_id, Math.max(0, taken - l.quantity));
    if (quantity <= 0) continue;
    lines.push({
      product_id: l.product_id,
      quantity: -quantity,
      price: l.price,
      cost: l.cost,
      tax_id: l.tax_id,
      tax_amount: l.tax_amount,
      fulfilment_outlet_id: lineOutlet(original, l),
    });
  }
  return lines;
}

/**
 * POST /sales/{id}/actions/return: "Initializes a return for an existing closed sale and returns
 * the newly created SAVED return sale" (2026-07 spec). Stock moves only when the return is completed.
 */
export function initReturn(ctx: SandboxContext, retailer: Retailer, saleId: string, userId: string): Sale {
  const original = retailer.sales[saleId];
  if (!original) throw new SandboxError(404, 'sale not found');
  if (stateOfStatus(original.status) !== 'closed') throw new SandboxError(422, `only a closed sale can be returned (this one is ${stateOfStatus(original.status)})`);
  const lines = returnableLines(retailer, original);
  if (lines.length === 0) throw new SandboxError(422, 'nothing left to return on this sale');
  const returnSale = createSale(
    ctx,
    retailer,
    { state: 'parked', register_id: original.register_id, user_id: userId, customer_id: original.customer_id ?? undefined, line_items: lines, payments: [] },
    { returnFor: original.id },
  );
  original.return_sale_ids.push(returnSale.id);
  saved(ctx, retailer, original);
  return returnSale;
}
