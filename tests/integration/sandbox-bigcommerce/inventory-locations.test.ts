import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../support/wait';
import type { AppliedAdjustment } from '../../../src/sandbox/bigcommerce';
import { createSimpleProduct, physicalAddress, startSandbox, type Harness } from './helpers';

describe('BigCommerce sandbox: channels, locations and asynchronous inventory', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox({ inventoryApplyDelayMs: 150 });
  });
  afterEach(() => h.close());

  async function addLocation(code: string, extra: Record<string, unknown> = {}): Promise<number> {
    const res = await h.json('/v3/inventory/locations', {
      method: 'POST',
      body: [{ code, label: `Store ${code}`, managed_by_external_source: true, type_id: 'PHYSICAL', time_zone: 'America/Los_Angeles', address: physicalAddress, ...extra }],
    });
    expect(res.status).toBe(200);
    expect(typeof res.body.transaction_id).toBe('string');
    const found = await h.json(`/v3/inventory/locations?location_code:in=${code}`);
    return found.body.data[0].id;
  }

  it('has the default storefront channel and creates a pos/custom channel; rejects a bad platform', async () => {
    const list = await h.json('/v3/channels');
    expect(list.body.data[0]).toMatchObject({ id: 1, type: 'storefront', platform: 'bigcommerce' });
    const pos = await h.json('/v3/channels', { method: 'POST', body: { name: 'Lightspeed POS', type: 'pos', platform: 'custom', status: 'connected' } });
    expect(pos.status).toBe(200);
    expect(pos.body.data).toMatchObject({ name: 'Lightspeed POS', type: 'pos', platform: 'custom', status: 'connected' });
    const bad = await h.json('/v3/channels', { method: 'POST', body: { name: 'Nope', type: 'pos', platform: 'lightspeed' } });
    expect(bad.status).toBe(422);
    const updated = await h.json(`/v3/channels/${pos.body.data.id}`, { method: 'PUT', body: { status: 'disconnected' } });
    expect(updated.body.data.status).toBe('disconnected');
    const onlyPos = await h.json('/v3/channels?type:in=pos');
    expect(onlyPos.body.data.map((c: { id: number }) => c.id)).toEqual([pos.body.data.id]);
  });

  it('creates, filters, updates and deletes locations; keeps the default location', async () => {
    const id = await addLocation('LS-OUTLET-1');
    const external = await h.json('/v3/inventory/locations?managed_by_external_source=true');
    expect(external.body.data.map((l: { id: number }) => l.id)).toEqual([id]);
    expect(external.body.data[0]).toMatchObject({ code: 'LS-OUTLET-1', type_id: 'PHYSICAL', enabled: true, storefront_visibility: true, address: { city: 'San Francisco' } });

    const dupCode = await h.json('/v3/inventory/locations', { method: 'POST', body: [{ code: 'LS-OUTLET-1', label: 'x', managed_by_external_source: true, type_id: 'VIRTUAL', time_zone: 'UTC' }] });
    expect(dupCode.status).toBe(422);
    expect(dupCode.headers.get('content-type')).toContain('application/problem+json');
    const noAddress = await h.json('/v3/inventory/locations', { method: 'POST', body: [{ code: 'P2', label: 'x', managed_by_external_source: true, type_id: 'PHYSICAL', time_zone: 'UTC' }] });
    expect(noAddress.status).toBe(422);

    const update = await h.json('/v3/inventory/locations', { method: 'PUT', body: [{ id, label: 'Renamed', storefront_visibility: false }] });
    expect(update.status).toBe(200);
    const after = await h.json(`/v3/inventory/locations?location_id:in=${id}`);
    expect(after.body.data[0]).toMatchObject({ label: 'Renamed', storefront_visibility: false });

    expect((await h.json('/v3/inventory/locations?location_id:in=1', { method: 'DELETE' })).status).toBe(422);
    expect((await h.json(`/v3/inventory/locations?location_id:in=${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await h.json('/v3/inventory/locations')).body.data.map((l: { id: number }) => l.id)).toEqual([1]);
  });

  it('caps active locations by plan', async () => {
    h.sandbox.control.updateStore(h.hash, { plan: 'Standard' }); // 4 active locations
    for (const code of ['A', 'B', 'C']) await addLocation(code);
    const fifth = await h.json('/v3/inventory/locations', { method: 'POST', body: [{ code: 'D', label: 'D', managed_by_external_source: true, type_id: 'VIRTUAL', time_zone: 'UTC' }] });
    expect(fifth.status).toBe(422);
    const disabled = await h.json('/v3/inventory/locations', { method: 'POST', body: [{ code: 'E', label: 'E', managed_by_external_source: true, type_id: 'VIRTUAL', time_zone: 'UTC', enabled: false }] });
    expect(disabled.status).toBe(200);
  });

  it('tells its observers of each applied adjustment and each event as it happens, and answers the same', async () => {
    const applied: AppliedAdjustment[] = [];
    const seen: number[] = [];
    const o = await startSandbox({ inventoryApplyDelayMs: 50, onAdjustmentApplied: (a) => applied.push(a), onEvent: (e) => seen.push(e.seq) }, 'observed');
    try {
      const { variantId } = await createSimpleProduct(o, 'OBS-1', 10);
      const res = await o.json('/v3/inventory/adjustments/relative', { method: 'POST', body: { reason: 'test', items: [{ location_id: 1, variant_id: variantId, quantity: 5 }] } });
      expect(res.status).toBe(200);
      await waitFor(() => applied.length > 0 || undefined, 'the adjustment applied', 10_000, 10);
      expect(applied).toEqual([expect.objectContaining({ store: 'observed', variant_id: variantId, location_id: 1, method: 'relative', quantity: 5, before: 10, after: 15 })]);
      const items = await o.json(`/v3/inventory/items?variant_id:in=${variantId}`);
      expect(items.body.data[0].locations.find((l: { location_id: number }) => l.location_id === 1).total_inventory_onhand).toBe(15);
      expect(seen).toEqual(o.sandbox.control.eventLog().map((e) => e.seq));
    } finally {
      await o.close();
    }
  });

  it('applies absolute and relative adjustments asynchronously and returns a transaction_id', async () => {
    const { id: productId, variantId } = await createSimpleProduct(h, 'INV-1', 10);
    const outlet = await addLocation('OUT-1');

    const absolute = await h.json('/v3/inventory/adjustments/absolute', {
      method: 'PUT',
      body: { reason: 'sync', items: [{ location_id: 1, variant_id: variantId, quantity: 30 }, { location_id: outlet, sku: 'INV-1', quantity: 7 }] },
    });
    expect(absolute.status).toBe(200);
    expect(absolute.body.transaction_id).toMatch(/^[0-9a-f-]{36}$/);

    // read immediately: still the old values
    const before = await h.json(`/v3/inventory/items?variant_id:in=${variantId}`);
    const loc = (body: any, id: number) => body.data[0].locations.find((l: { location_id: number }) => l.location_id === id);
    expect(loc(before.body, 1).total_inventory_onhand).toBe(10);
    expect(loc(before.body, outlet).total_inventory_onhand).toBe(0);
    expect((await h.json(`/v3/catalog/products/${productId}`)).body.data.inventory_level).toBe(10);

    // Absolute adjustments apply asynchronously: wait for exactly the level asserted below.
    const after = await waitFor(async () => {
      const res = await h.json(`/v3/inventory/items?variant_id:in=${variantId}`);
      return loc(res.body, 1).total_inventory_onhand === 30 ? res : undefined;
    }, 'the absolute adjustment applied', 10_000, 25);
    expect(loc(after.body, 1)).toMatchObject({ total_inventory_onhand: 30, available_to_sell: 30, location_enabled: true });
    expect(loc(after.body, outlet).total_inventory_onhand).toBe(7);

    const relative = await h.json('/v3/inventory/adjustments/relative', { method: 'POST', body: { items: [{ location_id: outlet, product_id: productId, quantity: -2 }] } });
    expect(relative.status).toBe(200);
    const atOutlet = await h.json(`/v3/inventory/locations/${outlet}/items?sku:in=INV-1`);
    expect(atOutlet.body.data[0].total_inventory_onhand).toBe(7);
    const atOutletAfter = await waitFor(async () => {
      const res = await h.json(`/v3/inventory/locations/${outlet}/items?sku:in=INV-1`);
      return res.body.data[0].total_inventory_onhand !== 7 ? res : undefined;
    }, 'the relative adjustment applied', 10_000, 25);
    expect(atOutletAfter.body.data[0]).toMatchObject({ identity: { sku: 'INV-1', variant_id: variantId, product_id: productId }, total_inventory_onhand: 5 });
  });

  it('rejects unknown locations, unknown items, relative without a baseline and tracking mismatches with 422 problem+json', async () => {
    const { variantId } = await createSimpleProduct(h, 'INV-2', 1);
    const outlet = await addLocation('OUT-2');
    const unknownLocation = await h.json('/v3/inventory/adjustments/absolute', { method: 'PUT', body: { items: [{ location_id: 999, variant_id: variantId, quantity: 1 }] } });
    expect(unknownLocation.status).toBe(422);
    expect(unknownLocation.headers.get('content-type')).toContain('application/problem+json');
    expect(unknownLocation.body).toMatchObject({ status: 422, title: expect.stringContaining('999'), type: expect.any(String), errors: {} });

    const unknownVariant = await h.json('/v3/inventory/adjustments/absolute', { method: 'PUT', body: { items: [{ location_id: 1, variant_id: 424242, quantity: 1 }] } });
    expect(unknownVariant.status).toBe(422);

    const noBaseline = await h.json('/v3/inventory/adjustments/relative', { method: 'POST', body: { items: [{ location_id: outlet, variant_id: variantId, quantity: 1 }] } });
    expect(noBaseline.status).toBe(422);
    expect(noBaseline.body.title).toContain('requires absolute adjustment before relative');

    const shirt = await h.json('/v3/catalog/products', { method: 'POST', body: { name: 'Tee', type: 'physical', weight: 1, price: 1, inventory_tracking: 'variant', variants: [{ sku: 'TEE-S', option_values: [{ option_display_name: 'Size', label: 'S' }] }] } });
    const byProduct = await h.json('/v3/inventory/adjustments/absolute', { method: 'PUT', body: { items: [{ location_id: 1, product_id: shirt.body.data.id, quantity: 1 }] } });
    expect(byProduct.status).toBe(422);
    expect(byProduct.body.title).toContain('tracked by variant');

    const tooMany = await h.json('/v3/inventory/adjustments/absolute', { method: 'PUT', body: { items: Array.from({ length: 2001 }, () => ({ location_id: 1, variant_id: variantId, quantity: 1 })) } });
    expect(tooMany.status).toBe(422);
    // nothing was queued by the rejected requests
    expect(h.sandbox.control.store(h.hash).pendingAdjustments).toHaveLength(0);
  });

  it('rolls the default location (only) into catalog inventory_level, or sums enabled locations in aggregated mode', async () => {
    const res = await h.json('/v3/catalog/products', { method: 'POST', body: { name: 'Cap', type: 'physical', weight: 1, price: 1, inventory_tracking: 'variant', variants: [{ sku: 'CAP-R', inventory_level: 4, option_values: [{ option_display_name: 'Color', label: 'Red' }] }] } });
    const productId = res.body.data.id;
    const variantId = res.body.data.variants[0].id;
    const outlet = await addLocation('OUT-3');
    await h.json('/v3/inventory/adjustments/absolute', { method: 'PUT', body: { items: [{ location_id: outlet, variant_id: variantId, quantity: 6 }] } });
    h.sandbox.control.flushInventory(h.hash);

    const defaultMode = await h.json(`/v3/catalog/products/${productId}?include=variants`);
    expect(defaultMode.body.data.variants[0].inventory_level).toBe(4);
    expect(defaultMode.body.data.inventory_level).toBe(4);

    h.sandbox.control.updateStore(h.hash, { stockMode: 'aggregated' });
    const aggregated = await h.json(`/v3/catalog/products/${productId}/variants/${variantId}`);
    expect(aggregated.body.data.inventory_level).toBe(10);

    await h.json('/v3/inventory/locations', { method: 'PUT', body: [{ id: outlet, enabled: false }] });
    const outletDisabled = await h.json(`/v3/catalog/products/${productId}/variants/${variantId}`);
    expect(outletDisabled.body.data.inventory_level).toBe(4);
  });

  it('updates per-location item settings; safety stock lowers available_to_sell', async () => {
    const { variantId } = await createSimpleProduct(h, 'SAFE-1', 30);
    const res = await h.json('/v3/inventory/locations/1/items', { method: 'PUT', body: { settings: [{ identity: { variant_id: variantId }, safety_stock: 10, warning_level: 3 }] } });
    expect(res.status).toBe(200);
    const items = await h.json('/v3/inventory/locations/1/items?variant_id:in=' + variantId);
    expect(items.body.data[0]).toMatchObject({ total_inventory_onhand: 30, available_to_sell: 20, settings: { safety_stock: 10, warning_level: 3 } });
  });
});
