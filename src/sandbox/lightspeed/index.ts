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
import { serve, type RunningServer } from '../http';
import { handleApi, type ApiVersion } from './api';
import { createRetailer, DEFAULT_DOMAIN_PREFIX, type SeedOptions } from './catalog';
import type { SandboxContext } from './context';
import { createControl, handleControl, type LightspeedControl } from './control';
import { FaultInjector, sleep } from './faults';
import { seededRandom } from './ids';
import { SandboxError } from './inventory';
import { connectPage, OAuthError, OAuthServer } from './oauth';
import { DebouncedWriter, loadState } from './persist';
import { DEFAULT_RATE_LIMIT, httpDate, RateLimiter, rateLimitHeaders, type RateLimitOptions } from './ratelimit';
import { errorResponse, json } from './respond';
import type { Retailer } from './types';
import { WebhookDispatcher } from './webhooks';

export type { LightspeedControl } from './control';
export type { ApiFault } from './faults';
export type { WebhookFaults, DeliveryAttempt } from './webhooks';
export { signBody } from './webhooks';
export { DEFAULT_DOMAIN_PREFIX } from './catalog';

export interface LightspeedSandboxConfig {
  basePath?: string;
  /** The app's credentials: token exchange and the webhook X-Signature key. */
  clientId: string;
  clientSecret: string;
  /** Access-token lifetime; the real one is 604800 s (7 days). */
  accessTokenTtlSeconds?: number;
  /** Delays between webhook retries; one entry per retry. */
  webhookRetryDelaysMs?: number[];
  /** Per-attempt webhook timeout (the real service expects a 2xx within 5 s). */
  webhookTimeoutMs?: number;
  /** The X-Signature digest encoding (undocumented by Lightspeed; see webhooks.ts). */
  webhookSignatureEncoding?: 'base64' | 'hex';
  /** Used to deliver webhooks. */
  fetch?: typeof fetch;
  now?: () => number;
  seed?: boolean | SeedOptions;
  /** Rate-limit window and formula terms; the real ones are 5 minutes, 300 × registers + 50. */
  rateLimit?: Partial<RateLimitOptions>;
  /** Optional JSON persistence (debounced). */
  persistPath?: string;
  domainPrefix?: string;
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

function normaliseBasePath(basePath: string | undefined): string {
  if (!basePath || basePath === '/') return '';
  return `/${basePath.replace(/^\/+|\/+$/g, '')}`;
}

export function createLightspeedSandbox(config: LightspeedSandboxConfig): LightspeedSandbox {
  const basePath = normaliseBasePath(config.basePath);
  const now = config.now ?? Date.now;
  const seed = config.seed ?? true;
  const domainPrefix = config.domainPrefix ?? DEFAULT_DOMAIN_PREFIX;
  const random = seededRandom(typeof seed === 'object' ? (seed.seedRandom ?? 7) : 7);
  const oauth = new OAuthServer(config.clientId, config.clientSecret, config.accessTokenTtlSeconds ?? 604800, now);
  const faults = new FaultInjector(random);
  const rateLimiter = new RateLimiter({ ...DEFAULT_RATE_LIMIT, ...config.rateLimit }, now);
  const webhooks = new WebhookDispatcher({
    clientSecret: config.clientSecret,
    fetch: config.fetch ?? globalThis.fetch.bind(globalThis),
    retryDelaysMs: config.webhookRetryDelaysMs ?? [1_000, 5_000, 30_000, 120_000, 600_000],
    random,
    now,
    timeoutMs: config.webhookTimeoutMs ?? 5_000,
    signatureEncoding: config.webhookSignatureEncoding ?? 'base64',
    environment: 'prod',
  });

  let writer: DebouncedWriter | null = null;
  const ctx: SandboxContext = {
    now,
    retailers: {},
    emit: (retailer, type, payload) => webhooks.enqueue(retailer, type, payload),
    changed: () => writer?.schedule(),
  };
  const restored = config.persistPath ? loadState(config.persistPath) : null;
  if (restored) {
    ctx.retailers = restored.retailers;
    oauth.state = restored.oauth;
  } else {
    ctx.retailers[domainPrefix] = createRetailer(domainPrefix, now(), seed);
  }
  if (config.persistPath) writer = new DebouncedWriter(config.persistPath, () => ({ format: 1, retailers: ctx.retailers, oauth: oauth.state }));

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
    const fault = faults.next(apiPath);
    if (fault?.kind === '429') {
      return json(429, { error: 'Too Many Requests', message: 'Rate limiting enforced' }, { 'retry-after': httpDate(now() + 1000) });
    }
    if (fault?.kind === '5xx') return errorResponse(fault.status ?? 503, 'Service Unavailable');
    if (fault?.kind === 'timeout') {
      await sleep(fault.delayMs ?? 30_000, req.signal);
      return errorResponse(504, 'Gateway Timeout');
    }
    if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 2_000, req.signal);

    const token = oauth.authenticate(req.headers.get('authorization'), retailer.domain_prefix);
    if (!token) return json(401, { error: 'Access token is not valid' }, { 'www-authenticate': 'Bearer' });

    const decision = rateLimiter.take(`${retailer.domain_prefix}:${config.clientId}`, registerCount(retailer));
    const limitHeaders = rateLimitHeaders(decision);
    if (!decision.allowed) {
      return json(429, { error: 'Too Many Requests', message: 'Rate limiting enforced' }, { ...limitHeaders, 'retry-after': httpDate(decision.resetAt) });
    }
    let response: Response;
    try {
      response = await handleApi({ ctx, req, url, retailer, token, version, segments });
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      response = errorResponse(error.status, error.message, error.details);
    }
    for (const [name, value] of Object.entries(limitHeaders)) response.headers.set(name, value);
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
