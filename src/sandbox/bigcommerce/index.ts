/**
 * An emulated BigCommerce store served as one Fetch-API handler, so it runs standalone
 * (`listen()`, tests) or mounted in the app under a base path. It is an independent reading of
 * BigCommerce's contracts (specs/bigcommerce): it imports nothing from the app's integrations,
 * core or db, and they import nothing from it.
 *
 * Paths (relative to basePath):
 *   POST /oauth2/token                      app install code exchange
 *   /stores/{hash}/v2/...  /stores/{hash}/v3/...   the store's REST APIs (X-Auth-Token)
 *   /_sandbox/...                           control actions (see control.ts)
 */
import { realClock, type SandboxClock, type SandboxTimer } from '../clock';
import { isLostResponse, lostResponse, serve, type RunningServer } from '../http';
import { registerCatalogRoutes } from './catalog-routes';
import { registerCategoryRoutes } from './categories-routes';
import { registerChannelRoutes } from './channels-routes';
import { controlRouter, createControl, type BigCommerceSandboxControl } from './control';
import { EventLog, type LogEntry } from './event-log';
import { Faults, type ApiFaultDecision } from './faults';
import { applyDueAdjustments, registerInventoryRoutes } from './inventory-routes';
import { registerLocationRoutes } from './locations-routes';
import { exchangeCode } from './oauth';
import { registerOrderMessageRoutes } from './order-messages';
import { registerOrderRoutes } from './orders-routes';
import { registerPickupRoutes } from './pickup-routes';
import { registerProductDetailRoutes } from './product-details-routes';
import { DebouncedSaver, loadState } from './persistence';
import { Randomness } from './random';
import { DEFAULT_ENTERPRISE_QUOTA, quotaFor, rateHeaders, RateLimiter } from './ratelimit';
import { HttpError, json, v2Error, v3Error } from './responses';
import { Router } from './router';
import type { AppliedAdjustment, ResolvedConfig, Runtime, SandboxPolicies } from './runtime';
import { registerStoreInfoRoutes } from './store-info-routes';
import { registerHookRoutes } from './hooks-routes';
import { registerSettingsRoutes } from './settings-routes';
import type { SandboxState, StoreState } from './types';
import { DEFAULT_BLOCKLIST, DEFAULT_RETRY_DELAYS_MS, NINETY_DAYS_MS, WebhookDispatcher } from './webhooks';

export type { BigCommerceSandboxControl } from './control';
export type { LogEntry } from './event-log';
export type { ApiFault, FaultSettings, WebhookFaults } from './faults';
export type { AppliedAdjustment, SandboxPolicies } from './runtime';
export type { DeliveryAttempt, Order, SandboxState, StockMode, StoreState } from './types';
export type { NotificationEmail } from './webhooks';
export { DEFAULT_RETRY_DELAYS_MS, signWebhook } from './webhooks';

export interface BigCommerceSandboxConfig {
  basePath?: string;
  clientId: string;
  clientSecret: string;
  appCallbacks?: { auth: string; load: string; uninstall: string; removeUser: string };
  /** One quota for every store, overriding the plans' (benchmarks lift it). */
  quota?: { requests: number; windowMs: number };
  inventoryApplyDelayMs?: number;
  /**
   * Told of each Inventory API adjustment the moment the store applies it (asynchronously, after
   * inventoryApplyDelayMs): an observation point for simulations that check every write against
   * the ground truth at that instant. It observes only; the store behaves the same without it.
   */
  onAdjustmentApplied?: (applied: AppliedAdjustment) => void;
  /** Told of every event-log entry as it is added (webhook attempts, fault decisions, writes); observes only. */
  onEvent?: (entry: LogEntry) => void;
  /** Webhook retry delays; BigCommerce's documented schedule (60 s … 24 h) by default. */
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs?: number;
  fetch?: typeof fetch;
  /** Time and timers (webhooks, inventory applies, faults' holds, rate-limit windows). */
  clock?: SandboxClock;
  /** A clock reading for real timers: kept for tests that only move "now". Ignored with `clock`. */
  now?: () => number;
  /**
   * Ids, uuids, tokens, fault draws and webhook activation delays all derive from this seed; with
   * a VirtualClock one seed gives one run (control.eventLog()). Without it, a random seed.
   */
  seed?: number | string;
  /** Create the demo store (seed.ts) on start. */
  demoStore?: boolean;
  /** Hash of the demo store (default 'sandbox1'). */
  seedStoreHash?: string;
  /** Save state here (debounced JSON) and load it on create. */
  persistPath?: string;
  /** Switches for behaviours the docs leave open (runtime.ts, README.md). */
  policies?: Partial<SandboxPolicies>;
}

