/**
 * The Locations page's use cases: every Lightspeed outlet with its BigCommerce mapping and the
 * merchant's choices, creating a location for an outlet, the store's stock mode, sweeps, and the
 * "why is this item showing N?" view. Route handlers parse, call these, and answer.
 */
import { z } from 'zod';
import { locationCodeFor, locationDraftFor, LocationDraftError, locationLimit, mappingWarnings, type MappingWarning } from '../../core/inventory/locations';
import { locatePostalCode } from '../../integrations/geo/postal';
import { breakdown, shortfallOf } from '../../core/inventory/levels';
import { reserveFor } from '../../core/inventory/inputs';
import { ONE_CLICK_KINDS, oneClickFixOf } from '../../core/inventory/problems';
import { inventoryFor, type InventoryProblem, type OutletMapping } from '../../db/repositories/inventory';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { catalogFor } from '../../db/repositories/catalog';
import { BigCommerceApiError } from '../../integrations/bigcommerce/errors';
import { bigcommerceClientFor, lightspeedClientFor, NotConnected } from '../clients';
import type { JobDeps } from '../deps';
import { DEFAULT_LOCATION_ID, outletSettingsOf } from '../inventory/engine';
import { markAllInventoryDirty, markInventoryDirty, startSweep } from '../definitions/inventory-sync';
import type { JobQueue } from '../queue';

export class LocationsRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const ctxOf = (deps: JobDeps, queue: JobQueue) => ({ deps, enqueue: ((def, payload, options) => queue.send(def, payload, options)) as JobQueue['send'] });

/** Brings the outlet list in line with Lightspeed (new outlets appear unmapped; gone ones retire). */
export async function refreshOutlets(deps: JobDeps, storeId: string): Promise<void> {
  const client = await lightspeedClientFor(deps, storeId);
  const outlets = [];
  for await (const o of client.outlets.all()) {
    if (o.deletedAt) continue;
    outlets.push({
      id: o.id,
      name: o.name,
      address: { street1: o.address.line1, street2: o.address.line2, city: o.address.city ?? o.address.suburb, state: o.address.state, postcode: o.address.postcode, countryCode: o.address.countryId },
    });
  }
  await inventoryFor(deps.database.db, storeId).outlets.syncFromLightspeed(outlets);
}

export interface LocationsView {
  stockMode: 'default-location' | 'aggregated' | null;
  plan: string | null;
  locationLimit: number | null;
  outlets: (OutletMapping & { locationLabel: string | null; proposedCode: string; suggestedCoordinates: { latitude: number; longitude: number } | null })[];
  locations: { id: number; code: string; label: string; enabled: boolean; managedByExternalSource: boolean; isDefault: boolean }[];
  warnings: MappingWarning[];
  sweep: { id: string; state: string; total: number; done: number; changed: number; error: string | null; startedAt: string; finishedAt: string | null } | null;
  sweepIntervalMinutes: number;
  lightspeed: 'connected' | 'not-connected';
}

export async function locationsView(deps: JobDeps, storeId: string): Promise<LocationsView> {
  const db = deps.database.db;
  const inventory = inventoryFor(db, storeId);
  let lightspeed: LocationsView['lightspeed'] = 'connected';
  try {
    await refreshOutlets(deps, storeId);
  } catch (error) {
    if (!(error instanceof NotConnected)) throw error;
    lightspeed = 'not-connected';
  }
  const store = await storesRepository(db).findById(storeId);
  const bc = await bigcommerceClientFor(deps, storeId);
  const bcLocations = await bc.locations.listAll();
  const outlets = (await inventory.outlets.list()).filter((o) => !o.retired);
  const locations = bcLocations.map((l) => ({ id: l.id, code: l.code, label: l.label, enabled: l.enabled, managedByExternalSource: l.managed_by_external_source, isDefault: l.id === DEFAULT_LOCATION_ID }));
  const plan = store?.plan ?? null;
  const sweep = await inventory.sweeps.latest();
  const settings = await inventory.settings.get();
  return {
    stockMode: store?.stockMode ?? null,
    plan,
    locationLimit: locationLimit(plan).limit,
    outlets: outlets.map((o) => ({ ...o, locationLabel: locations.find((l) => l.id === o.bcLocationId)?.label ?? null, proposedCode: locationCodeFor(o.lsOutletId), suggestedCoordinates: coordinatesOf(o) })),
    locations,
    warnings: mappingWarnings(outlets, locations, plan),
    sweep: sweep
      ? { id: sweep.id, state: sweep.state, total: sweep.total, done: sweep.done, changed: sweep.changed, error: sweep.error, startedAt: sweep.startedAt.toISOString(), finishedAt: sweep.finishedAt?.toISOString() ?? null }
      : null,
    sweepIntervalMinutes: settings.sweepIntervalMinutes,
    lightspeed,
  };
}

