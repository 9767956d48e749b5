/**
 * Sales and their fulfilment (2026-07). A BigCommerce order becomes `POST /sales` with a
 * fulfilling outlet and DISPATCH/PICKUP per line; shipping or pickup completes it through
 * `/fulfillments`. There is no void endpoint: voiding is `PUT /sales/{id}` with
 * `state: "voided"`. Returns start with `POST /sales/{id}/actions/return`, which creates a
 * SAVED return sale that is then completed with `PUT`.
 */
import { z } from 'zod';
import { LightspeedApiError } from '../errors';
import type { LightspeedTransport } from '../http';
import { fulfillmentSchema, saleSchema, single } from '../schemas';
import type { Fulfillment, FulfillmentState, NewSale, Sale } from '../types';
import { getVersionPage, orNull, type VersionPageOptions } from './common';
import { iteratePages } from '../paging';
import type { Page } from '../types';

export interface FulfillmentQuery {
  saleIds?: readonly string[];
  outletIds?: readonly string[];
  types?: readonly ('PICKUP' | 'DISPATCH' | 'SERVICE')[];
  states?: readonly FulfillmentState[];
  /** 1-based. */
  page?: number;
  /** 1–100, default 10 (Lightspeed's). */
  pageSize?: number;
}

export function saleEndpoints(transport: LightspeedTransport) {
  const sales = {
    /** `GET /sales?after&page_size`: sales changed after a version (the poller's cursor). */
    list: (options?: VersionPageOptions): Promise<Page<Sale>> => getVersionPage(transport, '/sales', saleSchema, options),
    /** Every sale after `after`, as an async iterator. */
    iterate: (options?: VersionPageOptions): AsyncGenerator<Sale> => iteratePages((after) => sales.list({ ...options, after }), options?.after),

    /**
     * `POST /sales`. With `sale.id` set the request is repeatable (the id is the sale's), so
     * it is retried after a lost answer; without it a lost answer throws `maybeProcessed`.
     * A repeat whose first attempt did land meets a sale that already has the id: a 409, or a
     * 422 when staff have already closed it at the register in between (a POST with an id
     * updates that sale, and a closed sale cannot be changed). Either way it is the sale we
     * meant to book, so it is read back and returned, marked `existing`, instead of failing;
     * what happened to it since is the caller's to follow. The same holds when a later job run
     * repeats the create.
     */
    create: async (sale: NewSale): Promise<Sale & { existing?: true }> => {
      try {
        const { data } = await transport.request({ method: 'POST', path: '/sales', body: saleRequestBody(sale), schema: single(saleSchema), idempotent: sale.id !== undefined });
        return data;
      } catch (error) {
        if (sale.id === undefined || !(error instanceof LightspeedApiError) || (error.status !== 409 && error.status !== 422)) throw error;
        const existing = await sales.get(sale.id);
        // Only our own earlier attempt counts: a different sale under this id is a real conflict.
        if (!existing || (sale.sourceId !== undefined && existing.sourceId !== sale.sourceId)) throw error;
        return { ...existing, existing: true };
      }
    },

    /** `GET /sales/{sale_id}`; null when it does not exist. */
    get: (id: string): Promise<Sale | null> =>
      orNull(transport.request({ method: 'GET', path: '/sales/{sale_id}', params: { sale_id: id }, schema: single(saleSchema) }).then((r) => r.data)),

    /** `PUT /sales/{sale_id}`: line items carrying `id` are updated, others added. */
    update: async (id: string, sale: Omit<NewSale, 'id'>): Promise<Sale> => {
      const { data } = await transport.request({ method: 'PUT', path: '/sales/{sale_id}', params: { sale_id: id }, body: saleRequestBody(sale), schema: single(saleSchema) });
      return data;
    },

    /** `PUT /sales/{sale_id}` with `state: "voided"` (the spec's `source.author_id` and `state` are required). */
    void: async (id: string, input: { authorId: string }): Promise<Sale> => {
      const { data } = await transport.request({
        method: 'PUT',
        path: '/sales/{sale_id}',
        params: { sale_id: id },
        body: { source: { author_id: input.authorId }, state: 'voided' },
        schema: single(saleSchema),
      });
      return data;
    },

    /** `POST /sales/{sale_id}/actions/return`: creates the SAVED return sale for a closed sale. Not repeatable. */
    startReturn: async (id: string): Promise<Sale> => {
      const { data } = await transport.request({ method: 'POST', path: '/sales/{sale_id}/actions/return', params: { sale_id: id }, schema: single(saleSchema), idempotent: false });
      return data;
    },
  };

  const fulfillments = {
    /** `GET /fulfillments` (page-numbered, not version-cursored). */
    list: async (query: FulfillmentQuery = {}): Promise<Fulfillment[]> => {
      const { data } = await transport.request({
        method: 'GET',
        path: '/fulfillments',
        query: {
          sale_id: query.saleIds,
          outlet_id: query.outletIds,
          fulfillment_type: query.types,
          fulfillment_state: query.states,
          page_number: query.page,
          page_size: query.pageSize,
        },
        schema: z.object({ data: z.array(fulfillmentSchema).nullish() }),
      });
      return data.data ?? [];
    },

    /** `POST /fulfillments/fulfill {sale_id}`: completes every fulfilment of the sale. Idempotent per the spec. */
    fulfillSale: async (saleId: string): Promise<{ id: string; version: number | null }[]> => {
      const { data } = await transport.request({
        method: 'POST',
        path: '/fulfillments/fulfill',
        body: { sale_id: saleId },
        schema: z.object({ data: z.array(z.object({ id: z.string(), version: z.number().int().nullish() })).nullish() }),
        idempotent: true,
      });
      return (data.data ?? []).map((f) => ({ id: f.id, version: f.version ?? null }));
    },

    /**
     * `POST /fulfillments/{fulfillment_id}/fulfill`: fulfils some lines (a partial shipment).
     * `version` is the fulfilment's current version (optimistic lock; 409 when stale).
     */
    fulfillLines: async (
      fulfillmentId: string,
      input: { version: number; lines: readonly { saleLineItemId: string; quantity: number }[] },
    ): Promise<{ id: string; version: number | null }> => {
      const { data } = await transport.request({
        method: 'POST',
        path: '/fulfillments/{fulfillment_id}/fulfill',
        params: { fulfillment_id: fulfillmentId },
        body: { version: input.version, line_items: input.lines.map((l) => ({ sale_line_item_id: l.saleLineItemId, quantity: l.quantity })) },
        schema: z.object({ data: z.object({ id: z.string(), version: z.number().int().nullish() }) }),
        idempotent: true,
      });
      return { id: data.data.id, version: data.data.version ?? null };
    },
  };

  return { sales, fulfillments };
}

