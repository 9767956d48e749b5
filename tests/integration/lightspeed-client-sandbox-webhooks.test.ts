/**
 * Webhooks end to end: the client subscribes a local receiver (node:http) through the API, the
 * sandbox delivers real signed, form-encoded 1.0-shape payloads, and each one is verified with
 * `verifyLightspeedSignature` (client secret) and read with `parseLightspeedWebhook`. With the
 * sandbox's duplicate and reorder faults on, "newest version wins" over the parsed entities
 * leaves the newest state.
 *
 * The ordering key differs by kind, and that is the finding this file pins down:
 *   product.update   the 1.0 product carries `version` (research §1, Pipedream's sample): order by it.
 *   sale.update      the sandbox's 1.0 register_sale carries `version`: order by it.
 *   inventory.update the 1.0 inventory record has NO `version` (id, product_id, outlet_id, count,
 *                    reorder_point, restock_level, attributed_cost; research §1/§3). A payload
 *                    alone cannot be ordered, so it is treated as a hint: the receiver re-reads
 *                    `GET /inventory/{product_id}` and applies the 2026-07 record's `version`.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLightspeedWebhook, verifyLightspeedSignature, type LightspeedClient, type LightspeedWebhookEntity } from '@/integrations/lightspeed';
import { serve, type RunningServer } from '@/sandbox/http';
import { CLIENT_SECRET, must, startClientSandbox, type ClientSandbox } from './lightspeed-client-sandbox-harness';

interface Delivery {
  type: string;
  raw: string;
  signature: string | null;
  contentType: string | null;
  verified: boolean;
  entity: LightspeedWebhookEntity | null;
}

let h: ClientSandbox;
let client: LightspeedClient;
let receiver: RunningServer;
const deliveries: Delivery[] = [];

beforeAll(async () => {
  h = await startClientSandbox();
  client = h.client();
  // The app's route, reduced to its contract: raw body → verify → parse → 2xx (401 when unsigned or forged).
  receiver = await serve(async (req) => {
    const type = decodeURIComponent(new URL(req.url).pathname.split('/').pop() ?? '');
    const raw = await req.text();
    const signature = req.headers.get('x-signature');
    const verified = verifyLightspeedSignature(raw, signature, CLIENT_SECRET);
    let entity: LightspeedWebhookEntity | null = null;
    if (verified) {
      const parsed = parseLightspeedWebhook(raw, { typeHint: type });
      if (parsed.status === 'parsed') entity = parsed.entity;
    }
    deliveries.push({ type, raw, signature, contentType: req.headers.get('content-type'), verified, entity });
    return new Response(null, { status: verified ? 204 : 401 });
  });
  for (const type of ['inventory.update', 'product.update', 'sale.update'] as const) {
    const result = await client.webhooks.create({ type, url: `${receiver.url}/api/ls/webhooks/store-1/${type}` });
    expect(result.created).toBe(true);
  }
});

afterAll(async () => {
  await h?.close();
  await receiver?.close();
});

const state = () => h.sandbox.control.state();

function tracked() {
  const s = state();
  const product = must(
    Object.values(s.products).find((p) => p.has_inventory && !p.is_family_parent && p.deleted_at === null && p.active),
    'a tracked product',
  );
  const register = must(
    Object.values(s.registers).find((r) => r.is_open),
    'an open register',
  );
  const user = must(Object.values(s.users)[0], 'a user');
  const tax = must(Object.values(s.taxes)[0], 'a tax');
  const warehouse = must(
    Object.values(s.outlets).find((o) => o.kind === 'warehouse'),
    'a warehouse',
  );
  return { product, register, user, tax, warehouse };
}

describe('signed form-encoded deliveries', () => {
  it('every delivery verifies with the client secret and parses into the entity the retailer holds', async () => {
    deliveries.length = 0;
    const { product, register } = tracked();
    const { sale } = h.sandbox.control.sell(undefined, { register_id: register.id, lines: [{ product_id: product.id, quantity: 1 }] });
    h.sandbox.control.changeProduct(undefined, product.id, { name: `${product.name} v2` });
    await h.sandbox.control.waitForWebhooks();

    expect(deliveries.map((d) => d.type).sort()).toEqual(['inventory.update', 'product.update', 'sale.update']);
    const s = state();
    for (const d of deliveries) {
      expect(d.contentType).toContain('application/x-www-form-urlencoded');
      expect(d.signature).toMatch(/^signature=[A-Za-z0-9+/]{43}=,algorithm=HMAC-SHA256$/);
      expect(d.verified).toBe(true);
    }
    const byKind = new Map(deliveries.map((d) => [d.entity?.kind, d.entity]));
    const inventory = byKind.get('inventory');
    const record = must(s.inventory[`${product.id}:${register.outlet_id}`], 'inventory record');
    expect(inventory).toEqual({ kind: 'inventory', id: record.id, version: null, productId: product.id, outletId: register.outlet_id, count: record.current_inventory_level });
    expect(byKind.get('product')).toMatchObject({ kind: 'product', id: product.id, name: `${product.name} v2`, version: s.products[product.id]?.version });
    expect(byKind.get('sale')).toMatchObject({ kind: 'sale', id: sale?.id, registerId: register.id, lines: [{ productId: product.id, quantity: 1 }] });
  });

  it('rejects forged, altered and malformed signatures on real bodies', () => {
    const d = must(deliveries.find((x) => x.verified), 'a delivery');
    const header = must(d.signature, 'header');
    const digest = must(/^signature=([^,]+),/.exec(header)?.[1], 'digest');
    expect(verifyLightspeedSignature(d.raw, header, CLIENT_SECRET)).toBe(true);
    // The same digest hex-encoded is accepted too (the encoding is undocumented).
    const hex = Buffer.from(digest, 'base64').toString('hex');
    expect(verifyLightspeedSignature(d.raw, `signature=${hex},algorithm=HMAC-SHA256`, CLIENT_SECRET)).toBe(true);

    expect(verifyLightspeedSignature(`${d.raw}&x=1`, header, CLIENT_SECRET)).toBe(false);
    expect(verifyLightspeedSignature(d.raw.replace('payload=', 'payload=%20'), header, CLIENT_SECRET)).toBe(false);
    expect(verifyLightspeedSignature(d.raw, header, 'not-the-secret')).toBe(false);
    expect(verifyLightspeedSignature(d.raw, header, '')).toBe(false);
    expect(verifyLightspeedSignature(d.raw, null, CLIENT_SECRET)).toBe(false);
    expect(verifyLightspeedSignature(d.raw, header.replace('HMAC-SHA256', 'HMAC-SHA1'), CLIENT_SECRET)).toBe(false);
    expect(verifyLightspeedSignature(d.raw, `signature=${digest.slice(0, 40)},algorithm=HMAC-SHA256`, CLIENT_SECRET)).toBe(false);
    expect(verifyLightspeedSignature(d.raw, `signature=${hex.slice(0, 63)}0,algorithm=HMAC-SHA256`, CLIENT_SECRET)).toBe(false);
    // An attacker without the secret signing with something else.
    const forged = createHmac('sha256', 'guess').update(d.raw).digest('base64');
    expect(verifyLightspeedSignature(d.raw, `signature=${forged},algorithm=HMAC-SHA256`, CLIENT_SECRET)).toBe(false);
    expect(() => parseLightspeedWebhook('type=inventory.update', { typeHint: 'inventory.update' })).toThrow(/no payload/);
    expect(() => parseLightspeedWebhook(d.raw, { typeHint: d.type === 'sale.update' ? 'product.update' : 'sale.update' })).toThrow(/does not match/);
  });
});

describe('signature digest encoding', () => {
  it('verifies a sandbox that signs with a hex digest as well as the default base64 one', async () => {
    const hexSandbox = await startClientSandbox({ webhookSignatureEncoding: 'hex' });
    const got: { raw: string; signature: string | null }[] = [];
    const hook = await serve(async (req) => {
      got.push({ raw: await req.text(), signature: req.headers.get('x-signature') });
      return new Response(null, { status: 204 });
    });
    try {
      const hexClient = hexSandbox.client();
      await hexClient.webhooks.create({ type: 'inventory.update', url: `${hook.url}/inventory.update` });
      const s = hexSandbox.sandbox.control.state();
      const product = must(
        Object.values(s.products).find((p) => p.has_inventory && !p.is_family_parent),
        'a product',
      );
      const outletId = must(Object.keys(s.outlets)[0], 'an outlet');
      hexSandbox.sandbox.control.setInventoryLevel(undefined, { outlet_id: outletId, product_id: product.id, level: 9 });
      await hexSandbox.sandbox.control.waitForWebhooks();
      const delivery = must(got[0], 'a delivery');
      expect(delivery.signature).toMatch(/^signature=[0-9a-f]{64},algorithm=HMAC-SHA256$/);
      expect(verifyLightspeedSignature(delivery.raw, delivery.signature, CLIENT_SECRET)).toBe(true);
      expect(verifyLightspeedSignature(delivery.raw, delivery.signature, 'other-secret')).toBe(false);
      const parsed = parseLightspeedWebhook(delivery.raw, { typeHint: 'inventory.update' });
      expect(parsed).toMatchObject({ status: 'parsed', domainPrefix: hexSandbox.domainPrefix, entity: { kind: 'inventory', productId: product.id, outletId, count: 9 } });
    } finally {
      await hook.close();
      await hexSandbox.close();
    }
  });
});

describe('duplicates and reordering', () => {
  it('newest version wins: duplicated and reversed deliveries leave the newest state', async () => {
    deliveries.length = 0;
    const { product, register, user, tax, warehouse } = tracked();
    // Every delivery of this burst is held and released newest-first; the first six go out twice.
    h.sandbox.control.setFaults({ webhooks: { duplicate: { nextN: 6 }, reorder: { nextN: 30, holdMs: 400 } } });

    const levels = [31, 32, 33, 34, 35];
    for (const level of levels) h.sandbox.control.setInventoryLevel(undefined, { outlet_id: warehouse.id, product_id: product.id, level });
    for (const n of [1, 2, 3]) h.sandbox.control.changeProduct(undefined, product.id, { name: `Edition ${n}` });
    const line = { productId: product.id, quantity: 1, price: 10, taxId: tax.id, taxAmount: 0 };
    const parked = await client.sales.create({ authorId: user.id, registerId: register.id, state: 'parked', note: 'first', lineItems: [line] });
    await client.sales.update(parked.id, { authorId: user.id, registerId: register.id, state: 'parked', note: 'second', lineItems: [line] });
    await client.sales.update(parked.id, { authorId: user.id, registerId: register.id, state: 'closed', note: 'third', lineItems: [line] });
    await h.sandbox.control.waitForWebhooks();
    h.sandbox.control.clearFaults();

    const log = h.sandbox.control.webhookLog().filter((a) => a.outcome === 'delivered');
    expect(log.some((a) => a.duplicate)).toBe(true);
    expect(deliveries.every((d) => d.verified && d.entity !== null)).toBe(true);
    const entities = deliveries.map((d) => must(d.entity, 'entity'));

    // The faults really happened: duplicates arrived, and versions arrived out of order.
    const productVersions = entities.filter((e) => e.kind === 'product' && e.id === product.id).map((e) => must(e.version, 'product version'));
    expect(deliveries.length).toBeGreaterThan(new Set(deliveries.map((d) => d.raw)).size);
    expect(productVersions.length).toBeGreaterThan(new Set(productVersions).size);
    expect(productVersions).not.toEqual([...productVersions].sort((a, b) => a - b));
    const inventoryCounts = entities.filter((e) => e.kind === 'inventory' && e.outletId === warehouse.id).map((e) => (e.kind === 'inventory' ? e.count : NaN));
    expect(new Set(inventoryCounts)).toEqual(new Set(levels));
    // Applying inventory payloads in arrival order would leave a stale level: they carry no version.
    expect(inventoryCounts.at(-1)).not.toBe(35);
    expect(entities.filter((e) => e.kind === 'inventory').every((e) => e.version === null)).toBe(true);

    // The consumer: newest version wins per (kind, id). Inventory hints are re-read from the API,
    // whose 2026-07 record does carry a version.
    const newest = new Map<string, { version: number; value: unknown }>();
    const apply = (key: string, version: number, value: unknown) => {
      const current = newest.get(key);
      if (!current || version > current.version) newest.set(key, { version, value });
    };
    for (const e of entities) {
      if (e.kind === 'inventory') {
        const record = must(
          (await client.inventory.forProduct(e.productId)).find((r) => r.outletId === e.outletId),
          'inventory record',
        );
        apply(`inventory:${record.id}`, record.version, record.onHand);
      } else {
        apply(`${e.kind}:${e.id}`, must(e.version, `${e.kind} version`), e.kind === 'product' ? e.name : e.status);
      }
    }

    const s = state();
    const record = must(s.inventory[`${product.id}:${warehouse.id}`], 'warehouse record');
    expect(newest.get(`inventory:${record.id}`)).toEqual({ version: record.version, value: 35 });
    expect(newest.get(`product:${product.id}`)).toEqual({ version: s.products[product.id]?.version, value: 'Edition 3' });
    const sale = must(s.sales[parked.id], 'the sale');
    expect(newest.get(`sale:${parked.id}`)).toEqual({ version: sale.version, value: sale.status });
    expect(sale.status).toBe('CLOSED');
    // Replaying every delivery again (a full duplicate storm) changes nothing.
    const snapshot = JSON.stringify([...newest]);
    for (const e of entities) if (e.kind !== 'inventory') apply(`${e.kind}:${e.id}`, must(e.version, 'version'), 'stale');
    expect(JSON.stringify([...newest])).toBe(snapshot);
  });
});