/** The outlet's coordinates, or where its postcode is (the merchant can correct them before creating a location). */
function coordinatesOf(o: OutletMapping): { latitude: number; longitude: number } | null {
  if (o.latitude !== null && o.longitude !== null) return { latitude: o.latitude, longitude: o.longitude };
  const place = locatePostalCode(o.address?.postcode, o.address?.countryCode);
  return place ? { latitude: place.latitude, longitude: place.longitude } : null;
}

/** Everything the Locations page shows: the mapping view, the last stock check with its corrections, and the open stock problems. */
export async function locationsPage(deps: JobDeps, storeId: string) {
  const view = await locationsView(deps, storeId);
  return { ...view, sweep: await lastSweep(deps, storeId), problems: await stockProblems(deps, storeId) };
}

const reserveSchema = z.object({ kind: z.enum(['units', 'percent']), value: z.number().int().min(0).max(100_000) }).refine((r) => r.kind !== 'percent' || r.value <= 100, { message: 'a percentage is at most 100' });

export const outletPatchSchema = z
  .object({
    bcLocationId: z.number().int().positive().nullable().optional(),
    publishes: z.boolean().optional(),
    fulfils: z.boolean().optional(),
    rank: z.number().int().min(1).max(1000).optional(),
    dailyCapacity: z.number().int().min(0).max(100_000).nullable().optional(),
    reserve: reserveSchema.nullable().optional(),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
  })
  .strict();

/** Changes an outlet's mapping or settings; everything is republished at once and logged. */
export async function updateOutlet(deps: JobDeps, queue: JobQueue, storeId: string, lsOutletId: string, patch: z.output<typeof outletPatchSchema>, actor: string): Promise<OutletMapping> {
  const inventory = inventoryFor(deps.database.db, storeId);
  const before = await inventory.outlets.get(lsOutletId);
  if (!before || before.retired) throw new LocationsRequestError('no such outlet', 404);
  if (patch.bcLocationId) {
    const bc = await bigcommerceClientFor(deps, storeId);
    const exists = (await bc.locations.listAll()).some((l) => l.id === patch.bcLocationId);
    if (!exists) throw new LocationsRequestError(`BigCommerce location #${patch.bcLocationId} does not exist`);
  }
  const { reserve, ...rest } = patch;
  const row = await inventory.outlets.update(lsOutletId, {
    ...rest,
    ...(patch.bcLocationId !== undefined ? { locationCreatedByApp: false } : {}),
    ...(reserve !== undefined ? { reserveKind: reserve?.kind ?? null, reserveValue: reserve?.value ?? 0 } : {}),
  });
  if (!row) throw new LocationsRequestError('no such outlet', 404);
  const count = await markAllInventoryDirty(ctxOf(deps, queue), storeId, 'mapping');
  await forStore(deps.database.db, deps.secrets, storeId).activity.record({
    kind: 'inventory.mapping',
    outcome: 'ok',
    summary: `${row.name}: ${describePatch(before, row)}; stock of ${count} variant(s) republished`,
    reason: `by ${actor}`,
    entityType: 'outlet',
    entityId: lsOutletId,
    details: { before: pick(before), after: pick(row) },
  });
  return row;
}

