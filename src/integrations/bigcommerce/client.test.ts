import { describe, expect, it } from 'vitest';
import { createBigCommerceClient, type ApiCall } from './client';
import { BigCommerceApiError, BigCommerceSchemaError } from './errors';
import { createRateLimiter } from './rate-limit';
import { createSerialLane } from './serial';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Handler = (req: Seen) => Promise<Response> | Response;

/** A fake store: routes by "METHOD /path" (after /stores/{hash}) and records each request. */
function fakeStore(routes: Record<string, Handler>) {
  const seen: Seen[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const path = url.pathname.replace(/^\/stores\/[^/]+/, '');
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const req = { method: init?.method ?? 'GET', path, query: url.searchParams, body };
    seen.push(req);
    const handler = routes[`${req.method} ${path}`];
    if (!handler) return json(404, { status: 404, title: `no route ${req.method} ${path}` });
    return handler(req);
  };
  const calls: ApiCall[] = [];
  const client = createBigCommerceClient({
    apiUrl: 'https://api.example.test',
    storeHash: 'store1',
    accessToken: 'token',
    fetch,
    recorder: (c) => calls.push(c),
    limiter: createRateLimiter(),
    lanes: { inventory: createSerialLane(), channelAssignments: createSerialLane() },
    sleep: async () => {},
  });
  return { client, seen, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const product = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  name: `P${id}`,
  type: 'physical',
  sku: `SKU-${id}`,
  price: 10,
  categories: [],
  inventory_tracking: 'variant',
  is_visible: false,
  ...extra,
});

const variant = (id: number) => ({ id, product_id: 1, sku: `V-${id}`, price: null, option_values: [] });

