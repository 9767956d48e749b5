/**
 * Fulfilments (x-series-api.lightspeedhq.com/docs/fulfillments_partial_fulfillment): "A
 * versioned, uniquely identified aggregation representing all items for a given sale, outlet,
 * and fulfillment type", "created automatically" with a sale marked for pickup or delivery.
 * "Fulfilling: Marking an item as delivered to or picked up by the customer. Triggers inventory
 * movements." — so fulfilling moves the fulfilled units (policies.ts `stockTiming`), and when
 * every item of the sale is fulfilled the sale closes (AWAITING_DISPATCH → DISPATCHED_CLOSED,
 * AWAITING_PICKUP → PICKED_UP_CLOSED, docs/sales_statuses).
 */
import { isoTime, nextVersion, type SandboxContext } from './context';
import { SandboxError } from './inventory';
import { fulfilmentTypeOf, isAwaitingFulfilment, isClosedStatus, statusOf } from './sale-status';
import { lineOutlet, reconcileStock, saved } from './sales';
import type { Fulfillment, FulfillmentLine, Retailer, Sale } from './types';

export const fulfilmentsOf = (retailer: Retailer, saleId: string): Fulfillment[] =>
  Object.values(retailer.fulfillments)
    .filter((f) => f.sale_id === saleId)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));

export function removeFulfilments(retailer: Retailer, saleId: string): void {
  for (const f of fulfilmentsOf(retailer, saleId)) delete retailer.fulfillments[f.id];
}

const sameLines = (a: FulfillmentLine[], b: FulfillmentLine[]): boolean =>
  a.length === b.length && a.every((l, i) => l.sale_line_item_id === b[i]?.sale_line_item_id && l.product_id === b[i]?.product_id && l.quantity === b[i]?.quantity);

function touch(ctx: SandboxContext, retailer: Retailer, f: Fulfillment): void {
  f.updated_at = isoTime(ctx.now());
  f.version = nextVersion(retailer);
}

/**
 * Keeps a sale's fulfilments in step with the sale: one per (fulfilment outlet, type) while it
 * awaits dispatch or pickup, lines following the sale's lines (fulfilled quantities kept), every
 * line fulfilled once the sale is closed, none once it is voided.
 */
export function syncFulfilments(ctx: SandboxContext, retailer: Retailer, sale: Sale): void {
  if (sale.status === 'VOIDED') {
    removeFulfilments(retailer, sale.id);
    return;
  }
  const saleType = fulfilmentTypeOf(sale.attributes);
  if (saleType === null || sale.status === 'SAVED') return;
  const existing = fulfilmentsOf(retailer, sale.id);
  const fulfilledById = new Map<string, number>();
  for (const f of existing) for (const l of f.line_items) fulfilledById.set(l.sale_line_item_id, l.fulfilled_quantity);

  const groups = new Map<string, { outletId: string; type: 'DISPATCH' | 'PICKUP'; lines: FulfillmentLine[] }>();
  for (const l of sale.line_items) {
    if (l.status === 'VOIDED' || l.quantity <= 0) continue;
    const outletId = lineOutlet(sale, l);
    // A line's own `_metadata.fulfillment_method` decides whether it ships or is collected, so one
    // order can dispatch from a warehouse and be picked up at a store.
    const type = l.fulfillment_method ?? saleType;
    const key = `${outletId}:${type}`;
    const group = groups.get(key) ?? { outletId, type, lines: [] };
    group.lines.push({ sale_line_item_id: l.id, product_id: l.product_id, quantity: l.quantity, fulfilled_quantity: fulfilledById.get(l.id) ?? 0 });
    groups.set(key, group);
  }

  const at = isoTime(ctx.now());
  const detail = (type: 'DISPATCH' | 'PICKUP') => sale.fulfillment_details.find((d) => d.type === type);
  const kept = new Set<string>();
  for (const { outletId, type, lines } of groups.values()) {
    const current = existing.find((f) => f.outlet_id === outletId && f.type === type);
    if (current) {
      kept.add(current.id);
      if (!sameLines(current.line_items, lines)) {
        current.line_items = lines;
        // A line added to a done fulfilment opens it again.
        current.state = lines.every((l) => l.fulfilled_quantity >= l.quantity) ? 'FULFILLED' : 'OPEN';
        touch(ctx, retailer, current);
      }
      continue;
    }
    const f: Fulfillment = {
      id: ctx.newId(),
      sale_id: sale.id,
      outlet_id: outletId,
      type,
      state: 'OPEN',
      note: detail(type)?.note ?? '',
      shipping_address_id: type === 'DISPATCH' ? (detail(type)?.shipping_address_id ?? null) : null,
      created_at: at,
      updated_at: at,
      version: nextVersion(retailer),
      line_items: lines,
      last_fulfil: null,
    };
    retailer.fulfillments[f.id] = f;
    kept.add(f.id);
  }
  for (const f of existing) if (!kept.has(f.id)) delete retailer.fulfillments[f.id];

  // A closed delivery or pickup sale has been dispatched or collected: all of it is fulfilled.
  if (isClosedStatus(sale.status)) {
    for (const f of fulfilmentsOf(retailer, sale.id)) {
      if (f.state === 'FULFILLED' && f.line_items.every((l) => l.fulfilled_quantity >= l.quantity)) continue;
      for (const l of f.line_items) l.fulfilled_quantity = l.quantity;
      f.state = 'FULFILLED';
      touch(ctx, retailer, f);
    }
  }
}

