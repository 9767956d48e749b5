/**
 * The Orders page's API over real HTTP, against both sandboxes and the job queue: an order whose
 * booking fails is shown in error with its cause (and in the activity log, once), Retry takes it
 * in again and it is booked exactly once with its invoice number and routing reasons; paging is
 * newest first and exact; the routing settings change what the next order does and are logged;
 * a store user may look but not retry or change settings.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRow, OrdersPage, RoutingSettings } from '../../src/app/api/orders/schema';
import { issueLaunchCode } from '../../src/db/repositories/launch-codes';
import { forStore } from '../../src/db/repositories/scoped';
import { intakeOrder } from '../../src/jobs/orders/engine';
import { locationsView } from '../../src/jobs/lifecycle/locations';
import type { RunningServer } from '../../src/sandbox/http';
import { databaseTargets, type TestDatabase } from '../support/db';
import { enableItems, inventoryOf, openInventoryHarness, type InventoryHarness } from '../support/inventory-harness';
import { installRuntime, serveRoutes } from '../support/routes';
import { waitFor } from '../support/wait';
import type { LinkedVariant } from '../../src/db/repositories/inventory';
import { lightspeedClientFor } from '../../src/jobs/clients';

const OWNER = { id: 31, email: 'owner@orders.test' };
const STAFF = { id: 32, email: 'staff@orders.test' };

describe.each(databaseTargets())('the Orders API on $name', (target) => {
  let t: TestDatabase;
  let h: InventoryHarness;
  let api: RunningServer;
  let owner: string;
  let staff: string;
  let variant: LinkedVariant;
  const outletIds: Record<string, string> = {};

  const call = async <T = Record<string, unknown>>(method: string, route: string, token: string, body?: unknown): Promise<{ status: number; body: T & { error?: string } }> => {
    const res = await fetch(`${api.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T & { error?: string } };
  };
  const orderRow = async (id: number): Promise<OrderRow | undefined> => (await call<OrdersPage>('GET', '/api/orders?limit=100', owner)).body.orders.find((o) => o.id === id);
  const address = { first_name: 'Ada', last_name: 'Shopper', street_1: '1 Wall St', city: 'New York', state: 'New York', zip: '10005', country: 'United States', country_iso2: 'US' };
  const place = (quantity: number) =>
    h.bcSandbox.control.placeOrder(
      h.hash,
      { status_id: 11, billing_address: address, shipping_addresses: [address], shipping_cost_ex_tax: 7.5, shipping_cost_inc_tax: 7.5, products: [{ product_id: variant.bcProductId, ...(variant.trackedBy === 'variant' ? { variant_id: variant.bcVariantId } : {}), quantity }] },
      { allowOversell: true },
    );
  const salesOf = (orderId: number) => Object.values(h.ls.control.state().sales).filter((s) => s.source.id === String(orderId) && !s.return_for);
  async function stockAt(levels: Record<string, number>) {
    for (const [name, level] of Object.entries(levels)) h.ls.control.setInventoryLevel(undefined, { product_id: variant.lsProductId, outlet_id: outletIds[name]!, level });
    const ls = await lightspeedClientFor(h.deps, h.storeId);
    for (const r of await ls.inventory.forProduct(variant.lsProductId)) await forStore(t.database.db, h.deps.secrets, h.storeId).lightspeed.acceptVersion('inventory', r.id, r.version, { ...r });
  }

  beforeAll(async () => {
    t = await target.open();
    h = await openInventoryHarness(t, { hash: `ordersapi${target.name}` });
    api = await serveRoutes();
    Object.assign(process.env, {
      NODE_ENV: 'test',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cp-orders-api-')),
      APP_URL: api.url,
      SANDBOX: 'off',
      ENCRYPTION_KEY: h.secretKey,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      BIGCOMMERCE_CLIENT_ID: h.deps.config.bigcommerce.clientId,
      BIGCOMMERCE_CLIENT_SECRET: h.deps.config.bigcommerce.clientSecret,
      BIGCOMMERCE_LOGIN_URL: h.deps.config.bigcommerce.loginUrl,
      BIGCOMMERCE_API_URL: h.deps.config.bigcommerce.apiUrl,
      LIGHTSPEED_CLIENT_ID: h.deps.config.lightspeed.clientId,
      LIGHTSPEED_CLIENT_SECRET: h.deps.config.lightspeed.clientSecret,
      LIGHTSPEED_AUTH_URL: h.deps.config.lightspeed.authUrl,
      LIGHTSPEED_API_URL: h.deps.config.lightspeed.apiUrlTemplate,
    });
    installRuntime(t.database, h.deps.secrets, h.queue);
    const scope = forStore(t.database.db, h.deps.secrets, h.storeId);
    await scope.users.upsert({ bcUserId: OWNER.id, email: OWNER.email, role: 'owner' });
    await scope.users.upsert({ bcUserId: STAFF.id, email: STAFF.email, role: 'user' });
    const sessionFor = async (userId: number) => {
      const res = await fetch(`${api.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ launchCode: await issueLaunchCode(t.database.db, h.storeId, userId, 60) }) });
      expect(res.status).toBe(200);
      return ((await res.json()) as { token: string }).token;
    };
    [owner, staff] = [await sessionFor(OWNER.id), await sessionFor(STAFF.id)];
    await enableItems(h, 1);
    variant = (await inventoryOf(h).linkedVariants())[0]!;
    for (const o of (await locationsView(h.deps, h.storeId)).outlets) outletIds[o.name] = o.lsOutletId;
  }, 180_000);

  afterAll(async () => {
    await api?.close();
    await h?.close();
    await t?.cleanup();
  });

  it('shows a failed booking with its cause; Retry books it exactly once, with the invoice number and routing reasons', async () => {
    await stockAt({ 'Downtown Store': 4, 'Uptown Store': 0, 'Back Room Warehouse': 0 });
    const order = place(2);
    h.ls.control.setFaults({ api: [{ kind: '5xx', route: 'POST /sales', status: 500, nextN: 1000 }] } as never);
    try {
      await expect(intakeOrder(h.ctx, h.storeId, order.id)).rejects.toThrow(/Lightspeed POST \/sales answered 500/);
      await expect(intakeOrder(h.ctx, h.storeId, order.id)).rejects.toThrow(); // the job's automatic retry: logged once
    } finally {
      h.ls.control.setFaults({ api: [] });
    }
    expect(salesOf(order.id)).toHaveLength(0);

    const failed = await orderRow(order.id);
    expect(failed).toMatchObject({ state: 'error', flagged: true, canRetry: true, fulfilment: 'shipping', channel: expect.any(String), status: { id: 11, name: 'Awaiting Fulfillment' } });
    expect(failed!.attention).toMatch(new RegExp(`^Order #${order.id} could not be booked in Lightspeed at Downtown Store: .+\\. Counterpart retries it automatically; Retry tries again now\\.$`));
    expect(failed!.error).toBeTruthy();
    expect(failed!.sales).toEqual([expect.objectContaining({ outletName: 'Downtown Store', state: 'booking', invoiceNumber: null, error: expect.any(String) })]);
    expect(failed!.routing?.reasons.find((r) => r.startsWith('Downtown Store:'))).toMatch(/^Downtown Store: 2 of 2 in stock, .+, 0 today$/);
    expect(failed!.routing?.reasons.find((r) => r.startsWith('Uptown Store:'))).toMatch(/^Uptown Store: 0 of 2 in stock, /);
    const log = await call<{ events: { kind?: string; summary: string; outcome: string; reason: string | null }[] }>('GET', '/api/activity?limit=200&outcome=error', owner);
    const failures = log.body.events.filter((e) => e.summary === `Order #${order.id} could not be booked in Lightspeed at Downtown Store`);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.reason).toMatch(/retried automatically, or press Retry on the Orders page$/);

    // A store user sees it, but may not retry it.
    expect((await call('GET', '/api/orders', staff)).status).toBe(200);
    const refused = await call('POST', `/api/orders/${order.id}/retry`, staff);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/^Only the store owner can retry online orders and change how they are routed to stores unless they allow it/);

    const retried = await call('POST', `/api/orders/${order.id}/retry`, owner);
    expect(retried.status).toBe(202);
    expect(retried.body).toEqual({ orderId: order.id, queued: true });
    const booked = await waitFor(async () => {
      const row = await orderRow(order.id);
      return row?.state === 'booked' ? row : undefined;
    }, `order #${order.id} booked after Retry`, 60_000, 250);
    expect(salesOf(order.id)).toHaveLength(1);
    const [sale] = salesOf(order.id);
    expect(booked).toMatchObject({ flagged: false, attention: null, error: null, canRetry: false, routing: { kind: 'single', summary: expect.stringMatching(/^Downtown Store fills the whole order/) } });
    expect(booked.sales).toEqual([{ outletId: outletIds['Downtown Store'], outletName: 'Downtown Store', saleId: sale!.id, invoiceNumber: sale!.invoice_number, state: 'booked', backorder: false, units: 2, fulfilledUnits: 0, error: null }]);

    // Nothing left to retry: refused, nothing queued.
    const again = await call('POST', `/api/orders/${order.id}/retry`, owner);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe(`Order #${order.id} is booked: there is nothing to retry`);
    expect((await call('POST', '/api/orders/999999/retry', owner)).status).toBe(404);
    const events = (await call<{ events: { summary: string; reason: string | null }[] }>('GET', '/api/activity?limit=200', owner)).body.events;
    expect(events.filter((e) => e.summary === `Order #${order.id}: trying again now`).map((e) => e.reason)).toEqual([`asked by ${OWNER.email}`]);
  });

  it('pages newest first, exactly', async () => {
    await stockAt({ 'Downtown Store': 20 });
    const placed = [place(1), place(1), place(1)];
    for (const o of placed) await intakeOrder(h.ctx, h.storeId, o.id);
    const first = await call<OrdersPage>('GET', '/api/orders?limit=2', staff);
    expect(first.body.orders.map((o) => o.id)).toEqual([placed[2]!.id, placed[1]!.id]);
    expect(first.body.next).toBe(placed[1]!.id);
    const second = await call<OrdersPage>('GET', `/api/orders?limit=2&before=${first.body.next}`, staff);
    expect(second.body.orders.map((o) => o.id)[0]).toBe(placed[0]!.id);
    expect((await call('GET', '/api/orders?limit=0', staff)).status).toBe(400);
    // Only what needs the merchant: none of these.
    expect((await call<OrdersPage>('GET', '/api/orders?show=attention', staff)).body.orders.filter((o) => placed.some((p) => p.id === o.id))).toEqual([]);
  });

  it('routing settings: an outlet that stops fulfilling is passed over, with the reason; changes are checked and logged', async () => {
    const settings = await call<RoutingSettings>('GET', '/api/orders/settings', staff);
    expect(settings.body).toMatchObject({ splitPolicy: 'split', backorderOutletId: null, shippingMode: 'note', shippingProduct: null, returnStockOnRefund: true });
    expect(settings.body.outlets.map((o) => o.name).sort()).toEqual(Object.keys(outletIds).sort());
    expect(settings.body.outlets.find((o) => o.name === 'Downtown Store')!.ordersToday).toBeGreaterThanOrEqual(4);

    expect((await call('PUT', '/api/orders/settings', staff, { splitPolicy: 'backorder' })).status).toBe(403);
    const incomplete = await call('PUT', '/api/orders/settings', owner, { splitPolicy: 'backorder' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error).toBe('To send orders no single outlet can fill to one outlet, choose that backorder outlet');

    const shippingSku = (await inventoryOf(h).linkedVariants())[0]!;
    const { rows } = await (await import('../../src/db/repositories/catalog')).catalogFor(t.database.db, h.storeId).items.list({ limit: 200 });
    const shippingItem = rows.find((r) => !r.hasVariants && r.lsItemId !== shippingSku.lsItemId)!;
    const saved = await call<RoutingSettings>('PUT', '/api/orders/settings', owner, {
      outlets: [
        { id: outletIds['Downtown Store'], fulfils: false },
        { id: outletIds['Uptown Store'], rank: 2, dailyCapacity: 40 },
      ],
      backorderOutletId: outletIds['Back Room Warehouse'],
      shippingMode: 'line',
      shippingSku: shippingItem.sku,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ backorderOutletId: outletIds['Back Room Warehouse'], shippingMode: 'line', shippingProduct: { id: shippingItem.lsItemId, sku: shippingItem.sku } });
    expect(saved.body.outlets.find((o) => o.name === 'Downtown Store')).toMatchObject({ fulfils: false });
    expect(saved.body.outlets.find((o) => o.name === 'Uptown Store')).toMatchObject({ rank: 2, dailyCapacity: 40 });
    const events = (await call<{ events: { summary: string; reason: string | null }[] }>('GET', '/api/activity?limit=200', owner)).body.events;
    expect(events.some((e) => e.summary === `Online order routing: backorders go to Back Room Warehouse; shipping is booked as a line (SKU ${shippingItem.sku})` && e.reason === `changed by ${OWNER.email}`)).toBe(true);
    expect(events.some((e) => e.summary.startsWith('Downtown Store: no longer fulfils online orders'))).toBe(true);

    await stockAt({ 'Downtown Store': 9, 'Uptown Store': 9, 'Back Room Warehouse': 0 });
    const order = place(1);
    await intakeOrder(h.ctx, h.storeId, order.id);
    const row = (await orderRow(order.id))!;
    expect(row.sales.map((s) => s.outletName)).toEqual(['Uptown Store']);
    expect(row.routing!.reasons).toContain('Downtown Store: does not fulfil online orders');
    expect(row.routing!.reasons.find((r) => r.startsWith('Uptown Store:'))).toMatch(/, 0 of 40 today$/);
    // Shipping went as a line of the chosen product.
    expect(salesOf(order.id)[0]!.line_items.map((l) => l.product_id)).toContain(shippingItem.lsItemId);
  });
});
