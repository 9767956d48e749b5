/**
 * Pickup Methods (pickup_methods.v3.yml: `/v3/pickup/methods`), Pickup Options
 * (pickup_options.v3.yml: `POST /v3/pickup/options`) and Pickups (pickup.v3.yml:
 * `/v3/orders/pickups`). Rules live in pickups.ts; these handlers parse, call and answer.
 */
import { z } from 'zod';
import { createPickupMethod, findPickupMethod, findPickupOptions, pickupMethodsOf, pickupsOf, requireUsableLocation } from './pickups';
import { HttpError, intList, json, noContent, paginate, parseBody, readPage } from './responses';
import type { Router } from './router';
import type { RouteContext } from './runtime';
import { iso, nextId } from './store-state';
import type { Pickup, PickupMethod } from './types';

const PROBLEM = 'application/problem+json';
const MAX_CREATE = 100; // "Limit of creating 100 pickup method objects per POST request"
const MAX_UPDATE = 10; // "Limit of updating 10 pickup method objects per PUT request"

const methodFields = z.object({
  location_id: z.number().int(),
  display_name: z.string().max(250).optional(),
  collection_instructions: z.string().max(250).optional(),
  collection_time_description: z.string().max(250).optional(),
  location_identity: z.number().int().optional(), // deprecated in the spec; accepted and ignored
});

function methodView(m: PickupMethod) {
  return { id: m.id, location_id: m.location_id, display_name: m.display_name, collection_instructions: m.collection_instructions, collection_time_description: m.collection_time_description, date_created: m.date_created, date_modified: m.date_modified };
}

/** `date_created`/`date_modified` filters: the exact day, or the :min / :max bounds. */
function dateFilters(ctx: RouteContext, field: 'date_created' | 'date_modified'): ((value: string) => boolean) | null {
  const parse = (name: string) => {
    const raw = ctx.url.searchParams.get(name);
    if (raw === null) return undefined;
    const ms = Date.parse(raw);
    if (Number.isNaN(ms)) throw new HttpError(422, `${name} must be an ISO-8601 date-time`, { [name]: 'not a date-time' });
    return ms;
  };
  const exact = parse(field);
  const min = parse(`${field}:min`);
  const max = parse(`${field}:max`);
  if (exact === undefined && min === undefined && max === undefined) return null;
  return (value) => {
    const ms = Date.parse(value);
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    return (exact === undefined || day(ms) === day(exact)) && (min === undefined || ms >= min) && (max === undefined || ms <= max);
  };
}

function listMethods(ctx: RouteContext): Response {
  const ids = intList(ctx.url, 'id:in');
  const created = dateFilters(ctx, 'date_created');
  const modified = dateFilters(ctx, 'date_modified');
  const sort = ctx.url.searchParams.get('sort');
  const rows = pickupMethodsOf(ctx.store)
    .filter((m) => !ids || ids.includes(m.id))
    .filter((m) => !created || created(m.date_created))
    .filter((m) => !modified || modified(m.date_modified));
  if (sort) {
    const [field, direction] = sort.split(':');
    if (!['date_modified', 'name'].includes(field ?? '') || !['asc', 'desc'].includes(direction ?? '')) throw new HttpError(422, `sort must be date_modified or name, :asc or :desc`, { sort: 'invalid' });
    const key = (m: PickupMethod) => (field === 'name' ? m.display_name.toLowerCase() : m.date_modified);
    rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id) * (direction === 'desc' ? -1 : 1));
  }
  return json(paginate(rows.map(methodView), ctx.url, readPage(ctx.url, 50, 250)));
}

async function createMethods(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, z.array(methodFields).min(1));
  if (body.length > MAX_CREATE) throw new HttpError(422, `At most ${MAX_CREATE} pickup methods per request`, {});
  // Validate every entry before creating any, so a bad one leaves nothing half-made.
  for (const m of body) requireUsableLocation(ctx.store, m.location_id);
  const created = body.map((m) => createPickupMethod(ctx.rt, ctx.store, m));
  return json({ data: created.map(methodView), meta: {} });
}

