import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_SECRET, startReceiver, startSandbox, type Harness, type ProductJson } from './helpers';

let h: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let registerId: string;
let outletId: string;
let product: ProductJson;

beforeAll(async () => {
  h = await startSandbox();
  receiver = await startReceiver();
  const registers = ((await (await h.api('/registers')).json()) as { data: { id: string; outlet_id: string; is_open: boolean }[] }).data;
  const open = registers.find((r) => r.is_open);
  registerId = open?.id ?? '';
  outletId = open?.outlet_id ?? '';
  const products = ((await (await h.api('/products?page_size=5000')).json()) as { data: ProductJson[] }).data;
  const found = products.find((p) => p.has_inventory && !p.has_variants);
  if (!found) throw new Error('no simple tracked product in the seed');
  product = found;
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});
afterEach(async () => {
  h.sandbox.control.clearFaults();
  await h.sandbox.control.waitForWebhooks();
  receiver.received.length = 0;
});

/** Independent verification of the documented header: signature=<HMAC-SHA256(raw body)>,algorithm=HMAC-SHA256. */
function verify(raw: string, header: string | undefined): boolean {
  const match = /^signature=([^,]+),algorithm=HMAC-SHA256$/.exec(header ?? '');
  if (!match?.[1]) return false;
  const expected = createHmac('sha256', CLIENT_SECRET).update(raw).digest();
  const given = Buffer.from(match[1], 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhooks', () => {
  it('manages subscriptions: create 201, duplicate url+type 409, list, delete', async () => {
    const create = await h.api('/webhooks', { method: 'POST', json: { url: receiver.url, type: 'inventory.update', active: true } });
    expect(create.status).toBe(201);
    const webhook = ((await create.json()) as { data: { id: string; type: string; url: string; retailer_id: string } }).data;
    expect(webhook).toMatchObject({ type: 'inventory.update', url: receiver.url });
    const dup = await h.api('/webhooks', { method: 'POST', json: { url: receiver.url, type: 'inventory.update', active: true } });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { error: string }).error).toContain('already exists');
    for (const type of ['sale.update', 'product.update', 'consignment.receive']) {
      expect((await h.api('/webhooks', { method: 'POST', json: { url: receiver.url, type, active: true } })).status).toBe(201);
    }
    const list = ((await (await h.api('/webhooks')).json()) as { data: unknown[] }).data;
    expect(list).toHaveLength(4);
    const temp = ((await (await h.api('/webhooks', { method: 'POST', json: { url: `${receiver.url}/x`, type: 'sale.update', active: true } })).json()) as { data: { id: string } }).data;
    expect((await h.api(`/webhooks/${temp.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await h.api(`/webhooks/${temp.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await h.api('/webhooks', { method: 'POST', json: { url: receiver.url, type: 'product.delete', active: true } })).status).toBe(422);
  });

  it('delivers only while a subscription is active: created inactive it gets nothing, PUT active true turns it on, false off again', async () => {
    const paused = await startReceiver();
    try {
      const created = await h.api('/webhooks', { method: 'POST', json: { url: paused.url, type: 'sale.update', active: false } });
      expect(created.status).toBe(201);
      const { id } = ((await created.json()) as { data: { id: string; active: boolean } }).data;
      const sellOne = async () => {
        h.sandbox.control.sell(undefined, { register_id: registerId, lines: [{ sku: product.sku, quantity: 1 }] });
        await h.sandbox.control.waitForWebhooks();
      };
      const setActive = async (active: boolean) => {
        const res = await h.api(`/webhooks/${id}`, { method: 'PUT', json: { url: paused.url, type: 'sale.update', active } });
        expect(res.status).toBe(200);
        expect(((await (await h.api(`/webhooks/${id}`)).json()) as { data: { active: boolean } }).data.active).toBe(active);
      };

      await sellOne();
      expect(paused.received).toHaveLength(0);
      await setActive(true);
      await sellOne();
      expect(paused.received.map((r) => r.form.get('type'))).toEqual(['sale.update']);
      await setActive(false);
      await sellOne();
      expect(paused.received).toHaveLength(1);
      expect((await h.api(`/webhooks/${id}`, { method: 'DELETE' })).status).toBe(200);
    } finally {
      await paused.close();
    }
  });

  it('delivers form-encoded, signed, 1.0-shape payloads for a sale', async () => {
    const before = h.sandbox.control.state().inventory[`${product.id}:${outletId}`]?.current_inventory_level ?? NaN;
    const { sale } = h.sandbox.control.sell(undefined, { register_id: registerId, lines: [{ sku: product.sku, quantity: 2 }] });
    await h.sandbox.control.waitForWebhooks();
    const types = receiver.received.map((r) => r.form.get('type'));
    expect(types.sort()).toEqual(['inventory.update', 'sale.update']);
    for (const r of receiver.received) {
      expect(r.headers['content-type']).toContain('application/x-www-form-urlencoded');
      expect(verify(r.raw, r.headers['x-signature'] as string | undefined)).toBe(true);
      expect(verify(`${r.raw}&tampered=1`, r.headers['x-signature'] as string | undefined)).toBe(false);
      expect(r.form.get('domain_prefix')).toBe('sandbox-retailer');
      expect(r.form.get('retailer_id')).toBe(h.sandbox.control.retailer().id);
    }
    const inv = JSON.parse(receiver.received.find((r) => r.form.get('type') === 'inventory.update')?.form.get('payload') ?? '{}') as Record<string, unknown>;
    expect(inv).toMatchObject({ product_id: product.id, outlet_id: outletId, count: before - 2 });
    const salePayload = JSON.parse(receiver.received.find((r) => r.form.get('type') === 'sale.update')?.form.get('payload') ?? '{}') as {
      id: string;
      status: string;
      register_sale_products: { product_id: string; quantity: number }[];
    };
    expect(salePayload.id).toBe(sale?.id);
    expect(salePayload.status).toBe('CLOSED');
    expect(salePayload.register_sale_products[0]).toMatchObject({ product_id: product.id, quantity: 2 });
  });

  it('sends no inventory.update for a product that does not track inventory', async () => {
    const untracked = Object.values(h.sandbox.control.state().products).find((p) => !p.has_inventory && !p.is_family_parent && p.deleted_at === null);
    if (!untracked) throw new Error('the seed has no untracked product');
    const { sale } = h.sandbox.control.sell(undefined, { register_id: registerId, lines: [{ product_id: untracked.id, quantity: 1 }] });
    await h.sandbox.control.waitForWebhooks();
    expect(receiver.received.map((r) => r.form.get('type'))).toEqual(['sale.update']);
    expect((JSON.parse(receiver.received[0]?.form.get('payload') ?? '{}') as { id: string }).id).toBe(sale?.id);
  });

  it('retries failed deliveries and logs every attempt', async () => {
    receiver.fail.count = 2;
    h.sandbox.control.changeProduct(undefined, product.id, { name: 'Renamed Thing' });
    await h.sandbox.control.waitForWebhooks();
    expect(receiver.received).toHaveLength(1);
    const payload = JSON.parse(receiver.received[0]?.form.get('payload') ?? '{}') as { name: string; id: string };
    expect(payload).toMatchObject({ id: product.id, name: 'Renamed Thing' });
    const attempts = h.sandbox.control.webhookLog().filter((a) => a.type === 'product.update').slice(-3);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.http_status])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'delivered', 204],
    ]);
  });

  it('injects duplicate, drop and reorder faults', async () => {
    const sell = () => h.sandbox.control.sell(undefined, { register_id: registerId, lines: [{ sku: product.sku, quantity: 1 }] });

    h.sandbox.control.setFaults({ webhooks: { duplicate: { nextN: 1 } } });
    sell();
    await h.sandbox.control.waitForWebhooks();
    // The first event (sale.update or inventory.update) arrives twice, byte-identical.
    expect(receiver.received).toHaveLength(3);
    const bodies = receiver.received.map((r) => r.raw);
    expect(new Set(bodies).size).toBe(2);
    receiver.received.length = 0;

    h.sandbox.control.setFaults({ webhooks: { drop: { nextN: 2 } } });
    sell();
    await h.sandbox.control.waitForWebhooks();
    expect(receiver.received).toHaveLength(0);
    expect(h.sandbox.control.webhookLog().slice(-2).map((a) => a.outcome)).toEqual(['dropped', 'dropped']);

    // Reorder: three stock changes, delivered newest first.
    h.sandbox.control.setFaults({ webhooks: { reorder: { nextN: 3 } } });
    for (const quantity of ['-1', '-2', '-3']) {
      await h.api('/stock_adjustments', { method: 'POST', json: { stock_adjustments: [{ product_id: product.id, outlet_id: outletId, quantity, reason: 'DAMAGE' }] } });
    }
    await h.sandbox.control.waitForWebhooks();
    const counts = receiver.received.map((r) => (JSON.parse(r.form.get('payload') ?? '{}') as { count: number }).count);
    expect(counts).toHaveLength(3);
    expect(counts[0]).toBeLessThan(counts[1] ?? 0);
    expect(counts[1]).toBeLessThan(counts[2] ?? 0);
  });
});

