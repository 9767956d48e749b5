/**
 * No replayable credential in any URL. The load callback opens the app with a one-time launch
 * code; every address the app shows, copied into another browser, opens the "open Counterpart
 * from your BigCommerce control panel" page and no store data. Expired and used launch codes are
 * refused. Session tokens expire and are renewed while the merchant works, without a sign of it;
 * a reloaded frame resumes. Short lifetimes come from the configuration (SESSION_TTL_SECONDS,
 * LAUNCH_CODE_TTL_SECONDS), read in src/env.ts.
 */
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../support/app-server';
import { launchBrowser } from '../support/browser';
import { appFrame, sessionTokens } from '../support/frame';

const SESSION_TTL = 10;
const LAUNCH_TTL = 10;

describe('sessions without credentials in URLs', () => {
  let app: AppServer;
  let browser: Browser;
  let page: Page;
  let tokens: ReturnType<typeof sessionTokens>;
  const seen = new Set<string>();

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      startAppServer({ SESSION_TTL_SECONDS: String(SESSION_TTL), LAUNCH_CODE_TTL_SECONDS: String(LAUNCH_TTL) }, { host: 'localhost' }),
      launchBrowser(['--test-third-party-cookie-phaseout']),
    ]);
    page = await (await browser.newContext({ viewport: { width: 1300, height: 1000 } })).newPage();
    tokens = sessionTokens(page);
    // Every address the app's frame shows, including same-document (client-side) navigations.
    page.on('framenavigated', (f) => {
      if (f !== page.mainFrame()) seen.add(f.url());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const api = (token: string, path = '/api/session') => fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const collectLinks = async () => {
    const frame = await appFrame(page);
    for (const href of await frame.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) seen.add(href);
    seen.add(frame.url());
  };

  it('opens through the control panel with a launch code that leaves the address bar at once', async () => {
    await page.goto(`${app.url}/sandbox/control-panel`);
    await page.getByRole('button', { name: 'Install', exact: true }).click();
    const frame = await appFrame(page);
    await frame.getByTestId('signed-in').waitFor({ timeout: 30_000 });
    expect(new URL(frame.url()).search).toBe('');
    await collectLinks();

    await frame.getByRole('button', { name: 'Enable items' }).click();
    await frame.waitForURL(/\/items$/);
    await frame.getByTestId('items-table').waitFor({ timeout: 30_000 });
    await collectLinks();
    await frame.getByRole('tab', { name: 'Overview' }).click();
    await frame.getByRole('link', { name: 'Activity and API usage' }).click();
    await frame.getByTestId('activity-log').waitFor({ timeout: 30_000 });
    await collectLinks();

    // A deep link (as Lightspeed BackOffice sends) through the load callback.
    await page.getByLabel('Deep link').fill('/items?product=some-product');
    await page.getByRole('button', { name: 'Open app (owner)' }).click();
    const deep = await appFrame(page);
    await deep.waitForURL(/\/items\?product=some-product$/, { timeout: 30_000 });
    await deep.getByTestId('items-table').waitFor({ timeout: 30_000 });
    await collectLinks();

    const launches = [...seen].filter((u) => u.includes('launch='));
    expect(launches.length).toBeGreaterThanOrEqual(2); // the install's and the deep link's, as the frame first loaded them
    for (const url of seen) expect(url, url).not.toMatch(/session=|token=|signed_payload/);
  });

  it('every address the app showed, opened in a new browser, shows the way to the control panel and no data', async () => {
    const stranger = await browser.newContext();
    const tab = await stranger.newPage();
    const answered: string[] = [];
    tab.on('response', (r: Response) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/') && path !== '/api/health' && r.ok()) answered.push(`${r.status()} ${path}`);
    });
    const urls = [...seen].filter((u) => new URL(u).port === new URL(app.url).port);
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const url of urls) {
      await tab.goto(url);
      const gate = tab.getByTestId('open-from-control-panel');
      await gate.waitFor({ timeout: 30_000 });
      if (url.includes('launch=')) expect(await gate.textContent(), url).toMatch(/already used/);
      for (const data of ['signed-in', 'store-panel', 'lightspeed-panel', 'items-table', 'activity-log', 'api-usage']) expect(await tab.getByTestId(data).count(), `${data} on ${url}`).toBe(0);
    }
    // The only API answers the stranger got are "nothing to resume".
    expect(answered.every((a) => a === '200 /api/session/resume'), answered.join(', ')).toBe(true);
    await stranger.close();
  });

  it('refuses an expired launch code', async () => {
    const signed = await fetch(`${app.url}/sandbox/bigcommerce/_sandbox/stores/sandbox1/signed-payload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'load', url: '/' }),
    });
    const { url } = (await signed.json()) as { url: string };
    const load = await fetch(url, { redirect: 'manual' });
    const issuedAt = Date.now();
    const location = load.headers.get('location')!;
    expect(location).toMatch(/^\/\?launch=[A-Za-z0-9_-]{43}$/);
    // The condition the assertion needs: the code's lifetime (from configuration) has passed.
    await new Promise((r) => setTimeout(r, Math.max(0, issuedAt + LAUNCH_TTL * 1000 + 1_000 - Date.now())));
    const stranger = await browser.newContext();
    const tab = await stranger.newPage();
    await tab.goto(`${app.url}${location}`);
    expect(await tab.getByTestId('open-from-control-panel').textContent()).toMatch(/has expired/);
    expect(new URL(tab.url()).search).toBe('');
    await stranger.close();
  });

  it('renews the session before it expires: the merchant keeps working as tokens come and go', async () => {
    const frame = await appFrame(page);
    await frame.getByRole('tab', { name: 'Overview' }).click();
    await frame.getByTestId('store-settings').waitFor();
    const first = tokens.latest();
    // Wait for exactly what the assertion needs: two renewals, and the first token refused.
    await expect.poll(async () => tokens.renewals() >= 2 && (await api(first)).status === 401, { timeout: SESSION_TTL * 4 * 1000, interval: 500 }).toBe(true);
    expect((await api(tokens.latest())).status).toBe(200);

    await frame.getByRole('combobox', { name: 'Storefront stock' }).click();
    await frame.getByRole('option', { name: /sum of the enabled locations/ }).click();
    await frame.getByTestId('store-settings').getByRole('button', { name: 'Save' }).click();
    await frame.getByText('Saved.').waitFor();
    expect(await frame.getByTestId('open-from-control-panel').count()).toBe(0);
    expect(await frame.locator('body').textContent()).not.toMatch(/expired|sign in again|reopen/i);
  });

  it('a reloaded frame resumes its session (partitioned cookie), with nothing in its address', async () => {
    let frame = await appFrame(page);
    const before = tokens.all.length;
    await frame.evaluate(() => window.location.reload());
    frame = await appFrame(page);
    await frame.getByTestId('signed-in').waitFor({ timeout: 30_000 });
    expect(new URL(frame.url()).search).toBe('');
    expect((await api(await tokens.after(before))).status).toBe(200);
    // The resume cookie is partitioned and never reaches script.
    const cookies = await page.context().cookies();
    const resume = cookies.find((c) => c.name === 'counterpart_resume');
    expect(resume).toMatchObject({ httpOnly: true, secure: true, sameSite: 'None', path: '/api/session/resume' });
    expect(await frame.evaluate(() => document.cookie)).not.toContain('counterpart_resume');
  });
});