const pick = (o: OutletMapping) => ({ bcLocationId: o.bcLocationId, publishes: o.publishes, fulfils: o.fulfils, rank: o.rank, dailyCapacity: o.dailyCapacity, reserveKind: o.reserveKind, reserveValue: o.reserveValue, latitude: o.latitude, longitude: o.longitude });

function describePatch(before: OutletMapping, after: OutletMapping): string {
  const parts: string[] = [];
  if (before.bcLocationId !== after.bcLocationId) parts.push(after.bcLocationId === null ? 'no longer mapped (its stock is not sold online)' : `mapped to BigCommerce location #${after.bcLocationId}`);
  if (before.publishes !== after.publishes) parts.push(after.publishes ? 'publishes its stock online' : 'no longer publishes its stock online');
  if (before.fulfils !== after.fulfils) parts.push(after.fulfils ? 'fulfils online orders' : 'no longer fulfils online orders');
  if (before.rank !== after.rank) parts.push(`rank ${after.rank}`);
  if (before.dailyCapacity !== after.dailyCapacity) parts.push(after.dailyCapacity === null ? 'no daily limit' : `up to ${after.dailyCapacity} online orders a day`);
  if (before.reserveKind !== after.reserveKind || before.reserveValue !== after.reserveValue) parts.push(after.reserveKind ? `keeps ${after.reserveValue}${after.reserveKind === 'percent' ? '%' : ' unit(s)'} of each item for walk-ins` : 'no walk-in reserve');
  if (before.latitude !== after.latitude || before.longitude !== after.longitude) parts.push('coordinates changed');
  return parts.length ? parts.join(', ') : 'no change';
}

export const createLocationSchema = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).strict();

/**
 * Creates a BigCommerce location for the outlet (managed by an external source, so it cannot be
 * edited by hand in BigCommerce) and maps the outlet to it. The location limit of the store's
 * plan is explained when BigCommerce refuses for it.
 */
export async function createLocationForOutlet(deps: JobDeps, queue: JobQueue, storeId: string, lsOutletId: string, input: z.output<typeof createLocationSchema>, actor: string): Promise<OutletMapping> {
  const inventory = inventoryFor(deps.database.db, storeId);
  const outlet = await inventory.outlets.get(lsOutletId);
  if (!outlet || outlet.retired) throw new LocationsRequestError('no such outlet', 404);
  const bc = await bigcommerceClientFor(deps, storeId);
  const store = await storesRepository(deps.database.db).findById(storeId);
  const info = await bc.store.info().catch(() => null);
  let draft;
  try {
    draft = locationDraftFor(
      { ...outlet, address: outlet.address },
      { latitude: input.latitude, longitude: input.longitude, email: info?.admin_email || `stock@${store?.storeHash ?? 'store'}.example.com`, timeZone: info?.timezone?.name ?? null },
    );
  } catch (error) {
    if (error instanceof LocationDraftError) throw new LocationsRequestError(error.message, 422);
    throw error;
  }
  let location = (await bc.locations.listAll({ 'location_code:in': [draft.code] })).find((l) => l.code === draft.code);
  if (!location) {
    try {
      await bc.locations.create([draft]);
    } catch (error) {
      if (error instanceof BigCommerceApiError && error.status === 422) {
        const { limit, plan } = locationLimit(store?.plan ?? info?.plan_name ?? null);
        const reason = error.title ?? 'BigCommerce refused the location';
        throw new LocationsRequestError(limit ? `${reason}. Your ${plan} plan allows ${limit} active locations (the default location counts): map ${outlet.name} to an existing location, disable one you do not need, or upgrade the plan.` : reason, 422);
      }
      throw error;
    }
    // Creating answers a transaction id only: the new location is found by its code.
    location = (await bc.locations.listAll({ 'location_code:in': [draft.code] })).find((l) => l.code === draft.code);
    if (!location) throw new LocationsRequestError('BigCommerce accepted the location but does not list it yet; try again in a moment', 503);
  }
  const row = await inventory.outlets.update(lsOutletId, { bcLocationId: location.id, locationCreatedByApp: true, latitude: input.latitude, longitude: input.longitude });
  const count = await markAllInventoryDirty(ctxOf(deps, queue), storeId, 'mapping');
  await forStore(deps.database.db, deps.secrets, storeId).activity.record({
    kind: 'inventory.location-created',
    outcome: 'ok',
    summary: `Created the BigCommerce location ${location.label} (${location.code}) for ${outlet.name} and mapped it; stock of ${count} variant(s) republished`,
    reason: `by ${actor}`,
    entityType: 'outlet',
    entityId: lsOutletId,
  });
  return row!;
}