describe('offline registers', () => {
  it('holds sales while offline and uploads them with their original sale dates, firing webhooks late', async () => {
    const level = () => h.sandbox.control.state().inventory[`${product.id}:${outletId}`]?.current_inventory_level ?? NaN;
    const start = level();
    const versionStart = h.sandbox.control.retailer().version;
    h.sandbox.control.setRegisterOffline(undefined, registerId);
    const dates = ['2026-01-10T09:15:00+00:00', '2026-01-10T09:45:00+00:00'];
    for (const date of dates) {
      const result = h.sandbox.control.sell(undefined, { register_id: registerId, date, lines: [{ sku: product.sku, quantity: 1 }] });
      expect(result).toEqual({ sale: null, held: true });
    }
    await h.sandbox.control.waitForWebhooks();
    expect(receiver.received).toHaveLength(0);
    expect(level()).toBe(start);
    expect(h.sandbox.control.retailer().version).toBe(versionStart);
    expect(h.sandbox.control.retailer().registers.find((r) => r.id === registerId)?.held_sales).toBe(2);

    const uploaded = h.sandbox.control.setRegisterOnline(undefined, registerId);
    expect(uploaded.map((s) => s.date)).toEqual(dates);
    expect(level()).toBe(start - 2);
    await h.sandbox.control.waitForWebhooks();
    const salePayloads = receiver.received
      .filter((r) => r.form.get('type') === 'sale.update')
      .map((r) => JSON.parse(r.form.get('payload') ?? '{}') as { sale_date: string; created_at: string });
    expect(salePayloads.map((s) => s.sale_date)).toEqual(['2026-01-10 09:15:00', '2026-01-10 09:45:00']);
    for (const s of salePayloads) expect(s.created_at > s.sale_date).toBe(true);
    // The API shows them too, by version, after everything seen before going offline.
    const sales = ((await (await h.api(`/sales?after=${versionStart}`)).json()) as { data: { date: string }[] }).data;
    expect(sales.map((s) => s.date)).toEqual(dates);
  });
});

