/**
 * Catalog v3 routes: products (+ batch update), variants (+ batch), variant options and values,
 * product channel assignments.
 */
import { z } from 'zod';
import {
  addVariant,
  createProduct,
  deleteProduct,
  deleteVariant,
  findOption,
  productCreate,
  productUpdate,
  removeOptionVariants,
  updateProduct,
  updateVariant,
  variantFields,
} from './catalog';
import { optionValueView, optionView, productView, readIncludes, variantView } from './catalog-views';
import { productLevel } from './inventory';
import { checkProductDetails } from './product-details';
import { data, HttpError, intList, json, noContent, paged, parseBody, readJson, readPage, STATUS_CODES_DOC, stringList, boolParam } from './responses';
import type { Router } from './router';
import { intParam, type RouteContext } from './runtime';
import { findProduct, findVariant, nextId, requireProduct, variantsOf } from './store-state';
import type { Product, Variant } from './types';

const PRODUCT_BATCH_LIMIT = 10;
const VARIANT_BATCH_LIMIT = 50;

function listProducts(ctx: RouteContext): Response {
  const { store, url } = ctx;
  const ids = intList(url, 'id:in') ?? (url.searchParams.has('id') ? intList(url, 'id') : undefined);
  const skus = (stringList(url, 'sku:in') ?? stringList(url, 'sku'))?.map((s) => s.toLowerCase());
  const channelIds = intList(url, 'channel_id:in');
  const categoryIds = intList(url, 'categories:in');
  const visible = boolParam(url, 'is_visible');
  const name = url.searchParams.get('name');
  const matchesSku = (p: Product) => skus!.includes(p.sku.toLowerCase()) || variantsOf(store, p).some((v) => skus!.includes(v.sku.toLowerCase()));
  const products = store.products
    .filter((p) => !ids || ids.includes(p.id))
    .filter((p) => !skus || matchesSku(p))
    .filter((p) => !channelIds || store.channelAssignments.some((a) => a.product_id === p.id && channelIds.includes(a.channel_id)))
    .filter((p) => !categoryIds || p.categories.some((c) => categoryIds.includes(c)))
    .filter((p) => visible === undefined || p.is_visible === visible)
    .filter((p) => name === null || p.name === name)
    .filter((p) => !url.searchParams.has('inventory_level') || productLevel(store, p) === Number(url.searchParams.get('inventory_level')))
    .sort((a, b) => a.id - b.id);
  const include = readIncludes(url);
  // Including options or modifiers drops the maximum page size to 10 (products spec).
  const page = readPage(url, 50, include.options ? 10 : 250);
  return paged(products.map((p) => productView(store, p, include)), url, page);
}

async function postProduct(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, productCreate);
  const product = createProduct(ctx.rt, ctx.store, body);
  return data(productView(ctx.store, product, { variants: true, options: true }));
}

function getProduct(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  return data(productView(ctx.store, product, readIncludes(ctx.url)));
}

async function putProduct(ctx: RouteContext): Promise<Response> {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const body = await parseBody(ctx.req, productUpdate);
  updateProduct(ctx.rt, ctx.store, product, body);
  return data(productView(ctx.store, product, readIncludes(ctx.url)));
}

const batchProductUpdate = z.array(productUpdate.extend({ id: z.number().int() })).min(1);

async function putProducts(ctx: RouteContext): Promise<Response> {
  const raw = await readJson(ctx.req);
  if (Array.isArray(raw) && raw.length > PRODUCT_BATCH_LIMIT) {
    return json({ status: 413, title: `The request contains more than ${PRODUCT_BATCH_LIMIT} products`, type: STATUS_CODES_DOC, instance: ctx.url.pathname }, 413);
  }
  const parsed = batchProductUpdate.safeParse(raw);
  if (!parsed.success) throw new HttpError(422, 'JSON data is missing or invalid', Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])));
  // Validate all before writing any: a batch either applies fully or not at all.
  const targets = parsed.data.map((item) => {
    const product = findProduct(ctx.store, item.id);
    if (!product) throw new HttpError(404, `Product ${item.id} was not found.`);
    checkProductDetails(product, item);
    return { product, item };
  });
  const updated = targets.map(({ product, item }) => {
    const { id: _id, ...fields } = item;
    return updateProduct(ctx.rt, ctx.store, product, fields);
  });
  return json({ data: updated.map((p) => productView(ctx.store, p, { variants: false, options: false })), meta: {} });
}

function deleteOneProduct(ctx: RouteContext): Response {
  const product = findProduct(ctx.store, intParam(ctx, 'product_id'));
  if (product) deleteProduct(ctx.rt, ctx.store, product);
  return noContent();
}