export const stockModeSchema = z.object({ stockMode: z.enum(['default-location', 'aggregated']) }).strict();

export async function setStockMode(deps: JobDeps, queue: JobQueue, storeId: string, mode: 'default-location' | 'aggregated', actor: string): Promise<void> {
  await forStore(deps.database.db, deps.secrets, storeId).settings.update({ stockMode: mode });
  const count = await markAllInventoryDirty(ctxOf(deps, queue), storeId, 'mapping');
  await forStore(deps.database.db, deps.secrets, storeId).activity.record({
    kind: 'inventory.stock-mode',
    outcome: 'ok',
    summary: `Storefront stock mode set to ${mode === 'default-location' ? 'default location' : 'aggregated stock'}; stock of ${count} variant(s) republished`,
    reason: `by ${actor}`,
    entityType: 'store',
    entityId: storeId,
  });
}

export async function requestSweep(deps: JobDeps, queue: JobQueue, storeId: string): Promise<{ sweepId: string }> {
  const outlets = await inventoryFor(deps.database.db, storeId).outlets.list();
  if (!outlets.some((o) => o.bcLocationId !== null && !o.retired)) throw new LocationsRequestError('Map at least one outlet to a BigCommerce location first: until then there is no stock to check.', 409);
  return { sweepId: await startSweep(ctxOf(deps, queue), storeId, 'merchant') };
}

export async function sweepStatus(deps: JobDeps, storeId: string, sweepId: string) {
  if (!z.uuid().safeParse(sweepId).success) throw new LocationsRequestError('no such sweep', 404);
  const sweep = await inventoryFor(deps.database.db, storeId).sweeps.get(sweepId);
  if (!sweep) throw new LocationsRequestError('no such sweep', 404);
  return { id: sweep.id, state: sweep.state, total: sweep.total, done: sweep.done, changed: sweep.changed, error: sweep.error };
}

/**
 * "Why is this item showing N?": per variant and location, Lightspeed's on-hand, what is in
 * flight, the reserve, what Counterpart published and what BigCommerce holds now, with the last
 * changes and their causes and latency.
 */
