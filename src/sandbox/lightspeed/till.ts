/**
 * The POS till, as staff use it at a register (control actions): ring up a sale by SKU or
 * barcode, mark it for later delivery or pickup, return items, take a register offline and
 * bring it back. An offline register holds its sales until it reconnects.
 */
import { isoTime, type SandboxContext } from './context';
import { findProduct, SandboxError } from './inventory';
import { attributeOfFulfilment, type FulfilmentType } from './sale-status';
import { createSale, initReturn, returnableLines, updateSale, type SaleInput } from './sales';
import { taxRateOf } from './shapes';
import type { HeldSale, Retailer, Sale } from './types';

const round2 = (n: number): number => Math.round(n * 100) / 100;

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
  /** "Mark as unfulfilled": the customer takes nothing now; the sale awaits dispatch or pickup at this outlet. */
  fulfillment?: FulfilmentType | undefined;
  note?: string | undefined;
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

function tillInput(retailer: Retailer, held: HeldSale, fulfilment?: { type: FulfilmentType; outletId: string; note?: string | undefined }): SaleInput {
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
    // Paid now, handed over later: pending with a delivery/pickup attribute is AWAITING_DISPATCH/PICKUP.
    state: fulfilment ? 'pending' : 'closed',
    attributes: fulfilment ? [attributeOfFulfilment(fulfilment.type)] : undefined,
    fulfillment_outlet_id: fulfilment?.outletId,
    fulfillment_details: fulfilment ? [{ type: fulfilment.type, note: fulfilment.note }] : undefined,
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
  // X-Series help: "Creating unfulfilled sales is not available while in Offline mode."
  if (request.fulfillment && register.offline) throw new SandboxError(409, `register ${register.name} is offline: unfulfilled sales need a connection`);
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
  const fulfilment = request.fulfillment ? { type: request.fulfillment, outletId: register.outlet_id, note: request.note } : undefined;
  return { sale: createSale(ctx, retailer, tillInput(retailer, held, fulfilment)), held: null };
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
  const original = retailer.sales[request.sale_id];
  if (!original) throw new SandboxError(404, 'sale not found');
  // Check the wanted lines before the return sale is created, so a bad request leaves nothing behind.
  const returnable = returnableLines(retailer, original);
  for (const wanted of request.lines ?? []) {
    const line = returnable.find((l) => l.product_id === wanted.product_id);
    if (!line) throw new SandboxError(422, `product ${wanted.product_id} is not returnable on this sale`);
    if (wanted.quantity > -line.quantity) throw new SandboxError(422, `cannot return more than ${-line.quantity} of ${wanted.product_id}`);
  }
  const draft = initReturn(ctx, retailer, request.sale_id, userId);
  const lines = request.lines
    ? request.lines.map((wanted) => {
        const line = draft.line_items.find((l) => l.product_id === wanted.product_id);
        if (!line) throw new SandboxError(422, `product ${wanted.product_id} is not returnable on this sale`);
        return { ...line, quantity: -wanted.quantity };
      })
    : draft.line_items;
  const refund = round2(lines.reduce((s, l) => s + (l.price + l.tax_amount) * l.quantity, 0));
  return updateSale(ctx, retailer, draft.id, {
    state: 'closed',
    register_id: draft.register_id,
    user_id: userId,
    line_items: lines.map((l) => ({ ...l, fulfilment_outlet_id: l.fulfilment_outlet_id ?? undefined, fulfillment_method: undefined })),
    payments: [{ payment_type_id: original.payments[0]?.payment_type_id ?? defaultPaymentTypeId(retailer), amount: refund }],
  });
}
