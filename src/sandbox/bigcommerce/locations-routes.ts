/**
 * Locations v3 (locations.v3.yml). Location 1 is the default location and shipping origin: it
 * cannot be deleted. Writes answer `{transaction_id}`; deleting a location deletes its stock.
 *
 * Location limit: the inventory-locations guide gives the number per plan (Standard 4, Plus 5,
 * Pro 8, Enterprise 100, "can be customized by request"); locations.v3.yml states the limit on
 * both create and update as "Limit of 100 active locations", so what counts is active (enabled)
 * locations, the default one included, and enabling a location can hit it as creating one can.
 * The count is the `locationLimitCounts` policy ('enabled' | 'all'). Over the limit the request
 * is refused whole with the spec's 422 problem+json and nothing changes.
 */
import { z } from 'zod';
import { boolParam, HttpError, intList, json, paged, parseBody, readPage, stringList } from './responses';
import type { Router } from './router';
import type { RouteContext, SandboxPolicies } from './runtime';
import { DEFAULT_LOCATION_ID, iso, newUuid, nextId } from './store-state';
import type { Location, StoreState } from './types';

const PROBLEM = 'application/problem+json';

const addressInput = z.object({
  address1: z.string().min(1),
  address2: z.string().optional(),
  city: z.string().min(1),
  state: z.string().min(1),
  zip: z.string().min(1),
  email: z.string().email(),
  phone: z.string().optional(),
  geo_coordinates: z.object({ latitude: z.number(), longitude: z.number() }),
  country_code: z.string().length(2),
});

const locationFields = z.object({
  code: z.string().min(1).max(255),
  label: z.string().min(1).max(255),
  description: z.string().optional(),
  managed_by_external_source: z.boolean(),
  type_id: z.enum(['PHYSICAL', 'VIRTUAL']),
  enabled: z.boolean().optional(),
  storefront_visibility: z.boolean().optional(),
  time_zone: z.string().min(1),
  address: addressInput.optional(),
  operating_hours: z.record(z.string(), z.unknown()).optional(),
  special_hours: z.array(z.unknown()).optional(),
});

const createBody = z.array(locationFields.extend({ code: z.string().min(1).max(255).optional() })).min(1);
const updateBody = z.array(locationFields.partial().extend({ id: z.number().int() })).min(1);

export function locationView(l: Location) {
  const none = { open: false, opening: '00:00', closing: '00:00' };
  return {
    id: l.id,
    code: l.code,
    label: l.label,
    description: l.description,
    managed_by_external_source: l.managed_by_external_source,
    type_id: l.type_id,
    enabled: l.enabled,
    operating_hours: { sunday: none, monday: none, tuesday: none, wednesday: none, thursday: none, friday: none, saturday: none },
    time_zone: l.time_zone,
    created_at: l.created_at,
    updated_at: l.updated_at,
    address: l.address ?? undefined,
    storefront_visibility: l.storefront_visibility,
    special_hours: [],
  };
}

function countedLocations(store: StoreState, counts: SandboxPolicies['locationLimitCounts']): number {
  return store.locations.filter((l) => counts === 'all' || l.enabled).length;
}

/** Refuses a change that leaves more counted locations than the plan allows (and more than before). */
function checkLocationLimit(store: StoreState, counts: SandboxPolicies['locationLimitCounts'], before: number): void {
  const counted = countedLocations(store, counts);
  if (counted > store.plan.maxLocations && counted > before) {
    const what = counts === 'all' ? 'locations' : 'active locations';
    throw new HttpError(422, `The ${store.plan.name} plan allows at most ${store.plan.maxLocations} ${what}`, { locations: `limit of ${store.plan.maxLocations} ${what} reached` }, PROBLEM);
  }
}

function listLocations(ctx: RouteContext): Response {
  const ids = intList(ctx.url, 'location_id:in');
  const codes = stringList(ctx.url, 'location_code:in');
  const types = stringList(ctx.url, 'type_id:in');
  const isDefault = boolParam(ctx.url, 'is_default');
  const external = boolParam(ctx.url, 'managed_by_external_source');
  const active = boolParam(ctx.url, 'is_active');
  const visible = boolParam(ctx.url, 'storefront_visibility');
  const rows = ctx.store.locations
    .filter((l) => !ids || ids.includes(l.id))
    .filter((l) => !codes || codes.includes(l.code))
    .filter((l) => !types || types.includes(l.type_id))
    .filter((l) => isDefault === undefined || (l.id === DEFAULT_LOCATION_ID) === isDefault)
    .filter((l) => external === undefined || l.managed_by_external_source === external)
    .filter((l) => active === undefined || l.enabled === active)
    .filter((l) => visible === undefined || l.storefront_visibility === visible);
  return paged(rows.map(locationView), ctx.url, readPage(ctx.url));
}

