/**
 * The retailer API: /{domain_prefix}/api/{2026-07|2.0|2.1}/… Handlers are thin: parse and
 * validate, call the domain module, shape the response per the 2026-07 contract. 2.0/2.1 paths
 * share the handlers (the spec paths are the same) and add the few 2.0-only ones
 * (GET /inventory, GET /products/{id}/inventory, POST /sales/{id}/fulfill).
 */
import { pageByVersion, type SandboxContext } from './context';
import { createConsignment, deleteConsignment, updateConsignment, upsertConsignmentLines } from './consignments';
import { createStockAdjustments, SandboxError } from './inventory';
import { updateProduct } from './products';
import { errorResponse, json, parseBody } from './respond';
import { findFulfilments, fulfilLines, fulfilSale } from './fulfilments';
import { createSale, initReturn, updateSale, type SaleInput } from './sales';
import { stateOfStatus } from './sale-status';
import {
  consignmentBulkRequest,
  consignmentProductRequest,
  consignmentRequest,
  fulfil20Request,
  fulfilLinesRequest,
  fulfilSaleRequest,
  inventoryListRequest,
  productUpdateRequest,
  saleRequest,
  stockAdjustmentsRequest,
  webhookRequest,
  type SaleRequest,
} from './schemas';
import {
  consignmentLineShape,
  consignmentShape,
  fulfillmentShape,
  inventoryShape,
  inventoryShape20,
  namedShape,
  outletShape,
  paymentTypeShape,
  productShape,
  productTypeShape,
  registerShape,
  retailerShape,
  saleShape,
  stockAdjustmentShape,
  taxShape,
  userShape,
  webhookShape,
} from './shapes';
import type { TokenRecord } from './oauth';
import type { InventoryRecord, Retailer, Versioned } from './types';
import { createWebhook, deleteWebhook, updateWebhook } from './webhooks';

export type ApiVersion = '2026-07' | '2.0' | '2.1';

export interface ApiRequest {
  ctx: SandboxContext;
  req: Request;
  url: URL;
  retailer: Retailer;
  token: TokenRecord;
  version: ApiVersion;
  /** Path segments after /api/{version}/. */
  segments: string[];
}

/** Default and maximum page sizes. The docs say 200 for 2.0 lists; the API reportedly serves up to 5000. */
const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 5000;

function intParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new SandboxError(400, `${name} must be a non-negative integer`);
  return Number(raw);
}

function boolParam(url: URL, name: string): boolean | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  return raw === 'true' || raw === '1';
}

function pageSize(url: URL, max = MAX_PAGE_SIZE): number {
  const size = intParam(url, 'page_size') ?? DEFAULT_PAGE_SIZE;
  if (size < 1) throw new SandboxError(400, 'page_size must be at least 1');
  return Math.min(size, max);
}

/** The 2.x collection envelope: `{data, version: {min, max}}`. */
function collection<T extends Pick<Versioned, 'version' | 'deleted_at'>, S>(url: URL, records: Iterable<T>, shape: (r: T) => S): Response {
  const { page, min, max } = pageByVersion(records, {
    after: intParam(url, 'after'),
    before: intParam(url, 'before'),
    pageSize: pageSize(url),
    includeDeleted: boolParam(url, 'deleted'),
  });
  return json(200, { data: page.map(shape), version: { min, max } });
}

function one<T>(record: T | undefined, what: string): T {
  if (record === undefined) throw new SandboxError(404, `${what} not found`);
  return record;
}

function familyInventory(retailer: Retailer, productId: string, withVariants: boolean): InventoryRecord[] {
  const product = one(retailer.products[productId], 'product');
  const ids = new Set(
    withVariants ? Object.values(retailer.products).filter((p) => p.family_id === product.family_id).map((p) => p.id) : [product.id],
  );
  return Object.values(retailer.inventory).filter((i) => ids.has(i.product_id));
}

