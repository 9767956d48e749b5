/**
 * Buy online, pick up in store over HTTP: pickup methods mapping a method to a location, pickup
 * options, orders with a pickup consignment (POST /v2/orders as orders.v2 defines it, and the
 * storefront's pickup checkout), their consignments, and pickups of their items.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimpleProduct, startSandbox, type Harness } from './helpers';
import { addLocation, control, createTee, onHand, setStock, shopper } from './order-helpers';

describe('BigCommerce sandbox: pickup methods, pickup orders and pickups', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(() => h.close());

  async function createMethods(body: unknown[]) {
    const res = await h.json('/v3/pickup/methods', { method: 'POST', body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data as { id: number; location_id: number; display_name: string; date_created: string }[];
  }

  it('manages pickup methods, each mapped to an enabled location', async () => {
    const uptown = await addLocation(h, 'UPTOWN');
    const closed = await addLocation(h, 'CLOSED', { enabled: false });
    const [a, b] = await createMethods([
      { location_id: uptown, display_name: 'Uptown counter', collection_instructions: 'Bring your ID', collection_time_description: '9am - 6pm' },
      { location_id: 1, display_name: 'Warehouse dock' },
    ]);
    expect(a).toMatchObject({ location_id: uptown, display_name: 'Uptown counter', collection_instructions: 'Bring your ID', collection_time_description: '9am - 6pm', date_created: expect.any(String), date_modified: expect.any(String) });

    // A disabled or unknown location cannot carry a method, and a bad entry creates nothing.
    for (const location_id of [closed, 9999]) {
      const res = await h.json('/v3/pickup/methods', { method: 'POST', body: [{ location_id: 1, display_name: 'ok' }, { location_id, display_name: 'nope' }] });
      expect(res.status).toBe(422);
    }
    expect((await h.json('/v3/pickup/methods')).body.data).toHaveLength(2);

    expect((await h.json(`/v3/pickup/methods?id:in=${b!.id}`)).body.data.map((m: { id: number }) => m.id)).toEqual([b!.id]);
    expect((await h.json('/v3/pickup/methods?sort=name:asc')).body.data.map((m: { display_name: string }) => m.display_name)).toEqual(['Uptown counter', 'Warehouse dock']);
    expect((await h.json('/v3/pickup/methods?sort=name:desc')).body.data.map((m: { display_name: string }) => m.display_name)).toEqual(['Warehouse dock', 'Uptown counter']);
    expect((await h.json('/v3/pickup/methods?sort=price:asc')).status).toBe(422);
    const page = await h.json('/v3/pickup/methods?limit=1&page=2');
    expect(page.body).toMatchObject({ data: [{ id: b!.id }], meta: { pagination: { total: 2, count: 1, current_page: 2, total_pages: 2 } } });

    const updated = await h.json('/v3/pickup/methods', { method: 'PUT', body: [{ id: a!.id, display_name: 'Uptown front desk' }] });
    expect(updated.body.data[0]).toMatchObject({ id: a!.id, location_id: uptown, display_name: 'Uptown front desk', collection_instructions: 'Bring your ID' });
    expect((await h.json('/v3/pickup/methods', { method: 'PUT', body: Array.from({ length: 11 }, () => ({ id: a!.id })) })).status).toBe(422);

    expect((await h.api('/v3/pickup/methods', { method: 'DELETE' })).status).toBe(422);
    expect((await h.api(`/v3/pickup/methods?id:in=${b!.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.json('/v3/pickup/methods')).body.data.map((m: { id: number }) => m.id)).toEqual([a!.id]);
  });

  it('accepts POST /v2/orders with a pickup consignment as orders.v2 defines it, and shows it as the pickup consignment', async () => {
    const tee = await createTee(h, 'PK', { S: 0, M: 0, L: 0 });
    const store = await addLocation(h, 'PK-STORE');
    await setStock(h, [{ location_id: store, variant_id: tee.variants.M, quantity: 4 }]);
    const [method] = await createMethods([{ location_id: store, display_name: 'Pick Up', collection_instructions: 'Bring your ID', collection_time_description: '9am - 6pm' }]);

    const created = await h.json('/v2/orders', {
      method: 'POST',
      body: {
        status_id: 11,
        billing_address: shopper,
        consignments: {
          pickups: [
            {
              pickup_method_id: method!.id,
              pickup_method_display_name: 'Curbside pickup',
              location: { name: 'Location 1', code: 'LOCATION-1', postal_code: 78726 },
              line_items: [{ product_id: tee.id, variant_id: tee.variants.M, quantity: 3 }],
            },
          ],
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const orderId = created.body.id;
    expect(created.body).toMatchObject({ status_id: 11, shipping_address_count: 0, items_total: 3 });
    expect(await onHand(h, tee.variants.M, store)).toBe(1); // the pickup location's stock
    expect(await onHand(h, tee.variants.M, 1)).toBe(0);

    const consignments = await h.json(`/v2/orders/${orderId}/consignments`);
    const [lines, addresses] = [await h.json(`/v2/orders/${orderId}/products`), await h.json(`/v2/orders/${orderId}/shipping_addresses`)];
    expect(addresses.body).toEqual([]);
    expect(consignments.body.shipping).toEqual([]);
    expect(consignments.body.pickups).toHaveLength(1);
    const pickup = consignments.body.pickups[0];
    expect(pickup).toMatchObject({
      pickup_method_id: method!.id,
      pickup_method_display_name: 'Curbside pickup',
      collection_instructions: 'Bring your ID',
      collection_time_description: '9am - 6pm',
      location: { id: store, name: 'Location 1', code: 'LOCATION-1', postal_code: '78726', city: 'San Francisco', country_alpha2: 'US', email: 'store@example.com' },
      line_items: [{ url: expect.stringContaining(`/v2/orders/${orderId}/products/${lines.body[0].id}`), resource: `/orders/${orderId}/products/${lines.body[0].id}` }],
    });
    // Items of a pickup consignment name it and no address.
    expect(lines.body[0]).toMatchObject({ variant_id: tee.variants.M, quantity: 3, order_pickup_method_id: pickup.id, order_address_id: 0 });

    const expanded = await h.json(`/v2/orders/${orderId}/consignments?include=consignments.line_items`);
    expect(expanded.body.pickups[0].line_items[0]).toMatchObject({ id: lines.body[0].id, sku: 'PK-M', quantity: 3 });
    const inline = await h.json(`/v2/orders/${orderId}?include=consignments`);
    expect(inline.body.consignments.pickups[0].id).toBe(pickup.id);
    expect((await h.json(`/v2/orders/${orderId}`)).body.consignments).toBeUndefined();
  });

  it('refuses pickup orders the spec does not allow, and pickups beyond the pickup location’s stock', async () => {
    const { id, variantId } = await createSimpleProduct(h, 'PK-RULES', 10);
    const store = await addLocation(h, 'PK-RULES-STORE');
    await setStock(h, [{ location_id: store, variant_id: variantId, quantity: 1 }]);
    const [method] = await createMethods([{ location_id: store }]);
    const pickup = (quantity: number) => ({ pickup_method_id: method!.id, line_items: [{ product_id: id, quantity }] });
    const post = (body: Record<string, unknown>) => h.json('/v2/orders', { method: 'POST', body: { billing_address: shopper, ...body } });

    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['pickup and products', { consignments: { pickups: [pickup(1)] }, products: [{ product_id: id, quantity: 1 }] }, /not both/],
      ['pickup and a shipping address', { consignments: { pickups: [pickup(1)] }, shipping_addresses: [shopper] }, /not both/],
      ['two pickup consignments', { consignments: { pickups: [pickup(1), pickup(1)] } }, /only one pickup consignment/],
      ['an unknown method', { consignments: { pickups: [{ ...pickup(1), pickup_method_id: 999 }] } }, /Pickup method 999 does not exist/],
      ['more than the pickup location holds', { consignments: { pickups: [pickup(2)] } }, /Not enough stock for PK-RULES: 1 of 2 available at location/],
    ];
    for (const [why, body, message] of cases) {
      const res = await post(body);
      expect(res.status, why).toBe(400);
      expect(res.body[0].message, why).toMatch(message);
    }
    expect((await post({ consignments: { pickups: [{ pickup_method_id: method!.id, line_items: [] }] } })).status).toBe(422);
    expect((await h.json('/v2/orders')).body).toEqual([]);
    expect([await onHand(h, variantId, 1), await onHand(h, variantId, store)]).toEqual([10, 1]);
  });

  it('finds pickup options: methods within the radius whose location holds every item', async () => {
    const tee = await createTee(h, 'OPT', { S: 0, M: 0, L: 0 });
    const near = await addLocation(h, 'NEAR'); // San Francisco (helpers' physicalAddress)
    const far = await addLocation(h, 'FAR', { address: { address1: '1 Congress Ave', city: 'Austin', state: 'Texas', zip: '78701', email: 'austin@example.com', geo_coordinates: { latitude: 30.27, longitude: -97.74 }, country_code: 'US' } });
    await setStock(h, [
      { location_id: near, variant_id: tee.variants.S, quantity: 2 },
      { location_id: near, variant_id: tee.variants.M, quantity: 1 },
      { location_id: far, variant_id: tee.variants.S, quantity: 5 },
      { location_id: far, variant_id: tee.variants.M, quantity: 5 },
    ]);
    const [atNear, atFar] = await createMethods([{ location_id: near, display_name: 'SF counter' }, { location_id: far, display_name: 'Austin counter' }]);
    const search = (items: { variant_id: number; quantity: number }[], radius = { value: 5000, unit: 'KM' }) =>
      h.json('/v3/pickup/options', { method: 'POST', body: { search_area: { coordinates: { latitude: 37.77, longitude: -122.42 }, radius }, items } });

    const both = await search([{ variant_id: tee.variants.S, quantity: 1 }, { variant_id: tee.variants.M, quantity: 1 }]);
    expect(both.status).toBe(200);
    expect(both.body.results[0].pickup_options.map((o: { pickup_method: { id: number } }) => o.pickup_method.id)).toEqual([atNear!.id, atFar!.id]); // nearest first
    expect(both.body.results[0].pickup_options[0]).toEqual({
      pickup_method: { id: atNear!.id, location_id: near, display_name: 'SF counter', collection_instructions: '', collection_time_description: '' },
      available_items: [{ variant_id: tee.variants.S, quantity: 2 }, { variant_id: tee.variants.M, quantity: 1 }],
    });
    // Only locations holding all of the basket.
    const two = await search([{ variant_id: tee.variants.S, quantity: 1 }, { variant_id: tee.variants.M, quantity: 2 }]);
    expect(two.body.results[0].pickup_options.map((o: { pickup_method: { id: number } }) => o.pickup_method.id)).toEqual([atFar!.id]);
    // Within the radius only (San Francisco to Austin is about 2,400 km, 1,500 miles).
    const close = await search([{ variant_id: tee.variants.S, quantity: 1 }], { value: 100, unit: 'MI' });
    expect(close.body.results[0].pickup_options.map((o: { pickup_method: { id: number } }) => o.pickup_method.id)).toEqual([atNear!.id]);
    expect((await search([{ variant_id: 99999, quantity: 1 }])).status).toBe(422);
    expect((await h.json('/v3/pickup/options', { method: 'POST', body: { search_area: {}, items: [] } })).status).toBe(422);
  });

  it('checks out for pickup on the storefront, offering only methods at visible locations', async () => {
    const tee = await createTee(h, 'SFP', { S: 0, M: 0, L: 0 });
    const shop = await addLocation(h, 'SFP-SHOP');
    const backroom = await addLocation(h, 'SFP-BACK', { storefront_visibility: false });
    await setStock(h, [{ location_id: shop, variant_id: tee.variants.S, quantity: 2 }]);
    const [atShop, atBack] = await createMethods([{ location_id: shop, display_name: 'Shop counter' }, { location_id: backroom, display_name: 'Back room' }]);

    const view = (await control(h, 'GET', '/storefront?channel_id=1')).body;
    expect(view.pickup_methods.map((m: { id: number }) => m.id)).toEqual([atShop!.id]);
    expect(view.pickup_methods[0]).toMatchObject({ display_name: 'Shop counter', location: { id: shop, code: 'SFP-SHOP', city: 'San Francisco' } });

    const line = [{ product_id: tee.id, variant_id: tee.variants.S, quantity: 2 }];
    const hiddenMethod = await control(h, 'POST', '/checkout', { channel_id: 1, lines: line, billing_address: shopper, fulfilment: { type: 'pickup', pickup_method_id: atBack!.id } });
    expect(hiddenMethod.status).toBe(422);
    const placed = await control(h, 'POST', '/checkout', { channel_id: 1, lines: line, billing_address: shopper, fulfilment: { type: 'pickup', pickup_method_id: atShop!.id } });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.order).toMatchObject({ status_id: 11, fulfilment: { type: 'pickup', pickup_method_id: atShop!.id, location_id: shop }, decrements: [{ variant_id: tee.variants.S, location_id: shop, quantity: 2 }] });
    const consignments = await h.json(`/v2/orders/${placed.body.order.id}/consignments`);
    expect(consignments.body.pickups[0]).toMatchObject({ pickup_method_id: atShop!.id, pickup_method_display_name: 'Shop counter', location: { id: shop, code: 'SFP-SHOP' } });
    expect(await onHand(h, tee.variants.S, shop)).toBe(0);
  });

  it('records pickups of an order’s items: ready, then collected', async () => {
    const { id, variantId } = await createSimpleProduct(h, 'PU', 0);
    const store = await addLocation(h, 'PU-STORE');
    await setStock(h, [{ location_id: store, variant_id: variantId, quantity: 5 }]);
    const [method] = await createMethods([{ location_id: store }]);
    const order = (await h.json('/v2/orders', { method: 'POST', body: { status_id: 11, billing_address: shopper, consignments: { pickups: [{ pickup_method_id: method!.id, line_items: [{ product_id: id, quantity: 3 }] }] } } })).body;
    const [line] = (await h.json(`/v2/orders/${order.id}/products`)).body;
    const shipOrder = (await h.json('/v2/orders', { method: 'POST', body: { billing_address: shopper, products: [{ name: 'Custom', quantity: 1, price_inc_tax: 1, price_ex_tax: 1 }] } })).body;

    const created = await h.json('/v3/orders/pickups', { method: 'POST', body: [{ pickup_method_id: method!.id, order_id: order.id, ready_at: '1660555844', pickup_items: [{ order_product_id: line.id, quantity: 2 }] }] });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const pickup = created.body.data[0];
    expect(pickup).toMatchObject({ order_id: order.id, pickup_method_id: method!.id, ready_at: '2022-08-15T09:30:44Z', pickup_items: [{ order_product_id: line.id, quantity: 2, status: 'AWAITING_COLLECTION', collected_at: null }] });

    const refusals: [string, unknown][] = [
      ['beyond the ordered quantity', [{ pickup_method_id: method!.id, order_id: order.id, ready_at: '2022-08-15T09:30:44Z', pickup_items: [{ order_product_id: line.id, quantity: 2 }] }]],
      ['a shipping order', [{ pickup_method_id: method!.id, order_id: shipOrder.id, ready_at: '2022-08-15T09:30:44Z', pickup_items: [{ order_product_id: line.id, quantity: 1 }] }]],
      ['a bad date', [{ pickup_method_id: method!.id, order_id: order.id, ready_at: 'soon', pickup_items: [{ order_product_id: line.id, quantity: 1 }] }]],
    ];
    for (const [why, body] of refusals) {
      const res = await h.json('/v3/orders/pickups', { method: 'POST', body });
      expect(res.status, why).toBe(422);
      expect(res.headers.get('content-type'), why).toContain('application/problem+json');
    }

    const collected = await h.json('/v3/orders/pickups', { method: 'PUT', body: [{ id: pickup.id, pickup_id: pickup.id, collected_at: '2022-08-16T10:00:00Z' }] });
    expect(collected.body.data[0].pickup_items[0]).toMatchObject({ status: 'COLLECTED', collected_at: '2022-08-16T10:00:00Z' });
    expect((await h.json(`/v3/orders/pickups?order_id:in=${order.id}`)).body.data.map((p: { id: number }) => p.id)).toEqual([pickup.id]);
    expect((await h.json(`/v3/orders/pickups?order_id:in=${shipOrder.id}`)).body.data).toEqual([]);
    expect((await h.api(`/v3/orders/pickups?id:in=${pickup.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.json('/v3/orders/pickups')).body.data).toEqual([]);
  });
});
