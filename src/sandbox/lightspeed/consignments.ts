/**
 * Consignments: supplier orders, outlet transfers, stocktakes and returns. Stock moves on the
 * status transitions Lightspeed documents (docs.vendhq.com inventory_creating_stock_orders):
 * a transfer leaves its source outlet when SENT (consignment.send), and a consignment adds its
 * received counts to the destination when RECEIVED (consignment.receive); a stocktake sets the
 * counted levels when STOCKTAKE_COMPLETE (also consignment.receive, per docs/webhooks).
 */
import { isoTime, nextVersion, type SandboxContext } from './context';
import { changeInventory, SandboxError } from './inventory';
import { consignmentPayload } from './webhook-payloads';
import type { Consignment, ConsignmentStatus, ConsignmentType, Retailer } from './types';

export interface ConsignmentInput {
  name: string;
  type: ConsignmentType;
  outlet_id: string;
  status?: ConsignmentStatus | undefined;
  source_outlet_id?: string | null | undefined;
  supplier_id?: string | null | undefined;
  reference?: string | null | undefined;
  consignment_date?: string | null | undefined;
  due_at?: string | null | undefined;
}

export interface ConsignmentLineInput {
  product_id: string;
  count?: number | null | undefined;
  received?: number | null | undefined;
  cost?: number | null | undefined;
}

function requireConsignment(retailer: Retailer, id: string): Consignment {
  const c = retailer.consignments[id];
  if (!c || c.deleted_at) throw new SandboxError(404, 'consignment not found');
  return c;
}

function validate(retailer: Retailer, input: ConsignmentInput): void {
  if (!retailer.outlets[input.outlet_id]) throw new SandboxError(422, 'outlet_id outlet not found');
  if (input.type === 'OUTLET' && (!input.source_outlet_id || !retailer.outlets[input.source_outlet_id]))
    throw new SandboxError(422, 'source_outlet_id is required for an OUTLET transfer');
}

export function createConsignment(ctx: SandboxContext, retailer: Retailer, input: ConsignmentInput): Consignment {
  validate(retailer, input);
  const at = isoTime(ctx.now());
  const c: Consignment = {
    id: ctx.newId(),
    name: input.name,
    type: input.type,
    status: input.type === 'STOCKTAKE' ? 'STOCKTAKE_SCHEDULED' : 'OPEN',
    outlet_id: input.outlet_id,
    source_outlet_id: input.source_outlet_id ?? null,
    supplier_id: input.supplier_id ?? null,
    reference: input.reference ?? null,
    consignment_date: input.consignment_date ?? at,
    due_at: input.due_at ?? null,
    received_at: null,
    created_at: at,
    updated_at: at,
    deleted_at: null,
    version: nextVersion(retailer),
    lines: {},
    sent_applied: false,
  };
  retailer.consignments[c.id] = c;
  ctx.changed();
  // A consignment created directly in a later status moves stock like the transition would.
  if (input.status && input.status !== c.status) return updateConsignment(ctx, retailer, c.id, { ...input, status: input.status });
  return c;
}

export function upsertConsignmentLines(
  ctx: SandboxContext,
  retailer: Retailer,
  consignmentId: string,
  lines: ConsignmentLineInput[],
  options: { accumulate?: boolean } = {},
): Consignment {
  const c = requireConsignment(retailer, consignmentId);
  if (c.status === 'RECEIVED' || c.status === 'STOCKTAKE_COMPLETE' || c.status === 'CANCELLED' || c.status === 'CLOSED')
    throw new SandboxError(422, `consignment is ${c.status}; its products cannot change`);
  for (const [i, l] of lines.entries()) {
    const product = retailer.products[l.product_id];
    if (!product) throw new SandboxError(422, `[${i}].product_id product not found`);
    if (product.is_family_parent) throw new SandboxError(422, `[${i}].product_id is a variant family parent`);
  }
  const at = isoTime(ctx.now());
  // POST /consignments/{id}/bulk on a SUPPLIER order: "If status is OPEN or SENT, the count value
  // will be accumulated; if status is DISPATCHED, the received quantity will be accumulated".
  const supplier = options.accumulate === true && c.type === 'SUPPLIER';
  const addCount = supplier && (c.status === 'OPEN' || c.status === 'SENT');
  const addReceived = supplier && c.status === 'DISPATCHED';
  const sum = (previous: number | null | undefined, next: number | null): number | null => (next === null ? (previous ?? null) : (previous ?? 0) + next);
  for (const l of lines) {
    const previous = c.lines[l.product_id];
    c.lines[l.product_id] = {
      product_id: l.product_id,
      count: l.count !== undefined ? (addCount ? sum(previous?.count, l.count) : l.count) : (previous?.count ?? null),
      received: l.received !== undefined ? (addReceived ? sum(previous?.received, l.received) : l.received) : (previous?.received ?? null),
      cost: l.cost !== undefined ? l.cost : (previous?.cost ?? retailer.products[l.product_id]?.supply_price ?? null),
      created_at: previous?.created_at ?? at,
      updated_at: at,
      version: nextVersion(retailer),
    };
  }
  c.updated_at = at;
  c.version = nextVersion(retailer);
  ctx.changed();
  return c;
}