export async function itemStock(deps: JobDeps, storeId: string, lsItemId: string) {
  const db = deps.database.db;
  const inventory = inventoryFor(db, storeId);
  const item = await catalogFor(db, storeId).items.findByAnyId(lsItemId);
  if (!item) throw new LocationsRequestError('no such item', 404);
  const outlets = (await inventory.outlets.list()).filter((o) => !o.retired);
  const variants = (await inventory.linkedVariants(item.lsProductIds)).filter((v) => v.lsItemId === item.lsItemId);
  const productIds = item.hasVariants ? item.variants.map((v) => v.lsProductId) : [item.lsItemId];
  const [onHandRows, commitments, ledgerRows, reserves, changes, problems] = await Promise.all([
    inventory.onHand(productIds),
    inventory.commitments.openFor(productIds),
    inventory.ledger.rows(variants.map((v) => v.bcVariantId)),
    inventory.reserves.forItems([item.lsItemId]),
    inventory.changes.forProducts(productIds, 30),
    inventory.problems.forProducts(productIds),
  ]);
  let bcLevels = new Map<string, number>();
  let bcError: string | null = null;
  if (variants.length > 0) {
    try {
      const bc = await bigcommerceClientFor(deps, storeId);
      const items = await bc.inventory.items.listAll({ 'variant_id:in': variants.map((v) => v.bcVariantId) });
      bcLevels = new Map(items.flatMap((i) => i.locations.map((l) => [`${i.identity.variant_id}:${l.location_id}`, l.total_inventory_onhand] as const)));
    } catch (error) {
      bcError = error instanceof Error ? error.message : String(error);
    }
  }
  const itemRules = reserves.map((r) => ({ lsOutletId: r.lsOutletId, rule: { kind: r.kind, value: r.value } }));
  const rows = productIds.map((lsProductId) => {
    const variant = variants.find((v) => v.lsProductId === lsProductId);
    const meta = item.hasVariants ? item.variants.find((v) => v.lsProductId === lsProductId) : { sku: item.sku, name: item.name };
    return {
      lsProductId,
      sku: meta?.sku ?? '',
      name: meta?.name ?? '',
      bcVariantId: variant?.bcVariantId ?? null,
      outlets: outlets.map((o) => {
        const settings = outletSettingsOf(o);
        const b = breakdown({
          outletId: o.lsOutletId,
          locationId: o.bcLocationId,
          publishes: o.publishes,
          onHand: onHandRows.find((r) => r.productId === lsProductId && r.outletId === o.lsOutletId)?.onHand ?? 0,
          committed: commitments.filter((c) => c.lsProductId === lsProductId && c.lsOutletId === o.lsOutletId).reduce((s, c) => s + c.quantity, 0),
          reserve: reserveFor(settings, itemRules),
        });
        const ledger = variant && o.bcLocationId !== null ? ledgerRows.find((r) => r.bcVariantId === variant.bcVariantId && r.bcLocationId === o.bcLocationId) : undefined;
        return {
          lsOutletId: o.lsOutletId,
          outlet: o.name,
          bcLocationId: o.bcLocationId,
          publishes: o.publishes,
          ...b,
          published: ledger?.published ?? null,
          bigcommerce: variant && o.bcLocationId !== null ? (bcLevels.get(`${variant.bcVariantId}:${o.bcLocationId}`) ?? null) : null,
          heldUnexplained: ledger?.unexplained ?? 0,
          shortfall: o.bcLocationId === null ? 0 : shortfallOf(b),
        };
      }),
      defaultLocation: variant
        ? {
            published: ledgerRows.find((r) => r.bcVariantId === variant.bcVariantId && r.bcLocationId === DEFAULT_LOCATION_ID)?.published ?? null,
            bigcommerce: bcLevels.get(`${variant.bcVariantId}:${DEFAULT_LOCATION_ID}`) ?? null,
          }
        : null,
      unrouted: commitments.filter((c) => c.lsProductId === lsProductId && c.lsOutletId === null).reduce((s, c) => s + c.quantity, 0),
    };
  });
  const notes: string[] = [];
  if (!item.onlineEnabled) notes.push('This item is not enabled for online sale, so Counterpart publishes no stock for it.');
  else if (!item.tracksInventory) notes.push('Lightspeed does not track stock for this item, so BigCommerce does not either: it is always available online.');
  else if (variants.length === 0) notes.push('This item is not linked to a BigCommerce product yet (see its status on Enable items).');
  if (bcError) notes.push(`BigCommerce's stock could not be read just now: ${bcError}`);
  const stockMode = (await storesRepository(db).findById(storeId))?.stockMode ?? null;
  return {
    item: { lsItemId: item.lsItemId, name: item.name, sku: item.sku, syncState: item.syncState, bcProductId: item.bcProductId, onlineEnabled: item.onlineEnabled },
    stockMode,
    variants: rows,
    changes: changes.map((c) => ({
      at: c.writtenAt.toISOString(),
      lsProductId: c.lsProductId,
      bcLocationId: c.bcLocationId,
      from: c.fromLevel,
      to: c.toLevel,
      cause: c.cause,
      outcome: c.outcome,
      latencyMs: c.causedAt ? c.writtenAt.getTime() - c.causedAt.getTime() : null,
    })),
    notes,
    reserves: reserves.map((r) => ({ lsOutletId: r.lsOutletId, kind: r.kind, value: r.value })),
    problems: problems.map((p) => ({ lsProductId: p.lsProductId, kind: p.kind, message: p.message, fix: p.fix, oneClick: oneClickFixOf(p.kind) !== null })),
  };
}