async function createLocations(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, createBody, PROBLEM);
  const stamp = iso(ctx.rt.config.now());
  const codes = new Set(ctx.store.locations.map((l) => l.code));
  const counts = ctx.rt.config.policies.locationLimitCounts;
  const nextLocationId = ctx.store.nextId.location;
  const before = countedLocations(ctx.store, counts);
  let created: Location[] = [];
  try {
    created = body.map((input, i) => {
      if (input.type_id === 'PHYSICAL' && !input.address) throw new HttpError(422, `Address is required for a PHYSICAL location (${i})`, { [`${i}.address`]: 'required' }, PROBLEM);
      const id = nextId(ctx.store, 'location');
      const code = input.code ?? `LOCATION-${id}`;
      if (codes.has(code)) throw new HttpError(422, `Location code ${code} is already in use`, { [`${i}.code`]: 'duplicate' }, PROBLEM);
      codes.add(code);
      return {
        id,
        code,
        label: input.label,
        description: input.description ?? '',
        managed_by_external_source: input.managed_by_external_source,
        type_id: input.type_id,
        enabled: input.enabled ?? true,
        storefront_visibility: input.storefront_visibility ?? true,
        time_zone: input.time_zone,
        address: input.address ? { ...input.address, address2: input.address.address2 ?? '', phone: input.address.phone ?? '' } : null,
        created_at: stamp,
        updated_at: stamp,
      };
    });
    ctx.store.locations.push(...created);
    checkLocationLimit(ctx.store, counts, before);
  } catch (error) {
    // A refused request changes nothing, not even the id sequence.
    ctx.store.locations = ctx.store.locations.filter((l) => !created.includes(l));
    ctx.store.nextId.location = nextLocationId!;
    throw error;
  }
  for (const l of created) ctx.rt.emit(ctx.store, 'store/inventory/location/created', { location_id: l.id });
  ctx.rt.changed();
  return json({ transaction_id: newUuid(ctx.rt) });
}

async function updateLocations(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, updateBody, PROBLEM);
  const targets = body.map((input) => {
    const location = ctx.store.locations.find((l) => l.id === input.id);
    if (!location) throw new HttpError(422, `Location with id ${input.id} does not exist`, { id: 'not found' }, PROBLEM);
    if (input.code !== undefined && ctx.store.locations.some((l) => l.id !== input.id && l.code === input.code)) {
      throw new HttpError(422, `Location code ${input.code} is already in use`, { code: 'duplicate' }, PROBLEM);
    }
    return { location, input };
  });
  const before = ctx.store.locations.map((l) => ({ ...l }));
  const countedBefore = countedLocations(ctx.store, ctx.rt.config.policies.locationLimitCounts);
  for (const { location, input } of targets) {
    const { id: _id, address, ...fields } = input;
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) (location as unknown as Record<string, unknown>)[key] = value;
    if (address) location.address = { ...address, address2: address.address2 ?? '', phone: address.phone ?? '' };
    location.updated_at = iso(ctx.rt.config.now());
  }
  try {
    checkLocationLimit(ctx.store, ctx.rt.config.policies.locationLimitCounts, countedBefore);
  } catch (error) {
    ctx.store.locations = before;
    throw error;
  }
  for (const { location } of targets) ctx.rt.emit(ctx.store, 'store/inventory/location/updated', { location_id: location.id });
  ctx.rt.changed();
  return json({ transaction_id: newUuid(ctx.rt) });
}

function deleteLocations(ctx: RouteContext): Response {
  const ids = intList(ctx.url, 'location_id:in') ?? [];
  if (ids.length === 0) throw new HttpError(422, 'location_id:in is required', {}, PROBLEM);
  if (ids.includes(DEFAULT_LOCATION_ID)) throw new HttpError(422, 'The default location cannot be deleted', {}, PROBLEM);
  const missing = ids.filter((id) => !ctx.store.locations.some((l) => l.id === id));
  if (missing.length > 0) throw new HttpError(404, `Locations not found: ${missing.join(', ')}`, {}, PROBLEM);
  const open = ctx.store.orders.some((o) => !o.is_deleted && ![2, 4, 5, 10].includes(o.status_id) && o.decrements?.some((d) => ids.includes(d.location_id)));
  if (open) throw new HttpError(422, 'Locations with open orders cannot be deleted', {}, PROBLEM);
  ctx.store.locations = ctx.store.locations.filter((l) => !ids.includes(l.id));
  ctx.store.stock = ctx.store.stock.filter((s) => !ids.includes(s.location_id));
  ctx.rt.changed();
  return json({ transaction_id: newUuid(ctx.rt) });
}

export function registerLocationRoutes(router: Router): void {
  router.get('/v3/inventory/locations', listLocations).post('/v3/inventory/locations', createLocations).put('/v3/inventory/locations', updateLocations).delete('/v3/inventory/locations', deleteLocations);
}