/** `SaleRequest` as the spec spells it: note `fulfillment_outlet_id` on the sale but `fulfilment_outlet_id` on a line. */
export function saleRequestBody(sale: Omit<NewSale, 'id'> & { id?: string }): Record<string, unknown> {
  return dropUndefined({
    id: sale.id,
    source: dropUndefined({ author_id: sale.authorId, register_id: sale.registerId, id: sale.sourceId, type: sale.sourceType }),
    state: sale.state,
    date: sale.date,
    customer_id: sale.customerId,
    invoice_number: sale.invoiceNumber,
    note: sale.note,
    attributes: sale.attributes,
    fulfillment_outlet_id: sale.fulfillmentOutletId,
    fulfillment_details: sale.fulfillmentDetails?.map((d) => dropUndefined({ type: d.type, note: d.note, shipping_address_id: d.shippingAddressId })),
    line_items: sale.lineItems.map((line) =>
      dropUndefined({
        id: line.id,
        product: { id: line.productId },
        quantity: line.quantity,
        pricing: dropUndefined({ price: line.price, cost: line.cost, discount: line.discount }),
        tax: { id: line.taxId, amount: line.taxAmount },
        fulfilment_outlet_id: line.fulfillmentOutletId,
        status: line.status,
        attributes: line.note === undefined ? undefined : [{ name: 'line_note', value: line.note }],
        _metadata:
          line.fulfillmentMethod === undefined && line.sequence === undefined && line.isPriceOverride === undefined
            ? undefined
            : dropUndefined({ fulfillment_method: line.fulfillmentMethod, sequence: line.sequence, is_price_override: line.isPriceOverride }),
      }),
    ),
    payments: sale.payments?.map((p) =>
      dropUndefined({ id: p.id, amount: p.amount, date: p.date, type: { config_id: p.paymentTypeId }, source: p.registerId ? { register_id: p.registerId } : undefined }),
    ),
  });
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