/**
 * The one-click fix for a tracking mix-up: BigCommerce is told to track the item's stock the way
 * Counterpart publishes it (per variant for a family, on the product for a single item), and the
 * item's stock is published again at once.
 */
export async function fixInventoryTracking(deps: JobDeps, queue: JobQueue, storeId: string, lsProductId: string, actor: string): Promise<{ tracking: 'variant' | 'product' }> {
  const inventory = inventoryFor(deps.database.db, storeId);
  const [variant] = await inventory.linkedVariants([lsProductId]);
  if (!variant) throw new LocationsRequestError('no such linked item', 404);
  const bc = await bigcommerceClientFor(deps, storeId);
  await bc.catalog.products.update(variant.bcProductId, { inventory_tracking: variant.trackedBy });
  const siblings = (await inventory.linkedVariants()).filter((v) => v.bcProductId === variant.bcProductId).map((v) => v.lsProductId);
  await inventory.problems.clear(siblings);
  await markInventoryDirty(ctxOf(deps, queue), storeId, siblings, 'fix');
  await forStore(deps.database.db, deps.secrets, storeId).activity.record({
    kind: 'inventory.fixed',
    outcome: 'ok',
    summary: `${variant.name}: BigCommerce now tracks its stock ${variant.trackedBy === 'variant' ? 'per variant' : 'on the product'}; stock published again`,
    reason: `by ${actor}`,
    entityType: 'variant',
    entityId: lsProductId,
  });
  return { tracking: variant.trackedBy };
}

/**
 * The one-click fix of a BigCommerce safety stock that holds a location above Lightspeed's stock
 * (core explainSafetyHold): the item's safety stock there is set to 0 (the walk-in reserve holds
 * units back per outlet instead) and its stock is published again at once.
 */
async function fixSafetyStock(deps: JobDeps, queue: JobQueue, storeId: string, problem: InventoryProblem, actor: string): Promise<{ safetyStock: 0; bcLocationId: number }> {
  const inventory = inventoryFor(deps.database.db, storeId);
  const [variant] = await inventory.linkedVariants([problem.lsProductId]);
  if (problem.bcLocationId === null || !variant) throw new LocationsRequestError('this item has no safety stock problem to fix', 404);
  const bc = await bigcommerceClientFor(deps, storeId);
  const identity = variant.trackedBy === 'product' ? { product_id: variant.bcProductId } : { variant_id: variant.bcVariantId };
  await bc.inventory.updateLocationItemSettings(problem.bcLocationId, [{ identity, safety_stock: 0 }]);
  await inventory.problems.clearOne(problem.lsProductId, 'safety-stock');
  await markInventoryDirty(ctxOf(deps, queue), storeId, [problem.lsProductId], 'fix');
  await forStore(deps.database.db, deps.secrets, storeId).activity.record({
    kind: 'inventory.fixed',
    outcome: 'ok',
    summary: `${variant.name}: its safety stock at BigCommerce location #${problem.bcLocationId} is now 0; stock published again`,
    reason: `by ${actor}`,
    entityType: 'variant',
    entityId: problem.lsProductId,
  });
  return { safetyStock: 0, bcLocationId: problem.bcLocationId };
}

export const problemFixSchema = z.object({ kind: z.enum(ONE_CLICK_KINDS).optional() }).strict();

/**
 * Makes the one-click fix of an item's stock problem: the one of `kind`, or, with no kind, the
 * only one the item has (two open one-click problems need the kind said).
 */
