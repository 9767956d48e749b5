import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../support/app-server';
import { launchBrowser } from '../support/browser';

describe('the app on its embedded defaults', () => {
  let app: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAppServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('serves a BigDesign page styled from the server, with the bundled font', async () => {
    // JavaScript off: whatever styling shows came in the server-rendered HTML.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(app.url);
    expect(response?.status()).toBe(200);
    expect(await page.locator('style[data-styled]').count()).toBeGreaterThan(0);

    const panel = page.getByTestId('system-status');
    expect(await panel.getByText('Database', { exact: true }).count()).toBe(1);
    expect(await panel.textContent()).toMatch(/Database.*pglite/);
    const style = await panel.evaluate((el) => {
      const s = getComputedStyle(el);
      return { background: s.backgroundColor, padding: s.paddingTop, font: getComputedStyle(document.body).fontFamily };
    });
    expect(style.background).toBe('rgb(255, 255, 255)'); // BigDesign Panel: white card
    expect(Number.parseFloat(style.padding)).toBeGreaterThan(0);
    expect(style.font).toContain('Source Sans 3');
    const fontLoaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Source Sans 3' && f.status === 'loaded');
    });
    expect(fontLoaded).toBe(true);
    await page.screenshot({ path: 'test-results/app-shell.png', fullPage: true });
    await context.close();
  });

  it('answers /api/health with database, queue and version', async () => {
    const res = await fetch(`${app.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { ok: true, kind: 'pglite' }, queue: { ok: true }, version: '0.1.0' });
  });
});

describe('the app with its database unreachable', () => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startAppServer({
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/counterpart',
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SESSION_SECRET: randomBytes(32).toString('hex'),
    });
  });
  afterAll(async () => app?.stop());

  it('keeps serving and reports 503 from /api/health', async () => {
    const res = await fetch(`${app.url}/api/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'down', database: { ok: false, error: expect.stringMatching(/ECONNREFUSED/) } });
  });
});

describe('the app with a malformed setting', () => {
  it('stops at start-up, naming the variable and what it expects', async () => {
    await expect(startAppServer({ DATABASE_URL: 'mysql://localhost/shop' })).rejects.toThrow(
      /the app exited with 1:[\s\S]*DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ connection URL/,
    );
  });
});
