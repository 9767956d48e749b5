/**
 * Inventory API v3 (inventory.v3.yml) and inventory settings (settings.v3.yml `/settings/inventory`).
 *
 * Adjustments follow the guide's "Optimizing performance" rules (research §4.1): at most 2,000
 * items a request, items grouped by location, and one request at a time per store: each waits
 * for the previous 200. Writes are asynchronous; each request answers a `transaction_id`.
 */
import { z } from 'zod';
import { checkRequest, type BigCommerceHttp } from './http';
import { BATCH_LIMITS, chunk, groupByLocation } from './batch';
import { collectPages, iteratePages, type Page } from './paging';
import type { SerialLane } from './serial';
import {
  absoluteAdjustmentItemSchema,
  inventoryItemSchema,
  inventorySettingsSchema,
  locationInventoryItemSchema,
  locationItemSettingsUpdateSchema,
  relativeAdjustmentItemSchema,
  transactionSchema,
  v3Data,
  v3Page,
  type AbsoluteAdjustmentItem,
  type InventoryItem,
  type InventorySettings,
  type InventorySettingsUpdate,
  type LocationInventoryItem,
  type LocationItemSettingsUpdate,
  type RelativeAdjustmentItem,
} from './schemas';

/** `GET /v3/inventory/items`: "Limit 1,000 items" a page. */
export const INVENTORY_PAGE_LIMIT = 1000;

export type InventoryItemFilters = {
  'sku:in'?: readonly string[];
  'variant_id:in'?: readonly number[];
  'product_id:in'?: readonly number[];
  'location_id:in'?: readonly number[];
  'location_code:in'?: readonly string[];
  page?: number;
  limit?: number;
};

export type LocationItemFilters = Omit<InventoryItemFilters, 'location_id:in' | 'location_code:in'>;

export interface AdjustmentResult {
  /** One per request sent, in order. */
  transactionIds: string[];
}

const inventoryPage = v3Page(inventoryItemSchema);
const locationItemPage = v3Page(locationInventoryItemSchema);
const settingsData = v3Data(inventorySettingsSchema);

/** A stock write is computed from levels that go stale: not sent after `freshUntil` (Date.now()). */
export interface WriteOptions {
  freshUntil?: number;
}

