/**
 * The Lightspeed client's transport and token handling over a real socket, against a small
 * stand-in retailer that behaves as the research brief describes: a token endpoint on the
 * retailer domain whose refresh tokens rotate (the old one is revoked on use), bearer-checked
 * API routes, a per-app sliding-window limit of 300 × registers + 50 per window answering 429
 * with `Retry-After` as an HTTP date, and injectable 5xx and hanging responses.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createLightspeedClient,
  LightspeedReconnectRequired,
  RequestBudget,
  TokenManager,
  tokenManagerAuth,
  type CallRecord,
  type LightspeedOAuthConfig,
  type Tokens,
  type TokenStore,
} from '../../src/integrations/lightspeed';
import { serve, type RunningServer } from '../../src/sandbox/http';

type Fault = { kind: 'status'; status: number } | { kind: 'hang'; ms: number } | { kind: '429'; retryAfter: string };

class FakeRetailer {
  accessToken = 'at-0';
  refreshToken = 'rt-0';
  expiresIn = 3600;
  issued = 0;
  refreshRequests = 0;
  refreshInFlight = 0;
  maxRefreshInFlight = 0;
  /** Rate limit: 300 × registers + 50 requests per window, per app. */
  registers = 0;
  windowMs = 1000;
  arrivals: number[] = [];
  apiRequests: { method: string; path: string; at: number; status: number }[] = [];
  faults: Fault[] = [];
  webhooks: { id: string; url: string; type: string; active: boolean }[] = [];

  get limit(): number {
    return 300 * this.registers + 50;
  }

  handle = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const match = /^\/r\/([a-z0-9-]+)(\/.*)$/.exec(url.pathname);
    if (!match || match[1] !== 'shop') return Response.json({ error: 'unknown retailer' }, { status: 404 });
    const path = match[2]!;
    if (path === '/api/1.0/token' && req.method === 'POST') return this.token(new URLSearchParams(await req.text()));
    if (path.startsWith('/api/2026-07/')) return this.api(req, path.slice('/api/2026-07'.length));
    return Response.json({ error: 'Not Found' }, { status: 404 });
  };

  private async token(form: URLSearchParams): Promise<Response> {
    if (form.get('client_id') !== 'cid' || form.get('client_secret') !== 'csecret') return Response.json({ error: 'invalid_client' }, { status: 401 });
    if (form.get('grant_type') !== 'refresh_token') return Response.json({ error: 'unsupported_grant_type' }, { status: 400 });
    this.refreshRequests++;
    this.refreshInFlight++;
    this.maxRefreshInFlight = Math.max(this.maxRefreshInFlight, this.refreshInFlight);
    try {
      // Slow enough that concurrent callers overlap with it.
      await new Promise((r) => setTimeout(r, 60));
      if (form.get('refresh_token') !== this.refreshToken) return Response.json({ error: 'invalid_grant' }, { status: 400 });
      this.issued++;
      // Rotation: the refresh token just used is revoked, as is the old access token.
      this.accessToken = `at-${this.issued}`;
      this.refreshToken = `rt-${this.issued}`;
      return Response.json({
        access_token: this.accessToken,
        token_type: 'Bearer',
        expires: Math.floor(Date.now() / 1000) + this.expiresIn,
        expires_in: this.expiresIn,
        refresh_token: this.refreshToken,
        domain_prefix: 'shop',
        scope: 'outlets:read webhooks',
      });
    } finally {
      this.refreshInFlight--;
    }
  }

  private async api(req: Request, path: string): Promise<Response> {
    const now = Date.now();
    this.arrivals = this.arrivals.filter((t) => t > now - this.windowMs);
    const record = (status: number) => this.apiRequests.push({ method: req.method, path, at: now, status });
    if (this.arrivals.length >= this.limit) {
      record(429);
      // Lightspeed sends an RFC 1123 date, and only whole seconds.
      return Response.json(
        { error: 'Too Many Requests', message: 'Rate limiting enforced' },
        { status: 429, headers: { 'retry-after': new Date(this.arrivals[0]! + this.windowMs + 1000).toUTCString() } },
      );
    }
    this.arrivals.push(now);
    const headers = { 'x-ratelimit-limit': String(this.limit), 'x-ratelimit-remaining': String(this.limit - this.arrivals.length) };

    const fault = this.faults.shift();
    if (fault?.kind === 'status') {
      record(fault.status);
      return Response.json({ error: 'injected' }, { status: fault.status, headers });
    }
    if (fault?.kind === '429') {
      record(429);
      return Response.json({ error: 'Too Many Requests', message: 'Rate limiting enforced' }, { status: 429, headers: { ...headers, 'retry-after': fault.retryAfter } });
    }
    if (fault?.kind === 'hang') await new Promise((r) => setTimeout(r, fault.ms));

    if (req.headers.get('authorization') !== `Bearer ${this.accessToken}`) {
      record(401);
      return Response.json({ error: 'invalid_token' }, { status: 401, headers });
    }
    record(200);
    if (path === '/outlets' && req.method === 'GET') {
      return Response.json({ data: [{ id: 'o1', name: 'Main St', time_zone: 'Europe/London', currency: 'GBP', version: 3 }], version: { min: 3, max: 3 } }, { headers });
    }
    if (path === '/webhooks' && req.method === 'GET') return Response.json({ data: this.webhooks.map((w) => ({ ...w, retailer_id: 'ret' })) }, { headers });
    if (path === '/webhooks' && req.method === 'POST') {
      const body = (await req.json()) as { url: string; type: string; active: boolean };
      if (this.webhooks.some((w) => w.url === body.url && w.type === body.type)) {
        this.apiRequests.at(-1)!.status = 409;
        return Response.json({ error: 'A webhook with this type and URL already exists.' }, { status: 409, headers });
      }
      const webhook = { id: `wh-${this.webhooks.length + 1}`, ...body };
      this.webhooks.push(webhook);
      this.apiRequests.at(-1)!.status = 201;
      return Response.json({ data: { ...webhook, retailer_id: 'ret' } }, { status: 201, headers });
    }
    return Response.json({ error: 'Not Found' }, { status: 404, headers });
  }
}