describe('catalog', () => {
  it('updates 25 products in ⌈25/10⌉ = 3 requests of 10, 10 and 5, in order', async () => {
    const { client, seen } = fakeStore({
      'PUT /v3/catalog/products': (req) => json(200, { data: (req.body as Array<{ id: number }>).map((p) => product(p.id)), meta: {} }),
    });
    const items = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, is_visible: true }));
    const updated = await client.catalog.products.updateMany(items);
    expect(seen.map((s) => (s.body as unknown[]).length)).toEqual([10, 10, 5]);
    expect(updated.map((p) => p.id)).toEqual(items.map((i) => i.id));
  });

  it('updates 120 variants in ⌈120/50⌉ = 3 requests', async () => {
    const { client, seen } = fakeStore({
      'PUT /v3/catalog/variants': (req) => json(200, { data: (req.body as Array<{ id: number }>).map((v) => variant(v.id)), meta: {} }),
    });
    const updated = await client.catalog.variants.updateMany(Array.from({ length: 120 }, (_, i) => ({ id: i + 1, price: 5, cost_price: 2 })));
    expect(seen.map((s) => (s.body as unknown[]).length)).toEqual([50, 50, 20]);
    expect(updated).toHaveLength(120);
    expect(updated[0]!.price).toBeNull();
  });

  it('a 207 partial batch failure throws with the body instead of passing silently', async () => {
    const { client } = fakeStore({
      'PUT /v3/catalog/products': () => json(207, { data: [product(1)], errors: { '2': 'Product not found' }, meta: {} }),
    });
    const error = await client.catalog.products.updateMany([{ id: 1, price: 1 }, { id: 2, price: 1 }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigCommerceApiError);
    expect(error).toMatchObject({ status: 207, errors: { '2': 'Product not found' } });
  });

  it('lists products with BigCommerce filters and walks every page', async () => {
    const { client, seen } = fakeStore({
      'GET /v3/catalog/products': (req) => {
        const page = Number(req.query.get('page'));
        return json(200, { data: [product(page * 2 - 1), product(page * 2)], meta: { pagination: { total: 6, count: 2, per_page: 2, current_page: page, total_pages: 3 } } });
      },
    });
    const ids: number[] = [];
    for await (const page of client.catalog.products.pages({ 'id:in': [1, 2, 3, 4, 5, 6], include: ['variants'], limit: 2 })) ids.push(...page.map((p) => p.id));
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen[0]!.query.get('id:in')).toBe('1,2,3,4,5,6');
    expect(seen[0]!.query.get('include')).toBe('variants');
    expect(seen.map((s) => s.query.get('page'))).toEqual(['1', '2', '3']);
  });

  it('creates a hidden product with variants, checking the request against the spec first', async () => {
    const { client, seen } = fakeStore({
      'POST /v3/catalog/products': (req) => {
        const { variants: _variants, ...fields } = req.body as Record<string, unknown>;
        return json(200, { data: product(9, fields), meta: {} });
      },
    });
    const created = await client.catalog.products.create({
      name: 'Mug',
      type: 'physical',
      weight: 1,
      price: 10,
      is_visible: false,
      categories: [23],
      variants: [{ sku: 'MUG-BLU', option_values: [{ option_display_name: 'Colour', label: 'Blue' }] }],
    });
    expect(created.id).toBe(9);
    expect(seen[0]!.body).toMatchObject({ variants: [{ sku: 'MUG-BLU' }] });

    const error = await client.catalog.products.create({ name: '', type: 'physical', weight: 1, price: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigCommerceSchemaError);
    expect(error).toMatchObject({ direction: 'request' });
    expect(seen).toHaveLength(1);
  });

  it('creates a hidden category in a tree and refuses one with neither tree nor parent', async () => {
    const { client, seen } = fakeStore({
      'POST /v3/catalog/trees/categories': (req) =>
        json(201, { data: (req.body as Array<Record<string, unknown>>).map((c, i) => ({ category_id: 100 + i, parent_id: 0, ...c })), meta: { total: 1, success: 1, failed: 0 } }),
    });
    const [category] = await client.catalog.categories.create([{ name: 'Imported from Lightspeed', tree_id: 1, is_visible: false }]);
    expect(category).toMatchObject({ category_id: 100, is_visible: false, tree_id: 1 });
    // @ts-expect-error tree_id is required: the contract's schema wants it on every category
    await expect(client.catalog.categories.create([{ name: 'Orphan' }])).rejects.toBeInstanceOf(BigCommerceSchemaError);
    // A top-level category goes out with parent_id 0 (CreateCategories anyOf requires both).
    expect((seen[0]!.body as unknown[])[0]).toMatchObject({ tree_id: 1, parent_id: 0 });
    expect(seen).toHaveLength(1);
  });

  it('channel assignments: PUT answers 204; an unfiltered DELETE is refused before sending', async () => {
    const { client, seen } = fakeStore({
      'PUT /v3/catalog/products/channel-assignments': () => new Response(null, { status: 204 }),
      'DELETE /v3/catalog/products/channel-assignments': () => new Response(null, { status: 204 }),
    });
    await client.catalog.channelAssignments.assign([{ product_id: 1, channel_id: 2 }]);
    await client.catalog.channelAssignments.unassign({ productIds: [1], channelIds: [2] });
    await expect(client.catalog.channelAssignments.unassign({})).rejects.toThrow(/needs productIds or channelIds/);
    expect(seen.map((s) => `${s.method} ${s.query.toString()}`)).toEqual(['PUT ', 'DELETE product_id%3Ain=1&channel_id%3Ain=2']);
  });

  it('product images: created by URL (a relative URL is refused before sending); a 204 list is empty', async () => {
    let listed = false;
    const { client, seen, calls } = fakeStore({
      'POST /v3/catalog/products/7/images': (req) => json(200, { data: { id: 40, product_id: 7, is_thumbnail: false, sort_order: 0, description: '', ...(req.body as Record<string, unknown>) }, meta: {} }),
      'GET /v3/catalog/products/7/images': () => {
        listed = true;
        return new Response(null, { status: 204 });
      },
    });
    await expect(client.catalog.images.list(7)).resolves.toEqual([]);
    expect(listed).toBe(true);
    const image = await client.catalog.images.create(7, { image_url: 'https://example.com/front.jpg', is_thumbnail: true });
    expect(image).toMatchObject({ id: 40, product_id: 7, image_url: 'https://example.com/front.jpg', is_thumbnail: true });
    await expect(client.catalog.images.create(7, { image_url: 'front.jpg' })).rejects.toBeInstanceOf(BigCommerceSchemaError);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /v3/catalog/products/7/images', 'POST /v3/catalog/products/7/images']);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /v3/catalog/products/{product_id}/images', 'POST /v3/catalog/products/{product_id}/images']);
  });

  it('custom fields: created as { name, value } (an empty value is refused before sending) and listed across pages', async () => {
    const field = (id: number) => ({ id, name: `F${id}`, value: `v${id}` });
    const { client, seen } = fakeStore({
      'POST /v3/catalog/products/7/custom-fields': (req) => json(200, { data: { id: 5, ...(req.body as Record<string, unknown>) }, meta: {} }),
      'GET /v3/catalog/products/7/custom-fields': (req) => {
        const page = Number(req.query.get('page'));
        return json(200, { data: page === 1 ? [field(1), field(2)] : [field(3)], meta: { pagination: { total: 3, count: page === 1 ? 2 : 1, per_page: 2, current_page: page, total_pages: 2 } } });
      },
    });
    expect(await client.catalog.customFields.create(7, { name: 'ISBN', value: '978' })).toEqual({ id: 5, name: 'ISBN', value: '978' });
    expect(seen[0]!.body).toEqual({ name: 'ISBN', value: '978' });
    await expect(client.catalog.customFields.create(7, { name: 'ISBN', value: '' })).rejects.toBeInstanceOf(BigCommerceSchemaError);
    expect((await client.catalog.customFields.list(7)).map((f) => f.id)).toEqual([1, 2, 3]);
    expect(seen).toHaveLength(3);
  });
});

