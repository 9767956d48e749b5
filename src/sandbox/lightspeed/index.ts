/**
 * An emulated Lightspeed Retail X-Series retailer, as one Fetch-API handler.
 *
 * URL layout, relative to `basePath`:
 *   GET|POST /connect                          the authorize page (stands in for secure.retail.lightspeed.app/connect)
 *   POST     /{domain_prefix}/api/1.0/token    token exchange and refresh (form-encoded)
 *   *        /{domain_prefix}/api/2026-07/…    the retailer API (also /api/2.0/… and /api/2.1/…)
 *   *        /_sandbox/…                       control actions (JSON), see control.ts
 * so the app's API base URL `<origin><basePath>/{domain_prefix}` stands in for
 * `https://{domain_prefix}.retail.lightspeed.app`.
 *
 * Independent of the app by design (DESIGN §6): nothing here imports from src/integrations,
 * src/core or src/db, so a misreading of the API cannot hide by being made twice.
 */
import { realClock, type SandboxClock } from '../clock';
import { lostResponse, serve, type RunningServer } from '../http';
import { handleApi, type ApiVersion } from './api';
import { createRetailer, DEFAULT_DOMAIN_PREFIX, type SeedOptions } from './catalog';
import type { SandboxContext } from './context';
import { createControl, handleControl, type LightspeedControl } from './control';
import { bodyValue, EventLog, type SandboxEvent } from './event-log';
import { FaultInjector, sleep } from './faults';
import { runRandom, uuidFrom } from './ids';
import { SandboxError } from './inventory';
import { connectPage, OAuthError, OAuthServer } from './oauth';
import { DebouncedWriter, loadState, normaliseRetailer } from './persist';
import { DEFAULT_SALE_POLICIES, type SalePolicies } from './policies';
import { DEFAULT_RATE_LIMIT, httpDate, RateLimiter, rateLimitHeaders, type RateLimitOptions } from './ratelimit';
import { errorResponse, json } from './respond';
import type { Retailer } from './types';
import { LIGHTSPEED_RETRY_DELAYS_MS, WEBHOOK_TIMEOUT_MS } from './webhook-schedule';
import { WebhookDispatcher } from './webhooks';

export type { LightspeedControl } from './control';
export type { ApiFault } from './faults';
export type { SandboxEvent } from './event-log';
export type { SalePolicies } from './policies';
export type { WebhookFaults, DeliveryAttempt } from './webhooks';
export { signBody } from './webhooks';
export { DEFAULT_DOMAIN_PREFIX } from './catalog';
export { LIGHTSPEED_RETRY_DELAYS_MS } from './webhook-schedule';

export interface LightspeedSandboxConfig {
  basePath?: string;
  /** The app's credentials: token exchange and the webhook X-Signature key. */
  clientId: string;
  clientSecret: string;
  /** Access-token lifetime; the real one is 604800 s (7 days). */
  accessTokenTtlSeconds?: number;
  /** Delays before each webhook retry (default: Lightspeed's 20 retries over 48 h, webhook-schedule.ts). */
  webhookRetryDelaysMs?: number[];
  /** Up to this fraction is taken off each retry delay, drawn from the run seed (default 0.1). */
  webhookRetryJitter?: number;
  /** Per-attempt webhook timeout (the real service expects a 2xx within 5 s). */
  webhookTimeoutMs?: number;
  /** Switch a subscription off after this many deliveries in a row exhaust their retries (undocumented; default never). */
  webhookDeactivateAfterFailedDeliveries?: number | null;
  /** The X-Signature digest encoding (undocumented by Lightspeed; see webhooks.ts). */
  webhookSignatureEncoding?: 'base64' | 'hex';
  /** Used to deliver webhooks. */
  fetch?: typeof fetch;
  /** Time and timers (default: the real clock). A VirtualClock runs hours of platform time in milliseconds. */
  clock?: SandboxClock;
  /** Read time from here instead of `clock` (timers still use `clock`). */
  now?: () => number;
  /**
   * The run seed: every id the sandbox hands out after start-up, the fault choices made with a
   * probability and the webhook back-off jitter derive from it. Same seed, same clock, same
   * requests → the same event log (control.eventLog()). Default 1.
   */
  runSeed?: number;
  /** The seeded catalog (unchanged by `runSeed`). */
  seed?: boolean | SeedOptions;
  /** Behaviours the docs leave open (policies.ts); the defaults are documented in README.md. */
  policies?: Partial<SalePolicies>;
  /** Rate-limit window and formula terms; the real ones are 5 minutes, 300 × registers + 50. */
  rateLimit?: Partial<RateLimitOptions>;
  /** Optional JSON persistence (debounced). */
  persistPath?: string;
  domainPrefix?: string;
  /**
   * Told of every event-log entry the moment it is recorded (stock movements, API writes,
   * webhook attempts): an observation point for simulations, which read the ground truth at
   * the instant a change happens. It observes only; the sandbox behaves the same without it.
   */
  onEvent?: (event: SandboxEvent) => void;
}

