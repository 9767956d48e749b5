/**
 * Orders v2 routes (orders, products, shipping addresses, consignments, shipments, statuses)
 * and Orders v3 refunds (refund quotes, refunds). API refunds do not return stock (refunds guide).
 */
import { z } from 'zod';
import { consignmentsView, orderProductView, orderView, shipmentView, shippingAddressView } from './order-views';
import { ORDER_STATUSES, orderInput, placeOrder, requireOrder, setOrderStatus } from './orders';
import { HttpError, intList, json, noContent, parseBody, readPage, STATUS_CODES_DOC, v2Page } from './responses';
import type { Router } from './router';
import { intParam, type RouteContext } from './runtime';
import { iso, nextId } from './store-state';
import type { Order, RefundItem } from './types';

function apiBase(ctx: RouteContext): string {
  return `${ctx.url.origin}${ctx.rt.config.basePath}/stores/${ctx.store.hash}`;
}

function includesConsignments(ctx: RouteContext): boolean {
  return (ctx.url.searchParams.get('include') ?? '').split(',').includes('consignments');
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
  return json(v2Page(rows, ctx.url).map((o) => orderView(ctx.store, o, apiBase(ctx), includesConsignments(ctx))));
}

async function createOrder(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, orderInput);
  const order = placeOrder(ctx.rt, ctx.store, body, { orderSource: 'external' });
  return json(orderView(ctx.store, order, apiBase(ctx), includesConsignments(ctx)));
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
  return json(orderView(ctx.store, order, apiBase(ctx), includesConsignments(ctx)));
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

const refundItem = z.object({
  item_type: z.enum(['PRODUCT', 'GIFT_WRAPPING', 'SHIPPING', 'HANDLING', 'ORDER', 'TAX', 'FEE']),
  item_id: z.number().int(),
  quantity: z.number().int().min(1).optional(),
  amount: z.number().min(0).optional(),
  reason: z.string().optional(),
});
const quoteInput = z.object({ items: z.array(refundItem).min(1) });
const refundInput = quoteInput.extend({
  payments: z.array(z.object({ provider_id: z.string(), amount: z.number().min(0), offline: z.boolean().optional() })).min(1),
  reason: z.string().optional(),
});

/** Prices each refund line; PRODUCT lines by quantity × unit price, others by amount. */
function priceRefund(order: Order, items: RefundItem[]): { total: number; lines: (RefundItem & { requested_amount: number })[] } {
  const lines = items.map((item) => {
    if (item.item_type === 'PRODUCT') {
      const line = order.products.find((p) => p.id === item.item_id);
      if (!line) throw new HttpError(422, `Order product ${item.item_id} does not belong to order ${order.id}`);
      const quantity = item.quantity ?? 0;
      if (quantity < 1 || line.quantity_refunded + quantity > line.quantity) throw new HttpError(422, `Cannot refund ${quantity} of order product ${item.item_id}`);
      return { ...item, requested_amount: quantity * line.price_inc_tax };
    }
    if (item.amount === undefined) throw new HttpError(422, `${item.item_type} refund items need an amount`);
    return { ...item, requested_amount: item.amount };
  });
  return { total: lines.reduce((sum, l) => sum + l.requested_amount, 0), lines };
}

async function refundQuote(ctx: RouteContext): Promise<Response> {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  const body = await parseBody(ctx.req, quoteInput);
  const { total } = priceRefund(order, body.items);
  const quote = {
    order_id: order.id,
    total_refund_amount: total,
    total_refund_tax_amount: 0,
    order_level_refund_amount: 0,
    rounding: 0,
    adjustment: 0,
    tax_inclusive: false,
    refund_methods: [[{ provider_id: 'custom', provider_description: 'Manual', amount: total, offline: true, offline_provider: true, offline_reason: '' }]],
  };
  return json({ data: quote, meta: {} }, 201);
}

function refundView(refund: Order['refunds'][number]) {
  return {
    id: refund.id,
    order_id: refund.order_id,
    user_id: 0,
    created: refund.created,
    reason: refund.reason,
    total_amount: refund.total_amount,
    total_tax: refund.total_tax,
    uses_merchant_override_values: false,
    items: refund.items.map((i) => ({ item_type: i.item_type, item_id: i.item_id, reason: i.reason ?? '', quantity: i.quantity ?? 0, requested_amount: i.requested_amount })),
    payments: refund.payments.map((p) => ({ ...p, is_declined: false, declined_message: '', transaction_id: '' })),
  };
}

