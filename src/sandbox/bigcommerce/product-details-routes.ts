/**
 * Catalog v3 product sub-resources the merchant curates: images (added by URL) and custom fields
 * (products_catalog.v3.yml `/catalog/products/{product_id}/images`, `/custom-fields`).
 *
 * Images: create takes `image_url` (JSON; the sandbox stores no bytes, so `multipart/form-data`
 * uploads of `image_file` are refused with 422), at most 1,000 a product, one thumbnail at a time.
 * An empty image list answers 200 with no data (the spec also lists a 204 for it).
 * Custom fields: `{name, value}`, each 1–250 characters, unique as a pair within the product,
 * at most 200 a product; rule breaks answer 422 (the spec's `GeneralError`).
 */
import { z } from 'zod';
import { customFieldView, imageView, sortedImages } from './catalog-views';
import { data, HttpError, noContent, paged, parseBody, readPage } from './responses';
import type { Router } from './router';
import { intParam, type RouteContext } from './runtime';
import { iso, nextId, requireProduct } from './store-state';
import type { CustomField, Product, ProductImage } from './types';

const MAX_IMAGES = 1000;
const MAX_CUSTOM_FIELDS = 200;
const int32 = z.number().int().min(-2147483648).max(2147483647);

/** `productImage_Post_Put` (JSON): `image_url` is "a fully qualified URL path, including protocol", 255 characters at most. */
const imageFields = z.object({
  image_url: z
    .string()
    .max(255)
    .refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s), 'image_url must be a fully qualified URL, including protocol'),
  is_thumbnail: z.boolean(),
  sort_order: int32,
  description: z.string(),
});
const imageCreate = imageFields.partial({ is_thumbnail: true, sort_order: true, description: true });
const imageUpdate = imageFields.partial();

const fieldText = z.string().min(1).max(250);
const customFieldCreate = z.object({ name: fieldText, value: fieldText });
const customFieldUpdate = customFieldCreate.partial();

function refuseUploads(ctx: RouteContext): void {
  if ((ctx.req.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
    throw new HttpError(422, 'image_url must be present if uploading by url; the sandbox does not accept image_file uploads', { image_file: 'not supported' });
  }
}

function imageFileName(url: string, id: number): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'image';
  const dot = last.lastIndexOf('.');
  const stem = (dot > 0 ? last.slice(0, dot) : last).replace(/[^A-Za-z0-9_-]+/g, '-') || 'image';
  const ext = dot > 0 ? last.slice(dot + 1).toLowerCase() : 'jpg';
  return `a/${String(id).padStart(3, '0').slice(-3)}/${stem}__${id}.${ext}`;
}

function imagesOf(product: Product): ProductImage[] {
  product.images ??= [];
  return product.images;
}

function fieldsOf(product: Product): CustomField[] {
  product.custom_fields ??= [];
  return product.custom_fields;
}

function requireImage(ctx: RouteContext) {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const image = imagesOf(product).find((i) => i.id === intParam(ctx, 'image_id'));
  if (!image) throw new HttpError(404, 'The requested image was not found.');
  return { product, image };
}

/** Only one image of a product is its thumbnail. */
function makeThumbnail(product: Product, image: ProductImage): void {
  for (const other of imagesOf(product)) other.is_thumbnail = other.id === image.id;
}

function listImages(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  return paged(sortedImages(product).map((i) => imageView(ctx.store, i)), ctx.url, readPage(ctx.url));
}

async function postImage(ctx: RouteContext): Promise<Response> {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  refuseUploads(ctx);
  const body = await parseBody(ctx.req, imageCreate);
  const images = imagesOf(product);
  if (images.length >= MAX_IMAGES) throw new HttpError(422, `A product can have up to ${MAX_IMAGES} images`, { image_url: 'too many images' });
  const id = nextId(ctx.store, 'image');
  const image: ProductImage = {
    id,
    product_id: product.id,
    image_url: body.image_url,
    image_file: imageFileName(body.image_url, id),
    is_thumbnail: body.is_thumbnail ?? false,
    sort_order: body.sort_order ?? 0,
    description: body.description ?? '',
    date_modified: iso(ctx.rt.config.now()),
  };
  images.push(image);
  if (image.is_thumbnail) makeThumbnail(product, image);
  ctx.rt.changed();
  return data(imageView(ctx.store, image));
}

