/**
 * Helpers for the storefront, pickup and refund tests: every step goes over HTTP, to the store's
 * API or to the sandbox's control API (`/_sandbox/...`), never into the sandbox's state.
 */
import { expect } from 'vitest';
import { physicalAddress, type Harness } from './helpers';

export const shopper = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  street_1: '12 Analytical Way',
  city: 'Portland',
  state: 'Oregon',
  zip: '97201',
  country: 'United States',
  country_iso2: 'US',
  email: 'ada@example.com',
};

export interface ControlResponse<T = any> {
  status: number;
  body: T;
}

export async function control<T = any>(h: Harness, method: string, path: string, body?: unknown): Promise<ControlResponse<T>> {
  const res = await fetch(`${h.server.url}/_sandbox/stores/${h.hash}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

export async function addLocation(h: Harness, code: string, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await h.json('/v3/inventory/locations', {
    method: 'POST',
    body: [{ code, label: `Store ${code}`, managed_by_external_source: true, type_id: 'PHYSICAL', time_zone: 'America/Los_Angeles', address: physicalAddress, ...extra }],
  });
  expect(res.status).toBe(200);
  const found = await h.json(`/v3/inventory/locations?location_code:in=${code}`);
  return found.body.data[0].id;
}

/** Absolute stock through the Inventory API, applied at once (the sandbox applies writes asynchronously). */
export async function setStock(h: Harness, items: { location_id: number; variant_id?: number; product_id?: number; quantity: number }[]): Promise<void> {
  const res = await h.json('/v3/inventory/adjustments/absolute', { method: 'PUT', body: { reason: 'test', items } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const flushed = await fetch(`${h.server.url}/_sandbox/stores/${h.hash}/inventory/flush`, { method: 'POST' });
  expect(flushed.status).toBe(200);
}

/** On hand of one item at one location, read through the Inventory API. */
export async function onHand(h: Harness, variantId: number, locationId: number): Promise<number> {
  const res = await h.json(`/v3/inventory/items?variant_id:in=${variantId}&location_id:in=${locationId}`);
  expect(res.status).toBe(200);
  return res.body.data[0]?.locations[0]?.total_inventory_onhand ?? 0;
}

export async function createProduct(h: Harness, body: Record<string, unknown>): Promise<any> {
  const res = await h.json('/v3/catalog/products', { method: 'POST', body: { type: 'physical', weight: 1, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

/** A product with Size S/M/L variants, tracked per variant, stock given per size at the default location. */
export async function createTee(h: Harness, sku: string, stock: Record<'S' | 'M' | 'L', number>, extra: Record<string, unknown> = {}): Promise<{ id: number; variants: Record<'S' | 'M' | 'L', number> }> {
  const product = await createProduct(h, {
    name: `Tee ${sku}`,
    price: 25,
    inventory_tracking: 'variant',
    variants: (['S', 'M', 'L'] as const).map((size) => ({ sku: `${sku}-${size}`, inventory_level: stock[size], option_values: [{ option_display_name: 'Size', label: size }] })),
    ...extra,
  });
  const bySize = Object.fromEntries(product.variants.map((v: { id: number; option_values: { label: string }[] }) => [v.option_values[0]!.label, v.id])) as Record<'S' | 'M' | 'L', number>;
  return { id: product.id, variants: bySize };
}

export function shippingCheckout(lines: { product_id: number; variant_id: number; quantity: number }[], extra: Record<string, unknown> = {}) {
  return { channel_id: 1, lines, billing_address: shopper, fulfilment: { type: 'shipping', address: shopper }, ...extra };
}
