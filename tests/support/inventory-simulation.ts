/**
 * The seeded inventory + orders simulation (issue 10 item 7, issue 11 item 8), over real HTTP
 * against both sandboxes, with the app's jobs running on a JobQueue worker as in production and
 * both platforms' webhooks delivered to the app's own receivers.
 *
 * One harness (sandboxes, store, database, queue) serves many small scenarios. A scenario owns
 * one linked variant for its round and a seeded script: its starting stock per outlet, then POS
 * sales at several outlets, sales at an offline register that uploads late, deliveries, stock
 * counts, storefront checkouts (shipping and pickup), and for the orders the app books:
 * fulfilment at the register (dispatch / pickup), cancellations and refunds with and without
 * items. Scenarios of a round run side by side; the round's fault plan (API 429 / 5xx /
 * timeouts / applied-but-lost on both platforms; duplicate / late / reordered / dropped webhooks
 * from both sides) is drawn from the round's first seed. Seed → script is deterministic; the
 * app's timing (and so which request a probabilistic fault hits) is not, so a replay reruns the
 * scenario's script alone (`SIM_REPLAY=seed:mode`).
 *
 * Checks per scenario:
 *  a. at every BigCommerce inventory write, the moment the store applies it (the sandbox's
 *     `onAdjustmentApplied` hook), the (variant, location) is at most what the ground truth
 *     allows: Lightspeed on-hand per outlet, less the units of storefront orders not yet
 *     reflected in Lightspeed (in flight), less the walk-in reserve (core's `desiredLevels` on
 *     ground-truth inputs, as the model-level adversary in reconcile.test.ts does). Three
 *     allowances, all for what the app cannot know yet (PROCESS_MS: how long before a write
 *     lands the run that sent it may have read): Lightspeed's own changes reach the app by
 *     webhook or poll, so a write is judged against the highest level the app was told within
 *     that window; an order BigCommerce took from another location counts against a location once
 *     it is that old (its own location's decrement counts at once: the app's relative write keeps
 *     it); an order's routing to an outlet counts against the outlet's location once its
 *     Lightspeed sale is that old (before, the order's units count as not routed yet). In aggregated
 *     mode the storefront sells the sum of the locations: a write is also judged on that total,
 *     and the units outlets owe beyond their own stock (shortfalls, orders not routed yet) count
 *     there, not at whichever location core happens to take them from. Units above the truth of
 *     the very instant are also counted (`lagUnits`, informational). Oversold units = the sum of
 *     excesses; it must be 0.
 *  b. after events stop and the safety-net polls and one sweep have run, BigCommerce equals
 *     the desired state for every (variant, location).
 *  c. every order is booked once per fulfilling outlet (Lightspeed sales by source reference),
 *     cancelled orders are voided, each refund with items is one Lightspeed return and an
 *     amount-only refund none.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { desiredLevels, type OutletStock, type StockMode } from '../../src/core/inventory/levels';
import { catalogFor } from '../../src/db/repositories/catalog';
import { inventoryFor } from '../../src/db/repositories/inventory';
import type { LinkedVariant } from '../../src/db/repositories/inventory';
import { ordersFor } from '../../src/db/repositories/orders';
import { forStore } from '../../src/db/repositories/scoped';
import { bigcommerceSetup } from '../../src/jobs/definitions/bigcommerce-setup';
import { bigcommerceWebhook } from '../../src/jobs/definitions/bigcommerce-webhook';
import { inventorySweep } from '../../src/jobs/definitions/inventory-sync';
import { lightspeedPoll } from '../../src/jobs/definitions/lightspeed-poll';
import { orderRefund, orderSaleSync, ordersPoll } from '../../src/jobs/definitions/order-intake';
import { requestChanges, runStatus } from '../../src/jobs/lifecycle/catalog';
import { LightspeedWebhookRejected, receiveLightspeedWebhook } from '../../src/jobs/lifecycle/lightspeed';
import { createLocationForOutlet, locationsView, requestSweep, setStockMode, sweepStatus, updateOutlet } from '../../src/jobs/lifecycle/locations';
import { receiveBigCommerceWebhook } from '../../src/jobs/lifecycle/webhooks';
import { saleIdFor } from '../../src/jobs/orders/engine';
import type { AppliedAdjustment, LogEntry } from '../../src/sandbox/bigcommerce';
import { serve, type RunningServer } from '../../src/sandbox/http';
import type { SandboxEvent } from '../../src/sandbox/lightspeed';
import type { TestDatabase } from './db';
import { bcStock, openInventoryHarness, type InventoryHarness } from './inventory-harness';
import { waitFor } from './wait';

export type { StockMode };

/**
 * How long before a write lands the app may have read its database for it (an engine run: read
 * BigCommerce, compute, write, with the client's retries). What the app was told longer ago than
 * this and had been told otherwise before this window opened does not excuse a write (`knownMaxOf`).
 */
export const PROCESS_MS = 5_000;
/** Scripted events of a scenario fall within this window after its round starts. */
export const WINDOW_MS = 4_000;
const debug = process.env.SIM_DEBUG ? (...args: unknown[]) => console.log(new Date().toISOString(), ...args) : () => {};

/** One Lightspeed inventory record as served to the app: when, its version, its level. */
export interface ServedLevel {
  at: number;
  version: number;
  level: number;
}

/**
 * The highest level of one (product, outlet) the app may have computed with for a write landing
 * at `at`, from what Lightspeed served it (`history`, in the order served). The run that wrote
 * read its database at some instant in the PROCESS_MS before; at that instant the app held the
 * newest level it had been served by then. So every level that was the app's newest at some
 * instant of the window counts: the one that was newest when the window opened (served earlier,
 * superseded only within the window), those served within it, and the newest.
 */
export function knownMaxOf(history: readonly ServedLevel[], at: number, processMs = PROCESS_MS): number {
  let newest: ServedLevel | undefined;
  let max = -Infinity;
  for (const e of history) {
    if (e.at > at) break;
    if (newest && e.version < newest.version) continue; // an older record served late: the app keeps the newer
    newest = e;
    if (e.at >= at - processMs) max = Math.max(max, e.level);
  }
  // The newest as the window opened: served before it, and so not counted above.
  let atWindowStart: ServedLevel | undefined;
  for (const e of history) {
    if (e.at >= at - processMs) break;
    if (atWindowStart && e.version < atWindowStart.version) continue;
    atWindowStart = e;
  }
  return Math.max(max, newest?.level ?? -Infinity, atWindowStart?.level ?? -Infinity);
}

// ——— the seeded script ———

export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Step =
  | { at: number; kind: 'pos'; outlet: number; qty: number }
  | { at: number; kind: 'offline-pos'; qty: number }
  | { at: number; kind: 'delivery'; outlet: number; qty: number }
  | { at: number; kind: 'count'; outlet: number; level: number }
  | { at: number; kind: 'order'; ref: number; qty: number; pickupAt: number | null }
  | { at: number; kind: 'cancel'; ref: number }
  | { at: number; kind: 'fulfil'; ref: number }
  | { at: number; kind: 'refund'; ref: number; items: boolean };

export interface Script {
  seed: number;
  /** Starting on-hand per outlet (outlet index → units). */
  initial: number[];
  steps: Step[];
}

/** Outlets by index (the seeded retailer's three, sorted by name). */
export const OUTLET_COUNT = 3;

export function scriptFor(seed: number): Script {
  const r = rng(seed * 7919 + 17);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const initial = Array.from({ length: OUTLET_COUNT }, () => int(0, 8));
  const steps: Step[] = [];
  const events = int(5, 9);
  let orders = 0;
  for (let i = 0; i < events; i++) {
    const at = Math.floor(r() * WINDOW_MS * 0.6);
    const roll = r();
    if (roll < 0.2) steps.push({ at, kind: 'pos', outlet: int(0, OUTLET_COUNT - 1), qty: int(1, 2) });
    else if (roll < 0.28) steps.push({ at, kind: 'offline-pos', qty: 1 });
    else if (roll < 0.4) steps.push({ at, kind: 'delivery', outlet: int(0, OUTLET_COUNT - 1), qty: int(1, 5) });
    else if (roll < 0.48) steps.push({ at, kind: 'count', outlet: int(0, OUTLET_COUNT - 1), level: int(0, 8) });
    else if (orders < 3) {
      const ref = orders++;
      steps.push({ at, kind: 'order', ref, qty: int(1, 2), pickupAt: r() < 0.35 ? int(0, OUTLET_COUNT - 1) : null });
      const fate = r();
      const later = Math.min(WINDOW_MS, at + 600 + Math.floor(r() * WINDOW_MS * 0.5));
      if (fate < 0.6) {
        steps.push({ at: later, kind: 'fulfil', ref });
        if (r() < 0.5) steps.push({ at: Math.min(WINDOW_MS, later + 300 + Math.floor(r() * 600)), kind: 'refund', ref, items: r() < 0.6 });
      } else if (fate < 0.85) steps.push({ at: Math.min(WINDOW_MS, at + Math.floor(r() * 1_500)), kind: 'cancel', ref });
    } else steps.push({ at, kind: 'pos', outlet: int(0, OUTLET_COUNT - 1), qty: 1 });
  }
  steps.sort((a, b) => a.at - b.at);
  return { seed, initial, steps };
}

