import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBigCommerceSandbox } from '@/sandbox/bigcommerce';
import { waitFor } from '../../support/wait';
import { CLIENT_ID, CLIENT_SECRET } from './helpers';

describe('BigCommerce sandbox: base path, HTTP control surface, seed and persistence', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('serves everything under a base path as a plain Fetch handler, and drives control over HTTP', async () => {
    const sandbox = createBigCommerceSandbox({ basePath: '/sandbox/bigcommerce', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, demoStore: true, seedStoreHash: 'demo' });
    const base = 'http://app.local/sandbox/bigcommerce';
    const call = (path: string, init: RequestInit = {}) => sandbox.handle(new Request(`${base}${path}`, init));
    const post = (path: string, body: unknown) => call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    expect((await call('/stores/demo/v2/store')).status).toBe(401);
    expect((await sandbox.handle(new Request('http://app.local/stores/demo/v2/store'))).status).toBe(404);

    const stores = (await (await call('/_sandbox/stores')).json()) as { hash: string; plan: string }[];
    expect(stores).toEqual([expect.objectContaining({ hash: 'demo', plan: 'Pro' })]);
    const { access_token: token } = (await (await post('/_sandbox/stores/demo/token', {})).json()) as { access_token: string };
    const products = (await (await call('/stores/demo/v3/catalog/products?include=variants', { headers: { 'x-auth-token': token } })).json()) as { data: { sku: string; variants: { sku: string }[] }[] };
    const skus = products.data.flatMap((p) => [p.sku, ...p.variants.map((v) => v.sku)]).filter(Boolean);
    expect(skus.every((s) => s.startsWith('BC-'))).toBe(true);
    expect(products.data.length).toBeGreaterThanOrEqual(3);

    const order = await post('/_sandbox/stores/demo/orders', { order: { status_id: 11, products: [{ sku: 'BC-TOTE', quantity: 5 }] } });
    expect(order.status).toBe(201);
    const stock = (await (await call('/_sandbox/stores/demo/stock')).json()) as { sku: string; on_hand: number }[];
    expect(stock.find((s) => s.sku === 'BC-TOTE')!.on_hand).toBe(20);

    const faults = await call('/_sandbox/stores/demo/faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api: [{ kind: 'status', status: 503, count: 1 }] }) });
    expect(faults.status).toBe(200);
    expect((await call('/stores/demo/v2/store', { headers: { 'x-auth-token': token } })).status).toBe(503);
    expect((await call('/stores/demo/v2/store', { headers: { 'x-auth-token': token } })).status).toBe(200);

    const install = (await (await post('/_sandbox/stores/demo/install', {})).json()) as { code: string; context: string };
    expect(install.context).toBe('stores/demo');
    const jwt = (await (await post('/_sandbox/stores/demo/signed-payload', { kind: 'load' })).json()) as { jwt: string };
    expect(jwt.jwt.split('.')).toHaveLength(3);

    const badFault = await call('/_sandbox/stores/demo/faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api: [{ kind: 'status', status: 418, count: 1 }] }) });
    expect(badFault.status).toBe(422);
    sandbox.close();
  });

  it('saves state as JSON and restores it, including adjustments accepted but not yet applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bc-sandbox-'));
    dirs.push(dir);
    const persistPath = join(dir, 'state.json');
    const first = createBigCommerceSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, persistPath, inventoryApplyDelayMs: 300 });
    first.control.createStore({ hash: 'keep' });
    const token = first.control.issueToken('keep');
    const headers = { 'x-auth-token': token, 'content-type': 'application/json' };
    const created = await first.handle(new Request('http://x/stores/keep/v3/catalog/products', { method: 'POST', headers, body: JSON.stringify({ name: 'Kept', type: 'physical', weight: 1, price: 3, sku: 'KEEP-1', inventory_tracking: 'product', inventory_level: 2 }) }));
    const variantId = ((await created.json()) as { data: { variants: { id: number }[] } }).data.variants[0]!.id;
    await first.handle(new Request('http://x/stores/keep/v3/inventory/adjustments/absolute', { method: 'PUT', headers, body: JSON.stringify({ items: [{ location_id: 1, variant_id: variantId, quantity: 9 }] }) }));
    first.close(); // flushes the debounced save; the pending adjustment has not been applied

    const second = createBigCommerceSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, persistPath, inventoryApplyDelayMs: 300 });
    const product = await second.handle(new Request('http://x/stores/keep/v3/catalog/products?sku=KEEP-1', { headers }));
    expect(product.status).toBe(200); // the token survived the restart too
    const body = (await product.json()) as { data: { inventory_level: number }[] };
    expect(body.data[0]!.inventory_level).toBe(2);
    // The restored sandbox applies the pending adjustment after its delay: wait for that, exactly.
    await waitFor(() => second.control.stock('keep').find((s) => s.sku === 'KEEP-1')!.on_hand === 9, 'the pending adjustment applied after the restart', 10_000, 25);
    expect(second.control.stock('keep').find((s) => s.sku === 'KEEP-1')!.on_hand).toBe(9);
    second.close();
  });
});

describe('BigCommerce sandbox: seeded sequences across restarts', () => {
  it('a restored sandbox continues its id sequence instead of repeating it (no second copy of a token)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bc-sandbox-seq-'));
    try {
      const persistPath = join(dir, 'state.json');
      const fresh = () => createBigCommerceSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, persistPath, seed: 7 });
      const first = fresh();
      first.control.createStore({ hash: 'seq' });
      const before = [first.control.issueToken('seq'), first.control.issueToken('seq')];
      first.close();

      const second = fresh();
      const after = second.control.issueToken('seq');
      expect(before).not.toContain(after);
      // The token issued before the restart still works after it.
      expect((await second.handle(new Request('http://x/stores/seq/v2/store', { headers: { 'x-auth-token': before[0]! } }))).status).toBe(200);
      second.close();

      // A sandbox started from the same seed without the saved state repeats the first sequence.
      const replay = createBigCommerceSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, seed: 7 });
      replay.control.createStore({ hash: 'seq' });
      expect([replay.control.issueToken('seq'), replay.control.issueToken('seq')]).toEqual(before);
      replay.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a seed two sandboxes hand out different ids', () => {
    const tokens = [1, 2].map(() => {
      const sandbox = createBigCommerceSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
      sandbox.control.createStore({ hash: 'any' });
      const token = sandbox.control.issueToken('any');
      sandbox.close();
      return token;
    });
    expect(tokens[0]).not.toBe(tokens[1]);
  });
});
