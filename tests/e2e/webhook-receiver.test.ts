/**
 * The production server's lean webhook receiver (src/server/receiver.ts): the two webhook routes
 * are answered before Next.js, with the route handlers' own answers and the API's security
 * headers; anything else on those paths is Next's. (The sandbox end-to-end tests carry real
 * deliveries through it: storefront orders, register sales.)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/env';
import { MAX_WEBHOOK_BYTES } from '../../src/server/receiver';
import { type AppServer, startAppServer } from '../support/app-server';
import { bigcommerceDelivery, type Delivery, lightspeedDelivery } from '../support/intake';

describe('the production server answers webhooks from its lean receiver', () => {
  let app: AppServer;
  let secrets: { bigcommerce: string; lightspeed: string };
  beforeAll(async () => {
    const given = { SESSION_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex') };
    app = await startAppServer(given);
    const config = parseEnv({ ...given, APP_URL: app.url, NODE_ENV: 'test' });
    secrets = { bigcommerce: config.bigcommerce.clientSecret, lightspeed: config.lightspeed.clientSecret };
  });
  afterAll(async () => app?.stop());

  const post = (d: Delivery, body = d.body) => fetch(`${app.url}${d.path}`, { method: 'POST', headers: d.headers, body });

  it('verifies a BigCommerce delivery and answers it with the API headers', async () => {
    const res = await post(bigcommerceDelivery(secrets.bigcommerce, { storeHash: 'notinstalled', scope: 'store/order/created', data: { type: 'order', id: 1 } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ outcome: 'unknown-store' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('refuses a delivery whose signature does not match, and one for a store it does not know', async () => {
    const d = bigcommerceDelivery(secrets.bigcommerce, { storeHash: 'abc', scope: 'store/order/created', data: { type: 'order', id: 1 } });
    const forged = await post(d, d.body.replace('"id":1', '"id":2'));
    expect(forged.status).toBe(401);
    expect((await forged.json()).error).toMatch(/signature/i);

    const ls = lightspeedDelivery(secrets.lightspeed, { storeId: randomUUID(), type: 'inventory.update', domainPrefix: 'someone', payload: { id: 'inv-1', product_id: 'p-1', outlet_id: 'o-1', count: 3, version: 7 } });
    const unknown = await post(ls);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'this store is not connected to Lightspeed' });
    const unsigned = await fetch(`${app.url}${ls.path}`, { method: 'POST', headers: { 'content-type': ls.headers['content-type']! }, body: ls.body });
    expect(unsigned.status).toBe(401);
  });

  it('refuses a body larger than any delivery unread, and stores nothing', async () => {
    const d = bigcommerceDelivery(secrets.bigcommerce, { storeHash: 'abc', scope: 'store/order/created', data: { type: 'order', id: 1, filler: 'x'.repeat(MAX_WEBHOOK_BYTES) } });
    const res = await post(d);
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/larger than .* nothing was stored/);
  });

  it('leaves every other method and path to Next.js', async () => {
    const get = await fetch(`${app.url}/api/webhooks/bigcommerce`);
    expect(get.status).toBe(405);
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
    // A path beside the receiver's is Next's 404, not a webhook answer.
    const other = await fetch(`${app.url}/api/webhooks/lightspeed/${randomUUID()}`, { method: 'POST', body: 'x' });
    expect(other.status).toBe(404);
  });
});