export interface LightspeedSandbox {
  handle(req: Request): Promise<Response>;
  listen(port?: number, host?: string): Promise<RunningServer>;
  control: LightspeedControl;
  readonly clientId: string;
  readonly domainPrefix: string;
  /** Stop webhook timers and flush persistence. */
  close(): Promise<void>;
}

const API_VERSIONS = new Set<ApiVersion>(['2026-07', '2.0', '2.1']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function normaliseBasePath(basePath: string | undefined): string {
  if (!basePath || basePath === '/') return '';
  return `/${basePath.replace(/^\/+|\/+$/g, '')}`;
}

export function createLightspeedSandbox(config: LightspeedSandboxConfig): LightspeedSandbox {
  const basePath = normaliseBasePath(config.basePath);
  const baseClock = config.clock ?? realClock;
  const clock: SandboxClock = config.now ? { now: config.now, setTimeout: (fn, ms) => baseClock.setTimeout(fn, ms), clearTimeout: (t) => baseClock.clearTimeout(t) } : baseClock;
  const now = () => clock.now();
  const seed = config.seed ?? true;
  const domainPrefix = config.domainPrefix ?? DEFAULT_DOMAIN_PREFIX;
  const restored = config.persistPath ? loadState(config.persistPath) : null;
  const random = runRandom(config.runSeed ?? 1);
  // A restarted sandbox carries on its streams instead of handing out the same ids again.
  if (restored?.random) {
    random.ids.state = restored.random.ids;
    random.faults.state = restored.random.faults;
    random.webhooks.state = restored.random.webhooks;
  }
  const events = new EventLog(clock, config.onEvent);
  const newId = () => uuidFrom(random.ids.random);
  const oauth = new OAuthServer(config.clientId, config.clientSecret, config.accessTokenTtlSeconds ?? 604800, now);
  const faults = new FaultInjector(random.faults);
  const rateLimiter = new RateLimiter({ ...DEFAULT_RATE_LIMIT, ...config.rateLimit }, now);
  let writer: DebouncedWriter | null = null;
  const webhooks = new WebhookDispatcher({
    clientSecret: config.clientSecret,
    fetch: config.fetch ?? globalThis.fetch.bind(globalThis),
    clock,
    retryDelaysMs: config.webhookRetryDelaysMs ?? LIGHTSPEED_RETRY_DELAYS_MS,
    jitter: config.webhookRetryJitter ?? 0.1,
    random: random.webhooks,
    newId,
    events,
    timeoutMs: config.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS,
    signatureEncoding: config.webhookSignatureEncoding ?? 'base64',
    environment: 'prod',
    deactivateAfterFailedDeliveries: config.webhookDeactivateAfterFailedDeliveries ?? null,
    onDeactivate: () => writer?.schedule(),
  });

  const ctx: SandboxContext = {
    clock,
    now,
    retailers: {},
    newId,
    events,
    policies: { ...DEFAULT_SALE_POLICIES, ...config.policies },
    emit: (retailer, type, payload) => webhooks.enqueue(retailer, type, payload),
    changed: () => writer?.schedule(),
  };
  if (restored) {
    ctx.retailers = Object.fromEntries(Object.entries(restored.retailers).map(([k, r]) => [k, normaliseRetailer(r)]));
    oauth.state = restored.oauth;
  } else {
    ctx.retailers[domainPrefix] = createRetailer(domainPrefix, now(), seed);
  }
  if (config.persistPath) {
    writer = new DebouncedWriter(config.persistPath, () => ({
      format: 1,
      retailers: ctx.retailers,
      oauth: oauth.state,
      random: { ids: random.ids.state, faults: random.faults.state, webhooks: random.webhooks.state },
    }));
  }

  const registerCount = (r: Retailer): number => Object.values(r.registers).filter((g) => g.deleted_at === null).length;
  const control = createControl({ ctx, oauth, faults, webhooks, rateLimiter, defaultDomainPrefix: domainPrefix, seed, registerCount });

  async function handleToken(req: Request, prefix: string): Promise<Response> {
    if (req.method !== 'POST') return errorResponse(405, 'method not allowed');
    const type = req.headers.get('content-type') ?? '';
    if (!type.includes('application/x-www-form-urlencoded'))
      return json(400, { error: 'invalid_request', error_description: 'the token request must be form-encoded' });
    try {
      const body = oauth.exchange(new URLSearchParams(await req.text()), prefix);
      ctx.changed();
      return json(200, body, { 'cache-control': 'no-store' });
    } catch (error) {
      if (error instanceof OAuthError) return json(error.status, { error: error.code, error_description: error.description });
      throw error;
    }
  }

  async function handleConnect(req: Request, url: URL): Promise<Response> {
    if (req.method === 'GET') {
      const q = url.searchParams;
      if (q.get('response_type') !== 'code') return errorResponse(400, 'response_type must be code');
      if (q.get('client_id') !== config.clientId) return errorResponse(400, 'unknown client_id');
      const redirectUri = q.get('redirect_uri');
      if (!redirectUri) return errorResponse(400, 'redirect_uri is required');
      const html = connectPage({
        action: `${basePath}/connect`,
        clientId: config.clientId,
        redirectUri,
        state: q.get('state') ?? '',
        scope: q.get('scope') ?? '',
        retailers: Object.values(ctx.retailers).map((r) => ({ domain_prefix: r.domain_prefix, name: r.name })),
      });
      return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
    }
    if (req.method === 'POST') {
      const form = new URLSearchParams(await req.text());
      if (form.get('client_id') !== config.clientId) return errorResponse(400, 'unknown client_id');
      const redirectUri = form.get('redirect_uri') ?? '';
      const issued = control.issueAuthCode({
        domain_prefix: form.get('domain_prefix') ?? domainPrefix,
        redirect_uri: redirectUri,
        scope: form.get('scope') ?? '',
      });
      const target = new URL(redirectUri);
      target.searchParams.set('code', issued.code);
      target.searchParams.set('domain_prefix', issued.domain_prefix);
      target.searchParams.set('state', form.get('state') ?? '');
      target.searchParams.set('scope', issued.scope);
      return new Response(null, { status: 302, headers: { location: target.toString() } });
    }
    return errorResponse(405, 'method not allowed');
  }

  async function handleRetailerApi(req: Request, url: URL, retailer: Retailer, version: ApiVersion, segments: string[]): Promise<Response> {
    const apiPath = `/api/${version}/${segments.join('/')}`;
    const method = req.method.toUpperCase();
    const decision = faults.next(method, apiPath);
    const fault = decision?.fault;
    if (decision) events.record({ kind: 'fault', scope: 'api', fault: decision.fault.kind, target: `${method} ${apiPath}`, detail: { plan_entry: decision.index, by: decision.how } });
    if (fault?.kind === '429') {
      return json(429, { error: 'Too Many Requests', message: 'Rate limiting enforced' }, { 'retry-after': httpDate(now() + 1000) });
    }
    if (fault?.kind === '5xx') return errorResponse(fault.status ?? 503, 'Service Unavailable');
    if (fault?.kind === 'timeout') {
      await sleep(clock, fault.delayMs ?? 30_000, req.signal);
      return errorResponse(504, 'Gateway Timeout');
    }
    if (fault?.kind === 'slow') await sleep(clock, fault.delayMs ?? 2_000, req.signal);

    const token = oauth.authenticate(req.headers.get('authorization'), retailer.domain_prefix);
    if (!token) return json(401, { error: 'Access token is not valid' }, { 'www-authenticate': 'Bearer' });

    const limit = rateLimiter.take(`${retailer.domain_prefix}:${config.clientId}`, registerCount(retailer));
    const limitHeaders = rateLimitHeaders(limit);
    if (!limit.allowed) {
      return json(429, { error: 'Too Many Requests', message: 'Rate limiting enforced' }, { ...limitHeaders, 'retry-after': httpDate(limit.resetAt) });
    }
    const write = WRITE_METHODS.has(method);
    const requestText = write ? await req.clone().text() : '';
    let response: Response;
    try {
      response = await handleApi({ ctx, req, url, retailer, token, version, segments });
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      response = errorResponse(error.status, error.message, error.details);
    }
    for (const [name, value] of Object.entries(limitHeaders)) response.headers.set(name, value);
    const lost = fault?.kind === 'lost';
    if (write || lost) {
      const text = await response.clone().text();
      events.record({ kind: 'api', method, path: apiPath, status: response.status, request: bodyValue(requestText), response: bodyValue(text), lost });
    }
    if (lost) {
      // Applied, and the answer never arrives: the connection is reset (after a delay, a client timeout).
      if (fault.delayMs) await sleep(clock, fault.delayMs, req.signal);
      return lostResponse();
    }
    return response;
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    let path = url.pathname;
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) return errorResponse(404, 'not found');
      path = path.slice(basePath.length) || '/';
    }
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [first, second, third, ...rest] = segments;
    try {
      if (first === '_sandbox') return await handleControl(control, req, segments.slice(1));
      if (first === 'connect' && segments.length === 1) return await handleConnect(req, url);
      if (first === undefined) return json(200, { service: 'lightspeed-x-series-sandbox', retailers: Object.keys(ctx.retailers) });
      const retailer = ctx.retailers[first];
      if (!retailer || second !== 'api') return errorResponse(404, 'not found');
      if (third === '1.0' && rest.length === 1 && rest[0] === 'token') return await handleToken(req, retailer.domain_prefix);
      if (third && API_VERSIONS.has(third as ApiVersion)) return await handleRetailerApi(req, url, retailer, third as ApiVersion, rest);
      return errorResponse(404, 'not found');
    } catch (error) {
      if (error instanceof SandboxError) return errorResponse(error.status, error.message, error.details);
      return errorResponse(500, error instanceof Error ? error.message : 'internal error');
    }
  }

  return {
    handle,
    listen: (port?: number, host?: string) => serve(handle, { port, host }),
    control,
    clientId: config.clientId,
    domainPrefix,
    async close() {
      webhooks.close();
      await writer?.flush();
    },
  };
}