export async function fixStockProblem(deps: JobDeps, queue: JobQueue, storeId: string, lsProductId: string, kind: string | undefined, actor: string): Promise<{ tracking: 'variant' | 'product' } | { safetyStock: 0; bcLocationId: number }> {
  const open = (await inventoryFor(deps.database.db, storeId).problems.forProducts([lsProductId])).filter((p) => oneClickFixOf(p.kind) !== null);
  const chosen = kind === undefined ? open : open.filter((p) => p.kind === kind);
  if (chosen.length === 0) throw new LocationsRequestError(kind ? `this item has no ${kind} problem to fix` : 'this item has no stock problem Counterpart can fix in one click', 404);
  if (new Set(chosen.map((p) => oneClickFixOf(p.kind))).size > 1) throw new LocationsRequestError(`this item has more than one problem: say which to fix (kind: ${chosen.map((p) => p.kind).join(' or ')})`);
  return oneClickFixOf(chosen[0]!.kind) === 'safety-stock' ? fixSafetyStock(deps, queue, storeId, chosen[0]!, actor) : fixInventoryTracking(deps, queue, storeId, lsProductId, actor);
}

/** Every open stock problem of the store, with its fix (the Locations page lists them). */
export async function stockProblems(deps: JobDeps, storeId: string) {
  const inventory = inventoryFor(deps.database.db, storeId);
  const rows = await inventory.problems.list();
  const names = new Map((await inventory.linkedVariants(rows.map((p) => p.lsProductId))).map((v) => [v.lsProductId, v]));
  return rows.map((p) => ({ lsProductId: p.lsProductId, lsItemId: names.get(p.lsProductId)?.lsItemId ?? null, name: names.get(p.lsProductId)?.name ?? null, sku: names.get(p.lsProductId)?.sku ?? null, bcProductId: p.bcProductId, bcLocationId: p.bcLocationId, kind: p.kind, message: p.message, fix: p.fix, since: p.since.toISOString(), oneClick: oneClickFixOf(p.kind) !== null }));
}

export const sweepScheduleSchema = z.object({ sweepIntervalMinutes: z.number().int().min(15, { message: 'check at most every 15 minutes' }).max(7 * 24 * 60, { message: 'check at least once a week' }) }).strict();

/** How often the scheduled stock check runs (every store has one; the default is hourly). */
export async function setSweepInterval(deps: JobDeps, storeId: string, minutes: number, actor: string): Promise<void> {
  const inventory = inventoryFor(deps.database.db, storeId);
  const before = (await inventory.settings.get()).sweepIntervalMinutes;
  if (before === minutes) return;
  await inventory.settings.update({ sweepIntervalMinutes: minutes });
  await forStore(deps.database.db, deps.secrets, storeId).activity.record({
    kind: 'inventory.sweep-schedule',
    outcome: 'ok',
    summary: `Stock is now checked against Lightspeed every ${describeInterval(minutes)} (was every ${describeInterval(before)})`,
    reason: `by ${actor}`,
    entityType: 'store',
    entityId: storeId,
  });
}

export const describeInterval = (minutes: number) => (minutes % 1440 === 0 ? `${minutes / 1440 === 1 ? 'day' : `${minutes / 1440} days`}` : minutes % 60 === 0 ? (minutes === 60 ? 'hour' : `${minutes / 60} hours`) : `${minutes} minutes`);

