/**
 * Orders v2 routes (orders, products, shipping addresses, consignments, shipments, statuses)
 * and Orders v3 refunds (refund quotes, refunds, reads). The rules live in orders.ts and
 * refunds.ts; these handlers parse, call and answer.
 */
import { z } from 'zod';
import { type ConsignmentInclude, consignmentsView, orderProductView, orderView, shipmentView, shippingAddressView } from './order-views';
import { ORDER_STATUSES, orderInput, placeOrder, requireOrder, setOrderStatus } from './orders';
import { allRefunds, createRefund, quoteRefund, refundByIdView, refundInput, refundQuoteInput, refundView } from './refunds';
import { HttpError, intList, json, noContent, parseBody, readPage, STATUS_CODES_DOC, v2Page } from './responses';
import type { Router } from './router';
import { intParam, type RouteContext } from './runtime';
import { iso, nextId } from './store-state';
import type { Order } from './types';

function apiBase(ctx: RouteContext): string {
  return `${ctx.url.origin}${ctx.rt.config.basePath}/stores/${ctx.store.hash}`;
}

/**
 * `include=consignments` puts the consignments in the order; `consignments.line_items` also
 * expands their line items into order products (orders.v2 `order_includes`).
 */
function consignmentInclude(ctx: RouteContext): ConsignmentInclude {
  const include = (ctx.url.searchParams.get('include') ?? '').split(',').map((s) => s.trim());
  if (include.includes('consignments.line_items')) return 'products';
  return include.includes('consignments') ? 'links' : 'none';
}

function dateParam(ctx: RouteContext, name: string): number | undefined {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null) return undefined;
  const asNumber = Number(raw);
  const ms = Number.isFinite(asNumber) ? asNumber * 1000 : Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}

function listOrders(ctx: RouteContext): Response {
  const num = (name: string) => (ctx.url.searchParams.has(name) ? Number(ctx.url.searchParams.get(name)) : undefined);
  const minId = num('min_id');
  const maxId = num('max_id');
  const status = num('status_id');
  const channel = num('channel_id');
  const minModified = dateParam(ctx, 'min_date_modified');
  const maxModified = dateParam(ctx, 'max_date_modified');
  const minCreated = dateParam(ctx, 'min_date_created');
  const externalOrderId = ctx.url.searchParams.get('external_order_id');
  const sort = ctx.url.searchParams.get('sort') ?? 'id:asc';
  const rows = ctx.store.orders
    .filter((o) => !o.is_deleted)
    .filter((o) => minId === undefined || o.id >= minId)
    .filter((o) => maxId === undefined || o.id <= maxId)
    .filter((o) => status === undefined || o.status_id === status)
    .filter((o) => channel === undefined || o.channel_id === channel)
    .filter((o) => minModified === undefined || Date.parse(o.date_modified) >= minModified)
    .filter((o) => maxModified === undefined || Date.parse(o.date_modified) <= maxModified)
    .filter((o) => minCreated === undefined || Date.parse(o.date_created) >= minCreated)
    .filter((o) => externalOrderId === null || o.external_order_id === externalOrderId);
  const [field, direction] = sort.split(':');
  const key = (o: Order) => (field === 'date_modified' ? Date.parse(o.date_modified) : field === 'date_created' ? Date.parse(o.date_created) : o.id);
  rows.sort((a, b) => (direction === 'desc' ? key(b) - key(a) : key(a) - key(b)));
  return json(v2Page(rows, ctx.url).map((o) => orderView(ctx.store, o, apiBase(ctx), consignmentInclude(ctx))));
}

async function createOrder(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, orderInput);
  const order = placeOrder(ctx.rt, ctx.store, body, { orderSource: 'external' });
  return json(orderView(ctx.store, order, apiBase(ctx), consignmentInclude(ctx)));
}

const orderUpdate = z.object({
  status_id: z.number().int().min(0).max(14).optional(),
  staff_notes: z.string().optional(),
  customer_message: z.string().optional(),
  external_order_id: z.string().optional(),
});

async function updateOrder(ctx: RouteContext): Promise<Response> {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  const body = await parseBody(ctx.req, orderUpdate);
  const { status_id: statusId, ...fields } = body;
  const changed = Object.entries(fields).filter(([, v]) => v !== undefined);
  for (const [key, value] of changed) (order as unknown as Record<string, unknown>)[key] = value;
  if (statusId !== undefined && statusId !== order.status_id) setOrderStatus(ctx.rt, ctx.store, order, statusId);
  else if (changed.length > 0) {
    order.date_modified = iso(ctx.rt.config.now());
    ctx.rt.emit(ctx.store, 'store/order/updated', { type: 'order', id: order.id });
    ctx.rt.changed();
  }
  return json(orderView(ctx.store, order, apiBase(ctx), consignmentInclude(ctx)));
}

