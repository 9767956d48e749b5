/**
 * The sandbox storefront, end to end: a real browser buys from /sandbox/storefront on the built
 * app — a product with variants shipped, then an order picked up in store — and then cancels and
 * refunds from the sandbox control panel. Every check of what happened goes through the mounted
 * sandbox store's own APIs (orders, consignments, inventory), not through the page.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../support/app-server';
import { launchBrowser } from '../support/browser';

const HASH = 'sandbox1';

describe('the sandbox storefront', () => {
  let app: AppServer;
  let browser: Browser;
  let page: Page;
  let token: string;
  let uptown: number;
  let pickupMethod: number;

  const api = async <T = any>(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${app.url}/sandbox/bigcommerce/stores/${HASH}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'x-auth-token': token, accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? (undefined as T) : (JSON.parse(text) as T) };
  };
  const onHand = async (variantId: number, locationId: number) => {
    const res = await api<{ data: { locations: { total_inventory_onhand: number }[] }[] }>(`/v3/inventory/items?variant_id:in=${variantId}&location_id:in=${locationId}`);
    return res.body.data[0]?.locations[0]?.total_inventory_onhand ?? 0;
  };
  const variantsOf = async (sku: string) => {
    const res = await api<{ data: { id: number; name: string; variants: { id: number; sku: string }[] }[] }>(`/v3/catalog/products?include=variants&limit=250`);
    const product = res.body.data.find((p) => p.variants.some((v) => v.sku === sku) || p.name === sku)!;
    return { productId: product.id, variant: (s: string) => product.variants.find((v) => v.sku === s)!.id };
  };

  async function checkout(cardName: string, option: RegExp | null, quantity: number, pickup: RegExp | null): Promise<number> {
    const card = page.getByTestId('product-card').filter({ hasText: cardName });
    await card.waitFor();
    if (option) {
      await card.getByRole('combobox').click();
      await page.getByRole('option', { name: option }).click();
    }
    await card.getByTestId('quantity').fill(String(quantity));
    await card.getByTestId('add-to-cart').click();
    if (pickup) {
      await page.getByText('Pick up in store', { exact: true }).click();
      expect(await page.getByTestId('fulfilment-pickup').isChecked()).toBe(true);
      await page.getByRole('combobox', { name: 'Pickup location' }).click();
      await page.getByRole('option', { name: pickup }).click();
    }
    await page.getByTestId('place-order').click();
    const placed = page.getByTestId('checkout-message').filter({ hasText: /Order #\d+ placed — Awaiting Fulfillment/ });
    await placed.waitFor({ timeout: 15_000 });
    return Number(await placed.getAttribute('data-order-id'));
  }

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAppServer(), launchBrowser()]);
    const control = `${app.url}/sandbox/bigcommerce/_sandbox/stores/${HASH}`;
    token = ((await (await fetch(`${control}/token`, { method: 'POST' })).json()) as { access_token: string }).access_token;

    // A store the seeded demo store does not have yet: an Uptown location with mugs and totes, and a way to pick up there.
    const created = await api('/v3/inventory/locations', {
      method: 'POST',
      body: [{ code: 'UPTOWN', label: 'Uptown Store', managed_by_external_source: true, type_id: 'PHYSICAL', time_zone: 'America/Chicago', address: { address1: '500 Congress Ave', city: 'Austin', state: 'Texas', zip: '78701', email: 'uptown@example.com', geo_coordinates: { latitude: 30.27, longitude: -97.74 }, country_code: 'US' } }],
    });
    expect(created.status).toBe(200);
    uptown = (await api<{ data: { id: number }[] }>('/v3/inventory/locations?location_code:in=UPTOWN')).body.data[0]!.id;
    const tote = await variantsOf('BC-TOTE');
    expect((await api('/v3/inventory/adjustments/absolute', { method: 'PUT', body: { items: [{ location_id: uptown, variant_id: tote.variant('BC-TOTE'), quantity: 4 }] } })).status).toBe(200);
    expect((await fetch(`${control}/inventory/flush`, { method: 'POST' })).status).toBe(200);
    const method = await api<{ data: { id: number }[] }>('/v3/pickup/methods', { method: 'POST', body: [{ location_id: uptown, display_name: 'Uptown counter', collection_instructions: 'Ask at the till', collection_time_description: 'Ready in 2 hours' }] });
    expect(method.status).toBe(200);
    pickupMethod = method.body.data[0]!.id;

    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('sells a variant for shipping and an item for store pickup; the orders, consignments and stock are BigCommerce’s', async () => {
    const mug = await variantsOf('BC-MUG-GRY');
    const gray = mug.variant('BC-MUG-GRY');
    const tote = await variantsOf('BC-TOTE');
    const toteVariant = tote.variant('BC-TOTE');
    const [gray0, tote0] = [await onHand(gray, 1), await onHand(toteVariant, uptown)];
    expect([gray0, tote0]).toEqual([8, 4]);

    const res = await page.goto(`${app.url}/sandbox/storefront?store=${HASH}&channel=1`);
    expect(res?.status()).toBe(200);
    await page.getByTestId('product-card').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe('Counterpart Demo Store');
    expect(await page.getByTestId('product-card').filter({ hasText: 'Enamel Coffee Mug' }).getByTestId('availability').textContent()).toBe('10 in stock'); // Blue first

    // Order 1: two gray mugs, shipped.
    const shipped = await checkout('Enamel Coffee Mug', /^Gray/, 2, null);
    // The page re-reads the storefront: the gray mug shows what is left.
    const mugCard = page.getByTestId('product-card').filter({ hasText: 'Enamel Coffee Mug' });
    await mugCard.getByRole('combobox').click();
    await expect.poll(async () => (await page.getByRole('option', { name: /^Gray/ }).textContent()) ?? '').toContain('6 in stock');
    await page.keyboard.press('Escape');

    // Order 2: one tote, picked up at Uptown.
    const pickedUp = await checkout('Canvas Tote Bag', null, 1, /^Uptown counter/);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/storefront.png', fullPage: true });

    const first = await api(`/v2/orders/${shipped}`);
    expect(first.body).toMatchObject({ id: shipped, status_id: 11, status: 'Awaiting Fulfillment', order_source: 'www', channel_id: 1, items_total: 2 });
    const firstConsignments = await api(`/v2/orders/${shipped}/consignments`);
    expect(firstConsignments.body.pickups).toEqual([]);
    expect(firstConsignments.body.shipping).toHaveLength(1);
    expect(firstConsignments.body.shipping[0]).toMatchObject({ first_name: 'Sam', city: 'Austin', items_total: 2 });
    expect((await api(`/v2/orders/${shipped}/products`)).body).toMatchObject([{ variant_id: gray, sku: 'BC-MUG-GRY', quantity: 2 }]);

    const second = await api(`/v2/orders/${pickedUp}`);
    expect(second.body).toMatchObject({ id: pickedUp, status_id: 11, shipping_address_count: 0, items_total: 1 });
    const secondConsignments = await api(`/v2/orders/${pickedUp}/consignments`);
    expect(secondConsignments.body.shipping).toEqual([]);
    expect(secondConsignments.body.pickups[0]).toMatchObject({ pickup_method_id: pickupMethod, pickup_method_display_name: 'Uptown counter', collection_instructions: 'Ask at the till', location: { id: uptown, code: 'UPTOWN', city: 'Austin' } });

    // Stock left where BigCommerce takes it: the default location for shipping, the pickup location for pickup.
    expect(await onHand(gray, 1)).toBe(gray0 - 2);
    expect(await onHand(toteVariant, uptown)).toBe(tote0 - 1);
    expect(await onHand(toteVariant, 1)).toBe(25);
  });

  it('cancels and refunds from the sandbox control panel', async () => {
    const orders = (await api<{ id: number }[]>('/v2/orders?sort=id:asc')).body.map((o) => o.id);
    const [shipped, pickedUp] = orders.slice(-2);
    const tote = await variantsOf('BC-TOTE');
    const mug = await variantsOf('BC-MUG-GRY');

    await page.goto(`${app.url}/sandbox/control-panel`);
    const row = (id: number) => page.getByTestId(`order-actions-${id}`);
    await row(pickedUp!).waitFor({ timeout: 15_000 });

    await row(pickedUp!).getByTestId('cancel-order').click();
    await page.getByTestId('orders-message').filter({ hasText: `Order #${pickedUp} cancelled.` }).waitFor({ timeout: 15_000 });
    // Cancelled is not a paid status: the control panel offers no refund for it.
    await expect.poll(() => row(pickedUp!).getByTestId('refund-order').isDisabled()).toBe(true);
    await row(shipped!).getByTestId('refund-order').click();
    await page.getByTestId('orders-message').filter({ hasText: new RegExp(`Refunded \\$32\\.00 on order #${shipped}; it is now Refunded`) }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: 'test-results/storefront-control-panel.png', fullPage: true });

    expect((await api(`/v2/orders/${pickedUp}`)).body.status_id).toBe(5);
    expect(await onHand(tote.variant('BC-TOTE'), uptown)).toBe(4); // cancelled: stock back (refund_order_stock_adjustment on)
    expect((await api(`/v2/orders/${shipped}`)).body).toMatchObject({ status_id: 4, refunded_amount: '32.0000' });
    expect(await onHand(mug.variant('BC-MUG-GRY'), 1)).toBe(6); // refunded: no stock back
    const refunds = await api(`/v3/orders/payment_actions/refunds?order_id:in=${shipped}`);
    expect(refunds.body.data).toHaveLength(1);
    expect((await api(`/v3/orders/payment_actions/refunds/${refunds.body.data[0].id}`)).body.data).toMatchObject({ order_id: shipped, total_amount: 32 });
  });
});
