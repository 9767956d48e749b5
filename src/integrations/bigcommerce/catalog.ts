/**
 * Catalog API v3: products, variants, variant options, product images and custom fields,
 * categories (through category trees) and product channel assignments. Specs: products_catalog.v3.yml, product-variants_catalog.v3.yml,
 * product-variant-options_catalog.v3.yml, category-trees_catalog.v3.yml.
 *
 * Batch writes are split at the documented limits (10 products, 50 variants) and sent one
 * batch after another: they share the store's quota, and parallel catalog writes to the same
 * products contend inside BigCommerce.
 */
import { z } from 'zod';
import { BigCommerceApiError } from './errors';
import { checkRequest, type BigCommerceHttp } from './http';
import { BATCH_LIMITS, chunk } from './batch';
import { collectPages, iteratePages, type Page } from './paging';
import type { SerialLane } from './serial';
import {
  categoryCreateSchema,
  categorySchema,
  categoryTreeSchema,
  channelAssignmentSchema,
  customFieldCreateSchema,
  customFieldSchema,
  multiStatusErrorsSchema,
  optionCreateSchema,
  optionSchema,
  optionUpdateSchema,
  productBatchUpdateSchema,
  productCreateSchema,
  productImageCreateSchema,
  productImageSchema,
  productSchema,
  productUpdateSchema,
  v3Data,
  v3Page,
  variantBatchItemSchema,
  variantSchema,
  type Category,
  type CategoryCreate,
  type CategoryTree,
  type ChannelAssignment,
  type CustomField,
  type CustomFieldCreate,
  type Product,
  type ProductBatchUpdate,
  type ProductCreate,
  type ProductImage,
  type ProductImageCreate,
  type ProductOption,
  type ProductOptionCreate,
  type ProductOptionUpdate,
  type ProductUpdate,
  type Variant,
  type VariantBatchItem,
} from './schemas';

/** `GET /v3/catalog/products` page size: default 50, max 250. */
export const PRODUCTS_PAGE_LIMIT = 250;

export type ProductInclude = 'variants' | 'options' | 'images' | 'custom_fields';

export type ProductFilters = {
  'id:in'?: readonly number[];
  sku?: string;
  'sku:in'?: readonly string[];
  upc?: string;
  name?: string;
  'channel_id:in'?: readonly number[];
  'categories:in'?: readonly number[];
  is_visible?: boolean;
  'date_modified:min'?: string;
  include?: readonly ProductInclude[];
  sort?: 'id' | 'name' | 'sku' | 'date_modified' | 'date_last_imported';
  direction?: 'asc' | 'desc';
  page?: number;
  limit?: number;
};

export type Paging = {
  page?: number;
  limit?: number;
};

export type CategoryFilters = Paging & {
  'category_id:in'?: readonly number[];
  'tree_id:in'?: readonly number[];
  'parent_id:in'?: readonly number[];
  name?: string;
  is_visible?: boolean;
};

export type ChannelAssignmentFilters = Paging & {
  'product_id:in'?: readonly number[];
  'channel_id:in'?: readonly number[];
};

const productPage = v3Page(productSchema);
const productData = v3Data(productSchema);
const productBatchResult = z.object({ data: z.array(productSchema), errors: multiStatusErrorsSchema.optional() });
const variantPage = v3Page(variantSchema);
const variantBatchResult = z.object({ data: z.array(variantSchema), errors: multiStatusErrorsSchema.optional() });
const optionPage = v3Page(optionSchema);
const optionData = v3Data(optionSchema);
const imagePage = v3Page(productImageSchema);
const imageData = v3Data(productImageSchema);
const customFieldPage = v3Page(customFieldSchema);
const customFieldData = v3Data(customFieldSchema);
const categoryPage = v3Page(categorySchema);
const categoryCreateResult = z.object({ data: z.array(categorySchema), errors: multiStatusErrorsSchema.optional() });
const treePage = v3Page(categoryTreeSchema);
const assignmentPage = v3Page(channelAssignmentSchema);

