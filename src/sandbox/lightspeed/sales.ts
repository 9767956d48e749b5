/**
 * Sales: create, update, void, return, fulfil, and the POS till (including offline registers).
 * Stock moves when a sale leaves the parked state (SAVED) and moves back when it is voided. Each
 * sale remembers the movements it applied, so an update or void changes stock by exactly the
 * difference — never twice.
 */
import { isoTime, newId, nextVersion, type SandboxContext } from './context';
import { changeInventory, findProduct, SandboxError } from './inventory';
import { taxRateOf } from './shapes';
import { salePayload } from './webhook-payloads';
import type { Fulfillment, HeldSale, Retailer, Sale, SaleLine, SaleStatus, StockMovement } from './types';

const round2 = (n: number): number => Math.round(n * 100) / 100;

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
  state: 'parked' | 'pending' | 'voided' | 'closed';
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

/** Consumes stock in every status except parked and voided. */
const holdsStock = (status: SaleStatus): boolean => status !== 'SAVED' && status !== 'VOIDED';

function fulfilmentMethod(input: SaleInput): 'DISPATCH' | 'PICKUP' | null {
  const fromLines = input.line_items.find((l) => l.fulfillment_method)?.fulfillment_method;
  return fromLines ?? input.fulfillment_details?.[0]?.type ?? null;
}

/**
 * 2026-07 takes a coarse `state`; the stored status is the 2.0 enum. A sale with a dispatch or
 * pickup fulfilment waits in AWAITING_* until fulfilled; a pending sale without one is on account.
 */
export function statusForState(input: SaleInput, current?: SaleStatus): SaleStatus {
  const method = fulfilmentMethod(input);
  switch (input.state) {
    case 'parked':
      return 'SAVED';
    case 'voided':
      return 'VOIDED';
    case 'pending':
      if (current && current !== 'SAVED' && current !== 'VOIDED' && !current.endsWith('_CLOSED') && current !== 'CLOSED') return current;
      return method === 'DISPATCH' ? 'AWAITING_DISPATCH' : method === 'PICKUP' ? 'AWAITING_PICKUP' : 'ONACCOUNT';
    case 'closed':
      if (current && (current.endsWith('_CLOSED') || current === 'CLOSED')) return current;
      return method === 'DISPATCH' ? 'AWAITING_DISPATCH' : method === 'PICKUP' ? 'AWAITING_PICKUP' : 'CLOSED';
  }
}

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

function desiredMovements(sale: Sale): StockMovement[] {
  if (!holdsStock(sale.status)) return [];
  return sale.line_items
    .filter((l) => l.status !== 'VOIDED')
    .map((l) => ({
      product_id: l.product_id,
      outlet_id: l.fulfilment_outlet_id ?? sale.fulfillment_outlet_id ?? sale.outlet_id,
      quantity: -l.quantity,
    }));
}

/** Move stock by (desired − already applied) per product × outlet. */
function reconcileStock(ctx: SandboxContext, retailer: Retailer, sale: Sale): void {
  const net = new Map<string, StockMovement>();
  const add = (m: StockMovement, sign: number) => {
    const key = `${m.product_id}:${m.outlet_id}`;
    const entry = net.get(key) ?? { product_id: m.product_id, outlet_id: m.outlet_id, quantity: 0 };
    entry.quantity += sign * m.quantity;
    net.set(key, entry);
  };
  const desired = desiredMovements(sale);
  for (const m of desired) add(m, 1);
  for (const m of sale.applied) add(m, -1);
  for (const m of net.values()) {
    const product = retailer.products[m.product_id];
    if (m.quantity !== 0 && product?.has_inventory) changeInventory(ctx, retailer, m.product_id, m.outlet_id, { delta: m.quantity });
  }
  sale.applied = desired;
}

