/**
 * Test helpers: a sandbox listening on a real port, a client that sends X-Auth-Token, and a
 * webhook receiver (node:http) that records raw bodies and headers and can be told to fail.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBigCommerceSandbox, type BigCommerceSandbox, type BigCommerceSandboxConfig } from '@/sandbox/bigcommerce';
import type { RunningServer } from '@/sandbox/http';

export const CLIENT_ID = 'test-client-id';
export const CLIENT_SECRET = 'test-client-secret';

export interface Harness {
  sandbox: BigCommerceSandbox;
  server: RunningServer;
  token: string;
  hash: string;
  api(path: string, init?: { method?: string; body?: unknown; token?: string | null }): Promise<Response>;
  json<T = any>(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

export async function startSandbox(overrides: Partial<BigCommerceSandboxConfig> = {}, hash = 'teststore'): Promise<Harness> {
  const sandbox = createBigCommerceSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, inventoryApplyDelayMs: 150, webhookRetryDelaysMs: [50, 100], ...overrides });
  const server = await sandbox.listen();
  if (!sandbox.control.listStores().some((s) => s.hash === hash)) sandbox.control.createStore({ hash, plan: 'Pro' });
  const token = sandbox.control.issueToken(hash);
  const api: Harness['api'] = (path, init = {}) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    const tokenToSend = init.token === undefined ? token : init.token;
    if (tokenToSend !== null) headers['x-auth-token'] = tokenToSend;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${server.url}/stores/${hash}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  };
  return {
    sandbox,
    server,
    token,
    hash,
    api,
    async json(path, init) {
      const response = await api(path, init);
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
    },
    async close() {
      sandbox.close();
      await server.close();
    },
  };
}

export interface ReceivedWebhook {
  headers: IncomingMessage['headers'];
  rawBody: string;
  body: { scope: string; data: Record<string, unknown>; hash: string; producer: string; store_id: string; created_at: number };
  status: number;
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status codes to answer with, consumed one per request; 200 once exhausted. */
  failWith: number[];
  waitFor(predicate: (all: ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const failWith: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const status = failWith.shift() ?? 200;
      received.push({ headers: req.headers, rawBody, body: JSON.parse(rawBody), status });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    failWith,
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for webhooks; got ${received.map((r) => r.body.scope).join(', ')}`);
        await sleep(10);
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const physicalAddress = {
  address1: '1 Market St',
  city: 'San Francisco',
  state: 'California',
  zip: '94105',
  email: 'store@example.com',
  geo_coordinates: { latitude: 37.79, longitude: -122.39 },
  country_code: 'US',
};

/** Creates a simple product tracked by product with stock at the default location. */
export async function createSimpleProduct(h: Harness, sku: string, level = 10, name = `Product ${sku}`): Promise<{ id: number; variantId: number }> {
  const res = await h.json('/v3/catalog/products', { method: 'POST', body: { name, type: 'physical', weight: 1, price: 10, sku, inventory_tracking: 'product', inventory_level: level } });
  if (res.status !== 200) throw new Error(`create failed ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id, variantId: res.body.data.variants[0].id };
}
