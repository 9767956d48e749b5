/**
 * Replays the sandbox's order, pickup and refund routes through the bc-contract validating proxy
 * (Prism), which checks every request and response against BigCommerce's official OpenAPI files.
 * The storefront checkout and the control-panel actions go to the sandbox's control API directly
 * (they are not BigCommerce APIs); every call they cause on the store's API is replayed through
 * the proxy. Not a vitest file: scripts/bc-sandbox-orders-contract-run.sh starts the sandbox and
 * the proxy and runs it:
 *
 *   npx tsx tests/integration/sandbox-bigcommerce/contract-orders-replay.ts PROXY_URL TOKEN HASH SANDBOX_URL
 *
 * Prints one line per call; a 422 from the proxy means the request broke the contract, a 500 with
 * violations means the sandbox's response did. Exits 1 if any call was flagged. Calls the official
 * spec makes impossible to pass are printed as `ok*` with the reason (see the README's table).
 */
export {}; // a module, so its names do not collide with contract-replay.ts's

const [base = 'http://127.0.0.1:4010', token = '', hash = 'sandbox1', sandboxUrl = 'http://127.0.0.1:4100'] = process.argv.slice(2);
let flagged = 0;

/**
 * A violation the official spec makes unavoidable: every violation message matches one of
 * `messages`. A request the proxy refuses for such a defect is then sent to the sandbox directly,
 * so the replay goes on with the state the call creates.
 */
interface Defect {
  messages: RegExp[];
  reason: string;
}