describe('channels', () => {
  it('creates the app channel as pos/custom, connected, and refuses a status the type cannot take', async () => {
    const { client, seen } = fakeStore({
      'POST /v3/channels': (req) => json(200, { data: { id: 664, ...(req.body as Record<string, unknown>) }, meta: {} }),
    });
    const channel = await client.channels.createPosChannel({ name: 'Lightspeed POS', is_listable_from_ui: true, is_visible: true });
    expect(channel).toMatchObject({ id: 664, type: 'pos', platform: 'custom', status: 'connected' });
    expect(seen[0]!.body).toEqual({ name: 'Lightspeed POS', type: 'pos', platform: 'custom', status: 'connected', is_listable_from_ui: true, is_visible: true });

    await expect(client.channels.create({ name: 'x', type: 'pos', platform: 'custom', status: 'active' })).rejects.toBeInstanceOf(BigCommerceSchemaError);
    expect(seen).toHaveLength(1);
  });
});

describe('inventory adjustments', () => {
  it('4,500 items over 3 locations go in ⌈4500/2000⌉ = 3 requests, grouped by location, one at a time', async () => {
    let running = 0;
    let maxRunning = 0;
    let n = 0;
    const { client, seen } = fakeStore({
      'PUT /v3/inventory/adjustments/absolute': async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await wait(10);
        running--;
        return json(200, { transaction_id: `tx-${++n}` });
      },
    });
    // Interleaved locations, as a naive caller would build them.
    const items = Array.from({ length: 4500 }, (_, i) => ({ location_id: (i % 3) + 1, variant_id: i + 1, quantity: i % 7 }));
    const result = await client.inventory.setAbsolute(items, 'Lightspeed sync');

    expect(result.transactionIds).toEqual(['tx-1', 'tx-2', 'tx-3']);
    expect(maxRunning).toBe(1);
    const batches = seen.map((s) => s.body as { reason: string; items: Array<{ location_id: number }> });
    expect(batches.map((b) => b.items.length)).toEqual([2000, 2000, 500]);
    expect(batches.every((b) => b.reason === 'Lightspeed sync')).toBe(true);
    // Location 1's 1,500 items then location 2's: a location is split only at a batch boundary.
    expect(batches.map((b) => [...new Set(b.items.map((i) => i.location_id))])).toEqual([[1, 2], [2, 3], [3]]);
  });

  it('two callers on the same store never overlap their adjustment requests', async () => {
    let running = 0;
    let maxRunning = 0;
    const { client } = fakeStore({
      'POST /v3/inventory/adjustments/relative': async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await wait(5);
        running--;
        return json(200, { transaction_id: 'tx' });
      },
    });
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ location_id: 1, sku: `S${i}`, quantity: -1 }));
    const [a, b] = await Promise.all([client.inventory.adjustRelative(items(2500)), client.inventory.adjustRelative(items(10))]);
    expect(a.transactionIds).toHaveLength(2);
    expect(b.transactionIds).toHaveLength(1);
    expect(maxRunning).toBe(1);
  });

  it('refuses an item that names two identities, or a negative absolute level', async () => {
    const { client, seen } = fakeStore({});
    await expect(client.inventory.setAbsolute([{ location_id: 1, sku: 'A', variant_id: 2, quantity: 1 }])).rejects.toBeInstanceOf(BigCommerceSchemaError);
    await expect(client.inventory.setAbsolute([{ location_id: 1, sku: 'A', quantity: -1 }])).rejects.toBeInstanceOf(BigCommerceSchemaError);
    await expect(client.inventory.setAbsolute([])).resolves.toEqual({ transactionIds: [] });
    expect(seen).toHaveLength(0);
  });

  it('reads items across locations with comma-separated filters', async () => {
    const { client, seen } = fakeStore({
      'GET /v3/inventory/items': () =>
        json(200, {
          data: [
            {
              identity: { sku: 'A', variant_id: 5, product_id: 1, sku_id: 9 },
              locations: [{ location_id: 1, location_code: 'BC-1', location_name: 'Main', available_to_sell: 20, total_inventory_onhand: 30, location_enabled: true, settings: { safety_stock: 10, is_in_stock: true, warning_level: 0, bin_picking_number: '' } }],
            },
          ],
          meta: { pagination: { total: 1, count: 1, per_page: 1000, current_page: 1, total_pages: 1 } },
        }),
    });
    const items = await client.inventory.items.listAll({ 'variant_id:in': [5, 6] });
    expect(items[0]!.locations[0]).toMatchObject({ available_to_sell: 20, total_inventory_onhand: 30 });
    expect(seen[0]!.query.get('variant_id:in')).toBe('5,6');
    expect(seen[0]!.query.get('limit')).toBe('1000');
  });
});

