/**
 * The BigCommerce client against the BigCommerce sandbox over real HTTP: store information,
 * catalog (products with variants, batch updates at 10, variants at 50, options, categories
 * with a hidden one), channels, product channel assignments and webhooks. Every write is read
 * back through the client; batch counts come from the client's recorder and the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigCommerceApiError } from '@/integrations/bigcommerce/errors';
import { requestCounts, startSandboxEnv, type SandboxEnv } from './bigcommerce-client-sandbox-support';

let env: SandboxEnv;
beforeAll(async () => {
  env = await startSandboxEnv();
});
afterAll(() => env.close());

describe('BigCommerce client × sandbox: store, catalog, channels, hooks', () => {
  it('reads the store information of the store it is connected to', async () => {
    const store = env.store({ name: 'Counterpart Outfitters' });
    const { client, calls } = env.connect(store);
    const info = await client.store.info();
    expect(info.name).toBe('Counterpart Outfitters');
    expect(info.id).toBe(store.hash);
    expect(info.default_channel_id).toBe(1);
    expect(info.currency).toMatch(/^[A-Z]{3}$/);
    expect(calls).toEqual([expect.objectContaining({ method: 'GET', path: '/v2/store', status: 200, attempt: 1 })]);
  });

  it('creates a product with variants, reads it back with variants and options, updates and deletes it', async () => {
    const { client } = env.connect(env.store());
    const created = await client.catalog.products.create({
      name: 'Merino Tee',
      type: 'physical',
      weight: 0.3,
      price: 40,
      sku: 'TEE',
      inventory_tracking: 'variant',
      variants: ['S', 'M', 'L'].map((size) => ({ sku: `TEE-${size}`, option_values: [{ option_display_name: 'Size', label: size }] })),
    });
    expect(created.id).toBeGreaterThan(0);

    const read = await client.catalog.products.get(created.id, { include: ['variants', 'options'] });
    expect(read).toMatchObject({ id: created.id, name: 'Merino Tee', price: 40, inventory_tracking: 'variant' });
    expect(read.variants?.map((v) => v.sku)).toEqual(['TEE-S', 'TEE-M', 'TEE-L']);
    expect(read.variants?.every((v) => v.product_id === created.id && v.option_values?.[0]?.option_display_name === 'Size')).toBe(true);
    expect(read.options?.map((o) => [o.display_name, o.option_values.map((v) => v.label)])).toEqual([['Size', ['S', 'M', 'L']]]);

    const updated = await client.catalog.products.update(created.id, { price: 45, is_visible: false, description: '<p>soft</p>' });
    expect(updated).toMatchObject({ id: created.id, price: 45, is_visible: false });
    expect(await client.catalog.products.get(created.id)).toMatchObject({ price: 45, is_visible: false, description: '<p>soft</p>' });

    const bySku = await client.catalog.products.list({ sku: 'TEE' });
    expect(bySku.data.map((p) => p.id)).toEqual([created.id]);

    await client.catalog.products.delete(created.id);
    const gone = await client.catalog.products.get(created.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(BigCommerceApiError);
    expect(gone).toMatchObject({ status: 404, path: '/v3/catalog/products/{product_id}', attempts: 1 });
  });

  it('updates 23 products in exactly 3 batch requests (10, 10, 3) and pages through them 10 at a time', async () => {
    const { client, calls, wire } = env.connect(env.store());
    const ids: number[] = [];
    for (let i = 0; i < 23; i++) {
      const p = await client.catalog.products.create({ name: `Mug ${i}`, type: 'physical', weight: 1, price: 10, sku: `MUG-${i}`, inventory_tracking: 'product' });
      ids.push(p.id);
    }
    calls.length = 0;
    wire.length = 0;

    const updated = await client.catalog.products.updateMany(ids.map((id, i) => ({ id, price: 100 + i, cost_price: 50 })));
    expect(updated.map((p) => p.id)).toEqual(ids);
    expect(requestCounts(calls)).toEqual({ 'PUT /v3/catalog/products': 3 });
    expect(wire.map((r) => (r.body as unknown[]).length)).toEqual([10, 10, 3]);
    // Sent one after another, never overlapping.
    expect(wire[1]!.start).toBeGreaterThanOrEqual(wire[0]!.end);
    expect(wire[2]!.start).toBeGreaterThanOrEqual(wire[1]!.end);

    calls.length = 0;
    const pages: number[][] = [];
    for await (const page of client.catalog.products.pages({ 'id:in': ids, limit: 10, sort: 'id' })) pages.push(page.map((p) => p.id));
    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(pages.flat()).toEqual(ids);
    expect(requestCounts(calls)).toEqual({ 'GET /v3/catalog/products': 3 });
    const prices = new Map<number, number>();
    for (const page of await Promise.all([1, 2, 3].map((page) => client.catalog.products.list({ 'id:in': ids, limit: 10, page })))) {
      expect(page.pagination).toMatchObject({ total: 23, total_pages: 3, per_page: 10 });
      for (const p of page.data) prices.set(p.id, p.price);
    }
    expect(ids.map((id) => prices.get(id))).toEqual(ids.map((_, i) => 100 + i));
  });

  it('updates 120 variants in exactly 3 batch requests (50, 50, 20), creates one through the batch, pages variants', async () => {
    const { client, calls, wire } = env.connect(env.store());
    const labels = Array.from({ length: 120 }, (_, i) => `W${String(i).padStart(3, '0')}`);
    const product = await client.catalog.products.create({
      name: 'Jeans',
      type: 'physical',
      weight: 1,
      price: 80,
      inventory_tracking: 'variant',
      variants: labels.map((label) => ({ sku: `JEANS-${label}`, option_values: [{ option_display_name: 'Waist', label }] })),
    });
    const variants = await client.catalog.variants.listAll(product.id);
    expect(variants).toHaveLength(120);

    calls.length = 0;
    wire.length = 0;
    const updated = await client.catalog.variants.updateMany(variants.map((v, i) => ({ id: v.id, price: 80 + i, upc: String(100000000000 + i) })));
    expect(updated).toHaveLength(120);
    expect(requestCounts(calls)).toEqual({ 'PUT /v3/catalog/variants': 3 });
    expect(wire.map((r) => (r.body as unknown[]).length)).toEqual([50, 50, 20]);

    const third = await client.catalog.variants.list(product.id, { limit: 50, page: 3 });
    expect(third.data).toHaveLength(20);
    expect(third.pagination).toMatchObject({ total: 120, total_pages: 3, current_page: 3 });
    const reread = await client.catalog.variants.listAll(product.id);
    expect(reread.map((v) => v.price)).toEqual(variants.map((_, i) => 80 + i));
    expect(reread.map((v) => v.upc)).toEqual(variants.map((_, i) => String(100000000000 + i)));

    // A batch item with product_id + option_values creates a variant from an existing option value.
    const [option] = await client.catalog.options.list(product.id);
    const extra = await client.catalog.options.update(product.id, option!.id, {
      option_values: [...option!.option_values.map((v) => ({ id: v.id, label: v.label, sort_order: v.sort_order ?? 0 })), { label: 'W999', sort_order: 999 }],
    });
    const w999 = extra.option_values.find((v) => v.label === 'W999')!;
    const [createdVariant] = await client.catalog.variants.updateMany([{ product_id: product.id, sku: 'JEANS-W999', option_values: [{ id: w999.id, option_id: option!.id }] }]);
    expect(createdVariant).toMatchObject({ product_id: product.id, sku: 'JEANS-W999' });
    expect(await client.catalog.variants.listAll(product.id)).toHaveLength(121);
  });

  it('creates, lists and updates variant options', async () => {
    const { client } = env.connect(env.store());
    const product = await client.catalog.products.create({ name: 'Cap', type: 'physical', weight: 0.1, price: 20 });
    const color = await client.catalog.options.create(product.id, {
      display_name: 'Colour',
      type: 'rectangles',
      option_values: [
        { label: 'Red', sort_order: 0 },
        { label: 'Blue', sort_order: 1, is_default: true },
      ],
    });
    expect(color).toMatchObject({ product_id: product.id, display_name: 'Colour', type: 'rectangles' });
    expect(color.option_values.map((v) => v.label)).toEqual(['Red', 'Blue']);

    const renamed = await client.catalog.options.update(product.id, color.id, { display_name: 'Color' });
    expect(renamed.display_name).toBe('Color');
    const listed = await client.catalog.options.list(product.id);
    expect(listed.map((o) => [o.id, o.display_name, o.option_values.map((v) => v.label)])).toEqual([[color.id, 'Color', ['Red', 'Blue']]]);
  });

  it('creates a hidden category and a child through the tree endpoints, lists and pages them, lists trees', async () => {
    const { client } = env.connect(env.store());
    const trees = await client.catalog.categories.trees();
    const tree = trees.find((t) => t.channels.includes(1));
    expect(tree).toBeDefined();

    const [hidden] = await client.catalog.categories.create([{ name: 'Imported from Lightspeed', tree_id: tree!.id, is_visible: false }]);
    expect(hidden).toMatchObject({ name: 'Imported from Lightspeed', parent_id: 0, is_visible: false });
    const children = await client.catalog.categories.create(
      Array.from({ length: 7 }, (_, i) => ({ name: `Sub ${i}`, tree_id: tree!.id, parent_id: hidden!.category_id, is_visible: true, sort_order: i })),
    );
    expect(children.every((c) => c.parent_id === hidden!.category_id && c.tree_id === tree!.id && c.category_id > 0)).toBe(true);

    const found = await client.catalog.categories.list({ 'category_id:in': [hidden!.category_id] });
    expect(found.data).toEqual([expect.objectContaining({ category_id: hidden!.category_id, is_visible: false, tree_id: tree!.id })]);

    const pages: number[][] = [];
    for await (const page of client.catalog.categories.pages({ 'parent_id:in': [hidden!.category_id], limit: 3 })) pages.push(page.map((c) => c.category_id));
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat().sort((a, b) => a - b)).toEqual(children.map((c) => c.category_id).sort((a, b) => a - b));

    const invalid = await client.catalog.categories.create([{ name: 'x'.repeat(51), tree_id: tree!.id }]).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ name: 'BigCommerceSchemaError', direction: 'request' });
  });

  it('creates a pos/custom channel, reads, filters and updates it', async () => {
    const { client } = env.connect(env.store());
    const storefront = await client.channels.get(1);
    expect(storefront).toMatchObject({ id: 1, type: 'storefront', platform: 'bigcommerce' });

    const pos = await client.channels.create({ name: 'Lightspeed POS', type: 'pos', platform: 'custom', status: 'connected' });
    expect(pos).toMatchObject({ name: 'Lightspeed POS', type: 'pos', platform: 'custom', status: 'connected' });
    expect(pos.id).toBeGreaterThan(1);
    const updated = await client.channels.update(pos.id, { status: 'disconnected', name: 'Lightspeed POS (paused)' });
    expect(updated).toMatchObject({ id: pos.id, status: 'disconnected', name: 'Lightspeed POS (paused)' });
    expect(await client.channels.get(pos.id)).toMatchObject({ status: 'disconnected' });

    const onlyPos = await client.channels.listAll({ 'type:in': ['pos'] });
    expect(onlyPos.map((c) => c.id)).toEqual([pos.id]);
    const all = await client.channels.listAll();
    expect(all.map((c) => c.id).sort((a, b) => a - b)).toEqual([1, pos.id]);
  });

  it('assigns products to a channel one request at a time, lists them across pages and unassigns', async () => {
    const store = env.store();
    const a = env.connect(store);
    const b = env.connect(store); // a second client of the same store shares its assignment lane
    const channel = await a.client.channels.create({ name: 'POS', type: 'pos', platform: 'custom' });
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push((await a.client.catalog.products.create({ name: `Sock ${i}`, type: 'physical', weight: 0.1, price: 5 })).id);

    await Promise.all([
      a.client.catalog.channelAssignments.assign(ids.slice(0, 3).map((product_id) => ({ product_id, channel_id: channel.id }))),
      b.client.catalog.channelAssignments.assign(ids.slice(3).map((product_id) => ({ product_id, channel_id: channel.id }))),
      a.client.catalog.channelAssignments.assign([{ product_id: ids[0]!, channel_id: channel.id }]), // already there: kept once
    ]);
    const writes = (r: { method: string; path: string }) => r.path === '/v3/catalog/products/channel-assignments' && r.method !== 'GET';
    const allWire = [...a.wire, ...b.wire];
    expect(allWire.filter(writes)).toHaveLength(3);
    const edges = allWire.filter(writes).sort((x, y) => x.start - y.start);
    for (let i = 1; i < edges.length; i++) expect(edges[i]!.start).toBeGreaterThanOrEqual(edges[i - 1]!.end);

    const assigned = await a.client.catalog.channelAssignments.listAll({ 'channel_id:in': [channel.id] });
    expect(assigned.map((x) => x.product_id).sort((x, y) => x - y)).toEqual(ids);
    const firstPage = await a.client.catalog.channelAssignments.list({ 'channel_id:in': [channel.id], limit: 4 });
    expect(firstPage.data).toHaveLength(4);
    expect(firstPage.pagination).toMatchObject({ total: 6, total_pages: 2 });

    await a.client.catalog.channelAssignments.unassign({ productIds: [ids[0]!, ids[1]!], channelIds: [channel.id] });
    const left = await a.client.catalog.channelAssignments.listAll({ 'channel_id:in': [channel.id] });
    expect(left.map((x) => x.product_id).sort((x, y) => x - y)).toEqual(ids.slice(2));
    // Products in the storefront channel are untouched by the POS unassign.
    const listedInChannel = await a.client.catalog.products.list({ 'channel_id:in': [channel.id], limit: 50 });
    expect(listedInChannel.data.map((p) => p.id).sort((x, y) => x - y)).toEqual(ids.slice(2));
    await expect(a.client.catalog.channelAssignments.unassign({})).rejects.toThrow(/unfiltered DELETE/);
  });

  it('creates, lists, reads, updates and deletes webhooks', async () => {
    const { client } = env.connect(env.store());
    const created = await client.hooks.create({ scope: 'store/order/created', destination: 'https://app.example.com/webhooks', is_active: true, headers: { 'X-Secret': 's3cret' } });
    expect(created).toMatchObject({ scope: 'store/order/created', destination: 'https://app.example.com/webhooks', is_active: true });
    const second = await client.hooks.create({ scope: 'store/product/inventory/updated', destination: 'https://app.example.com/webhooks' });

    expect(await client.hooks.get(created.id)).toMatchObject({ id: created.id, headers: { 'X-Secret': 's3cret' } });
    const all = await client.hooks.listAll();
    expect(all.map((h) => h.id).sort((x, y) => x - y)).toEqual([created.id, second.id].sort((x, y) => x - y));
    const byScope = await client.hooks.list({ scope: 'store/order/created' });
    expect(byScope.data.map((h) => h.id)).toEqual([created.id]);

    const paused = await client.hooks.update(created.id, { is_active: false });
    expect(paused).toMatchObject({ id: created.id, is_active: false });
    expect((await client.hooks.list({ is_active: false })).data.map((h) => h.id)).toEqual([created.id]);

    await client.hooks.delete(created.id);
    await expect(client.hooks.get(created.id)).rejects.toMatchObject({ status: 404 });
    expect((await client.hooks.listAll()).map((h) => h.id)).toEqual([second.id]);
  });
});
