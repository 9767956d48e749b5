/**
 * The BigCommerce API client: one object per store, composed from small endpoint modules over
 * one transport (`http.ts`). Configuration is passed in; nothing here reads the environment.
 *
 *   const bc = createBigCommerceClient({ apiUrl, storeHash, accessToken, recorder });
 *
 *   bc.store.info()                                         GET  /v2/store
 *   bc.catalog.products.list(filters) / .pages(filters)     GET  /v3/catalog/products (id:in, sku, sku:in, include…)
 *   bc.catalog.products.get(id, { include })                GET  /v3/catalog/products/{id} (include variants, options, images, custom_fields)
 *   bc.catalog.products.create(product)                     POST /v3/catalog/products (with variants)
 *   bc.catalog.products.update(id, fields)                  PUT  /v3/catalog/products/{id}
 *   bc.catalog.products.updateMany(items)                   PUT  /v3/catalog/products, 10 a request
 *   bc.catalog.products.delete(id)                          DELETE /v3/catalog/products/{id}
 *   bc.catalog.variants.list(productId) / .listAll(productId)
 *   bc.catalog.variants.updateMany(items)                   PUT  /v3/catalog/variants, 50 a request
 *   bc.catalog.options.list / .create / .update             /v3/catalog/products/{id}/options
 *   bc.catalog.images.list(productId) / .create(productId, { image_url })   /v3/catalog/products/{id}/images
 *   bc.catalog.customFields.list(productId) / .create(productId, { name, value })   /v3/catalog/products/{id}/custom-fields
 *   bc.catalog.categories.list / .pages / .create / .trees  /v3/catalog/trees/categories, /v3/catalog/trees
 *   bc.catalog.channelAssignments.list / .listAll / .assign / .unassign   one at a time per store
 *   bc.channels.list / .listAll / .get / .create / .update  /v3/channels
 *   bc.channels.createPosChannel({ name })                  POST /v3/channels as { type: 'pos', platform: 'custom' }
 *   bc.locations.list / .listAll / .create / .update        /v3/inventory/locations (→ transaction id)
 *   bc.inventory.setAbsolute(items, reason)                 PUT  /v3/inventory/adjustments/absolute
 *   bc.inventory.adjustRelative(items, reason)              POST /v3/inventory/adjustments/relative
 *       both: grouped by location, 2,000 a request, one request at a time per store → transaction ids
 *   bc.inventory.items.list / .pages / .listAll / .atLocation / .listAllAtLocation
 *   bc.inventory.updateLocationItemSettings(locationId, settings)   PUT /v3/inventory/locations/{id}/items (safety stock…)
 *   bc.inventory.settings.get({ channelId }) / .update(settings, { channelId })   /v3/settings/inventory
 *   bc.orders.get / .list / .pages / .products / .shippingAddresses / .consignments / .statuses / .updateStatus
 *   bc.orders.shipments.list / .create                      /v2/orders/{id}/shipments
 *   bc.orders.refunds.quote / .create / .forOrder / .list   /v3/orders/…/payment_actions/…
 *   bc.hooks.list / .listAll / .get / .create / .update / .delete   /v3/hooks
 *
 * Every call goes through the store's shared rate limiter (`limiterFor(storeHash)` unless one is
 * injected) and retries 429s, 5xx, timeouts and network failures as `http.ts` describes. Failures
 * are typed: `BigCommerceApiError` (status, title, errors), `BigCommerceNetworkError`,
 * `BigCommerceSchemaError` (request or response off-contract). Point `apiUrl` at the sandbox to
 * run the same client against the emulated store.
 */
import { createCatalogApi } from './catalog';
import { createChannelsApi } from './channels';
import { createHooksApi } from './hooks';
import { createBigCommerceHttp, type BigCommerceHttp, type BigCommerceHttpOptions } from './http';
import { createInventoryApi } from './inventory';
import { createLocationsApi } from './locations';
import { createOrdersApi } from './orders';
import { laneFor, type SerialLane } from './serial';
import { createStoreApi } from './store';

export interface BigCommerceClientOptions extends BigCommerceHttpOptions {
  /**
   * One-at-a-time lanes for writes BigCommerce wants serialized per store. Default: the
   * process-wide lanes of `storeHash`, shared with every other client of that store.
   */
  lanes?: Partial<BigCommerceLanes>;
}

export interface BigCommerceLanes {
  inventory: SerialLane;
  channelAssignments: SerialLane;
}

export function createBigCommerceClient(options: BigCommerceClientOptions) {
  const http: BigCommerceHttp = createBigCommerceHttp(options);
  const lanes: BigCommerceLanes = {
    inventory: options.lanes?.inventory ?? laneFor(options.storeHash, 'inventory'),
    channelAssignments: options.lanes?.channelAssignments ?? laneFor(options.storeHash, 'channel-assignments'),
  };
  return {
    storeHash: options.storeHash,
    store: createStoreApi(http),
    catalog: createCatalogApi(http, lanes),
    channels: createChannelsApi(http),
    locations: createLocationsApi(http),
    inventory: createInventoryApi(http, lanes),
    orders: createOrdersApi(http),
    hooks: createHooksApi(http),
  };
}

export type BigCommerceClient = ReturnType<typeof createBigCommerceClient>;

export { BigCommerceApiError, BigCommerceError, BigCommerceNetworkError, BigCommerceSchemaError } from './errors';
export { createBigCommerceHttp, type ApiCall, type ApiCallRecorder, type BigCommerceHttp, type BigCommerceHttpOptions } from './http';
export { createRateLimiter, limiterFor, type RateLimiter } from './rate-limit';
export type * from './schemas';
