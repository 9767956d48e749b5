import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, exchangeCode, REDIRECT, startSandbox, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox({ basePath: '/sandbox/lightspeed' });
});
afterAll(() => h.close());

const refresh = (refreshToken: string) =>
  fetch(`${h.origin}/${h.sandbox.domainPrefix}/api/1.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });

describe('OAuth', () => {
  it('runs the authorize page: Allow redirects with code, domain_prefix, state and scope', async () => {
    const page = await fetch(`${h.origin}/connect?response_type=code&client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=state-123456&scope=products:read`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('action="/sandbox/lightspeed/connect"');
    const submit = await fetch(`${h.origin}/connect`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: REDIRECT, state: 'state-123456', scope: 'products:read', domain_prefix: 'sandbox-retailer' }),
    });
    expect(submit.status).toBe(302);
    const location = new URL(submit.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('state-123456');
    expect(location.searchParams.get('domain_prefix')).toBe('sandbox-retailer');
    expect(location.searchParams.get('scope')).toBe('products:read');
    const token = await exchangeCode(h.origin, 'sandbox-retailer', location.searchParams.get('code') ?? '');
    expect(token.status).toBe(200);
    const body = (await token.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 604800, domain_prefix: 'sandbox-retailer', scope: 'products:read' });
    expect(typeof body.expires).toBe('number');
    // A code is single-use.
    const again = await exchangeCode(h.origin, 'sandbox-retailer', location.searchParams.get('code') ?? '');
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rotates refresh tokens: the old one is rejected once a new one is issued', async () => {
    const { code } = h.sandbox.control.issueAuthCode({ redirect_uri: REDIRECT });
    const first = (await (await exchangeCode(h.origin, 'sandbox-retailer', code)).json()) as { refresh_token: string; access_token: string };
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    const rotated = (await second.json()) as { refresh_token: string; access_token: string };
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect(rotated.access_token).not.toBe(first.access_token);
    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await refresh(rotated.refresh_token)).status).toBe(200);
  });

  it('requires a valid, unexpired bearer token and rejects wrong client secrets', async () => {
    expect((await h.api('/outlets', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const missing = await fetch(`${h.base}/outlets`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: 'Access token is not valid' });
    expect((await h.api('/outlets')).status).toBe(200);

    h.sandbox.control.expireAccessTokens();
    expect((await h.api('/outlets')).status).toBe(401);

    const { code } = h.sandbox.control.issueAuthCode({ redirect_uri: REDIRECT });
    const bad = await fetch(`${h.origin}/sandbox-retailer/api/1.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: CLIENT_ID, client_secret: 'wrong', redirect_uri: REDIRECT }),
    });
    expect(bad.status).toBe(401);
  });

  it('expires access tokens after the configured TTL', async () => {
    let now = Date.now();
    const short = await startSandbox({ accessTokenTtlSeconds: 60, now: () => now });
    try {
      expect((await short.api('/outlets')).status).toBe(200);
      now += 61_000;
      expect((await short.api('/outlets')).status).toBe(401);
    } finally {
      await short.close();
    }
  });
});
