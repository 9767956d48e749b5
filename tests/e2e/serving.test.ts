/**
 * How `npm start` serves the app: on the loopback address unless HOST says otherwise, with the
 * response headers a security reviewer expects, and the icons a browser and the Marketplace ask for.
 */
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../support/app-server';
import { launchBrowser } from '../support/browser';

/** This machine's first non-loopback IPv4 address, where a server open to the network answers. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const refused = async (url: string) => {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return false;
  } catch (error) {
    return /ECONNREFUSED/.test(String((error as { cause?: unknown }).cause ?? error));
  }
};

describe('npm start on its defaults (sandbox)', () => {
  let app: AppServer;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startAppServer({}, { viaStartScript: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it.skipIf(!lanAddress)('listens on 127.0.0.1 only: the machine’s network address refuses the connection', async () => {
    const port = new URL(app.url).port;
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    expect(await refused(`http://${lanAddress}:${port}/api/health`)).toBe(true);
  });

  it('lets only this sandbox frame its pages, sniffs nothing, caches no API answer', async () => {
    const port = new URL(app.url).port;
    const page = await fetch(app.url);
    expect(page.headers.get('content-security-policy')).toBe(`frame-ancestors 'self' http://127.0.0.1:${port} http://localhost:${port}`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    for (const path of ['/api/health', '/api/session', '/api/items', '/api/settings']) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('serves the favicon and the app icon; a page load asks for nothing that is missing', async () => {
    const favicon = await fetch(`${app.url}/favicon.ico`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
    expect((await fetch(`${app.url}/icon.png`)).headers.get('content-type')).toBe('image/png');

    const context = await browser.newContext();
    const tab = await context.newPage();
    const failed: string[] = [];
    tab.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await tab.goto(app.url, { waitUntil: 'networkidle' });
    // Chromium asks for the icon the page names; it must be there.
    expect(await tab.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^\/favicon\.ico/);
    expect(failed).toEqual([]);
    await context.close();
  });
});

describe('npm start opened to the network with HOST, live BigCommerce credentials', () => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startAppServer(
      { HOST: '0.0.0.0', BIGCOMMERCE_CLIENT_ID: 'live-client', BIGCOMMERCE_CLIENT_SECRET: randomBytes(16).toString('hex') },
      { viaStartScript: true },
    );
  });
  afterAll(async () => app?.stop());

  it.skipIf(!lanAddress)('answers on the machine’s network address', async () => {
    const port = new URL(app.url).port;
    expect((await fetch(`http://${lanAddress}:${port}/api/health`)).status).toBe(200);
  });

  it('lets only BigCommerce control panels frame its pages (no loopback outside the sandbox)', async () => {
    const res = await fetch(app.url);
    expect(res.headers.get('content-security-policy')).toBe('frame-ancestors https://*.mybigcommerce.com');
  });
});
