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
import { serve, type RunningServer } from '../http';
import { registerCatalogRoutes } from './catalog-routes';
import { registerCategoryRoutes } from './categories-routes';
import { registerChannelRoutes } from './channels-routes';
import { controlRouter, createControl, type BigCommerceSandboxControl } from './control';
import { Faults } from './faults';
import { applyDueAdjustments, registerInventoryRoutes } from './inventory-routes';
import { registerLocationRoutes } from './locations-routes';
import { exchangeCode } from './oauth';
import { registerOrderRoutes } from './orders-routes';
import { registerPickupRoutes } from './pickup-routes';
import { registerProductDetailRoutes } from './product-details-routes';
import { DebouncedSaver, loadState } from './persistence';
import { rateHeaders, RateLimiter } from './ratelimit';
import { HttpError, json, v2Error, v3Error } from './responses';
import { Router } from './router';
import type { ResolvedConfig, Runtime } from './runtime';
import { registerStoreInfoRoutes } from './store-info-routes';
import { registerHookRoutes } from './hooks-routes';
import { registerSettingsRoutes } from './settings-routes';
import type { SandboxState, StoreState } from './types';
import { DEFAULT_RETRY_DELAYS_MS, WebhookDispatcher } from './webhooks';

export type { BigCommerceSandboxControl } from './control';
export type { ApiFault, FaultSettings, WebhookFaults } from './faults';
export type { DeliveryAttempt, Order, SandboxState, StockMode, StoreState } from './types';
export { signWebhook } from './webhooks';

export interface BigCommerceSandboxConfig {
  basePath?: string;
  clientId: string;
  clientSecret: string;
  appCallbacks?: { auth: string; load: string; uninstall: string; removeUser: string };
  quota?: { requests: number; windowMs: number };
  inventoryApplyDelayMs?: number;
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  seed?: boolean;
  /** Hash of the seeded demo store (default 'sandbox1'). */
  seedStoreHash?: string;
  /** Save state here (debounced JSON) and load it on create. */
  persistPath?: string;
}

export interface BigCommerceSandbox {
  handle(req: Request): Promise<Response>;
  listen(port?: number): Promise<RunningServer>;
  control: BigCommerceSandboxControl;
  /** Stops timers (inventory applies, webhook retries) and flushes persistence. */
  close(): void;
}

const STANDARD_QUOTA = { requests: 150, windowMs: 30_000 };

function storeRouter(): Router {
  const router = new Router();
  registerStoreInfoRoutes(router);
  registerCatalogRoutes(router);
  registerProductDetailRoutes(router);
  registerCategoryRoutes(router);
  registerChannelRoutes(router);
  registerLocationRoutes(router);
  registerInventoryRoutes(router);
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

function sleep(ms: number, timers: Set<ReturnType<typeof setTimeout>>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

export function createBigCommerceSandbox(config: BigCommerceSandboxConfig): BigCommerceSandbox {
  const resolved: ResolvedConfig = {
    basePath: (config.basePath ?? '').replace(/\/$/, ''),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    appCallbacks: config.appCallbacks,
    quota: config.quota ?? STANDARD_QUOTA,
    inventoryApplyDelayMs: config.inventoryApplyDelayMs ?? 200,
    webhookRetryDelaysMs: config.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    webhookTimeoutMs: config.webhookTimeoutMs ?? 10_000,
    fetch: config.fetch ?? ((input, init) => fetch(input, init)),
    now: config.now ?? Date.now,
    random: config.random ?? Math.random,
  };
  const loaded = config.persistPath ? loadState(config.persistPath) : undefined;
  const state: SandboxState = loaded ?? { stores: {}, grants: [], tokens: [] };
  const saver = config.persistPath ? new DebouncedSaver(config.persistPath, () => state) : undefined;
  const faults = new Faults(resolved.random);
  const limiter = new RateLimiter();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const inventoryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const changed = () => saver?.schedule();
  const dispatcher = new WebhookDispatcher(resolved, faults, changed);

  const rt: Runtime = {
    state,
    config: resolved,
    emit: (store, scope, data) => dispatcher.emit(store, scope, data),
    changed,
    scheduleInventory(store: StoreState) {
      if (inventoryTimers.has(store.hash)) return;
      const next = Math.min(...store.pendingAdjustments.map((p) => p.apply_at));
      if (!Number.isFinite(next)) return;
      const timer = setTimeout(() => {
        inventoryTimers.delete(store.hash);
        const current = state.stores[store.hash];
        if (!current) return;
        applyDueAdjustments(rt, current);
        if (current.pendingAdjustments.length > 0) rt.scheduleInventory(current);
      }, Math.max(0, next - resolved.now()));
      inventoryTimers.set(store.hash, timer);
    },
  };

  const seedHash = config.seed ? (config.seedStoreHash ?? 'sandbox1') : null;
  const control = createControl({ rt, faults, limiter, dispatcher, seedHash });
  if (seedHash && !state.stores[seedHash]) control.createStore({ hash: seedHash, name: 'Counterpart Demo Store', plan: 'Pro', seed: true });
  // Adjustments accepted before a restart are still owed their apply.
  for (const store of Object.values(state.stores)) if (store.pendingAdjustments.length > 0) rt.scheduleInventory(store);

  const api = storeRouter();
  const controls = controlRouter(control);

  async function handleStore(req: Request, url: URL, hash: string, rest: string): Promise<Response> {
    const version = rest.startsWith('/v2/') ? 'v2' : 'v3';
    const store = state.stores[hash];
    if (!store) return version === 'v2' ? v2Error(404, 'Store not found') : v3Error(404, 'Store not found');
    const fault = faults.takeApi(hash);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs, timers);
    if (fault.holdMs !== undefined) {
      await sleep(fault.holdMs, timers);
      return v3Error(504, 'Gateway Timeout');
    }
    const token = req.headers.get('x-auth-token');
    const authorised = token !== null && state.tokens.some((t) => t.token === token && t.store_hash === hash);
    if (!authorised) return version === 'v2' ? v2Error(401, 'You are not authorized to access this resource.') : v3Error(401, 'Unauthorized: the X-Auth-Token is missing or not valid for this store');
    const quota = store.quota ?? resolved.quota;
    if (fault.status) {
      const headers = fault.status.rateLimitHeaders && fault.status.status === 429 ? rateHeaders({ ...limiter.peek(hash, quota, resolved.now()), left: 0 }, true) : {};
      const response = v3Error(fault.status.status, fault.status.status === 429 ? 'Too many requests' : 'Sandbox fault: injected server error');
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return response;
    }
    const rate = limiter.consume(hash, quota, resolved.now());
    if (!rate.allowed) {
      const response = v3Error(429, 'Too many requests');
      for (const [name, value] of Object.entries(rateHeaders(rate, true))) response.headers.set(name, value);
      return response;
    }
    const response = await route(req, url, store, rest, version);
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(rateHeaders(rate))) headers.set(name, value);
    return new Response(response.body, { status: response.status, headers });
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
      for (const timer of [...timers, ...inventoryTimers.values()]) clearTimeout(timer);
      timers.clear();
      inventoryTimers.clear();
      saver?.flush();
    },
  };
}
