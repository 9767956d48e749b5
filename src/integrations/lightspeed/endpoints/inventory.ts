/**
 * Inventory per product × outlet. The 2026-07 list is a `POST /inventory` with the cursor in
 * the body and a bare-array answer (no `version` envelope), sorted descending unless asked
 * otherwise; paging by `after` needs ascending order, so it is always requested.
 */
import { z } from 'zod';
import type { LightspeedTransport } from '../http';
import { iteratePages, maxVersion } from '../paging';
import { inventorySchema } from '../schemas';
import type { InventoryRecord, Page } from '../types';

/** The spec's ceiling for `size` / `page_size` on inventory lists. */
export const INVENTORY_MAX_PAGE_SIZE = 5000;

export interface InventoryPageOptions {
  after?: number;
  /** 1–5000; default 1000 (Lightspeed's default). */
  size?: number;
  includeDeleted?: boolean;
}

export function inventoryEndpoints(transport: LightspeedTransport) {
  const inventory = {
    /** `POST /inventory {after, size, sort_direction: "asc"}`: one page by version cursor. */
    list: async (options: InventoryPageOptions = {}): Promise<Page<InventoryRecord>> => {
      const { data } = await transport.request({
        method: 'POST',
        path: '/inventory',
        body: {
          ...(options.after !== undefined ? { after: options.after } : {}),
          size: Math.min(options.size ?? 1000, INVENTORY_MAX_PAGE_SIZE),
          sort_direction: 'asc',
          ...(options.includeDeleted ? { include_deleted: true } : {}),
        },
        schema: z.array(inventorySchema),
        // A read, despite the verb: safe to repeat.
        idempotent: true,
      });
      return { items: data, nextAfter: maxVersion(data) };
    },

    iterate: (options: InventoryPageOptions = {}): AsyncGenerator<InventoryRecord> => iteratePages((after) => inventory.list({ ...options, after }), options.after),

    /**
     * `GET /inventory/{product_id}`: one product at every outlet, or with `variants: true` its
     * whole family (the id is then the root product). Paged by version like the list.
     */
    forProduct: async (productId: string, options: { variants?: boolean; includeDeleted?: boolean } = {}): Promise<InventoryRecord[]> => {
      const all: InventoryRecord[] = [];
      let after: number | undefined;
      for (;;) {
        const { data } = await transport.request({
          method: 'GET',
          path: '/inventory/{product_id}',
          params: { product_id: productId },
          query: { after, page_size: INVENTORY_MAX_PAGE_SIZE, variants: options.variants, include_deleted: options.includeDeleted, order_direction: 'asc' },
          schema: z.array(inventorySchema),
        });
        all.push(...data);
        const next = maxVersion(data);
        if (data.length < INVENTORY_MAX_PAGE_SIZE || next === null || (after !== undefined && next <= after)) return all;
        after = next;
      }
    },
  };
  return { inventory };
}
