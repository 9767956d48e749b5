/**
 * zod schemas for the 2026-07 API responses (`specs/lightspeed/x-series-2026-07.openapi.json`),
 * each transforming the raw payload into the app type from `types.ts`. Unknown fields are
 * dropped, never rejected: Lightspeed adds fields without a new API version. Fields the spec
 * marks required but the app does not need are read leniently, so a change elsewhere in a
 * record does not stop a sync.
 */
import { z } from 'zod';
import type {
  Consignment,
  Fulfillment,
  InventoryRecord,
  LightspeedUser,
  Outlet,
  PaymentType,
  Product,
  Register,
  Sale,
  StockAdjustment,
  Tax,
  VariantAttribute,
  WebhookSubscription,
} from './types';

const str = z.string().nullish().transform((v) => v ?? null);
/** Lightspeed sends some numbers as decimal strings (`"4.00"`, quantities in fulfilments). */
export const numeric = z.union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);
const optNum = numeric.nullish().transform((v) => v ?? null);
const version = z.number().int();

export const webhookTypeSchema = z.enum(['sale.update', 'product.update', 'customer.update', 'inventory.update', 'register_closure.create', 'consignment.send', 'consignment.receive']);

/** `{ data: [...], version: { min, max } }`, the 2.0-style collection. */
export function collection<T>(item: z.ZodType<T>) {
  return z
    .object({
      data: z.array(item).nullish(),
      version: z.object({ min: z.number().nullable(), max: z.number().nullable() }).nullish(),
    })
    .transform((v) => ({ items: v.data ?? [], max: v.version?.max ?? null }));
}

/** `{ data: item }`. */
export function single<T>(item: z.ZodType<T>) {
  return z.object({ data: item }).transform((v) => v.data);
}

export const outletSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    time_zone: str,
    currency: str,
    display_prices: z.enum(['inclusive', 'exclusive']).nullish(),
    default_tax_id: str,
    email: str,
    phone: str,
    physical_address_1: str,
    physical_address_2: str,
    physical_suburb: str,
    physical_city: str,
    physical_postcode: str,
    physical_state: str,
    physical_country_id: str,
    latitude: optNum,
    longitude: optNum,
    deleted_at: str,
    version,
  })
  .transform(
    (o): Outlet => ({
      id: o.id,
      name: o.name,
      timeZone: o.time_zone,
      currency: o.currency,
      displayPrices: o.display_prices ?? null,
      defaultTaxId: o.default_tax_id,
      email: o.email,
      phone: o.phone,
      address: {
        line1: o.physical_address_1,
        line2: o.physical_address_2,
        suburb: o.physical_suburb,
        city: o.physical_city,
        postcode: o.physical_postcode,
        state: o.physical_state,
        countryId: o.physical_country_id,
      },
      latitude: o.latitude,
      longitude: o.longitude,
      deletedAt: o.deleted_at,
      version: o.version,
    }),
  );

export const registerSchema = z
  .object({
    id: z.string(),
    name: z.string().nullish(),
    outlet_id: z.string(),
    is_open: z.boolean().nullish(),
    deleted_at: str,
    version: version.nullish(),
  })
  .transform(
    (r): Register => ({ id: r.id, name: r.name ?? '', outletId: r.outlet_id, isOpen: r.is_open ?? false, deletedAt: r.deleted_at, version: r.version ?? 0 }),
  );

export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    display_name: str,
    account_type: z.string(),
    restricted_outlet_ids: z.array(z.string()).nullish(),
    restricted_outlet_id: str,
    deleted_at: str,
    version,
  })
  .transform(
    (u): LightspeedUser => ({
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      accountType: u.account_type,
      restrictedOutletIds: u.restricted_outlet_ids ?? (u.restricted_outlet_id ? [u.restricted_outlet_id] : []),
      deletedAt: u.deleted_at,
      version: u.version,
    }),
  );

export const paymentTypeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type_id: z.number().int().nullish(),
    disabled: z.boolean().nullish(),
    internal: z.boolean().nullish(),
    outlet_ids: z.array(z.string()).nullish(),
    deleted_at: str,
    version,
  })
  .transform(
    (p): PaymentType => ({
      id: p.id,
      name: p.name,
      typeId: p.type_id ?? null,
      disabled: p.disabled ?? false,
      internal: p.internal ?? false,
      outletIds: p.outlet_ids ?? null,
      deletedAt: p.deleted_at,
      version: p.version,
    }),
  );

