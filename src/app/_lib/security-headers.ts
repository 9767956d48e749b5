/**
 * The response headers a reviewer expects, decided in one place (applied by `src/proxy.ts`).
 *
 * - Framing: BigCommerce shows the app in its control panel, whose base URL is
 *   `https://store-{store_hash}.mybigcommerce.com` (store_information.v2.yml,
 *   `control_panel_base_url`), so pages may be framed by `https://*.mybigcommerce.com` only, as
 *   BigCommerce's own apps do. The document request of a page carries no session (the session
 *   travels in a header), so the store is not known there and the policy cannot name it alone.
 *   In sandbox mode the sandbox control panel frames the app from this server's other loopback
 *   name, so exactly those two origins are added; loopback is never allowed in live mode.
 * - `nosniff` everywhere; no Referer leaves the app; API answers carry store data, so nothing
 *   caches them; HSTS when the app is served over HTTPS.
 */
export interface SecurityContext {
  sandbox: boolean;
  /** The app's public base URL (APP_URL). */
  appUrl: string;
}

export const CONTROL_PANEL_ORIGINS = ['https://*.mybigcommerce.com'] as const;

/** The app's origin and, for a loopback name, the other one (localhost ↔ 127.0.0.1, same port). */
export function sandboxOrigins(appUrl: string): string[] {
  const url = new URL(appUrl);
  const origins = [url.origin];
  const twin = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname === '127.0.0.1' ? 'localhost' : null;
  if (twin) {
    url.hostname = twin;
    origins.push(url.origin);
  }
  return origins;
}

export function frameAncestors(context: SecurityContext): string {
  const sources = context.sandbox ? ["'self'", ...sandboxOrigins(context.appUrl)] : [...CONTROL_PANEL_ORIGINS];
  return `frame-ancestors ${sources.join(' ')}`;
}

export function securityHeaders(pathname: string, context: SecurityContext): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': frameAncestors(context),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (pathname === '/api' || pathname.startsWith('/api/')) headers['cache-control'] = 'no-store';
  if (context.appUrl.startsWith('https://')) headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
  return headers;
}