function buildLines(input: SaleInput, existing: SaleLine[] = []): SaleLine[] {
  return input.line_items.map((l, index) => {
    const previous = l.id ? existing.find((e) => e.id === l.id) : undefined;
    const status = l.status === 'VOIDED' || l.status === 'SAVED' || l.status === 'CONFIRMED' ? l.status : 'CONFIRMED';
    return {
      id: previous?.id ?? l.id ?? newId(),
      product_id: l.product_id,
      quantity: l.quantity,
      price: l.price,
      cost: l.cost ?? 0,
      discount: l.discount ?? 0,
      loyalty_amount: l.loyalty_amount ?? 0,
      tax_id: l.tax_id,
      tax_amount: l.tax_amount,
      fulfilment_outlet_id: l.fulfilment_outlet_id ?? null,
      fulfillment_method: l.fulfillment_method ?? null,
      sequence: l.sequence ?? index,
      status,
      is_return: l.quantity < 0,
      is_price_override: l.is_price_override ?? false,
    };
  });
}

function syncFulfillments(ctx: SandboxContext, retailer: Retailer, sale: Sale): void {
  const awaiting = sale.status === 'AWAITING_DISPATCH' || sale.status === 'AWAITING_PICKUP';
  const existing = Object.values(retailer.fulfillments).filter((f) => f.sale_id === sale.id);
  if (!awaiting || existing.length > 0) return;
  const at = isoTime(ctx.now());
  // One fulfilment per (outlet, method): a line's `_metadata.fulfillment_method` decides whether
  // it ships or is collected, so one order can dispatch from a warehouse and be picked up at a store.
  const saleMethod = sale.status === 'AWAITING_DISPATCH' ? 'DISPATCH' : 'PICKUP';
  const groups = new Map<string, { outletId: string; type: 'DISPATCH' | 'PICKUP'; lines: SaleLine[] }>();
  for (const l of sale.line_items.filter((x) => x.status !== 'VOIDED')) {
    const outletId = l.fulfilment_outlet_id ?? sale.fulfillment_outlet_id ?? sale.outlet_id;
    const type = l.fulfillment_method ?? saleMethod;
    const key = `${outletId}:${type}`;
    const group = groups.get(key) ?? { outletId, type, lines: [] };
    group.lines.push(l);
    groups.set(key, group);
  }
  for (const { outletId, type, lines } of groups.values()) {
    const f: Fulfillment = {
      id: newId(),
      sale_id: sale.id,
      outlet_id: outletId,
      type,
      state: 'OPEN',
      note: sale.fulfillment_details[0]?.note ?? '',
      created_at: at,
      updated_at: at,
      version: nextVersion(retailer),
      line_items: lines.map((l) => ({ sale_line_item_id: l.id, product_id: l.product_id, quantity: l.quantity, fulfilled_quantity: 0 })),
    };
    retailer.fulfillments[f.id] = f;
  }
}

function saved(ctx: SandboxContext, retailer: Retailer, sale: Sale): Sale {
  sale.updated_at = isoTime(ctx.now());
  sale.version = nextVersion(retailer);
  ctx.emit(retailer, 'sale.update', salePayload(retailer, sale));
  ctx.changed();
  return sale;
}

export function createSale(ctx: SandboxContext, retailer: Retailer, input: SaleInput, options: { returnFor?: string } = {}): Sale {
  validateRefs(retailer, input);
  if (input.id && retailer.sales[input.id]) throw new SandboxError(409, `sale ${input.id} already exists`);
  const register = retailer.registers[input.register_id];
  if (!register) throw new SandboxError(422, 'register_id register ID not found');
  const at = isoTime(ctx.now());
  register.invoice_sequence += 1;
  const sale: Sale = {
    id: input.id ?? newId(),
    register_id: register.id,
    outlet_id: register.outlet_id,
    user_id: input.user_id,
    customer_id: input.customer_id ?? null,
    date: input.date ?? at,
    created_at: at,
    updated_at: at,
    status: statusForState(input),
    invoice_number: input.invoice_number ?? `${register.invoice_prefix}${register.invoice_sequence}${register.invoice_suffix}`,
    receipt_number: String(register.invoice_sequence),
    short_code: input.short_code ?? newId().replace(/-/g, '').slice(0, 6),
    note: input.note ?? '',
    source: { id: input.source_id ?? null, type: input.source_type ?? null },
    fulfillment_outlet_id: input.fulfillment_outlet_id ?? null,
    fulfillment_details: (input.fulfillment_details ?? []).map((d) => ({
      type: d.type,
      note: d.note ?? null,
      shipping_address_id: d.shipping_address_id ?? null,
    })),
    line_items: buildLines(input),
    payments: input.payments.map((p) => ({
      id: p.id ?? newId(),
      payment_type_id: p.payment_type_id,
      amount: p.amount,
      date: p.date ?? input.date ?? at,
      register_id: p.register_id ?? register.id,
    })),
    return_for: options.returnFor ?? null,
    return_sale_ids: [],
    applied: [],
    deleted_at: null,
    version: 0,
  };
  retailer.sales[sale.id] = sale;
  reconcileStock(ctx, retailer, sale);
  syncFulfillments(ctx, retailer, sale);
  return saved(ctx, retailer, sale);
}