/** `GET /taxes` (TaxCollection): a sale line needs a tax id, "No Tax" included. */
export const taxSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    display_name: str,
    is_default: z.boolean().nullish(),
    rates: z.array(z.object({ id: str, name: str, rate: optNum })).nullish(),
    deleted_at: str,
    version,
  })
  .transform(
    (t): Tax => ({
      id: t.id,
      name: t.display_name ?? t.name,
      isDefault: t.is_default ?? false,
      // A tax made of several rates (e.g. state + county) applies their sum.
      rate: (t.rates ?? []).reduce((sum, r) => sum + (r.rate ?? 0), 0),
      deletedAt: t.deleted_at,
      version: t.version,
    }),
  );

const productCodeType = z.enum(['CUSTOM', 'EAN', 'ISBN', 'ITF', 'JAN', 'UPC']);

export const productSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    sku: z.string(),
    handle: str,
    active: z.boolean(),
    has_inventory: z.boolean(),
    has_variants: z.boolean().nullish(),
    is_composite: z.boolean().nullish(),
    family_id: str,
    variant_parent_id: str,
    variant_name: str,
    variant_options: z.array(z.object({ name: z.string().nullish(), value: z.string().nullish() })).nullish(),
    price_excluding_tax: optNum,
    price_including_tax: optNum,
    supply_price: optNum,
    product_codes: z.array(z.object({ type: productCodeType.nullish(), code: z.string() })).nullish(),
    brand: z.object({ name: z.string().nullish() }).nullish(),
    type: z.object({ name: z.string().nullish() }).nullish(),
    categories: z.array(z.object({ name: z.string().nullish() })).nullish(),
    source_id: str,
    source_variant_id: str,
    deleted_at: str,
    updated_at: str,
    version,
  })
  .transform(
    (p): Product => ({
      id: p.id,
      name: p.name,
      sku: p.sku,
      handle: p.handle,
      active: p.active,
      tracksInventory: p.has_inventory,
      hasVariants: p.has_variants ?? false,
      isComposite: p.is_composite ?? false,
      familyId: p.family_id,
      variantParentId: p.variant_parent_id,
      variantName: p.variant_name,
      variantOptions: (p.variant_options ?? []).map((o) => ({ name: o.name ?? '', value: o.value ?? '' })),
      priceExcludingTax: p.price_excluding_tax,
      priceIncludingTax: p.price_including_tax,
      supplyPrice: p.supply_price,
      productCodes: (p.product_codes ?? []).map((c) => ({ type: c.type ?? null, code: c.code })),
      // Present only when Lightspeed sent them (list and get responses do).
      ...(p.brand !== undefined ? { brand: p.brand?.name ?? null } : {}),
      ...(p.type !== undefined ? { productType: p.type?.name ?? null } : {}),
      ...(p.categories !== undefined ? { tags: (p.categories ?? []).flatMap((c) => (c.name ? [c.name] : [])) } : {}),
      sourceId: p.source_id,
      sourceVariantId: p.source_variant_id,
      deletedAt: p.deleted_at,
      updatedAt: p.updated_at,
      version: p.version,
    }),
  );

export const variantAttributeSchema = z
  .object({ id: z.string(), name: z.string().nullish(), deleted_at: str })
  .transform((a): VariantAttribute => ({ id: a.id, name: a.name ?? '', deletedAt: a.deleted_at }));

/** `POST /inventory` and `GET /inventory/{product_id}` answer a bare array, not `{data}`. */
export const inventorySchema = z
  .object({
    id: z.string(),
    product_id: z.string(),
    outlet_id: z.string(),
    current_inventory_level: optNum,
    average_cost: optNum,
    reorder_point: optNum,
    reorder_amount: optNum,
    deleted_at: str,
    version,
  })
  .transform(
    (i): InventoryRecord => ({
      id: i.id,
      productId: i.product_id,
      outletId: i.outlet_id,
      onHand: i.current_inventory_level ?? 0,
      averageCost: i.average_cost,
      reorderPoint: i.reorder_point,
      reorderAmount: i.reorder_amount,
      deletedAt: i.deleted_at,
      version: i.version,
    }),
  );