class MemoryTokenStore implements TokenStore {
  tokens = new Map<string, Tokens>();
  reconnect = new Map<string, string>();
  saves = 0;
  async load(storeId: string) {
    const t = this.tokens.get(storeId);
    return t ? { ...t } : undefined;
  }
  async save(storeId: string, tokens: Tokens) {
    this.saves++;
    this.tokens.set(storeId, { ...tokens });
  }
  async markReconnectRequired(storeId: string, reason: string) {
    this.reconnect.set(storeId, reason);
  }
}

/** An in-process stand-in for a cross-process lock (e.g. a Postgres advisory lock). */
function keyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    tails.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  };
}

let server: RunningServer;
let retailer: FakeRetailer;
let store: MemoryTokenStore;
let oauth: LightspeedOAuthConfig;
let calls: CallRecord[];

beforeAll(async () => {
  server = await serve((req) => retailer.handle(req));
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => {
  retailer = new FakeRetailer();
  store = new MemoryTokenStore();
  calls = [];
  oauth = { clientId: 'cid', clientSecret: 'csecret', redirectUri: 'http://app/cb', authUrl: server.url, apiUrlTemplate: `${server.url}/r/{domain_prefix}` };
});

function expiredTokens(): Tokens {
  return { accessToken: 'at-0', refreshToken: 'rt-0', tokenType: 'Bearer', expiresAt: Date.now() - 1000, domainPrefix: 'shop', scopes: [] };
}

function client(manager: TokenManager, options: { budget?: RequestBudget; timeoutMs?: number } = {}) {
  return createLightspeedClient({
    apiUrlTemplate: oauth.apiUrlTemplate,
    domainPrefix: 'shop',
    auth: tokenManagerAuth(manager, 'store-1'),
    budget: options.budget ?? new RequestBudget({ registers: 0, windowMs: retailer.windowMs }),
    recorder: (c) => calls.push(c),
    backoffBaseMs: 20,
    backoffCapMs: 200,
    timeoutMs: options.timeoutMs ?? 2000,
  });
}

describe('token refresh with rotating refresh tokens', () => {
  it('20 parallel calls with an expired token make exactly one refresh and all use the one new token', async () => {
    await store.save('store-1', expiredTokens());
    const manager = new TokenManager({ oauth, store });
    const ls = client(manager);
    const results = await Promise.all(Array.from({ length: 20 }, () => ls.outlets.list()));
    expect(results.every((page) => page.items[0]?.name === 'Main St')).toBe(true);
    expect(retailer.refreshRequests).toBe(1);
    expect(retailer.maxRefreshInFlight).toBe(1);
    expect(retailer.apiRequests.filter((r) => r.status !== 200)).toEqual([]);
    const saved = await store.load('store-1');
    expect(saved).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1', domainPrefix: 'shop' });
    expect(saved!.expiresAt).toBeGreaterThan(Date.now() + 3000_000);
    expect(retailer.refreshToken).toBe('rt-1');
  });

  it('two token managers sharing a store and a lock (two processes) still refresh once', async () => {
    await store.save('store-1', expiredTokens());
    const withLock = keyedLock();
    const a = client(new TokenManager({ oauth, store, withLock }));
    const b = client(new TokenManager({ oauth, store, withLock }));
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).outlets.list()));
    expect(retailer.refreshRequests).toBe(1);
    expect(retailer.apiRequests.every((r) => r.status === 200)).toBe(true);
    expect((await store.load('store-1'))?.refreshToken).toBe('rt-1');
  });

  it('a rejected refresh marks the store reconnect-required and every waiting caller gets the typed error', async () => {
    // The stored refresh token was already rotated elsewhere: Lightspeed answers invalid_grant.
    retailer.refreshToken = 'rt-someone-else';
    await store.save('store-1', expiredTokens());
    const ls = client(new TokenManager({ oauth, store }));
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => ls.outlets.list()));
    expect(retailer.refreshRequests).toBe(1);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(LightspeedReconnectRequired);
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ storeId: 'store-1' });
    }
    expect(store.reconnect.get('store-1')).toMatch(/400.*invalid_grant/);
    expect(retailer.apiRequests).toEqual([]);
  });

  it('a 401 on a token that has not expired (revoked elsewhere) renews once and retries', async () => {
    await store.save('store-1', { ...expiredTokens(), accessToken: 'at-stale', expiresAt: Date.now() + 3600_000 });
    const ls = client(new TokenManager({ oauth, store }));
    const page = await ls.outlets.list();
    expect(page.items).toHaveLength(1);
    expect(retailer.refreshRequests).toBe(1);
    expect(calls.map((c) => c.status)).toEqual([401, 200]);
  });
});

