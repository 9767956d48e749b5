/**
 * Request bodies the sandbox accepts, validated with zod to the 2026-07 contract
 * (components.schemas.*). Strictness mirrors the spec: where it says additionalProperties:false
 * (stock adjustments) unknown keys are rejected; elsewhere they are ignored.
 */
import { z } from 'zod';
import { CONSIGNMENT_STATUSES, CONSIGNMENT_TYPES, STOCK_ADJUSTMENT_REASONS, WEBHOOK_TYPES } from './types';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

export const webhookRequest = z.object({
  active: z.boolean(),
  type: z.enum(WEBHOOK_TYPES),
  url: z.string().min(3),
});

/** CreateStockAdjustmentsRequest: 1–1000 items, no additional properties. */
export const stockAdjustmentsRequest = z.strictObject({
  stock_adjustments: z
    .array(
      z.strictObject({
        product_id: uuid,
        outlet_id: uuid,
        quantity: z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a signed numeric string'),
        reason: z.enum(STOCK_ADJUSTMENT_REASONS),
        custom_inventory_adjustment_reason_id: uuid.optional(),
      }),
    )
    .min(1)
    .max(1000),
});

/** InventoryRequest (POST /inventory). */
export const inventoryListRequest = z.object({
  after: z.number().int().nonnegative().optional(),
  before: z.number().int().nonnegative().optional(),
  size: z.number().int().min(1).max(5000).optional(),
  product_id: uuid.optional(),
  variants: z.boolean().optional(),
  include_deleted: z.boolean().optional(),
  sort_direction: z.enum(['asc', 'desc']).optional(),
});

const lineItem = z.object({
  id: uuid.optional(),
  product: z.object({ id: uuid }),
  quantity: z.number(),
  pricing: z.object({
    price: z.number(),
    cost: z.number().optional(),
    discount: z.number().optional(),
    loyalty_amount: z.number().optional(),
  }),
  tax: z.object({ id: uuid, amount: z.number() }),
  fulfilment_outlet_id: uuid.optional(),
  status: z.string().optional(),
  _metadata: z
    .object({
      fulfillment_method: z.enum(['DISPATCH', 'PICKUP']).optional(),
      sequence: z.number().int().optional(),
      is_price_override: z.boolean().optional(),
    })
    .optional(),
});

/** SaleRequestBase (POST /sales, PUT /sales/{id}). */
export const saleRequest = z.object({
  id: uuid.optional(),
  state: z.enum(['parked', 'pending', 'voided', 'closed']),
  attributes: z.array(z.string()).optional(),
  source: z.object({
    author_id: uuid,
    id: z.string().optional(),
    register_id: uuid.optional(),
    type: z.string().optional(),
  }),
  date: z.string().optional(),
  customer_id: uuid.optional(),
  invoice_number: z.string().optional(),
  short_code: z.string().optional(),
  note: z.string().optional(),
  fulfillment_outlet_id: uuid.optional(),
  fulfillment_details: z
    .array(
      z.object({
        type: z.enum(['DISPATCH', 'PICKUP']),
        note: z.string().optional(),
        shipping_address_id: z.string().nullable().optional(),
      }),
    )
    .optional(),
  line_items: z.array(lineItem).default([]),
  payments: z
    .array(
      z.object({
        id: uuid.optional(),
        amount: z.number(),
        date: z.string().optional(),
        type: z.object({ config_id: uuid }),
        source: z.object({ register_id: uuid.optional() }).optional(),
      }),
    )
    .default([]),
});
export type SaleRequest = z.infer<typeof saleRequest>;

export const fulfilSaleRequest = z.object({ sale_id: uuid });
/** FulfillLineItemsRequest (POST /fulfillments/{id}/fulfill). */
export const fulfilLinesRequest = z.object({
  version: z.number().int(),
  line_items: z
    .array(
      z
        .object({
          sale_line_item_id: uuid,
          quantity: z.number(),
          // FulfillLineItemSourceBreakdown: "all three fields are required and must sum to the parent quantity".
          source_breakdown: z
            .object({ quantity_from_picked: z.number(), quantity_from_packed: z.number(), quantity_from_not_started: z.number() })
            .optional(),
        })
        .refine(
          (l) => !l.source_breakdown || l.source_breakdown.quantity_from_picked + l.source_breakdown.quantity_from_packed + l.source_breakdown.quantity_from_not_started === l.quantity,
          { message: 'source_breakdown must sum to quantity', path: ['source_breakdown'] },
        ),
    )
    .min(1),
});
export const fulfil20Request = z.object({ fulfillment_type: z.enum(['SHIPPED', 'PICKED_UP']).optional() });

const consignment = z.object({
  name: z.string().min(1),
  type: z.enum(CONSIGNMENT_TYPES),
  outlet_id: uuid,
  status: z.enum(CONSIGNMENT_STATUSES).optional(),
  source_outlet_id: uuid.nullable().optional(),
  supplier_id: uuid.nullable().optional(),
  reference: z.string().nullable().optional(),
  consignment_date: z.string().nullable().optional(),
  due_at: z.string().nullable().optional(),
});
export const consignmentRequest = z.object({ data: consignment });

const decimal = z
  .union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()])
  .nullable()
  .optional()
  .transform((v) => (v === undefined ? undefined : v === null ? null : Number(v)));

const consignmentProduct = z.object({
  product_id: uuid,
  count: decimal,
  received: decimal,
  cost: decimal,
});
export const consignmentProductRequest = z.object({ data: consignmentProduct });
export const consignmentBulkRequest = z.array(consignmentProduct).min(1);

/** ProductUpdate21Request (PUT /products/{id}): the fields the sandbox models. */
export const productUpdateRequest = z.object({
  common: z
    .object({
      name: z.string().min(1).optional(),
      description: z.string().optional(),
      brand_id: uuid.optional(),
      tag_ids: z.array(uuid).optional(),
      track_inventory: z.boolean().optional(),
    })
    .optional(),
  details: z
    .object({
      is_active: z.boolean().optional(),
      price_excluding_tax: z.number().nonnegative().optional(),
      product_codes: z.array(z.object({ code: z.string().min(1), type: z.enum(['CUSTOM', 'EAN', 'ISBN', 'ITF', 'JAN', 'UPC']).optional() })).optional(),
      product_suppliers: z.array(z.object({ price: z.number().optional(), supplier_id: z.string().optional(), code: z.string().optional() })).optional(),
      inventory: z
        .array(z.object({ outlet_id: uuid, current_amount: z.number().optional(), reorder_point: z.number().optional(), reorder_amount: z.number().optional() }))
        .optional(),
    })
    .optional(),
});

export function formatIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