function deleteProducts(ctx: RouteContext): Response {
  const ids = intList(ctx.url, 'id:in');
  if (!ids) throw new HttpError(422, 'A filter such as id:in is required to delete products');
  for (const product of ctx.store.products.filter((p) => ids.includes(p.id))) deleteProduct(ctx.rt, ctx.store, product);
  return noContent();
}

function requireVariant(ctx: RouteContext, product: Product): Variant {
  const variant = findVariant(ctx.store, intParam(ctx, 'variant_id'));
  if (!variant || variant.product_id !== product.id) throw new HttpError(404, 'The requested variant was not found.');
  return variant;
}

function listProductVariants(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  return paged(variantsOf(ctx.store, product).map((v) => variantView(ctx.store, product, v)), ctx.url, readPage(ctx.url));
}

async function postVariant(ctx: RouteContext): Promise<Response> {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const body = await parseBody(ctx.req, variantFields);
  const variant = addVariant(ctx.rt, ctx.store, product, body);
  return data(variantView(ctx.store, product, variant));
}

function getVariant(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  return data(variantView(ctx.store, product, requireVariant(ctx, product)));
}

async function putVariant(ctx: RouteContext): Promise<Response> {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const variant = requireVariant(ctx, product);
  const body = await parseBody(ctx.req, variantFields);
  updateVariant(ctx.rt, ctx.store, product, variant, body);
  return data(variantView(ctx.store, product, variant));
}

function deleteOneVariant(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const variant = findVariant(ctx.store, intParam(ctx, 'variant_id'));
  if (variant && variant.product_id === product.id) deleteVariant(ctx.rt, ctx.store, product, variant);
  return noContent();
}

function listAllVariants(ctx: RouteContext): Response {
  const ids = intList(ctx.url, 'id:in') ?? intList(ctx.url, 'id');
  const productIds = intList(ctx.url, 'product_id:in');
  const sku = ctx.url.searchParams.get('sku')?.toLowerCase();
  const variants = ctx.store.variants
    .filter((v) => !ids || ids.includes(v.id))
    .filter((v) => !productIds || productIds.includes(v.product_id))
    .filter((v) => sku === undefined || v.sku.toLowerCase() === sku)
    .sort((a, b) => a.id - b.id);
  const views = variants.flatMap((v) => {
    const product = findProduct(ctx.store, v.product_id);
    return product ? [variantView(ctx.store, product, v)] : [];
  });
  return paged(views, ctx.url, readPage(ctx.url));
}

const batchVariant = variantFields.extend({ id: z.number().int().optional(), product_id: z.number().int().optional() });

/** PUT /catalog/variants: update by `id`, or create with `product_id` + `sku` + `option_values`. */
async function putVariants(ctx: RouteContext): Promise<Response> {
  const raw = await readJson(ctx.req);
  if (Array.isArray(raw) && raw.length > VARIANT_BATCH_LIMIT) {
    return json({ status: 413, title: `The request contains more than ${VARIANT_BATCH_LIMIT} variants`, type: STATUS_CODES_DOC }, 413);
  }
  const parsed = z.array(batchVariant).min(1).safeParse(raw);
  if (!parsed.success) throw new HttpError(422, 'JSON data is missing or invalid', Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])));
  const results: Variant[] = [];
  const batchErrors: Record<string, unknown>[] = [];
  for (const item of parsed.data) {
    try {
      const { id, product_id: productId, ...fields } = item;
      const variant = id !== undefined ? findVariant(ctx.store, id) : undefined;
      const product = findProduct(ctx.store, variant?.product_id ?? productId ?? -1);
      if (!product || (id !== undefined && !variant)) throw new HttpError(422, `Variant ${id ?? ''} / product ${productId ?? ''} was not found`);
      results.push(variant ? updateVariant(ctx.rt, ctx.store, product, variant, fields) : addVariant(ctx.rt, ctx.store, product, fields));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      batchErrors.push({ status: error.status, title: error.title, type: STATUS_CODES_DOC, errors: error.errors });
    }
  }
  if (batchErrors.length > 0) return json({ batch_errors: batchErrors }, 422);
  const views = results.map((v) => variantView(ctx.store, findProduct(ctx.store, v.product_id)!, v));
  return json({ data: views, meta: {} });
}

const optionValueInput = z.object({ label: z.string().min(1), sort_order: z.number().int().default(0), is_default: z.boolean().default(false), value_data: z.record(z.string(), z.unknown()).nullable().optional() });
const optionInput = z.object({
  display_name: z.string().min(1).max(255),
  type: z.enum(['radio_buttons', 'rectangles', 'dropdown', 'product_list', 'product_list_with_images', 'swatch']),
  sort_order: z.number().int().optional(),
  option_values: z.array(optionValueInput).min(1),
});