function saleInput(body: SaleRequest, retailer: Retailer, fallbackRegister?: string): SaleInput {
  const registerId = body.source.register_id ?? fallbackRegister;
  if (!registerId) throw new SandboxError(422, "register_id register ID can't be empty");
  return {
    id: body.id,
    state: body.state,
    attributes: body.attributes,
    register_id: registerId,
    user_id: body.source.author_id,
    customer_id: body.customer_id,
    date: body.date,
    invoice_number: body.invoice_number,
    short_code: body.short_code,
    note: body.note,
    source_id: body.source.id,
    source_type: body.source.type,
    fulfillment_outlet_id: body.fulfillment_outlet_id,
    fulfillment_details: body.fulfillment_details,
    line_items: body.line_items.map((l) => ({
      id: l.id,
      product_id: l.product.id,
      quantity: l.quantity,
      price: l.pricing.price,
      cost: l.pricing.cost ?? retailer.products[l.product.id]?.supply_price,
      discount: l.pricing.discount,
      loyalty_amount: l.pricing.loyalty_amount,
      tax_id: l.tax.id,
      tax_amount: l.tax.amount,
      fulfilment_outlet_id: l.fulfilment_outlet_id,
      fulfillment_method: l._metadata?.fulfillment_method,
      sequence: l._metadata?.sequence,
      status: l.status,
      is_price_override: l._metadata?.is_price_override,
    })),
    payments: body.payments.map((p) => ({
      id: p.id,
      payment_type_id: p.type.config_id,
      amount: p.amount,
      date: p.date,
      register_id: p.source?.register_id,
    })),
  };
}

/** The search page-size ceiling ("currently limited to 1000"). */
const SEARCH_MAX_PAGE_SIZE = 1000;

/**
 * GET /search (offset-paged, `{data: [...]}`): the product filters the app uses (`sku`,
 * `variant_parent_id`, `brand_id`, `supplier_id`, `tag_id`, `product_type_id`, each repeatable,
 * and their `-` exclusions) and the documented sale filters `state`, `attributes`, `status`
 * (deprecated), `invoice_number`, `customer_id`, `user_id`, `outlet_id`, `register_id`,
 * `payment_type_id`, `product_id`, `date_from`, `date_to`. There is no source-id filter in the
 * spec (nor here): a sale is found by the id its creator chose (GET /sales/{id}), by an invoice
 * number its creator set, or by reading `source.id` off GET /sales. Parameters the spec does not
 * list are ignored, as unknown query parameters are. Results are ordered by version so offsets
 * are stable.
 */
function search(retailer: Retailer, url: URL): Response {
  const q = url.searchParams;
  const type = q.get('type');
  const size = Math.min(intParam(url, 'page_size') ?? SEARCH_MAX_PAGE_SIZE, SEARCH_MAX_PAGE_SIZE);
  const offset = intParam(url, 'offset') ?? 0;
  const deleted = boolParam(url, 'deleted') ?? false;
  const matches = (name: string, value: string | null): boolean => {
    const include = q.getAll(name);
    const exclude = q.getAll(`-${name}`);
    return (include.length === 0 || (value !== null && include.includes(value))) && !(value !== null && exclude.includes(value));
  };
  const anyOf = (name: string, values: readonly string[]): boolean => {
    const wanted = q.getAll(name);
    return wanted.length === 0 || wanted.some((w) => values.includes(w));
  };
  const window = <T extends { version: number }>(items: T[]): T[] => items.sort((a, b) => a.version - b.version).slice(offset, offset + size);
  if (type === 'products') {
    const found = Object.values(retailer.products).filter(
      (p) =>
        (deleted || p.deleted_at === null) &&
        matches('sku', p.sku) &&
        matches('variant_parent_id', p.variant_parent_id) &&
        matches('brand_id', p.brand_id) &&
        matches('supplier_id', p.supplier_id) &&
        matches('product_type_id', p.product_type_id) &&
        anyOf('tag_id', p.tag_ids) &&
        !q.getAll('-tag_id').some((t) => p.tag_ids.includes(t)),
    );
    return json(200, { data: window(found).map((p) => productShape(retailer, p)) });
  }
  if (type === 'sales') {
    const from = q.get('date_from');
    const to = q.get('date_to');
    const found = Object.values(retailer.sales).filter(
      (s) =>
        (deleted || s.deleted_at === null) &&
        anyOf('state', [stateOfStatus(s.status)]) &&
        anyOf('attributes', s.attributes) &&
        anyOf('status', [s.status]) &&
        (q.get('invoice_number') === null || s.invoice_number === q.get('invoice_number')) &&
        matches('customer_id', s.customer_id) &&
        matches('user_id', s.user_id) &&
        matches('outlet_id', s.outlet_id) &&
        matches('register_id', s.register_id) &&
        anyOf('payment_type_id', s.payments.map((p) => p.payment_type_id)) &&
        anyOf('product_id', s.line_items.map((l) => l.product_id)) &&
        (from === null || Date.parse(s.date) >= Date.parse(from)) &&
        (to === null || Date.parse(s.date) <= Date.parse(to)),
    );
    return json(200, { data: window(found).map((s) => saleShape(retailer, s)) });
  }
  if (type === 'customers') return json(200, { data: [] });
  throw new SandboxError(400, 'type must be one of sales, products, customers');
}

