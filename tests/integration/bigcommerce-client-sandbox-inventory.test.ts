/**
 * The BigCommerce client against the sandbox over real HTTP: inventory locations, absolute and
 * relative adjustments (asynchronous: a transaction id first, the level later), chunking at
 * 2,000 items grouped by location and one request at a time per store, inventory item reads
 * across pages, and inventory settings per channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AbsoluteAdjustmentItem } from '@/integrations/bigcommerce/client';
import { physicalAddress, requestCounts, startSandboxEnv, type SandboxEnv } from './bigcommerce-client-sandbox-support';
import { waitFor } from '../support/wait';

const APPLY_DELAY_MS = 250;

let env: SandboxEnv;
beforeAll(async () => {
  env = await startSandboxEnv({ inventoryApplyDelayMs: APPLY_DELAY_MS });
});
afterAll(() => env.close());

type Client = ReturnType<SandboxEnv['connect']>['client'];

async function createLocations(client: Client, codes: string[]): Promise<number[]> {
  const { transactionId } = await client.locations.create(
    codes.map((code) => ({ code, label: `Lightspeed ${code}`, managed_by_external_source: true, type_id: 'PHYSICAL' as const, time_zone: 'America/Los_Angeles', address: physicalAddress })),
  );
  expect(transactionId).toMatch(/\S/);
  const found = await client.locations.listAll({ 'location_code:in': codes });
  expect(found.map((l) => l.code).sort()).toEqual([...codes].sort());
  return codes.map((code) => found.find((l) => l.code === code)!.id);
}

describe('BigCommerce client × sandbox: locations and inventory', () => {
  it('creates, lists, filters by managed_by_external_source and updates locations', async () => {
    const { client } = env.connect(env.store());
    const [a, b] = await createLocations(client, ['LS-1', 'LS-2']);
    const external = await client.locations.listAll({ managed_by_external_source: true });
    expect(external.map((l) => l.id).sort((x, y) => x - y)).toEqual([a, b]);
    expect(external.find((l) => l.id === a)).toMatchObject({ code: 'LS-1', type_id: 'PHYSICAL', enabled: true, managed_by_external_source: true, address: { city: 'San Francisco', country_code: 'US' } });
    const all = await client.locations.listAll();
    expect(all.find((l) => l.id === 1)).toMatchObject({ managed_by_external_source: false });

    const { transactionId } = await client.locations.update([{ id: a!, label: 'Downtown', storefront_visibility: false }]);
    expect(transactionId).toMatch(/\S/);
    const [updated] = (await client.locations.list({ 'location_id:in': [a!] })).data;
    expect(updated).toMatchObject({ id: a, label: 'Downtown', storefront_visibility: false, code: 'LS-1' });

    const paged = await client.locations.list({ limit: 2, page: 2 });
    expect(paged.pagination).toMatchObject({ total: 3, total_pages: 2, current_page: 2 });
    expect(paged.data).toHaveLength(1);
  });

  it('writes are asynchronous: a transaction id now, the old level on an immediate read, the new one after the apply', async () => {
    const store = env.store();
    const { client } = env.connect(store);
    const [outlet] = await createLocations(client, ['OUT']);
    const product = await client.catalog.products.create({ name: 'Tote', type: 'physical', weight: 1, price: 12, sku: 'TOTE', inventory_tracking: 'product' });
    const variantId = product.base_variant_id!;
    await client.inventory.setAbsolute([{ location_id: 1, variant_id: variantId, quantity: 10 }]);
    env.sandbox.control.flushInventory(store.hash);

    const levels = async () => {
      const [item] = await client.inventory.items.listAll({ 'variant_id:in': [variantId] });
      return Object.fromEntries((item?.locations ?? []).map((l) => [l.location_id, l.available_to_sell]));
    };
    expect((await levels())[1]).toBe(10);

    const written = await client.inventory.setAbsolute(
      [
        { location_id: outlet!, sku: 'TOTE', quantity: 7 },
        { location_id: 1, variant_id: variantId, quantity: 30 },
      ],
      'Lightspeed sync',
    );
    expect(written.transactionIds).toHaveLength(1);
    expect(written.transactionIds[0]).toMatch(/^[0-9a-f-]{36}$/);
    // Immediately: the old levels, everywhere.
    expect(await levels()).toMatchObject({ 1: 10 });
    expect((await levels())[outlet!] ?? 0).toBe(0);
    expect((await client.catalog.products.get(product.id)).inventory_level).toBe(10);

    // BigCommerce applies adjustments asynchronously: wait for exactly the levels asserted.
    await waitFor(async () => {
      const now = await levels();
      return now[1] === 30 && now[outlet!] === 7;
    }, 'the adjustment applied', 10_000, 25);
    expect(await levels()).toMatchObject({ 1: 30, [outlet!]: 7 });
    // The catalog shows the default location's stock only.
    expect((await client.catalog.products.get(product.id)).inventory_level).toBe(30);
    const atOutlet = await client.inventory.items.listAllAtLocation(outlet!, { 'variant_id:in': [variantId] });
    expect(atOutlet).toEqual([expect.objectContaining({ identity: expect.objectContaining({ variant_id: variantId, sku: 'TOTE' }), available_to_sell: 7 })]);

    const relative = await client.inventory.adjustRelative([
      { location_id: 1, variant_id: variantId, quantity: -4 },
      { location_id: outlet!, variant_id: variantId, quantity: 3 },
    ]);
    expect(relative.transactionIds).toHaveLength(1);
    expect(await levels()).toMatchObject({ 1: 30, [outlet!]: 7 });
    expect(env.sandbox.control.flushInventory(store.hash)).toBeGreaterThan(0);
    expect(await levels()).toMatchObject({ 1: 26, [outlet!]: 10 });
    expect((await client.catalog.products.get(product.id)).inventory_level).toBe(26);
  });

  it('sends 4,500 items over 2 locations in the minimum 3 requests, grouped by location, never two at once', async () => {
    const store = env.store();
    const a = env.connect(store);
    const b = env.connect(store); // another client of the same store: same one-at-a-time lane
    const [locA, locB] = await createLocations(a.client, ['BULK-A', 'BULK-B']);

    const sizes = [600, 600, 600, 450];
    const variantIds: number[] = [];
    const productIds: number[] = [];
    for (const [p, size] of sizes.entries()) {
      const product = await a.client.catalog.products.create({
        name: `Bulk ${p}`,
        type: 'physical',
        weight: 1,
        price: 1,
        inventory_tracking: 'variant',
        variants: Array.from({ length: size }, (_, i) => ({ sku: `B${p}-${i}`, option_values: [{ option_display_name: 'N', label: `n${i}` }] })),
      });
      productIds.push(product.id);
      variantIds.push(...(await a.client.catalog.variants.listAll(product.id)).map((v) => v.id));
    }
    expect(variantIds).toHaveLength(2250);

    // Interleaved on purpose: the client must group by location before chunking.
    const items: AbsoluteAdjustmentItem[] = variantIds.flatMap((variant_id, i) => [
      { location_id: locA!, variant_id, quantity: i % 97 },
      { location_id: locB!, variant_id, quantity: (i % 89) + 1 },
    ]);
    a.wire.length = 0;
    a.calls.length = 0;
    const isAdjustment = (r: { path: string }) => r.path.startsWith('/v3/inventory/adjustments/');
    const [bulk, other, third] = await Promise.all([
      a.client.inventory.setAbsolute(items, 'initial import'),
      b.client.inventory.adjustRelative([{ location_id: locA!, variant_id: variantIds[0]!, quantity: 1000 }]),
      a.client.inventory.setAbsolute([{ location_id: locB!, variant_id: variantIds[1]!, quantity: 500 }]),
    ]);

    expect(bulk.transactionIds).toHaveLength(3);
    expect(new Set([...bulk.transactionIds, ...other.transactionIds, ...third.transactionIds]).size).toBe(5);
    expect(requestCounts(a.calls.filter(isAdjustment))).toEqual({ 'PUT /v3/inventory/adjustments/absolute': 4 });
    const bulkRequests = a.wire.filter((r) => isAdjustment(r) && (r.body as { items: unknown[] }).items.length > 1);
    expect(bulkRequests.map((r) => (r.body as { items: unknown[] }).items.length)).toEqual([2000, 2000, 500]);
    const locationRuns = bulkRequests.map((r) => {
      const locs = (r.body as { items: { location_id: number }[] }).items.map((i) => i.location_id);
      return locs.filter((l, i) => i === 0 || locs[i - 1] !== l);
    });
    expect(locationRuns).toEqual([[locA], [locA, locB], [locB]]);
    expect((bulkRequests[0]!.body as { reason?: string }).reason).toBe('initial import');

    // One adjustment request in flight at a time, across both clients of the store.
    const all = [...a.wire, ...b.wire];
    expect(all.filter(isAdjustment)).toHaveLength(5);
    const edges = all.filter(isAdjustment).sort((x, y) => x.start - y.start);
    for (let i = 1; i < edges.length; i++) expect(edges[i]!.start).toBeGreaterThanOrEqual(edges[i - 1]!.end);
    // Calls keep their order: the 3 batches of the first call go before the later calls' requests.
    expect(edges.map((r) => (r.body as { items: unknown[] }).items.length)).toEqual([2000, 2000, 500, 1, 1]);

    // Applied in the order sent; read back across pages of the inventory items.
    env.sandbox.control.flushInventory(store.hash);
    a.calls.length = 0;
    const read = await a.client.inventory.items.listAll({ 'product_id:in': productIds, 'location_id:in': [locA!, locB!] });
    // 3 pages of 1,000. (The flush above blocks the sandbox's event loop for a while, so the first
    // read can meet a keep-alive socket the server just closed: that ECONNRESET is retried.)
    expect(requestCounts(a.calls.filter((c) => c.status === 200))).toEqual({ 'GET /v3/inventory/items': 3 });
    expect(a.calls.every((c) => c.status === 200 || /ECONNRESET|socket/.test(c.error ?? ''))).toBe(true);
    expect(read).toHaveLength(2250);
    const byVariant = new Map(read.map((item) => [item.identity.variant_id, Object.fromEntries(item.locations.map((l) => [l.location_id, l.available_to_sell]))]));
    variantIds.forEach((v, i) => {
      const expectA = i === 0 ? 1000 : i % 97;
      const expectB = i === 1 ? 500 : (i % 89) + 1;
      expect(byVariant.get(v)).toEqual({ [locA!]: expectA, [locB!]: expectB });
    });

    const pageTwo = await a.client.inventory.items.list({ 'product_id:in': productIds, page: 2, limit: 1000 });
    expect(pageTwo.data).toHaveLength(1000);
    expect(pageTwo.pagination).toMatchObject({ total: 2250, total_pages: 3, current_page: 2 });
    const atB = await a.client.inventory.items.listAllAtLocation(locB!, { 'product_id:in': [productIds[3]!] });
    expect(atB).toHaveLength(450);
  });

  it('sets an item\'s safety stock at a location, reads it back, and BigCommerce then refuses a relative decrease below it but not an absolute write', async () => {
    const store = env.store();
    const { client, calls } = env.connect(store);
    const [outlet] = await createLocations(client, ['SAFE']);
    const product = await client.catalog.products.create({ name: 'Cap', type: 'physical', weight: 1, price: 9, sku: 'CAP', inventory_tracking: 'product' });
    const variantId = product.base_variant_id!;
    await client.inventory.setAbsolute([{ location_id: outlet!, variant_id: variantId, quantity: 8 }]);
    env.sandbox.control.flushInventory(store.hash);
    const { transactionIds } = await client.inventory.updateLocationItemSettings(outlet!, [{ identity: { variant_id: variantId }, safety_stock: 5 }]);
    expect(transactionIds).toHaveLength(1);
    const at = async () => (await client.inventory.items.listAll({ 'variant_id:in': [variantId], 'location_id:in': [outlet!] }))[0]!.locations[0]!;
    expect(await at()).toMatchObject({ total_inventory_onhand: 8, available_to_sell: 3, settings: { safety_stock: 5 } });
    // The guide's safety-buffer example: a relative adjustment that would go below it errors, and stock is unchanged.
    const refused = await client.inventory.adjustRelative([{ location_id: outlet!, variant_id: variantId, quantity: -4 }]).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'BigCommerceApiError', status: 422 });
    env.sandbox.control.flushInventory(store.hash);
    expect((await at()).total_inventory_onhand).toBe(8);
    await client.inventory.setAbsolute([{ location_id: outlet!, variant_id: variantId, quantity: 2 }]);
    env.sandbox.control.flushInventory(store.hash);
    expect(await at()).toMatchObject({ total_inventory_onhand: 2, available_to_sell: 0 });
    // A settings entry with no setting is refused before it is sent.
    const sent = calls.length;
    const empty = await client.inventory.updateLocationItemSettings(outlet!, [{ identity: { variant_id: variantId } }]).catch((e: unknown) => e);
    expect(empty).toMatchObject({ name: 'BigCommerceSchemaError', direction: 'request' });
    expect(calls.length).toBe(sent);
  });

  it('reads and writes inventory settings store-wide and per channel', async () => {
    const { client } = env.connect(env.store());
    const pos = await client.channels.create({ name: 'POS', type: 'pos', platform: 'custom' });
    const global = await client.inventory.settings.get();
    expect(global.update_stock_behavior).toMatch(/^order_(placed|completed_or_shipped)$/);

    const overridden = await client.inventory.settings.update({ update_stock_behavior: 'order_completed_or_shipped', stock_level_display: 'show' }, { channelId: pos.id });
    expect(overridden).toMatchObject({ update_stock_behavior: 'order_completed_or_shipped', stock_level_display: 'show' });
    expect(await client.inventory.settings.get({ channelId: pos.id })).toMatchObject({ update_stock_behavior: 'order_completed_or_shipped', stock_level_display: 'show' });
    // The store-wide settings did not move.
    expect(await client.inventory.settings.get()).toEqual(global);

    const storeWide = await client.inventory.settings.update({ update_stock_behavior: 'order_placed' });
    expect(storeWide.update_stock_behavior).toBe('order_placed');
    expect((await client.inventory.settings.get()).update_stock_behavior).toBe('order_placed');
  });
});