export function updateSale(ctx: SandboxContext, retailer: Retailer, saleId: string, input: SaleInput): Sale {
  const sale = retailer.sales[saleId];
  if (!sale) throw new SandboxError(404, 'sale not found');
  if (sale.status === 'VOIDED') throw new SandboxError(422, 'a voided sale cannot be changed');
  validateRefs(retailer, input);
  const closed = sale.status === 'CLOSED' || sale.status.endsWith('_CLOSED');
  // A completed sale only accepts a void; its lines are history.
  if (closed && input.state !== 'voided' && input.state !== 'closed') throw new SandboxError(422, 'a closed sale cannot be reopened');
  sale.status = statusForState(input, sale.status);
  if (!closed) {
    sale.line_items = buildLines(input, sale.line_items);
    sale.payments = input.payments.map((p) => ({
      id: p.id ?? newId(),
      payment_type_id: p.payment_type_id,
      amount: p.amount,
      date: p.date ?? isoTime(ctx.now()),
      register_id: p.register_id ?? sale.register_id,
    }));
    sale.customer_id = input.customer_id ?? sale.customer_id;
    sale.note = input.note ?? sale.note;
    sale.fulfillment_outlet_id = input.fulfillment_outlet_id ?? sale.fulfillment_outlet_id;
    if (input.fulfillment_details) {
      sale.fulfillment_details = input.fulfillment_details.map((d) => ({
        type: d.type,
        note: d.note ?? null,
        shipping_address_id: d.shipping_address_id ?? null,
      }));
    }
    if (input.date) sale.date = input.date;
  }
  if (sale.status === 'VOIDED') for (const l of sale.line_items) l.status = 'VOIDED';
  reconcileStock(ctx, retailer, sale);
  syncFulfillments(ctx, retailer, sale);
  return saved(ctx, retailer, sale);
}

export function voidSale(ctx: SandboxContext, retailer: Retailer, saleId: string): Sale {
  const sale = retailer.sales[saleId];
  if (!sale) throw new SandboxError(404, 'sale not found');
  if (sale.status === 'VOIDED') return sale;
  sale.status = 'VOIDED';
  for (const l of sale.line_items) l.status = 'VOIDED';
  reconcileStock(ctx, retailer, sale);
  return saved(ctx, retailer, sale);
}

/**
 * POST /sales/{id}/actions/return: "Initializes a return for an existing closed sale and returns
 * the newly created SAVED return sale" (2026-07 spec). Lines are the original's, negated, less
 * what earlier returns already took back. Stock moves only when the return is completed.
 */
export function initReturn(ctx: SandboxContext, retailer: Retailer, saleId: string, userId: string): Sale {
  const original = retailer.sales[saleId];
  if (!original) throw new SandboxError(404, 'sale not found');
  if (original.status === 'SAVED' || original.status === 'VOIDED') throw new SandboxError(422, 'only a completed sale can be returned');
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
      fulfilment_outlet_id: l.fulfilment_outlet_id ?? original.fulfillment_outlet_id ?? original.outlet_id,
    });
  }
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

/** POST /fulfillments/fulfill: completes every fulfilment of the sale; idempotent. */
export function fulfilSale(ctx: SandboxContext, retailer: Retailer, saleId: string): Fulfillment[] {
  const sale = retailer.sales[saleId];
  if (!sale) throw new SandboxError(404, 'sale not found');
  const fulfillments = Object.values(retailer.fulfillments).filter((f) => f.sale_id === saleId);
  if (sale.status === 'DISPATCHED_CLOSED' || sale.status === 'PICKED_UP_CLOSED') return fulfillments;
  if (sale.status !== 'AWAITING_DISPATCH' && sale.status !== 'AWAITING_PICKUP')
    throw new SandboxError(409, `sale in status ${sale.status} has nothing to fulfil`);
  const at = isoTime(ctx.now());
  for (const f of fulfillments) {
    f.state = 'FULFILLED';
    f.updated_at = at;
    f.version = nextVersion(retailer);
    for (const l of f.line_items) l.fulfilled_quantity = l.quantity;
  }
  sale.status = sale.status === 'AWAITING_DISPATCH' ? 'DISPATCHED_CLOSED' : 'PICKED_UP_CLOSED';
  saved(ctx, retailer, sale);
  return fulfillments;
}

