import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimpleProduct, startSandbox, type Harness } from './helpers';

describe('BigCommerce sandbox: catalog v3', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(() => h.close());

  it('creates a product with variants, auto-creating the variant options, and stocks each variant', async () => {
    const res = await h.json('/v3/catalog/products', {
      method: 'POST',
      body: {
        name: 'Linen Shirt',
        type: 'physical',
        weight: 1,
        price: 40,
        inventory_tracking: 'variant',
        variants: [
          { sku: 'SHIRT-S-BLU', price: 42, inventory_level: 3, option_values: [{ option_display_name: 'Size', label: 'S' }, { option_display_name: 'Color', label: 'Blue' }] },
          { sku: 'SHIRT-M-BLU', inventory_level: 5, option_values: [{ option_display_name: 'Size', label: 'M' }, { option_display_name: 'Color', label: 'Blue' }] },
        ],
      },
    });
    expect(res.status).toBe(200);
    const product = res.body.data;
    expect(product.options.map((o: { display_name: string }) => o.display_name)).toEqual(['Size', 'Color']);
    expect(product.options[0].option_values.map((v: { label: string }) => v.label)).toEqual(['S', 'M']);
    expect(product.variants).toHaveLength(2);
    expect(product.variants[0]).toMatchObject({ sku: 'SHIRT-S-BLU', price: 42, calculated_price: 42, inventory_level: 3 });
    expect(product.variants[1]).toMatchObject({ sku: 'SHIRT-M-BLU', price: null, calculated_price: 40, inventory_level: 5 });
    expect(product.variants[0].option_values).toEqual([
      { id: expect.any(Number), option_id: product.options[0].id, option_display_name: 'Size', label: 'S' },
      { id: expect.any(Number), option_id: product.options[1].id, option_display_name: 'Color', label: 'Blue' },
    ]);
    expect(product.inventory_level).toBe(8); // variant-tracked: the sum of variant levels
    expect(product.base_variant_id).toBeUndefined();

    const fetched = await h.json(`/v3/catalog/products/${product.id}/variants`);
    expect(fetched.body.data.map((v: { sku: string }) => v.sku)).toEqual(['SHIRT-S-BLU', 'SHIRT-M-BLU']);
  });

  it('rejects variants that do not pick one value of every option, and duplicate combinations', async () => {
    const missingOption = await h.json('/v3/catalog/products', {
      method: 'POST',
      body: {
        name: 'Broken',
        type: 'physical',
        weight: 1,
        price: 1,
        variants: [
          { sku: 'B-1', option_values: [{ option_display_name: 'Size', label: 'S' }, { option_display_name: 'Color', label: 'Red' }] },
          { sku: 'B-2', option_values: [{ option_display_name: 'Size', label: 'M' }] },
        ],
      },
    });
    expect(missingOption.status).toBe(422);
    expect(missingOption.body).toMatchObject({ status: 422, title: expect.any(String), type: expect.any(String), errors: expect.any(Object) });
    // nothing of the rejected product is left behind
    expect(h.sandbox.control.store(h.hash).products).toHaveLength(0);

    const { id } = await createSimpleProduct(h, 'OPT-BASE');
    const option = await h.json(`/v3/catalog/products/${id}/options`, { method: 'POST', body: { display_name: 'Size', type: 'rectangles', option_values: [{ label: 'S', sort_order: 0 }, { label: 'M', sort_order: 1 }] } });
    expect(option.status).toBe(200);
    const [small] = option.body.data.option_values;
    const first = await h.json(`/v3/catalog/products/${id}/variants`, { method: 'POST', body: { sku: 'OPT-S', option_values: [{ id: small.id, option_id: option.body.data.id }] } });
    expect(first.status).toBe(200);
    const again = await h.json(`/v3/catalog/products/${id}/variants`, { method: 'POST', body: { sku: 'OPT-S2', option_values: [{ id: small.id, option_id: option.body.data.id }] } });
    expect(again.status).toBe(422);
    // the first option variant replaced the simple product's base variant
    const variants = await h.json(`/v3/catalog/products/${id}/variants`);
    expect(variants.body.data.map((v: { sku: string }) => v.sku)).toEqual(['OPT-S']);
  });

  it('enforces SKU uniqueness case-insensitively across products and variants (409 for products, 422 for variants)', async () => {
    await createSimpleProduct(h, 'DUP-1');
    const dupProduct = await h.json('/v3/catalog/products', { method: 'POST', body: { name: 'Other', type: 'physical', weight: 1, price: 1, sku: 'dup-1' } });
    expect(dupProduct.status).toBe(409);
    expect(dupProduct.body.errors).toHaveProperty('sku');

    const dupName = await h.json('/v3/catalog/products', { method: 'POST', body: { name: 'Product DUP-1', type: 'physical', weight: 1, price: 1, sku: 'NEW' } });
    expect(dupName.status).toBe(409);

    const batch = await h.json('/v3/catalog/variants', { method: 'PUT', body: [{ product_id: 999999, sku: 'X' }] });
    expect(batch.status).toBe(422);
    expect(batch.body.batch_errors).toHaveLength(1);
  });

  it('limits product batch updates to 10 (413 above) and applies a valid batch', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 11; i += 1) ids.push((await createSimpleProduct(h, `BATCH-${i}`)).id);
    const eleven = await h.json('/v3/catalog/products', { method: 'PUT', body: ids.map((id) => ({ id, price: 99 })) });
    expect(eleven.status).toBe(413);
    expect(eleven.body).toMatchObject({ status: 413, title: expect.any(String) });
    const unchanged = await h.json(`/v3/catalog/products/${ids[0]}`);
    expect(unchanged.body.data.price).toBe(10);

    const ten = await h.json('/v3/catalog/products', { method: 'PUT', body: ids.slice(0, 10).map((id) => ({ id, price: 99, is_visible: false })) });
    expect(ten.status).toBe(200);
    expect(ten.body.data).toHaveLength(10);
    expect(ten.body.data.every((p: { price: number; is_visible: boolean }) => p.price === 99 && !p.is_visible)).toBe(true);

    const missingId = await h.json('/v3/catalog/products', { method: 'PUT', body: [{ price: 1 }] });
    expect(missingId.status).toBe(422);
  });

  it('limits the variants batch to 50 and updates variants by id', async () => {
    const { variantId } = await createSimpleProduct(h, 'VB-1');
    const tooMany = await h.api('/v3/catalog/variants', { method: 'PUT', body: Array.from({ length: 51 }, () => ({ id: variantId, price: 1 })) });
    expect(tooMany.status).toBe(413);
    const ok = await h.json('/v3/catalog/variants', { method: 'PUT', body: [{ id: variantId, cost_price: 4.5, upc: '012345678905' }] });
    expect(ok.status).toBe(200);
    expect(ok.body.data[0]).toMatchObject({ id: variantId, cost_price: 4.5, upc: '012345678905' });
  });

  it('paginates with meta.pagination and filters by id:in and sku', async () => {
    const created: number[] = [];
    for (let i = 0; i < 5; i += 1) created.push((await createSimpleProduct(h, `PAGE-${i}`)).id);
    const page2 = await h.json('/v3/catalog/products?limit=2&page=2');
    expect(page2.body.data.map((p: { id: number }) => p.id)).toEqual(created.slice(2, 4));
    expect(page2.body.meta.pagination).toMatchObject({ total: 5, count: 2, per_page: 2, current_page: 2, total_pages: 3 });
    expect(page2.body.meta.pagination.links).toMatchObject({ previous: expect.stringContaining('page=1'), current: expect.stringContaining('page=2'), next: expect.stringContaining('page=3') });

    const filtered = await h.json(`/v3/catalog/products?id:in=${created[1]},${created[3]}&include=variants`);
    expect(filtered.body.data.map((p: { id: number }) => p.id)).toEqual([created[1], created[3]]);
    expect(filtered.body.data[0].variants[0].sku).toBe('PAGE-1');

    const bySku = await h.json('/v3/catalog/products?sku=PAGE-4');
    expect(bySku.body.data.map((p: { id: number }) => p.id)).toEqual([created[4]]);

    const huge = await h.json('/v3/catalog/products?limit=1000');
    expect(huge.body.meta.pagination.per_page).toBe(250);
  });

  it('creates hidden categories in the default tree and assigns products to channels', async () => {
    const cats = await h.json('/v3/catalog/trees/categories', { method: 'POST', body: [{ name: 'Imported from Lightspeed', tree_id: 1, is_visible: false }] });
    expect(cats.status).toBe(201);
    const categoryId = cats.body.data[0].category_id;
    expect(cats.body.data[0].is_visible).toBe(false);
    const hidden = await h.json('/v3/catalog/categories?is_visible=false');
    expect(hidden.body.data.map((c: { id: number }) => c.id)).toEqual([categoryId]);

    const res = await h.json('/v3/catalog/products', { method: 'POST', body: { name: 'Hidden thing', type: 'physical', weight: 0, price: 5, sku: 'HID-1', is_visible: false, categories: [categoryId] } });
    expect(res.status).toBe(200);
    const productId = res.body.data.id;
    const badCategory = await h.json('/v3/catalog/products', { method: 'POST', body: { name: 'Bad cat', type: 'physical', weight: 0, price: 5, categories: [424242] } });
    expect(badCategory.status).toBe(409);

    const pos = await h.json('/v3/channels', { method: 'POST', body: { name: 'Lightspeed POS', type: 'pos', platform: 'custom' } });
    const channelId = pos.body.data.id;
    expect((await h.api('/v3/catalog/products/channel-assignments', { method: 'PUT', body: [{ product_id: productId, channel_id: channelId }] })).status).toBe(204);
    const assigned = await h.json(`/v3/catalog/products/channel-assignments?product_id:in=${productId}`);
    expect(assigned.body.data).toEqual([{ product_id: productId, channel_id: 1 }, { product_id: productId, channel_id: channelId }]);
    const onChannel = await h.json(`/v3/catalog/products?channel_id:in=${channelId}`);
    expect(onChannel.body.data.map((p: { id: number }) => p.id)).toEqual([productId]);

    expect((await h.api(`/v3/catalog/products/channel-assignments?product_id:in=${productId}&channel_id:in=1`, { method: 'DELETE' })).status).toBe(204);
    const after = await h.json(`/v3/catalog/products/channel-assignments?product_id:in=${productId}`);
    expect(after.body.data).toEqual([{ product_id: productId, channel_id: channelId }]);
    const unknownChannel = await h.api('/v3/catalog/products/channel-assignments', { method: 'PUT', body: [{ product_id: productId, channel_id: 999 }] });
    expect(unknownChannel.status).toBe(422);
  });

  it('validates product bodies with 422 and returns 404 for unknown products', async () => {
    const invalid = await h.json('/v3/catalog/products', { method: 'POST', body: { name: '', type: 'physical', price: 1 } });
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.body.errors)).toEqual(expect.arrayContaining(['name', 'weight']));
    expect((await h.api('/v3/catalog/products/424242')).status).toBe(404);
  });
});
