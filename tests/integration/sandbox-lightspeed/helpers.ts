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
