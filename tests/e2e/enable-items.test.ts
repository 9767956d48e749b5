/**
 * Issue scenario end to end in a real browser, in sandbox mode: install from the sandbox control
 * panel, connect Lightspeed, open Enable Items, find a family, enable it, save, and check the
 * sandbox BigCommerce store holds it hidden, in the hidden category, with the right variants,
 * SKUs, barcodes, prices and costs; then change its price in Lightspeed and see BigCommerce follow.
 * Bulk and hiding actions, and Disconnect Lightspeed, ask first in a modal (screenshots in
 * test-results/modal-*.png) and start nothing until confirmed; a save's progress comes back from
 * the server after a reload.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemRow, ItemsPage } from '../../src/ui/items/types';
import { type AppServer, startAppServer } from '../support/app-server';
import { launchBrowser } from '../support/browser';
import { appFrame as frameOf, sessionTokens } from '../support/frame';

interface BcProduct {
  id: number;
  name: string;
  sku: string;
  price: number;
  cost_price: number;
  is_visible: boolean;
  categories: number[];
  upc: string;
  gtin: string;
  variant_ids: number[];
}
interface BcVariant {
  id: number;
  product_id: number;
  sku: string;
  price: number | null;
  cost_price: number | null;
  upc: string;
  gtin: string;
}
interface BcState {
  products: BcProduct[];
  variants: BcVariant[];
  categories: { id: number; name: string; is_visible: boolean }[];
  channelAssignments: { product_id: number; channel_id: number }[];
}

describe('Enable Items, end to end in sandbox mode', () => {
  let app: AppServer;
  let browser: Browser;
  let page: Page;
  let tokens: ReturnType<typeof sessionTokens>;
  /** Mutating requests the app made (method and path), to prove a modal started nothing. */
  const mutations: string[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAppServer({}, { host: 'localhost' }), launchBrowser(['--test-third-party-cookie-phaseout'])]);
    page = await (await browser.newContext({ viewport: { width: 1400, height: 1200 } })).newPage();
    tokens = sessionTokens(page);
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.method() !== 'GET' && path.startsWith('/api/') && !path.startsWith('/api/session')) mutations.push(`${r.method()} ${path}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const appFrame = () => frameOf(page);
  /** Flips a BigDesign switch the way a merchant does: by clicking its visible track (the input itself is a 1 px hidden box). */
  const flip = async (input: Locator, to: boolean) => {
    await input.locator('xpath=following-sibling::label[1]').click();
    await expect.poll(async () => input.isChecked()).toBe(to);
  };
  /** Opens a confirmation, checks what it says and that it started nothing, screenshots it, cancels it. */
  const cancelConfirmation = async (open: () => Promise<void>, header: RegExp, body: RegExp, screenshot: string) => {
    const frame = await appFrame();
    const before = mutations.length;
    await open();
    const dialog = frame.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(header);
    expect(await dialog.textContent()).toMatch(body);
    await page.screenshot({ path: `test-results/${screenshot}` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(mutations.slice(before)).toEqual([]);
  };
  const bcState = async (): Promise<BcState> => (await fetch(`${app.url}/sandbox/bigcommerce/_sandbox/stores/sandbox1`)).json() as Promise<BcState>;

  it('enables a Lightspeed family and BigCommerce gets it hidden, complete; a Lightspeed price change follows', async () => {
    await page.goto(`${app.url}/sandbox/control-panel`);
    await page.getByRole('button', { name: 'Install', exact: true }).click();
    let frame = await appFrame();
    await frame.getByTestId('signed-in').waitFor({ timeout: 30_000 });

    const [popup] = await Promise.all([page.waitForEvent('popup'), frame.getByRole('button', { name: 'Connect Lightspeed' }).click()]);
    await popup.getByRole('button', { name: 'Allow' }).click();
    await popup.getByTestId('connect-result').waitFor();
    await expect.poll(async () => frame.getByTestId('lightspeed-status').textContent(), { timeout: 15_000 }).toMatch(/^connected/i);

    await frame.getByRole('button', { name: 'Enable items' }).click();
    await frame.waitForURL(/\/items$/);
    frame = await appFrame();
    const api = async <T>(path: string) => (await fetch(`${new URL(frame.url()).origin}${path}`, { headers: { authorization: `Bearer ${tokens.latest()}` } })).json() as Promise<T>;

    // A family with barcodes, once the index has it.
    let family: ItemRow | undefined;
    await expect
      .poll(
        async () => {
          family = (await api<ItemsPage>('/api/items?limit=250')).items.find((i) => i.variants.length >= 2 && i.active && i.variants.every((v) => v.barcodes.length > 0));
          return Boolean(family);
        },
        { timeout: 120_000, interval: 1_000 },
      )
      .toBe(true);
    const item = family!;

    await frame.getByLabel('Search').fill(item.sku);
    const toggle = frame.getByLabel(`Sell ${item.name} online`, { exact: true });
    // The filtered list is on screen (the one item shown), not the unfiltered one it replaces.
    await expect.poll(async () => frame.getByRole('button', { name: 'Enable all 1 shown' }).isEnabled(), { timeout: 15_000 }).toBe(true);

    // Enabling everything shown asks first, with the count, and starts nothing until confirmed.
    await cancelConfirmation(
      () => frame.getByRole('button', { name: 'Enable all 1 shown' }).click(),
      /Enable 1 item for online sale\?/,
      new RegExp(`for the 1 item that matches \\(search “${escape(item.sku)}”\\)\\. New products arrive hidden`),
      'modal-enable-all.png',
    );

    await flip(toggle, true);
    const [posted] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/items/changes') && r.request().method() === 'POST'), frame.getByTestId('save').click()]);
    const { runId } = (await posted.json()) as { runId: string };
    // While it saves, the switch stays on (never drawn off while it is turning on): sampled
    // until the run panel says it is saved.
    const drawn: boolean[] = [];
    try {
      const saved = frame.getByTestId('run-panel').getByText(/^Saved/);
      const deadline = Date.now() + 120_000;
      while (!(await saved.isVisible())) {
        drawn.push(await toggle.isChecked());
        if (Date.now() > deadline) throw new Error('the save did not finish within 120 s');
        await page.waitForTimeout(50);
      }
    } catch (error) {
      // Say what the server thinks of the run, so a failure here can be told apart from a stale page.
      console.error('run:', JSON.stringify(await api(`/api/items/runs/${runId}`)), '\nhealth:', await (await fetch(`${app.url}/api/health`)).text(), '\napp output:\n', app.output().slice(-5000));
      throw error;
    }
    expect(drawn.every(Boolean), `switch states while saving: ${drawn.join(',')}`).toBe(true);
    expect(await toggle.isChecked()).toBe(true);
    expect(await frame.getByTestId('run-panel').textContent()).toMatch(new RegExp(`${escape(item.name)}.*synced`));
    await page.screenshot({ path: 'test-results/enable-items.png' });

    // The save is the server's: a reloaded page shows it again, with its progress and results.
    await frame.evaluate(() => window.location.reload());
    frame = await appFrame();
    await frame.getByTestId('run-panel').waitFor({ timeout: 30_000 });
    expect(await frame.getByTestId('run-progress').textContent()).toBe('1 of 1 item');
    expect(await frame.getByTestId('run-panel').textContent()).toMatch(new RegExp(`${escape(item.name)}.*synced`));

    // Turning the item off hides it in BigCommerce: Save asks first, naming it.
    await frame.getByLabel('Search').fill(item.sku);
    const again = frame.getByLabel(`Sell ${item.name} online`, { exact: true });
    await expect.poll(async () => frame.getByRole('button', { name: 'Enable all 1 shown' }).isEnabled(), { timeout: 15_000 }).toBe(true);
    await flip(again, false);
    await cancelConfirmation(
      () => frame.getByTestId('save').click(),
      /Save 1 change\?/,
      new RegExp(`1 item will be hidden from your storefronts in BigCommerce: ${escape(item.name)}\\. Nothing is deleted`),
      'modal-save-hides.png',
    );
    await flip(again, true);
    await cancelConfirmation(
      () => frame.getByRole('button', { name: 'Disable all 1 shown' }).click(),
      /Disable 1 item for online sale\?/,
      new RegExp(`The BigCommerce product of the 1 item that matches \\(search “${escape(item.sku)}”\\) will be hidden from your storefronts\\. Nothing is deleted`),
      'modal-disable-all.png',
    );

    const state = await bcState();
    const variantSkus = item.variants.map((v) => v.sku).sort();
    const product = state.products.find((p) => {
      const skus = state.variants.filter((v) => v.product_id === p.id).map((v) => v.sku).sort();
      return JSON.stringify(skus) === JSON.stringify(variantSkus);
    });
    expect(product, 'the BigCommerce product holding the family variants').toBeDefined();
    expect(product!.is_visible).toBe(false);
    const hidden = state.categories.find((c) => c.name === 'Imported from Lightspeed');
    expect(hidden?.is_visible).toBe(false);
    expect(product!.categories).toContain(hidden!.id);
    expect(state.channelAssignments.some((a) => a.product_id === product!.id)).toBe(true);
    for (const v of item.variants) {
      const bcVariant = state.variants.find((x) => x.product_id === product!.id && x.sku === v.sku)!;
      expect([bcVariant.upc, bcVariant.gtin]).toContain(v.barcodes[0]);
    }

    // Prices and costs come from Lightspeed.
    const retailer = (await (await fetch(`${app.url}/sandbox/lightspeed/_sandbox/retailers/sandbox-retailer/state`)).json()) as {
      products: Record<string, { id: string; sku: string; price_excluding_tax: number; supply_price: number }>;
    };
    const lsById = new Map(Object.entries(retailer.products));
    for (const v of item.variants) {
      const ls = lsById.get(v.id)!;
      const bcVariant = state.variants.find((x) => x.product_id === product!.id && x.sku === v.sku)!;
      expect(bcVariant.price ?? product!.price).toBeCloseTo(ls.price_excluding_tax, 2);
      expect(bcVariant.cost_price ?? product!.cost_price).toBeCloseTo(ls.supply_price, 2);
    }

    // The Lightspeed BackOffice deep link, opened with no session, goes through the control panel
    // and lands on that item.
    const deep = await page.context().newPage();
    await deep.goto(`${app.url}/items?product=${encodeURIComponent(item.variants[1]!.id)}`);
    await deep.getByTestId('open-control-panel').click();
    await deep.waitForURL(/\/sandbox\/control-panel\?deepLink=/);
    expect(await deep.getByLabel('Deep link').inputValue()).toBe(`/items?product=${item.variants[1]!.id}`);
    await deep.getByRole('button', { name: 'Open app (owner)' }).click();
    const deepFrame = await frameOf(deep);
    await deepFrame.getByTestId('focused-item').waitFor({ timeout: 30_000 });
    expect(await deepFrame.getByTestId('focused-item').textContent()).toContain(item.name);
    expect(new URL(deepFrame.url()).searchParams.get('product')).toBe(item.variants[1]!.id);
    await deep.close();

    // A price change at the Lightspeed side reaches BigCommerce.
    const first = item.variants[0]!;
    const newPrice = Math.round((lsById.get(first.id)!.price_excluding_tax + 7.5) * 100) / 100;
    const res = await fetch(`${app.url}/sandbox/lightspeed/_sandbox/retailers/sandbox-retailer/products/${first.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ price_excluding_tax: newPrice }),
    });
    expect(res.status).toBeLessThan(300);
    await expect
      .poll(
        async () => {
          const s = await bcState();
          const v = s.variants.find((x) => x.product_id === product!.id && x.sku === first.sku);
          return v?.price;
        },
        { timeout: 180_000, interval: 1_000 },
      )
      .toBeCloseTo(newPrice, 2);

    // Disconnecting Lightspeed asks first and says what stays; afterwards the card says the truth.
    frame = await appFrame();
    await frame.getByRole('tab', { name: 'Overview' }).click();
    await frame.getByTestId('lightspeed-panel').waitFor();
    await cancelConfirmation(
      () => frame.getByRole('button', { name: 'Disconnect' }).click(),
      /Disconnect Lightspeed\?/,
      /The 1 product linked to BigCommerce stays there as it is: nothing is hidden or deleted\. Sync pauses/,
      'modal-disconnect.png',
    );
    await frame.getByRole('button', { name: 'Disconnect' }).click();
    await frame.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(async () => frame.getByTestId('lightspeed-status').textContent(), { timeout: 15_000 }).toMatch(/not connected/);
    expect(await frame.getByTestId('lightspeed-summary').textContent()).toBe(
      '1 product stays linked in BigCommerce with the details it had; sync is paused. Reconnecting Lightspeed resumes it where it stopped.',
    );
    expect(await frame.getByRole('button', { name: 'Reconnect Lightspeed' }).isVisible()).toBe(true);
    expect((await bcState()).products.find((p) => p.id === product!.id)).toBeDefined();
  }, 480_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
