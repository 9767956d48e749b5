import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLightspeedSandbox, type LightspeedSandbox, type LightspeedSandboxConfig } from '@/sandbox/lightspeed';

export const CLIENT_ID = 'test-client';
export const CLIENT_SECRET = 'test-secret-123';
export const REDIRECT = 'https://app.example/callback';

export interface Harness {
  sandbox: LightspeedSandbox;
  base: string;
  origin: string;
  api: (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>;
  token: string;
  close(): Promise<void>;
}

export async function exchangeCode(origin: string, prefix: string, code: string): Promise<Response> {
  return fetch(`${origin}/${prefix}/api/1.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT }),
  });
}

export async function startSandbox(config: Partial<LightspeedSandboxConfig> = {}): Promise<Harness> {
  const sandbox = createLightspeedSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webhookRetryDelaysMs: [20, 40], ...config });
  const server = await sandbox.listen();
  const origin = server.url + (config.basePath ?? '');
  const prefix = sandbox.domainPrefix;
  const { code } = sandbox.control.issueAuthCode({ redirect_uri: REDIRECT });
  const tokenBody = (await (await exchangeCode(origin, prefix, code)).json()) as { access_token: string };
  const base = `${origin}/${prefix}/api/2026-07`;
  const harness: Harness = {
    sandbox,
    base,
    origin,
    token: tokenBody.access_token,
    api: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${harness.token}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(path.startsWith('http') ? path : `${base}${path}`, { ...init, headers, body });
    },
    async close() {
      await sandbox.close();
      await server.close();
    },
  };
  return harness;
}

export interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
  form: URLSearchParams;
  at: number;
}

/** A real HTTP receiver for webhooks that records raw bodies; `fail` makes it answer 500. */
export async function startReceiver(): Promise<{ url: string; received: Received[]; fail: { count: number }; close(): Promise<void> }> {
  const received: Received[] = [];
  const fail = { count: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (fail.count > 0) {
        fail.count -= 1;
        res.statusCode = 500;
        res.end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, raw, form: new URLSearchParams(raw), at: Date.now() });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    fail,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export interface ProductJson {
  id: string;
  sku: string;
  name: string;
  version: number;
  variant_parent_id: string | null;
  family_id: string;
  has_variants: boolean;
  has_inventory: boolean;
  variant_options: { name: string; value: string }[];
  product_codes: { type: string; code: string }[];
  price_excluding_tax: number;
}
export interface InventoryJson {
  id: string;
  product_id: string;
  outlet_id: string;
  current_inventory_level: number;
  version: number;
}

/** Ids a sale request needs, read from the seeded retailer. */
export interface SaleFixture {
  userId: string;
  taxId: string;
  paymentTypeId: string;
  registerId: string;
  storeId: string;
  otherStoreId: string;
  warehouseId: string;
  /** Simple (no variants), stock-tracked products. */
  products: { id: string; sku: string }[];
}

export function saleFixture(sandbox: LightspeedSandbox): SaleFixture {
  const state = sandbox.control.state();
  const summary = sandbox.control.retailer();
  const register = summary.registers.find((r) => r.is_open);
  const stores = summary.outlets.filter((o) => o.kind === 'store');
  const warehouse = summary.outlets.find((o) => o.kind === 'warehouse');
  const products = Object.values(state.products)
    .filter((p) => p.has_inventory && !p.is_family_parent && p.variant_parent_id === null && p.deleted_at === null)
    .sort((a, b) => a.sku.localeCompare(b.sku))
    .map((p) => ({ id: p.id, sku: p.sku }));
  const other = stores.find((s) => s.id !== register?.outlet_id);
  const user = Object.values(state.users).find((u) => u.is_primary_user);
  const tax = Object.values(state.taxes).find((t) => t.is_default);
  const paymentType = Object.values(state.payment_types)[0];
  if (!register || !other || !warehouse || !user || !tax || !paymentType) throw new Error('the seeded retailer lacks a register, outlets, user, tax or payment type');
  return { userId: user.id, taxId: tax.id, paymentTypeId: paymentType.id, registerId: register.id, storeId: register.outlet_id, otherStoreId: other.id, warehouseId: warehouse.id, products };
}

/** A 2026-07 SaleRequest body. */
export function saleBody(
  fx: SaleFixture,
  input: {
    id?: string;
    state: 'parked' | 'pending' | 'closed' | 'voided';
    attributes?: string[];
    sourceId?: string;
    invoiceNumber?: string;
    fulfillmentOutletId?: string;
    fulfillmentDetails?: { type: 'DISPATCH' | 'PICKUP'; note?: string }[];
    lines: { productId: string; quantity: number; id?: string; method?: 'DISPATCH' | 'PICKUP'; outletId?: string }[];
  },
): Record<string, unknown> {
  return {
    ...(input.id ? { id: input.id } : {}),
    state: input.state,
    ...(input.attributes ? { attributes: input.attributes } : {}),
    ...(input.invoiceNumber ? { invoice_number: input.invoiceNumber } : {}),
    source: { author_id: fx.userId, register_id: fx.registerId, ...(input.sourceId ? { id: input.sourceId, type: 'BigCommerce' } : {}) },
    ...(input.fulfillmentOutletId ? { fulfillment_outlet_id: input.fulfillmentOutletId } : {}),
    ...(input.fulfillmentDetails ? { fulfillment_details: input.fulfillmentDetails } : {}),
    line_items: input.lines.map((l) => ({
      ...(l.id ? { id: l.id } : {}),
      product: { id: l.productId },
      quantity: l.quantity,
      pricing: { price: 10 },
      tax: { id: fx.taxId, amount: 0.89 },
      ...(l.outletId ? { fulfilment_outlet_id: l.outletId } : {}),
      ...(l.method ? { _metadata: { fulfillment_method: l.method } } : {}),
    })),
    payments: [{ amount: input.lines.reduce((s, l) => s + 10.89 * l.quantity, 0), type: { config_id: fx.paymentTypeId } }],
  };
}

export interface SaleJson {
  id: string;
  state: string;
  attributes: string[];
  invoice_number: string;
  source: { id?: string; type?: string };
  line_items: { id: string; product: { id: string }; quantity: number }[];
  _metadata: { version: number };
}

export interface FulfillmentJson {
  id: string;
  sale_id: string;
  outlet_id: string;
  type: 'DISPATCH' | 'PICKUP';
  state: string;
  version: number;
  note: string;
  line_items: { sale_line_item_id: string; product_id: string; quantity: string; fulfilled_quantity: string }[];
}

export const levelOf = (sandbox: LightspeedSandbox, productId: string, outletId: string): number =>
  sandbox.control.state().inventory[`${productId}:${outletId}`]?.current_inventory_level ?? 0;

/**
 * A webhook receiver whose answer depends only on what it is sent (the URL and body, and how
 * often that exact body came before), never on arrival order, so a seeded run stays
 * reproducible when deliveries are in flight together. `answer` returns a status, or 'hang' to
 * hold the request until `release()`.
 */
export async function startScriptedReceiver(answer: (request: { raw: string; form: URLSearchParams; seen: number }) => number | 'hang') {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const hung: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const key = `${req.url ?? ''} ${raw}`;
      const count = seen.get(key) ?? 0;
      seen.set(key, count + 1);
      const form = new URLSearchParams(raw);
      received.push({ headers: req.headers, raw, form, at: Date.now() });
      const status = answer({ raw, form, seen: count });
      if (status === 'hang') {
        hung.push(() => {
          res.statusCode = 204;
          res.end();
        });
        return;
      }
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    release: () => {
      for (const done of hung.splice(0)) done();
    },
    /** Forget everything received, to serve another run from the same URL. */
    reset: () => {
      received.length = 0;
      seen.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls (in real time) until `check` holds; for conditions a real socket decides, like a request arriving. */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
