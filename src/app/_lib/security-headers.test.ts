import { describe, expect, it } from 'vitest';
import { frameAncestors, sandboxOrigins, securityHeaders } from './security-headers';

describe('security headers', () => {
  it('lets only BigCommerce control panels frame the app in live mode', () => {
    expect(frameAncestors({ sandbox: false, appUrl: 'https://app.example.com' })).toBe('frame-ancestors https://*.mybigcommerce.com');
  });

  it('adds exactly the sandbox control panel’s origins (both loopback names, same port) in sandbox mode', () => {
    expect(sandboxOrigins('http://localhost:3000')).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
    expect(sandboxOrigins('http://127.0.0.1:4100')).toEqual(['http://127.0.0.1:4100', 'http://localhost:4100']);
    expect(sandboxOrigins('https://demo.example.com')).toEqual(['https://demo.example.com']);
    expect(frameAncestors({ sandbox: true, appUrl: 'http://localhost:3000' })).toBe("frame-ancestors 'self' http://localhost:3000 http://127.0.0.1:3000");
  });

  it('no-store on API answers only; nosniff and no Referer everywhere; HSTS over HTTPS', () => {
    const live = { sandbox: false, appUrl: 'https://app.example.com' };
    expect(securityHeaders('/api/items', live)).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    expect(securityHeaders('/items', live)['cache-control']).toBeUndefined();
    expect(securityHeaders('/apiary', live)['cache-control']).toBeUndefined();
    expect(securityHeaders('/', live)['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(securityHeaders('/', { sandbox: true, appUrl: 'http://localhost:3000' })['strict-transport-security']).toBeUndefined();
  });
});
