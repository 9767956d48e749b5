/**
 * Inventory locations (locations.v3.yml). Creating and updating are asynchronous batch writes
 * that answer only a `transaction_id`; read the locations back by `location_code:in` afterwards.
 * The app creates its locations with `managed_by_external_source: true`, which makes Lightspeed
 * the source of truth and locks manual stock edits in the control panel.
 */
import { z } from 'zod';
import { checkRequest, type BigCommerceHttp } from './http';
import { collectPages, iteratePages, type Page } from './paging';
import { locationCreateSchema, locationSchema, locationUpdateSchema, transactionSchema, v3Page, type Location, type LocationCreate, type LocationUpdate } from './schemas';

export const LOCATIONS_PAGE_LIMIT = 250;

export type LocationFilters = {
  'location_id:in'?: readonly number[];
  'location_code:in'?: readonly string[];
  is_default?: boolean;
  'type_id:in'?: readonly ('PHYSICAL' | 'VIRTUAL')[];
  managed_by_external_source?: boolean;
  is_active?: boolean;
  page?: number;
  limit?: number;
};

const locationPage = v3Page(locationSchema);

export function createLocationsApi(http: BigCommerceHttp) {
  const list = async (filters: LocationFilters = {}): Promise<Page<Location>> => {
    const result = await http.request({ method: 'GET', path: '/v3/inventory/locations', query: filters, schema: locationPage });
    return { data: result.data, pagination: result.meta?.pagination };
  };

  return {
    list,
    listAll(filters: Omit<LocationFilters, 'page' | 'limit'> = {}): Promise<Location[]> {
      return collectPages(iteratePages((page) => list({ ...filters, page, limit: LOCATIONS_PAGE_LIMIT }), LOCATIONS_PAGE_LIMIT));
    },
    /**
     * `POST /v3/inventory/locations`. Retrying is harmless only when every location has a `code`
     * (codes are unique, so a repeat is refused instead of duplicating), so only then is it retried.
     */
    async create(locations: readonly LocationCreate[]): Promise<{ transactionId: string }> {
      const path = '/v3/inventory/locations';
      const body = checkRequest(z.array(locationCreateSchema).min(1), locations, 'POST', path);
      const idempotent = body.every((l) => l.code !== undefined);
      const result = await http.request({ method: 'POST', path, body, schema: transactionSchema, idempotent });
      return { transactionId: result.transaction_id };
    },
    /** `PUT /v3/inventory/locations`: each entry names its `id`. */
    async update(locations: readonly LocationUpdate[]): Promise<{ transactionId: string }> {
      const path = '/v3/inventory/locations';
      const body = checkRequest(z.array(locationUpdateSchema).min(1), locations, 'PUT', path);
      const result = await http.request({ method: 'PUT', path, body, schema: transactionSchema });
      return { transactionId: result.transaction_id };
    },
  };
}

export type LocationsApi = ReturnType<typeof createLocationsApi>;
