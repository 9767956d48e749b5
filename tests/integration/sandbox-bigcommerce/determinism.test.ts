/**
 * One seed, one run: the same mixed scenario (catalog writes, orders, inventory adjustments,
 * faults drawn with probabilities, webhook retries, duplicates and drops, hook activation
 * delays) run twice with one seed on a VirtualClock leaves byte-identical event logs; another
 * seed leaves a different one. Everything goes over real HTTP: the app side calls the sandbox's
 * port, the sandbox POSTs to a real receiver.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBigCommerceSandbox, DEFAULT_RETRY_DELAYS_MS, type LogEntry } from '@/sandbox/bigcommerce';
import { VirtualClock } from '@/sandbox/clock';
import { CLIENT_ID, CLIENT_SECRET } from './helpers';

const HASH = 'detstore';

/**
 * A receiver whose answers depend only on what it receives (not on arrival order, which
 * concurrent deliveries do not fix): every order-created message fails its first two attempts.
 */
async function startDeterministicReceiver(): Promise<{ url: string; reset(): void; received: () => number; close(): Promise<void> }> {
  const attempts = new Map<string, number>();
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count += 1;
      const id = String(req.headers['webhook-id']);
      const seen = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, seen);
      const { scope } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { scope: string };
      res.statusCode = scope === 'store/order/created' && seen <= 2 ? 500 : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    reset: () => {
      attempts.clear();
      count = 0;
    },
    received: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Run {
  log: string;
  entries: LogEntry[];
  outcomes: (number | string)[];
}

/** Where the sandbox listened is the one thing the seed does not choose (order views carry absolute URLs). */
const SANDBOX_ORIGIN = 'http://sandbox.invalid';

