/**
 * Replays the sandbox's main flows through the bc-contract validating proxy (Prism), which
 * checks every request and response against BigCommerce's official OpenAPI files. Not a vitest
 * file: it needs the proxy running. Usage:
 *
 *   npx tsx src/sandbox/bigcommerce/main.ts --port 4100            # prints an X-Auth-Token
 *   ../shared/tools/bc-contract/proxy.sh http://127.0.0.1:4100 4010
 *   npx tsx tests/integration/sandbox-bigcommerce/contract-replay.ts http://127.0.0.1:4010 <token> [sandbox1]
 *
 * Prints one line per call; a 422 from the proxy means the request broke the contract, a 500
 * with violations means the sandbox's response did. Exits 1 if any call was flagged.
 */
const [base = 'http://127.0.0.1:4010', token = '', hash = 'sandbox1'] = process.argv.slice(2);
const controlBase = process.argv[5] ?? 'http://127.0.0.1:4100';
let flagged = 0;

/**
 * `knownDefect` names a violation the official spec makes unavoidable (the replay reports it as
 * `ok*` with the reason rather than flagging it); it is matched against the violation's message.
 */
async function call(method: string, path: string, body?: unknown, expected: number[] = [200, 201, 204], knownDefect?: { message: string; reason: string }): Promise<any> {
  const res = await fetch(`${base}/stores/${hash}${path}`, {
    method,
    // some v2 GETs declare Content-Type as a required request header, so it is always sent
    headers: { 'x-auth-token': token, accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const violations = res.headers.get('sl-violations');
  const excused = knownDefect !== undefined && violations !== null && (JSON.parse(violations) as { message: string }[]).every((v) => v.message === knownDefect.message);
  if (excused) {
    console.log(`ok* ${res.status} ${method} ${path} (spec defect: ${knownDefect.reason})`);
    return undefined;
  }
  const ok = expected.includes(res.status) && !violations;
  if (!ok) flagged += 1;
  console.log(`${ok ? 'ok  ' : 'FLAG'} ${res.status} ${method} ${path}${violations ? ` violations=${violations}` : ''}${ok ? '' : `\n     ${text.slice(0, 1500)}`}`);
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

async function control(path: string, body: unknown): Promise<any> {
  const res = await fetch(`${controlBase}/_sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

async function main(): Promise<void> {
  await call('GET', '/v2/store');
  await call('GET', '/v2/time');
  const suffix = Date.now().toString(36);

  // catalog
  await call('GET', '/v3/catalog/products?include=variants,options&limit=5');
  const created = await call('POST', '/v3/catalog/products', {
    name: `Contract Shirt ${suffix}`,
    type: 'physical',
    weight: 1,
    price: 30,
    inventory_tracking: 'variant',
    // the spec's product POST schema marks variant `id` and `product_id` as required; BigCommerce assigns them
    variants: [
      { id: 0, product_id: 0, sku: `CS-S-${suffix}`, inventory_level: 4, option_values: [{ option_display_name: 'Size', label: 'S' }] },
      { id: 0, product_id: 0, sku: `CS-M-${suffix}`, inventory_level: 2, option_values: [{ option_display_name: 'Size', label: 'M' }] },
    ],
  });
  const product = created?.data;
  const simple = (await call('POST', '/v3/catalog/products', { name: `Contract Tote ${suffix}`, type: 'physical', weight: 1, price: 12, sku: `CT-${suffix}`, inventory_tracking: 'product', inventory_level: 9 }))?.data;
  await call('POST', '/v3/catalog/products', { name: `Contract Tote ${suffix}`, type: 'physical', weight: 1, price: 12 }, [409]);
  await call('POST', '/v3/catalog/products', { name: '', type: 'physical', weight: 1, price: 12 }, [422]);
  await call('GET', `/v3/catalog/products/${product.id}?include=variants,options`);
  await call('PUT', `/v3/catalog/products/${simple.id}`, { price: 13, is_visible: false });
  await call('PUT', '/v3/catalog/products', [{ id: simple.id, cost_price: 5 }]);
  await call('PUT', '/v3/catalog/products', Array.from({ length: 11 }, () => ({ id: simple.id, price: 1 })), [413]);
  // Merchant-owned product details: images by URL and custom fields.
  await call('GET', `/v3/catalog/products/${simple.id}/images`);
  // The image POST/PUT 200 `data` is a oneOf of an application/json and a multipart/form-data
  // variant with no required fields and no additionalProperties: any image matches both, so no
  // response can satisfy "exactly one". The GETs check the same productImage_Full shape.
  const imageOneOf = { message: 'Response body property data must match exactly one schema in oneOf', reason: 'both oneOf variants of the image response match any image' };
  await call('POST', `/v3/catalog/products/${simple.id}/images`, { image_url: 'https://images.example.com/tote/front.jpg', is_thumbnail: true, description: 'Front' }, [200], imageOneOf);
  await call('POST', `/v3/catalog/products/${simple.id}/images`, { description: 'no url' }, [422]);
  const image = (await call('GET', `/v3/catalog/products/${simple.id}/images`))?.data?.[0];
  await call('GET', `/v3/catalog/products/${simple.id}/images/${image.id}`);
  await call('PUT', `/v3/catalog/products/${simple.id}/images/${image.id}`, { sort_order: 1 }, [200], imageOneOf);
  const field = (await call('POST', `/v3/catalog/products/${simple.id}/custom-fields`, { name: 'Care', value: 'Hand wash' }))?.data;
  await call('POST', `/v3/catalog/products/${simple.id}/custom-fields`, { name: 'Care', value: 'Hand wash' }, [422]);
  await call('GET', `/v3/catalog/products/${simple.id}/custom-fields`);
  await call('GET', `/v3/catalog/products/${simple.id}/custom-fields/${field.id}`);
  await call('PUT', `/v3/catalog/products/${simple.id}/custom-fields/${field.id}`, { value: 'Machine wash' });
  await call('GET', `/v3/catalog/products/${simple.id}?include=images,custom_fields`);
  await call('PUT', `/v3/catalog/products/${simple.id}`, { custom_fields: [{ id: field.id, name: 'Care', value: 'Cold wash' }] });
  await call('DELETE', `/v3/catalog/products/${simple.id}/custom-fields/${field.id}`);
  await call('DELETE', `/v3/catalog/products/${simple.id}/images/${image.id}`);
  await call('GET', `/v3/catalog/products/${product.id}/variants`);
  const variant = product.variants[0];
  await call('GET', `/v3/catalog/products/${product.id}/variants/${variant.id}`);
  await call('PUT', `/v3/catalog/products/${product.id}/variants/${variant.id}`, { price: 31, upc: '012345678905' });
  await call('GET', `/v3/catalog/variants?product_id:in=${product.id}`);
  await call('PUT', '/v3/catalog/variants', [{ id: variant.id, cost_price: 11 }]);
  const options = await call('GET', `/v3/catalog/products/${product.id}/options`);
  const option = options.data[0];
  await call('GET', `/v3/catalog/products/${product.id}/options/${option.id}`);
  const value = await call('POST', `/v3/catalog/products/${product.id}/options/${option.id}/values`, { label: 'L', sort_order: 2 });
  await call('GET', `/v3/catalog/products/${product.id}/options/${option.id}/values`);
  await call('POST', `/v3/catalog/products/${product.id}/variants`, { sku: `CS-L-${suffix}`, option_values: [{ id: value.data.id, option_id: option.id }] });
  await call('GET', '/v3/catalog/categories');
  const cat = await call('POST', '/v3/catalog/trees/categories', [{ name: `Imported ${suffix}`, parent_id: 0, tree_id: 1, is_visible: false }]);
  await call('GET', '/v3/catalog/trees');
  await call('GET', `/v3/catalog/trees/categories?category_id:in=${cat.data[0].category_id}`);
  await call('PUT', `/v3/catalog/categories/${cat.data[0].category_id}`, { name: `Imported ${suffix}`, parent_id: 0, description: 'hidden' });

  // channels and assignments
  await call('GET', '/v3/channels');
  const channel = await call('POST', '/v3/channels', { name: `Lightspeed POS ${suffix}`, type: 'pos', platform: 'custom', status: 'connected' });
  await call('GET', `/v3/channels/${channel.data.id}`);
  await call('PUT', `/v3/channels/${channel.data.id}`, { status: 'connected', is_visible: true });
  await call('PUT', '/v3/catalog/products/channel-assignments', [{ product_id: simple.id, channel_id: channel.data.id }]);
  await call('GET', `/v3/catalog/products/channel-assignments?product_id:in=${simple.id}`);
  await call('DELETE', `/v3/catalog/products/channel-assignments?product_id:in=${simple.id}&channel_id:in=${channel.data.id}`);

  // locations and inventory
  await call('POST', '/v3/inventory/locations', [
    {
      code: `LS-${suffix}`,
      label: `Outlet ${suffix}`,
      managed_by_external_source: true,
      type_id: 'PHYSICAL',
      enabled: true,
      time_zone: 'America/New_York',
      storefront_visibility: true,
      address: { address1: '1 Main St', city: 'Boston', state: 'Massachusetts', zip: '02110', email: 'store@example.com', geo_coordinates: { latitude: 42.36, longitude: -71.05 }, country_code: 'US' },
    },
  ]);
  const locations = await call('GET', `/v3/inventory/locations?location_code:in=LS-${suffix}`);
  const location = locations.data[0];
  await call('PUT', '/v3/inventory/locations', [{ id: location.id, label: `Outlet ${suffix} renamed` }]);
  await call('PUT', '/v3/inventory/adjustments/absolute', { reason: 'contract', items: [{ location_id: location.id, variant_id: variant.id, quantity: 5 }, { location_id: 1, sku: `CT-${suffix}`, quantity: 20 }] });
  await call('PUT', '/v3/inventory/adjustments/absolute', { items: [{ location_id: 99999, variant_id: variant.id, quantity: 5 }] }, [422]);
  // Absolute adjustments apply asynchronously: the relative one below must land on the applied level.
  for (let tries = 0; (await call('GET', `/v3/inventory/locations/${location.id}/items?variant_id:in=${variant.id}`)).data[0]?.total_inventory_onhand !== 5; tries++) {
    if (tries > 200) throw new Error('the absolute adjustment was not applied within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await call('POST', '/v3/inventory/adjustments/relative', { reason: 'contract', items: [{ location_id: location.id, variant_id: variant.id, quantity: -1 }] });
  await call('GET', `/v3/inventory/items?variant_id:in=${variant.id}`);
  await call('GET', `/v3/inventory/locations/${location.id}/items?variant_id:in=${variant.id}`);
  // Not replayed: PUT /inventory/locations/{id}/items. Its `identity` is oneOf three objects with no
  // required properties, so every identity matches all three and the proxy rejects any request.
  console.log('skip PUT /v3/inventory/locations/{id}/items (spec oneOf accepts no request; covered by vitest)');

  // inventory settings
  await call('GET', '/v3/settings/inventory');
  await call('PUT', '/v3/settings/inventory', { update_stock_behavior: 'order_placed' });

  // hooks
  const hook = await call('POST', '/v3/hooks', { scope: 'store/order/created', destination: 'https://app.example.com/webhooks', is_active: false, headers: { 'X-Secret': 'x' } });
  await call('GET', '/v3/hooks');
  await call('GET', `/v3/hooks/${hook.data.id}`);
  await call('PUT', `/v3/hooks/${hook.data.id}`, { is_active: false });
  await call('GET', '/v3/hooks/admin');
  await call('DELETE', `/v3/hooks/${hook.data.id}`);
  await call('GET', '/v3/hooks/999999', undefined, [404]);

  // orders
  await call('GET', '/v2/order_statuses');
  const order = await call('POST', '/v2/orders', {
    billing_address: { first_name: 'Ann', last_name: 'Lee', street_1: '1 Main', city: 'Austin', state: 'Texas', zip: '78701', country: 'United States', country_iso2: 'US', email: 'ann@example.com' },
    products: [{ product_id: simple.id, quantity: 2 }],
    external_source: 'contract',
  });
  const storefront = await control(`/stores/${hash}/orders`, { order: { status_id: 11, products: [{ product_id: product.id, variant_id: variant.id, quantity: 1 }] } });
  await call('GET', `/v2/orders?min_date_modified=${encodeURIComponent(new Date(Date.now() - 3_600_000).toUTCString())}&status_id=11`);
  await call('GET', `/v2/orders/${order.id}`);
  await call('GET', `/v2/orders/${storefront.id}`);
  const lines = await call('GET', `/v2/orders/${order.id}/products`);
  const addresses = await call('GET', `/v2/orders/${order.id}/shipping_addresses`);
  await call('GET', `/v2/orders/${order.id}/consignments`);
  // Not replayed: include=consignments. The spec types `consignments` as oneOf(link, object) and both
  // branches accept any object, so no inline value can pass; the sub-resource above is checked instead.
  await call('GET', `/v2/orders/${order.id}/products/${lines[0].id}`);
  await call('GET', `/v2/orders/${order.id}/shipments`);
  await call('POST', `/v2/orders/${order.id}/shipments`, { order_address_id: addresses[0].id, tracking_number: '1Z', shipping_provider: 'ups', items: [{ order_product_id: lines[0].id, quantity: 1 }] });
  await call('GET', `/v2/orders/${order.id}/shipments`);
  await call('PUT', `/v2/orders/${order.id}`, { status_id: 11 });
  await call('POST', `/v3/orders/${order.id}/payment_actions/refund_quotes`, { items: [{ item_type: 'PRODUCT', item_id: lines[0].id, quantity: 1 }] });
  await call('POST', `/v3/orders/${order.id}/payment_actions/refunds`, { items: [{ item_type: 'PRODUCT', item_id: lines[0].id, quantity: 1 }], payments: [{ provider_id: 'custom', amount: 13, offline: true }] });
  await call('GET', `/v3/orders/${order.id}/payment_actions/refunds`);
  await call('POST', `/v3/orders/${order.id}/payment_actions/refunds`, { items: [{ item_type: 'PRODUCT', item_id: lines[0].id, quantity: 5 }], payments: [{ provider_id: 'custom', amount: 65, offline: true }] }, [422]);
  await call('GET', '/v3/catalog/products/999999', undefined, [404]);
  await call('GET', `/v3/catalog/products/${product.id}/variants/999999`, undefined, [404]);
  await call('GET', `/v3/orders/payment_actions/refunds?order_id:in=${order.id}`);

  // cleanup of what the replay created where deletes exist
  await call('DELETE', `/v3/catalog/products/${simple.id}`);
  await call('DELETE', `/v3/inventory/locations?location_id:in=${location.id}`, undefined, [200, 422]);

  // auth failure shape
  const unauth = await fetch(`${base}/stores/${hash}/v3/catalog/products`, { headers: { accept: 'application/json' } });
  console.log(`${unauth.status === 401 ? 'ok  ' : 'FLAG'} ${unauth.status} GET /v3/catalog/products without token ${unauth.headers.get('sl-violations') ?? ''}`);
  console.log(flagged === 0 ? 'contract replay: no violations' : `contract replay: ${flagged} flagged call(s)`);
  process.exitCode = flagged === 0 ? 0 : 1;
}

void main();