/** `Option Put`: every field optional; `option_values` entries may name their `id` (spec `Option Value` allOf id). */
const optionPutInput = optionInput
  .omit({ option_values: true })
  .partial()
  .extend({
    option_values: z
      .array(z.object({ id: z.number().int().optional(), label: z.string().min(1), sort_order: z.number().int(), is_default: z.boolean().optional(), value_data: z.record(z.string(), z.unknown()).nullable().optional() }))
      .min(1)
      .optional(),
  });

function listOptions(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  return paged(product.options.map(optionView), ctx.url, readPage(ctx.url));
}

async function postOption(ctx: RouteContext): Promise<Response> {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const body = await parseBody(ctx.req, optionInput);
  if (product.options.some((o) => o.display_name === body.display_name)) {
    throw new HttpError(409, `The option ${body.display_name} already exists on this product`, { display_name: 'duplicate' });
  }
  const option = {
    id: nextId(ctx.store, 'option'),
    product_id: product.id,
    display_name: body.display_name,
    type: body.type,
    sort_order: body.sort_order ?? product.options.length,
    option_values: body.option_values.map((v) => ({ id: nextId(ctx.store, 'optionValue'), label: v.label, sort_order: v.sort_order, is_default: v.is_default, value_data: v.value_data ?? null })),
  };
  // Creating an option does not create variants (catalog guide).
  product.options.push(option);
  ctx.rt.changed();
  return data(optionView(option));
}

function getOption(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  return data(optionView(findOption(product, intParam(ctx, 'option_id'))));
}

async function putOption(ctx: RouteContext): Promise<Response> {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const option = findOption(product, intParam(ctx, 'option_id'));
  const body = await parseBody(ctx.req, optionPutInput);
  if (body.display_name !== undefined && product.options.some((o) => o.id !== option.id && o.display_name === body.display_name)) {
    throw new HttpError(409, `The option ${body.display_name} already exists on this product`, { display_name: 'duplicate' });
  }
  // `Option Put` carries `option_values` (product-variant-options_catalog.v3.yml): an entry with
  // the `id` of one of this option's values updates it, one without an `id` adds a value. Values
  // left out are kept: the spec does not say a PUT removes them (DELETE …/values/{id} does).
  const values = body.option_values ?? [];
  for (const v of values) {
    if (v.id !== undefined && !option.option_values.some((existing) => existing.id === v.id)) {
      throw new HttpError(422, `The option value ${v.id} does not belong to option ${option.id}`, { option_values: 'unknown value id' });
    }
  }
  const labels = new Map(option.option_values.map((v) => [v.id, v.label]));
  for (const v of values) if (v.id !== undefined) labels.set(v.id, v.label);
  const finalLabels = [...labels.values(), ...values.filter((v) => v.id === undefined).map((v) => v.label)];
  if (new Set(finalLabels).size !== finalLabels.length) throw new HttpError(422, 'Option value labels must be unique within an option', { option_values: 'duplicate label' });
  if (body.display_name !== undefined) option.display_name = body.display_name;
  if (body.type !== undefined) option.type = body.type;
  if (body.sort_order !== undefined) option.sort_order = body.sort_order;
  for (const v of values) {
    const existing = v.id === undefined ? undefined : option.option_values.find((e) => e.id === v.id);
    if (existing) {
      existing.label = v.label;
      existing.sort_order = v.sort_order;
      if (v.is_default !== undefined) existing.is_default = v.is_default;
      if (v.value_data !== undefined) existing.value_data = v.value_data;
    } else {
      option.option_values.push({ id: nextId(ctx.store, 'optionValue'), label: v.label, sort_order: v.sort_order, is_default: v.is_default ?? false, value_data: v.value_data ?? null });
    }
  }
  ctx.rt.changed();
  return data(optionView(option));
}

function deleteOption(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const optionId = intParam(ctx, 'option_id');
  // Variants built on a deleted option no longer describe a valid combination: they go too.
  removeOptionVariants(ctx.rt, ctx.store, product, (ref) => ref.option_id === optionId);
  product.options = product.options.filter((o) => o.id !== optionId);
  ctx.rt.changed();
  return noContent();
}

function listOptionValues(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  return paged(findOption(product, intParam(ctx, 'option_id')).option_values.map(optionValueView), ctx.url, readPage(ctx.url));
}

async function postOptionValue(ctx: RouteContext): Promise<Response> {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const option = findOption(product, intParam(ctx, 'option_id'));
  const body = await parseBody(ctx.req, optionValueInput);
  if (option.option_values.some((v) => v.label === body.label)) throw new HttpError(422, `The value ${body.label} already exists`, { label: 'duplicate' });
  const value = { id: nextId(ctx.store, 'optionValue'), label: body.label, sort_order: body.sort_order, is_default: body.is_default, value_data: body.value_data ?? null };
  option.option_values.push(value);
  ctx.rt.changed();
  return data(optionValueView(value));
}