async function scenario(seed: number, receiverUrl: string): Promise<Run> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1, 9));
  const sandbox = createBigCommerceSandbox({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    clock,
    seed,
    inventoryApplyDelayMs: 1_000,
    webhookRetryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
    policies: { hookActivationMaxDelayMs: 30_000 },
  });
  const server = await sandbox.listen();
  const outcomes: (number | string)[] = [];
  try {
    sandbox.control.createStore({ hash: HASH, plan: 'Pro' });
    const token = sandbox.control.issueToken(HASH);
    const step = (ms: number) => clock.advance(ms, () => sandbox.control.webhooksSettled());
    const call = async (method: string, path: string, body?: unknown): Promise<any> => {
      try {
        const res = await fetch(`${server.url}/stores/${HASH}${path}`, {
          method,
          headers: { 'x-auth-token': token, 'content-type': 'application/json', accept: 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        outcomes.push(res.status);
        return res.ok && text ? JSON.parse(text) : undefined;
      } catch (error) {
        outcomes.push(`network:${(error as { cause?: { code?: string } }).cause?.code ?? 'error'}`);
        return undefined;
      }
    };

    for (const scope of ['store/order/*', 'store/product/inventory/*', 'store/sku/inventory/*', 'store/channel/*/inventory/product/stock_changed']) {
      await call('POST', '/v3/hooks', { scope, destination: receiverUrl });
    }
    await step(30_000); // every hook is active after the longest activation delay
    sandbox.control.setFaults(HASH, {
      api: [
        { kind: 'lost', route: 'PUT /v3/inventory/adjustments/absolute', probability: 0.3 },
        { kind: 'lost', route: 'POST /v2/orders', probability: 0.25 },
        { kind: 'status', status: 503, route: 'GET /v3/**', probability: 0.3 },
      ],
      webhooks: { duplicateRate: 0.2, dropRate: 0.1 },
    });

    const tote = await call('POST', '/v3/catalog/products', { name: 'Tote', type: 'physical', weight: 1, price: 10, sku: 'D-TOTE', inventory_tracking: 'product', inventory_level: 20 });
    const mug = await call('POST', '/v3/catalog/products', { name: 'Mug', type: 'physical', weight: 1, price: 8, sku: 'D-MUG', inventory_tracking: 'product', inventory_level: 15 });
    const shirt = await call('POST', '/v3/catalog/products', {
      name: 'Shirt',
      type: 'physical',
      weight: 1,
      price: 20,
      inventory_tracking: 'variant',
      variants: [
        { sku: 'D-S', option_values: [{ option_display_name: 'Size', label: 'S' }], inventory_level: 6 },
        { sku: 'D-M', option_values: [{ option_display_name: 'Size', label: 'M' }], inventory_level: 6 },
      ],
    });
    const products = [tote, mug].map((p: any) => ({ id: p.data.id as number, variant: p.data.variants[0].id as number }));
    const sizes = (shirt.data.variants as { id: number }[]).map((v) => v.id);
    await call('PUT', `/v3/catalog/products/${products[1]!.id}`, { price: 9 });

    for (let i = 0; i < 6; i++) {
      const p = products[i % 2]!;
      await call('PUT', '/v3/inventory/adjustments/absolute', { reason: 'recount', items: [{ location_id: 1, variant_id: p.variant, quantity: 30 + i }] });
      await step(400);
    }
    await step(2_000);
    await call('POST', '/v3/inventory/adjustments/relative', { items: [{ location_id: 1, variant_id: sizes[0], quantity: 4 }] });

    for (let i = 0; i < 5; i++) {
      const p = products[i % 2]!;
      await call('POST', '/v2/orders', { status_id: 11, products: [{ product_id: p.id, quantity: 1 + (i % 3) }] });
      sandbox.control.placeOrder(HASH, { products: [{ product_id: shirt.data.id, variant_id: sizes[i % 2], quantity: 1 }] });
      await call('GET', '/v3/catalog/products?limit=5');
      await call('GET', `/v3/inventory/items?variant_id:in=${p.variant}`);
      await step(1_500);
    }
    const orders: { id: number }[] = (await call('GET', '/v2/orders')) ?? [];
    for (const order of orders.slice(0, 3)) await call('PUT', `/v2/orders/${order.id}`, { status_id: 10 });
    await step(5_000);
    await clock.runAll(3 * 24 * 3600_000, () => sandbox.control.webhooksSettled());
    const log = JSON.stringify(sandbox.control.eventLog()).replaceAll(server.url, SANDBOX_ORIGIN);
    return { log, entries: JSON.parse(log) as LogEntry[], outcomes };
  } finally {
    sandbox.close();
    await server.close();
  }
}

describe('BigCommerce sandbox: one seed, one run', () => {
  let receiver: Awaited<ReturnType<typeof startDeterministicReceiver>>;
  beforeAll(async () => {
    receiver = await startDeterministicReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('the same seed gives a byte-identical event log; another seed gives another', async () => {
    const first = await scenario(42, receiver.url);
    const firstDeliveries = receiver.received();
    receiver.reset();
    const second = await scenario(42, receiver.url);
    receiver.reset();
    const other = await scenario(43, receiver.url);

    // The log covers what the test did and what the platform did on its own.
    const types = new Set(first.entries.map((e) => e.type));
    for (const type of ['api', 'control', 'stock', 'webhook', 'fault.api', 'fault.webhook']) expect(types).toContain(type);
    expect(first.entries.filter((e) => e.type === 'control').map((e) => e.action)).toEqual(['createStore', 'issueToken', 'setFaults', 'placeOrder', 'placeOrder', 'placeOrder', 'placeOrder', 'placeOrder']);
    expect(first.entries.some((e) => e.type === 'api' && e.status === null && e.store_answered === 200)).toBe(true); // a lost answer
    expect(first.entries.some((e) => e.type === 'webhook' && (e.attempt as number) >= 3 && e.outcome === 'delivered')).toBe(true); // a retried delivery
    expect(first.entries.some((e) => e.type === 'webhook' && e.duplicate === true)).toBe(true);
    expect(first.entries.some((e) => e.type === 'webhook' && e.outcome === 'dropped')).toBe(true);
    expect(first.outcomes).toContain(503);
    expect(firstDeliveries).toBeGreaterThan(20);

    expect(second.outcomes).toEqual(first.outcomes);
    expect(second.log).toBe(first.log);
    expect(other.log).not.toBe(first.log);
    expect(other.outcomes).not.toEqual(first.outcomes);
  });
});
