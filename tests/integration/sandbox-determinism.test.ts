/**
 * One seed → one run, over both sandboxes at once (issue 9, item 7). One VirtualClock drives the
 * Lightspeed retailer and the BigCommerce store; one seed seeds both. The scenario mixes what the
 * two platforms do between them — till sales, sales awaiting dispatch and pickup fulfilled in
 * parts, a stock count and an offline register on Lightspeed; storefront checkouts for shipping
 * and pickup, pickups of an order's items, a cancellation, refunds and inventory adjustments on
 * BigCommerce — with a small script standing in for the app between them (a BigCommerce order
 * becomes a Lightspeed sale, a Lightspeed stock change becomes a BigCommerce absolute write).
 * Faults are drawn with probabilities on both sides (answers lost after the write, 5xx, dropped
 * and duplicated webhooks), and every webhook's first delivery fails, so retries run on the
 * documented schedules. Everything goes over real HTTP: API calls, control actions (as the
 * register page and the storefront send them) and webhook deliveries to a real receiver.
 *
 * Run twice with seed A, both sandboxes' full event logs are byte-identical; with seed B, each
 * differs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_DELAYS_MS, type LogEntry } from '@/sandbox/bigcommerce';
import { VirtualClock } from '@/sandbox/clock';
import type { SandboxEvent } from '@/sandbox/lightspeed';
import { startSandbox as startBigCommerce } from './sandbox-bigcommerce/helpers';
import { shopper } from './sandbox-bigcommerce/order-helpers';
import { saleBody, saleFixture, startSandbox as startLightspeed, type FulfillmentJson } from './sandbox-lightspeed/helpers';

const START = Date.UTC(2026, 6, 1, 9);
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** How long the receiver refuses each message. */
const OUTAGE_MS = 5 * MINUTE;

/**
 * The app side of every webhook, for both platforms (`/ls`, `/bc`). Its answer may depend only on
 * what it is sent and on the shared virtual clock, never on the order in which concurrent POSTs
 * arrive (the seed does not fix that): a message is refused with 500 for the first five virtual
 * minutes after it was first seen, then acknowledged. So every message is retried a few times on
 * its platform's documented schedule, whatever the arrival order of a duplicate and its original.
 */