/** When every fulfilment of an awaiting sale is done, the sale closes (and says so by webhook). */
function closeIfDone(ctx: SandboxContext, retailer: Retailer, sale: Sale): void {
  const all = fulfilmentsOf(retailer, sale.id);
  if (isAwaitingFulfilment(sale.status) && all.length > 0 && all.every((f) => f.state === 'FULFILLED')) {
    sale.status = statusOf('closed', sale.attributes);
    saved(ctx, retailer, sale);
  } else {
    ctx.changed();
  }
}

/** POST /fulfillments/fulfill: "Completes all fulfillments for a given sale. This is an idempotent action." */
export function fulfilSale(ctx: SandboxContext, retailer: Retailer, saleId: string, options: { note?: string } = {}): Fulfillment[] {
  const sale = retailer.sales[saleId];
  if (!sale) throw new SandboxError(404, 'sale not found');
  const fulfilments = fulfilmentsOf(retailer, saleId);
  if (isClosedStatus(sale.status) && fulfilments.length > 0) return fulfilments;
  if (!isAwaitingFulfilment(sale.status)) throw new SandboxError(409, `sale in status ${sale.status} has nothing to fulfil`);
  for (const f of fulfilments) {
    for (const l of f.line_items) l.fulfilled_quantity = l.quantity;
    f.state = 'FULFILLED';
    if (options.note) f.note = [f.note, options.note].filter(Boolean).join('\n');
    touch(ctx, retailer, f);
  }
  reconcileStock(ctx, retailer, sale);
  closeIfDone(ctx, retailer, sale);
  return fulfilments;
}

export interface FulfilLinesInput {
  version: number;
  line_items: { sale_line_item_id: string; quantity: number }[];
}

/**
 * POST /fulfillments/{id}/fulfill: fulfils some lines of one fulfilment (a partial shipment).
 * `version` is "the current version number of the fulfillment" (optimistic lock; a stale one is
 * 409 Conflict), and the action "is idempotent": the exact request that moved the fulfilment from
 * `version`, sent again, answers as it did the first time and fulfils nothing more.
 */
export function fulfilLines(
  ctx: SandboxContext,
  retailer: Retailer,
  fulfillmentId: string,
  input: FulfilLinesInput,
  options: { note?: string } = {},
): Fulfillment {
  const f = retailer.fulfillments[fulfillmentId];
  if (!f) throw new SandboxError(404, 'fulfillment not found');
  const request = JSON.stringify(input);
  if (f.last_fulfil && f.last_fulfil.from_version === input.version && f.last_fulfil.request === request && f.version === f.last_fulfil.to_version) return f;
  if (f.version !== input.version) throw new SandboxError(409, `fulfillment version is ${f.version}, not ${input.version}`);
  const sale = retailer.sales[f.sale_id];
  if (!sale || !isAwaitingFulfilment(sale.status)) throw new SandboxError(409, `sale in status ${sale?.status ?? 'unknown'} has nothing to fulfil`);
  const wanted = new Map<string, number>();
  for (const [i, w] of input.line_items.entries()) {
    if (!f.line_items.some((l) => l.sale_line_item_id === w.sale_line_item_id)) throw new SandboxError(400, `line_items[${i}].sale_line_item_id is not on this fulfillment`);
    if (!(w.quantity > 0)) throw new SandboxError(400, `line_items[${i}].quantity must be positive`);
    wanted.set(w.sale_line_item_id, (wanted.get(w.sale_line_item_id) ?? 0) + w.quantity);
  }
  for (const l of f.line_items) {
    const more = wanted.get(l.sale_line_item_id) ?? 0;
    if (l.fulfilled_quantity + more > l.quantity)
      throw new SandboxError(400, `line ${l.sale_line_item_id}: ${more} exceeds what is left to fulfil (${l.quantity - l.fulfilled_quantity})`);
  }
  for (const l of f.line_items) l.fulfilled_quantity += wanted.get(l.sale_line_item_id) ?? 0;
  if (f.line_items.every((l) => l.fulfilled_quantity >= l.quantity)) f.state = 'FULFILLED';
  if (options.note) f.note = [f.note, options.note].filter(Boolean).join('\n');
  touch(ctx, retailer, f);
  f.last_fulfil = { from_version: input.version, request, to_version: f.version };
  reconcileStock(ctx, retailer, sale);
  closeIfDone(ctx, retailer, sale);
  return f;
}

export interface FulfilmentQuery {
  saleIds: string[];
  outletIds: string[];
  types: string[];
  states: string[];
}

/** GET /fulfillments filters: each repeatable, values OR-ed within a filter and AND-ed across them. */
export function findFulfilments(retailer: Retailer, q: FulfilmentQuery): Fulfillment[] {
  const allows = (values: string[], value: string) => values.length === 0 || values.includes(value);
  return Object.values(retailer.fulfillments)
    .filter((f) => allows(q.saleIds, f.sale_id) && allows(q.outletIds, f.outlet_id) && allows(q.types, f.type) && allows(q.states, f.state))
    .sort((a, b) => a.version - b.version);
}
