/**
 * Products, variant families and barcodes. Each variant is its own product; a family shares
 * `familyId` / `variantParentId`. Barcodes (UPC/EAN…) are the product's `productCodes`;
 * `GET /products?sku=` is an exact SKU lookup.
 */
import { z } from 'zod';
import type { LightspeedTransport } from '../http';
import { iteratePages } from '../paging';
import { collection, productSchema, single, variantAttributeSchema } from '../schemas';
import type { Page, Product, VariantAttribute } from '../types';
import { getVersionPage, orNull, type VersionPageOptions } from './common';

/** The search endpoint's documented page-size ceiling. */
const SEARCH_PAGE_SIZE = 1000;

export function productEndpoints(transport: LightspeedTransport) {
  const products = {
    /** `GET /products?after=&page_size=&deleted=`: one page by version cursor. */
    list: (options?: VersionPageOptions): Promise<Page<Product>> => getVersionPage(transport, '/products', productSchema, { ...options, query: { include_images: false } }),

    /** Every product after `after` (0 or omitted: from the start), as an async iterator. */
    iterate: (options?: VersionPageOptions): AsyncGenerator<Product> => iteratePages((after) => products.list({ ...options, after }), options?.after),

    /** `GET /products/{product_id}`; null when it does not exist. */
    get: (id: string): Promise<Product | null> =>
      orNull(transport.request({ method: 'GET', path: '/products/{product_id}', params: { product_id: id }, schema: single(productSchema) }).then((r) => r.data)),

    /**
     * `GET /products?sku=`: an exact lookup by SKU ("loading a product by one of its SKUs";
     * every other query parameter is ignored). Barcodes (`productCodes`) are not searched, so
     * match a scanned UPC/EAN against `productCodes` of listed products. Lightspeed does not
     * enforce unique SKUs, so this can be several; callers flag ambiguity.
     */
    findBySku: async (sku: string): Promise<Product[]> => {
      const { data } = await transport.request({ method: 'GET', path: '/products', query: { sku, include_images: false }, schema: collection(productSchema) });
      return data.items;
    },

    /**
     * The whole variant family of a parent product: the parent (`GET /products/{id}`) and its
     * variants (`GET /search?type=products&variant_parent_id=`, offset-paged).
     */
    family: async (variantParentId: string): Promise<Product[]> => {
      const parent = await products.get(variantParentId);
      const members: Product[] = parent ? [parent] : [];
      for (let offset = 0; ; offset += SEARCH_PAGE_SIZE) {
        const { data } = await transport.request({
          method: 'GET',
          path: '/search',
          query: { type: 'products', variant_parent_id: variantParentId, page_size: SEARCH_PAGE_SIZE, offset },
          schema: z.object({ data: z.array(productSchema).nullish() }),
        });
        const page = data.data ?? [];
        members.push(...page.filter((p) => p.id !== variantParentId));
        if (page.length < SEARCH_PAGE_SIZE) return members;
      }
    },
  };

  const variantAttributes = {
    /** `GET /variant_attributes` (not paged). */
    list: async (options?: { deleted?: boolean }): Promise<VariantAttribute[]> => {
      const { data } = await transport.request({
        method: 'GET',
        path: '/variant_attributes',
        query: { deleted: options?.deleted },
        schema: z.object({ data: z.array(variantAttributeSchema).nullish() }),
      });
      return data.data ?? [];
    },
    /** `GET /variant_attributes/{attribute-id}`: the spec shows this answer without a `data` envelope. */
    get: (id: string): Promise<VariantAttribute | null> =>
      orNull(
        transport
          .request({
            method: 'GET',
            path: '/variant_attributes/{attribute-id}',
            params: { 'attribute-id': id },
            schema: z.union([single(variantAttributeSchema), variantAttributeSchema]),
          })
          .then((r) => r.data),
      ),
  };

  return { products, variantAttributes };
}