export const saleSchema = z
  .object({
    id: z.string(),
    state: z.enum(['parked', 'pending', 'voided', 'closed']).nullish(),
    invoice_number: str,
    receipt_number: str,
    date: str,
    customer_id: str,
    note: str,
    source: z
      .object({ id: str, type: str, outlet_id: str, register_id: str })
      .nullish(),
    line_items: z
      .array(
        z.object({
          id: str,
          product: z.object({ id: str }).nullish(),
          quantity: optNum,
          pricing: z.object({ price: optNum }).nullish(),
          tax: z.object({ id: str, amount: optNum }).nullish(),
          status: str,
          return: z.object({ is_return: z.boolean().nullish() }).nullish(),
        }),
      )
      .nullish(),
    payments: z.array(z.object({ id: str, amount: optNum, type: z.object({ config_id: str }).nullish() })).nullish(),
    totals: z.object({ price_incl_tax: optNum, tax: optNum }).nullish(),
    return: z.object({ original_sale_id: str, return_sale_ids: z.array(z.string()).nullish() }).nullish(),
    _metadata: z.object({ version: z.number().int().nullish() }).nullish(),
  })
  .transform(
    (s): Sale => ({
      id: s.id,
      state: s.state ?? null,
      invoiceNumber: s.invoice_number,
      receiptNumber: s.receipt_number,
      date: s.date,
      customerId: s.customer_id,
      note: s.note,
      sourceId: s.source?.id ?? null,
      sourceType: s.source?.type ?? null,
      outletId: s.source?.outlet_id ?? null,
      registerId: s.source?.register_id ?? null,
      lineItems: (s.line_items ?? []).map((l) => ({
        id: l.id,
        productId: l.product?.id ?? null,
        quantity: l.quantity ?? 0,
        price: l.pricing?.price ?? null,
        taxId: l.tax?.id ?? null,
        tax: l.tax?.amount ?? null,
        status: l.status,
        isReturn: l.return?.is_return ?? false,
      })),
      payments: (s.payments ?? []).map((p) => ({ id: p.id, paymentTypeId: p.type?.config_id ?? null, amount: p.amount ?? 0 })),
      totalIncludingTax: s.totals?.price_incl_tax ?? null,
      totalTax: s.totals?.tax ?? null,
      originalSaleId: s.return?.original_sale_id ?? null,
      returnSaleIds: s.return?.return_sale_ids ?? [],
      version: s._metadata?.version ?? null,
    }),
  );

export const fulfillmentSchema = z
  .object({
    id: z.string(),
    sale_id: z.string(),
    outlet_id: z.string(),
    type: z.enum(['PICKUP', 'DISPATCH', 'SERVICE']),
    state: z.enum(['OPEN', 'STARTED', 'PICKED', 'PACKED', 'FULFILLED']),
    note: z.string().nullish(),
    line_items: z
      .array(z.object({ sale_line_item_id: z.string(), product_id: z.string(), quantity: numeric, fulfilled_quantity: numeric.nullish() }))
      .nullish(),
    version: z.number().int(),
  })
  .transform(
    (f): Fulfillment => ({
      id: f.id,
      saleId: f.sale_id,
      outletId: f.outlet_id,
      type: f.type,
      state: f.state,
      note: f.note ?? null,
      lineItems: (f.line_items ?? []).map((l) => ({
        saleLineItemId: l.sale_line_item_id,
        productId: l.product_id,
        quantity: l.quantity,
        fulfilledQuantity: l.fulfilled_quantity ?? 0,
      })),
      version: f.version,
    }),
  );

export const stockAdjustmentReasonSchema = z.enum(['DAMAGE', 'EXPIRY', 'INTERNAL_USE', 'THEFT', 'DONATION', 'STOCK_FOUND', 'SAMPLE_FOR_SALE', 'CUSTOM']);

export const stockAdjustmentSchema = z
  .object({
    id: z.string(),
    product_id: z.string(),
    outlet_id: z.string(),
    quantity: numeric,
    reason: stockAdjustmentReasonSchema,
    user_id: str,
    created_at: str,
    version,
  })
  .transform(
    (a): StockAdjustment => ({
      id: a.id,
      productId: a.product_id,
      outletId: a.outlet_id,
      quantity: a.quantity,
      reason: a.reason,
      userId: a.user_id,
      createdAt: a.created_at,
      version: a.version,
    }),
  );

export const consignmentSchema = z
  .object({
    id: z.string(),
    name: z.string().nullish(),
    type: z.enum(['SUPPLIER', 'OUTLET', 'STOCKTAKE', 'RETURN']),
    status: z
      .enum(['OPEN', 'SENT', 'DISPATCHED', 'RECEIVED', 'STOCKTAKE_IN_PROGRESS', 'STOCKTAKE_SCHEDULED', 'STOCKTAKE_IN_PROGRESS_PROCESSED', 'STOCKTAKE_COMPLETE', 'CLOSED', 'CANCELLED'])
      .nullish(),
    outlet_id: z.string(),
    source_outlet_id: str,
    supplier_id: str,
    reference: str,
    version: version.nullish(),
  })
  .transform(
    (c): Consignment => ({
      id: c.id,
      name: c.name ?? '',
      type: c.type,
      status: c.status ?? null,
      outletId: c.outlet_id,
      sourceOutletId: c.source_outlet_id,
      supplierId: c.supplier_id,
      reference: c.reference,
      version: c.version ?? null,
    }),
  );

export const webhookSubscriptionSchema = z
  .object({ id: z.string(), url: z.string(), active: z.boolean().nullish(), type: webhookTypeSchema })
  .transform((w): WebhookSubscription => ({ id: w.id, url: w.url, active: w.active ?? true, type: w.type }));