async function updateMethods(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, z.array(methodFields.partial().extend({ id: z.number().int() })).min(1));
  if (body.length > MAX_UPDATE) throw new HttpError(422, `At most ${MAX_UPDATE} pickup methods per request`, {});
  const targets = body.map((m) => {
    const method = findPickupMethod(ctx.store, m.id);
    if (!method) throw new HttpError(422, `Pickup method ${m.id} does not exist`, { id: 'unknown pickup method' });
    if (m.location_id !== undefined) requireUsableLocation(ctx.store, m.location_id);
    return { method, m };
  });
  const stamp = iso(ctx.rt.config.now());
  for (const { method, m } of targets) {
    if (m.location_id !== undefined) method.location_id = m.location_id;
    if (m.display_name !== undefined) method.display_name = m.display_name;
    if (m.collection_instructions !== undefined) method.collection_instructions = m.collection_instructions;
    if (m.collection_time_description !== undefined) method.collection_time_description = m.collection_time_description;
    method.date_modified = stamp;
  }
  ctx.rt.changed();
  return json({ data: targets.map((t) => methodView(t.method)), meta: {} });
}

function deleteMethods(ctx: RouteContext): Response {
  const ids = intList(ctx.url, 'id:in');
  if (!ids || ids.length === 0) throw new HttpError(422, 'id:in is required', { 'id:in': 'required' });
  ctx.store.pickupMethods = pickupMethodsOf(ctx.store).filter((m) => !ids.includes(m.id));
  ctx.rt.changed();
  return noContent();
}

const optionsBody = z.object({
  search_area: z.object({
    coordinates: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
    radius: z.object({ value: z.number().int().min(0), unit: z.enum(['KM', 'MI']) }),
  }),
  items: z.array(z.object({ variant_id: z.number().int(), quantity: z.number().int().min(1) })).min(1),
});

async function pickupOptions(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, optionsBody);
  for (const item of body.items) {
    if (!ctx.store.variants.some((v) => v.id === item.variant_id)) throw new HttpError(422, `Variant ${item.variant_id} does not exist`, { items: 'unknown variant' });
  }
  const radiusKm = body.search_area.radius.unit === 'MI' ? body.search_area.radius.value * 1.609344 : body.search_area.radius.value;
  const options = findPickupOptions(ctx.store, { coordinates: body.search_area.coordinates, radiusKm, items: body.items });
  return json({
    results: [
      {
        pickup_options: options.map((o) => ({
          pickup_method: { id: o.method.id, location_id: o.method.location_id, display_name: o.method.display_name, collection_instructions: o.method.collection_instructions, collection_time_description: o.method.collection_time_description },
          available_items: o.available.map((a) => ({ variant_id: a.variant_id, quantity: a.quantity ?? body.items.find((i) => i.variant_id === a.variant_id)!.quantity })),
        })),
      },
    ],
  });
}

/** `ready_at` / `collected_at`: Unix seconds or ISO-8601 (pickup.v3.yml). */
const instant = z.union([z.string(), z.number()]).transform((raw, ctx) => {
  const value = String(raw);
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'must be Unix seconds or an ISO-8601 date-time' });
    return z.NEVER;
  }
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
});

const pickupCreate = z.object({
  pickup_method_id: z.number().int().min(1),
  order_id: z.number().int().min(1),
  ready_at: instant,
  collected_at: instant.optional(),
  pickup_items: z.array(z.object({ order_product_id: z.number().int().min(1), quantity: z.number().int().min(1) })).min(1),
});
const pickupUpdate = z.object({ id: z.number().int().min(1).optional(), pickup_id: z.number().int().min(1).optional(), ready_at: instant.optional(), collected_at: instant.optional() });

function pickupView(p: Pickup) {
  return { id: p.id, pickup_method_id: p.pickup_method_id, order_id: p.order_id, ready_at: p.ready_at, created_at: p.created_at, updated_at: p.updated_at, pickup_items: p.pickup_items.map((i) => ({ ...i })) };
}

function pickupProblem(message: string, field: string): HttpError {
  return new HttpError(422, message, { [field]: message }, PROBLEM);
}