export function createInventoryApi(http: BigCommerceHttp, lanes: { inventory: SerialLane }) {
  /**
   * Groups by location, splits at 2,000 and sends the batches one by one on the store's lane.
   * The lane is held for the whole call, not per batch: another caller's adjustment cannot slip
   * between two batches of this one, so calls apply in the order they were made (a later
   * absolute write to an item is never overwritten by a later batch of an earlier call).
   */
  async function adjust(
    method: 'PUT' | 'POST',
    path: string,
    items: readonly { location_id: number }[],
    reason: string | undefined,
    freshUntil: number | undefined,
  ): Promise<AdjustmentResult> {
    const batches = chunk(groupByLocation(items), BATCH_LIMITS.inventoryAdjustment);
    return lanes.inventory.run(async () => {
      const transactionIds: string[] = [];
      for (const batch of batches) {
        // Relative adjustments are not idempotent: a retry after an ambiguous failure could move
        // stock twice, so only absolute ones (replaying sets the same level) retry on 5xx/timeouts.
        // Neither is sent again after a 429's wait: the levels were computed before it, and stock
        // may have moved in the meantime (a late register upload), so a resent write could
        // publish more than is left. The caller computes afresh.
        const result = await http.request({ method, path, body: { reason, items: batch }, schema: transactionSchema, idempotent: method === 'PUT', resendAfterRateLimit: false, ...(freshUntil !== undefined ? { freshUntil } : {}) });
        transactionIds.push(result.transaction_id);
      }
      return { transactionIds };
    });
  }

  const listItems = async (filters: InventoryItemFilters = {}): Promise<Page<InventoryItem>> => {
    const result = await http.request({ method: 'GET', path: '/v3/inventory/items', query: filters, schema: inventoryPage });
    return { data: result.data, pagination: result.meta?.pagination };
  };

  const listLocationItems = async (locationId: number, filters: LocationItemFilters = {}): Promise<Page<LocationInventoryItem>> => {
    const result = await http.request({
      method: 'GET',
      path: '/v3/inventory/locations/{location_id}/items',
      params: { location_id: locationId },
      query: filters,
      schema: locationItemPage,
    });
    return { data: result.data, pagination: result.meta?.pagination };
  };

  return {
    /** Sets stock levels (`PUT /v3/inventory/adjustments/absolute`). The default way to write stock. */
    async setAbsolute(items: readonly AbsoluteAdjustmentItem[], reason?: string, options: WriteOptions = {}): Promise<AdjustmentResult> {
      const path = '/v3/inventory/adjustments/absolute';
      if (items.length === 0) return { transactionIds: [] };
      const checked = checkRequest(z.array(absoluteAdjustmentItemSchema), items, 'PUT', path);
      return adjust('PUT', path, checked, reason, options.freshUntil);
    },
    /** Adds or subtracts (`POST /v3/inventory/adjustments/relative`). Only when absolutes are unknown. */
    async adjustRelative(items: readonly RelativeAdjustmentItem[], reason?: string, options: WriteOptions = {}): Promise<AdjustmentResult> {
      const path = '/v3/inventory/adjustments/relative';
      if (items.length === 0) return { transactionIds: [] };
      const checked = checkRequest(z.array(relativeAdjustmentItemSchema), items, 'POST', path);
      return adjust('POST', path, checked, reason, options.freshUntil);
    },
    items: {
      /** Stock of items at every location. */
      list: listItems,
      pages(filters: Omit<InventoryItemFilters, 'page'> = {}): AsyncGenerator<InventoryItem[], void, undefined> {
        const limit = filters.limit ?? INVENTORY_PAGE_LIMIT;
        return iteratePages((page) => listItems({ ...filters, page, limit }), limit);
      },
      listAll(filters: Omit<InventoryItemFilters, 'page' | 'limit'> = {}): Promise<InventoryItem[]> {
        return collectPages(iteratePages((page) => listItems({ ...filters, page, limit: INVENTORY_PAGE_LIMIT }), INVENTORY_PAGE_LIMIT));
      },
      /** Stock of items at one location. */
      atLocation: listLocationItems,
      listAllAtLocation(locationId: number, filters: Omit<LocationItemFilters, 'page' | 'limit'> = {}): Promise<LocationInventoryItem[]> {
        return collectPages(
          iteratePages((page) => listLocationItems(locationId, { ...filters, page, limit: INVENTORY_PAGE_LIMIT }), INVENTORY_PAGE_LIMIT),
        );
      },
    },
    /**
     * Sets items' settings at one location (`PUT /v3/inventory/locations/{location_id}/items`):
     * safety stock, in stock, warning level, bin. Fields left out keep their value.
     */
    async updateLocationItemSettings(locationId: number, settings: readonly LocationItemSettingsUpdate[]): Promise<AdjustmentResult> {
      const path = '/v3/inventory/locations/{location_id}/items';
      if (settings.length === 0) return { transactionIds: [] };
      const transactionIds: string[] = [];
      for (const batch of chunk(settings, BATCH_LIMITS.inventoryAdjustment)) {
        const body = checkRequest(z.object({ settings: z.array(locationItemSettingsUpdateSchema).min(1) }), { settings: batch }, 'PUT', path);
        const result = await http.request({ method: 'PUT', path, params: { location_id: locationId }, body, schema: transactionSchema, idempotent: true });
        transactionIds.push(result.transaction_id);
      }
      return { transactionIds };
    },
    /** Store-wide inventory settings, or one channel's overrides (null = not overridden). */
    settings: {
      async get(options: { channelId?: number } = {}): Promise<InventorySettings> {
        const result = await http.request({ method: 'GET', path: '/v3/settings/inventory', query: { channel_id: options.channelId }, schema: settingsData });
        return result.data;
      },
      async update(settings: InventorySettingsUpdate, options: { channelId?: number } = {}): Promise<InventorySettings> {
        const path = '/v3/settings/inventory';
        const body = checkRequest(inventorySettingsSchema, settings, 'PUT', path);
        const result = await http.request({ method: 'PUT', path, query: { channel_id: options.channelId }, body, schema: settingsData });
        return result.data;
      },
    },
  };
}

export type InventoryApi = ReturnType<typeof createInventoryApi>;
