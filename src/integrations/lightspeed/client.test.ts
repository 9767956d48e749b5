/**
 * The client's request and response mapping against a scripted fetch: exact paths, bodies and
 * query strings per the 2026-07 spec, parsing into app types, chunking and which failures are
 * retried. Transport behaviour over a real socket is in tests/integration.
 */
import { describe, expect, it } from 'vitest';
import { createLightspeedClient } from './client';
import { LightspeedApiError, LightspeedBatchError, LightspeedSchemaError } from './errors';
import type { CallRecord } from './http';
import { RequestBudget } from './rate-limit';

interface Seen {
  method: string;
  url: URL;
  body: unknown;
  authorization: string | null;
}

function harness(route: (req: Seen, n: number) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const calls: CallRecord[] = [];
  const sleeps: number[] = [];
  let t = 1_700_000_000_000;
  const client = createLightspeedClient({
    apiUrlTemplate: 'https://{domain_prefix}.retail.example',
    domainPrefix: 'shop',
    auth: { accessToken: async () => 'tok' },
    budget: new RequestBudget({ registers: 10, now: () => t, sleep: async (ms) => void (t += ms) }),
    recorder: (c) => calls.push(c),
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    random: () => 0.5,
    fetch: async (input, init) => {
      const headers = new Headers(init?.headers);
      const req: Seen = {
        method: init?.method ?? 'GET',
        url: new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url),
        body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
        authorization: headers.get('authorization'),
      };
      seen.push(req);
      return route(req, seen.length);
    },
  });
  return { client, seen, calls, sleeps };
}