/** The latest sweep, with the levels it corrected and why (for "last stock check" on the Locations page). */
export async function lastSweep(deps: JobDeps, storeId: string) {
  const inventory = inventoryFor(deps.database.db, storeId);
  const sweep = await inventory.sweeps.latest();
  if (!sweep) return null;
  const corrected = sweep.finishedAt ? await inventory.changes.between(sweep.startedAt, sweep.finishedAt, ['sweep'], 50) : [];
  const names = new Map((await inventory.linkedVariants(corrected.map((c) => c.lsProductId))).map((v) => [v.lsProductId, v]));
  return {
    id: sweep.id,
    trigger: sweep.trigger,
    state: sweep.state,
    total: sweep.total,
    done: sweep.done,
    changed: sweep.changed,
    error: sweep.error,
    startedAt: sweep.startedAt.toISOString(),
    finishedAt: sweep.finishedAt?.toISOString() ?? null,
    corrections: corrected.map((c) => ({
      lsProductId: c.lsProductId,
      lsItemId: names.get(c.lsProductId)?.lsItemId ?? null,
      name: names.get(c.lsProductId)?.name ?? c.lsProductId,
      sku: names.get(c.lsProductId)?.sku ?? '',
      bcLocationId: c.bcLocationId,
      from: c.fromLevel,
      to: c.toLevel,
      at: c.writtenAt.toISOString(),
    })),
  };
}

export const itemReserveSchema = z
  .object({
    /** One outlet, or null for every outlet. */
    lsOutletId: z.string().min(1).max(100).nullable(),
    reserve: reserveSchema.nullable(),
  })
  .strict();

/** A walk-in reserve for one item (at one outlet or every outlet), overriding the outlet's default; republished at once. */
export async function setItemReserve(deps: JobDeps, queue: JobQueue, storeId: string, lsItemId: string, input: z.output<typeof itemReserveSchema>, actor: string): Promise<void> {
  const db = deps.database.db;
  const inventory = inventoryFor(db, storeId);
  const item = await catalogFor(db, storeId).items.findByAnyId(lsItemId);
  if (!item) throw new LocationsRequestError('no such item', 404);
  let outletName = 'every outlet';
  if (input.lsOutletId !== null) {
    const outlet = await inventory.outlets.get(input.lsOutletId);
    if (!outlet || outlet.retired) throw new LocationsRequestError(`no such outlet: ${input.lsOutletId}`, 404);
    outletName = outlet.name;
  }
  await inventory.reserves.set(item.lsItemId, input.lsOutletId, input.reserve);
  await markInventoryDirty(ctxOf(deps, queue), storeId, item.hasVariants ? item.variants.map((v) => v.lsProductId) : [item.lsItemId], 'reserve');
  await forStore(db, deps.secrets, storeId).activity.record({
    kind: 'inventory.reserve',
    outcome: 'ok',
    summary: input.reserve
      ? `${item.name}: ${outletName} keeps ${input.reserve.value}${input.reserve.kind === 'percent' ? '%' : ' unit(s)'} for walk-ins; stock published again`
      : `${item.name}: the item's own walk-in reserve at ${outletName} removed (the outlet's default applies); stock published again`,
    reason: `by ${actor}`,
    entityType: 'catalog.item',
    entityId: item.lsItemId,
  });
}

export const locationSettingsPatchSchema = z
  .object({ stockMode: stockModeSchema.shape.stockMode.optional(), sweepIntervalMinutes: sweepScheduleSchema.shape.sweepIntervalMinutes.optional() })
  .strict()
  .refine((p) => p.stockMode !== undefined || p.sweepIntervalMinutes !== undefined, { message: 'nothing to change: give stockMode or sweepIntervalMinutes' });

/** The Locations page's store settings: the storefront stock mode (republished at once) and the stock check schedule. */
export async function updateLocationSettings(deps: JobDeps, queue: JobQueue, storeId: string, patch: z.output<typeof locationSettingsPatchSchema>, actor: string) {
  const scope = forStore(deps.database.db, deps.secrets, storeId);
  if (patch.stockMode !== undefined && patch.stockMode !== (await scope.settings.get()).stockMode) await setStockMode(deps, queue, storeId, patch.stockMode, actor);
  if (patch.sweepIntervalMinutes !== undefined) await setSweepInterval(deps, storeId, patch.sweepIntervalMinutes, actor);
  return { stockMode: (await scope.settings.get()).stockMode, sweepIntervalMinutes: (await inventoryFor(deps.database.db, storeId).settings.get()).sweepIntervalMinutes };
}