/**
 * POST /fulfillments/{id}/fulfill: fulfils some lines of one fulfilment (a partial shipment).
 * `version` is an optimistic lock: a stale one answers 409. When every line of every fulfilment
 * of the sale is fulfilled, the sale closes as `fulfilSale` would close it.
 */
export function fulfilLines(
  ctx: SandboxContext,
  retailer: Retailer,
  fulfillmentId: string,
  input: { version: number; line_items: { sale_line_item_id: string; quantity: number }[] },
): Fulfillment {
  const f = retailer.fulfillments[fulfillmentId];
  if (!f) throw new SandboxError(404, 'fulfillment not found');
  if (f.version !== input.version) throw new SandboxError(409, `fulfillment version is ${f.version}, not ${input.version}`);
  for (const [i, wanted] of input.line_items.entries()) {
    const line = f.line_items.find((l) => l.sale_line_item_id === wanted.sale_line_item_id);
    if (!line) throw new SandboxError(422, `line_items[${i}].sale_line_item_id is not on this fulfillment`);
    if (wanted.quantity <= 0 || line.fulfilled_quantity + wanted.quantity > line.quantity)
      throw new SandboxError(422, `line_items[${i}].quantity exceeds what is left to fulfil (${line.quantity - line.fulfilled_quantity})`);
  }
  for (const wanted of input.line_items) {
    const line = f.line_items.find((l) => l.sale_line_item_id === wanted.sale_line_item_id);
    if (line) line.fulfilled_quantity += wanted.quantity;
  }
  if (f.line_items.every((l) => l.fulfilled_quantity >= l.quantity)) f.state = 'FULFILLED';
  f.updated_at = isoTime(ctx.now());
  f.version = nextVersion(retailer);
  const sale = retailer.sales[f.sale_id];
  const all = Object.values(retailer.fulfillments).filter((x) => x.sale_id === f.sale_id);
  if (sale && (sale.status === 'AWAITING_DISPATCH' || sale.status === 'AWAITING_PICKUP') && all.every((x) => x.state === 'FULFILLED')) {
    sale.status = sale.status === 'AWAITING_DISPATCH' ? 'DISPATCHED_CLOSED' : 'PICKED_UP_CLOSED';
    saved(ctx, retailer, sale);
  } else {
    ctx.changed();
  }
  return f;
}

// ——— The POS till (control actions) ———

export interface TillLine {
  product_id?: string | undefined;
  sku?: string | undefined;
  barcode?: string | undefined;
  quantity: number;
  price?: number | undefined;
}

export interface TillSale {
  register_id: string;
  user_id?: string | undefined;
  customer_id?: string | undefined;
  payment_type_id?: string | undefined;
  date?: string | undefined;
  lines: TillLine[];
}

function defaultUserId(retailer: Retailer): string {
  const user = Object.values(retailer.users).find((u) => u.is_primary_user) ?? Object.values(retailer.users)[0];
  if (!user) throw new SandboxError(422, 'retailer has no users');
  return user.id;
}

function defaultPaymentTypeId(retailer: Retailer): string {
  const type = Object.values(retailer.payment_types)[0];
  if (!type) throw new SandboxError(422, 'retailer has no payment types');
  return type.id;
}

