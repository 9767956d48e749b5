/**
 * Stock changes that are not sales. Stock adjustments are signed deltas (`POST
 * /stock_adjustments`, 1–1000 per request); they are not repeatable, so a batch is never
 * retried blindly and a failure part-way says how far it got. Consignments model supplier
 * orders, transfers, returns and stocktakes; their lines go in through `/bulk`, for which the
 * spec advises at most 500 products per request.
 */
import { z } from 'zod';
import { LightspeedBatchError } from '../errors';
import type { LightspeedTransport } from '../http';
import { chunk } from '../chunk';
import { consignmentSchema, single, stockAdjustmentSchema } from '../schemas';
import type { Consignment, ConsignmentLine, ConsignmentStatus, ConsignmentType, NewStockAdjustment, Page, StockAdjustment } from '../types';
import { getVersionPage, orNull, type VersionPageOptions } from './common';

export const STOCK_ADJUSTMENTS_PER_REQUEST = 1000;
export const CONSIGNMENT_LINES_PER_REQUEST = 500;

export interface NewConsignment {
  name: string;
  /** Where stock is received (or counted). */
  outletId: string;
  type: ConsignmentType;
  status?: ConsignmentStatus;
  /** Transfers only: where stock comes from. */
  sourceOutletId?: string;
  supplierId?: string;
  reference?: string;
}

export function stockEndpoints(transport: LightspeedTransport) {
  const stockAdjustments = {
    /** `POST /stock_adjustments`, in ⌈n/1000⌉ requests; results in input order. */
    create: async (adjustments: readonly NewStockAdjustment[]): Promise<StockAdjustment[]> => {
      const created: StockAdjustment[] = [];
      for (const batch of chunk(adjustments, STOCK_ADJUSTMENTS_PER_REQUEST)) {
        try {
          const { data } = await transport.request({
            method: 'POST',
            path: '/stock_adjustments',
            body: { stock_adjustments: batch.map(stockAdjustmentBody) },
            schema: z.object({ data: z.array(stockAdjustmentSchema) }),
            idempotent: false,
          });
          created.push(...data.data);
        } catch (error) {
          throw new LightspeedBatchError(created.length, adjustments.length, { cause: error });
        }
      }
      return created;
    },
    /** `GET /stock_adjustments` (page_size ≤ 1000). */
    list: (options?: Omit<VersionPageOptions, 'deleted'>): Promise<Page<StockAdjustment>> => getVersionPage(transport, '/stock_adjustments', stockAdjustmentSchema, options),
  };

  const consignments = {
    /** `POST /consignments {data: {...}}`. Not repeatable. */
    create: async (input: NewConsignment): Promise<Consignment> => {
      const { data } = await transport.request({ method: 'POST', path: '/consignments', body: { data: consignmentBody(input) }, schema: single(consignmentSchema), idempotent: false });
      return data;
    },
    /** `GET /consignments/{consignment_id}` */
    get: (id: string): Promise<Consignment | null> =>
      orNull(transport.request({ method: 'GET', path: '/consignments/{consignment_id}', params: { consignment_id: id }, schema: single(consignmentSchema) }).then((r) => r.data)),
    /** `PUT /consignments/{consignment_id}`: moves it along its workflow (e.g. OPEN → SENT → RECEIVED). */
    update: async (id: string, input: NewConsignment): Promise<Consignment> => {
      const { data } = await transport.request({
        method: 'PUT',
        path: '/consignments/{consignment_id}',
        params: { consignment_id: id },
        body: { data: consignmentBody(input) },
        schema: single(consignmentSchema),
      });
      return data;
    },
    /**
     * `POST /consignments/{consignment_id}/bulk`, ⌈n/500⌉ requests. Counts accumulate on
     * OPEN/SENT supplier orders, so this is not repeatable either.
     */
    addLines: async (id: string, lines: readonly ConsignmentLine[]): Promise<void> => {
      let done = 0;
      for (const batch of chunk(lines, CONSIGNMENT_LINES_PER_REQUEST)) {
        try {
          await transport.request({
            method: 'POST',
            path: '/consignments/{consignment_id}/bulk',
            params: { consignment_id: id },
            body: batch.map(consignmentLineBody),
            schema: z.unknown(),
            idempotent: false,
          });
        } catch (error) {
          throw new LightspeedBatchError(done, lines.length, { cause: error });
        }
        done += batch.length;
      }
    },
  };

  return { stockAdjustments, consignments };
}

function stockAdjustmentBody(a: NewStockAdjustment): Record<string, unknown> {
  if (!Number.isFinite(a.quantity) || a.quantity === 0) throw new Error(`stock adjustment quantity must be a non-zero number, got ${a.quantity}`);
  return {
    product_id: a.productId,
    outlet_id: a.outletId,
    // The spec wants a numeric string (e.g. "-3").
    quantity: String(a.quantity),
    reason: a.reason,
    ...(a.customReasonId ? { custom_inventory_adjustment_reason_id: a.customReasonId } : {}),
  };
}

function consignmentBody(c: NewConsignment): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({
      name: c.name,
      outlet_id: c.outletId,
      type: c.type,
      status: c.status,
      source_outlet_id: c.sourceOutletId,
      supplier_id: c.supplierId,
      reference: c.reference,
    }).filter(([, v]) => v !== undefined),
  );
}

function consignmentLineBody(line: ConsignmentLine): Record<string, unknown> {
  if (line.count === undefined && line.received === undefined) throw new Error(`consignment line for ${line.productId} needs count or received`);
  return {
    product_id: line.productId,
    ...(line.count !== undefined ? { count: String(line.count) } : {}),
    ...(line.received !== undefined ? { received: String(line.received) } : {}),
    ...(line.cost !== undefined ? { cost: String(line.cost) } : {}),
  };
}
