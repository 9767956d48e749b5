import { describe, expect, it } from 'vitest';
import { LightspeedReconnectRequired, LightspeedTokenError } from './errors';
import { buildAuthorizeUrl, exchangeCode, refreshTokens, type LightspeedOAuthConfig } from './oauth';

function config(handler: (url: string, init: RequestInit) => Response): LightspeedOAuthConfig & { calls: { url: string; form: URLSearchParams }[] } {
  const calls: { url: string; form: URLSearchParams }[] = [];
  return {
    clientId: 'cid',
    clientSecret: 'csecret',
    redirectUri: 'https://app.example/api/lightspeed/callback',
    authUrl: 'https://secure.retail.lightspeed.app/',
    apiUrlTemplate: 'https://{domain_prefix}.retail.lightspeed.app',
    now: () => 1_000_000,
    calls,
    fetch: async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
      calls.push({ url, form: new URLSearchParams(init?.body as string) });
      return handler(url, init ?? {});
    },
  };
}

const tokenBody = { access_token: 'at-1', token_type: 'Bearer', expires: 1387145621, expires_in: 604800, refresh_token: 'rt-1', domain_prefix: 'mystore', scope: 'products:read sales:write' };

describe('Lightspeed OAuth', () => {
  it('builds the authorize URL on /connect with every required parameter', () => {
    const url = new URL(buildAuthorizeUrl(config(() => new Response()), { state: 'state-123456', scopes: ['products:read', 'webhooks'] }));
    expect(url.origin + url.pathname).toBe('https://secure.retail.lightspeed.app/connect');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'cid',
      redirect_uri: 'https://app.example/api/lightspeed/callback',
      state: 'state-123456',
      scope: 'products:read webhooks',
    });
  });

  it('exchanges a code with a form-encoded body on the retailer domain', async () => {
    const c = config(() => Response.json(tokenBody));
    const tokens = await exchangeCode(c, { code: 'the-code', domainPrefix: 'mystore' });
    expect(c.calls[0]!.url).toBe('https://mystore.retail.lightspeed.app/api/1.0/token');
    expect(Object.fromEntries(c.calls[0]!.form)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      client_id: 'cid',
      client_secret: 'csecret',
      redirect_uri: 'https://app.example/api/lightspeed/callback',
    });
    expect(tokens).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1', tokenType: 'Bearer', expiresAt: 1387145621_000, domainPrefix: 'mystore', scopes: ['products:read', 'sales:write'] });
  });

  it('falls back to expires_in when there is no absolute expiry', async () => {
    const { expires: _dropped, ...body } = tokenBody;
    const tokens = await refreshTokens(config(() => Response.json(body)), { domainPrefix: 'mystore', refreshToken: 'rt-0' });
    expect(tokens.expiresAt).toBe(1_000_000 + 604800_000);
  });

  it('sends the refresh grant and treats 400/401 as a lost grant', async () => {
    const c = config(() => Response.json({ error: 'invalid_grant' }, { status: 400 }));
    await expect(refreshTokens(c, { domainPrefix: 'mystore', refreshToken: 'rt-0' })).rejects.toBeInstanceOf(LightspeedReconnectRequired);
    expect(Object.fromEntries(c.calls[0]!.form)).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-0', client_id: 'cid', client_secret: 'csecret' });
  });

  it('reports 5xx and unexpected bodies as token errors, not lost grants', async () => {
    await expect(refreshTokens(config(() => new Response('oops', { status: 503 })), { domainPrefix: 'm', refreshToken: 'r' })).rejects.toBeInstanceOf(LightspeedTokenError);
    await expect(refreshTokens(config(() => Response.json({ access_token: 'x' })), { domainPrefix: 'm', refreshToken: 'r' })).rejects.toBeInstanceOf(LightspeedTokenError);
  });

  it('refuses a domain prefix that is not a DNS label', async () => {
    await expect(exchangeCode(config(() => Response.json(tokenBody)), { code: 'c', domainPrefix: 'evil.com/x' })).rejects.toThrow(/domain prefix/);
  });
});