const product = (id: string, version: number, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Product ${id}`,
  sku: `SKU-${id}`,
  handle: 'tee',
  active: true,
  has_inventory: true,
  has_variants: false,
  is_composite: false,
  variant_parent_id: null,
  variant_options: [{ name: 'Size', value: 'M' }],
  price_excluding_tax: 20,
  price_including_tax: 23,
  supply_price: 8.5,
  product_codes: [{ id: 'c1', type: 'UPC', code: '012345678905' }],
  version,
  some_future_field: { anything: true },
  ...extra,
});

describe('Lightspeed client requests', () => {
  it('pages products by version cursor and maps them to the app type', async () => {
    const pages: Record<string, unknown> = {
      '': { data: [product('a', 10), product('b', 12)], version: { min: 10, max: 12 } },
      '12': { data: [product('c', 15)], version: { min: 15, max: 15 } },
      '15': { data: [], version: { min: null, max: null } },
    };
    const { client, seen } = harness((req) => Response.json(pages[req.url.searchParams.get('after') ?? '']));
    const all = [];
    for await (const p of client.products.iterate({ pageSize: 2 })) all.push(p);
    expect(all.map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(seen.map((s) => `${s.method} ${s.url.pathname}?${s.url.searchParams.toString()}`)).toEqual([
      'GET /api/2026-07/products?page_size=2&include_images=false',
      'GET /api/2026-07/products?after=12&page_size=2&include_images=false',
      'GET /api/2026-07/products?after=15&page_size=2&include_images=false',
    ]);
    expect(seen[0]!.authorization).toBe('Bearer tok');
    expect(all[0]).toEqual({
      id: 'a',
      name: 'Product a',
      sku: 'SKU-a',
      handle: 'tee',
      active: true,
      tracksInventory: true,
      hasVariants: false,
      isComposite: false,
      familyId: null,
      variantParentId: null,
      variantName: null,
      variantOptions: [{ name: 'Size', value: 'M' }],
      priceExcludingTax: 20,
      priceIncludingTax: 23,
      supplyPrice: 8.5,
      productCodes: [{ type: 'UPC', code: '012345678905' }],
      sourceId: null,
      sourceVariantId: null,
      deletedAt: null,
      updatedAt: null,
      version: 10,
    });
  });

  it('lists inventory with POST /inventory in ascending version order, cursor from the bare array', async () => {
    const record = (id: string, version: number) => ({ id, product_id: 'p', outlet_id: 'o', current_inventory_level: 4, version });
    const { client, seen } = harness((req) => {
      const after = (req.body as { after?: number }).after;
      return Response.json(after === undefined ? [record('i1', 5), record('i2', 9)] : after === 9 ? [record('i3', 11)] : []);
    });
    const page = await client.inventory.list({ size: 9000 });
    expect(page.nextAfter).toBe(9);
    expect(seen[0]!.body).toEqual({ size: 5000, sort_direction: 'asc' });
    const all = [];
    for await (const r of client.inventory.iterate()) all.push(r.id);
    expect(all).toEqual(['i1', 'i2', 'i3']);
    expect(seen.map((s) => (s.body as { after?: number }).after)).toEqual([undefined, undefined, 9, 11]);
  });

  it('creates a sale with a fulfilling outlet and DISPATCH/PICKUP per line, spelled as the spec spells it', async () => {
    const { client, seen } = harness(() => Response.json({ data: { id: 'sale-1', state: 'pending', source: { id: 'bc-100' }, line_items: [], _metadata: { version: 3 } } }));
    const sale = await client.sales.create({
      id: '11111111-1111-4111-8111-111111111111',
      authorId: 'user-1',
      registerId: 'reg-web',
      sourceId: 'bc-100',
      sourceType: 'BigCommerce',
      state: 'pending',
      fulfillmentOutletId: 'outlet-a',
      lineItems: [
        { productId: 'p1', quantity: 2, price: 10, taxId: 'tax-1', taxAmount: 1.5, fulfillmentMethod: 'DISPATCH' },
        { productId: 'p2', quantity: 1, price: 5, taxId: 'tax-0', taxAmount: 0, fulfillmentOutletId: 'outlet-b', fulfillmentMethod: 'PICKUP', note: 'gift' },
      ],
      payments: [{ paymentTypeId: 'pt-1', amount: 28 }],
    });
    expect(sale).toMatchObject({ id: 'sale-1', state: 'pending', sourceId: 'bc-100', version: 3 });
    expect(`${seen[0]!.method} ${seen[0]!.url.pathname}`).toBe('POST /api/2026-07/sales');
    expect(seen[0]!.body).toEqual({
      id: '11111111-1111-4111-8111-111111111111',
      source: { author_id: 'user-1', register_id: 'reg-web', id: 'bc-100', type: 'BigCommerce' },
      state: 'pending',
      fulfillment_outlet_id: 'outlet-a',
      line_items: [
        { product: { id: 'p1' }, quantity: 2, pricing: { price: 10 }, tax: { id: 'tax-1', amount: 1.5 }, _metadata: { fulfillment_method: 'DISPATCH' } },
        {
          product: { id: 'p2' },
          quantity: 1,
          pricing: { price: 5 },
          tax: { id: 'tax-0', amount: 0 },
          fulfilment_outlet_id: 'outlet-b',
          attributes: [{ name: 'line_note', value: 'gift' }],
          _metadata: { fulfillment_method: 'PICKUP' },
        },
      ],
      payments: [{ amount: 28, type: { config_id: 'pt-1' } }],
    });
  });

  it('voids with PUT state voided, fulfils through /fulfillments, starts returns with the return action', async () => {
    const { client, seen } = harness((req) => {
      if (req.url.pathname.endsWith('/fulfillments/fulfill')) return Response.json({ data: [{ id: 'f1', version: 2 }] });
      if (req.url.pathname.endsWith('/fulfillments')) {
        return Response.json({
          data: [
            {
              id: 'f1',
              sale_id: 's1',
              outlet_id: 'o1',
              type: 'DISPATCH',
              state: 'OPEN',
              line_items: [{ sale_line_item_id: 'l1', product_id: 'p1', quantity: '2.000', fulfilled_quantity: '0', picked_quantity: '0', packed_quantity: '0' }],
              version: 1,
            },
          ],
        });
      }
      return Response.json({ data: { id: 's1', state: req.method === 'PUT' ? 'voided' : 'parked' } });
    });
    expect((await client.sales.void('s1', { authorId: 'u1' })).state).toBe('voided');
    expect(await client.fulfillments.fulfillSale('s1')).toEqual([{ id: 'f1', version: 2 }]);
    const [f] = await client.fulfillments.list({ saleIds: ['s1'], states: ['OPEN', 'PICKED'] });
    expect(f).toEqual({ id: 'f1', saleId: 's1', outletId: 'o1', type: 'DISPATCH', state: 'OPEN', note: null, lineItems: [{ saleLineItemId: 'l1', productId: 'p1', quantity: 2, fulfilledQuantity: 0 }], version: 1 });
    await client.sales.startReturn('s1');
    expect(seen.map((s) => `${s.method} ${s.url.pathname}${s.url.search}`)).toEqual([
      'PUT /api/2026-07/sales/s1',
      'POST /api/2026-07/fulfillments/fulfill',
      'GET /api/2026-07/fulfillments?sale_id=s1&fulfillment_state=OPEN&fulfillment_state=PICKED',
      'POST /api/2026-07/sales/s1/actions/return',
    ]);
    expect(seen[0]!.body).toEqual({ source: { author_id: 'u1' }, state: 'voided' });
    expect(seen[1]!.body).toEqual({ sale_id: 's1' });
  });

  it('splits 2,500 stock adjustments into the minimum 3 requests of at most 1,000, quantities as strings', async () => {
    const { client, seen } = harness((req) => {
      const items = (req.body as { stock_adjustments: { product_id: string; outlet_id: string; quantity: string; reason: string }[] }).stock_adjustments;
      return Response.json({ data: items.map((a, i) => ({ ...a, id: `adj-${i}`, user_id: 'u', created_at: 'now', updated_at: 'now', version: i + 1 })) }, { status: 201 });
    });
    const input = Array.from({ length: 2500 }, (_, i) => ({ productId: `p${i}`, outletId: 'o1', quantity: i % 2 ? -3 : 2, reason: i % 2 ? ('DAMAGE' as const) : ('STOCK_FOUND' as const) }));
    const created = await client.stockAdjustments.create(input);
    expect(seen).toHaveLength(3);
    expect(seen.map((s) => (s.body as { stock_adjustments: unknown[] }).stock_adjustments.length)).toEqual([834, 833, 833]);
    expect((seen[0]!.body as { stock_adjustments: unknown[] }).stock_adjustments[1]).toEqual({ product_id: 'p1', outlet_id: 'o1', quantity: '-3', reason: 'DAMAGE' });
    expect(created).toHaveLength(2500);
    expect(created[1]).toMatchObject({ productId: 'p1', quantity: -3, reason: 'DAMAGE' });
  });

  it('never retries a stock-adjustment batch after a 5xx, and says how far the batch got', async () => {
    const { client, seen } = harness((req, n) => {
      if (n === 2) return new Response('boom', { status: 502 });
      const items = (req.body as { stock_adjustments: Record<string, string>[] }).stock_adjustments;
      return Response.json({ data: items.map((a, i) => ({ ...a, id: `x${i}`, user_id: 'u', created_at: 'c', updated_at: 'u', version: i })) }, { status: 201 });
    });
    const input = Array.from({ length: 1500 }, (_, i) => ({ productId: `p${i}`, outletId: 'o', quantity: 1, reason: 'STOCK_FOUND' as const }));
    const error = await client.stockAdjustments.create(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedBatchError);
    expect((error as LightspeedBatchError).completedItems).toBe(750);
    const cause = (error as LightspeedBatchError).cause;
    expect(cause).toBeInstanceOf(LightspeedApiError);
    expect((cause as LightspeedApiError).maybeProcessed).toBe(true);
    expect(seen).toHaveLength(2);
  });

  it('retries a GET after 5xx with backoff, and records every attempt with the templated path', async () => {
    const { client, calls, sleeps } = harness((_req, n) => (n < 3 ? new Response('', { status: 503 }) : Response.json({ data: product('p9', 1) })));
    expect((await client.products.get('p9'))?.id).toBe('p9');
    expect(calls.map((c) => [c.path, c.status, c.attempt, c.error])).toEqual([
      ['/products/{product_id}', 503, 1, 'server'],
      ['/products/{product_id}', 503, 2, 'server'],
      ['/products/{product_id}', 200, 3, undefined],
    ]);
    // random = 0.5: half of 500 ms, then half of 1000 ms.
    expect(sleeps).toEqual([250, 500]);
  });

  it('throws typed errors: 4xx with status and body, a bad 2xx body as a schema error, 404 on get as null', async () => {
    const { client } = harness((req) => {
      if (req.url.pathname.endsWith('/outlets/missing')) return Response.json({ error: 'Not Found' }, { status: 404 });
      if (req.url.pathname.endsWith('/outlets')) return Response.json({ data: [{ id: 'o1' }], version: { min: 1, max: 1 } });
      return Response.json({ error: 'bad', details: 'reason' }, { status: 422 });
    });
    expect(await client.outlets.get('missing')).toBeNull();
    await expect(client.outlets.list()).rejects.toBeInstanceOf(LightspeedSchemaError);
    const error = await client.consignments.create({ name: 'n', outletId: 'o', type: 'SUPPLIER' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedApiError);
    expect(error).toMatchObject({ status: 422, method: 'POST', path: '/consignments', body: { error: 'bad', details: 'reason' } });
  });

  it('treats 409 on webhook create as success and finds the existing subscription', async () => {
    const { client, seen } = harness((req) => {
      if (req.method === 'POST') return Response.json({ error: 'exists' }, { status: 409 });
      return Response.json({ data: [{ id: 'w1', retailer_id: 'r', url: 'https://app/ls/inventory.update', active: true, type: 'inventory.update' }] });
    });
    const result = await client.webhooks.create({ type: 'inventory.update', url: 'https://app/ls/inventory.update' });
    expect(result).toEqual({ created: false, webhook: { id: 'w1', url: 'https://app/ls/inventory.update', active: true, type: 'inventory.update' } });
    expect(seen[0]!.body).toEqual({ active: true, type: 'inventory.update', url: 'https://app/ls/inventory.update' });
  });

  it('sizes the budget from the register count', async () => {
    const { client } = harness((req) =>
      req.url.searchParams.get('after') === '3' ? Response.json({ data: [], version: { min: null, max: null } }) : Response.json({
        data: [
          { id: 'r1', outlet_id: 'o', version: 1 },
          { id: 'r2', outlet_id: 'o', version: 2 },
          { id: 'r3', outlet_id: 'o', version: 3, deleted_at: '2026-01-01' },
        ],
        version: { min: 1, max: 3 },
      }),
    );
    expect(await client.refreshRegisterCount()).toBe(2);
    expect(client.budget.limit).toBe(650);
  });
});
