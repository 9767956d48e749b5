/**
 * The app inside BigCommerce's control panel, played by the sandbox control panel page: install
 * through the real auth callback, then load through the real load callback, framed from another
 * site, in Chromium with third-party cookies blocked.
 */
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../support/app-server';
import { launchBrowser } from '../support/browser';
import { appFrame, sessionTokens } from '../support/frame';

describe('the app embedded in the (sandbox) control panel', () => {
  let app: AppServer;
  let browser: Browser;
  let page: Page;
  let tokens: ReturnType<typeof sessionTokens>;

  beforeAll(async () => {
    // Served on localhost; the control panel frames the app from 127.0.0.1, a different site.
    [app, browser] = await Promise.all([startAppServer({}, { host: 'localhost' }), launchBrowser(['--test-third-party-cookie-phaseout'])]);
    const context = await browser.newContext({ viewport: { width: 1300, height: 1100 } });
    page = await context.newPage();
    tokens = sessionTokens(page);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const frame = (): Promise<Frame> => appFrame(page);

  it('installs through the auth callback and runs in a cross-site iframe without cookies', async () => {
    await page.goto(`${app.url}/sandbox/control-panel`);
    expect(await page.getByTestId('install-state').textContent()).toMatch(/not installed/i);
    await page.getByRole('button', { name: 'Install', exact: true }).click();

    const app1 = await frame();
    await app1.getByTestId('signed-in').waitFor({ timeout: 30_000 });
    const top = new URL(page.url());
    const framed = new URL(app1.url());
    expect(framed.hostname).not.toBe(top.hostname); // another site, as in the real control panel
    expect(framed.search).toBe(''); // the launch code is gone from the address as soon as it was read
    expect(await app1.getByTestId('signed-in').textContent()).toMatch(/Store sandbox1, signed in as owner@example\.com \(store owner\)/);

    // Third-party cookies really are blocked in this browser: the frame cannot keep one.
    const kept = await app1.evaluate(() => {
      document.cookie = 'probe=1; SameSite=None; Secure; Path=/';
      return document.cookie.includes('probe=1');
    });
    expect(kept).toBe(false);
    expect(await page.context().cookies(framed.origin)).toEqual([]);
    await expect.poll(async () => page.getByTestId('install-state').textContent(), { timeout: 10_000 }).toMatch(/^installed/i);
  });

  it('saves a setting from inside the iframe (bearer session, CSRF-safe)', async () => {
    const app1 = await frame();
    await app1.getByRole('combobox', { name: 'Storefront stock' }).click();
    await app1.getByRole('option', { name: /sum of the enabled locations/ }).click();
    await app1.getByTestId('store-settings').getByRole('button', { name: 'Save' }).click();
    await app1.getByText('Saved.').waitFor();

    // The same mutation without the bearer header, as a cross-site form or fetch would send it, is refused.
    const forged = await fetch(`${new URL(app1.url()).origin}/api/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stockMode: 'default-location' }) });
    expect(forged.status).toBe(401);
  });

  it('opens through the load callback with a deep link, for the owner and for another user, whose controls say what they may not do', async () => {
    await page.getByLabel('Deep link').fill('/?from=deep-link');
    const before = tokens.all.length;
    await page.getByRole('button', { name: 'Open app (staff user)' }).click();
    let app1 = await frame();
    await app1.waitForURL(/\?from=deep-link$/, { timeout: 30_000 });
    await app1.getByTestId('signed-in').waitFor();
    expect(await app1.getByTestId('signed-in').textContent()).toMatch(/signed in as staff@sandbox\.store \(store user\)/);
    // The stock mode saved by the owner is the store's, visible to the staff user too, who may not change it.
    const stock = app1.getByRole('combobox', { name: 'Storefront stock' });
    await expect.poll(async () => stock.inputValue(), { timeout: 10_000 }).toMatch(/sum of the enabled locations/);
    expect(await stock.isDisabled()).toBe(true);
    expect(await app1.getByTestId('store-settings').textContent()).toMatch(/Only the store owner can change the store settings/);
    expect(await app1.getByRole('button', { name: 'Connect Lightspeed' }).isDisabled()).toBe(true);
    expect(await app1.getByTestId('lightspeed-refusal').textContent()).toMatch(/Only the store owner can connect or disconnect Lightspeed unless they allow it/);

    const staffToken = await tokens.after(before);
    const staffApi = () => fetch(`${new URL(app1.url()).origin}/api/session`, { headers: { authorization: `Bearer ${staffToken}` } });
    expect((await staffApi()).status).toBe(200);

    await page.getByRole('button', { name: 'Remove staff user' }).click();
    await page.getByText('staff@sandbox.store no longer has access').waitFor();
    // The staff user's live session stops working at once, in the API and in the page.
    expect((await staffApi()).status).toBe(401);
    await app1.evaluate(() => window.location.reload());
    app1 = await frame();
    await app1.getByTestId('open-from-control-panel').getByText(/no longer has access/).waitFor({ timeout: 30_000 });
    expect(await app1.getByTestId('store-panel').count()).toBe(0);

    await page.getByRole('button', { name: 'Open app (owner)' }).click();
    app1 = await frame();
    await app1.getByTestId('signed-in').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: 'test-results/control-panel.png', fullPage: true });
  });

  it('connects Lightspeed from the app: authorize window, callback, webhooks and the first poll', async () => {
    const app1 = await frame();
    expect(await app1.getByTestId('lightspeed-status').textContent()).toMatch(/not connected/i);
    const [popup] = await Promise.all([page.waitForEvent('popup'), app1.getByRole('button', { name: 'Connect Lightspeed' }).click()]);
    await popup.waitForLoadState();
    expect(new URL(popup.url()).pathname).toBe('/sandbox/lightspeed/connect');
    await popup.getByRole('button', { name: 'Allow' }).click();
    // The window hands the code to the app's page, which completes the connection and tells the window.
    await popup.getByTestId('connect-result').filter({ hasText: /now connected to sandbox-retailer/ }).waitFor();
    await expect.poll(async () => app1.getByTestId('lightspeed-status').textContent(), { timeout: 15_000 }).toMatch(/^connected/i);
    // A check asked for now runs on the server; the card follows it until products, inventory and
    // sales each show the time they were read.
    await app1.getByRole('button', { name: 'Check for changes now' }).click();
    const checked = async () => {
      const rows = await app1.getByTestId('lightspeed-panel').locator('tbody tr').allTextContents();
      return ['Products', 'Inventory', 'Sales'].every((r) => rows.some((row) => row.startsWith(r) && /\d{1,2}:\d{2}/.test(row) && !row.includes('checking now')));
    };
    await expect.poll(checked, { timeout: 60_000, interval: 500 }).toBe(true);
    await page.screenshot({ path: 'test-results/lightspeed-connected.png', fullPage: true });
  });

  it('opens the activity log and API usage from the overview, with a click right after the authorize window', async () => {
    const app1 = await frame();
    await app1.getByRole('link', { name: 'Activity and API usage' }).click();
    await app1.waitForURL(/\/activity$/);
    const log = app1.getByTestId('activity-log');
    await log.getByText(/Connected to the Lightspeed retailer sandbox-retailer/).waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await app1.getByTestId('usage-lightspeed').textContent()) ?? '', { timeout: 30_000 }).toMatch(/Lightspeed: [1-9]\d* calls/);
    expect(await app1.getByTestId('api-usage').textContent()).toMatch(/GET \/products/);
    await page.screenshot({ path: 'test-results/activity.png', fullPage: true });
    await app1.getByRole('tab', { name: 'Overview' }).click();
    await app1.getByTestId('lightspeed-panel').waitFor();
  });

  it('places a storefront order in the sandbox store on a product the user picks', async () => {
    await page.getByRole('button', { name: 'Place a storefront order' }).click();
    const mug = page.getByTestId('product-card').filter({ hasText: 'Enamel Coffee Mug' });
    await mug.waitFor({ timeout: 15_000 });
    await mug.getByRole('combobox').click();
    await page.getByRole('option', { name: /^Gray/ }).click();
    await mug.getByTestId('add-to-cart').click();
    expect(await page.getByTestId('cart').textContent()).toContain('Enamel Coffee Mug — Gray');
    await page.getByTestId('place-order').click();
    const placed = page.getByTestId('checkout-message').filter({ hasText: /Order #\d+ placed — Awaiting Fulfillment/ });
    await placed.waitFor({ timeout: 15_000 });
    const orderId = await placed.getAttribute('data-order-id');
    await page.getByTestId('orders').filter({ hasText: `#${orderId}` }).waitFor({ timeout: 15_000 });
  });

  it('a forged load callback gets a clear 401', async () => {
    const res = await fetch(`${app.url}/api/bigcommerce/load?signed_payload_jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdG9yZXMvc2FuZGJveDEifQ.c2lnbmF0dXJl`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: expect.stringMatching(/signed_payload_jwt/) });
  });

  it('uninstalls through the uninstall callback', async () => {
    await page.getByRole('button', { name: 'Uninstall' }).click();
    await page.getByText(/Uninstalled; the app's uninstall callback answered 200/).waitFor({ timeout: 15_000 });
    await expect.poll(async () => page.getByTestId('install-state').textContent(), { timeout: 10_000 }).toMatch(/not installed/i);
  });
});
