import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LightspeedWebhookError } from './errors';
import { parseLightspeedWebhook, verifyLightspeedSignature } from './webhooks';

const secret = 'client-secret-123';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const sign = (body: string, key = secret, encoding: 'hex' | 'base64' = 'hex') => createHmac('sha256', key).update(body).digest(encoding);

const inventoryPayload = {
  id: '0db6c587-0bcb-c168-561d-89aba2fab7c0',
  product_id: '0624dbcd-ef13-11e6-e986-fcc1c366e772',
  outlet_id: '0624dbcd-ef95-11e6-e986-ecd5a64d7fa9',
  count: 7,
  reorder_point: '0',
  restock_level: '0',
  attributed_cost: '10.00',
  version: 5303657191,
};

describe('verifyLightspeedSignature', () => {
  const body = form({ payload: JSON.stringify(inventoryPayload), type: 'inventory.update', domain_prefix: 'mystore' });

  it('accepts the documented header with a hex or base64 digest, with or without spaces', () => {
    expect(verifyLightspeedSignature(body, `signature=${sign(body)},algorithm=HMAC-SHA256`, secret)).toBe(true);
    expect(verifyLightspeedSignature(body, `signature=${sign(body, secret, 'base64')}, algorithm=HMAC-SHA256`, secret)).toBe(true);
    expect(verifyLightspeedSignature(body, `algorithm=hmac-sha256, signature=${sign(body)}`, secret)).toBe(true);
  });

  it('refuses a missing header, a wrong secret and a tampered body', () => {
    expect(verifyLightspeedSignature(body, null, secret)).toBe(false);
    expect(verifyLightspeedSignature(body, '', secret)).toBe(false);
    expect(verifyLightspeedSignature(body, `signature=${sign(body, 'another-secret')},algorithm=HMAC-SHA256`, secret)).toBe(false);
    const tampered = body.replace('%22count%22%3A7', '%22count%22%3A70');
    expect(tampered).not.toBe(body);
    expect(verifyLightspeedSignature(tampered, `signature=${sign(body)},algorithm=HMAC-SHA256`, secret)).toBe(false);
  });

  it('refuses malformed headers and other algorithms', () => {
    const digest = sign(body);
    for (const header of [
      digest,
      `signature=${digest}`,
      `signature=${digest},algorithm=HMAC-SHA1`,
      `signature=${digest.slice(0, 40)},algorithm=HMAC-SHA256`,
      `signature=${digest}zz,algorithm=HMAC-SHA256`,
      'signature=,algorithm=HMAC-SHA256',
      'garbage',
    ]) {
      expect(verifyLightspeedSignature(body, header, secret)).toBe(false);
    }
  });

  it('refuses when no secret is configured', () => {
    expect(verifyLightspeedSignature(body, `signature=${createHmac('sha256', '').update(body).digest('hex')},algorithm=HMAC-SHA256`, '')).toBe(false);
  });
});

describe('parseLightspeedWebhook', () => {
  it('reads an inventory.update into the app shape', () => {
    const result = parseLightspeedWebhook(form({ payload: JSON.stringify(inventoryPayload), type: 'inventory.update', domain_prefix: 'mystore' }));
    expect(result).toEqual({
      status: 'parsed',
      type: 'inventory.update',
      domainPrefix: 'mystore',
      entity: { kind: 'inventory', id: inventoryPayload.id, version: 5303657191, productId: inventoryPayload.product_id, outletId: inventoryPayload.outlet_id, count: 7 },
    });
  });

  it('reads a product.update (API 1.0 shape with string numbers)', () => {
    const product = {
      id: '0624dbcd-ef13-11e6-e986-fcc1c366e772',
      name: 'Post Shave Balm',
      sku: '10107',
      handle: 'postshavebalm',
      active: true,
      variant_parent_id: null,
      variant_options: [],
      supply_price: '4.00',
      deleted_at: null,
      version: 5303657190,
      inventory: [{ ...inventoryPayload, count: '2.00000', version: undefined }],
      price_book_entries: [{ price: '6.95652' }],
    };
    const result = parseLightspeedWebhook(form({ payload: JSON.stringify(product) }), { typeHint: 'product.update' });
    expect(result.status).toBe('parsed');
    if (result.status !== 'parsed') return;
    expect(result.domainPrefix).toBeNull();
    expect(result.entity).toEqual({
      kind: 'product',
      id: product.id,
      version: 5303657190,
      name: 'Post Shave Balm',
      sku: '10107',
      active: true,
      variantParentId: null,
      deletedAt: null,
      inventory: [{ outletId: inventoryPayload.outlet_id, count: 2 }],
    });
  });

  it('reads a sale.update', () => {
    const sale = {
      id: 'a8b7c6d5-0000-4000-8000-000000000001',
      status: 'AWAITING_DISPATCH',
      register_id: 'r-1',
      invoice_number: 1042,
      source_id: 'bc-order-100',
      sale_date: '2026-11-20 10:00:00',
      version: 77,
      register_sale_products: [{ id: 'l1', product_id: 'p1', quantity: '2', price: '10.0' }],
    };
    const result = parseLightspeedWebhook(form({ payload: JSON.stringify(sale), type: 'sale.update', domain_prefix: 'shop' }));
    expect(result).toMatchObject({
      status: 'parsed',
      entity: { kind: 'sale', id: sale.id, version: 77, status: 'AWAITING_DISPATCH', invoiceNumber: '1042', sourceId: 'bc-order-100', lines: [{ productId: 'p1', quantity: 2 }] },
    });
  });

  it('ignores types the app does not sync, and bodies without any type', () => {
    expect(parseLightspeedWebhook(form({ payload: '{"id":"c1"}', type: 'customer.update' }))).toEqual({
      status: 'ignored',
      type: 'customer.update',
      domainPrefix: null,
      reason: 'webhook type customer.update is not synced',
    });
    expect(parseLightspeedWebhook(form({ payload: '{}', type: 'something.new' })).status).toBe('ignored');
    expect(parseLightspeedWebhook(form({ payload: '{}' })).status).toBe('ignored');
  });

  it('throws a typed error for malformed bodies', () => {
    const cases = [
      '',
      form({ type: 'inventory.update' }),
      form({ payload: '{not json', type: 'inventory.update' }),
      form({ payload: JSON.stringify({ ...inventoryPayload, count: 'seven' }), type: 'inventory.update' }),
      form({ payload: JSON.stringify({ id: 'x' }), type: 'sale.update' }),
      form({ payload: '[]', type: 'product.update' }),
    ];
    for (const body of cases) expect(() => parseLightspeedWebhook(body), body).toThrow(LightspeedWebhookError);
    expect(() => parseLightspeedWebhook(form({ payload: JSON.stringify(inventoryPayload), type: 'inventory.update' }), { typeHint: 'sale.update' })).toThrow(/does not match/);
  });
});