/** The round's fault plans, from its first seed: every kind the sandboxes offer, at modest rates. */
export function faultsFor(seed: number) {
  const r = rng(seed * 104729 + 3);
  const p = (base: number) => Math.round(base * (0.5 + r()) * 1000) / 1000;
  return {
    bigcommerce: {
      api: [
        { kind: 'status' as const, status: 429 as const, route: 'POST /v3/inventory/adjustments/relative', probability: p(0.05) },
        { kind: 'status' as const, status: 503 as const, route: 'POST /v3/inventory/adjustments/relative', probability: p(0.03) },
        { kind: 'lost' as const, route: 'POST /v3/inventory/adjustments/relative', probability: p(0.03) },
        { kind: 'timeout' as const, holdMs: 1_500, applied: r() < 0.5, route: 'POST /v3/inventory/adjustments/relative', probability: p(0.02) },
        { kind: 'status' as const, status: 429 as const, route: 'GET /v3/inventory/items', probability: p(0.03) },
        { kind: 'status' as const, status: 502 as const, route: 'GET /v2/orders/:id', probability: p(0.03) },
        { kind: 'lost' as const, route: 'POST /v2/orders/:id/shipments', probability: p(0.05) },
      ],
      webhooks: { duplicateRate: p(0.1), dropRate: p(0.05), delayMs: Math.floor(r() * 200), reorderWindow: 3, reorderMaxHoldMs: 400 },
    },
    lightspeed: {
      api: [
        { kind: '429' as const, route: 'GET /inventory', probability: p(0.03) },
        { kind: '5xx' as const, route: 'POST /sales', probability: p(0.04) },
        { kind: 'lost' as const, route: 'POST /sales', probability: p(0.05) },
        { kind: 'timeout' as const, route: 'POST /sales', delayMs: 1_500, probability: p(0.02) },
        { kind: 'lost' as const, route: 'PUT /sales/:id', probability: p(0.03) },
      ],
      webhooks: { drop: { probability: p(0.05) }, duplicate: { probability: p(0.1) }, delayMs: Math.floor(r() * 200), reorder: { nextN: 3, holdMs: 400 } },
    },
  };
}

// ——— ground truth ———

interface SimSale {
  saleId: string;
  orderRef: SimOrder;
  outletId: string;
  /** Units of the scenario's variant the sale holds now (a refund of units not sent yet takes them off). */
  qty: number;
  /** Units the sale was booked with. */
  bookedQty: number;
  /** When Lightspeed took its create. */
  at: number;
  fulfilled: boolean;
  voided: boolean;
  /** When it was fulfilled and voided (ground truth at a past instant needs them). */
  fulfilledAt: number | null;
  voidedAt: number | null;
}

interface SimOrder {
  id: number;
  scenario: Scenario;
  qty: number;
  placedAt: number;
  /** Where BigCommerce took the units (location → units). */
  takenFrom: Map<number, number>;
  pickupLocationId: number | null;
  cancelledAt: number | null;
  fulfilled: boolean;
  refunds: { id: number; items: boolean }[];
  sales: SimSale[];
}

export interface ScenarioRecord {
  seed: number;
  mode: StockMode;
  writes: number;
  oversoldUnits: number;
  /** Units above the truth of the very instant a write landed (within the allowances; informational). */
  lagUnits: number;
  clampedUnits: number;
  convergenceMs: number | null;
  duplicatesInjected: number;
  ordersPlaced: number;
  bookings: number;
  doubleBookings: number;
  /**
   * Orders BigCommerce took for units the ground truth did not have online at some instant
   * between their placing and their routing (a till sale took them first): left unbooked, or
   * booked short, and flagged for the merchant by the app, as they must be. An order booked short
   * that the truth could have filled is a failure.
   */
  unfillable: number;
  failures: string[];
  /** What each scripted step did ("order #12", "skipped: …"), in order. */
  steps: string[];
}

interface Scenario {
  script: Script;
  mode: StockMode;
  variant: LinkedVariant;
  orders: Map<number, SimOrder>;
  lastEventAt: number;
  lastWriteAt: number;
  record: ScenarioRecord;
  steps: { step: Step; done: string }[];
}

const address = { first_name: 'Ada', last_name: 'Shopper', email: 'ada@example.com', street_1: '1 Wall St', city: 'New York', state: 'New York', zip: '10005', country: 'United States', country_iso2: 'US' };
const coordinates: [number, number][] = [
  [40.7447, -73.9485],
  [40.7081, -74.0107],
  [40.8448, -73.9372],
];

export interface Simulation {
  h: InventoryHarness;
  mode: StockMode;
  slots: number;
  runRound(seeds: number[]): Promise<ScenarioRecord[]>;
  close(): Promise<void>;
}

/** Rows of a raw statement on either driver (postgres-js answers an array, PGlite `{ rows }`). */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: unknown[] } | null)?.rows ?? [])) as T[];
}

export function replayCommand(seed: number, mode: StockMode): string {
  return `SIM_REPLAY=${seed}:${mode} npx vitest run --project unit tests/integration/inventory-simulation-${mode === 'aggregated' ? 'aggregated' : 'default'}.test.ts`;
}

/**
 * Opens the harness for one stock mode with `slots` linked variants (one per concurrent
 * scenario), every outlet mapped to a location of its own with a pickup method, a walk-in
 * reserve at one outlet, and webhooks from both platforms delivered to the app.
 */