function archiveOrder(ctx: RouteContext): Response {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  order.is_deleted = true;
  ctx.rt.emit(ctx.store, 'store/order/archived', { type: 'order', id: order.id });
  ctx.rt.changed();
  return noContent();
}

const shipmentInput = z.object({
  order_address_id: z.number().int(),
  tracking_number: z.string().optional(),
  tracking_link: z.string().optional(),
  shipping_method: z.string().optional(),
  shipping_provider: z.string().optional(),
  tracking_carrier: z.string().optional(),
  comments: z.string().optional(),
  items: z.array(z.object({ order_product_id: z.number().int(), quantity: z.number().int().min(1) })).min(1),
});

/** Records a shipment, bumps quantity_shipped and moves the order to (Partially) Shipped. */
async function createShipment(ctx: RouteContext): Promise<Response> {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  const body = await parseBody(ctx.req, shipmentInput);
  if (body.order_address_id !== order.order_address_id) throw new HttpError(400, `order_address_id ${body.order_address_id} does not belong to order ${order.id}`);
  const lines = body.items.map((item) => {
    const line = order.products.find((p) => p.id === item.order_product_id);
    if (!line) throw new HttpError(400, `order_product_id ${item.order_product_id} does not belong to order ${order.id}`);
    if (line.quantity_shipped + item.quantity > line.quantity) throw new HttpError(400, `Cannot ship more than ordered for order_product_id ${line.id}`);
    return { line, quantity: item.quantity };
  });
  for (const { line, quantity } of lines) line.quantity_shipped += quantity;
  const shipment = {
    id: nextId(ctx.store, 'shipment'),
    order_id: order.id,
    order_address_id: body.order_address_id,
    date_created: iso(ctx.rt.config.now()),
    tracking_number: body.tracking_number ?? '',
    tracking_link: body.tracking_link ?? '',
    tracking_carrier: body.tracking_carrier ?? '',
    shipping_provider: body.shipping_provider ?? '',
    shipping_method: body.shipping_method ?? '',
    comments: body.comments ?? '',
    items: lines.map(({ line, quantity }) => ({ order_product_id: line.id, product_id: line.product_id, quantity })),
  };
  order.shipments.push(shipment);
  ctx.rt.emit(ctx.store, 'store/shipment/created', { type: 'shipment', id: shipment.id, orderId: order.id });
  const allShipped = order.products.every((p) => p.quantity_shipped >= p.quantity);
  setOrderStatus(ctx.rt, ctx.store, order, allShipped ? 2 : 3);
  ctx.rt.changed();
  return json(shipmentView(order, shipment), 201);
}

function listShipments(ctx: RouteContext): Response {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  if (order.shipments.length === 0) return noContent();
  return json(v2Page(order.shipments, ctx.url).map((s) => shipmentView(order, s)));
}

function getShipment(ctx: RouteContext): Response {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  const shipment = order.shipments.find((s) => s.id === intParam(ctx, 'shipment_id'));
  if (!shipment) throw new HttpError(404, 'The requested resource was not found.');
  return json(shipmentView(order, shipment));
}

const statusView = (id: number) => ({ id, name: ORDER_STATUSES[id] ?? '', system_label: ORDER_STATUSES[id] ?? '', custom_label: ORDER_STATUSES[id] ?? '', system_description: '', order: id });

async function refundQuote(ctx: RouteContext): Promise<Response> {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  const body = await parseBody(ctx.req, refundQuoteInput);
  return json({ data: quoteRefund(order, body.items), meta: {} }, 201);
}

async function postRefund(ctx: RouteContext): Promise<Response> {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  const body = await parseBody(ctx.req, refundInput);
  return json({ data: refundView(createRefund(ctx.rt, ctx.store, order, body)), meta: {} }, 201);
}

function listRefunds(ctx: RouteContext): Response {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  return json({ data: order.refunds.map(refundView), meta: {} });
}