async function createPickups(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, z.array(pickupCreate).min(1), PROBLEM);
  if (body.length > MAX_CREATE) throw pickupProblem(`At most ${MAX_CREATE} pickups per request`, 'body');
  // An order's pickup items cannot exceed what it ordered, across this request and earlier pickups.
  const claimed = new Map<number, number>();
  for (const p of pickupsOf(ctx.store)) for (const i of p.pickup_items) claimed.set(i.order_product_id, (claimed.get(i.order_product_id) ?? 0) + i.quantity);
  for (const [index, p] of body.entries()) {
    const order = ctx.store.orders.find((o) => o.id === p.order_id && !o.is_deleted);
    if (!order) throw pickupProblem(`Order ${p.order_id} does not exist`, `${index}.order_id`);
    if (!order.pickup || order.pickup.pickup_method_id !== p.pickup_method_id) throw pickupProblem(`Order ${p.order_id} is not a pickup order for pickup method ${p.pickup_method_id}`, `${index}.pickup_method_id`);
    for (const item of p.pickup_items) {
      const line = order.products.find((l) => l.id === item.order_product_id);
      if (!line) throw pickupProblem(`Order product ${item.order_product_id} does not belong to order ${p.order_id}`, `${index}.pickup_items`);
      const total = (claimed.get(line.id) ?? 0) + item.quantity;
      if (total > line.quantity) throw pickupProblem(`Order product ${line.id} has ${line.quantity} units; ${total} would be in pickups`, `${index}.pickup_items`);
      claimed.set(line.id, total);
    }
  }
  const stamp = iso(ctx.rt.config.now());
  const created = body.map((p) => {
    const pickup: Pickup = {
      id: nextId(ctx.store, 'pickup'),
      order_id: p.order_id,
      pickup_method_id: p.pickup_method_id,
      ready_at: p.ready_at,
      created_at: stamp,
      updated_at: stamp,
      pickup_items: p.pickup_items.map((i) => ({ id: nextId(ctx.store, 'pickupItem'), order_product_id: i.order_product_id, quantity: i.quantity, status: p.collected_at ? 'COLLECTED' : 'AWAITING_COLLECTION', collected_at: p.collected_at ?? null })),
    };
    pickupsOf(ctx.store).push(pickup);
    return pickup;
  });
  ctx.rt.changed();
  return json({ data: created.map(pickupView), meta: {} });
}

async function updatePickups(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, z.array(pickupUpdate).min(1), PROBLEM);
  const targets = body.map((u, index) => {
    const id = u.pickup_id ?? u.id;
    const pickup = id === undefined ? undefined : pickupsOf(ctx.store).find((p) => p.id === id);
    if (!pickup) throw pickupProblem(id === undefined ? 'pickup_id is required' : `Pickup ${id} does not exist`, `${index}.pickup_id`);
    return { pickup, u };
  });
  const stamp = iso(ctx.rt.config.now());
  for (const { pickup, u } of targets) {
    if (u.ready_at !== undefined) pickup.ready_at = u.ready_at;
    if (u.collected_at !== undefined) for (const item of pickup.pickup_items) Object.assign(item, { status: 'COLLECTED', collected_at: u.collected_at });
    pickup.updated_at = stamp;
  }
  ctx.rt.changed();
  return json({ data: targets.map((t) => pickupView(t.pickup)), meta: {} });
}

function listPickups(ctx: RouteContext): Response {
  const orderIds = intList(ctx.url, 'order_id:in');
  const ids = intList(ctx.url, 'pickup_id:in');
  const rows = pickupsOf(ctx.store)
    .filter((p) => !orderIds || orderIds.includes(p.order_id))
    .filter((p) => !ids || ids.includes(p.id));
  return json({ data: rows.map(pickupView) });
}

function deletePickups(ctx: RouteContext): Response {
  const ids = intList(ctx.url, 'id:in');
  if (!ids || ids.length === 0) throw pickupProblem('id:in is required', 'id:in');
  ctx.store.pickups = pickupsOf(ctx.store).filter((p) => !ids.includes(p.id));
  ctx.rt.changed();
  return noContent();
}

export function registerPickupRoutes(router: Router): void {
  router
    .get('/v3/pickup/methods', listMethods)
    .post('/v3/pickup/methods', createMethods)
    .put('/v3/pickup/methods', updateMethods)
    .delete('/v3/pickup/methods', deleteMethods)
    .post('/v3/pickup/options', pickupOptions)
    .get('/v3/orders/pickups', listPickups)
    .post('/v3/orders/pickups', createPickups)
    .put('/v3/orders/pickups', updatePickups)
    .delete('/v3/orders/pickups', deletePickups);
}

