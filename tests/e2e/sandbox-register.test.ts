/**
 * The sandbox register page, end to end: a real browser drives /sandbox/register on the built
 * app, and every check of what changed goes through the mounted sandbox's control API — stock
 * per outlet, sales, held sales and the webhook delivery log — not through the page itself.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../support/app-server';
import { launchBrowser } from '../support/browser';

interface Summary {
  domain_prefix: string;
  name: string;
  outlets: { id: string; name: string; kind: string }[];
  registers: { id: string; name: string; outlet_id: string; is_open: boolean; offline: boolean; held_sales: number }[];
}
interface State {
  products: Record<string, { id: string; name: string; sku: string; is_family_parent: boolean; has_inventory: boolean; deleted_at: string | null; product_codes: { code: string }[] }>;
  inventory: Record<string, { current_inventory_level: number }>;
  sales: Record<string, { id: string; invoice_number: string; register_id: string; status: string; return_for: string | null; line_items: { product_id: string; quantity: number }[] }>;
  fulfillments: Record<string, { id: string; sale_id: string; note: string }>;
  consignments: Record<string, { id: string; type: string; status: string; outlet_id: string; lines: Record<string, { received: number | null }> }>;
  held_sales: { register_id: string }[];
}
interface Attempt {
  type: string;
  url: string;
  outcome: 'delivered' | 'failed' | 'dropped';
  http_status: number | null;
  body: string;
}

describe('the sandbox register page', () => {
  const sessionSecret = randomBytes(32).toString('hex');
  let app: AppServer;
  let browser: Browser;
  let page: Page;
  let control: string;
  let prefix: string;
  let receiverUrl: string;

  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${control}${path}`);
    expect(res.status, `GET ${path}`).toBe(200);
    return (await res.json()) as T;
  };
  const summary = () => get<Summary>(`/retailers/${prefix}`);
  const state = () => get<State>(`/retailers/${prefix}/state`);
  const webhookLog = () => get<Attempt[]>(`/retailers/${prefix}/webhook-log`);
  const level = (s: State, productId: string, outletId: string) => s.inventory[`${productId}:${outletId}`]?.current_inventory_level ?? 0;
  const payloadOf = (a: Attempt) => JSON.parse(new URLSearchParams(a.body).get('payload') ?? 'null') as Record<string, unknown>;

  /** Polls the control API until `check` passes (webhooks go out asynchronously). */
  async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (check(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

  async function pick(label: string, option: RegExp) {
    await page.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option }).first().click();
  }

  async function scan(testId: string, code: string, quantity: number | string) {
    await page.getByTestId(`${testId}-code`).fill(code);
    await page.getByTestId(`${testId}-quantity`).fill(String(quantity));
    await page.getByTestId(`${testId}-submit`).click();
  }

  async function actionMessage(type: 'success' | 'error' | 'warning' | 'info', text: RegExp) {
    const message = page.getByTestId('action-message');
    await message.filter({ hasText: text }).waitFor({ timeout: 15_000 });
    expect(await message.getAttribute('data-type')).toBe(type);
    return (await message.textContent()) ?? '';
  }

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAppServer({ SESSION_SECRET: sessionSecret, ENCRYPTION_KEY: randomBytes(32).toString('hex') }), launchBrowser()]);
    control = `${app.url}/sandbox/lightspeed/_sandbox`;
    const retailers = await get<Summary[]>('/retailers');
    prefix = retailers[0]?.domain_prefix ?? '';
    expect(prefix).not.toBe('');

    // Stand in for the app's "connect Lightspeed" step (not built yet): authorise the app's sandbox
    // credentials and subscribe the app's own URL to the webhooks a till produces. The app has no
    // Lightspeed receiver yet, so deliveries fail with 404 — but every attempt is logged.
    const clientSecret = createHmac('sha256', sessionSecret).update('lightspeed-sandbox-client-secret').digest('base64url');
    const redirectUri = `${app.url}/api/lightspeed/callback`;
    const codeRes = await fetch(`${control}/auth-codes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uri: redirectUri }) });
    const { code } = (await codeRes.json()) as { code: string };
    const tokenRes = await fetch(`${app.url}/sandbox/lightspeed/${prefix}/api/1.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: 'counterpart-sandbox', client_secret: clientSecret, redirect_uri: redirectUri }),
    });
    expect(tokenRes.status).toBe(200);
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    receiverUrl = `${app.url}/api/webhooks/lightspeed`;
    for (const type of ['sale.update', 'inventory.update', 'consignment.receive']) {
      const res = await fetch(`${app.url}/sandbox/lightspeed/${prefix}/api/2026-07/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiverUrl, type, active: true }),
      });
      expect(res.status).toBe(201);
    }

    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('sells, holds sales offline, returns, receives and counts stock — each visible in the sandbox and its webhooks', async () => {
    const before = await state();
    const seeded = await summary();
    const uptown = seeded.outlets.find((o) => o.name === 'Uptown Store');
    const register = seeded.registers.find((r) => r.name === 'Uptown Main Register');
    expect(uptown && register && register.outlet_id === uptown.id && register.is_open).toBe(true);
    if (!uptown || !register) return;

    // Two sellable products with a barcode and stock at Uptown.
    const sellable = Object.values(before.products).filter(
      (p) => p.deleted_at === null && !p.is_family_parent && p.has_inventory && p.product_codes.length > 0 && level(before, p.id, uptown.id) >= 10,
    );
    const [a, b] = sellable;
    expect(a && b).toBeTruthy();
    if (!a || !b) return;
    const barcodeB = b.product_codes[0]?.code ?? '';
    const a0 = level(before, a.id, uptown.id);
    const b0 = level(before, b.id, uptown.id);

    const res = await page.goto(`${app.url}/sandbox/register`);
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.locator('h1').textContent()).toBe(`Register — ${seeded.name}`);
    expect(await page.getByTestId('sandbox-badge').textContent()).toBe('Sandbox');

    // Pick the outlet and register; the register's state is shown.
    await pick('Outlet', /^Uptown Store/);
    await pick('Register', /^Uptown Main Register/);
    expect(await page.getByRole('combobox', { name: 'Register', exact: true }).inputValue()).toBe('Uptown Main Register');
    expect(await page.getByTestId('register-status').textContent()).toMatch(/Open.*Online.*0 held sales/);

    // Bad input is refused with a clear message and changes nothing.
    await scan('sell-scan', 'NO-SUCH-SKU-123', 1);
    expect(await actionMessage('error', /No product with SKU or barcode “NO-SUCH-SKU-123”/)).toBeTruthy();
    await scan('sell-scan', a.sku, 0);
    await actionMessage('error', /quantity must be at least 1/);
    await page.getByTestId('complete-sale').click();
    await actionMessage('error', /The sale is empty/);
    const unchanged = await state();
    expect(Object.keys(unchanged.sales)).toHaveLength(Object.keys(before.sales).length);
    expect(level(unchanged, a.id, uptown.id)).toBe(a0);

    // Sell A by SKU and B by barcode, prices looked up from the sandbox.
    await scan('sell-scan', a.sku, 2);
    await actionMessage('info', new RegExp(`Added 2 × .*SKU ${escape(a.sku)}`));
    await scan('sell-scan', barcodeB, 3);
    await actionMessage('info', new RegExp(`Added 3 × .*barcode ${escape(barcodeB)}`));
    const cart = (await page.getByTestId('cart').textContent()) ?? '';
    expect(cart).toContain(a.name);
    expect(cart).toContain(b.name);
    await page.getByTestId('complete-sale').click();
    await actionMessage('success', /Sale complete — invoice/);
    const saleId = (await page.getByTestId('receipt').getAttribute('data-sale-id')) ?? '';
    expect(saleId).not.toBe('');
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/register-page-sale.png', fullPage: true });

    const afterSale = await state();
    const sale = afterSale.sales[saleId];
    expect(sale).toMatchObject({ register_id: register.id, status: 'CLOSED' });
    expect(sale?.line_items.map((l) => [l.product_id, l.quantity]).sort()).toEqual([[a.id, 2], [b.id, 3]].sort());
    expect(level(afterSale, a.id, uptown.id)).toBe(a0 - 2);
    expect(level(afterSale, b.id, uptown.id)).toBe(b0 - 3);

    // The sandbox tried to deliver the sale and both stock changes to the app's URL.
    const log = await eventually(
      webhookLog,
      (l) =>
        l.some((x) => x.type === 'sale.update' && payloadOf(x).id === saleId) &&
        [a.id, b.id].every((id) => l.some((x) => x.type === 'inventory.update' && payloadOf(x).product_id === id && payloadOf(x).outlet_id === uptown.id)),
      'sale.update and inventory.update deliveries',
    );
    const saleAttempts = log.filter((x) => x.type === 'sale.update' && payloadOf(x).id === saleId);
    expect(saleAttempts[0]).toMatchObject({ url: receiverUrl, outcome: expect.stringMatching(/^(delivered|failed)$/) });
    expect(log.find((x) => x.type === 'inventory.update' && payloadOf(x).product_id === a.id && payloadOf(x).count === a0 - 2)).toBeTruthy();
    expect(log.find((x) => x.type === 'inventory.update' && payloadOf(x).product_id === b.id && payloadOf(x).count === b0 - 3)).toBeTruthy();
    // …and the page lists them in its webhook table.
    await page.getByTestId('webhook-log').filter({ hasText: 'sale.update' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('webhook-log').textContent()).toMatch(/inventory\.update/);

    // Offline: the sale is held on the register, stock does not move, no sale is created.
    await page.getByTestId('offline-toggle').click();
    await page.getByTestId('register-connectivity').filter({ hasText: 'Offline' }).waitFor();
    expect((await summary()).registers.find((r) => r.id === register.id)?.offline).toBe(true);
    await scan('sell-scan', a.sku, 1);
    await page.getByTestId('complete-sale').click();
    await actionMessage('warning', /Sale held on the offline register/);
    await page.getByTestId('held-count').filter({ hasText: '1 held sale' }).waitFor();
    const whileOffline = await state();
    expect(whileOffline.held_sales.filter((h) => h.register_id === register.id)).toHaveLength(1);
    expect((await summary()).registers.find((r) => r.id === register.id)?.held_sales).toBe(1);
    expect(level(whileOffline, a.id, uptown.id)).toBe(a0 - 2);
    expect(Object.keys(whileOffline.sales)).toHaveLength(Object.keys(afterSale.sales).length);

    // Back online: the held sale uploads and stock drops.
    await page.getByTestId('offline-toggle').click();
    await page.getByTestId('till-message').filter({ hasText: /Uploaded 1 held sale/ }).waitFor();
    await page.getByTestId('held-count').filter({ hasText: '0 held sales' }).waitFor();
    const online = await state();
    expect(online.held_sales).toHaveLength(0);
    const uploaded = Object.values(online.sales).filter((s) => !afterSale.sales[s.id]);
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0]).toMatchObject({ register_id: register.id, status: 'CLOSED', line_items: [{ product_id: a.id, quantity: 1 }] });
    expect(level(online, a.id, uptown.id)).toBe(a0 - 3);
    await eventually(webhookLog, (l) => l.some((x) => x.type === 'sale.update' && payloadOf(x).id === uploaded[0]?.id), 'the uploaded sale’s webhook');

    // Return 1 of B from the first sale.
    await page.getByRole('tab', { name: 'Return' }).click();
    const invoice = afterSale.sales[saleId]?.invoice_number ?? '';
    expect(invoice).not.toBe('');
    await pick(`Recent sales at ${uptown.name}`, new RegExp(`^${escape(invoice)} `));
    await page.getByLabel(`Quantity to return of ${b.name}`).fill('1');
    await page.getByTestId('return-some').click();
    await actionMessage('success', new RegExp(`Returned 1 item from ${escape(invoice)}`));
    const returned = await state();
    expect(level(returned, b.id, uptown.id)).toBe(b0 - 2);
    expect(Object.values(returned.sales).filter((s) => s.return_for === saleId).map((s) => s.line_items)).toEqual([[expect.objectContaining({ product_id: b.id, quantity: -1 })]]);

    // Receive a delivery of A by SKU: stock rises by exactly the received quantity.
    await page.getByRole('tab', { name: 'Receive delivery' }).click();
    await scan('receive-scan', a.sku, 0);
    await actionMessage('error', /at least 1/);
    await scan('receive-scan', a.sku, 7);
    await page.getByTestId('receive-delivery').click();
    await actionMessage('success', /Received “.*” at Uptown Store/);
    const received = await state();
    expect(level(received, a.id, uptown.id)).toBe(a0 - 3 + 7);
    await eventually(webhookLog, (l) => l.some((x) => x.type === 'inventory.update' && payloadOf(x).product_id === a.id && payloadOf(x).count === a0 + 4), 'the received stock’s webhook');

    // A bulk supplier delivery: hundreds of distinct lines in one consignment, stock up by its total.
    // More lines than the catalog has stock-tracked products is refused and receives nothing.
    const totalAt = (s: State) => Object.values(s.products).reduce((sum, p) => sum + level(s, p.id, uptown.id), 0);
    const beforeBulk = totalAt(received);
    const stockTracked = Object.values(received.products).filter((p) => p.deleted_at === null && !p.is_family_parent && p.has_inventory).length;
    await page.getByTestId('bulk-count').fill(String(stockTracked + 1));
    await page.getByTestId('receive-bulk').click();
    await actionMessage('error', new RegExp(`the catalog has ${stockTracked} stock-tracked products. Nothing was received`));
    expect(Object.keys((await state()).consignments)).toHaveLength(Object.keys(received.consignments).length);
    await page.getByTestId('bulk-count').fill('250');
    await page.getByTestId('receive-bulk').click();
    const bulkText = await actionMessage('success', /Received a supplier delivery of 250 lines at Uptown Store/);
    const gain = Number(/\+(\d+) units/.exec(bulkText)?.[1]);
    const bulk = await state();
    const consignment = Object.values(bulk.consignments).find((c) => c.type === 'SUPPLIER' && Object.keys(c.lines).length === 250);
    expect(consignment).toMatchObject({ status: 'RECEIVED', outlet_id: uptown.id });
    expect(gain).toBe(Object.values(consignment?.lines ?? {}).reduce((s, l) => s + (l.received ?? 0), 0));
    expect(totalAt(bulk) - beforeBulk).toBe(gain);

    // Count B by barcode: the counted quantity becomes the level.
    await page.getByRole('tab', { name: 'Count stock' }).click();
    await scan('count-scan', barcodeB, 42);
    await actionMessage('success', new RegExp(`Counted ${escape(b.name)} at Uptown Store`));
    const counted = await state();
    expect(level(counted, b.id, uptown.id)).toBe(42);
    expect(Object.values(counted.consignments).some((c) => c.type === 'STOCKTAKE' && c.status === 'STOCKTAKE_COMPLETE' && c.outlet_id === uptown.id)).toBe(true);
    await page.getByTestId(`stock-${uptown.id}`).filter({ hasText: /^42$/ }).waitFor();
    expect(await page.getByTestId('stock-product').textContent()).toBe(b.name);

    await eventually(webhookLog, (l) => l.some((x) => x.type === 'inventory.update' && payloadOf(x).product_id === b.id && payloadOf(x).count === 42), 'the count’s webhook');
    // The bulk delivery fanned out one inventory.update per line plus its consignment.receive,
    // every attempt to the app's own URL and logged with an outcome.
    const bulkProducts = new Set(Object.keys(consignment?.lines ?? {}));
    const all = await eventually(
      webhookLog,
      (l) => {
        const seen = new Set(l.filter((x) => x.type === 'inventory.update' && payloadOf(x).outlet_id === uptown.id).map((x) => String(payloadOf(x).product_id)));
        return [...bulkProducts].every((id) => seen.has(id)) && l.some((x) => x.type === 'consignment.receive' && payloadOf(x).id === consignment?.id);
      },
      'the bulk delivery’s 250 inventory.update webhooks',
      90_000,
    );
    expect(new Set(all.map((x) => x.url))).toEqual(new Set([receiverUrl]));
    expect(all.every((x) => x.outcome === 'delivered' || x.outcome === 'failed')).toBe(true);

    // The page's webhook table shows the count's delivery, with what it carried (filtered to the
    // product, as the bulk delivery's retries are still coming in).
    await pick('Show', new RegExp(`^Only ${escape(b.name)}`));
    await page.getByTestId('webhook-log').filter({ hasText: `${b.sku} @ Uptown Store → 42` }).waitFor({ timeout: 10_000 });

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/register-page.png', fullPage: true });
  });

  it('takes sales for later delivery and pickup and fulfils them from Orders to fulfil: stock leaves as they are dispatched or collected', async () => {
    const before = await state();
    const seeded = await summary();
    const uptown = seeded.outlets.find((o) => o.name === 'Uptown Store');
    const register = seeded.registers.find((r) => r.name === 'Uptown Main Register');
    if (!uptown || !register) throw new Error('the seeded Uptown store or its register is missing');
    const sellable = Object.values(before.products).filter(
      (p) => p.deleted_at === null && !p.is_family_parent && p.has_inventory && level(before, p.id, uptown.id) >= 10,
    );
    // Products the first test did not touch.
    const [c, d] = sellable.slice(-2);
    if (!c || !d) throw new Error('the seed has too few stocked products at Uptown');
    const c0 = level(before, c.id, uptown.id);
    const d0 = level(before, d.id, uptown.id);

    await page.goto(`${app.url}/sandbox/register`);
    await pick('Outlet', /^Uptown Store/);
    await pick('Register', /^Uptown Main Register/);
    await page.getByTestId('orders-panel').waitFor();

    // Paid now, delivered later: the sale waits at Uptown and no stock has left.
    await scan('sell-scan', c.sku, 3);
    await actionMessage('info', new RegExp(`Added 3 × `));
    await pick('Customer takes it', /^Later — deliver it/);
    await page.getByTestId('complete-sale').click();
    const deliveryText = await actionMessage('success', /awaits dispatch/);
    const deliveryInvoice = /Sale (\S+) awaits dispatch/.exec(deliveryText)?.[1] ?? '';
    const afterSale = await state();
    const deliverySale = Object.values(afterSale.sales).find((x) => x.invoice_number === deliveryInvoice);
    expect(deliverySale).toMatchObject({ register_id: register.id, status: 'AWAITING_DISPATCH' });
    expect(level(afterSale, c.id, uptown.id)).toBe(c0);

    const order = page.locator(`[data-invoice="${deliveryInvoice}"]`);
    await order.waitFor();
    const orderId = ((await order.getAttribute('data-testid')) ?? '').replace(/^order-/, '');
    expect(orderId).not.toBe('');

    // Dispatch one of the three with a tracking number: exactly one unit leaves Uptown.
    await page.getByLabel(`Quantity to fulfil of ${c.name} on ${deliveryInvoice}`).fill('4');
    await page.getByTestId(`fulfil-some-${orderId}`).click();
    await page.getByTestId('orders-message').filter({ hasText: /Only 3 of/ }).waitFor();
    expect(level(await state(), c.id, uptown.id)).toBe(c0);
    await page.getByLabel(`Quantity to fulfil of ${c.name} on ${deliveryInvoice}`).fill('1');
    await page.getByTestId(`tracking-${orderId}`).fill('TRK-E2E-0001');
    await page.getByTestId(`fulfil-some-${orderId}`).click();
    await page.getByTestId('orders-message').filter({ hasText: `Dispatched 1 item of ${deliveryInvoice}` }).waitFor();
    const partly = await state();
    expect(level(partly, c.id, uptown.id)).toBe(c0 - 1);
    expect(partly.sales[deliverySale?.id ?? '']?.status).toBe('AWAITING_DISPATCH');
    expect(partly.fulfillments[orderId]?.note).toContain('Tracking number: TRK-E2E-0001');
    await page.getByTestId(`order-note-${orderId}`).filter({ hasText: 'TRK-E2E-0001' }).waitFor();

    // Dispatch the rest: the sale closes as dispatched and leaves the list.
    await page.getByTestId(`fulfil-all-${orderId}`).click();
    await page.getByTestId('orders-message').filter({ hasText: `Dispatched 2 items of ${deliveryInvoice} — complete` }).waitFor();
    await order.waitFor({ state: 'detached' });
    const dispatched = await state();
    expect(dispatched.sales[deliverySale?.id ?? '']?.status).toBe('DISPATCHED_CLOSED');
    expect(level(dispatched, c.id, uptown.id)).toBe(c0 - 3);

    // Picked up later: collected in one go.
    await scan('sell-scan', d.sku, 2);
    await actionMessage('info', new RegExp(`Added 2 × `));
    await pick('Customer takes it', /^Later — picks it up/);
    await page.getByTestId('complete-sale').click();
    const pickupText = await actionMessage('success', /awaits pickup/);
    const pickupInvoice = /Sale (\S+) awaits pickup/.exec(pickupText)?.[1] ?? '';
    const pickupOrder = page.locator(`[data-invoice="${pickupInvoice}"]`);
    await pickupOrder.waitFor();
    expect(level(await state(), d.id, uptown.id)).toBe(d0);
    const pickupId = ((await pickupOrder.getAttribute('data-testid')) ?? '').replace(/^order-/, '');
    expect(await page.getByTestId(`tracking-${pickupId}`).count()).toBe(0);
    await page.getByTestId(`fulfil-all-${pickupId}`).click();
    await page.getByTestId('orders-message').filter({ hasText: `Handed over 2 items of ${pickupInvoice} — complete` }).waitFor();
    const collected = await state();
    expect(Object.values(collected.sales).find((x) => x.invoice_number === pickupInvoice)?.status).toBe('PICKED_UP_CLOSED');
    expect(level(collected, d.id, uptown.id)).toBe(d0 - 2);

    // The stock moves reached the app's URL as inventory.update webhooks, one per fulfilment.
    await eventually(
      webhookLog,
      (l) =>
        [c0 - 1, c0 - 3].every((count) => l.some((x) => x.type === 'inventory.update' && payloadOf(x).product_id === c.id && payloadOf(x).count === count)) &&
        l.some((x) => x.type === 'inventory.update' && payloadOf(x).product_id === d.id && payloadOf(x).count === d0 - 2),
      'the fulfilments’ inventory.update webhooks',
    );
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/register-page-orders.png', fullPage: true });
  });

  it('links to the register page from the home page in sandbox mode', async () => {
    await page.goto(app.url);
    const tools = page.getByTestId('sandbox-tools');
    await tools.getByRole('link', { name: 'Register page' }).click();
    await page.waitForURL(`${app.url}/sandbox/register`);
    await page.getByTestId('sandbox-badge').waitFor();
    // A warehouse has no registers: the page says so instead of offering a till.
    await pick('Outlet', /^Back Room Warehouse/);
    await page.getByText('Back Room Warehouse has no registers').waitFor();
    expect(await page.getByRole('combobox', { name: 'Register', exact: true }).isDisabled()).toBe(true);
    // The home page keeps its existing content.
    await page.goto(app.url);
    expect(await page.getByTestId('system-status').count()).toBe(1);
  });
});

describe('the register page outside sandbox mode', () => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startAppServer({ SANDBOX: 'off', BIGCOMMERCE_CLIENT_ID: 'live-client-id', BIGCOMMERCE_CLIENT_SECRET: 'live-client-secret' });
  });
  afterAll(async () => app?.stop());

  it('is not found, nor is the sandbox it drives, and the home page offers no sandbox tools', async () => {
    expect((await fetch(`${app.url}/sandbox/register`)).status).toBe(404);
    expect((await fetch(`${app.url}/sandbox/lightspeed/_sandbox/retailers`)).status).toBe(404);
    const home = await fetch(app.url);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('System status');
    expect(html).not.toContain('Sandbox tools');
    expect(html).not.toContain('/sandbox/register');
  });
});