async function createRefund(ctx: RouteContext): Promise<Response> {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  const body = await parseBody(ctx.req, refundInput);
  const { total, lines } = priceRefund(order, body.items);
  const paid = body.payments.reduce((sum, p) => sum + p.amount, 0);
  if (Math.abs(paid - total) > 0.005) throw new HttpError(422, `Payments (${paid}) must equal the refund total (${total})`);
  for (const line of lines) {
    const product = line.item_type === 'PRODUCT' ? order.products.find((p) => p.id === line.item_id) : undefined;
    if (product) {
      product.quantity_refunded += line.quantity ?? 0;
      product.refund_amount += line.requested_amount;
    }
  }
  const refund = {
    id: nextId(ctx.store, 'refund'),
    order_id: order.id,
    created: iso(ctx.rt.config.now()),
    reason: body.reason ?? '',
    total_amount: total,
    total_tax: 0,
    items: lines,
    payments: body.payments.map((p) => ({ id: nextId(ctx.store, 'payment'), provider_id: p.provider_id, amount: p.amount, offline: p.offline ?? false })),
  };
  order.refunds.push(refund);
  order.refunded_amount += total;
  ctx.rt.emit(ctx.store, 'store/order/refund/created', { type: 'order', id: order.id, refund: { refund_id: refund.id } });
  const fully = order.products.every((p) => p.quantity_refunded >= p.quantity);
  // Refunds made through the API do not return items to inventory: the status moves, stock stays.
  setOrderStatus(ctx.rt, ctx.store, order, fully ? 4 : 14, { moveStock: false });
  return json({ data: refundView(refund), meta: {} }, 201);
}

function listRefunds(ctx: RouteContext): Response {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  return json({ data: order.refunds.map(refundView), meta: {} });
}

function listAllRefunds(ctx: RouteContext): Response {
  const orderIds = intList(ctx.url, 'order_id:in');
  const refunds = ctx.store.orders.filter((o) => !orderIds || orderIds.includes(o.id)).flatMap((o) => o.refunds);
  const { page, limit } = readPage(ctx.url);
  const slice = refunds.slice((page - 1) * limit, page * limit);
  const totalPages = Math.max(1, Math.ceil(refunds.length / limit));
  return json({ data: slice.map(refundView), meta: { pagination: { total: refunds.length, count: slice.length, per_page: limit, current_page: page, total_pages: totalPages, links: { current: `?page=${page}&limit=${limit}` } } } });
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
    .get('/v2/orders/:order_id', (ctx) => json(orderView(ctx.store, requireOrder(ctx.store, intParam(ctx, 'order_id')), apiBase(ctx), includesConsignments(ctx))))
    .put('/v2/orders/:order_id', updateOrder)
    .delete('/v2/orders/:order_id', archiveOrder)
    .get('/v2/orders/:order_id/products', (ctx) => json(v2Page(requireOrder(ctx.store, intParam(ctx, 'order_id')).products, ctx.url).map(orderProductView)))
    .get('/v2/orders/:order_id/products/:product_id', (ctx) => {
      const line = requireOrder(ctx.store, intParam(ctx, 'order_id')).products.find((p) => p.id === intParam(ctx, 'product_id'));
      if (!line) throw new HttpError(404, 'The requested resource was not found.');
      return json(orderProductView(line));
    })
    .get('/v2/orders/:order_id/shipping_addresses', (ctx) => json(shippingAddressView(requireOrder(ctx.store, intParam(ctx, 'order_id')))))
    .get('/v2/orders/:order_id/consignments', (ctx) => json(consignmentsView(ctx.store, requireOrder(ctx.store, intParam(ctx, 'order_id')), apiBase(ctx))))
    .get('/v2/orders/:order_id/shipments', listShipments)
    .post('/v2/orders/:order_id/shipments', createShipment)
    .get('/v2/orders/:order_id/shipments/:shipment_id', getShipment)
    .get('/v2/order_statuses', () => json(Object.keys(ORDER_STATUSES).map((id) => statusView(Number(id)))))
    .get('/v2/order_statuses/:status_id', (ctx) => json(statusView(intParam(ctx, 'status_id'))))
    .get('/v3/orders/payment_actions/refunds', listAllRefunds)
    .post('/v3/orders/:order_id/payment_actions/refund_quotes', refundErrors(refundQuote))
    .post('/v3/orders/:order_id/payment_actions/refunds', refundErrors(createRefund))
    .get('/v3/orders/:order_id/payment_actions/refunds', listRefunds);
}