function getImage(ctx: RouteContext): Response {
  return data(imageView(ctx.store, requireImage(ctx).image));
}

async function putImage(ctx: RouteContext): Promise<Response> {
  const { product, image } = requireImage(ctx);
  refuseUploads(ctx);
  const body = await parseBody(ctx.req, imageUpdate);
  if (body.image_url !== undefined) {
    image.image_url = body.image_url;
    image.image_file = imageFileName(body.image_url, image.id);
  }
  if (body.sort_order !== undefined) image.sort_order = body.sort_order;
  if (body.description !== undefined) image.description = body.description;
  if (body.is_thumbnail === true) makeThumbnail(product, image);
  else if (body.is_thumbnail === false) image.is_thumbnail = false;
  image.date_modified = iso(ctx.rt.config.now());
  ctx.rt.changed();
  return data(imageView(ctx.store, image));
}

/** The spec lists only 204: deleting an image that is already gone succeeds too. */
function deleteImage(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const imageId = intParam(ctx, 'image_id');
  product.images = imagesOf(product).filter((i) => i.id !== imageId);
  ctx.rt.changed();
  return noContent();
}

function checkPairUnique(product: Product, pair: { name: string; value: string }, exceptId?: number): void {
  if (fieldsOf(product).some((f) => f.id !== exceptId && f.name === pair.name && f.value === pair.value)) {
    throw new HttpError(422, 'Every name-value pair must be unique inside a product', { name: `${pair.name}=${pair.value} already exists` });
  }
}

function requireCustomField(ctx: RouteContext) {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const field = fieldsOf(product).find((f) => f.id === intParam(ctx, 'custom_field_id'));
  if (!field) throw new HttpError(404, 'The requested custom field was not found.');
  return { product, field };
}

function listCustomFields(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  return paged(fieldsOf(product).map(customFieldView), ctx.url, readPage(ctx.url));
}

async function postCustomField(ctx: RouteContext): Promise<Response> {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const body = await parseBody(ctx.req, customFieldCreate);
  const fields = fieldsOf(product);
  if (fields.length >= MAX_CUSTOM_FIELDS) throw new HttpError(422, `A product can have up to ${MAX_CUSTOM_FIELDS} custom fields`, { name: 'too many custom fields' });
  checkPairUnique(product, body);
  const field: CustomField = { id: nextId(ctx.store, 'customField'), name: body.name, value: body.value };
  fields.push(field);
  ctx.rt.changed();
  return data(customFieldView(field));
}

function getCustomField(ctx: RouteContext): Response {
  return data(customFieldView(requireCustomField(ctx).field));
}

async function putCustomField(ctx: RouteContext): Promise<Response> {
  const { product, field } = requireCustomField(ctx);
  const body = await parseBody(ctx.req, customFieldUpdate);
  const next = { name: body.name ?? field.name, value: body.value ?? field.value };
  checkPairUnique(product, next, field.id);
  Object.assign(field, next);
  ctx.rt.changed();
  return data(customFieldView(field));
}

function deleteCustomField(ctx: RouteContext): Response {
  const { product, field } = requireCustomField(ctx);
  product.custom_fields = fieldsOf(product).filter((f) => f.id !== field.id);
  ctx.rt.changed();
  return noContent();
}

export function registerProductDetailRoutes(router: Router): void {
  router
    .get('/v3/catalog/products/:product_id/images', listImages)
    .post('/v3/catalog/products/:product_id/images', postImage)
    .get('/v3/catalog/products/:product_id/images/:image_id', getImage)
    .put('/v3/catalog/products/:product_id/images/:image_id', putImage)
    .delete('/v3/catalog/products/:product_id/images/:image_id', deleteImage)
    .get('/v3/catalog/products/:product_id/custom-fields', listCustomFields)
    .post('/v3/catalog/products/:product_id/custom-fields', postCustomField)
    .get('/v3/catalog/products/:product_id/custom-fields/:custom_field_id', getCustomField)
    .put('/v3/catalog/products/:product_id/custom-fields/:custom_field_id', putCustomField)
    .delete('/v3/catalog/products/:product_id/custom-fields/:custom_field_id', deleteCustomField);
}