export function updateConsignment(ctx: SandboxContext, retailer: Retailer, consignmentId: string, input: ConsignmentInput): Consignment {
  const c = requireConsignment(retailer, consignmentId);
  validate(retailer, input);
  const from = c.status;
  const to = input.status ?? c.status;
  if ((from === 'RECEIVED' || from === 'STOCKTAKE_COMPLETE' || from === 'CANCELLED') && to !== from)
    throw new SandboxError(422, `consignment is ${from} and cannot move to ${to}`);
  const at = isoTime(ctx.now());
  Object.assign(c, {
    name: input.name,
    outlet_id: input.outlet_id,
    source_outlet_id: input.source_outlet_id ?? c.source_outlet_id,
    supplier_id: input.supplier_id ?? c.supplier_id,
    reference: input.reference ?? c.reference,
    due_at: input.due_at ?? c.due_at,
    status: to,
    updated_at: at,
  });
  const lines = Object.values(c.lines);
  if (c.type === 'OUTLET' && (to === 'SENT' || to === 'DISPATCHED' || to === 'RECEIVED') && !c.sent_applied && c.source_outlet_id) {
    for (const l of lines) {
      const qty = l.count ?? 0;
      if (qty !== 0 && retailer.products[l.product_id]?.has_inventory)
        changeInventory(ctx, retailer, l.product_id, c.source_outlet_id, { delta: -qty }, `consignment:${c.id}`);
    }
    c.sent_applied = true;
    c.version = nextVersion(retailer);
    ctx.emit(retailer, 'consignment.send', consignmentPayload(c));
  }
  if (to === 'RECEIVED' && from !== 'RECEIVED') {
    const sign = c.type === 'RETURN' ? -1 : 1;
    for (const l of lines) {
      const qty = l.received ?? l.count ?? 0;
      if (l.received === null) l.received = qty;
      if (qty !== 0 && retailer.products[l.product_id]?.has_inventory)
        changeInventory(ctx, retailer, l.product_id, c.outlet_id, { delta: sign * qty }, `consignment:${c.id}`);
    }
    c.received_at = at;
    c.version = nextVersion(retailer);
    ctx.emit(retailer, 'consignment.receive', consignmentPayload(c));
  } else if (to === 'STOCKTAKE_COMPLETE' && from !== 'STOCKTAKE_COMPLETE') {
    for (const l of lines) {
      const counted = l.received ?? l.count;
      if (counted !== null && retailer.products[l.product_id]?.has_inventory)
        changeInventory(ctx, retailer, l.product_id, c.outlet_id, { set: counted }, `consignment:${c.id}`);
    }
    c.received_at = at;
    c.version = nextVersion(retailer);
    ctx.emit(retailer, 'consignment.receive', consignmentPayload(c));
  } else {
    c.version = nextVersion(retailer);
  }
  ctx.changed();
  return c;
}

export function deleteConsignment(ctx: SandboxContext, retailer: Retailer, consignmentId: string): void {
  const c = requireConsignment(retailer, consignmentId);
  if (c.status === 'RECEIVED' || c.status === 'STOCKTAKE_COMPLETE') throw new SandboxError(422, 'a received consignment cannot be deleted');
  c.deleted_at = isoTime(ctx.now());
  c.version = nextVersion(retailer);
  ctx.changed();
}
