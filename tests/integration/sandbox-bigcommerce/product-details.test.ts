import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimpleProduct, startSandbox, type Harness } from './helpers';

describe('BigCommerce sandbox: product images and custom fields', () => {
  let h: Harness;
  let productId: number;
  beforeEach(async () => {
    h = await startSandbox();
    productId = (await createSimpleProduct(h, 'DETAIL-1')).id;
  });
  afterEach(() => h.close());

  it('adds images by URL, lists them in sort order, reads and deletes one (productImage_Full)', async () => {
    const empty = await h.json(`/v3/catalog/products/${productId}/images`);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ data: [], meta: { pagination: { total: 0 } } });

    const first = await h.json(`/v3/catalog/products/${productId}/images`, { method: 'POST', body: { image_url: 'https://example.com/photos/front.JPG', is_thumbnail: true, sort_order: 2, description: 'Front' } });
    expect(first.status).toBe(200);
    expect(first.body.meta).toEqual({});
    expect(first.body.data).toEqual({
      id: expect.any(Number),
      product_id: productId,
      is_thumbnail: true,
      sort_order: 2,
      description: 'Front',
      image_file: expect.stringMatching(/front__\d+\.jpg$/),
      image_url: 'https://example.com/photos/front.JPG',
      url_zoom: expect.stringContaining(`/products/${productId}/images/`),
      url_standard: expect.any(String),
      url_thumbnail: expect.any(String),
      url_tiny: expect.any(String),
      date_modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
    });
    const second = await h.json(`/v3/catalog/products/${productId}/images`, { method: 'POST', body: { image_url: 'http://example.com/back.png', is_thumbnail: true } });
    expect(second.body.data).toMatchObject({ sort_order: 0, description: '', is_thumbnail: true });

    const listed = await h.json(`/v3/catalog/products/${productId}/images`);
    expect(listed.body.data.map((i: { id: number }) => i.id)).toEqual([second.body.data.id, first.body.data.id]);
    // one thumbnail at a time: the newer thumbnail took over
    expect(listed.body.data.map((i: { is_thumbnail: boolean }) => i.is_thumbnail)).toEqual([true, false]);
    expect(listed.body.meta.pagination).toMatchObject({ total: 2, count: 2 });

    const one = await h.json(`/v3/catalog/products/${productId}/images/${first.body.data.id}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id: first.body.data.id, image_url: 'https://example.com/photos/front.JPG', is_thumbnail: false });

    const updated = await h.json(`/v3/catalog/products/${productId}/images/${first.body.data.id}`, { method: 'PUT', body: { description: 'Front, updated', is_thumbnail: true } });
    expect(updated.body.data).toMatchObject({ description: 'Front, updated', is_thumbnail: true });

    const deleted = await h.api(`/v3/catalog/products/${productId}/images/${first.body.data.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await h.json(`/v3/catalog/products/${productId}/images/${first.body.data.id}`)).status).toBe(404);
    expect((await h.api(`/v3/catalog/products/${productId}/images/${first.body.data.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.json(`/v3/catalog/products/${productId}/images`)).body.data).toHaveLength(1);
  });

  it('refuses images without a fully qualified image_url, uploads, and unknown products', async () => {
    for (const body of [{}, { image_url: 'front.jpg' }, { image_url: `https://example.com/${'x'.repeat(250)}.jpg` }, { image_url: 'https://example.com/a.jpg', sort_order: 2 ** 31 }]) {
      const res = await h.json(`/v3/catalog/products/${productId}/images`, { method: 'POST', body });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ status: 422, title: expect.any(String), type: expect.any(String) });
    }
    const upload = await fetch(`${h.server.url}/stores/${h.hash}/v3/catalog/products/${productId}/images`, {
      method: 'POST',
      headers: { 'x-auth-token': h.token, accept: 'application/json', 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="image_url"\r\n\r\nhttps://example.com/a.jpg\r\n--x--\r\n',
    });
    expect(upload.status).toBe(422);
    expect((await h.json('/v3/catalog/products/999999/images')).status).toBe(404);
    expect((await h.json('/v3/catalog/products/999999/images', { method: 'POST', body: { image_url: 'https://example.com/a.jpg' } })).status).toBe(404);
    expect((await h.json(`/v3/catalog/products/${productId}/images`)).body.data).toEqual([]);
  });

  it('creates, lists, reads, updates and deletes custom fields (customFieldData)', async () => {
    const isbn = await h.json(`/v3/catalog/products/${productId}/custom-fields`, { method: 'POST', body: { name: 'ISBN', value: '1234567890123' } });
    expect(isbn.status).toBe(200);
    expect(isbn.body).toEqual({ data: { id: expect.any(Number), name: 'ISBN', value: '1234567890123' }, meta: {} });
    const origin = await h.json(`/v3/catalog/products/${productId}/custom-fields`, { method: 'POST', body: { name: 'Origin', value: 'Portugal' } });
    // the same name with another value is a different pair
    expect((await h.json(`/v3/catalog/products/${productId}/custom-fields`, { method: 'POST', body: { name: 'Origin', value: 'Spain' } })).status).toBe(200);

    const listed = await h.json(`/v3/catalog/products/${productId}/custom-fields`);
    expect(listed.body.data.map((f: { name: string; value: string }) => `${f.name}=${f.value}`)).toEqual(['ISBN=1234567890123', 'Origin=Portugal', 'Origin=Spain']);
    expect(listed.body.meta.pagination).toMatchObject({ total: 3 });

    expect((await h.json(`/v3/catalog/products/${productId}/custom-fields/${isbn.body.data.id}`)).body.data).toEqual(isbn.body.data);
    const updated = await h.json(`/v3/catalog/products/${productId}/custom-fields/${origin.body.data.id}`, { method: 'PUT', body: { value: 'Italy' } });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toEqual({ id: origin.body.data.id, name: 'Origin', value: 'Italy' });

    expect((await h.api(`/v3/catalog/products/${productId}/custom-fields/${isbn.body.data.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.json(`/v3/catalog/products/${productId}/custom-fields/${isbn.body.data.id}`)).status).toBe(404);
    expect((await h.json(`/v3/catalog/products/${productId}/custom-fields/${isbn.body.data.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await h.json(`/v3/catalog/products/${productId}/custom-fields`)).body.data.map((f: { value: string }) => f.value)).toEqual(['Italy', 'Spain']);
  });

  it('refuses custom fields that are missing, too long or a duplicate name-value pair', async () => {
    await h.json(`/v3/catalog/products/${productId}/custom-fields`, { method: 'POST', body: { name: 'Origin', value: 'Portugal' } });
    const spain = await h.json(`/v3/catalog/products/${productId}/custom-fields`, { method: 'POST', body: { name: 'Origin', value: 'Spain' } });
    for (const body of [{ name: 'Only name' }, { name: '', value: 'x' }, { name: 'Long', value: 'x'.repeat(251) }, { name: 'Origin', value: 'Portugal' }]) {
      const res = await h.json(`/v3/catalog/products/${productId}/custom-fields`, { method: 'POST', body });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ status: 422, title: expect.any(String), type: expect.any(String) });
    }
    // an update may not turn a field into a duplicate either
    expect((await h.json(`/v3/catalog/products/${productId}/custom-fields/${spain.body.data.id}`, { method: 'PUT', body: { value: 'Portugal' } })).status).toBe(422);
    expect((await h.json('/v3/catalog/products/999999/custom-fields')).status).toBe(404);
    expect((await h.json(`/v3/catalog/products/${productId}/custom-fields`)).body.data).toHaveLength(2);
  });

  it('product reads include images and custom fields on request; product updates leave them alone', async () => {
    const image = await h.json(`/v3/catalog/products/${productId}/images`, { method: 'POST', body: { image_url: 'https://example.com/front.jpg', is_thumbnail: true } });
    const field = await h.json(`/v3/catalog/products/${productId}/custom-fields`, { method: 'POST', body: { name: 'ISBN', value: '978' } });

    const plain = await h.json(`/v3/catalog/products/${productId}`);
    expect(plain.body.data).not.toHaveProperty('images');
    expect(plain.body.data).not.toHaveProperty('custom_fields');
    const full = await h.json(`/v3/catalog/products/${productId}?include=images,custom_fields`);
    expect(full.body.data.images).toEqual([image.body.data]);
    expect(full.body.data.custom_fields).toEqual([field.body.data]);
    const listed = await h.json(`/v3/catalog/products?id:in=${productId}&include=custom_fields`);
    expect(listed.body.data[0].custom_fields).toEqual([field.body.data]);
    expect(listed.body.data[0]).not.toHaveProperty('images');

    expect((await h.json('/v3/catalog/products', { method: 'PUT', body: [{ id: productId, name: 'Renamed', price: 12 }] })).status).toBe(200);
    expect((await h.json(`/v3/catalog/products/${productId}`, { method: 'PUT', body: { description: 'New copy' } })).status).toBe(200);
    const after = await h.json(`/v3/catalog/products/${productId}?include=images,custom_fields`);
    expect(after.body.data).toMatchObject({ name: 'Renamed', price: 12, images: [image.body.data], custom_fields: [field.body.data] });

    // deleting the product takes its images and custom fields with it
    expect((await h.api(`/v3/catalog/products/${productId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.json(`/v3/catalog/products/${productId}/images`)).status).toBe(404);
    expect((await h.json(`/v3/catalog/products/${productId}/custom-fields`)).status).toBe(404);
  });
});

describe('BigCommerce sandbox: images and custom fields in product updates (product_Base_PUT)', () => {
  let h: Harness;
  let productId: number;
  beforeEach(async () => {
    h = await startSandbox();
    productId = (await createSimpleProduct(h, 'DETAIL-PUT')).id;
  });
  afterEach(() => h.close());

  it('a product PUT updates the listed custom fields and images by id, adds those without one, and keeps the rest', async () => {
    const care = (await h.json(`/v3/catalog/products/${productId}/custom-fields`, { method: 'POST', body: { name: 'Care', value: 'Hand wash' } })).body.data;
    const origin = (await h.json(`/v3/catalog/products/${productId}/custom-fields`, { method: 'POST', body: { name: 'Origin', value: 'Portugal' } })).body.data;
    const front = (await h.json(`/v3/catalog/products/${productId}/images`, { method: 'POST', body: { image_url: 'https://example.com/front.jpg' } })).body.data;

    const res = await h.json(`/v3/catalog/products/${productId}?include=images,custom_fields`, {
      method: 'PUT',
      body: { custom_fields: [{ id: care.id, name: 'Care', value: 'Machine wash' }, { name: 'Material', value: 'Linen' }], images: [{ id: front.id, description: 'Front' }, { image_url: 'https://example.com/back.jpg', sort_order: 1 }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.custom_fields.map((f: { name: string; value: string }) => `${f.name}=${f.value}`)).toEqual(['Care=Machine wash', 'Origin=Portugal', 'Material=Linen']);
    expect(res.body.data.custom_fields[1]).toEqual(origin);
    expect(res.body.data.images.map((i: { image_url: string; description: string }) => `${i.image_url} ${i.description}`)).toEqual(['https://example.com/front.jpg Front', 'https://example.com/back.jpg ']);
  });

  it('a batch PUT with a bad custom field or image changes no product at all', async () => {
    const other = (await createSimpleProduct(h, 'DETAIL-PUT-2')).id;
    await h.json(`/v3/catalog/products/${other}/custom-fields`, { method: 'POST', body: { name: 'Origin', value: 'Portugal' } });
    for (const bad of [{ custom_fields: [{ name: 'Origin', value: 'Portugal' }] }, { custom_fields: [{ id: 99999, name: 'X', value: 'Y' }] }, { images: [{ description: 'no url' }] }, { images: [{ id: 99999, description: 'x' }] }]) {
      const res = await h.json('/v3/catalog/products', { method: 'PUT', body: [{ id: productId, name: 'Changed first' }, { id: other, ...bad }] });
      expect(res.status).toBe(422);
    }
    expect((await h.json(`/v3/catalog/products/${productId}`)).body.data.name).toBe('Product DETAIL-PUT');
    const after = await h.json(`/v3/catalog/products/${other}?include=images,custom_fields`);
    expect(after.body.data.images).toEqual([]);
    expect(after.body.data.custom_fields.map((f: { value: string }) => f.value)).toEqual(['Portugal']);
  });
});