const send = (url: string, method: string, body: unknown) =>
  fetch(url, {
    method,
    // some v2 operations declare Content-Type as a required request header, so it is always sent
    headers: { 'x-auth-token': token, accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

function parse(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

async function call(method: string, path: string, body?: unknown, expected: number[] = [200, 201, 204], defect?: Defect): Promise<any> {
  const res = await send(`${base}/stores/${hash}${path}`, method, body);
  const text = await res.text();
  const violations = res.headers.get('sl-violations');
  const responseViolations = violations ? (JSON.parse(violations) as { message: string }[]) : [];
  const requestViolations = res.status === 422 ? ((parse(text)?.validation ?? []) as { message: string }[]) : [];
  const excused = (list: { message: string }[]) => defect !== undefined && list.length > 0 && list.every((v) => defect.messages.some((m) => m.test(v.message)));
  if (excused(requestViolations)) {
    const direct = await send(`${sandboxUrl}/stores/${hash}${path}`, method, body);
    const ok = expected.includes(direct.status);
    if (!ok) flagged += 1;
    console.log(`${ok ? 'ok* ' : 'FLAG'} ${direct.status} ${method} ${path} (request refused by the spec: ${defect!.reason}; sent to the sandbox directly)`);
    return parse(await direct.text());
  }
  if (excused(responseViolations)) {
    console.log(`ok* ${res.status} ${method} ${path} (spec defect: ${defect!.reason})`);
    return parse(text);
  }
  const ok = expected.includes(res.status) && !violations;
  if (!ok) flagged += 1;
  console.log(`${ok ? 'ok  ' : 'FLAG'} ${res.status} ${method} ${path}${violations ? ` violations=${violations}` : ''}${ok ? '' : `\n     sent: ${JSON.stringify(body)}\n     got:  ${text.slice(0, 1500)}`}`);
  return parse(text);
}

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sandboxUrl}/_sandbox/stores/${hash}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`control ${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

const shopper = { first_name: 'Ann', last_name: 'Lee', street_1: '1 Main', city: 'Austin', state: 'Texas', zip: '78701', country: 'United States', country_iso2: 'US', email: 'ann@example.com' };

async function main(): Promise<void> {
  const suffix = Date.now().toString(36);

  // A product with variants and a simple one, stock at the default location and at a pickup location.
  const tee = (
    await call('POST', '/v3/catalog/products', {
      name: `Replay Tee ${suffix}`,
      type: 'physical',
      weight: 1,
      price: 20,
      inventory_tracking: 'variant',
      // the spec's product POST schema marks variant `id` and `product_id` as required; BigCommerce assigns them
      variants: ['S', 'M'].map((size) => ({ id: 0, product_id: 0, sku: `RT-${size}-${suffix}`, inventory_level: 6, option_values: [{ option_display_name: 'Size', label: size }] })),
    })
  ).data;
  const tote = (await call('POST', '/v3/catalog/products', { name: `Replay Tote ${suffix}`, type: 'physical', weight: 1, price: 10, sku: `RTOTE-${suffix}`, inventory_tracking: 'product', inventory_level: 9 })).data;
  await call('POST', '/v3/inventory/locations', [
    { code: `RP-${suffix}`, label: `Replay store ${suffix}`, managed_by_external_source: true, type_id: 'PHYSICAL', time_zone: 'America/Chicago', address: { address1: '500 Congress Ave', city: 'Austin', state: 'Texas', zip: '78701', email: 'store@example.com', geo_coordinates: { latitude: 30.27, longitude: -97.74 }, country_code: 'US' } },
  ]);
  const location = (await call('GET', `/v3/inventory/locations?location_code:in=RP-${suffix}`)).data[0];
  await call('PUT', '/v3/inventory/adjustments/absolute', { items: [{ location_id: location.id, variant_id: tee.variants[0].id, quantity: 5 }, { location_id: location.id, sku: `RTOTE-${suffix}`, quantity: 5 }] });
  await control('POST', '/inventory/flush');

  // Pickup methods
  const methods = await call('POST', '/v3/pickup/methods', [{ location_id: location.id, display_name: 'Replay counter', collection_instructions: 'Bring your ID', collection_time_description: '9am - 6pm' }, { location_id: 1, display_name: 'Warehouse dock' }]);
  const method = methods.data[0];
  await call('GET', '/v3/pickup/methods');
  await call('GET', `/v3/pickup/methods?id:in=${method.id}&sort=name:asc&limit=10&page=1`);
  await call('GET', `/v3/pickup/methods?date_created:min=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
  await call('PUT', '/v3/pickup/methods', [{ id: method.id, display_name: 'Replay front desk' }]);
  await call('DELETE', `/v3/pickup/methods?id:in=${methods.data[1].id}`);

  // Pickup options
  await call('POST', '/v3/pickup/options', { search_area: { coordinates: { latitude: 30.26, longitude: -97.75 }, radius: { value: 50, unit: 'KM' } }, items: [{ variant_id: tee.variants[0].id, quantity: 2 }] });

  // An order with a pickup consignment, as orders.v2 defines it
  const pickupOrder = await call('POST', '/v2/orders', {
    status_id: 11,
    billing_address: shopper,
    consignments: { pickups: [{ pickup_method_id: method.id, pickup_method_display_name: 'Pick Up', location: { name: 'Replay store', code: `RP-${suffix}` }, line_items: [{ product_id: tee.id, variant_id: tee.variants[0].id, quantity: 2 }] }] },
  });
  await call('GET', `/v2/orders/${pickupOrder.id}`);
  await call('GET', `/v2/orders/${pickupOrder.id}/consignments`);
  const pickupLines = await call('GET', `/v2/orders/${pickupOrder.id}/products`);
  await call('GET', `/v2/orders/${pickupOrder.id}/shipping_addresses`);
  // include=consignments inline: the spec types `consignments` as oneOf(link, object) and both branches accept any object.
  await call('GET', `/v2/orders/${pickupOrder.id}?include=consignments&consignment_structure=object`, undefined, [200], { messages: [/must match exactly one schema in oneOf/], reason: 'order.consignments is oneOf(orderConsignments_Resource, orderConsignment_Get) and both accept any object' });
  // consignments.line_items expands lines into order products; products_Resource (no required fields, extra properties allowed) matches them too.
  await call('GET', `/v2/orders/${pickupOrder.id}/consignments?include=consignments.line_items`, undefined, [200], { messages: [/must match exactly one schema in oneOf/], reason: 'line_items is oneOf(products_Resource[], orderProducts[]) and products_Resource accepts an order product' });

  // Pickups of the order's items
  const pickups = await call('POST', '/v3/orders/pickups', [{ pickup_method_id: method.id, order_id: pickupOrder.id, ready_at: String(Math.floor(Date.now() / 1000)), pickup_items: [{ order_product_id: pickupLines[0].id, quantity: 2 }] }]);
  await call('GET', `/v3/orders/pickups?order_id:in=${pickupOrder.id}`);
  await call('PUT', '/v3/orders/pickups', [{ id: pickups.data[0].id, pickup_id: pickups.data[0].id, collected_at: new Date().toISOString() }]);
  await call('POST', '/v3/orders/pickups', [{ pickup_method_id: method.id, order_id: pickupOrder.id, ready_at: 'soon', pickup_items: [{ order_product_id: pickupLines[0].id, quantity: 1 }] }], [422]);
  await call('DELETE', `/v3/orders/pickups?id:in=${pickups.data[0].id}`);

  // A shipping order, from Incomplete to paid, then shipped, refunded in parts and cancelled
  const order = await call('POST', '/v2/orders', { status_id: 0, billing_address: shopper, shipping_addresses: [{ ...shopper, shipping_method: 'Ground' }], shipping_cost_inc_tax: '5.0000', products: [{ product_id: tote.id, quantity: 3 }, { product_id: tee.id, product_options: [{ id: tee.variants[1].option_values[0].option_id, value: String(tee.variants[1].option_values[0].id) }], quantity: 1 }] });
  await call('PUT', `/v2/orders/${order.id}`, { status_id: 11 });
  await call('GET', `/v2/orders/${order.id}/consignments`);
  const lines = await call('GET', `/v2/orders/${order.id}/products`);
  await call('POST', `/v3/orders/${order.id}/payment_actions/refund_quotes`, { items: [{ item_type: 'PRODUCT', item_id: lines[0].id, quantity: 1 }, { item_type: 'SHIPPING', item_id: lines[0].order_address_id, amount: 5 }] });
  const refund = await call('POST', `/v3/orders/${order.id}/payment_actions/refunds`, { items: [{ item_type: 'PRODUCT', item_id: lines[0].id, quantity: 1 }], payments: [{ provider_id: 'custom', amount: 10, offline: true }], reason: 'damaged' });
  await call('POST', `/v3/orders/${order.id}/payment_actions/refunds`, { items: [{ item_type: 'SHIPPING', item_id: lines[0].order_address_id, amount: 5 }], payments: [{ provider_id: 'custom', amount: 5, offline: true }] });
  // ORDER-level amount refunds: `ItemsRefund` is oneOf(QuantityBound, AmountBound, TaxExempt, Fee) and an ORDER item matches both AmountBoundItem and TaxExemptItem.
  await call('POST', `/v3/orders/${order.id}/payment_actions/refunds`, { items: [{ item_type: 'ORDER', item_id: order.id, amount: 2 }], payments: [{ provider_id: 'custom', amount: 2, offline: true }] }, [201], {
    messages: [/must match exactly one schema in oneOf/, /must have required property 'quantity'/, /allowed values: PRODUCT, GIFT_WRAPPING/, /required property 'tax_adjustment_amount'/, /must match a schema in anyOf/],
    reason: 'an ORDER item matches both AmountBoundItem and TaxExemptItem of the ItemsRefund oneOf',
  });
  await call('POST', `/v3/orders/${order.id}/payment_actions/refunds`, { items: [{ item_type: 'SHIPPING', item_id: lines[0].order_address_id, amount: 1 }], payments: [{ provider_id: 'custom', amount: 1, offline: true }] }, [422]);
  await call('GET', `/v3/orders/payment_actions/refunds/${refund.data.id}`);
  await call('GET', `/v3/orders/${order.id}/payment_actions/refunds`);
  await call('GET', `/v3/orders/payment_actions/refunds?order_id:in=${order.id}&id:in=${refund.data.id}`);
  await call('GET', `/v3/orders/payment_actions/refunds?created:min=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&page=1&limit=5`);
  await call('GET', '/v3/orders/payment_actions/refunds/999999', undefined, [404], { messages: [/Unable to match the returned status code/], reason: 'Get a Refund declares only 200; an unknown refund id has no other answer than 404' });
  await call('GET', '/v3/settings/inventory');
  await call('PUT', '/v3/settings/inventory', { refund_order_stock_adjustment: true });
  await call('PUT', `/v2/orders/${order.id}`, { status_id: 5 });
  await call('GET', `/v2/orders?status_id=5&min_id=${order.id}`);

  // The storefront: its checkout (control API) places orders the store's API then serves.
  const shipped = await control('POST', '/checkout', { channel_id: 1, lines: [{ product_id: tee.id, variant_id: tee.variants[1].id, quantity: 1 }], billing_address: shopper, fulfilment: { type: 'shipping', address: shopper } });
  const collected = await control('POST', '/checkout', { channel_id: 1, lines: [{ product_id: tote.id, variant_id: tote.variants[0].id, quantity: 1 }], billing_address: shopper, fulfilment: { type: 'pickup', pickup_method_id: method.id } });
  for (const id of [shipped.order.id, collected.order.id]) {
    await call('GET', `/v2/orders/${id}`);
    await call('GET', `/v2/orders/${id}/products`);
    await call('GET', `/v2/orders/${id}/consignments`);
  }
  // The control panel's Cancel (a status change) and Refund (the refund service), read back over the API.
  await control('PUT', `/orders/${collected.order.id}/status`, { status_id: 5 });
  const cp = await control('POST', `/orders/${shipped.order.id}/refund`, {});
  await call('GET', `/v3/orders/payment_actions/refunds/${cp.refund.id}`);
  await call('GET', `/v2/orders/${shipped.order.id}`);
  // inventory.v3.yml types product_id:in as one integer, so one product per read
  await call('GET', `/v3/inventory/items?product_id:in=${tee.id}`);
  await call('GET', `/v3/inventory/items?product_id:in=${tote.id}`);

  await call('DELETE', `/v3/pickup/methods?id:in=${method.id}`);
  console.log(flagged === 0 ? 'contract replay (orders, pickups, refunds): no violations' : `contract replay (orders, pickups, refunds): ${flagged} flagged call(s)`);
  process.exitCode = flagged === 0 ? 0 : 1;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
