/**
 * OAuth 2.0 authorization-code flow as X-Series runs it (x-series-api.lightspeedhq.com/docs/
 * authorization; research §2): /connect → callback with code, domain_prefix, state, scope →
 * form-encoded POST to https://{domain_prefix}.retail.lightspeed.app/api/1.0/token. Codes are
 * single-use and live 10 minutes. Refresh tokens ROTATE (changelog 2025-03): issuing a new one
 * revokes the old, and "using an old refresh token will result in authentication failures".
 */
import { randomBytes } from 'node:crypto';
import { SandboxError } from './inventory';

export interface TokenRecord {
  access_token: string;
  refresh_token: string;
  domain_prefix: string;
  user_id: string;
  scope: string;
  expires_at: number;
}

export interface AuthCode {
  code: string;
  client_id: string;
  redirect_uri: string;
  domain_prefix: string;
  user_id: string;
  scope: string;
  expires_at: number;
  used: boolean;
}

export interface OAuthState {
  codes: Record<string, AuthCode>;
  /** Keyed by access token. */
  tokens: Record<string, TokenRecord>;
  /** Live refresh token → its access token. A rotated-out refresh token is removed. */
  refresh: Record<string, string>;
}

export const CODE_TTL_MS = 10 * 60_000;

const secret = (prefix: string): string => `${prefix}_${randomBytes(24).toString('base64url')}`;

export class OAuthServer {
  state: OAuthState = { codes: {}, tokens: {}, refresh: {} };

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
    public accessTokenTtlSeconds: number,
    private readonly now: () => number,
  ) {}

  issueCode(input: { domain_prefix: string; user_id: string; redirect_uri: string; scope?: string; client_id?: string }): AuthCode {
    const code: AuthCode = {
      code: secret('code'),
      client_id: input.client_id ?? this.clientId,
      redirect_uri: input.redirect_uri,
      domain_prefix: input.domain_prefix,
      user_id: input.user_id,
      scope: input.scope ?? '',
      expires_at: this.now() + CODE_TTL_MS,
      used: false,
    };
    this.state.codes[code.code] = code;
    return code;
  }

  private issueTokens(domainPrefix: string, userId: string, scope: string): TokenRecord {
    const record: TokenRecord = {
      access_token: secret('lsxs_at'),
      refresh_token: secret('lsxs_rt'),
      domain_prefix: domainPrefix,
      user_id: userId,
      scope,
      expires_at: this.now() + this.accessTokenTtlSeconds * 1000,
    };
    this.state.tokens[record.access_token] = record;
    this.state.refresh[record.refresh_token] = record.access_token;
    return record;
  }

  private tokenResponse(record: TokenRecord) {
    return {
      access_token: record.access_token,
      token_type: 'Bearer',
      expires: Math.floor(record.expires_at / 1000),
      expires_in: Math.max(0, Math.round((record.expires_at - this.now()) / 1000)),
      refresh_token: record.refresh_token,
      domain_prefix: record.domain_prefix,
      scope: record.scope,
    };
  }

  /** POST /api/1.0/token, for the retailer named in the URL. Errors follow RFC 6749 §5.2. */
  exchange(form: URLSearchParams, domainPrefix: string) {
    const clientId = form.get('client_id');
    const clientSecret = form.get('client_secret');
    if (!clientId || !clientSecret || clientId !== this.clientId || clientSecret !== this.clientSecret)
      throw new OAuthError(401, 'invalid_client', 'client authentication failed');
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = this.state.codes[form.get('code') ?? ''];
      if (!code || code.used || code.expires_at <= this.now() || code.domain_prefix !== domainPrefix)
        throw new OAuthError(400, 'invalid_grant', 'the authorization code is invalid, expired or already used');
      if (code.redirect_uri !== form.get('redirect_uri'))
        throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
      code.used = true;
      return this.tokenResponse(this.issueTokens(code.domain_prefix, code.user_id, code.scope));
    }
    if (grant === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      const accessToken = this.state.refresh[refreshToken];
      const previous = accessToken ? this.state.tokens[accessToken] : undefined;
      if (!previous || previous.domain_prefix !== domainPrefix)
        throw new OAuthError(400, 'invalid_grant', 'the refresh token is invalid or has been rotated');
      // Rotation: the presented refresh token dies now; only the new one works from here on.
      delete this.state.refresh[refreshToken];
      return this.tokenResponse(this.issueTokens(previous.domain_prefix, previous.user_id, previous.scope));
    }
    throw new OAuthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  authenticate(authorization: string | null, domainPrefix: string): TokenRecord | null {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const record = match?.[1] ? this.state.tokens[match[1]] : undefined;
    if (!record || record.domain_prefix !== domainPrefix || record.expires_at <= this.now()) return null;
    return record;
  }

  /** Revoke every token of a retailer (what uninstalling the app from Lightspeed does). */
  revoke(domainPrefix: string): number {
    let count = 0;
    for (const [token, record] of Object.entries(this.state.tokens)) {
      if (record.domain_prefix !== domainPrefix) continue;
      delete this.state.tokens[token];
      delete this.state.refresh[record.refresh_token];
      count += 1;
    }
    return count;
  }

  /** Make every current access token of a retailer expire now, so the next call must refresh. */
  expire(domainPrefix: string): void {
    for (const record of Object.values(this.state.tokens)) if (record.domain_prefix === domainPrefix) record.expires_at = this.now();
  }

  checkClient(clientId: string | null): void {
    if (clientId !== this.clientId) throw new SandboxError(400, 'unknown client_id');
  }
}

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function connectPage(input: {
  action: string;
  clientId: string;
  redirectUri: string;
  state: string;
  scope: string;
  retailers: { domain_prefix: string; name: string }[];
}): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const options = input.retailers
    .map((r) => `<option value="${escapeHtml(r.domain_prefix)}">${escapeHtml(r.name)} (${escapeHtml(r.domain_prefix)})</option>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lightspeed Retail (sandbox) — Connect</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;color:#1f2933}button{padding:.6rem 1.4rem;font-size:1rem}</style></head>
<body><h1>Connect to Lightspeed Retail</h1>
<p>An application (<code>${escapeHtml(input.clientId)}</code>) wants access to your store${input.scope ? ` with scopes <code>${escapeHtml(input.scope)}</code>` : ''}.</p>
<form method="post" action="${escapeHtml(input.action)}">
${hidden('client_id', input.clientId)}${hidden('redirect_uri', input.redirectUri)}${hidden('state', input.state)}${hidden('scope', input.scope)}
<label>Store <select name="domain_prefix">${options}</select></label>
<p><button type="submit" name="decision" value="allow">Allow</button></p>
</form></body></html>`;
}