const FULFILMENT_TYPES = ['PICKUP', 'DISPATCH', 'SERVICE'];
const FULFILMENT_STATES = ['OPEN', 'STARTED', 'PICKED', 'PACKED', 'FULFILLED'];

/**
 * GET /fulfillments (getFulfillmentSummary): filters `outlet_id`, `sale_id`, `fulfillment_type`,
 * `fulfillment_state`, each repeatable ("can be specified multiple times"); `page_number` (from 1,
 * default 1) and `page_size` (1–100, default 10). Out-of-range values are the documented 400.
 */
function listFulfilments(retailer: Retailer, url: URL): Response {
  const q = url.searchParams;
  const enumList = (name: string, allowed: string[]): string[] => {
    const values = q.getAll(name);
    const bad = values.filter((v) => !allowed.includes(v));
    if (bad.length > 0) throw new SandboxError(400, `${name} must be one of ${allowed.join(', ')} (got ${bad.join(', ')})`);
    return values;
  };
  const size = intParam(url, 'page_size') ?? 10;
  const pageNumber = intParam(url, 'page_number') ?? 1;
  if (size < 1 || size > 100) throw new SandboxError(400, 'page_size must be between 1 and 100');
  if (pageNumber < 1) throw new SandboxError(400, 'page_number must be at least 1');
  const list = findFulfilments(retailer, {
    saleIds: q.getAll('sale_id'),
    outletIds: q.getAll('outlet_id'),
    types: enumList('fulfillment_type', FULFILMENT_TYPES),
    states: enumList('fulfillment_state', FULFILMENT_STATES),
  });
  return json(200, { data: list.slice((pageNumber - 1) * size, pageNumber * size).map(fulfillmentShape) });
}