function tillInput(retailer: Retailer, held: HeldSale): SaleInput {
  const lines = held.lines.map((l) => {
    const product = retailer.products[l.product_id];
    const taxId = product?.tax_id ?? Object.keys(retailer.taxes)[0] ?? '';
    return {
      product_id: l.product_id,
      quantity: l.quantity,
      price: l.price,
      cost: product?.supply_price ?? 0,
      tax_id: taxId,
      tax_amount: round2(l.price * taxRateOf(retailer, taxId)),
    };
  });
  const total = round2(lines.reduce((s, l) => s + (l.price + l.tax_amount) * l.quantity, 0));
  return {
    state: 'closed',
    register_id: held.register_id,
    user_id: held.user_id,
    customer_id: held.customer_id ?? undefined,
    date: held.date,
    line_items: lines,
    payments: [{ payment_type_id: held.payment_type_id, amount: total, date: held.date }],
  };
}

/**
 * Ring up a sale at a register, finding products by SKU/barcode like a scanner. On an offline
 * register the sale is held locally (no stock change, no webhook) until the register reconnects.
 */
export function sellAtRegister(ctx: SandboxContext, retailer: Retailer, request: TillSale): { sale: Sale | null; held: HeldSale | null } {
  const register = retailer.registers[request.register_id];
  if (!register) throw new SandboxError(404, 'register not found');
  if (!register.is_open) throw new SandboxError(409, `register ${register.name} is closed`);
  if (request.lines.length === 0) throw new SandboxError(422, 'a sale needs at least one line');
  const held: HeldSale = {
    register_id: register.id,
    user_id: request.user_id ?? defaultUserId(retailer),
    customer_id: request.customer_id ?? null,
    payment_type_id: request.payment_type_id ?? defaultPaymentTypeId(retailer),
    date: request.date ?? isoTime(ctx.now()),
    lines: request.lines.map((l) => {
      const product = findProduct(retailer, l);
      return { product_id: product.id, quantity: l.quantity, price: l.price ?? product.price_excluding_tax };
    }),
  };
  if (register.offline) {
    retailer.held_sales.push(held);
    ctx.changed();
    return { sale: null, held };
  }
  return { sale: createSale(ctx, retailer, tillInput(retailer, held)), held: null };
}

export function setRegisterOffline(ctx: SandboxContext, retailer: Retailer, registerId: string): void {
  const register = retailer.registers[registerId];
  if (!register) throw new SandboxError(404, 'register not found');
  register.offline = true;
  ctx.changed();
}

/** Reconnect: upload held sales in the order they were rung up, each with its original date. */
export function setRegisterOnline(ctx: SandboxContext, retailer: Retailer, registerId: string): Sale[] {
  const register = retailer.registers[registerId];
  if (!register) throw new SandboxError(404, 'register not found');
  register.offline = false;
  const mine = retailer.held_sales.filter((h) => h.register_id === registerId);
  retailer.held_sales = retailer.held_sales.filter((h) => h.register_id !== registerId);
  ctx.changed();
  return mine.map((held) => createSale(ctx, retailer, tillInput(retailer, held)));
}

/** Till return: init a return and complete it at once, refunding to the original payment type. */
export function returnAtRegister(
  ctx: SandboxContext,
  retailer: Retailer,
  request: { sale_id: string; user_id?: string | undefined; lines?: { product_id: string; quantity: number }[] | undefined },
): Sale {
  const userId = request.user_id ?? defaultUserId(retailer);
  const draft = initReturn(ctx, retailer, request.sale_id, userId);
  let lines = draft.line_items;
  if (request.lines) {
    lines = request.lines.map((wanted) => {
      const line = draft.line_items.find((l) => l.product_id === wanted.product_id);
      if (!line) throw new SandboxError(422, `product ${wanted.product_id} is not returnable on this sale`);
      if (wanted.quantity > -line.quantity) throw new SandboxError(422, `cannot return more than ${-line.quantity} of ${wanted.product_id}`);
      return { ...line, quantity: -wanted.quantity };
    });
  }
  const original = retailer.sales[request.sale_id];
  const refund = round2(lines.reduce((s, l) => s + (l.price + l.tax_amount) * l.quantity, 0));
  return updateSale(ctx, retailer, draft.id, {
    state: 'closed',
    register_id: draft.register_id,
    user_id: userId,
    line_items: lines.map((l) => ({ ...l, fulfilment_outlet_id: l.fulfilment_outlet_id ?? undefined, fulfillment_method: undefined })),
    payments: [{ payment_type_id: original?.payments[0]?.payment_type_id ?? defaultPaymentTypeId(retailer), amount: refund }],
  });
}