function pageOf<T>(result: { data: T[]; meta?: { pagination?: Page<T>['pagination'] } | undefined }): Page<T> {
  return { data: result.data, pagination: result.meta?.pagination };
}

/** A 207 is a partial success: report it as a failure with the body, so nothing is silently lost. */
function throwOnPartialFailure(result: { errors?: Record<string, unknown> | undefined }, method: 'PUT' | 'POST', path: string, body: unknown): void {
  if (result.errors && Object.keys(result.errors).length > 0) throw new BigCommerceApiError(method, path, 207, body, 1);
}

export function createCatalogApi(http: BigCommerceHttp, lanes: { channelAssignments: SerialLane }) {
  const listProducts = async (filters: ProductFilters = {}): Promise<Page<Product>> =>
    pageOf(await http.request({ method: 'GET', path: '/v3/catalog/products', query: filters, schema: productPage }));

  const listVariants = async (productId: number, paging: Paging = {}): Promise<Page<Variant>> =>
    pageOf(
      await http.request({
        method: 'GET',
        path: '/v3/catalog/products/{product_id}/variants',
        params: { product_id: productId },
        query: { page: paging.page, limit: paging.limit },
        schema: variantPage,
      }),
    );

  const listImages = async (productId: number, paging: Paging = {}): Promise<Page<ProductImage>> =>
    pageOf(
      await http.request({
        method: 'GET',
        path: '/v3/catalog/products/{product_id}/images',
        params: { product_id: productId },
        query: { page: paging.page, limit: paging.limit },
        schema: imagePage,
        // The spec also lists "204: There are not any images on this product".
        whenEmpty: { data: [] },
      }),
    );

  const listCustomFields = async (productId: number, paging: Paging = {}): Promise<Page<CustomField>> =>
    pageOf(
      await http.request({
        method: 'GET',
        path: '/v3/catalog/products/{product_id}/custom-fields',
        params: { product_id: productId },
        query: { page: paging.page, limit: paging.limit },
        schema: customFieldPage,
      }),
    );

  const listCategories = async (filters: CategoryFilters = {}): Promise<Page<Category>> =>
    pageOf(await http.request({ method: 'GET', path: '/v3/catalog/trees/categories', query: filters, schema: categoryPage }));

  const listAssignments = async (filters: ChannelAssignmentFilters = {}): Promise<Page<ChannelAssignment>> =>
    pageOf(await http.request({ method: 'GET', path: '/v3/catalog/products/channel-assignments', query: filters, schema: assignmentPage }));

  return {
    products: {
      list: listProducts,
      /** Every page of products matching `filters` (their `page` is ignored). */
      pages(filters: Omit<ProductFilters, 'page'> = {}): AsyncGenerator<Product[], void, undefined> {
        // "When you specify `options` or `modifiers`, results are limited to 10 per page."
        const limit = filters.limit ?? (filters.include?.includes('options') ? 10 : PRODUCTS_PAGE_LIMIT);
        return iteratePages((page) => listProducts({ ...filters, page, limit }), limit);
      },
      async get(productId: number, options: { include?: readonly ProductInclude[] } = {}): Promise<Product> {
        const result = await http.request({
          method: 'GET',
          path: '/v3/catalog/products/{product_id}',
          params: { product_id: productId },
          query: { include: options.include },
          schema: productData,
        });
        return result.data;
      },
      /** One product per call; its `variants` create the variant options by display name and label. */
      async create(input: ProductCreate): Promise<Product> {
        const path = '/v3/catalog/products';
        const body = checkRequest(productCreateSchema, input, 'POST', path);
        const result = await http.request({ method: 'POST', path, body, schema: productData });
        return result.data;
      },
      async update(productId: number, input: ProductUpdate): Promise<Product> {
        const path = '/v3/catalog/products/{product_id}';
        const body = checkRequest(productUpdateSchema, input, 'PUT', path);
        const result = await http.request({ method: 'PUT', path, params: { product_id: productId }, body, schema: productData });
        return result.data;
      },
      /** Batches of at most 10 products (the endpoint's limit), sent one after another. */
      async updateMany(items: readonly ProductBatchUpdate[]): Promise<Product[]> {
        const path = '/v3/catalog/products';
        const body = checkRequest(z.array(productBatchUpdateSchema), items, 'PUT', path);
        const updated: Product[] = [];
        for (const batch of chunk(body, BATCH_LIMITS.productsUpdate)) {
          const result = await http.request({ method: 'PUT', path, body: batch, schema: productBatchResult });
          throwOnPartialFailure(result, 'PUT', path, result);
          updated.push(...result.data);
        }
        return updated;
      },
      async delete(productId: number): Promise<void> {
        await http.send({ method: 'DELETE', path: '/v3/catalog/products/{product_id}', params: { product_id: productId } });
      },
    },

    variants: {
      list: listVariants,
      /** Every variant of a product, across pages. */
      async listAll(productId: number): Promise<Variant[]> {
        return collectPages(iteratePages((page) => listVariants(productId, { page, limit: PRODUCTS_PAGE_LIMIT }), PRODUCTS_PAGE_LIMIT));
      },
      /** `PUT /v3/catalog/variants` in batches of at most 50, sent one after another. */
      async updateMany(items: readonly VariantBatchItem[]): Promise<Variant[]> {
        const path = '/v3/catalog/variants';
        const body = checkRequest(z.array(variantBatchItemSchema), items, 'PUT', path);
        const updated: Variant[] = [];
        for (const batch of chunk(body, BATCH_LIMITS.variantsUpdate)) {
          const result = await http.request({ method: 'PUT', path, body: batch, schema: variantBatchResult });
          throwOnPartialFailure(result, 'PUT', path, result);
          updated.push(...result.data);
        }
        return updated;
      },
    },

    options: {
      async list(productId: number): Promise<ProductOption[]> {
        const limit = PRODUCTS_PAGE_LIMIT;
        return collectPages(
          iteratePages(
            async (page) =>
              pageOf(
                await http.request({
                  method: 'GET',
                  path: '/v3/catalog/products/{product_id}/options',
                  params: { product_id: productId },
                  query: { page, limit },
                  schema: optionPage,
                }),
              ),
            limit,
          ),
        );
      },
      /** Creates the option and its values only; variants (SKUs) are created separately. */
      async create(productId: number, input: ProductOptionCreate): Promise<ProductOption> {
        const path = '/v3/catalog/products/{product_id}/options';
        const body = checkRequest(optionCreateSchema, input, 'POST', path);
        const result = await http.request({ method: 'POST', path, params: { product_id: productId }, body, schema: optionData });
        return result.data;
      },
      async update(productId: number, optionId: number, input: ProductOptionUpdate): Promise<ProductOption> {
        const path = '/v3/catalog/products/{product_id}/options/{option_id}';
        const body = checkRequest(optionUpdateSchema, input, 'PUT', path);
        const result = await http.request({ method: 'PUT', path, params: { product_id: productId, option_id: optionId }, body, schema: optionData });
        return result.data;
      },
    },

    /** Merchant-owned: the sync never writes these (tests add them as a merchant edit would). */
    images: {
      /** Every image of a product, across pages. */
      async list(productId: number): Promise<ProductImage[]> {
        const limit = PRODUCTS_PAGE_LIMIT;
        return collectPages(iteratePages((page) => listImages(productId, { page, limit }), limit));
      },
      /** One image by URL (`image_url`, JSON); BigCommerce fetches the file. */
      async create(productId: number, input: ProductImageCreate): Promise<ProductImage> {
        const path = '/v3/catalog/products/{product_id}/images';
        const body = checkRequest(productImageCreateSchema, input, 'POST', path);
        const result = await http.request({ method: 'POST', path, params: { product_id: productId }, body, schema: imageData });
        return result.data;
      },
    },

    /** Merchant-owned: the sync never writes these. */
    customFields: {
      /** Every custom field of a product, across pages. */
      async list(productId: number): Promise<CustomField[]> {
        const limit = PRODUCTS_PAGE_LIMIT;
        return collectPages(iteratePages((page) => listCustomFields(productId, { page, limit }), limit));
      },
      async create(productId: number, input: CustomFieldCreate): Promise<CustomField> {
        const path = '/v3/catalog/products/{product_id}/custom-fields';
        const body = checkRequest(customFieldCreateSchema, input, 'POST', path);
        const result = await http.request({ method: 'POST', path, params: { product_id: productId }, body, schema: customFieldData });
        return result.data;
      },
    },

    categories: {
      list: listCategories,
      pages(filters: Omit<CategoryFilters, 'page'> = {}): AsyncGenerator<Category[], void, undefined> {
        const limit = filters.limit ?? PRODUCTS_PAGE_LIMIT;
        return iteratePages((page) => listCategories({ ...filters, page, limit }), limit);
      },
      /**
       * `POST /v3/catalog/trees/categories`: each needs `tree_id` (a top-level category) or
       * `parent_id`; `is_visible: false` makes a hidden category. A 207 throws.
       */
      async create(items: readonly CategoryCreate[]): Promise<Category[]> {
        const path = '/v3/catalog/trees/categories';
        const body = checkRequest(z.array(categoryCreateSchema).min(1), items, 'POST', path);
        const result = await http.request({ method: 'POST', path, body, schema: categoryCreateResult });
        throwOnPartialFailure(result, 'POST', path, result);
        return result.data;
      },
      /** Category trees; `channelIds` gives the tree of those channels (a tree serves at most one channel). */
      async trees(options: { channelIds?: readonly number[] } = {}): Promise<CategoryTree[]> {
        const result = await http.request({ method: 'GET', path: '/v3/catalog/trees', query: { 'channel_id:in': options.channelIds }, schema: treePage });
        return result.data;
      },
    },

    /**
     * Which channels sell which products. BigCommerce asks for no parallel assignment requests,
     * so writes go through the store's one-at-a-time lane.
     */
    channelAssignments: {
      list: listAssignments,
      async listAll(filters: Omit<ChannelAssignmentFilters, 'page' | 'limit'> = {}): Promise<ChannelAssignment[]> {
        const limit = PRODUCTS_PAGE_LIMIT;
        return collectPages(iteratePages((page) => listAssignments({ ...filters, page, limit }), limit));
      },
      /** `PUT`: creates the assignments (existing ones are kept); answers 204. */
      async assign(assignments: readonly ChannelAssignment[]): Promise<void> {
        if (assignments.length === 0) return;
        const path = '/v3/catalog/products/channel-assignments';
        const body = checkRequest(z.array(channelAssignmentSchema), assignments, 'PUT', path);
        await lanes.channelAssignments.run(() => http.send({ method: 'PUT', path, body }));
      },
      /** `DELETE` needs a filter (spec: "A filter must be supplied"). */
      async unassign(filter: { productIds?: readonly number[]; channelIds?: readonly number[] }): Promise<void> {
        if (!filter.productIds?.length && !filter.channelIds?.length) throw new Error('unassign needs productIds or channelIds: an unfiltered DELETE is refused by BigCommerce');
        await lanes.channelAssignments.run(() =>
          http.send({
            method: 'DELETE',
            path: '/v3/catalog/products/channel-assignments',
            query: { 'product_id:in': filter.productIds, 'channel_id:in': filter.channelIds },
          }),
        );
      },
    },
  };
}

export type CatalogApi = ReturnType<typeof createCatalogApi>;
