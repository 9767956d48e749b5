/**
 * Order messages (orders.v2.oas2.yml `GET /orders/{order_id}/messages`, `orderMessages`). The API
 * only reads them: a customer writes one from the storefront, staff from the control panel, so
 * the sandbox creates them through a control action. Each new message fires
 * `store/order/message/created` with `data.message.order_message_id` (webhooks.v3.yml,
 * webhook-callbacks/store_order_message_created.yml).
 */
import { requireOrder } from './orders';
import { json, v2Page } from './responses';
import type { Router } from './router';
import { intParam, type RouteContext, type Runtime } from './runtime';
import { iso, nextId } from './store-state';
import type { OrderMessage, StoreState } from './types';

export interface OrderMessageInput {
  message: string;
  subject?: string;
  /** Written by this customer (the default: the order's customer); with staff_id, by staff. */
  customer_id?: number;
  staff_id?: number;
}

export function addOrderMessage(rt: Runtime, store: StoreState, orderId: number, input: OrderMessageInput): OrderMessage {
  const order = requireOrder(store, orderId);
  const byStaff = input.staff_id !== undefined;
  const message: OrderMessage = {
    id: nextId(store, 'orderMessage'),
    order_id: order.id,
    staff_id: input.staff_id ?? 0,
    customer_id: input.customer_id ?? order.customer_id,
    type: byStaff ? 'admin' : 'customer',
    subject: input.subject ?? `Order #${order.id}`,
    message: input.message,
    status: 'unread',
    is_flagged: false,
    date_created: iso(rt.config.now()),
  };
  (store.orderMessages ??= []).push(message);
  rt.emit(store, 'store/order/message/created', { type: 'order', id: order.id, message: { order_message_id: message.id } });
  rt.changed();
  return message;
}

function rfc2822(stamp: string): string {
  return new Date(stamp).toUTCString().replace('GMT', '+0000');
}

function messageView(m: OrderMessage) {
  return { ...m, date_created: rfc2822(m.date_created), customer: {} };
}

function listMessages(ctx: RouteContext): Response {
  const order = requireOrder(ctx.store, intParam(ctx, 'order_id'));
  const q = ctx.url.searchParams;
  const num = (name: string) => (q.has(name) ? Number(q.get(name)) : undefined);
  const date = (name: string) => (q.has(name) ? Date.parse(q.get(name)!) : undefined);
  const minId = num('min_id');
  const maxId = num('max_id');
  const customerId = num('customer_id');
  const minCreated = date('min_date_created');
  const maxCreated = date('max_date_created');
  const flagged = q.get('is_flagged');
  const status = q.get('status');
  const rows = (ctx.store.orderMessages ?? [])
    .filter((m) => m.order_id === order.id)
    .filter((m) => minId === undefined || m.id >= minId)
    .filter((m) => maxId === undefined || m.id <= maxId)
    .filter((m) => customerId === undefined || m.customer_id === customerId)
    .filter((m) => minCreated === undefined || Number.isNaN(minCreated) || Date.parse(m.date_created) >= minCreated)
    .filter((m) => maxCreated === undefined || Number.isNaN(maxCreated) || Date.parse(m.date_created) <= maxCreated)
    .filter((m) => flagged === null || m.is_flagged === (flagged === 'true'))
    .filter((m) => status === null || m.status === status);
  return json(v2Page(rows, ctx.url).map(messageView));
}

export function registerOrderMessageRoutes(router: Router): void {
  router.get('/v2/orders/:order_id/messages', listMessages);
}