function findValue(ctx: RouteContext) {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const option = findOption(product, intParam(ctx, 'option_id'));
  const value = option.option_values.find((v) => v.id === intParam(ctx, 'value_id'));
  if (!value) throw new HttpError(404, 'The requested option value was not found.');
  return { product, option, value };
}

async function putOptionValue(ctx: RouteContext): Promise<Response> {
  const { value } = findValue(ctx);
  const body = await parseBody(ctx.req, optionValueInput.partial());
  Object.assign(value, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
  ctx.rt.changed();
  return data(optionValueView(value));
}

function deleteOptionValue(ctx: RouteContext): Response {
  const { product, option, value } = findValue(ctx);
  removeOptionVariants(ctx.rt, ctx.store, product, (ref) => ref.id === value.id);
  option.option_values = option.option_values.filter((v) => v.id !== value.id);
  ctx.rt.changed();
  return noContent();
}

function listChannelAssignments(ctx: RouteContext): Response {
  const productIds = intList(ctx.url, 'product_id:in');
  const channelIds = intList(ctx.url, 'channel_id:in');
  const rows = ctx.store.channelAssignments
    .filter((a) => !productIds || productIds.includes(a.product_id))
    .filter((a) => !channelIds || channelIds.includes(a.channel_id));
  return paged(rows, ctx.url, readPage(ctx.url));
}

const assignmentBody = z.array(z.object({ product_id: z.number().int(), channel_id: z.number().int() })).min(1);

async function putChannelAssignments(ctx: RouteContext): Promise<Response> {
  const rows = await parseBody(ctx.req, assignmentBody);
  const errors: Record<string, string> = {};
  rows.forEach((row, i) => {
    if (!findProduct(ctx.store, row.product_id)) errors[`${i}.product_id`] = `Product ${row.product_id} does not exist`;
    if (!ctx.store.channels.some((c) => c.id === row.channel_id)) errors[`${i}.channel_id`] = `Channel ${row.channel_id} does not exist`;
  });
  if (Object.keys(errors).length > 0) throw new HttpError(422, 'Invalid channel assignments', errors);
  for (const row of rows) {
    const exists = ctx.store.channelAssignments.some((a) => a.product_id === row.product_id && a.channel_id === row.channel_id);
    if (!exists) ctx.store.channelAssignments.push(row);
  }
  ctx.rt.changed();
  return noContent();
}

function deleteChannelAssignments(ctx: RouteContext): Response {
  const productIds = intList(ctx.url, 'product_id:in');
  const channelIds = intList(ctx.url, 'channel_id:in');
  if (!productIds && !channelIds) throw new HttpError(422, 'A product_id:in or channel_id:in filter is required');
  ctx.store.channelAssignments = ctx.store.channelAssignments.filter(
    (a) => !((!productIds || productIds.includes(a.product_id)) && (!channelIds || channelIds.includes(a.channel_id))),
  );
  ctx.rt.changed();
  return noContent();
}

export function registerCatalogRoutes(router: Router): void {
  router
    .get('/v3/catalog/products/channel-assignments', listChannelAssignments)
    .put('/v3/catalog/products/channel-assignments', putChannelAssignments)
    .delete('/v3/catalog/products/channel-assignments', deleteChannelAssignments)
    .get('/v3/catalog/products', listProducts)
    .post('/v3/catalog/products', postProduct)
    .put('/v3/catalog/products', putProducts)
    .delete('/v3/catalog/products', deleteProducts)
    .get('/v3/catalog/products/:product_id', getProduct)
    .put('/v3/catalog/products/:product_id', putProduct)
    .delete('/v3/catalog/products/:product_id', deleteOneProduct)
    .get('/v3/catalog/products/:product_id/variants', listProductVariants)
    .post('/v3/catalog/products/:product_id/variants', postVariant)
    .get('/v3/catalog/products/:product_id/variants/:variant_id', getVariant)
    .put('/v3/catalog/products/:product_id/variants/:variant_id', putVariant)
    .delete('/v3/catalog/products/:product_id/variants/:variant_id', deleteOneVariant)
    .get('/v3/catalog/variants', listAllVariants)
    .put('/v3/catalog/variants', putVariants)
    .get('/v3/catalog/products/:product_id/options', listOptions)
    .post('/v3/catalog/products/:product_id/options', postOption)
    .get('/v3/catalog/products/:product_id/options/:option_id', getOption)
    .put('/v3/catalog/products/:product_id/options/:option_id', putOption)
    .delete('/v3/catalog/products/:product_id/options/:option_id', deleteOption)
    .get('/v3/catalog/products/:product_id/options/:option_id/values', listOptionValues)
    .post('/v3/catalog/products/:product_id/options/:option_id/values', postOptionValue)
    .put('/v3/catalog/products/:product_id/options/:option_id/values/:value_id', putOptionValue)
    .delete('/v3/catalog/products/:product_id/options/:option_id/values/:value_id', deleteOptionValue);
}