export interface BigCommerceSandbox {
  handle(req: Request): Promise<Response>;
  listen(port?: number): Promise<RunningServer>;
  control: BigCommerceSandboxControl;
  /** Stops timers (inventory applies, webhook retries) and flushes persistence. */
  close(): void;
}

export const DEFAULT_POLICIES: SandboxPolicies = {
  locationLimitCounts: 'enabled',
  enterpriseQuota: DEFAULT_ENTERPRISE_QUOTA,
  hookActivationMaxDelayMs: 0,
  hookInactivityMs: NINETY_DAYS_MS,
  webhookBlocklist: DEFAULT_BLOCKLIST,
  webhookBlockUsesRetrySlot: true,
  webhookFailureCounts: 'non-2xx',
  appEmail: 'app-developer@example.com',
  lowStockWebhook: 'on-crossing',
  hookStatus: 'by-cause',
};

function storeRouter(): Router {
  const router = new Router();
  registerStoreInfoRoutes(router);
  registerCatalogRoutes(router);
  registerProductDetailRoutes(router);
  registerCategoryRoutes(router);
  registerChannelRoutes(router);
  registerLocationRoutes(router);
  registerInventoryRoutes(router);
  registerOrderMessageRoutes(router);
  registerOrderRoutes(router);
  registerPickupRoutes(router);
  registerHookRoutes(router);
  registerSettingsRoutes(router);
  return router;
}

function errorResponse(version: string, error: HttpError): Response {
  if (version === 'v2') return v2Error(error.status, error.title);
  return v3Error(error.status, error.title, error.errors, error.contentType);
}

function clockFrom(config: BigCommerceSandboxConfig): SandboxClock {
  if (config.clock) return config.clock;
  const now = config.now;
  return now ? { ...realClock, now } : realClock;
}