export async function openSimulation(t: TestDatabase, options: { mode: StockMode; slots: number; hash?: string; queuePoolMax?: number }): Promise<Simulation> {
  const mode = options.mode;
  // Webhook receivers: the same lifecycle functions the app's route handlers call.
  const relayTo: { h?: InventoryHarness } = {};
  const receive = async (request: Request): Promise<Response> => {
    const h = relayTo.h;
    if (!h) return new Response(null, { status: 503 });
    const { pathname } = new URL(request.url);
    const raw = await request.text();
    const began = Date.now();
    try {
      if (pathname === '/api/webhooks/bigcommerce') {
        const outcome = await receiveBigCommerceWebhook(raw, request.headers, { db: h.t.database.db, secrets: h.deps.secrets, queue: h.queue, clientSecret: h.deps.config.bigcommerce.clientSecret });
        return Response.json({ outcome });
      }
      const m = /^\/api\/webhooks\/lightspeed\/([^/]+)\/([^/]+)$/.exec(pathname);
      if (m) {
        const outcome = await receiveLightspeedWebhook({ storeId: m[1]!, type: m[2]!, rawBody: raw, signature: request.headers.get('x-signature') }, h.deps, h.queue);
        return Response.json({ outcome });
      }
      return new Response(null, { status: 404 });
    } catch (error) {
      debug('webhook refused', pathname, error instanceof Error ? error.message : error);
      if (error instanceof LightspeedWebhookRejected) return Response.json({ error: error.message }, { status: error.status });
      return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
    } finally {
      if (Date.now() - began > 2_000) debug('slow webhook answer', pathname.slice(0, 40), Date.now() - began, 'ms');
    }
  };
  // The receivers' address (the app URL the platforms' webhooks name); deliveries reach them by `deliver` below.
  const relay: RunningServer = await serve(receive);
  /**
   * The sandboxes deliver their webhooks to the receivers by a function call, not over a socket
   * (the requests are the same, signed, with their headers and bodies, and the sender's timeout
   * still applies). Over HTTP, with the senders, the receivers and the app's worker all in this
   * one process, a burst of several hundred deliveries opened as many connections at once, some
   * took past the 10 s timeout while every answer took under 2.5 s, and BigCommerce's domain
   * blocklist then held the whole round for three minutes. The receivers' HTTP edge under load is
   * what `bench/intake` measures, against the production server.
   */
  const deliver: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(relay.url)) return fetch(request);
    const signal = init?.signal;
    if (!signal) return receive(request);
    signal.throwIfAborted();
    return Promise.race([
      receive(request),
      new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true })),
    ]);
  };

  // SIM_DEBUG: a turn of the event loop held long enough to miss webhook deadlines is said.
  if (process.env.SIM_DEBUG) {
    let last = Date.now();
    setInterval(() => {
      const lag = Date.now() - last - 250;
      if (lag > 500) debug('event loop held', lag, 'ms');
      last = Date.now();
    }, 250).unref();
  }

  // Ground truth, kept from the sandboxes' own observation points.
  const byVariant = new Map<number, Scenario>();
  const byProduct = new Map<string, Scenario>();
  const lsLevels = new Map<string, { at: number; level: number }[]>(); // product:outlet → history (this round)
  const salesById = new Map<string, SimSale>();
  const pendingSales = new Map<string, { order: SimOrder; outletId: string }>(); // expected sale id → order
  const dupWebhookIds = new Set<string>();
  const webhookScenario = new Map<string, Scenario>();
  let outletIds: string[] = [];
  const locationIds: number[] = [];
  let reserves: (OutletStock['reserve'])[] = [];
  const hidden = new Map<string, { at: number; units: number }[]>(); // variant:location → clamped units

  // What each platform has told the app: Lightspeed levels served (product:outlet → (at, version, level)),
  // BigCommerce orders served (order id → first time).
  const served = new Map<string, ServedLevel[]>();
  const ordersServed = new Map<number, number>();
  let lsAnswered = 0;
  const lsGets = new Map<string, number>();
  const lsTimes: number[] = [];
  function tapLightspeed(req: Request, res: Response) {
    const at = Date.now();
    lsAnswered++;
    lsTimes.push(at);
    if (lsTimes.length > 20_000) lsTimes.splice(0, 10_000);
    const route = `${req.method} ${new URL(req.url).pathname.replace(/[0-9a-f-]{36}/g, ':id')}`;
    lsGets.set(route, (lsGets.get(route) ?? 0) + 1);
    void res.text().then((text) => {
      if (!text.includes('"outlet_id"')) return;
      const visit = (x: unknown): void => {
        if (Array.isArray(x)) return x.forEach(visit);
        if (!x || typeof x !== 'object') return;
        const r = x as Record<string, unknown>;
        const level = typeof r.current_inventory_level === 'number' ? r.current_inventory_level : typeof r.inventory_level === 'number' ? r.inventory_level : undefined;
        if (typeof r.product_id === 'string' && typeof r.outlet_id === 'string' && typeof r.version === 'number' && level !== undefined) {
          const key = `${r.product_id}:${r.outlet_id}`;
          served.set(key, [...(served.get(key) ?? []), { at, version: r.version, level }]);
          return;
        }
        Object.values(r).forEach(visit);
      };
      try {
        visit(JSON.parse(text));
      } catch {
        /* not JSON */
      }
    });
  }
  const bcCalls = new Map<string, number>();
  function tapBigCommerce(req: Request, res: Response) {
    const at = Date.now();
    const route = `${req.method} ${new URL(req.url).pathname.replace(/^\/stores\/[^/]+/, '').replace(/\/\d+/g, '/:id')}`;
    bcCalls.set(route, (bcCalls.get(route) ?? 0) + 1);
    if (!/\/v2\/orders(\/\d+)?$/.test(new URL(req.url).pathname)) return;
    void res.text().then((text) => {
      try {
        const body = JSON.parse(text) as unknown;
        for (const o of Array.isArray(body) ? body : [body]) {
          const id = (o as { id?: unknown } | null)?.id;
          if (typeof id === 'number' && !ordersServed.has(id)) ordersServed.set(id, at);
        }
      } catch {
        /* not JSON */
      }
    });
  }
  /**
   * The highest level of (product, outlet) the app may have computed with for a write landing at
   * `at`: Lightspeed's level then, or any level Lightspeed served the app as its newest within the
   * PROCESS_MS before (the run that wrote read its database at most that long before).
   */
  const knownMax = (productId: string, outletId: string, at: number) => knownMaxOf(served.get(`${productId}:${outletId}`) ?? [], at);
  const levelNow = (productId: string, outletId: string) => lsLevels.get(`${productId}:${outletId}`)?.at(-1)?.level ?? 0;
  /** Lightspeed's level of (product, outlet) at an instant of this round. */
  const levelAt = (productId: string, outletId: string, at: number) => (lsLevels.get(`${productId}:${outletId}`) ?? []).filter((e) => e.at <= at).at(-1)?.level ?? 0;
  /** A sale as it stood at an instant: created by then, not yet fulfilled or voided. */
  const saleOpenAt = (x: SimSale, at: number) => x.at <= at && !(x.fulfilledAt !== null && x.fulfilledAt <= at) && !(x.voidedAt !== null && x.voidedAt <= at);
  /** The most a location may hold (and, key 0, the storefront total in aggregated mode). */
  function ceilings(s: Scenario, at: number, lag: number, without?: SimOrder): Map<number, number> {
    const v = s.variant;
    const live = [...s.orders.values()].filter((o) => o !== without && o.placedAt <= at && (o.cancelledAt === null || o.cancelledAt > at));
    const known = (o: SimOrder) => lag === 0 || (ordersServed.get(o.id) ?? Infinity) <= at - PROCESS_MS;
    // `routedSale`: the sales taken as routed (their units committed at their outlet); the units of
    // the others count as not routed yet, taken from where BigCommerce took them.
    // `perLocation` in aggregated mode, judging a write (lag > 0): what outlets cannot fill of their
    // own commitments (shortfalls) is left to the storefront total, as orders not routed yet are:
    // which location core takes it from (the fullest first, ties to the lowest id) depends on
    // what the app knows of every location at once, and any placement sells no unit the outlets
    // do not have. The total (key 0) counts it.
    const levelsWith = (counted: (o: SimOrder) => boolean, withUnrouted: boolean, routedSale: (x: SimSale) => boolean = () => true, perLocation = false) => {
      const orders = live.filter(counted);
      const unrouted = new Map<number | null, number>();
      if (withUnrouted) {
        for (const o of orders) {
          // Units a refund took off a sale since (bookedQty − qty) left the order altogether.
          const routed = o.sales.filter((x) => x.at <= at && routedSale(x)).reduce((n, x) => n + x.bookedQty, 0);
          let rest = o.qty - routed;
          // In aggregated mode BigCommerce picks the location a shipped order's units come from
          // and tells an app nowhere (the order and its consignments do not say): such units are
          // of unknown origin (null), as the app's core takes them; a pickup's come from its location.
          const origin = (loc: number) => (mode === 'aggregated' && o.pickupLocationId === null ? null : loc);
          for (const [loc, units] of o.takenFrom) {
            const n = Math.min(rest, units);
            if (n > 0) unrouted.set(origin(loc), (unrouted.get(origin(loc)) ?? 0) + n);
            rest -= n;
          }
          if (rest > 0) unrouted.set(null, (unrouted.get(null) ?? 0) + rest);
        }
      }
      return new Map(
        desiredLevels({
          mode,
          defaultLocationId: 1,
          outlets: outletIds.map((outletId, i) => ({
            outletId,
            locationId: locationIds[i]!,
            publishes: true,
            onHand: lag > 0 ? Math.max(levelAt(v.lsProductId, outletId, at), knownMax(v.lsProductId, outletId, at)) : levelAt(v.lsProductId, outletId, at),
            committed: orders.flatMap((o) => o.sales).filter((x) => routedSale(x) && x.outletId === outletId && saleOpenAt(x, at)).reduce((n, x) => n + x.qty, 0),
            reserve: reserves[i] ?? null,
          })),
          unrouted,
        }).map((l) => [l.locationId, l.quantity + (perLocation && mode === 'aggregated' && lag > 0 ? l.shortfall : 0)]),
      );
    };
    const out = new Map<number, number>();
    const locations = mode === 'default-location' ? [1, ...locationIds] : [1, ...locationIds];
    // A third allowance: an order's routing, decided just before its Lightspeed sale was created,
    // may postdate the run that wrote (it read the database up to PROCESS_MS before the write
    // landed): a sale younger than that counts against a location either way, routed or not yet.
    const routedBefore = (x: SimSale) => lag === 0 || x.at <= at - PROCESS_MS;
    for (const l of locations) {
      const counted = (o: SimOrder) => known(o) || o.takenFrom.has(l);
      // Per location in aggregated mode, orders not routed yet count only against the truth of
      // the instant (lag 0: the converged state, judged as the app's core places such units);
      // a write's ceiling leaves them to the storefront total (key 0), as where the app takes
      // them from depends on what it knows of them.
      const withUnrouted = mode === 'default-location' || lag === 0;
      out.set(l, Math.max(levelsWith(counted, withUnrouted, undefined, true).get(l) ?? 0, levelsWith(counted, withUnrouted, routedBefore, true).get(l) ?? 0));
    }
    if (mode === 'aggregated') out.set(0, [...levelsWith(() => true, true).values()].reduce((a, b) => a + b, 0));
    const hiddenAt = (l: number) => (lag === 0 ? 0 : (hidden.get(`${v.bcVariantId}:${l}`) ?? []).filter((x) => x.at > at - PROCESS_MS * 2).reduce((n, x) => n + x.units, 0));
    // BigCommerce's own return of a cancelled order's units to the location it took them from
    // (its restock) may land between a run's read and its relative write, which keeps it as it
    // keeps an order's decrement (BigCommerce has no compare-and-set); the next run, after the
    // restock's webhook, takes back what is over. Within the window those units are BigCommerce's,
    // not the write's (seed 107 in CI: a restock 71 ms before a write landed).
    const restockedAt = (l: number) => (lag === 0 ? 0 : [...s.orders.values()].filter((o) => o.cancelledAt !== null && o.cancelledAt <= at && o.cancelledAt > at - PROCESS_MS).reduce((n, o) => n + (o.takenFrom.get(l) ?? 0), 0));
    for (const l of locations) out.set(l, out.get(l)! + hiddenAt(l) + restockedAt(l));
    if (mode === 'aggregated') out.set(0, out.get(0)! + locations.reduce((n, l) => n + hiddenAt(l) + restockedAt(l), 0));
    return out;
  }

  let stockNow: () => Map<string, number> = () => new Map();
  function onWrite(applied: AppliedAdjustment) {
    const s = byVariant.get(applied.variant_id);
    if (!s) return;
    s.record.writes++;
    s.lastWriteAt = applied.at;
    if (applied.method === 'relative' && applied.before + applied.quantity < 0) {
      const units = -(applied.before + applied.quantity);
      s.record.clampedUnits += units;
      const key = `${applied.variant_id}:${applied.location_id}`;
      hidden.set(key, [...(hidden.get(key) ?? []), { at: applied.at, units }]);
    }
    const allowed = ceilings(s, applied.at, 1);
    const strict = ceilings(s, applied.at, 0);
    const ceiling = allowed.get(applied.location_id) ?? 0;
    if (applied.after > ceiling) {
      s.record.oversoldUnits += applied.after - ceiling;
      const v = s.variant;
      // What Lightspeed served the app of each outlet in the 30 s before (+ms version:level), and its level changes then.
      const recent = (o: string) =>
        `served ${(served.get(`${v.lsProductId}:${o}`) ?? []).filter((e) => e.at > applied.at - 30_000 && e.at <= applied.at).map((e) => `+${e.at - roundStart} v${e.version}:${e.level}`).join(' ') || 'nothing'}; changed ${(lsLevels.get(`${v.lsProductId}:${o}`) ?? []).filter((e) => e.at > applied.at - 30_000 && e.at <= applied.at).map((e) => `+${e.at - roundStart}:${e.level}`).join(' ') || 'never'}`;
      const facts = outletIds.map((o, i) => `${locationIds[i]}: truth ${levelNow(v.lsProductId, o)} told ${knownMax(v.lsProductId, o, applied.at)} (${recent(o)})`).join(', ');
      s.record.failures.push(`write at location ${applied.location_id} published ${applied.after} > ${ceiling} allowed (${applied.method} ${applied.quantity} on ${applied.before}) at +${applied.at - roundStart} ms [${facts}; orders ${JSON.stringify([...s.orders.values()].map((o) => [o.id, o.qty, [...o.takenFrom], o.cancelledAt !== null, o.sales.map((x) => [x.outletId.slice(0, 4), x.qty, x.fulfilled])]))}]`);
    } else if (applied.after > (strict.get(applied.location_id) ?? 0)) s.record.lagUnits += applied.after - (strict.get(applied.location_id) ?? 0);
    // The storefront's total in aggregated mode: a write that lowers (or keeps) its location cannot raise it.
    if (mode === 'aggregated' && applied.after > applied.before) {
      const stock = stockNow();
      const total = [1, ...locationIds].reduce((n, l) => n + (stock.get(`${applied.variant_id}:${l}`) ?? 0), 0);
      if (total > allowed.get(0)!) {
        s.record.oversoldUnits += total - allowed.get(0)!;
        const v = s.variant;
        const facts = outletIds.map((o, i) => `${locationIds[i]}: BigCommerce ${stock.get(`${applied.variant_id}:${locationIds[i]}`) ?? 0} truth ${levelNow(v.lsProductId, o)} told ${knownMax(v.lsProductId, o, applied.at)}`).join(', ');
        s.record.failures.push(`write at location ${applied.location_id} took the storefront total to ${total} > ${allowed.get(0)} allowed at +${applied.at - roundStart} ms [1: BigCommerce ${stock.get(`${applied.variant_id}:1`) ?? 0}, ${facts}; orders ${JSON.stringify([...s.orders.values()].map((o) => [o.id, o.qty, [...o.takenFrom], o.cancelledAt !== null, o.sales.map((x) => [x.outletId.slice(0, 4), x.qty, x.fulfilled])]))}]`);
      }
    }
  }

  const lsCalls = new Map<string, number>();
  function onLightspeedEvent(e: SandboxEvent) {
    if (e.kind === 'api') {
      const route = `${e.method} ${e.path.replace(/[0-9a-f-]{36}/g, ':id').replace(/\?.*$/, '')} ${e.status}`;
      lsCalls.set(route, (lsCalls.get(route) ?? 0) + 1);
    }
    if (e.kind === 'stock') {
      const key = `${e.product_id}:${e.outlet_id}`;
      if (byProduct.has(e.product_id)) lsLevels.set(key, [...(lsLevels.get(key) ?? []), { at: Date.parse(e.at), level: e.level }]);
      const sale = /^sale:(.+)$/.exec(e.cause);
      const known = sale ? salesById.get(sale[1]!) : undefined;
      if (known && 'delta' in e.change && e.change.delta < 0) {
        known.fulfilled = true;
        known.fulfilledAt ??= Date.now();
      }
      if (known && 'delta' in e.change && e.change.delta > 0 && known.fulfilled && !known.voided) {
        /* a return (refund with items) puts units back: the level history carries it */
      }
    } else if (e.kind === 'api' && e.method === 'POST' && /\/sales$/.test(e.path) && (e.status < 300 || e.lost)) {
      const body = e.request as { id?: string; line_items?: { product?: { id?: string }; quantity?: number }[] } | null;
      const pending = body?.id ? pendingSales.get(body.id) : undefined;
      if (pending && !salesById.has(body!.id!)) {
        const qty = (body!.line_items ?? []).filter((l) => l.product?.id === pending.order.scenario.variant.lsProductId).reduce((n, l) => n + (l.quantity ?? 0), 0);
        const sale: SimSale = { saleId: body!.id!, orderRef: pending.order, outletId: pending.outletId, qty, bookedQty: qty, at: Date.now(), fulfilled: false, voided: false, fulfilledAt: null, voidedAt: null };
        salesById.set(sale.saleId, sale);
        pending.order.sales.push(sale);
        bookingLatency.push(Date.now() - pending.order.placedAt);
      }
    } else if (e.kind === 'api' && e.method === 'PUT' && (e.status < 300 || e.lost)) {
      const id = /\/sales\/([^/]+)$/.exec(e.path)?.[1];
      const sale = id ? salesById.get(id) : undefined;
      const body = e.request as { state?: string; line_items?: { product?: { id?: string }; quantity?: number; status?: string }[] } | null;
      if (sale && body?.state === 'voided') {
        sale.voided = true;
        sale.voidedAt ??= Date.now();
      }
      // Lines sent again (a refund of units not sent yet): what the sale holds from now on.
      else if (sale && !sale.voided && body?.line_items) {
        sale.qty = body.line_items.filter((l) => l.product?.id === sale.orderRef.scenario.variant.lsProductId && l.status !== 'VOIDED').reduce((n, l) => n + (l.quantity ?? 0), 0);
      }
    } else if (e.kind === 'webhook.enqueue' && e.duplicate) {
      for (const [productId, s] of byProduct) if (e.body.includes(productId)) s.record.duplicatesInjected++;
      for (const [saleId, x] of salesById) if (e.body.includes(saleId)) x.orderRef.scenario.record.duplicatesInjected++;
    }
  }

  const bookingLatency: number[] = [];
  function onBigCommerceEvent(e: LogEntry) {
    if (e.type === 'fault.webhook' && e.duplicate === true) dupWebhookIds.add(String(e.webhook_id));
    if (e.type === 'webhook' && !webhookScenario.has(String(e.webhook_id))) {
      const data = (e.body as { data?: { id?: number; inventory?: { variant_id?: number } } } | undefined)?.data;
      const s = (data?.inventory?.variant_id !== undefined ? byVariant.get(data.inventory.variant_id) : undefined) ?? (typeof data?.id === 'number' ? orderScenario.get(data.id) : undefined);
      if (s) webhookScenario.set(String(e.webhook_id), s);
    }
  }
  const orderScenario = new Map<number, Scenario>();

  const hash = options.hash ?? `sim${mode === 'aggregated' ? 'agg' : 'def'}${randomBytes(2).toString('hex')}`;
  const h = await openInventoryHarness(t, {
    hash,
    products: Math.max(12, Math.ceil(options.slots * 1.2) + 10),
    appUrl: relay.url,
    clockSkewMs: 1_000,
    concurrency: 16,
    ...(options.queuePoolMax ? { queuePoolMax: options.queuePoolMax } : {}),
    extraJobs: [bigcommerceSetup, bigcommerceWebhook, orderSaleSync, orderRefund, ordersPoll],
    tap: { lightspeed: tapLightspeed, bigcommerce: tapBigCommerce },
    bigcommerce: { webhookRetryDelaysMs: [300, 1_000, 3_000], onAdjustmentApplied: (a) => onWrite(a), onEvent: (e) => onBigCommerceEvent(e), fetch: deliver },
    // A retailer of its own per store: the app keeps one request budget per retailer (domain
    // prefix) in a process, and stores sharing the sandbox's default prefix shared one quota.
    lightspeed: { domainPrefix: `retailer-${hash}`, webhookRetryDelaysMs: [300, 1_000, 3_000], onEvent: (e) => onLightspeedEvent(e), fetch: deliver },
  });
  relayTo.h = h;
  stockNow = () => bcStock(h);
  h.bcSandbox.control.updateStore(h.hash, { stockMode: mode });

  // BigCommerce's webhooks, as the install's setup job creates them.
  await h.queue.send(bigcommerceSetup, { storeId: h.storeId });
  await waitFor(async () => (await h.bc.hooks.listAll()).length >= 8 || undefined, 'BigCommerce webhooks created', 60_000, 200);

  // Every item enabled and linked, once the catalog is indexed (its count holds still).
  const catalog = catalogFor(h.t.database.db, h.storeId);
  let lastCount = -1;
  await waitFor(async () => {
    const n = await catalog.items.count();
    const stable = n > 0 && n === lastCount;
    lastCount = n;
    return stable || undefined;
  }, 'the catalog indexed', 120_000, 1_000);
  const { runId } = await requestChanges(h.deps, h.queue, h.storeId, { filter: {}, enabled: true }, 'owner@example.com');
  await waitFor(async () => ((await runStatus(h.deps, h.storeId, runId)).state === 'done' ? true : undefined), 'every item linked', 240_000, 300);
  const variants = (await inventoryFor(h.t.database.db, h.storeId).linkedVariants()).filter((v) => v.trackedBy === 'variant' || v.trackedBy === 'product');
  if (variants.length < options.slots) throw new Error(`only ${variants.length} linked variants for ${options.slots} slots`);

  // Outlets mapped to locations of their own, with a pickup method each; a reserve at one.
  const outlets = (await locationsView(h.deps, h.storeId)).outlets.sort((a, b) => a.name.localeCompare(b.name));
  outletIds = outlets.map((o) => o.lsOutletId);
  for (const [i, o] of outlets.entries()) {
    const [latitude, longitude] = coordinates[i]!;
    locationIds.push((await createLocationForOutlet(h.deps, h.queue, h.storeId, o.lsOutletId, { latitude, longitude }, 'owner@example.com')).bcLocationId!);
  }
  reserves = outletIds.map((_, i) => (i === 2 ? { kind: 'units' as const, value: 1 } : null));
  await updateOutlet(h.deps, h.queue, h.storeId, outletIds[2]!, { reserve: { kind: 'units', value: 1 } }, 'owner@example.com');
  await setStockMode(h.deps, h.queue, h.storeId, mode, 'owner@example.com');
  const pickupMethods: number[] = [];
  for (const l of locationIds) {
    const res = await fetch(`${h.bcServer.url}/stores/${h.hash}/v3/pickup/methods`, {
      method: 'POST',
      headers: { 'x-auth-token': h.bcSandbox.control.issueToken(h.hash), 'content-type': 'application/json' },
      body: JSON.stringify([{ location_id: l, display_name: `Pickup ${l}` }]),
    });
    pickupMethods.push(((await res.json()) as { data: { id: number }[] }).data[0]!.id);
  }
  const channelId = h.bcSandbox.control.store(h.hash).channels.find((c) => c.type === 'storefront')!.id;
  // Listed and visible on the storefront, as the merchant would have them.
  await h.bc.catalog.products.updateMany([...new Set(variants.map((v) => v.bcProductId))].map((id) => ({ id, is_visible: true })));
  await h.bc.catalog.channelAssignments.assign([...new Set(variants.map((v) => v.bcProductId))].map((product_id) => ({ product_id, channel_id: channelId })));
  const registers = (() => {
    const r = h.ls.control.state();
    return outletIds.map((o) => Object.values(r.registers).filter((x) => x.outlet_id === o && x.is_open).map((x) => x.id));
  })();
  // A till sale at an outlet picks among the outlets that have a register; one of them goes offline each round.
  const tills = registers.map((rs, i) => (rs.length > 0 ? i : -1)).filter((i) => i >= 0);
  const offlineRegister = registers.find((rs) => rs.length > 1)?.[1] ?? registers[tills[0]!]![0]!;
  const offlineOutlet = outletIds[registers.findIndex((rs) => rs.includes(offlineRegister))]!;

  const slotsOf = variants.slice(0, options.slots);
  const carried = new Map<number, SimOrder[]>(); // slot → orders still in flight after its last scenario
  // The first publish of everything (mapping and mode changes mark every variant) before any round.
  await waitFor(async () => {
    const d = await inventoryFor(h.t.database.db, h.storeId).dirty.count();
    return d.due + d.waiting === 0 || undefined;
  }, 'the first publish', 180_000, 500);
  let roundStart = Date.now();

  /** Desired BigCommerce level per location from ground truth, every order known. */
  const desiredNow = (s: Scenario) => {
    const c = ceilings(s, Date.now(), 0);
    c.delete(0);
    return c;
  };
  const mismatches = (s: Scenario, stock = bcStock(h)) =>
    [...desiredNow(s)].filter(([l, n]) => (stock.get(`${s.variant.bcVariantId}:${l}`) ?? 0) !== n).map(([l, n]) => `location ${l}: BigCommerce ${stock.get(`${s.variant.bcVariantId}:${l}`) ?? 0}, desired ${n}`);

  const lsState = () => h.ls.control.state();
  const pollAll = async () => {
    for (const resource of ['inventory', 'sales'] as const) await h.queue.send(lightspeedPoll, { storeId: h.storeId, resource }, { singletonKey: `sim-poll:${resource}` });
    await h.queue.send(ordersPoll, { storeId: h.storeId }, { singletonKey: 'sim-orders-poll' });
  };
  const repo = () => ordersFor(h.t.database.db, h.storeId);
  const activity = () => forStore(h.t.database.db, h.deps.secrets, h.storeId).activity;

  async function quiet(scenarios: Scenario[], what: string, timeoutMs: number) {
    await waitFor(
      async () => {
        const dirty = await inventoryFor(h.t.database.db, h.storeId).dirty.count();
        if (dirty.due + dirty.waiting > 0) return undefined;
        const stock = bcStock(h);
        return scenarios.every((s) => mismatches(s, stock).length === 0) || undefined;
      },
      async () => `${what}: ${(await Promise.all(scenarios.filter((s) => mismatches(s).length > 0).slice(0, 5).map(async (s) => `seed ${s.script.seed}: ${mismatches(s).join('; ')} [${await explain(s)}]`))).join(' | ')}`,
      timeoutMs,
      250,
    );
  }

  /** What the harness and the app each hold for a scenario's variant: its orders (carried ones too), the app's commitments, on-hand. */
  async function explain(s: Scenario): Promise<string> {
    const inv = inventoryFor(h.t.database.db, h.storeId);
    const lsSales = lsState().sales;
    const orders = await Promise.all(
      [...s.orders].map(async ([ref, o]) => {
        const rec = await repo().orders.get(o.id);
        const sales = o.sales.map((x) => `${x.outletId.slice(0, 4)} ${x.qty}${x.fulfilled ? ' fulfilled' : ''}${x.voided ? ' voided' : ''} (Lightspeed: ${lsSales[x.saleId]?.status ?? 'none'})`);
        const commitments = (await inv.commitments.forOrder(o.id)).map((c) => `${c.quantity} ${c.state}/${c.ledgerState} at ${c.bcLocationId}${c.lsOutletId ? `/${c.lsOutletId.slice(0, 4)}` : ''}`);
        return `${ref < 0 ? 'carried ' : ''}#${o.id} of ${o.qty} taken from ${JSON.stringify([...o.takenFrom])}${o.cancelledAt !== null ? ' cancelled' : ''}${o.refunds.length ? ` refunds ${o.refunds.map((r) => (r.items ? 'items' : 'amount')).join('+')}` : ''}; sales [${sales.join(', ')}]; app ${rec?.state ?? 'none'}${rec?.flagged ? ' flagged' : ''}, commitments [${commitments.join(', ')}]`;
      }),
    );
    const appOnHand = await inv.onHand([s.variant.lsProductId]);
    const onHand = outletIds.map((o) => `${o.slice(0, 4)} truth ${levelNow(s.variant.lsProductId, o)} app ${appOnHand.find((x) => x.outletId === o)?.onHand ?? '-'}`).join(', ');
    return `orders: ${orders.join(' | ') || 'none'}; on hand: ${onHand}`;
  }

  /**
   * When the app learned what, for a failed scenario (ms from the round's start): each order's
   * record and commitments (created, released), its ledger per location, and the activity on the
   * variant (drift found, shortfalls released) — the order of knowing that decides a write.
   */
  async function timeline(s: Scenario): Promise<string> {
    const inv = inventoryFor(h.t.database.db, h.storeId);
    const t = (d: Date | null | undefined) => (d ? `+${d.getTime() - roundStart}` : '-');
    const orders = await Promise.all(
      [...s.orders.values()].map(async (o) => {
        const rec = await repo().orders.get(o.id);
        const commitments = (await inv.commitments.forOrder(o.id)).map((c) => `${c.quantity}@${c.bcLocationId} created ${t(c.createdAt)} ${c.state} ${t(c.releasedAt)}`);
        const events = await activity().list({ entityType: 'order', entityId: String(o.id), limit: 20 });
        const seen = events.reverse().map((e) => `${e.kind} ${t(e.createdAt)}`);
        return `#${o.id} placed +${o.placedAt - roundStart}${o.cancelledAt !== null ? ` cancelled +${o.cancelledAt - roundStart}` : ''} known ${t(rec?.createdAt)} [${commitments.join(', ')}] (${seen.join(', ')})`;
      }),
    );
    const ledger = (await inv.ledger.rows([s.variant.bcVariantId])).map((r) => `${r.bcLocationId}: expected ${r.expected} unexplained ${r.unexplained} since ${t(r.unexplainedSince)} published ${r.published}`);
    const events = await activity().list({ entityType: 'variant', entityId: s.variant.lsProductId, limit: 20 });
    const drift = events.filter((e) => e.createdAt.getTime() >= roundStart).map((e) => `${t(e.createdAt)} ${e.kind}: ${e.summary}`);
    // Each sale job the scenario's sales caused: when it was sent, ran, and how it ended (a change worked or not).
    const saleIds = [...s.orders.values()].flatMap((o) => o.sales.map((x) => x.saleId));
    const jobs =
      saleIds.length === 0
        ? []
        : rowsOf<{ sale: string; state: string; r: number; c: string; s: string | null; d: string | null; out: string | null }>(
            await h.t.database.db.execute(
              sql`select left(data->'payload'->>'lsSaleId', 4) as sale, state, retry_count as r, round(extract(epoch from created_on - ${new Date(roundStart).toISOString()}::timestamptz)::numeric, 1)::text as c, round(extract(epoch from started_on - ${new Date(roundStart).toISOString()}::timestamptz)::numeric, 1)::text as s, round(extract(epoch from completed_on - ${new Date(roundStart).toISOString()}::timestamptz)::numeric, 1)::text as d, left(output::text, 60) as out from pgboss.job where name = 'orders.sale' and data->'payload'->>'lsSaleId' in (${sql.join(saleIds.map((id) => sql`${id}`), sql`, `)}) order by created_on`,
            ),
          ).map((j) => `${j.sale} ${j.state}×${j.r} sent +${j.c}s ran +${j.s ?? '-'}s ended +${j.d ?? '-'}s${j.out ? ` ${j.out}` : ''}`);
    return `orders ${orders.join('; ')} | ledger ${ledger.join(', ')} | activity ${drift.join('; ') || 'none'} | sale jobs ${jobs.join('; ') || 'none'}`;
  }

  /**
   * An order booked short of what it asked for (or not at all) is right only where the truth had
   * fewer units sellable for it (the storefront's total, or its pickup location's) at some instant
   * between its placing and the app's routing of it — a till sale took them first, the race the
   * walk-in reserve exists for — and the app flagged it for the merchant. Null then (counted as
   * unfillable); otherwise the failure, with the app's routing reasons and Lightspeed's levels.
   */
  async function judgeShort(s: Scenario, o: SimOrder, booked: number): Promise<string | null> {
    const rec = await repo().orders.get(o.id);
    const routing = rec?.routing as { kind?: string; summary?: string; reasons?: string[] } | null | undefined;
    const events = await activity().list({ entityType: 'order', entityId: String(o.id), limit: 100 });
    const routedAt = Math.min(Date.now(), ...events.filter((e) => e.kind === 'order.routed').map((e) => e.createdAt.getTime()));
    const instants = [o.placedAt - 1, routedAt, ...outletIds.flatMap((id) => (lsLevels.get(`${s.variant.lsProductId}:${id}`) ?? []).map((e) => e.at).filter((at) => at > o.placedAt && at <= routedAt))];
    const sellableAt = (at: number) => {
      const c = ceilings(s, at, 0, o);
      return o.pickupLocationId !== null ? (c.get(o.pickupLocationId) ?? 0) : (c.get(s.mode === 'aggregated' ? 0 : 1) ?? 0);
    };
    const least = Math.min(...instants.map(sellableAt));
    if (rec?.flagged && least < o.qty) return null;
    const truth = outletIds.map((id) => `${id.slice(0, 4)} ${levelAt(s.variant.lsProductId, id, o.placedAt)}→${levelNow(s.variant.lsProductId, id)}`).join(', ');
    return `order #${o.id} of ${o.qty} was booked in Lightspeed as ${booked} unit(s) (app: ${rec?.state ?? 'not recorded'}${rec?.flagged ? ', flagged' : ''}, ${routing?.kind ?? 'not routed'}: ${routing?.summary ?? ''} [${(routing?.reasons ?? []).join('; ')}]; the fewest units sellable for it from its placing to its routing +${routedAt - o.placedAt} ms: ${least}; Lightspeed on hand at placing → now: ${truth})`;
  }

  async function runStep(s: Scenario, step: Step): Promise<string> {
    const v = s.variant;
    const ls = h.ls.control;
    const bc = h.bcSandbox.control;
    switch (step.kind) {
      case 'pos': {
        const at = tills[step.outlet % tills.length]!;
        const outletId = outletIds[at]!;
        if (levelNow(v.lsProductId, outletId) < step.qty) return 'skipped: not on the shelf';
        ls.sell(undefined, { register_id: registers[at]!.find((r) => r !== offlineRegister)!, lines: [{ product_id: v.lsProductId, quantity: step.qty }] });
        return 'sold';
      }
      case 'offline-pos': {
        if (levelNow(v.lsProductId, offlineOutlet) < step.qty) return 'skipped: not on the shelf';
        ls.sell(undefined, { register_id: offlineRegister, lines: [{ product_id: v.lsProductId, quantity: step.qty }] });
        return 'sold offline';
      }
      case 'delivery':
        ls.receiveConsignment(undefined, { outlet_id: outletIds[step.outlet]!, lines: [{ product_id: v.lsProductId, quantity: step.qty }] });
        return 'received';
      case 'count':
        ls.countStock(undefined, { outlet_id: outletIds[step.outlet]!, lines: [{ product_id: v.lsProductId, counted: step.level }] });
        return 'counted';
      case 'order': {
        const before = bcStock(h);
        let order;
        try {
          order = bc.checkout(h.hash, {
            channel_id: channelId,
            lines: [{ product_id: v.bcProductId, variant_id: v.bcVariantId, quantity: step.qty }],
            billing_address: address,
            fulfilment: step.pickupAt === null ? { type: 'shipping', address } : { type: 'pickup', pickup_method_id: pickupMethods[step.pickupAt]! },
          });
        } catch (error) {
          return `refused: ${error instanceof Error ? error.message : String(error)}`;
        }
        const after = bcStock(h);
        const takenFrom = new Map<number, number>();
        for (const l of [1, ...locationIds]) {
          const d = (before.get(`${v.bcVariantId}:${l}`) ?? 0) - (after.get(`${v.bcVariantId}:${l}`) ?? 0);
          if (d > 0) takenFrom.set(l, d);
        }
        const o: SimOrder = { id: order.id, scenario: s, qty: step.qty, placedAt: Date.now(), takenFrom, pickupLocationId: step.pickupAt === null ? null : locationIds[step.pickupAt]!, cancelledAt: null, fulfilled: false, refunds: [], sales: [] };
        s.orders.set(step.ref, o);
        orderScenario.set(o.id, s);
        for (const outletId of outletIds) pendingSales.set(saleIdFor(h.storeId, o.id, outletId), { order: o, outletId });
        s.record.ordersPlaced++;
        return `order #${o.id}`;
      }
      case 'cancel': {
        const o = s.orders.get(step.ref);
        if (!o) return 'skipped: no order';
        if (o.sales.some((x) => x.fulfilled)) return 'skipped: already fulfilled';
        bc.setOrderStatus(h.hash, o.id, 5);
        o.cancelledAt = Date.now();
        return 'cancelled';
      }
      case 'fulfil': {
        const o = s.orders.get(step.ref);
        if (!o || o.cancelledAt !== null) return 'skipped: no order to fulfil';
        // Staff fulfil what the app booked; wait a little for the booking.
        const booked = await waitFor(() => (o.sales.length > 0 && o.sales.reduce((n, x) => n + x.qty, 0) >= o.qty ? true : undefined), 'booked', 6_000, 100).catch(() => undefined);
        if (!booked) return 'skipped: not booked in time';
        if (o.cancelledAt !== null) return 'skipped: cancelled';
        for (const sale of o.sales) {
          if (sale.fulfilled) continue;
          const open = ls.openFulfilments(undefined, sale.outletId).filter((f) => f.sale?.id === sale.saleId);
          if (open.length === 0) continue;
          ls.fulfil(undefined, { sale_id: sale.saleId, ...(o.pickupLocationId === null ? { tracking_number: `1Z${o.id}` } : {}) });
          sale.fulfilled = true;
          sale.fulfilledAt ??= Date.now();
        }
        o.fulfilled = true;
        return 'fulfilled';
      }
      case 'refund': {
        const o = s.orders.get(step.ref);
        if (!o || !o.fulfilled || o.cancelledAt !== null) return 'skipped: nothing fulfilled';
        let refund;
        if (step.items) {
          const products = await h.bc.orders.products(o.id);
          refund = bc.refundOrder(h.hash, o.id, { items: [{ order_product_id: products[0]!.id, quantity: 1 }] });
        } else refund = bc.refundOrder(h.hash, o.id, { amount: 1 });
        o.refunds.push({ id: refund.id, items: step.items });
        return `refund #${refund.id}`;
      }
    }
  }

  /**
   * Rounds keep to the retailer's Lightspeed quota (300 × registers + 50 per 5 minutes): a round
   * starts once the last 5 minutes' requests leave room for what the round before it asked.
   * Back to back, a second round found the quota spent by the setup and the first round, and the
   * app (rightly) waiting for it, and its checks ran before the app could act.
   */
  let previousRound: { lsRequests: number } | null = null;
  async function paceRound(): Promise<void> {
    if (!previousRound) return;
    // Room for the next round in the app's own sliding 5-minute window (as its budget counts,
    // with its 1 s guard): what the last round asked for, and half again.
    const windowMs = 5 * 60_000 + 1_000;
    const need = Math.ceil(previousRound.lsRequests * 1.5);
    const limit = h.ls.control.retailer().rate_limit;
    const recent = lsTimes.filter((t) => t > Date.now() - windowMs);
    const over = recent.length + need - limit;
    // The window has room once its oldest `over` requests have aged out of it.
    const wait = over > 0 ? recent[Math.min(over, recent.length) - 1]! + windowMs - Date.now() : 0;
    debug('pacing', JSON.stringify({ lastRound: previousRound.lsRequests, inWindow: recent.length, limit, wait: Math.max(0, Math.round(wait)) }));
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  const isOpen = (o: SimOrder) => o.cancelledAt === null && (o.sales.some((x) => !x.fulfilled && !x.voided) || o.sales.reduce((n, x) => n + x.qty, 0) < o.qty);
  const openOrders = (s: Scenario) => [...s.orders.values()].filter(isOpen);

  /**
   * Before a slot's next scenario, the orders earlier rounds left open are settled as a merchant
   * would: staff fulfil what was booked, and an order no outlet could fill is cancelled (a run of
   * one round, as CI's, has none). Left open, they piled up round after round (about 15 units per variant after ten
   * rounds of 125 in bench:inventory) and held the stock of later rounds, whose storefront orders
   * were then mostly refused for want of stock: the later scenarios tested little. The wait for
   * the app is bounded (two minutes, then said under SIM_DEBUG); an order settled here is no
   * longer carried either way, so an app slower than that would show as the next reset's wait.
   */
  async function settleOpenOrders(open: SimOrder[]) {
    if (open.length === 0) return;
    const ls = h.ls.control;
    for (const o of open) {
      if (o.sales.reduce((n, x) => n + x.qty, 0) >= o.qty) {
        for (const sale of o.sales.filter((x) => !x.fulfilled && !x.voided)) {
          if (!ls.openFulfilments(undefined, sale.outletId).some((f) => f.sale?.id === sale.saleId)) continue;
          ls.fulfil(undefined, { sale_id: sale.saleId, ...(o.pickupLocationId === null ? { tracking_number: `1Z${o.id}` } : {}) });
          sale.fulfilled = true;
          sale.fulfilledAt ??= Date.now();
        }
        o.fulfilled = true;
      } else if (!o.sales.some((x) => x.fulfilled)) {
        h.bcSandbox.control.setOrderStatus(h.hash, o.id, 5);
        o.cancelledAt = Date.now();
      }
    }
    const inventory = inventoryFor(h.t.database.db, h.storeId);
    await waitFor(
      async () => {
        await pollAll();
        for (const o of open) if ((await inventory.commitments.forOrder(o.id)).some((c) => c.state === 'open')) return undefined;
        return true;
      },
      'the app to settle the orders left open',
      120_000,
      1_500,
    ).catch((error: unknown) => debug(String(error)));
  }

  async function runRound(seeds: number[]): Promise<ScenarioRecord[]> {
    if (seeds.length > slotsOf.length) throw new Error(`${seeds.length} scenarios for ${slotsOf.length} slots`);
    await settleOpenOrders([...carried.values()].flat());
    for (const [i, orders] of carried) carried.set(i, orders.filter(isOpen));
    await paceRound();
    const lsAnsweredBefore = lsAnswered;
    byVariant.clear();
    byProduct.clear();
    lsLevels.clear();
    hidden.clear();
    const keepFrom = Date.now() - 30_000;
    for (const [key, history] of served) served.set(key, history.filter((e, i) => i === history.length - 1 || e.at >= keepFrom));
    const scenarios: Scenario[] = seeds.map((seed, i) => {
      const s: Scenario = {
        script: scriptFor(seed),
        mode,
        variant: slotsOf[i]!,
        // Orders an earlier scenario on this variant left in flight (booked, not fulfilled) are still
        // part of the truth; they keep negative keys and are not this scenario's to check.
        orders: new Map((carried.get(i) ?? []).map((o, k) => [-1 - k, o])),
        lastEventAt: 0,
        lastWriteAt: 0,
        steps: [],
        record: { seed, mode, writes: 0, oversoldUnits: 0, lagUnits: 0, clampedUnits: 0, convergenceMs: null, duplicatesInjected: 0, ordersPlaced: 0, bookings: 0, doubleBookings: 0, unfillable: 0, failures: [], steps: [] },
      };
      byVariant.set(s.variant.bcVariantId, s);
      byProduct.set(s.variant.lsProductId, s);
      return s;
    });
    // Ground truth starts from Lightspeed as it is.
    const start = lsState();
    roundStart = Date.now();
    for (const s of scenarios) for (const o of outletIds) lsLevels.set(`${s.variant.lsProductId}:${o}`, [{ at: roundStart - 60_000, level: start.inventory[`${s.variant.lsProductId}:${o}`]?.current_inventory_level ?? 0 }]);
    // Reset: the script's starting stock, published before anything else happens.
    for (const s of scenarios) for (const [i, o] of outletIds.entries()) h.ls.control.setInventoryLevel(undefined, { product_id: s.variant.lsProductId, outlet_id: o, level: s.script.initial[i]! });
    await pollAll();
    await quiet(scenarios, 'the starting stock published', 90_000);
    for (const s of scenarios) Object.assign(s.record, { writes: 0, lagUnits: 0 });

    debug('reset published', 'Lightspeed answered', lsAnswered, JSON.stringify([...lsGets].sort((a, b) => b[1] - a[1]).slice(0, 10)));
    // Events, under the round's fault plan.
    const faults = faultsFor(seeds[0]!);
    h.bcSandbox.control.setFaults(h.hash, faults.bigcommerce);
    h.ls.control.setFaults(faults.lightspeed);
    h.ls.control.setRegisterOffline(undefined, offlineRegister);
    roundStart = Date.now();
    const poller = setInterval(() => void pollAll().catch(() => {}), 1_500);
    await Promise.all(
      scenarios.map(async (s) => {
        for (const step of s.script.steps) {
          const wait = roundStart + step.at - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const stepStarted = Date.now();
        const done = await runStep(s, step).catch((error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`);
          s.steps.push({ step, done });
          if (Date.now() - stepStarted > 1_000) debug('slow step', s.script.seed, step.kind, Date.now() - stepStarted, done);
          if (!done.startsWith('skipped')) s.lastEventAt = Date.now();
        }
      }),
    );
    debug('events done', JSON.stringify([...lsCalls].sort((a, b) => b[1] - a[1])));
    // The offline register comes back and uploads its sales; events stop.
    h.ls.control.setRegisterOnline(undefined, offlineRegister);
    const eventsEnd = Date.now();
    for (const s of scenarios) if (s.steps.some((x) => x.step.kind === 'offline-pos' && x.done === 'sold offline')) s.lastEventAt = eventsEnd;
    h.bcSandbox.control.clearFaults(h.hash);
    h.ls.control.clearFaults();
    clearInterval(poller);

    // Quiet: deliveries done, the safety-net polls, every order where it should be.
    await Promise.all([h.bcSandbox.control.webhooksIdle().then(() => debug('BigCommerce webhooks idle')), h.ls.control.waitForWebhooks().then(() => debug('Lightspeed webhooks idle'))]);
    if (process.env.SIM_DEBUG) {
      const outcomes = new Map<string, number>();
      for (const d of h.bcSandbox.control.deliveries(h.hash)) {
        const k = `${d.outcome}:${d.status}:${(d.error ?? '').slice(0, 80)}`;
        outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
      }
      debug('BigCommerce deliveries', JSON.stringify([...outcomes]));
    }
    // A wait the harness gave up on is said with the round's failures (the first line of its message).
    const waitsGivenUp: string[] = [];
    const gaveUp = (error: unknown) => {
      debug(String(error));
      waitsGivenUp.push(String(error instanceof Error ? error.message : error).slice(0, 300));
    };
    await pollAll();
    const allOrders = scenarios.flatMap((s) => [...s.orders].filter(([ref]) => ref >= 0).map(([, o]) => o));
    await waitFor(
      async () => {
        for (const o of allOrders) {
          const rec = await repo().orders.get(o.id);
          if (!rec) return undefined;
          if (o.cancelledAt !== null ? rec.state !== 'cancelled' : !['booked', 'fulfilled', 'refunded'].includes(rec.state)) return undefined;
        }
        return true;
      },
      async () =>
        `every order taken in: ${JSON.stringify(await Promise.all(allOrders.map(async (o) => [o.id, o.cancelledAt !== null, (await repo().orders.get(o.id))?.state])))}; inbox: ${JSON.stringify(rowsOf(await h.t.database.db.execute(sql`select lane, status, count(*)::int as n from webhook_inbox group by 1, 2`)))}; lanes: ${JSON.stringify(rowsOf(await h.t.database.db.execute(sql`select * from intake_lanes`)))}; jobs: ${JSON.stringify(rowsOf(await h.t.database.db.execute(sql`select name, state, count(*)::int as n from pgboss.job where created_on > now() - interval '3 minutes' group by 1, 2`)))}`,
      60_000,
      250,
    ).catch((error: unknown) => gaveUp(error)); // what is missing shows in check c
    debug('booking latency', JSON.stringify(bookingLatency.sort((a, b) => a - b)));
    if (process.env.SIM_DEBUG) debug('intake jobs', JSON.stringify(rowsOf(await h.t.database.db.execute(sql`select name, data->'payload'->>'orderId' as o, retry_count as r, state, round(extract(epoch from created_on - ${new Date(roundStart).toISOString()}::timestamptz)::numeric, 1) as c, round(extract(epoch from started_on - created_on)::numeric, 1) as w, round(extract(epoch from completed_on - started_on)::numeric, 1) as d, left(output::text, 80) as out from pgboss.job where name in ('orders.intake', 'orders.poll') and created_on > ${new Date(roundStart).toISOString()}::timestamptz order by created_on`))));
    debug('orders taken in', JSON.stringify([...bcCalls].sort((a, b) => b[1] - a[1])));
    // Then one sweep, once the engine is idle and an order poll has vouched for every order
    // placed and every shortfall seen so far (clockSkewMs before it started).
    let dirtyShownAt = Date.now();
    const dirtyDone = async () => {
      const d = await inventoryFor(h.t.database.db, h.storeId).dirty.count();
      if (process.env.SIM_DEBUG && d.due + d.waiting > 0 && Date.now() - dirtyShownAt > 5_000) {
        dirtyShownAt = Date.now();
        debug('engine busy', JSON.stringify(rowsOf(await h.t.database.db.execute(sql`select cause, count(*)::int as n, round(extract(epoch from min(not_before) - now())::numeric, 1) as due_in from inventory_dirty group by 1`))), JSON.stringify(rowsOf(await h.t.database.db.execute(sql`select name, state, count(*)::int as n, round(extract(epoch from now() - min(started_on))::numeric, 1) as active_for, round(extract(epoch from min(start_after) - now())::numeric, 1) as starts_in from pgboss.job where state in ('created', 'retry', 'active') and name not like '\_\_%' group by 1, 2`))));
      }
      return d.due + d.waiting === 0 || undefined;
    };
    // Every job the events caused has run (a fulfilment's sale sync, a refund's return, their
    // retries): what is still queued is work the app has been told of and not done yet.
    let shownAt = Date.now();
    const queueIdle = async () => {
      const rows = rowsOf<{ n: number }>(await h.t.database.db.execute(sql`select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active') and name not like '\_\_%'`));
      if (process.env.SIM_DEBUG && Date.now() - shownAt > 5_000 && Number(rows[0]?.n ?? 0) > 0) {
        shownAt = Date.now();
        debug('jobs left', JSON.stringify(rowsOf(await h.t.database.db.execute(sql`select name, state, retry_count, count(*)::int as n, min(start_after) as next from pgboss.job where state in ('created', 'retry', 'active') and name not like '\_\_%' group by 1, 2, 3`))));
      }
      return Number(rows[0]?.n ?? 0) === 0 || undefined;
    };
    await waitFor(queueIdle, 'the app idle after the events', 120_000, 250).catch((error: unknown) => gaveUp(error));
    debug('app idle');
    // The order poll runs every minute in production; here twice, each after the engine is idle:
    // what the first one takes in (a refund's status, say) can move stock the second vouches for.
    for (let poll = 0; poll < 2; poll++) {
      await waitFor(dirtyDone, 'the engine idle', 60_000, 200).catch((error: unknown) => gaveUp(error));
      debug(`engine idle before poll ${poll + 1}`);
      const pollFrom = Date.now() + 1_200;
      await new Promise((r) => setTimeout(r, 1_200));
      // Sent again every few seconds while waiting, as production's every-minute poll would be: a
      // poll held back by an order that failed (retried by its own job) does not vouch for it.
      let sentAt = 0;
      await waitFor(async () => {
        const known = (await inventoryFor(h.t.database.db, h.storeId).settings.get()).ordersKnownUntil;
        if (known && known.getTime() >= pollFrom - 1_000 - 50) return true;
        if (process.env.SIM_DEBUG && Math.floor(Date.now() / 10_000) !== Math.floor((Date.now() - 200) / 10_000)) debug('calls so far', [...bcCalls.values()].reduce((a, b) => a + b, 0), [...lsCalls.values()].reduce((a, b) => a + b, 0), 'Lightspeed answered', lsAnswered, 'limit', h.ls.control.retailer().rate_limit, JSON.stringify([...lsGets].sort((a, b) => b[1] - a[1]).slice(0, 10)), JSON.stringify([...bcCalls].sort((a, b) => b[1] - a[1]).slice(0, 6)));
        if (Date.now() - sentAt > 3_000) {
          sentAt = Date.now();
          await h.queue.send(ordersPoll, { storeId: h.storeId }, { singletonKey: 'sim-orders-poll-after' });
        }
        return undefined;
      }, async () => `the order poll after the events (jobs: ${JSON.stringify(rowsOf<Record<string, unknown>>(await h.t.database.db.execute(sql`select name, state, count(*)::int as n, max(extract(epoch from now() - started_on))::int as oldest from pgboss.job where state in ('created','active','retry') group by 1, 2`)))}; orders in error: ${JSON.stringify((await repo().orders.list({ limit: 500 })).filter((o) => o.state === 'error').map((o) => [o.bcOrderId, o.attention]))}; known until ${(await inventoryFor(h.t.database.db, h.storeId).settings.get()).ordersKnownUntil?.toISOString()}, wanted ${new Date(pollFrom - 1_050).toISOString()})`, 180_000, 200);
    }
    debug('order poll done', JSON.stringify([...lsCalls].sort((a, b) => b[1] - a[1])));
    const { sweepId } = await requestSweep(h.deps, h.queue, h.storeId);
    await waitFor(async () => {
      const sw = await sweepStatus(h.deps, h.storeId, sweepId);
      return sw.state === 'done' || sw.state === 'failed' ? sw : undefined;
    }, async () => `the sweep (${JSON.stringify(await sweepStatus(h.deps, h.storeId, sweepId))}; jobs: ${JSON.stringify(rowsOf(await h.t.database.db.execute(sql`select name, state, retry_count, count(*)::int as n, max(extract(epoch from now() - started_on))::int as oldest from pgboss.job where state in ('created', 'retry', 'active') and name not like '\_\_%' group by 1, 2, 3`)))}; sweep jobs: ${JSON.stringify(rowsOf(await h.t.database.db.execute(sql`select state, retry_count, started_on, completed_on, output from pgboss.job where name = 'inventory.sweep' order by created_on desc limit 3`)))})`, 90_000, 200);
    await waitFor(dirtyDone, 'the engine idle after the sweep', 30_000, 200).catch((error: unknown) => gaveUp(error));
    // Writes still settling land within the apply delay.
    await new Promise((r) => setTimeout(r, 200));

    debug('sweep done');
    // b. BigCommerce equals the desired state.
    const stock = bcStock(h);
    const sales = Object.values(lsState().sales);
    for (const s of scenarios) {
      const wrong = mismatches(s, stock);
      if (wrong.length > 0) s.record.failures.push(`after the sweep: ${wrong.join('; ')}${waitsGivenUp.length > 0 ? ` (the harness stopped waiting for: ${waitsGivenUp.join(' | ')})` : ''}`);
      else s.record.convergenceMs = Math.max(0, s.lastWriteAt - s.lastEventAt);
      // c. booked once per fulfilling outlet; cancelled voided; refunds once.
      for (const [ref, o] of s.orders) {
        if (ref < 0) continue;
        const mine = sales.filter((x) => x.source?.id === String(o.id) && !x.return_for);
        const perOutlet = new Map<string, number>();
        for (const x of mine) perOutlet.set(x.fulfillment_outlet_id ?? '', (perOutlet.get(x.fulfillment_outlet_id ?? '') ?? 0) + 1);
        const doubles = [...perOutlet.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
        s.record.bookings += perOutlet.size;
        s.record.doubleBookings += doubles;
        if (doubles > 0) s.record.failures.push(`order #${o.id} booked ${mine.length} times at ${perOutlet.size} outlet(s)`);
        if (o.cancelledAt !== null) {
          const open = mine.filter((x) => x.status !== 'VOIDED');
          if (open.length > 0) s.record.failures.push(`cancelled order #${o.id} has ${open.length} sale(s) not voided (${open.map((x) => x.status).join(', ')})`);
        } else {
          // As booked: what the create carried (the sale's lines now, for a sale whose create the harness did not see).
          const holds = (x: (typeof mine)[number]) => x.line_items.filter((l) => l.product_id === s.variant.lsProductId && l.status !== 'VOIDED').reduce((n, l) => n + l.quantity, 0);
          const booked = mine.reduce((n, x) => n + (salesById.get(x.id)?.bookedQty ?? holds(x)), 0);
          if (booked < o.qty) {
            const verdict = await judgeShort(s, o, booked);
            if (verdict === null) s.record.unfillable++;
            else s.record.failures.push(verdict);
          } else if (booked > o.qty) s.record.failures.push(`order #${o.id} of ${o.qty} booked as ${booked} unit(s)`);
          // Units taken off a sale afterwards: only for refunds with items (one unit each here).
          const units = mine.reduce((n, x) => n + holds(x), 0);
          const refundedUnits = o.refunds.filter((r) => r.items).length;
          const held = Math.min(booked, o.qty);
          if (units < held - refundedUnits || units > held) s.record.failures.push(`order #${o.id} of ${o.qty}, booked as ${booked} (${refundedUnits} unit(s) refunded), holds ${units} unit(s) in Lightspeed`);
        }
        const returns = sales.filter((x) => x.return_for && mine.some((m) => m.id === x.return_for));
        const withItems = o.refunds.filter((r) => r.items).length;
        if (returns.length !== withItems) s.record.failures.push(`order #${o.id}: ${withItems} refund(s) with items became ${returns.length} Lightspeed return(s)`);
      }
    }
    // A failed scenario says what each side held, and the app's own account of its writes (with
    // the arithmetic it wrote by), so a seed can be understood from CI's output alone.
    for (const s of scenarios.filter((x) => x.record.failures.length > 0)) {
      const changes = await inventoryFor(h.t.database.db, h.storeId).changes.forProducts([s.variant.lsProductId]);
      const writes = changes
        .filter((c) => c.writtenAt.getTime() >= roundStart)
        .slice(0, 10)
        .map((c) => `+${c.writtenAt.getTime() - roundStart} ms at ${c.bcLocationId}: ${c.fromLevel}→${c.toLevel} (${c.cause} since ${c.causedAt ? `+${c.causedAt.getTime() - roundStart}` : '?'} ms, ${c.outcome}, held ${(c.details as { held?: number } | null)?.held ?? '?'}, read ${(c.details as { readAt?: string } | null)?.readAt ? `+${Date.parse((c.details as { readAt: string }).readAt) - roundStart}` : '?'} ms) ${JSON.stringify((c.details as { level?: unknown } | null)?.level ?? null)}`);
      s.record.failures.push(`at the end: ${await explain(s)}`, `the app's writes, newest first: ${writes.join(' | ') || 'none'}`, `the app's timeline: ${await timeline(s)}`);
    }
    if (process.env.SIM_DEBUG) {
      for (const s of scenarios.filter((x) => x.record.failures.length > 0)) {
        const inv = inventoryFor(h.t.database.db, h.storeId);
        debug('orders known until', (await inv.settings.get()).ordersKnownUntil);
        const lsNow = lsState().inventory;
        const appOnHand = await inv.onHand([s.variant.lsProductId]);
        debug('on hand per outlet (truth / sandbox record / app)', JSON.stringify(outletIds.map((o) => [o.slice(0, 4), levelNow(s.variant.lsProductId, o), lsNow[`${s.variant.lsProductId}:${o}`]?.current_inventory_level, lsNow[`${s.variant.lsProductId}:${o}`]?.version, appOnHand.find((x) => x.outletId === o)?.onHand, appOnHand.find((x) => x.outletId === o)?.version])));
      }
    }
    for (const id of dupWebhookIds) {
      const owner = webhookScenario.get(id);
      if (owner) owner.record.duplicatesInjected++;
    }
    dupWebhookIds.clear();
    webhookScenario.clear();
    for (const [i, s] of scenarios.entries()) carried.set(i, openOrders(s));
    previousRound = { lsRequests: lsAnswered - lsAnsweredBefore };
    return scenarios.map((s) => ({ ...s.record, steps: s.steps.map((x) => `${x.step.kind}@${x.step.at} ${x.done}`) }));
  }

  return {
    h,
    mode,
    slots: slotsOf.length,
    runRound,
    async close() {
      await h.close();
      await relay.close();
    },
  };
}

export interface Summary {
  scenarios: number;
  failed: ScenarioRecord[];
  oversoldUnits: number;
  lagUnits: number;
  writes: number;
  bookings: number;
  doubleBookings: number;
  unfillable: number;
  duplicatesInjected: number;
  ordersPlaced: number;
  convergence: { p50: number; p95: number; p99: number; max: number } | null;
}

export function summarise(records: ScenarioRecord[]): Summary {
  const sum = (f: (r: ScenarioRecord) => number) => records.reduce((n, r) => n + f(r), 0);
  const times = records.map((r) => r.convergenceMs).filter((x): x is number => x !== null).sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.max(0, Math.ceil(p * times.length) - 1))]!;
  return {
    scenarios: records.length,
    failed: records.filter((r) => r.failures.length > 0),
    oversoldUnits: sum((r) => r.oversoldUnits),
    lagUnits: sum((r) => r.lagUnits),
    writes: sum((r) => r.writes),
    bookings: sum((r) => r.bookings),
    doubleBookings: sum((r) => r.doubleBookings),
    unfillable: sum((r) => r.unfillable),
    duplicatesInjected: sum((r) => r.duplicatesInjected),
    ordersPlaced: sum((r) => r.ordersPlaced),
    convergence: times.length ? { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: times.at(-1)! } : null,
  };
}

/** The totals both the suite and the bench print: oversold units, convergence, bookings, duplicates. */
export function describeTotals(s: Summary): string {
  const c = s.convergence;
  return (
    `writes ${s.writes}, oversold units ${s.oversoldUnits}, convergence (wall, last event → last write) p50 ${c?.p50} ms p95 ${c?.p95} ms p99 ${c?.p99} ms max ${c?.max} ms, ` +
    `orders ${s.ordersPlaced}, bookings ${s.bookings}, double bookings ${s.doubleBookings}, unfillable orders (a till sale took their units first; flagged) ${s.unfillable}, duplicates injected ${s.duplicatesInjected}`
  );
}

export function describeFailure(r: ScenarioRecord): string {
  return `seed ${r.seed} (${r.mode}) failed — replay: ${replayCommand(r.seed, r.mode)}\n  ${r.failures.join('\n  ')}\n  steps: ${r.steps.join(', ')}`;
}

export { inventorySweep };