describe('rate limiting and retries', () => {
  async function connected() {
    await store.save('store-1', { ...expiredTokens(), expiresAt: Date.now() + 3600_000 });
    return new TokenManager({ oauth, store });
  }

  it('a burst of 130 under a 50-per-second budget gets zero 429s', async () => {
    const manager = await connected();
    const ls = client(manager, { budget: new RequestBudget({ registers: 0, windowMs: retailer.windowMs, guardMs: 100 }) });
    const started = Date.now();
    const pages = await Promise.all(Array.from({ length: 130 }, () => ls.outlets.list()));
    expect(pages).toHaveLength(130);
    expect(retailer.apiRequests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(retailer.apiRequests).toHaveLength(130);
    // It had to wait for two windows to pass: the budget was really enforced, not just lucky.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * retailer.windowMs);
  });

  it('without a matching local budget the server does send 429s, which are waited out per Retry-After', async () => {
    const manager = await connected();
    // A client that believes there are 10 registers when the retailer has none: it will overrun.
    const ls = client(manager, { budget: new RequestBudget({ registers: 10, windowMs: retailer.windowMs }) });
    const pages = await Promise.all(Array.from({ length: 60 }, () => ls.outlets.list()));
    expect(pages).toHaveLength(60);
    const refused = retailer.apiRequests.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    // The server's X-RateLimit-Limit header corrected the client's belief.
    expect(ls.budget.limit).toBe(50);
  });

  it('a 429 with an HTTP-date Retry-After is waited out before the retry', async () => {
    const manager = await connected();
    const ls = client(manager);
    const retryAt = new Date(Date.now() + 2000);
    retailer.faults.push({ kind: '429', retryAfter: retryAt.toUTCString() });
    const page = await ls.outlets.list();
    expect(page.items).toHaveLength(1);
    const [refused, accepted] = retailer.apiRequests;
    expect(refused?.status).toBe(429);
    expect(accepted?.status).toBe(200);
    // The date has whole-second precision; the retry must not come before it.
    expect(accepted!.at).toBeGreaterThanOrEqual(Math.floor(retryAt.getTime() / 1000) * 1000);
    expect(calls.map((c) => [c.status, c.attempt])).toEqual([
      [429, 1],
      [200, 2],
    ]);
  });

  it('5xx answers and a timeout are retried with backoff, then succeed', async () => {
    const manager = await connected();
    const ls = client(manager, { timeoutMs: 250 });
    retailer.faults.push({ kind: 'status', status: 503 }, { kind: 'hang', ms: 1000 }, { kind: 'status', status: 500 });
    const page = await ls.outlets.list();
    expect(page.items[0]?.id).toBe('o1');
    expect(calls.map((c) => [c.path, c.status, c.attempt, c.error])).toEqual([
      ['/outlets', 503, 1, 'server'],
      ['/outlets', null, 2, 'timeout'],
      ['/outlets', 500, 3, 'server'],
      ['/outlets', 200, 4, undefined],
    ]);
  });

  it('409 on webhook create is success, and the existing subscription is returned', async () => {
    const manager = await connected();
    const ls = client(manager);
    const first = await ls.webhooks.create({ type: 'inventory.update', url: 'https://app.example/api/ls/webhooks/store-1/inventory.update' });
    const second = await ls.webhooks.create({ type: 'inventory.update', url: 'https://app.example/api/ls/webhooks/store-1/inventory.update' });
    expect(first).toMatchObject({ created: true, webhook: { id: 'wh-1', type: 'inventory.update' } });
    expect(second).toEqual({ created: false, webhook: first.webhook });
    expect(retailer.apiRequests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /webhooks 201', 'POST /webhooks 409', 'GET /webhooks 200']);
    expect(retailer.webhooks).toHaveLength(1);
  });
});
