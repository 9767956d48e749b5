import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, startSandbox, type Harness } from './helpers';

const callbacks = {
  auth: 'https://app.example.com/api/auth',
  load: 'https://app.example.com/api/load',
  uninstall: 'https://app.example.com/api/uninstall',
  removeUser: 'https://app.example.com/api/remove-user',
};

function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('BigCommerce sandbox: app install and API auth', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox({ appCallbacks: callbacks, fetch: async () => new Response(null, { status: 200 }) });
  });
  afterEach(() => h.close());

  async function exchange(code: string, overrides: Record<string, string> = {}) {
    const form = new URLSearchParams({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      code,
      grant_type: 'authorization_code',
      redirect_uri: callbacks.auth,
      scope: 'store_v2_products',
      context: `stores/${h.hash}`,
      ...overrides,
    });
    const res = await fetch(`${h.server.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  it('issues an install whose auth-callback URL carries code, scope, context and account_uuid', () => {
    const install = h.sandbox.control.issueInstall(h.hash);
    const url = new URL(install.url!);
    expect(`${url.origin}${url.pathname}`).toBe(callbacks.auth);
    expect(url.searchParams.get('code')).toBe(install.code);
    expect(url.searchParams.get('context')).toBe(`stores/${h.hash}`);
    expect(url.searchParams.get('scope')).toContain('store_inventory');
    expect(url.searchParams.get('account_uuid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exchanges a code once for a token that works against the store API', async () => {
    const { code } = h.sandbox.control.issueInstall(h.hash);
    const good = await exchange(code);
    expect(good.status).toBe(200);
    expect(good.body.context).toBe(`stores/${h.hash}`);
    expect(good.body.user).toMatchObject({ id: expect.any(Number), email: expect.any(String), username: expect.any(String) });
    expect(good.body.owner).toMatchObject({ id: expect.any(Number) });
    expect(typeof good.body.account_uuid).toBe('string');

    const store = await h.api('/v2/store', { token: good.body.access_token });
    expect(store.status).toBe(200);
    expect(((await store.json()) as { plan_name: string }).plan_name).toBe('Pro');

    const reused = await exchange(code);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
  });

  it('rejects a bad client secret with 401 and burns the code', async () => {
    const { code } = h.sandbox.control.issueInstall(h.hash);
    const bad = await exchange(code, { client_secret: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe('invalid_client');
  });

  it('rejects a redirect_uri that is not the registered auth callback', async () => {
    const { code } = h.sandbox.control.issueInstall(h.hash);
    const bad = await exchange(code, { redirect_uri: 'https://evil.example.com/auth' });
    expect(bad.status).toBe(400);
  });

  it('requires a valid X-Auth-Token for that store, answering in v3 and v2 error shapes', async () => {
    const missing = await h.api('/v3/catalog/products', { token: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ status: 401, title: expect.any(String), type: expect.any(String), errors: {} });

    const wrong = await h.api('/v2/orders', { token: 'not-a-token' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual([{ status: 401, message: expect.any(String) }]);

    h.sandbox.control.createStore({ hash: 'otherstore' });
    const otherToken = h.sandbox.control.issueToken('otherstore');
    const crossStore = await h.api('/v3/catalog/products', { token: otherToken });
    expect(crossStore.status).toBe(401);
  });

  it('mints signed_payload_jwt for load with the documented claims, HS256 over the client secret', async () => {
    const { jwt, url } = await h.sandbox.control.signedPayload('load', h.hash, { url: '/products/42', user: { id: 99, email: 'staff@example.com' } });
    expect(url).toBe(`${callbacks.load}?signed_payload_jwt=${encodeURIComponent(jwt)}`);
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const expected = createHmac('sha256', CLIENT_SECRET).update(`${header}.${payload}`).digest('base64url');
    expect(signature).toBe(expected);
    expect(decodeSegment(header)).toMatchObject({ alg: 'HS256' });
    const claims = decodeSegment(payload);
    expect(claims).toMatchObject({ iss: 'bc', aud: CLIENT_ID, sub: `stores/${h.hash}`, url: '/products/42', user: { id: 99, email: 'staff@example.com', locale: 'en-US' }, owner: { id: expect.any(Number), email: expect.any(String) } });
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.exp).toBe((claims.iat as number) + 86_400);
    expect(typeof claims.jti).toBe('string');
  });

  it('uninstall revokes the token, deletes the app hooks and calls the uninstall callback', async () => {
    const calls: string[] = [];
    await h.close();
    h = await startSandbox({ appCallbacks: callbacks, fetch: async (input) => (calls.push(input instanceof Request ? input.url : input.toString()), new Response(null, { status: 204 })) });
    const created = await h.json('/v3/hooks', { method: 'POST', body: { scope: 'store/order/created', destination: 'https://app.example.com/webhooks' } });
    expect(created.status).toBe(200);
    const result = await h.sandbox.control.uninstall(h.hash);
    expect(result.status).toBe(204);
    expect(calls[0]).toMatch(/^https:\/\/app\.example\.com\/api\/uninstall\?signed_payload_jwt=/);
    expect(h.sandbox.control.store(h.hash).hooks).toHaveLength(0);
    expect((await h.api('/v3/hooks')).status).toBe(401);
  });
});
