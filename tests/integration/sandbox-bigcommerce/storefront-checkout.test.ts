/**
 * The sandbox storefront over HTTP: what a channel lists, what a shopper can buy, and where the
 * stock of a storefront order comes from — checked through the store's own APIs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimpleProduct, startReceiver, startSandbox, type Harness, type Receiver } from './helpers';
import { addLocation, control, createProduct, createTee, onHand, setStock, shippingCheckout, shopper } from './order-helpers';

describe('BigCommerce sandbox: storefront listing and checkout', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(() => h.close());

  const listing = async (channel = 1) => {
    const res = await control(h, 'GET', `/storefront?channel_id=${channel}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { products: { id: number; name: string; purchasable: boolean; categories: string[]; variants: { id: number; sku: string; stock: number | null; state: string; purchasable: boolean; label: string | null; price: number; options: { name: string; value: string }[] }[] }[]; pickup_methods: unknown[]; stock_mode: string };
  };
  const product = async (id: number, channel = 1) => (await listing(channel)).products.find((p) => p.id === id);

  it('lists visible products assigned to the channel, with variants, prices and availability', async () => {
    const tee = await createTee(h, 'LST', { S: 3, M: 0, L: 1 });
    const hidden = await createSimpleProduct(h, 'LST-HIDDEN', 5);
    await h.json(`/v3/catalog/products/${hidden.id}`, { method: 'PUT', body: { is_visible: false } });
    const disabled = await createProduct(h, { name: 'Display only', price: 9, sku: 'LST-DISABLED', inventory_tracking: 'product', inventory_level: 4, availability: 'disabled' });
    const untracked = await createProduct(h, { name: 'Gift wrap', price: 2, sku: 'LST-WRAP' });
    // An item the app imports from Lightspeed: in the hidden "Imported from Lightspeed" category, made visible by the merchant.
    const imported = (await h.json('/v3/catalog/trees/categories', { method: 'POST', body: [{ name: 'Imported from Lightspeed', parent_id: 0, tree_id: 1, is_visible: false }] })).body.data[0].category_id;
    const fromLs = await createProduct(h, { name: 'LS Candle', price: 14, sku: 'LS-CANDLE', categories: [imported], is_visible: false, inventory_tracking: 'product', inventory_level: 6 });
    await h.json(`/v3/catalog/products/${fromLs.id}`, { method: 'PUT', body: { is_visible: true } });
    await h.json(`/v3/catalog/products/${tee.id}/variants/${tee.variants.L}`, { method: 'PUT', body: { purchasing_disabled: true } });

    const view = await listing();
    expect(view.stock_mode).toBe('default-location');
    const ids = view.products.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([tee.id, disabled.id, untracked.id, fromLs.id]));
    expect(ids).not.toContain(hidden.id);
    const listedTee = view.products.find((p) => p.id === tee.id)!;
    expect(listedTee.variants.map((v) => [v.options[0]!.value, v.stock, v.state, v.purchasable, v.price])).toEqual([
      ['S', 3, 'available', true, 25],
      ['M', 0, 'out_of_stock', false, 25],
      ['L', 1, 'purchasing_disabled', false, 25],
    ]);
    expect(view.products.find((p) => p.id === disabled.id)).toMatchObject({ purchasable: false, variants: [{ state: 'unavailable', stock: 4 }] });
    expect(view.products.find((p) => p.id === untracked.id)).toMatchObject({ purchasable: true, variants: [{ stock: null, state: 'available' }] });
    // An untracked item sells in any quantity and takes no stock.
    const wrapped = await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: untracked.id, variant_id: untracked.variants[0].id, quantity: 50 }]));
    expect(wrapped.status, JSON.stringify(wrapped.body)).toBe(201);
    expect(wrapped.body.order).toMatchObject({ status_id: 11, decrements: [] });
    expect(await product(untracked.id)).toMatchObject({ purchasable: true, variants: [{ stock: null, state: 'available' }] });
    expect(view.products.find((p) => p.id === fromLs.id)).toMatchObject({ categories: ['Imported from Lightspeed'], purchasable: true, variants: [{ stock: 6 }] });

    // A second storefront lists only what is assigned to it.
    const second = (await h.json('/v3/channels', { method: 'POST', body: { name: 'Outlet store', type: 'storefront', platform: 'bigcommerce' } })).body.data.id;
    expect((await listing(second)).products).toEqual([]);
    await h.json('/v3/catalog/products/channel-assignments', { method: 'PUT', body: [{ product_id: fromLs.id, channel_id: second }] });
    expect((await listing(second)).products.map((p) => p.id)).toEqual([fromLs.id]);
    // A POS channel is not a storefront.
    const pos = (await h.json('/v3/channels', { method: 'POST', body: { name: 'POS', type: 'pos', platform: 'custom' } })).body.data.id;
    expect((await control(h, 'GET', `/storefront?channel_id=${pos}`)).status).toBe(422);
  });

  it('follows the out-of-stock behaviours of the inventory settings, per channel', async () => {
    const tee = await createTee(h, 'OOS', { S: 2, M: 0, L: 0 });
    const gone = await createSimpleProduct(h, 'OOS-GONE', 0);
    expect(await product(gone.id)).toMatchObject({ purchasable: false });

    await h.json('/v3/settings/inventory', { method: 'PUT', body: { product_out_of_stock_behavior: 'hide_product', option_out_of_stock_behavior: 'hide_option' } });
    expect(await product(gone.id)).toBeUndefined();
    expect((await product(tee.id))!.variants.map((v) => v.sku)).toEqual(['OOS-S']);

    // A channel override beats the global value for that channel's shoppers.
    await h.json('/v3/settings/inventory?channel_id=1', { method: 'PUT', body: { product_out_of_stock_behavior: 'do_nothing', option_out_of_stock_behavior: 'label_option' } });
    expect(await product(gone.id)).toMatchObject({ purchasable: false });
    expect((await product(tee.id))!.variants.map((v) => [v.sku, v.label])).toEqual([
      ['OOS-S', null],
      ['OOS-M', 'Out of stock'],
      ['OOS-L', 'Out of stock'],
    ]);
  });

  it('checks out with shipping: the order is paid (Awaiting Fulfillment), readable over the API, and took its stock', async () => {
    const receiver: Receiver = await startReceiver();
    try {
      for (const scope of ['store/order/created', 'store/order/statusUpdated', 'store/sku/inventory/order/updated']) {
        await h.json('/v3/hooks', { method: 'POST', body: { scope, destination: receiver.url, is_active: true } });
      }
      const tee = await createTee(h, 'BUY', { S: 5, M: 5, L: 5 });
      const res = await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: tee.id, variant_id: tee.variants.M, quantity: 2 }], { fulfilment: { type: 'shipping', address: { ...shopper, city: 'Salem' }, shipping_method: 'Ground' } }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ paid: true, order: { status_id: 11, status: 'Awaiting Fulfillment', order_source: 'www', fulfilment: { type: 'shipping', city: 'Salem' } } });
      const orderId = res.body.order.id;

      const order = await h.json(`/v2/orders/${orderId}`);
      expect(order.body).toMatchObject({ id: orderId, status_id: 11, order_source: 'www', channel_id: 1, items_total: 2, total_inc_tax: '50.0000' });
      const consignments = await h.json(`/v2/orders/${orderId}/consignments`);
      expect(consignments.body.pickups).toEqual([]);
      expect(consignments.body.shipping).toHaveLength(1);
      expect(consignments.body.shipping[0]).toMatchObject({ city: 'Salem', shipping_method: 'Ground', items_total: 2, items_shipped: 0 });
      expect(await onHand(h, tee.variants.M, 1)).toBe(3);
      // The checkout came over HTTP and is in the event log as the shopper's action, before its stock change.
      const log = (await (await fetch(`${h.server.url}/_sandbox/event-log`)).json()) as { type: string; action?: string }[];
      const checkoutAt = log.findIndex((e) => e.type === 'control' && e.action === 'checkout');
      expect(checkoutAt).toBeGreaterThanOrEqual(0);
      expect(log.slice(checkoutAt).some((e) => e.type === 'stock')).toBe(true);

      // Created at the payment step (Incomplete), then paid: the webhooks say so.
      const hooks = await receiver.waitFor((r) => r.some((w) => w.body.scope === 'store/order/statusUpdated') && r.some((w) => w.body.scope === 'store/sku/inventory/order/updated'));
      expect(hooks.find((w) => w.body.scope === 'store/order/created')!.body.data).toEqual({ type: 'order', id: orderId });
      expect(hooks.filter((w) => w.body.scope === 'store/order/statusUpdated').map((w) => w.body.data.status)).toEqual([{ previous_status_id: 0, new_status_id: 11 }]);
      expect(hooks.find((w) => w.body.scope === 'store/sku/inventory/order/updated')!.body.data).toMatchObject({ id: tee.variants.M, inventory: { method: 'relative', value: -2 } });
    } finally {
      await receiver.close();
    }
  });

  it('a paid order of downloadable products only is Completed', async () => {
    const ebook = await createProduct(h, { name: 'E-book', type: 'digital', weight: 0, price: 8, sku: 'EBOOK' });
    const res = await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: ebook.id, variant_id: ebook.variants[0].id, quantity: 1 }]));
    expect(res.body.order).toMatchObject({ status_id: 10, status: 'Completed' });
  });

  it('tracks a product with variants by product: every variant sells from the product’s one level', async () => {
    const mug = await createProduct(h, {
      name: 'Mug',
      price: 12,
      inventory_tracking: 'product',
      inventory_level: 3,
      variants: ['Blue', 'Gray'].map((c) => ({ sku: `MUG-${c}`, option_values: [{ option_display_name: 'Color', label: c }] })),
    });
    const [blue, gray] = mug.variants.map((v: { id: number }) => v.id);
    expect((await h.json(`/v3/catalog/products/${mug.id}`)).body.data.inventory_level).toBe(3);
    expect((await product(mug.id))!.variants.map((v) => v.stock)).toEqual([3, 3]);

    expect((await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: mug.id, variant_id: blue, quantity: 2 }]))).status).toBe(201);
    const refused = await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: mug.id, variant_id: gray, quantity: 2 }]));
    expect(refused.status).toBe(422);
    expect(refused.body.title).toMatch(/only 1 of Mug can be bought/);
    expect((await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: mug.id, variant_id: gray, quantity: 1 }]))).status).toBe(201);
    expect((await h.json(`/v3/catalog/products/${mug.id}`)).body.data.inventory_level).toBe(0);
    expect((await product(mug.id))!.variants.map((v) => v.state)).toEqual(['out_of_stock', 'out_of_stock']);
    // The merchant restocks the product, not a variant.
    expect((await h.json(`/v3/catalog/products/${mug.id}`, { method: 'PUT', body: { inventory_level: 4 } })).status).toBe(200);
    expect((await product(mug.id))!.variants.map((v) => v.stock)).toEqual([4, 4]);
    const byVariant = await h.json('/v3/inventory/adjustments/absolute', { method: 'PUT', body: { items: [{ location_id: 1, variant_id: gray, quantity: 9 }] } });
    expect(byVariant.status).toBe(422);
  });

  it('sells on hand less safety stock, and nothing where the item is not in stock', async () => {
    const { id, variantId } = await createSimpleProduct(h, 'SAFE', 5);
    const settings = await h.json('/v3/inventory/locations/1/items', { method: 'PUT', body: { settings: [{ identity: { variant_id: variantId }, safety_stock: 3 }] } });
    expect(settings.status).toBe(200);
    expect((await product(id))!.variants[0]!.stock).toBe(2);
    expect((await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: id, variant_id: variantId, quantity: 3 }]))).status).toBe(422);
    expect((await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: id, variant_id: variantId, quantity: 2 }]))).status).toBe(201);
    expect(await onHand(h, variantId, 1)).toBe(3);

    await h.json('/v3/inventory/locations/1/items', { method: 'PUT', body: { settings: [{ identity: { variant_id: variantId }, safety_stock: 0, is_in_stock: false }] } });
    expect((await product(id))!.variants[0]).toMatchObject({ stock: 0, state: 'out_of_stock' });
    expect((await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: id, variant_id: variantId, quantity: 1 }]))).status).toBe(422);
  });

  it('sells only what an accepted relative decrease leaves, before it is applied; an accepted increase once it is applied', async () => {
    // Adjustments are applied later (inventoryApplyDelayMs); this store applies them only when flushed.
    const slow = await startSandbox({ inventoryApplyDelayMs: 600_000 }, 'strictorder');
    try {
      const { id: productId, variantId } = await createSimpleProduct(slow, 'STRICT', 3);
      const buy = (quantity: number) => control(slow, 'POST', '/checkout', shippingCheckout([{ product_id: productId, variant_id: variantId, quantity }]));
      const relative = (quantity: number) => slow.json('/v3/inventory/adjustments/relative', { method: 'POST', body: { reason: 'test', items: [{ location_id: 1, variant_id: variantId, quantity }] } });

      expect((await relative(-2)).status).toBe(200);
      expect(await onHand(slow, variantId, 1)).toBe(3); // accepted, not applied yet
      const refused = await buy(2);
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(await onHand(slow, variantId, 1)).toBe(3); // the refused order took nothing
      expect((await buy(1)).status).toBe(201);
      expect(await onHand(slow, variantId, 1)).toBe(2);
      slow.sandbox.control.flushInventory(slow.hash);
      expect(await onHand(slow, variantId, 1)).toBe(0); // the decrease took its two units: nothing was clamped

      expect((await relative(4)).status).toBe(200);
      expect((await buy(1)).status).toBe(422); // not sold before it is applied
      slow.sandbox.control.flushInventory(slow.hash);
      expect((await buy(1)).status).toBe(201);
      expect(await onHand(slow, variantId, 1)).toBe(3);
    } finally {
      await slow.close();
    }
  });

  it('refuses what a shopper could not buy, and changes nothing', async () => {
    const tee = await createTee(h, 'NO', { S: 5, M: 5, L: 5 });
    await h.json(`/v3/catalog/products/${tee.id}/variants/${tee.variants.L}`, { method: 'PUT', body: { purchasing_disabled: true } });
    const hidden = await createSimpleProduct(h, 'NO-HIDDEN', 5);
    await h.json(`/v3/catalog/products/${hidden.id}`, { method: 'PUT', body: { is_visible: false } });
    const disabled = await createProduct(h, { name: 'Display only', price: 9, sku: 'NO-DISABLED', inventory_tracking: 'product', inventory_level: 4, availability: 'disabled' });
    const elsewhere = await createSimpleProduct(h, 'NO-ELSEWHERE', 5);
    await h.json(`/v3/catalog/products/channel-assignments?product_id:in=${elsewhere.id}&channel_id:in=1`, { method: 'DELETE' });

    const attempts: [string, unknown][] = [
      ['purchasing disabled', shippingCheckout([{ product_id: tee.id, variant_id: tee.variants.L, quantity: 1 }])],
      ['not sold on channel', shippingCheckout([{ product_id: hidden.id, variant_id: hidden.variantId, quantity: 1 }])],
      ['cannot be purchased', shippingCheckout([{ product_id: disabled.id, variant_id: disabled.variants[0].id, quantity: 1 }])],
      ['not sold on channel', shippingCheckout([{ product_id: elsewhere.id, variant_id: elsewhere.variantId, quantity: 1 }])],
      ['not a variant of product', shippingCheckout([{ product_id: tee.id, variant_id: hidden.variantId, quantity: 1 }])],
      ['Invalid control request', shippingCheckout([{ product_id: tee.id, variant_id: tee.variants.S, quantity: 0 }])],
      ['Invalid control request', { ...shippingCheckout([{ product_id: tee.id, variant_id: tee.variants.S, quantity: 1 }]), billing_address: { ...shopper, email: 'not-an-email' } }],
      ['not offered on this storefront', { ...shippingCheckout([{ product_id: tee.id, variant_id: tee.variants.S, quantity: 1 }]), fulfilment: { type: 'pickup', pickup_method_id: 999 } }],
    ];
    for (const [why, body] of attempts) {
      const res = await control(h, 'POST', '/checkout', body);
      expect(res.status, why).toBe(422);
      expect(res.body.title, why).toContain(why);
    }
    expect((await control(h, 'GET', '/orders')).body).toEqual([]);
    expect((await h.json('/v2/orders')).body).toEqual([]);
    expect(await onHand(h, tee.variants.L, 1)).toBe(5);
  });

  it('lists and sells a preorder product: against its stock under the preorderStock policy check (default), beyond it under ignore', async () => {
    const soon = await createProduct(h, { name: 'Next season', price: 30, sku: 'PRE-1', inventory_tracking: 'product', inventory_level: 1, availability: 'preorder' });
    const line = [{ product_id: soon.id, variant_id: soon.variants[0].id, quantity: 1 }];
    expect(await product(soon.id)).toMatchObject({ purchasable: true, variants: [{ state: 'preorder', stock: 1 }] });
    expect((await control(h, 'POST', '/checkout', shippingCheckout(line))).status).toBe(201);
    expect(await product(soon.id)).toMatchObject({ purchasable: false, variants: [{ state: 'out_of_stock', stock: 0 }] });
    expect((await control(h, 'POST', '/checkout', shippingCheckout(line))).status).toBe(422);
    expect((await h.json('/v2/orders', { method: 'POST', body: { billing_address: shopper, products: [{ product_id: soon.id, quantity: 1 }] } })).status).toBe(400);
    expect(await onHand(h, soon.variants[0].id, 1)).toBe(0);

    const switched = await control(h, 'PUT', '/settings', { orderPolicies: { preorderStock: 'ignore' } });
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    expect(await product(soon.id)).toMatchObject({ purchasable: true, variants: [{ state: 'preorder', stock: 0 }] });
    expect((await control(h, 'POST', '/checkout', shippingCheckout([{ ...line[0]!, quantity: 2 }]))).status).toBe(201);
    expect(await onHand(h, soon.variants[0].id, 1)).toBe(-2);
    // The policy covers preorder products only: an available product out of stock is still refused.
    const { id, variantId } = await createSimpleProduct(h, 'PRE-NOT', 0);
    expect((await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: id, variant_id: variantId, quantity: 1 }]))).status).toBe(422);
  });

  it('re-checks stock when an Incomplete order is paid: the second shopper to pay for the last unit is refused', async () => {
    const { id, variantId } = await createSimpleProduct(h, 'UMBRELLA', 1);
    const first = await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: id, variant_id: variantId, quantity: 1 }], { pay: false }));
    const second = await control(h, 'POST', '/checkout', shippingCheckout([{ product_id: id, variant_id: variantId, quantity: 1 }], { pay: false }));
    expect([first.body.paid, first.body.order.status_id, second.body.order.status_id]).toEqual([false, 0, 0]);
    expect(await onHand(h, variantId, 1)).toBe(1); // Incomplete orders hold no stock

    expect((await control(h, 'POST', `/orders/${first.body.order.id}/pay`)).body).toMatchObject({ status_id: 11 });
    const refused = await control(h, 'POST', `/orders/${second.body.order.id}/pay`);
    expect(refused.status).toBe(409);
    expect(refused.body.title).toMatch(/Payment refused .*Not enough stock for UMBRELLA/);
    expect((await h.json(`/v2/orders/${second.body.order.id}`)).body.status_id).toBe(0);
    expect(await onHand(h, variantId, 1)).toBe(0);
    expect((await control(h, 'POST', `/orders/${first.body.order.id}/pay`)).status).toBe(409); // paid already
  });

  it('an API order moved out of Incomplete is re-checked too, as the apiStockCheck policy says', async () => {
    const { id, variantId } = await createSimpleProduct(h, 'API-LAST', 1);
    const place = async () => (await h.json('/v2/orders', { method: 'POST', body: { status_id: 0, billing_address: shopper, products: [{ product_id: id, quantity: 1 }] } })).body.id as number;
    const a = await place();
    const b = await place();
    expect((await h.json(`/v2/orders/${a}`, { method: 'PUT', body: { status_id: 11 } })).status).toBe(200);
    const refused = await h.json(`/v2/orders/${b}`, { method: 'PUT', body: { status_id: 11 } });
    expect(refused.status).toBe(400);
    expect(refused.body[0].message).toMatch(/Not enough stock for API-LAST/);
    expect((await h.json(`/v2/orders/${b}`)).body.status_id).toBe(0);
    // A POST beyond stock is refused the same way.
    expect((await h.json('/v2/orders', { method: 'POST', body: { billing_address: shopper, products: [{ product_id: id, quantity: 1 }] } })).status).toBe(400);

    const switched = await fetch(`${h.server.url}/_sandbox/stores/${h.hash}/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderPolicies: { apiStockCheck: 'allow' } }) });
    expect(switched.status).toBe(200);
    expect((await h.json(`/v2/orders/${b}`, { method: 'PUT', body: { status_id: 11 } })).status).toBe(200);
    expect(await onHand(h, variantId, 1)).toBe(-1);
  });

  it('takes stock where the stock policy says: the default location, or every enabled location in aggregated mode', async () => {
    const { id, variantId } = await createSimpleProduct(h, 'POLICY', 1);
    const outlet = await addLocation(h, 'OUTLET');
    await setStock(h, [{ location_id: outlet, variant_id: variantId, quantity: 4 }]);
    const line = [{ product_id: id, variant_id: variantId, quantity: 3 }];

    // Default-location mode: the storefront sees (and sells) the default location only.
    expect((await product(id))!.variants[0]!.stock).toBe(1);
    expect((await control(h, 'POST', '/checkout', shippingCheckout(line))).status).toBe(422);

    const mode = await fetch(`${h.server.url}/_sandbox/stores/${h.hash}/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stockMode: 'aggregated' }) });
    expect(mode.status).toBe(200);
    const view = await listing();
    expect(view.stock_mode).toBe('aggregated');
    expect(view.products.find((p) => p.id === id)!.variants[0]!.stock).toBe(5);
    const order = await control(h, 'POST', '/checkout', shippingCheckout(line));
    expect(order.status).toBe(201);
    expect(order.body.order.decrements).toEqual([
      { variant_id: variantId, location_id: 1, quantity: 1 },
      { variant_id: variantId, location_id: outlet, quantity: 2 },
    ]);
    expect([await onHand(h, variantId, 1), await onHand(h, variantId, outlet)]).toEqual([0, 2]);

    // A disabled location's stock does not count.
    await h.json('/v3/inventory/locations', { method: 'PUT', body: [{ id: outlet, enabled: false }] });
    expect((await product(id))!.variants[0]!.stock).toBe(0);
  });
});
