/**
 * Catalog v3 product sub-resources the merchant curates: images (added by URL) and custom fields
 * (products_catalog.v3.yml `/catalog/products/{product_id}/images`, `/custom-fields`).
 *
 * Rules are in product-details.ts. Images are created by `image_url` (JSON): the sandbox stores
 * no bytes, so `multipart/form-data` uploads of `image_file` are refused with 422. An empty image
 * list answers 200 with no data (the spec also lists a 204 for it).
 */
import { customFieldView, imageView, sortedImages } from './catalog-views';
import {
  addCustomField,
  addImage,
  customFieldCreate,
  customFieldsOf,
  customFieldUpdate,
  imageCreate,
  imagesOf,
  imageUpdate,
  updateCustomField,
  updateImage,
} from './product-details';
import { data, HttpError, noContent, paged, parseBody, readPage } from './responses';
import type { Router } from './router';
import { intParam, type RouteContext } from './runtime';
import { requireProduct } from './store-state';

function refuseUploads(ctx: RouteContext): void {
  if ((ctx.req.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
    throw new HttpError(422, 'image_url must be present if uploading by url; the sandbox does not accept image_file uploads', { image_file: 'not supported' });
  }
}

function requireImage(ctx: RouteContext) {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const image = imagesOf(product).find((i) => i.id === intParam(ctx, 'image_id'));
  if (!image) throw new HttpError(404, 'The requested image was not found.');
  return { product, image };
}

function listImages(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  return paged(sortedImages(product).map((i) => imageView(ctx.store, i)), ctx.url, readPage(ctx.url));
}

async function postImage(ctx: RouteContext): Promise<Response> {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  refuseUploads(ctx);
  const body = await parseBody(ctx.req, imageCreate);
  return data(imageView(ctx.store, addImage(ctx.rt, ctx.store, product, body)));
}

function getImage(ctx: RouteContext): Response {
  return data(imageView(ctx.store, requireImage(ctx).image));
}

async function putImage(ctx: RouteContext): Promise<Response> {
  const { product, image } = requireImage(ctx);
  refuseUploads(ctx);
  const body = await parseBody(ctx.req, imageUpdate);
  return data(imageView(ctx.store, updateImage(ctx.rt, product, image, body)));
}

/** The spec lists only 204: deleting an image that is already gone succeeds too. */
function deleteImage(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const imageId = intParam(ctx, 'image_id');
  product.images = imagesOf(product).filter((i) => i.id !== imageId);
  ctx.rt.changed();
  return noContent();
}

function requireCustomField(ctx: RouteContext) {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const field = customFieldsOf(product).find((f) => f.id === intParam(ctx, 'custom_field_id'));
  if (!field) throw new HttpError(404, 'The requested custom field was not found.');
  return { product, field };
}

function listCustomFields(ctx: RouteContext): Response {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  return paged(customFieldsOf(product).map(customFieldView), ctx.url, readPage(ctx.url));
}

async function postCustomField(ctx: RouteContext): Promise<Response> {
  const product = requireProduct(ctx.store, intParam(ctx, 'product_id'));
  const body = await parseBody(ctx.req, customFieldCreate);
  return data(customFieldView(addCustomField(ctx.rt, ctx.store, product, body)));
}

function getCustomField(ctx: RouteContext): Response {
  return data(customFieldView(requireCustomField(ctx).field));
}

async function putCustomField(ctx: RouteContext): Promise<Response> {
  const { product, field } = requireCustomField(ctx);
  const body = await parseBody(ctx.req, customFieldUpdate);
  return data(customFieldView(updateCustomField(ctx.rt, product, field, body)));
}

function deleteCustomField(ctx: RouteContext): Response {
  const { product, field } = requireCustomField(ctx);
  product.custom_fields = customFieldsOf(product).filter((f) => f.id !== field.id);
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