export async function handleApi(r: ApiRequest): Promise<Response> {
  const { ctx, req, url, retailer, token, version } = r;
  const method = req.method.toUpperCase();
  const [resource, id, sub, action] = r.segments;
  // `fulfillments/fulfill` is a literal path, not an id.
  const idPart = id === undefined ? '' : resource === 'fulfillments' && id === 'fulfill' ? 'fulfill' : ':id';
  const route = `${method} ${[resource, idPart, sub ?? '', action ?? ''].filter(Boolean).join('/')}`;

  switch (route) {
    case 'GET retailer':
      return json(200, { data: retailerShape(retailer, ctx.now()) });
    case 'GET outlets':
      return collection(url, Object.values(retailer.outlets), outletShape);
    case 'GET outlets/:id':
      return json(200, { data: outletShape(one(retailer.outlets[id ?? ''], 'outlet')) });
    case 'GET registers':
      return collection(url, Object.values(retailer.registers), registerShape);
    case 'GET registers/:id':
      return json(200, { data: registerShape(one(retailer.registers[id ?? ''], 'register')) });
    case 'GET users':
      return collection(url, Object.values(retailer.users), userShape);
    case 'GET users/:id':
      return json(200, { data: userShape(one(retailer.users[id ?? ''], 'user')) });
    case 'GET user':
      return json(200, { data: userShape(one(retailer.users[token.user_id], 'user')) });
    case 'GET payment_types':
      return collection(url, Object.values(retailer.payment_types), paymentTypeShape);
    case 'GET taxes':
      return collection(url, Object.values(retailer.taxes), taxShape);
    case 'GET brands':
      return collection(url, Object.values(retailer.brands), (b) => ({ ...namedShape(b), description: null }));
    case 'GET product_types':
      return collection(url, Object.values(retailer.product_types), productTypeShape);
    case 'GET tags':
      return collection(url, Object.values(retailer.tags), namedShape);
    case 'GET suppliers':
      return collection(url, Object.values(retailer.suppliers), (s) => ({
        ...namedShape(s),
        description: null,
        source: 'USER',
        default_markup: 0,
        contact: null,
      }));
    case 'GET variant_attributes':
      return json(200, {
        data: Object.values(retailer.variant_attributes).map((a) => ({ id: a.id, name: a.name, deleted_at: a.deleted_at })),
      });
    case 'GET variant_attributes/:id': {
      // VariantAttributeResponse: the attribute itself, no `data` envelope.
      const a = one(retailer.variant_attributes[id ?? ''], 'variant attribute');
      return json(200, { id: a.id, name: a.name, deleted_at: a.deleted_at });
    }

    case 'GET search':
      return search(retailer, url);

    case 'GET products': {
      const sku = url.searchParams.get('sku');
      // "all other query params are ignored if this is provided" (ListProducts, param sku).
      if (sku !== null) {
        const found = Object.values(retailer.products).filter((p) => p.sku === sku && p.deleted_at === null);
        const versions = found.map((p) => p.version);
        return json(200, {
          data: found.map((p) => productShape(retailer, p)),
          version: { min: versions.length ? Math.min(...versions) : null, max: versions.length ? Math.max(...versions) : null },
        });
      }
      const name = url.searchParams.get('name') ?? url.searchParams.get('family_name');
      const products = Object.values(retailer.products).filter((p) => name === null || p.base_name === name);
      return collection(url, products, (p) => productShape(retailer, p));
    }
    case 'GET products/:id':
      return json(200, { data: productShape(retailer, one(retailer.products[id ?? ''], 'product')) });
    case 'PUT products/:id': {
      const body = await parseBody(req, productUpdateRequest);
      const product = updateProduct(ctx, retailer, id ?? '', {
        ...body.common,
        active: body.details?.is_active,
        price_excluding_tax: body.details?.price_excluding_tax,
        supply_price: body.details?.product_suppliers?.[0]?.price,
        product_codes: body.details?.product_codes,
        inventory: body.details?.inventory,
      });
      return json(200, { data: productShape(retailer, product) });
    }

    // 2026-07 inventory: POST /inventory lists (bare array), GET /inventory/{product_id}.
    case 'POST inventory': {
      const body = (await parseBody(req, inventoryListRequest.optional())) ?? {};
      const records = body.product_id ? familyInventory(retailer, body.product_id, body.variants ?? false) : Object.values(retailer.inventory);
      const { page } = pageByVersion(records, {
        after: body.after,
        before: body.before,
        pageSize: body.size ?? 1000,
        includeDeleted: body.include_deleted,
        // InventoryRequest.sort_direction defaults to "desc" (unlike GET /inventory/{id}'s order_direction).
        direction: body.sort_direction ?? 'desc',
      });
      return json(200, page.map(inventoryShape));
    }
    case 'GET inventory/:id': {
      const records = familyInventory(retailer, id ?? '', boolParam(url, 'variants') ?? false);
      const { page } = pageByVersion(records, {
        after: intParam(url, 'after'),
        before: intParam(url, 'before'),
        pageSize: pageSize(url),
        includeDeleted: boolParam(url, 'include_deleted'),
        direction: url.searchParams.get('order_direction') === 'desc' ? 'desc' : 'asc',
      });
      return json(200, page.map(inventoryShape));
    }
    case 'GET inventory':
      if (version === '2026-07') break;
      return collection(url, Object.values(retailer.inventory), inventoryShape20);
    case 'GET products/:id/inventory':
      if (version === '2026-07') break;
      return collection(url, familyInventory(retailer, id ?? '', false), inventoryShape20);

    case 'POST stock_adjustments': {
      const body = await parseBody(req, stockAdjustmentsRequest);
      const created = createStockAdjustments(ctx, retailer, token.user_id, body.stock_adjustments);
      return json(201, { data: created.map(stockAdjustmentShape) });
    }
    case 'GET stock_adjustments': {
      const { page, min, max } = pageByVersion(
        Object.values(retailer.stock_adjustments).map((a) => ({ ...a, deleted_at: null })),
        { after: intParam(url, 'after'), before: intParam(url, 'before'), pageSize: pageSize(url, 1000) },
      );
      return json(200, { data: page.map(stockAdjustmentShape), version: { min, max } });
    }

    case 'GET sales':
      return collection(url, Object.values(retailer.sales), (s) => saleShape(retailer, s));
    case 'POST sales': {
      const body = await parseBody(req, saleRequest);
      const sale = createSale(ctx, retailer, saleInput(body, retailer));
      return json(200, { data: saleShape(retailer, sale) });
    }
    case 'GET sales/:id':
      return json(200, { data: saleShape(retailer, one(retailer.sales[id ?? ''], 'sale')) });
    case 'PUT sales/:id': {
      const existing = one(retailer.sales[id ?? ''], 'sale');
      const body = await parseBody(req, saleRequest);
      const sale = updateSale(ctx, retailer, existing.id, saleInput(body, retailer, existing.register_id));
      return json(200, { data: saleShape(retailer, sale) });
    }
    case 'POST sales/:id/actions/return': {
      const sale = initReturn(ctx, retailer, id ?? '', token.user_id);
      return json(200, { data: saleShape(retailer, sale) });
    }
    case 'POST sales/:id/fulfill': {
      if (version === '2026-07') break;
      await parseBody(req, fulfil20Request.optional());
      const fulfillments = fulfilSale(ctx, retailer, id ?? '');
      return json(200, { data: fulfillments.map(fulfillmentShape) });
    }
    case 'GET fulfillments':
      return listFulfilments(retailer, url);
    case 'POST fulfillments/fulfill': {
      const body = await parseBody(req, fulfilSaleRequest, 400);
      const fulfillments = fulfilSale(ctx, retailer, body.sale_id);
      return json(200, { data: fulfillments.map((f) => ({ id: f.id, version: f.version })) });
    }
    case 'POST fulfillments/:id/fulfill': {
      const body = await parseBody(req, fulfilLinesRequest, 400);
      const f = fulfilLines(ctx, retailer, id ?? '', body);
      return json(200, { data: { id: f.id, version: f.version } });
    }

    case 'GET consignments':
      return collection(url, Object.values(retailer.consignments), consignmentShape);
    case 'POST consignments': {
      const body = await parseBody(req, consignmentRequest);
      return json(201, { data: consignmentShape(createConsignment(ctx, retailer, body.data)) });
    }
    case 'GET consignments/:id':
      return json(200, { data: consignmentShape(one(retailer.consignments[id ?? ''], 'consignment')) });
    case 'PUT consignments/:id': {
      const body = await parseBody(req, consignmentRequest);
      return json(200, { data: consignmentShape(updateConsignment(ctx, retailer, id ?? '', body.data)) });
    }
    case 'DELETE consignments/:id':
      deleteConsignment(ctx, retailer, id ?? '');
      return new Response(null, { status: 204 });
    case 'GET consignments/:id/products': {
      const c = one(retailer.consignments[id ?? ''], 'consignment');
      const lines = Object.values(c.lines).map((l) => ({ ...l, deleted_at: null }));
      const { page } = pageByVersion(lines, { after: intParam(url, 'after'), before: intParam(url, 'before'), pageSize: pageSize(url) });
      return json(200, { data: page.map((l) => consignmentLineShape(retailer, c, l)) });
    }
    case 'POST consignments/:id/products': {
      const body = await parseBody(req, consignmentProductRequest);
      const c = upsertConsignmentLines(ctx, retailer, id ?? '', [body.data]);
      const line = one(c.lines[body.data.product_id], 'consignment product');
      const shaped = consignmentLineShape(retailer, c, line);
      return json(200, { data: { ...shaped, count: shaped.count ?? '0', cost: shaped.cost ?? '0', product_sku: shaped.product_sku ?? '', deleted_at: '' } });
    }
    case 'POST consignments/:id/bulk': {
      const body = await parseBody(req, consignmentBulkRequest);
      // The spec's note on /bulk: supplier orders accumulate count while OPEN/SENT, received while DISPATCHED.
      const c = upsertConsignmentLines(ctx, retailer, id ?? '', body, { accumulate: true });
      const data: Record<string, { count: string; received: string }> = {};
      for (const l of body) {
        const line = c.lines[l.product_id];
        data[l.product_id] = { count: String(line?.count ?? 0), received: String(line?.received ?? 0) };
      }
      return json(200, { data });
    }

    case 'GET webhooks':
      return json(200, { data: Object.values(retailer.webhooks).map(webhookShape) });
    case 'POST webhooks': {
      const body = await parseBody(req, webhookRequest);
      const webhook = createWebhook(retailer, () => ctx.newId(), body);
      ctx.changed();
      return json(201, { data: webhookShape(webhook) });
    }
    case 'GET webhooks/:id':
      return json(200, { data: webhookShape(one(retailer.webhooks[id ?? ''], 'webhook')) });
    case 'PUT webhooks/:id': {
      const body = await parseBody(req, webhookRequest);
      const webhook = updateWebhook(retailer, id ?? '', body);
      ctx.changed();
      return json(200, { data: webhookShape(webhook) });
    }
    case 'DELETE webhooks/:id':
      deleteWebhook(retailer, id ?? '');
      ctx.changed();
      return new Response(null, { status: 200 });
  }
  return errorResponse(404, `no route for ${method} /api/${version}/${r.segments.join('/')}`);
}