async function startReceiver(clock: { current: VirtualClock | null }) {
  const firstSeen = new Map<string, number>();
  let received = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received += 1;
      const now = clock.current?.now() ?? 0;
      const key = `${req.url ?? ''} ${Buffer.concat(chunks).toString('utf8')}`;
      if (!firstSeen.has(key)) firstSeen.set(key, now);
      res.statusCode = now - (firstSeen.get(key) ?? now) < OUTAGE_MS ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    reset: () => {
      firstSeen.clear();
      received = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

interface Run {
  lightspeed: string;
  bigcommerce: string;
  lightspeedEvents: SandboxEvent[];
  bigcommerceEntries: LogEntry[];
  /** What each call the app side made came back with, in order: a status, or `lost`. */
  outcomes: string[];
}

/** Where each sandbox listened is the one thing the seed does not choose; logs name it as this. */
const ORIGIN = 'http://sandbox.invalid';

async function scenario(seed: number, receiver: Receiver, clockRef: { current: VirtualClock | null }): Promise<Run> {
  const clock = new VirtualClock(START);
  clockRef.current = clock;
  receiver.reset();
  const ls = await startLightspeed({ clock, runSeed: seed, webhookRetryDelaysMs: undefined });
  const bc = await startBigCommerce({ clock, seed, inventoryApplyDelayMs: 1_000, webhookRetryDelaysMs: DEFAULT_RETRY_DELAYS_MS, policies: { hookActivationMaxDelayMs: 30_000 } }, 'mixstore');
  const outcomes: string[] = [];
  try {
    const settle = async () => {
      await ls.sandbox.control.webhooksSettled();
      await bc.sandbox.control.webhooksSettled();
    };
    /** Lets deliveries already sent finish, then moves both platforms' time on together. */
    const tick = async (ms: number) => {
      await settle();
      await clock.advance(ms, settle);
    };

    // ---- calls as the app makes them; a lost answer (connection reset) is `null` ----
    const send = async (url: string, init: RequestInit): Promise<Response | null> => {
      try {
        const res = await fetch(url, init);
        outcomes.push(String(res.status));
        return res;
      } catch {
        outcomes.push('lost');
        return null;
      }
    };
    const lsCall = (path: string, method = 'GET', json?: unknown) =>
      send(`${ls.base}${path}`, { method, headers: { authorization: `Bearer ${ls.token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) }, body: json === undefined ? undefined : JSON.stringify(json) });
    const bcCall = (path: string, method = 'GET', json?: unknown) =>
      send(`${bc.server.url}/stores/${bc.hash}${path}`, { method, headers: { 'x-auth-token': bc.token, accept: 'application/json', 'content-type': 'application/json' }, body: json === undefined ? undefined : JSON.stringify(json) });
    /** Reads and idempotent writes are repeated until an answer that is not a 5xx comes back; it must be a success. */
    const answered = async (call: () => Promise<Response | null>): Promise<any> => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const res = await call();
        if (res && res.status < 500) {
          const text = await res.text();
          expect(res.status, text).toBeLessThan(300);
          return text ? JSON.parse(text) : undefined;
        }
      }
      throw new Error('no answer after 50 attempts');
    };
    const lsControl = async (path: string, json?: unknown) => {
      const res = await fetch(`${ls.origin}/_sandbox/retailers/${ls.sandbox.domainPrefix}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json ?? {}) });
      expect(res.status, path).toBe(200);
      return res.json();
    };
    const bcControl = async (method: string, path: string, json?: unknown) => {
      const res = await fetch(`${bc.server.url}/_sandbox/stores/${bc.hash}${path}`, { method, headers: { 'content-type': 'application/json' }, body: json === undefined ? undefined : JSON.stringify(json) });
      const text = await res.text();
      expect(res.status, `${path}: ${text}`).toBeLessThan(300);
      return JSON.parse(text);
    };

    // ---- both platforms: catalog, locations, hooks (before any fault) ----
    const fx = saleFixture(ls.sandbox);
    const [a, b, c] = fx.products;
    if (!a || !b || !c) throw new Error('the seeded retailer has too few products');
    for (const type of ['sale.update', 'inventory.update', 'consignment.receive']) {
      expect((await lsCall('/webhooks', 'POST', { url: `${receiver.url}/ls`, type, active: true }))?.status).toBe(201);
    }
    for (const scope of ['store/order/*', 'store/product/inventory/*', 'store/sku/inventory/*']) {
      expect((await bcCall('/v3/hooks', 'POST', { scope, destination: `${receiver.url}/bc`, is_active: true }))?.status).toBe(200);
    }
    const levelAt = async (productId: string, outletId: string): Promise<number> => {
      const records = (await answered(() => lsCall(`/inventory/${productId}`))) as { outlet_id: string; current_inventory_level: number }[];
      return records.find((i) => i.outlet_id === outletId)?.current_inventory_level ?? 0;
    };
    // Each BigCommerce item carries the SKU of its Lightspeed product: a mug tracked by product,
    // a tee tracked per variant.
    const mug = (await answered(() => bcCall('/v3/catalog/products', 'POST', { name: 'Mug', type: 'physical', weight: 1, price: 12, sku: a.sku, inventory_tracking: 'product', inventory_level: 0 }))).data;
    const tee = (
      await answered(() =>
        bcCall('/v3/catalog/products', 'POST', {
          name: 'Tee',
          type: 'physical',
          weight: 1,
          price: 25,
          inventory_tracking: 'variant',
          variants: [
            { sku: b.sku, option_values: [{ option_display_name: 'Size', label: 'M' }], inventory_level: 0 },
            { sku: c.sku, option_values: [{ option_display_name: 'Size', label: 'S' }], inventory_level: 0 },
          ],
        }),
      )
    ).data;
    const items = [
      { ls: a.id, product_id: mug.id as number, variant_id: mug.variants[0].id as number },
      { ls: b.id, product_id: tee.id as number, variant_id: tee.variants[0].id as number },
      { ls: c.id, product_id: tee.id as number, variant_id: tee.variants[1].id as number },
    ];
    await answered(() =>
      bcCall('/v3/inventory/locations', 'POST', [
        { code: 'DOWNTOWN', label: 'Downtown', managed_by_external_source: true, type_id: 'PHYSICAL', time_zone: 'America/Los_Angeles', address: { address1: '1 Market St', city: 'San Francisco', state: 'California', zip: '94105', email: 'store@example.com', geo_coordinates: { latitude: 37.79, longitude: -122.39 }, country_code: 'US' } },
      ]),
    );
    const downtown = (await answered(() => bcCall('/v3/inventory/locations?location_code:in=DOWNTOWN'))).data[0].id as number;
    const [pickupMethod] = (await answered(() => bcCall('/v3/pickup/methods', 'POST', [{ location_id: downtown, display_name: 'Downtown counter' }]))).data;

    /** The app's stock sync, Lightspeed → BigCommerce: the register outlet's level, absolutely, at the default location. */
    const syncStock = async (only?: string) => {
      const lines: { location_id: number; variant_id: number; quantity: number }[] = [];
      for (const item of items.filter((i) => only === undefined || i.ls === only)) lines.push({ location_id: 1, variant_id: item.variant_id, quantity: Math.max(0, await levelAt(item.ls, fx.storeId)) });
      await answered(() => bcCall('/v3/inventory/adjustments/absolute', 'PUT', { reason: 'Lightspeed level', items: lines }));
    };
    // Opening counts on Lightspeed (the store and the warehouse), mirrored to BigCommerce.
    for (const outlet_id of [fx.storeId, fx.warehouseId]) await lsControl('stock-count', { outlet_id, lines: [a, b, c].map((p) => ({ product_id: p.id, counted: 30 })) });
    await syncStock();
    await answered(() => bcCall('/v3/inventory/adjustments/absolute', 'PUT', { reason: 'opening', items: items.map((i) => ({ location_id: downtown, variant_id: i.variant_id, quantity: 6 })) }));
    await tick(30_000); // adjustments applied; every hook past its activation delay

    ls.sandbox.control.setFaults({
      api: [
        { route: 'POST /sales', kind: 'lost', probability: 0.35 },
        { route: 'POST /fulfillments/:id/fulfill', kind: 'lost', probability: 0.5 },
        { route: 'PUT /sales/:id', kind: 'lost', probability: 0.3 },
        { route: 'GET /inventory/:id', kind: '5xx', probability: 0.25 },
      ],
      webhooks: { drop: { probability: 0.15 } },
    });
    await bcControl('PUT', '/faults', {
      api: [
        { kind: 'lost', route: 'PUT /v3/inventory/adjustments/absolute', probability: 0.3 },
        { kind: 'lost', route: 'PUT /v2/orders/:order_id', probability: 0.4 },
        { kind: 'status', status: 503, route: 'GET /v2/**', probability: 0.25 },
      ],
      webhooks: { duplicateRate: 0.2, dropRate: 0.1 },
    });

    // ---- the app's order sync, BigCommerce → Lightspeed ----
    const saleIdFor = (orderId: number) => `b1c00000-0000-4000-8000-${String(orderId).padStart(12, '0')}`;
    /** Books the order as a Lightspeed sale with the id the app chose; a lost answer is settled by reading that id back. */
    const bookSale = async (orderId: number, body: Record<string, unknown>) => {
      const id = saleIdFor(orderId);
      for (;;) {
        const res = await lsCall('/sales', 'POST', { ...body, id });
        if (res) {
          expect(res.status).toBe(200);
          return id;
        }
        if ((await lsCall(`/sales/${id}`))?.status === 200) return id;
      }
    };
    const lsFulfilments = async (saleId: string): Promise<FulfillmentJson[]> => (await answered(() => lsCall(`/fulfillments?sale_id=${saleId}`))).data;
    /** A line fulfilment, repeated as is after a lost answer (the spec makes it idempotent). */
    const fulfilUnits = async (f: FulfillmentJson, quantity: number) => {
      const body = { version: f.version, line_items: [{ sale_line_item_id: f.line_items[0]?.sale_line_item_id, quantity }] };
      await answered(() => lsCall(`/fulfillments/${f.id}/fulfill`, 'POST', body));
    };
    const checkout = (lines: { product_id: number; variant_id: number; quantity: number }[], fulfilment: Record<string, unknown>) =>
      bcControl('POST', '/checkout', { channel_id: 1, lines, billing_address: shopper, fulfilment });

    const orders: number[] = [];
    for (let round = 0; round < 4; round++) {
      // A shopper buys a tee (M) and a mug for shipping; the order waits for dispatch from the warehouse.
      const shipped = (await checkout([{ product_id: tee.id, variant_id: items[1]!.variant_id, quantity: 1 }, { product_id: mug.id, variant_id: items[0]!.variant_id, quantity: 1 + (round % 2) }], { type: 'shipping', address: shopper })).order;
      orders.push(shipped.id);
      const saleId = await bookSale(
        shipped.id,
        saleBody(fx, { state: 'pending', sourceId: `bc-${shipped.id}`, fulfillmentOutletId: fx.warehouseId, lines: [{ productId: b.id, quantity: 1, method: 'DISPATCH' }, { productId: a.id, quantity: 1 + (round % 2), method: 'DISPATCH' }] }),
      );

      // A till sale at the register; its stock change reaches BigCommerce.
      await lsControl('sell', { register_id: fx.registerId, lines: [{ product_id: a.id, quantity: 1 }] });
      await syncStock(a.id);
      await tick(10 * MINUTE);

      // A pickup order at Downtown: ready, then collected; Lightspeed holds it for pickup at the other store.
      const pickedUp = (await checkout([{ product_id: tee.id, variant_id: items[2]!.variant_id, quantity: 1 }], { type: 'pickup', pickup_method_id: pickupMethod.id })).order;
      const pickupSale = await bookSale(pickedUp.id, saleBody(fx, { state: 'pending', sourceId: `bc-${pickedUp.id}`, fulfillmentOutletId: fx.otherStoreId, lines: [{ productId: c.id, quantity: 1, method: 'PICKUP' }] }));
      const [line] = await answered(() => bcCall(`/v2/orders/${pickedUp.id}/products`));
      const ready = (await answered(() => bcCall('/v3/orders/pickups', 'POST', [{ pickup_method_id: pickupMethod.id, order_id: pickedUp.id, ready_at: new Date(clock.now()).toISOString(), pickup_items: [{ order_product_id: line.id, quantity: 1 }] }]))).data[0];
      await tick(20 * MINUTE);
      await answered(() => bcCall('/v3/orders/pickups', 'PUT', [{ id: ready.id, pickup_id: ready.id, collected_at: new Date(clock.now()).toISOString() }]));
      await answered(() => lsCall('/fulfillments/fulfill', 'POST', { sale_id: pickupSale }));

      // The warehouse dispatches the shipping order in two parts.
      const [f] = await lsFulfilments(saleId);
      if (!f) throw new Error('no fulfilment for the shipping sale');
      await fulfilUnits(f, 1);
      await tick(15 * MINUTE);
      await answered(() => lsCall('/fulfillments/fulfill', 'POST', { sale_id: saleId }));
      await syncStock();

      if (round === 1) {
        // The first order is cancelled: BigCommerce returns its stock, the app voids its sale.
        await answered(() => bcCall(`/v2/orders/${orders[0]}`, 'PUT', { status_id: 5 }));
        await answered(() => lsCall(`/sales/${saleIdFor(orders[0]!)}`, 'PUT', { source: { author_id: fx.userId }, state: 'voided' }));
      }
      if (round === 2) {
        // A refund of one line through the refunds API, and an amount refunded in the control panel.
        const [refundLine] = await answered(() => bcCall(`/v2/orders/${orders[1]}/products`));
        const quote = (await answered(() => bcCall(`/v3/orders/${orders[1]}/payment_actions/refund_quotes`, 'POST', { items: [{ item_type: 'PRODUCT', item_id: refundLine.id, quantity: 1 }] }))).data;
        await answered(() =>
          bcCall(`/v3/orders/${orders[1]}/payment_actions/refunds`, 'POST', { items: [{ item_type: 'PRODUCT', item_id: refundLine.id, quantity: 1 }], payments: [{ provider_id: quote.refund_methods[0][0].provider_id, amount: quote.total_refund_amount, offline: true }] }),
        );
        await bcControl('POST', `/orders/${pickedUp.id}/refund`, { amount: 5 });
        // A stock count at the register outlet.
        await lsControl('stock-count', { outlet_id: fx.storeId, lines: [{ product_id: a.id, counted: 40 }, { product_id: b.id, counted: 30 }] });
        await syncStock();
      }
      if (round === 3) {
        // The register drops offline, sells, and uploads its sales on reconnecting.
        await lsControl(`registers/${fx.registerId}/offline`);
        await lsControl('sell', { register_id: fx.registerId, lines: [{ product_id: b.id, quantity: 1 }] });
        await lsControl('sell', { register_id: fx.registerId, lines: [{ product_id: a.id, quantity: 2 }] });
        await tick(30 * MINUTE);
        await lsControl(`registers/${fx.registerId}/online`);
        await syncStock();
        // Stock received at Downtown, relatively.
        await answered(() => bcCall('/v3/inventory/adjustments/relative', 'POST', { reason: 'delivery', items: [{ location_id: downtown, variant_id: items[2]!.variant_id, quantity: 4 }] }));
      }
      await tick(HOUR);
    }
    // Every retry on both sides runs out (Lightspeed's over 48 h, BigCommerce's over about 48 h).
    await clock.runAll(4 * 24 * HOUR, settle);

    const lightspeed = JSON.stringify(ls.sandbox.control.eventLog()).replaceAll(ls.origin, ORIGIN);
    const bigcommerce = JSON.stringify(bc.sandbox.control.eventLog()).replaceAll(bc.server.url, ORIGIN);
    return { lightspeed, bigcommerce, lightspeedEvents: JSON.parse(lightspeed) as SandboxEvent[], bigcommerceEntries: JSON.parse(bigcommerce) as LogEntry[], outcomes };
  } finally {
    await ls.close();
    await bc.close();
  }
}

describe('both sandboxes: one seed, one run', () => {
  const clockRef: { current: VirtualClock | null } = { current: null };
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver(clockRef);
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('a mixed scenario on one virtual clock: seed A twice gives byte-identical event logs on both platforms, seed B different ones', async () => {
    const first = await scenario(1701, receiver, clockRef);
    const deliveries = receiver.received();
    const second = await scenario(1701, receiver, clockRef);
    const other = await scenario(2902, receiver, clockRef);

    // The logs hold what the claim is about on each side, not a trivially quiet run.
    const lsEvents = first.lightspeedEvents;
    expect(new Set(lsEvents.map((e) => e.kind))).toEqual(new Set(['api', 'control', 'fault', 'stock', 'webhook.enqueue', 'webhook.attempt']));
    expect(lsEvents.some((e) => e.kind === 'api' && e.lost && e.path.endsWith('/sales'))).toBe(true);
    expect(lsEvents.some((e) => e.kind === 'api' && e.lost && e.path.endsWith('/fulfill'))).toBe(true);
    expect(lsEvents.some((e) => e.kind === 'fault' && e.scope === 'webhook')).toBe(true);
    expect(lsEvents.filter((e) => e.kind === 'control').map((e) => e.action)).toEqual(expect.arrayContaining(['sell', 'stock-count', 'register-offline', 'register-online', 'set-faults']));
    const lsWrites = new Set(lsEvents.flatMap((e) => (e.kind === 'api' ? [`${e.method} ${e.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')}`] : [])));
    for (const write of ['POST /api/2026-07/sales', 'PUT /api/2026-07/sales/{id}', 'POST /api/2026-07/fulfillments/{id}/fulfill', 'POST /api/2026-07/fulfillments/fulfill']) expect(lsWrites).toContain(write);
    const lsAttempts = lsEvents.filter((e): e is Extract<SandboxEvent, { kind: 'webhook.attempt' }> => e.kind === 'webhook.attempt');
    expect(lsAttempts.some((e) => e.outcome === 'failed') && lsAttempts.some((e) => e.outcome === 'delivered' && e.attempt >= 4)).toBe(true);
    expect(lsAttempts.some((e) => e.outcome === 'pending')).toBe(false);

    const bcEntries = first.bigcommerceEntries;
    for (const type of ['api', 'control', 'stock', 'webhook', 'fault.api', 'fault.webhook']) expect(bcEntries.map((e) => e.type)).toContain(type);
    expect(bcEntries.some((e) => e.type === 'api' && e.status === null && e.store_answered === 200)).toBe(true); // an answer lost after the write
    expect(bcEntries.filter((e) => e.type === 'control' && e.action === 'checkout')).toHaveLength(8);
    expect(bcEntries.some((e) => e.type === 'control' && e.action === 'refundOrder')).toBe(true);
    const bcWrites = new Set(bcEntries.flatMap((e) => (e.type === 'api' ? [`${String(e.method)} ${String(e.path).replace(/\/\d+(?=\/|$)/g, '/{id}')}`] : [])));
    for (const write of ['PUT /v2/orders/{id}', 'POST /v3/orders/pickups', 'PUT /v3/orders/pickups', 'POST /v3/orders/{id}/payment_actions/refunds', 'PUT /v3/inventory/adjustments/absolute', 'POST /v3/inventory/adjustments/relative']) expect(bcWrites).toContain(write);
    expect(bcEntries.some((e) => e.type === 'webhook' && (e.attempt as number) >= 4 && e.outcome === 'delivered')).toBe(true);
    expect(bcEntries.some((e) => e.type === 'webhook' && e.duplicate === true)).toBe(true);
    const scopes = new Set(bcEntries.filter((e) => e.type === 'webhook').map((e) => (JSON.parse(e.body as string) as { scope: string }).scope));
    for (const scope of ['store/order/created', 'store/order/statusUpdated', 'store/order/refund/created', 'store/product/inventory/order/updated', 'store/sku/inventory/updated']) expect(scopes).toContain(scope);
    expect(first.outcomes).toContain('lost');
    expect(first.outcomes).toContain('503');
    expect(deliveries).toBeGreaterThan(100);
    // One clock: both logs start at its start and run through the scenario's hours of platform time.
    expect([Date.parse(String(lsEvents[0]?.at)), Number(bcEntries[0]?.at)]).toEqual([START, START]);
    expect(Math.min(Date.parse(String(lsEvents.at(-1)?.at)), Number(bcEntries.at(-1)?.at))).toBeGreaterThan(START + 6 * HOUR);

    // Seed A twice: the same calls came back the same way, and both full logs match byte for byte.
    expect(second.outcomes).toEqual(first.outcomes);
    expect(second.lightspeed).toBe(first.lightspeed);
    expect(second.bigcommerce).toBe(first.bigcommerce);
    // Seed B: each platform's log differs.
    expect(other.lightspeed).not.toBe(first.lightspeed);
    expect(other.bigcommerce).not.toBe(first.bigcommerce);
  });
});