describe('orders', () => {
  it('an empty V2 order list (204) is an empty array', async () => {
    const { client } = fakeStore({ 'GET /v2/orders': () => new Response(null, { status: 204 }) });
    await expect(client.orders.list({ min_date_modified: '2026-01-01T00:00:00Z' })).resolves.toEqual([]);
  });

  it('updates an order status with exactly { status_id }', async () => {
    const order = { id: 7, status_id: 2, status: 'Shipped', channel_id: 1, customer_id: 0, date_created: 'x', date_modified: 'y', total_inc_tax: '1.0000', total_ex_tax: '1.0000', items_total: 1, items_shipped: 1 };
    const { client, seen, calls } = fakeStore({ 'PUT /v2/orders/7': () => json(200, order) });
    await expect(client.orders.updateStatus(7, 2)).resolves.toMatchObject({ id: 7, status_id: 2 });
    expect(seen[0]!.body).toEqual({ status_id: 2 });
    expect(calls[0]!.path).toBe('/v2/orders/{order_id}');
  });
});

describe('locations, settings, refunds and hooks', () => {
  const address = { address1: '1 Main St', city: 'Austin', state: 'TX', zip: '78701', email: 'store@example.com', geo_coordinates: { latitude: 30.26, longitude: -97.74 }, country_code: 'US' };

  it('creates externally managed locations; with codes a 5xx is retried (a repeat is refused, not duplicated), without codes it is not', async () => {
    let answers = [500, 200];
    const { client, seen } = fakeStore({
      'POST /v3/inventory/locations': () => json(answers.shift() ?? 500, { transaction_id: 'loc-tx' }),
    });
    const location = { code: 'LS-OUTLET-1', label: 'Downtown', managed_by_external_source: true, type_id: 'PHYSICAL' as const, time_zone: 'America/Chicago', address };
    await expect(client.locations.create([location])).resolves.toEqual({ transactionId: 'loc-tx' });
    expect(seen).toHaveLength(2);
    expect(seen[0]!.body).toEqual([location]);

    answers = [500, 200];
    const { code: _code, ...withoutCode } = location;
    await expect(client.locations.create([withoutCode])).rejects.toMatchObject({ status: 500, attempts: 1 });
    expect(seen).toHaveLength(3);

    // managed_by_external_source is required by the spec: leaving it out is caught before sending.
    const { managed_by_external_source: _m, ...unmanaged } = location;
    await expect(client.locations.create([unmanaged as typeof location])).rejects.toBeInstanceOf(BigCommerceSchemaError);
    expect(seen).toHaveLength(3);
  });

  it("reads a channel's inventory settings, where null means not overridden", async () => {
    const { client, seen } = fakeStore({
      'GET /v3/settings/inventory': () => json(200, { data: { update_stock_behavior: null, refund_order_stock_adjustment: true }, meta: {} }),
    });
    await expect(client.inventory.settings.get({ channelId: 664 })).resolves.toEqual({ update_stock_behavior: null, refund_order_stock_adjustment: true });
    expect(seen[0]!.query.get('channel_id')).toBe('664');
  });

  it('retries a refund quote after a 5xx but never a refund itself', async () => {
    const answers = [json(500, {}), json(201, { data: { order_id: 5, total_refund_amount: 10, total_refund_tax_amount: 0, refund_methods: [[{ provider_id: 'storecredit', amount: 10, offline: false }]] }, meta: {} })];
    const { client, seen } = fakeStore({
      'POST /v3/orders/5/payment_actions/refund_quotes': () => answers.shift()!,
      'POST /v3/orders/5/payment_actions/refunds': () => json(502, { title: 'Bad Gateway' }),
    });
    const items = [{ item_type: 'PRODUCT' as const, item_id: 65, quantity: 1 }];
    await expect(client.orders.refunds.quote(5, { items })).resolves.toMatchObject({ total_refund_amount: 10 });
    await expect(client.orders.refunds.create(5, { items, payments: [{ provider_id: 'storecredit', amount: 10, offline: false }] })).rejects.toMatchObject({ status: 502, attempts: 1 });
    expect(seen.map((r) => r.path)).toEqual(['/v3/orders/5/payment_actions/refund_quotes', '/v3/orders/5/payment_actions/refund_quotes', '/v3/orders/5/payment_actions/refunds']);
  });

  it('refuses an empty webhook update before sending', async () => {
    const { client, seen } = fakeStore({});
    await expect(client.hooks.update(1, {})).rejects.toBeInstanceOf(BigCommerceSchemaError);
    expect(seen).toHaveLength(0);
  });
});
