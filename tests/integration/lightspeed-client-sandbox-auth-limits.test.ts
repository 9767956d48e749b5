/**
 * Tokens, the request budget and retries against the emulated retailer over real HTTP.
 * OAuth: a short-lived access token is refreshed once for 20 concurrent calls (before expiry,
 * and after the retailer expired it), the rotated-out refresh token is dead afterwards, and a
 * revoked grant leaves the store marked reconnect-required with a typed error. Limits: with the
 * sandbox's window shortened and the real 300 × registers + 50 formula, a burst larger than the
 * budget gets no 429 and spans more than one window; a forced 429 is waited out until its
 * HTTP-date `Retry-After`; 5xx and timeouts are retried with backoff and jitter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LightspeedApiError, LightspeedReconnectRequired, refreshTokens, RequestBudget, type CallRecord } from '@/integrations/lightspeed';
import { must, startClientSandbox, STORE_ID, type ClientSandbox } from './lightspeed-client-sandbox-harness';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('OAuth against the sandbox token endpoint', () => {
  it('refreshes a token close to expiry once for 20 concurrent calls; the old refresh token is rejected afterwards', async () => {
    // Access tokens live 3 s; the manager refreshes when less than 2 s are left.
    const h = await startClientSandbox({}, { refreshMarginMs: 2_000, beforeConnect: (sandbox) => sandbox.control.setAccessTokenTtl(3) });
    try {
      expect(h.tokenRequests.map((r) => r.grant)).toEqual(['authorization_code']);
      const first = must(h.store.tokens.get(STORE_ID), 'stored tokens');
      expect(first.expiresAt - Date.now()).toBeLessThanOrEqual(3_000);
      const client = h.client();
      // Exactly into the refresh margin: the token now has less than 2 s left.
      await sleep(Math.max(0, first.expiresAt - 2_000 - Date.now() + 50));

      const results = await Promise.all(Array.from({ length: 20 }, () => client.outlets.list()));
      expect(results.every((r) => r.items.length === 3)).toBe(true);
      expect(h.tokenRequests.map((r) => [r.grant, r.status])).toEqual([
        ['authorization_code', 200],
        ['refresh_token', 200],
      ]);
      expect(h.tokenRequests[1]?.refreshToken).toBe(first.refreshToken);
      // Refreshed before expiry: not one call was refused.
      expect(h.calls.filter((c) => c.status === 401)).toHaveLength(0);
      expect(h.calls.filter((c) => c.status === 200)).toHaveLength(20);

      const second = must(h.store.tokens.get(STORE_ID), 'refreshed tokens');
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(h.store.saves).toBe(2);
      // Rotation: the refresh token that was spent is dead.
      const replay = await refreshTokens(h.oauth, { domainPrefix: h.domainPrefix, refreshToken: first.refreshToken }).catch((e: unknown) => e);
      expect(replay).toBeInstanceOf(LightspeedReconnectRequired);
      expect((replay as LightspeedReconnectRequired).reason).toContain('invalid_grant');
      // The one the store holds is the one valid token.
      expect((await client.outlets.list()).items).toHaveLength(3);
      expect(h.store.reconnect.size).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('after the retailer expires the access token, 20 concurrent calls (all refused with 401) cause exactly one refresh', async () => {
    const h = await startClientSandbox();
    try {
      const client = h.client();
      await client.outlets.list();
      const before = must(h.store.tokens.get(STORE_ID), 'stored tokens');
      h.sandbox.control.expireAccessTokens();

      const results = await Promise.all(Array.from({ length: 20 }, () => client.registers.list()));
      expect(results.every((r) => r.items.length > 0)).toBe(true);
      expect(h.tokenRequests.filter((r) => r.grant === 'refresh_token')).toHaveLength(1);
      const refused = h.calls.filter((c) => c.status === 401);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((c) => c.attempt === 1 && c.error === 'unauthorized')).toBe(true);
      expect(h.calls.filter((c) => c.path === '/registers' && c.status === 200)).toHaveLength(20);
      const after = must(h.store.tokens.get(STORE_ID), 'refreshed tokens');
      expect(after.refreshToken).not.toBe(before.refreshToken);
      const replay = await refreshTokens(h.oauth, { domainPrefix: h.domainPrefix, refreshToken: before.refreshToken }).catch((e: unknown) => e);
      expect(replay).toBeInstanceOf(LightspeedReconnectRequired);
    } finally {
      await h.close();
    }
  });

  it('a revoked grant marks the store reconnect-required and raises a typed error, without retrying the dead grant', async () => {
    const h = await startClientSandbox();
    try {
      const client = h.client();
      await client.outlets.list();
      expect(h.sandbox.control.revokeTokens().revoked).toBe(1);

      const error = await client.outlets.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LightspeedReconnectRequired);
      expect(error).toMatchObject({ storeId: STORE_ID, name: 'LightspeedReconnectRequired' });
      expect((error as LightspeedReconnectRequired).reason).toMatch(/token endpoint answered 400: invalid_grant/);
      expect(h.store.reconnect.get(STORE_ID)).toMatch(/invalid_grant/);
      expect(await h.store.load(STORE_ID)).toBeUndefined();
      const tokenRequests = h.tokenRequests.length;

      // Further calls fail fast with the same typed error and never touch the token endpoint.
      const again = await Promise.all(Array.from({ length: 5 }, () => client.outlets.list().catch((e: unknown) => e)));
      expect(again.every((e) => e instanceof LightspeedReconnectRequired && e.storeId === STORE_ID)).toBe(true);
      expect(h.tokenRequests.length).toBe(tokenRequests);

      // Connecting again (a new code exchange) clears the state.
      const { exchangeCode } = await import('@/integrations/lightspeed');
      const { code } = h.sandbox.control.issueAuthCode({ redirect_uri: h.oauth.redirectUri });
      await h.manager.connect(STORE_ID, await exchangeCode(h.oauth, { code, domainPrefix: h.domainPrefix }));
      expect(h.store.reconnect.size).toBe(0);
      expect((await client.outlets.list()).items).toHaveLength(3);
    } finally {
      await h.close();
    }
  });
});

describe('request budget, 429 and retries', () => {
  const WINDOW_MS = 4_000;
  let h: ClientSandbox;

  beforeAll(async () => {
    h = await startClientSandbox({ rateLimit: { windowMs: WINDOW_MS } });
  });
  afterAll(async () => {
    await h?.close();
  });

  // Through the contract proxy (LS_CONTRACT_PROXY) Prism's throughput, not the budget, would set the pace.
  it.skipIf(Boolean(process.env.LS_CONTRACT_PROXY))('a burst larger than 300 × registers + 50 per window gets zero 429s and spans more than one window', async () => {
    const calls: CallRecord[] = [];
    // The X-RateLimit-* headers are stripped, so the budget has only the formula to go by (the
    // client would otherwise also learn the limit and what remains from the server).
    const withoutLimitHeaders: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) headers.delete(name);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    };
    const client = h.client({ budget: new RequestBudget({ registers: 1, windowMs: WINDOW_MS, guardMs: 250 }), recorder: (c) => calls.push(c), fetch: withoutLimitHeaders });
    const registers = await client.refreshRegisterCount();
    const limit = 300 * registers + 50;
    expect(client.budget.limit).toBe(limit);
    expect(h.sandbox.control.retailer().rate_limit).toBe(limit);

    const burst = limit + 250;
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: burst }, () => client.outlets.list({ pageSize: 1 })));
    const elapsed = Date.now() - started;

    expect(results).toHaveLength(burst);
    expect(results.every((r) => r.items.length === 1)).toBe(true);
    expect(calls.filter((c) => c.status === 429)).toHaveLength(0);
    expect(calls.filter((c) => c.path === '/outlets' && c.status === 200)).toHaveLength(burst);
    // Nothing was refused: any repeat followed a connection that failed under this burst's ~600
    // concurrent sockets on a loaded machine, never a 429.
    expect(calls.filter((c) => c.status !== 200).every((c) => !c.status)).toBe(true);
    // The budget held the overflow back until the window moved on.
    expect(elapsed).toBeGreaterThan(WINDOW_MS);
  }, 30_000);

  it('waits out a 429 until its HTTP-date Retry-After, then succeeds', async () => {
    const sent: { at: number; status: number; retryAfter: string | null }[] = [];
    const calls: CallRecord[] = [];
    const client = h.client({
      recorder: (c) => calls.push(c),
      fetch: async (input, init) => {
        const at = Date.now();
        const response = await fetch(input, init);
        sent.push({ at, status: response.status, retryAfter: response.headers.get('retry-after') });
        return response;
      },
    });
    h.sandbox.control.setFaults({ api: [{ kind: '429', nextN: 1, pathPrefix: '/api/2026-07/payment_types' }] });
    const page = await client.paymentTypes.list();
    expect(page.items.length).toBeGreaterThan(0);
    expect(sent.map((s) => s.status)).toEqual([429, 200]);
    const retryAfter = must(sent[0]?.retryAfter, 'Retry-After');
    // An RFC 1123 date, not seconds.
    expect(retryAfter).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(must(sent[1], 'the retry').at).toBeGreaterThanOrEqual(Date.parse(retryAfter));
    expect(calls.map((c) => [c.status, c.attempt, c.error ?? null])).toEqual([
      [429, 1, 'rate-limited'],
      [200, 2, null],
    ]);
  });

  it('retries 5xx on reads with exponential backoff and jitter, and not on a stock adjustment', async () => {
    const calls: CallRecord[] = [];
    const delays: number[] = [];
    const client = h.client({
      recorder: (c) => calls.push(c),
      random: () => 0.75,
      backoffBaseMs: 40,
      sleep: (ms) => {
        delays.push(ms);
        return sleep(ms);
      },
    });
    h.sandbox.control.setFaults({ api: [{ kind: '5xx', nextN: 3, status: 503, pathPrefix: '/api/2026-07/users' }] });
    const users = await client.users.list();
    expect(users.items.length).toBeGreaterThan(0);
    expect(calls.map((c) => [c.status, c.attempt])).toEqual([
      [503, 1],
      [503, 2],
      [503, 3],
      [200, 4],
    ]);
    // Full jitter: uniform in [0, base × 2ⁿ), here 0.75 of 40, 80, 160.
    expect(delays).toEqual([30, 60, 120]);

    calls.length = 0;
    const product = must(
      Object.values(h.sandbox.control.state().products).find((p) => p.has_inventory && !p.is_family_parent),
      'a product',
    );
    const outletId = must(Object.keys(h.sandbox.control.state().outlets)[0], 'an outlet');
    h.sandbox.control.setFaults({ api: [{ kind: '5xx', nextN: 1, status: 502, pathPrefix: '/api/2026-07/stock_adjustments' }] });
    const error = await client.stockAdjustments.create([{ productId: product.id, outletId, quantity: 1, reason: 'STOCK_FOUND' }]).catch((e: unknown) => e);
    // A delta is never replayed blindly: one attempt, and the caller is told it may have landed.
    expect(calls.map((c) => [c.status, c.attempt])).toEqual([[502, 1]]);
    expect((error as { cause?: unknown }).cause).toBeInstanceOf(LightspeedApiError);
    expect((error as { cause: LightspeedApiError }).cause).toMatchObject({ status: 502, maybeProcessed: true });
    h.sandbox.control.clearFaults();
  });

  it('retries a read that times out', async () => {
    const calls: CallRecord[] = [];
    const client = h.client({ recorder: (c) => calls.push(c), timeoutMs: 300 });
    h.sandbox.control.setFaults({ api: [{ kind: 'timeout', nextN: 1, delayMs: 1_000, pathPrefix: '/api/2026-07/outlets' }] });
    const started = Date.now();
    const outlets = await client.outlets.list();
    expect(outlets.items).toHaveLength(3);
    expect(calls.map((c) => [c.status, c.attempt, c.error ?? null])).toEqual([
      [null, 1, 'timeout'],
      [200, 2, null],
    ]);
    expect(must(calls[0], 'the timed-out call').durationMs).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1_000);
    h.sandbox.control.clearFaults();
  });
});