describe('rate limit', () => {
  it('allows 300 × registers + 50 per window, then 429 with an HTTP-date Retry-After', async () => {
    let now = Date.UTC(2026, 6, 1, 12, 0, 0);
    const limited = await startSandbox({ now: () => now, rateLimit: { windowMs: 60_000 } });
    try {
      const registers = limited.sandbox.control.retailer().registers.length;
      const limit = 300 * registers + 50;
      const first = await limited.api('/outlets');
      expect(first.headers.get('x-ratelimit-limit')).toBe(String(limit));
      expect(first.headers.get('x-ratelimit-remaining')).toBe(String(limit - 1));
      for (let i = 1; i < limit; i += 50) {
        await Promise.all(Array.from({ length: Math.min(50, limit - i) }, () => limited.api('/outlets')));
      }
      const over = await limited.api('/outlets');
      expect(over.status).toBe(429);
      expect(await over.json()).toEqual({ error: 'Too Many Requests', message: 'Rate limiting enforced' });
      const retryAfter = over.headers.get('retry-after') ?? '';
      expect(retryAfter).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      expect(Date.parse(retryAfter)).toBe(now + 60_000);
      now += 60_000;
      expect((await limited.api('/outlets')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('injects API faults: 429, 5xx, slow', async () => {
    h.sandbox.control.setFaults({ api: [{ kind: '5xx', nextN: 1, status: 502 }, { kind: '429', nextN: 1 }] });
    expect((await h.api('/outlets')).status).toBe(502);
    const tooMany = await h.api('/outlets');
    expect(tooMany.status).toBe(429);
    expect(Number.isNaN(Date.parse(tooMany.headers.get('retry-after') ?? ''))).toBe(false);
    expect((await h.api('/outlets')).status).toBe(200);
    h.sandbox.control.setFaults({ api: [{ kind: 'slow', nextN: 1, delayMs: 150 }] });
    const started = Date.now();
    expect((await h.api('/outlets')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