async function bodyForLog(source: Request | Response): Promise<unknown> {
  const text = await source.clone().text().catch(() => '');
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function createBigCommerceSandbox(config: BigCommerceSandboxConfig): BigCommerceSandbox {
  const clock = clockFrom(config);
  const resolved: ResolvedConfig = {
    basePath: (config.basePath ?? '').replace(/\/$/, ''),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    appCallbacks: config.appCallbacks,
    quota: config.quota,
    inventoryApplyDelayMs: config.inventoryApplyDelayMs ?? 200,
    onAdjustmentApplied: config.onAdjustmentApplied,
    webhookRetryDelaysMs: config.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    webhookTimeoutMs: config.webhookTimeoutMs ?? 10_000,
    policies: { ...DEFAULT_POLICIES, ...config.policies },
    fetch: config.fetch ?? ((input, init) => fetch(input, init)),
    clock,
    now: () => clock.now(),
  };
  const loaded = config.persistPath ? loadState(config.persistPath) : undefined;
  const state: SandboxState = loaded ?? { stores: {}, grants: [], tokens: [] };
  // A restored sandbox continues its sequences; a fresh one starts from the seed.
  state.random ??= Randomness.initial(config.seed);
  const random = new Randomness(state.random);
  const saver = config.persistPath ? new DebouncedSaver(config.persistPath, () => state) : undefined;
  const faults = new Faults(random.stream('faults'), random.stream('webhooks'));
  const limiter = new RateLimiter();
  const log = new EventLog(() => clock.now(), undefined, config.onEvent);
  log.baseline(state.stores);
  const timers = new Set<SandboxTimer>();
  const inventoryTimers = new Map<string, SandboxTimer>();
  const changed = () => saver?.schedule();
  const dispatcher = new WebhookDispatcher({ config: resolved, faults, log, ids: random.stream('ids'), store: (hash) => state.stores[hash], onChange: changed });

  const rt: Runtime = {
    state,
    config: resolved,
    emit: (store, scope, data) => dispatcher.emit(store, scope, data),
    changed,
    ids: random.stream('ids'),
    webhookRandom: random.stream('webhooks'),
    log,
    webhooks: dispatcher,
    scheduleInventory(store: StoreState) {
      if (inventoryTimers.has(store.hash)) return;
      const next = Math.min(...store.pendingAdjustments.map((p) => p.apply_at));
      if (!Number.isFinite(next)) return;
      const timer = clock.setTimeout(() => {
        inventoryTimers.delete(store.hash);
        const current = state.stores[store.hash];
        if (!current) return;
        applyDueAdjustments(rt, current);
        log.observeStock(state.stores);
        if (current.pendingAdjustments.length > 0) rt.scheduleInventory(current);
      }, Math.max(0, next - clock.now()));
      inventoryTimers.set(store.hash, timer);
    },
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = clock.setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const seedHash = config.demoStore ? (config.seedStoreHash ?? 'sandbox1') : null;
  const control = observed(createControl({ rt, faults, limiter, dispatcher, seedHash }), log, () => log.observeStock(state.stores));
  if (seedHash && !state.stores[seedHash]) control.createStore({ hash: seedHash, name: 'Counterpart Demo Store', plan: 'Pro', seed: true });
  // Adjustments accepted before a restart are still owed their apply.
  for (const store of Object.values(state.stores)) if (store.pendingAdjustments.length > 0) rt.scheduleInventory(store);

  const api = storeRouter();
  const controls = controlRouter(control);

  function logFaults(hash: string, method: string, path: string, decision: ApiFaultDecision): void {
    for (const fired of decision.fired) log.add('fault.api', { store: hash, method, path, ...fired });
  }

  async function handleStore(req: Request, url: URL, hash: string, rest: string): Promise<Response> {
    const version = rest.startsWith('/v2/') ? 'v2' : 'v3';
    const store = state.stores[hash];
    if (!store) return version === 'v2' ? v2Error(404, 'Store not found') : v3Error(404, 'Store not found');
    const fault = faults.takeApi(hash, req.method, rest);
    logFaults(hash, req.method, rest, fault);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.hold && !fault.hold.applied) {
      await sleep(fault.hold.ms);
      return v3Error(504, 'Gateway Timeout');
    }
    const token = req.headers.get('x-auth-token');
    const authorised = token !== null && state.tokens.some((t) => t.token === token && t.store_hash === hash);
    if (!authorised) return version === 'v2' ? v2Error(401, 'You are not authorized to access this resource.') : v3Error(401, 'Unauthorized: the X-Auth-Token is missing or not valid for this store');
    const quota = quotaFor(store, resolved.quota, resolved.policies.enterpriseQuota);
    if (fault.status) {
      const headers = fault.status.rateLimitHeaders && fault.status.status === 429 ? rateHeaders({ ...limiter.peek(hash, quota, clock.now()), left: 0 }, true) : {};
      const response = v3Error(fault.status.status, fault.status.status === 429 ? 'Too many requests' : 'Sandbox fault: injected server error');
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return logWrite(req, rest, hash, response);
    }
    const rate = limiter.consume(hash, quota, clock.now());
    if (!rate.allowed) {
      const response = v3Error(429, 'Too many requests');
      for (const [name, value] of Object.entries(rateHeaders(rate, true))) response.headers.set(name, value);
      return logWrite(req, rest, hash, response);
    }
    const requestBody = isWrite(req) ? await bodyForLog(req) : undefined;
    const answered = await route(req, url, store, rest, version);
    const headers = new Headers(answered.headers);
    for (const [name, value] of Object.entries(rateHeaders(rate))) headers.set(name, value);
    let response = new Response(answered.body, { status: answered.status, headers });
    if (fault.hold?.applied) {
      await sleep(fault.hold.ms);
      response = v3Error(504, 'Gateway Timeout');
    } else if (fault.lost) response = lostResponse();
    log.observeStock(state.stores);
    return logWrite(req, rest, hash, response, requestBody, answered.status);
  }

  function isWrite(req: Request): boolean {
    return req.method !== 'GET' && req.method !== 'HEAD';
  }

  /** Logs a write and what its client saw (a lost or late answer notes what the store had answered). */
  async function logWrite(req: Request, path: string, hash: string, response: Response, requestBody?: unknown, applied?: number): Promise<Response> {
    if (!isWrite(req)) return response;
    const lost = isLostResponse(response);
    log.add('api', {
      store: hash,
      method: req.method,
      path: `${path}${new URL(req.url).search}`,
      request: requestBody ?? null,
      status: lost ? null : response.status,
      response: lost ? null : await bodyForLog(response),
      ...(applied !== undefined && (lost || applied !== response.status) ? { store_answered: applied } : {}),
    });
    return response;
  }

  async function route(req: Request, url: URL, store: StoreState, rest: string, version: string): Promise<Response> {
    const match = api.match(req.method, rest);
    if (!match) return version === 'v2' ? v2Error(404, 'The requested resource was not found.') : v3Error(404, 'The requested resource was not found.');
    if ('methodNotAllowed' in match) return version === 'v2' ? v2Error(405, 'Method not allowed') : v3Error(405, 'Method not allowed');
    try {
      return await match.handler({ rt, store, req, url, params: match.params });
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(version, error);
      return v3Error(500, error instanceof Error ? error.message : 'Internal error');
    }
  }

  async function handleControl(req: Request, url: URL, rest: string): Promise<Response> {
    const match = controls.match(req.method, rest);
    if (!match || 'methodNotAllowed' in match) return v3Error(404, 'Unknown sandbox control action');
    try {
      return await match.handler({ rt, req, url, params: match.params });
    } catch (error) {
      if (error instanceof HttpError) return v3Error(error.status, error.title, error.errors);
      if (error instanceof Error && error.name === 'ZodError') return v3Error(422, error.message);
      return v3Error(500, error instanceof Error ? error.message : 'Internal error');
    }
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (!url.pathname.startsWith(resolved.basePath)) return v3Error(404, 'Not found');
    const path = url.pathname.slice(resolved.basePath.length) || '/';
    if (path === '/oauth2/token') return req.method === 'POST' ? exchangeCode(rt, req) : json({ error: 'method_not_allowed' }, 405);
    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) return handleControl(req, url, path.slice('/_sandbox'.length) || '/');
    const m = /^\/stores\/([^/]+)(\/v[23]\/.*)$/.exec(path);
    if (!m) return v3Error(404, 'Not found');
    return handleStore(req, url, m[1]!, m[2]!.replace(/\/$/, ''));
  }

  return {
    handle,
    listen: (port?: number) => serve(handle, { port }),
    control,
    close() {
      dispatcher.close();
      for (const timer of [...timers, ...inventoryTimers.values()]) clock.clearTimeout(timer);
      timers.clear();
      inventoryTimers.clear();
      saver?.flush();
    },
  };
}

/** Control actions that only read: not logged as actions. */
const READ_ONLY_CONTROL = new Set(['listStores', 'store', 'stock', 'deliveries', 'webhooksIdle', 'webhooksSettled', 'eventLog', 'emails', 'signedPayload', 'storefront']);

/**
 * Wraps every control action so the event log records it (what a shopper or the merchant did:
 * a storefront order, a status change, a fault plan) and sees the stock changes it made, whether
 * the action came over HTTP or from a test in-process.
 */
function observed(control: BigCommerceSandboxControl, log: EventLog, after: () => void): BigCommerceSandboxControl {
  const wrapped = { ...control } as Record<string, unknown>;
  for (const [name, value] of Object.entries(control)) {
    if (typeof value !== 'function') continue;
    const fn = value as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      if (!READ_ONLY_CONTROL.has(name)) log.add('control', { action: name, args: JSON.parse(JSON.stringify(args)) as unknown });
      const result = fn(...args);
      after();
      return result;
    };
  }
  return wrapped as unknown as BigCommerceSandboxControl;
}