/** `created:min` / `created:max` (RFC 3339); a value that does not parse is a 422, not a silent no-op. */
function createdBound(ctx: RouteContext, name: string): number | undefined {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new HttpError(422, `${name} must be an RFC 3339 date-time`, { [name]: 'not a date-time' });
  return ms;
}

function listAllRefunds(ctx: RouteContext): Response {
  const orderIds = intList(ctx.url, 'order_id:in');
  const ids = intList(ctx.url, 'id:in');
  const min = createdBound(ctx, 'created:min');
  const max = createdBound(ctx, 'created:max');
  const refunds = allRefunds(ctx.store)
    .filter((r) => !orderIds || orderIds.includes(r.order_id))
    .filter((r) => !ids || ids.includes(r.id))
    .filter((r) => min === undefined || Date.parse(r.created) >= min)
    .filter((r) => max === undefined || Date.parse(r.created) <= max)
    // the sandbox records no payment transactions, so no refund matches a transaction_id
    .filter(() => !ctx.url.searchParams.has('transaction_id'));
  const { page, limit } = readPage(ctx.url);
  const slice = refunds.slice((page - 1) * limit, page * limit);
  const totalPages = Math.max(1, Math.ceil(refunds.length / limit));
  return json({ data: slice.map(refundView), meta: { pagination: { total: refunds.length, count: slice.length, per_page: limit, current_page: page, total_pages: totalPages, links: { current: `?page=${page}&limit=${limit}` } } } });
}

function getRefund(ctx: RouteContext): Response {
  const refund = allRefunds(ctx.store).find((r) => r.id === intParam(ctx, 'refund_id'));
  if (!refund) throw new HttpError(404, 'The requested refund was not found.');
  return json({ data: refundByIdView(refund), meta: {} });
}

/** Refund endpoints report errors as `{data: [{status, title, type, errors}]}` (orders.v3.yml). */
function refundErrors(handler: (ctx: RouteContext) => Promise<Response>) {
  return async (ctx: RouteContext): Promise<Response> => {
    try {
      return await handler(ctx);
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 422) throw error;
      return json({ data: [{ status: 422, title: error.title, type: STATUS_CODES_DOC, errors: error.errors }] }, 422);
    }
  };
}

export function registerOrderRoutes(router: Router): void {
  router
    .get('/v2/orders', listOrders)
    .post('/v2/orders', createOrder)
    .get('/v2/orders/:order_id', (ctx) => json(orderView(ctx.store, requireOrder(ctx.store, intParam(ctx, 'order_id')), apiBase(ctx), consignmentInclude(ctx))))
    .put('/v2/orders/:order_id', updateOrder)
    .delete('/v2/orders/:order_id', archiveOrder)
    .get('/v2/orders/:order_id/products', (ctx) => json(v2Page(requireOrder(ctx.store, intParam(ctx, 'order_id')).products, ctx.url).map(orderProductView)))
    .get('/v2/orders/:order_id/products/:product_id', (ctx) => {
      const line = requireOrder(ctx.store, intParam(ctx, 'order_id')).products.find((p) => p.id === intParam(ctx, 'product_id'));
      if (!line) throw new HttpError(404, 'The requested resource was not found.');
      return json(orderProductView(line));
    })
    .get('/v2/orders/:order_id/shipping_addresses', (ctx) => json(shippingAddressView(requireOrder(ctx.store, intParam(ctx, 'order_id')))))
    .get('/v2/orders/:order_id/consignments', (ctx) => {
      const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
      return json(consignmentsView(ctx.store, order, apiBase(ctx), consignmentInclude(ctx) === 'products' ? 'products' : 'links'));
    })
    .get('/v2/orders/:order_id/shipments', listShipments)
    .post('/v2/orders/:order_id/shipments', createShipment)
    .get('/v2/orders/:order_id/shipments/:shipment_id', getShipment)
    .get('/v2/order_statuses', () => json(Object.keys(ORDER_STATUSES).map((id) => statusView(Number(id)))))
    .get('/v2/order_statuses/:status_id', (ctx) => json(statusView(intParam(ctx, 'status_id'))))
    .get('/v3/orders/payment_actions/refunds', listAllRefunds)
    .get('/v3/orders/payment_actions/refunds/:refund_id', getRefund)
    .post('/v3/orders/:order_id/payment_actions/refund_quotes', refundErrors(refundQuote))
    .post('/v3/orders/:order_id/payment_actions/refunds', refundErrors(postRefund))
    .get('/v3/orders/:order_id/payment_actions/refunds', listRefunds);
}
