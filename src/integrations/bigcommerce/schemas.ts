/**
 * zod contracts for the BigCommerce resources the sync touches, field by field from the
 * official OpenAPI specs in shared/specs/bigcommerce/ (file and schema named on each block).
 *
 * Responses: unknown extra fields are allowed (and dropped), so BigCommerce adding a field never
 * breaks a sync; a field we rely on that is missing or mistyped fails loudly. Fields the spec marks
 * required are required; so are the fields BigCommerce always returns and the sync reads.
 * Requests: checked before sending, with the spec's required fields and documented limits.
 */
import { z } from 'zod';

const int = () => z.number().int();
const nonNegativeInt = () => z.number().int().min(0);
/** Stock and levels: "Max 2,147,483,647" (inventory.v3.yml, products_catalog.v3.yml). */
const MAX_STOCK = 2_147_483_647;

// ---------------------------------------------------------------------------------------------
// Envelopes (products_catalog.v3.yml `metaCollection_Full`, `pagination_Full`)

export const paginationSchema = z.object({
  total: nonNegativeInt(),
  count: nonNegativeInt(),
  per_page: nonNegativeInt(),
  current_page: nonNegativeInt(),
  total_pages: nonNegativeInt(),
});
export type Pagination = z.output<typeof paginationSchema>;

/** A v3 page: `{ data: [...], meta: { pagination } }`. */
export function v3Page<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    meta: z.object({ pagination: paginationSchema.optional() }).optional(),
  });
}

/** A v3 single resource: `{ data: {...}, meta: {} }`. */
export function v3Data<T extends z.ZodType>(item: T) {
  return z.object({ data: item });
}

/** v3 writes that answer 207 carry `errors` next to `data` (`errorMultiStatus`). */
export const multiStatusErrorsSchema = z.record(z.string(), z.unknown());

// ---------------------------------------------------------------------------------------------
// Catalog: variants (product-variants_catalog.v3.yml `productVariant_Full`, required sku/id/product_id)

export const variantOptionValueSchema = z.object({
  id: int(),
  option_id: int(),
  label: z.string(),
  option_display_name: z.string(),
});

export const variantSchema = z.object({
  id: int(),
  product_id: int(),
  sku: z.string(),
  sku_id: int().nullable().optional(),
  // null price fields mean "inherit the product's" (spec: nullable).
  price: z.number().nullable().optional(),
  cost_price: z.number().nullable().optional(),
  sale_price: z.number().nullable().optional(),
  retail_price: z.number().nullable().optional(),
  calculated_price: z.number().optional(),
  upc: z.string().nullable().optional(),
  gtin: z.string().nullable().optional(),
  mpn: z.string().nullable().optional(),
  inventory_level: int().nullable().optional(),
  inventory_warning_level: int().nullable().optional(),
  purchasing_disabled: z.boolean().optional(),
  option_values: z.array(variantOptionValueSchema),
});
export type Variant = z.output<typeof variantSchema>;

const variantPriceFields = {
  price: z.number().min(0).nullable().optional(),
  cost_price: z.number().min(0).nullable().optional(),
  sale_price: z.number().min(0).nullable().optional(),
  retail_price: z.number().min(0).nullable().optional(),
  weight: z.number().min(0).nullable().optional(),
  upc: z.string().max(14).optional(),
  gtin: z.string().max(14).optional(),
  mpn: z.string().optional(),
  inventory_warning_level: int().min(0).max(MAX_STOCK).nullable().optional(),
  purchasing_disabled: z.boolean().optional(),
  purchasing_disabled_message: z.string().max(255).optional(),
};

/**
 * A variant inside `POST /v3/catalog/products`. Callers give `sku` and `option_values` by display
 * name and label. The spec reuses `productVariant_Full` here, which marks `id` and `product_id`
 * required although neither exists before the product does; its own example
 * (`productVariant_Full.x-examples`) sends both as 0, so the wire body carries `id: 0` and
 * `product_id: 0` — the contract's validating proxy refuses a body without them.
 */
export const variantInProductCreateSchema = z
  .strictObject({
    sku: z.string().min(1).max(255),
    option_values: z
      .array(z.object({ option_display_name: z.string().min(1).max(255), label: z.string().min(1).max(255) }))
      .min(1),
    ...variantPriceFields,
  })
  .transform((variant) => ({ id: 0, product_id: 0, ...variant }));
export type VariantInProductCreate = z.input<typeof variantInProductCreateSchema>;

/** `PUT /v3/catalog/variants` item that updates a variant: `id` required (operation description). */
export const variantBatchUpdateSchema = z.strictObject({
  id: int(),
  sku: z.string().min(1).max(255).optional(),
  ...variantPriceFields,
});

/** `PUT /v3/catalog/variants` item that creates a variant: product_id, sku and option_values {id, option_id}. */
export const variantBatchCreateSchema = z.strictObject({
  product_id: int(),
  sku: z.string().min(1).max(255),
  option_values: z.array(z.object({ id: int(), option_id: int() })).min(1),
  ...variantPriceFields,
});

export const variantBatchItemSchema = z.union([variantBatchUpdateSchema, variantBatchCreateSchema]);
export type VariantBatchItem = z.input<typeof variantBatchItemSchema>;

// ---------------------------------------------------------------------------------------------
// Catalog: variant options (product-variant-options_catalog.v3.yml `productOption_Base`)

export const optionTypeSchema = z.enum(['radio_buttons', 'rectangles', 'dropdown', 'product_list', 'product_list_with_images', 'swatch']);

export const optionValueSchema = z.object({
  id: int(),
  label: z.string(),
  sort_order: int(),
  is_default: z.boolean().optional(),
});

export const optionSchema = z.object({
  id: int(),
  product_id: int(),
  display_name: z.string(),
  type: optionTypeSchema,
  sort_order: int().optional(),
  option_values: z.array(optionValueSchema),
});
export type ProductOption = z.output<typeof optionSchema>;

/** `productOptionOptionValue_Base`: label and sort_order required. */
const optionValueInputSchema = z.strictObject({
  id: int().optional(),
  label: z.string().min(1),
  sort_order: int(),
  is_default: z.boolean().optional(),
});

/** "Required Fields: display_name, type, option_values" (operation description). */
export const optionCreateSchema = z.strictObject({
  display_name: z.string().min(1).max(255),
  type: optionTypeSchema,
  sort_order: int().optional(),
  option_values: z.array(optionValueInputSchema).min(1),
});
export type ProductOptionCreate = z.input<typeof optionCreateSchema>;

export const optionUpdateSchema = optionCreateSchema.partial();
export type ProductOptionUpdate = z.input<typeof optionUpdateSchema>;

// ---------------------------------------------------------------------------------------------
// Catalog: product images and custom fields (products_catalog.v3.yml `productImage_Full`,
// `productImage_Post_Put`, `customFieldData`, `customFieldPost`). Both are merchant-owned: the
// sync reads them in tests and never writes them.

export const productImageSchema = z.object({
  id: int(),
  product_id: int(),
  is_thumbnail: z.boolean().optional(),
  sort_order: int().optional(),
  description: z.string().optional(),
  image_file: z.string().optional(),
  image_url: z.string().optional(),
  url_zoom: z.string().optional(),
  url_standard: z.string().optional(),
  url_thumbnail: z.string().optional(),
  url_tiny: z.string().optional(),
  date_modified: z.string().optional(),
});
export type ProductImage = z.output<typeof productImageSchema>;

/** JSON create by URL: `image_url` required ("fully qualified URL path, including protocol", 255 characters). */
export const productImageCreateSchema = z.strictObject({
  image_url: z.url({ protocol: /^https?$/ }).max(255),
  is_thumbnail: z.boolean().optional(),
  sort_order: int().min(-2_147_483_648).max(2_147_483_647).optional(),
  description: z.string().optional(),
});
export type ProductImageCreate = z.input<typeof productImageCreateSchema>;

export const customFieldSchema = z.object({
  id: int(),
  name: z.string(),
  value: z.string(),
});
export type CustomField = z.output<typeof customFieldSchema>;

/** Required: name and value, 1–250 characters each; the name-value pair is unique within the product. */
export const customFieldCreateSchema = z.strictObject({
  name: z.string().min(1).max(250),
  value: z.string().min(1).max(250),
});
export type CustomFieldCreate = z.input<typeof customFieldCreateSchema>;

// ---------------------------------------------------------------------------------------------
// Catalog: products (products_catalog.v3.yml `product_Full`, `product_Base_POST`, `product_Base_PUT`)

export const productTypeSchema = z.enum(['physical', 'digital']);
export const inventoryTrackingSchema = z.enum(['none', 'product', 'variant']);

export const productSchema = z.object({
  id: int(),
  name: z.string(),
  type: productTypeSchema,
  sku: z.string(),
  /** Written by create/update (`productWritableFields`), so readable too (`product_Full.description`). */
  description: z.string().optional(),
  price: z.number(),
  cost_price: z.number().optional(),
  retail_price: z.number().optional(),
  sale_price: z.number().optional(),
  weight: z.number().optional(),
  categories: z.array(int()),
  inventory_tracking: inventoryTrackingSchema,
  /** Default location only (spec: "returns the inventory for only the default location"). */
  inventory_level: int().optional(),
  is_visible: z.boolean(),
  upc: z.string().nullable().optional(),
  gtin: z.string().nullable().optional(),
  mpn: z.string().nullable().optional(),
  availability: z.enum(['available', 'disabled', 'preorder']).optional(),
  base_variant_id: int().nullable().optional(),
  date_modified: z.string().optional(),
  /** With `include=variants`. */
  variants: z.array(variantSchema).optional(),
  /** With `include=options`. */
  options: z.array(optionSchema).optional(),
  /** With `include=images`. */
  images: z.array(productImageSchema).optional(),
  /** With `include=custom_fields`. */
  custom_fields: z.array(customFieldSchema).optional(),
});
export type Product = z.output<typeof productSchema>;

const productWritableFields = {
  sku: z.string().max(255).optional(),
  description: z.string().optional(),
  cost_price: z.number().min(0).optional(),
  retail_price: z.number().min(0).optional(),
  sale_price: z.number().min(0).optional(),
  categories: z.array(int()).max(1000).optional(),
  inventory_tracking: inventoryTrackingSchema.optional(),
  inventory_warning_level: int().min(0).max(MAX_STOCK).optional(),
  is_visible: z.boolean().optional(),
  upc: z.string().max(14).optional(),
  gtin: z.string().max(14).optional(),
  mpn: z.string().optional(),
  availability: z.enum(['available', 'disabled', 'preorder']).optional(),
};

/** Required: name, type, weight, price (`product_Base_POST.required`); name 1–250 characters. */
export const productCreateSchema = z.strictObject({
  name: z.string().min(1).max(250),
  type: productTypeSchema,
  weight: z.number().min(0).max(9_999_999_999),
  price: z.number().min(0),
  ...productWritableFields,
  /** "600 SKUs per product" (research §3.2). */
  variants: z.array(variantInProductCreateSchema).max(600).optional(),
});
export type ProductCreate = z.input<typeof productCreateSchema>;

export const productUpdateSchema = z.strictObject({
  name: z.string().min(1).max(250).optional(),
  type: productTypeSchema.optional(),
  weight: z.number().min(0).max(9_999_999_999).optional(),
  price: z.number().min(0).optional(),
  ...productWritableFields,
});
export type ProductUpdate = z.input<typeof productUpdateSchema>;

/** `product_Put_Collection` item: `id` required. */
export const productBatchUpdateSchema = productUpdateSchema.extend({ id: int() });
export type ProductBatchUpdate = z.input<typeof productBatchUpdateSchema>;

// ---------------------------------------------------------------------------------------------
// Catalog: categories via trees (category-trees_catalog.v3.yml; /v3/catalog/categories is deprecated)

export const categorySchema = z.object({
  category_id: int(),
  name: z.string(),
  parent_id: int(),
  tree_id: int().optional(),
  is_visible: z.boolean(),
  sort_order: int().optional(),
});
export type Category = z.output<typeof categorySchema>;

/**
 * The operation says "Creating a category requires `name` and `tree_id` or `parent_id`", but the
 * schema (`CreateCategories.items.anyOf`) requires both, as its example (`parent_id: 0, tree_id: 1`)
 * has them: so `tree_id` is required, and a top-level category is sent with `parent_id: 0`.
 * Name 1–50 characters.
 */
export const categoryCreateSchema = z
  .strictObject({
    name: z.string().min(1).max(50),
    tree_id: int(),
    parent_id: int().default(0),
    /** `false` hides the category from the storefront. */
    is_visible: z.boolean().optional(),
    description: z.string().max(65_535).optional(),
    sort_order: int().optional(),
    url: z.object({ path: z.string().min(1).max(255), is_customized: z.boolean().optional() }).optional(),
  });
export type CategoryCreate = z.input<typeof categoryCreateSchema>;

export const categoryTreeSchema = z.object({
  id: int(),
  name: z.string(),
  channels: z.array(int()),
});
export type CategoryTree = z.output<typeof categoryTreeSchema>;

// ---------------------------------------------------------------------------------------------
// Channels (channels.v3.yml; response `id` and `name` required; create requires name, type, platform)

export const channelTypeSchema = z.enum(['pos', 'marketplace', 'storefront', 'marketing']);
export const channelStatusSchema = z.enum(['active', 'prelaunch', 'inactive', 'connected', 'disconnected', 'archived', 'deleted', 'terminated']);

export const channelSchema = z.object({
  id: int(),
  name: z.string(),
  type: channelTypeSchema,
  platform: z.string(),
  status: channelStatusSchema,
  external_id: z.string().nullable().optional(),
  is_listable_from_ui: z.boolean().optional(),
  is_visible: z.boolean().optional(),
  is_enabled: z.boolean().optional(),
  date_created: z.string().optional(),
  date_modified: z.string().optional(),
});
export type Channel = z.output<typeof channelSchema>;

/** "Allowed values for a channelʼs `status` vary by channel `type`" (channels.v3.yml, Status table). */
export const WRITABLE_CHANNEL_STATUSES = {
  storefront: ['prelaunch', 'active', 'inactive', 'archived', 'deleted'],
  marketing: ['connected', 'disconnected', 'archived', 'deleted'],
  marketplace: ['connected', 'disconnected', 'archived', 'deleted'],
  pos: ['connected', 'disconnected', 'archived', 'deleted'],
} as const satisfies Record<z.output<typeof channelTypeSchema>, readonly z.output<typeof channelStatusSchema>[]>;

export const channelCreateSchema = z
  .strictObject({
    name: z.string().min(1),
    type: channelTypeSchema,
    /** No platform names Lightspeed; `custom` is valid for every type (channels.v3.yml, Platform table). */
    platform: z.string().min(1),
    status: channelStatusSchema.optional(),
    external_id: z.string().optional(),
    is_listable_from_ui: z.boolean().optional(),
    is_visible: z.boolean().optional(),
  })
  .refine((c) => c.status === undefined || (WRITABLE_CHANNEL_STATUSES[c.type] as readonly string[]).includes(c.status), {
    message: 'status is not writable for this channel type',
    path: ['status'],
  });
export type ChannelCreate = z.input<typeof channelCreateSchema>;

/** `PUT /v3/channels/{id}`: type and platform cannot change. */
export const channelUpdateSchema = z.strictObject({
  name: z.string().min(1).optional(),
  /** `terminated` is read-only. */
  status: channelStatusSchema.exclude(['terminated']).optional(),
  external_id: z.string().optional(),
  is_listable_from_ui: z.boolean().optional(),
  is_visible: z.boolean().optional(),
});
export type ChannelUpdate = z.input<typeof channelUpdateSchema>;

/** products_catalog.v3.yml `/catalog/products/channel-assignments`. */
export const channelAssignmentSchema = z.object({ product_id: int(), channel_id: int() });
export type ChannelAssignment = z.output<typeof channelAssignmentSchema>;

// ---------------------------------------------------------------------------------------------
// Inventory (inventory.v3.yml)

/** Every inventory write answers `{ transaction_id }`: the work is asynchronous (research §4.1). */
export const transactionSchema = z.object({ transaction_id: z.string().min(1) });

/** An item is identified by exactly one of sku, variant_id or product_id, plus its location (spec `oneOf`). */
function adjustmentItemSchema(quantity: z.ZodNumber) {
  return z.union([
    z.strictObject({ location_id: int(), sku: z.string().min(1), quantity }),
    z.strictObject({ location_id: int(), variant_id: int(), quantity }),
    z.strictObject({ location_id: int(), product_id: int(), quantity }),
  ]);
}

export const absoluteAdjustmentItemSchema = adjustmentItemSchema(z.number().int().min(0).max(MAX_STOCK));
export type AbsoluteAdjustmentItem = z.input<typeof absoluteAdjustmentItemSchema>;
export const relativeAdjustmentItemSchema = adjustmentItemSchema(z.number().int().min(-MAX_STOCK).max(MAX_STOCK));
export type RelativeAdjustmentItem = z.input<typeof relativeAdjustmentItemSchema>;

/**
 * One item's settings at a location (`PUT /v3/inventory/locations/{location_id}/items`): one of
 * sku, variant_id or product_id, and at least one setting ("At least one setting must be
 * specified: warning_level, is_in_stock or safety_stock"); fields left out keep their value.
 */
export const locationItemSettingsUpdateSchema = z
  .strictObject({
    identity: z.union([z.strictObject({ sku: z.string().min(1) }), z.strictObject({ variant_id: int() }), z.strictObject({ product_id: int() })]),
    safety_stock: z.number().int().min(0).max(MAX_STOCK).optional(),
    is_in_stock: z.boolean().optional(),
    warning_level: z.number().int().min(0).max(MAX_STOCK).optional(),
    bin_picking_number: z.string().optional(),
  })
  .refine((s) => s.safety_stock !== undefined || s.is_in_stock !== undefined || s.warning_level !== undefined || s.bin_picking_number !== undefined, {
    message: 'At least one setting must be specified: warning_level, is_in_stock, safety_stock or bin_picking_number',
  });
export type LocationItemSettingsUpdate = z.input<typeof locationItemSettingsUpdateSchema>;

export const absoluteAdjustmentSchema = z.object({ reason: z.string().optional(), items: z.array(absoluteAdjustmentItemSchema).min(1).max(2000) });
export const relativeAdjustmentSchema = z.object({ reason: z.string().optional(), items: z.array(relativeAdjustmentItemSchema).min(1).max(2000) });

export const inventoryIdentitySchema = z.object({
  sku: z.string(),
  variant_id: int().nullable(),
  product_id: int(),
  sku_id: int().nullable().optional(),
});

export const locationItemSettingsSchema = z.object({
  safety_stock: int(),
  is_in_stock: z.boolean(),
  warning_level: int(),
  bin_picking_number: z.string().nullable().optional(),
});

/** `GET /v3/inventory/items`: one item across all locations. */
export const inventoryItemSchema = z.object({
  identity: inventoryIdentitySchema,
  locations: z.array(
    z.object({
      location_id: int(),
      location_code: z.string(),
      location_name: z.string().optional(),
      /** on hand − safety stock (guide: inventory-adjustments.mdx). */
      available_to_sell: int(),
      total_inventory_onhand: int(),
      location_enabled: z.boolean().optional(),
      settings: locationItemSettingsSchema.optional(),
    }),
  ),
});
export type InventoryItem = z.output<typeof inventoryItemSchema>;

/** `GET /v3/inventory/locations/{location_id}/items`: items at one location. */
export const locationInventoryItemSchema = z.object({
  identity: inventoryIdentitySchema.omit({ sku_id: true }),
  available_to_sell: int(),
  total_inventory_onhand: int(),
  settings: locationItemSettingsSchema.optional(),
});
export type LocationInventoryItem = z.output<typeof locationInventoryItemSchema>;

/** settings.v3.yml `/settings/inventory`; with `channel_id`, null means "not overridden for this channel". */
export const inventorySettingsSchema = z.object({
  product_out_of_stock_behavior: z.enum(['do_nothing', 'hide_product', 'hide_product_and_accessible', 'hide_product_and_redirect']).nullable().optional(),
  option_out_of_stock_behavior: z.enum(['do_nothing', 'hide_option', 'label_option']).nullable().optional(),
  update_stock_behavior: z.enum(['order_placed', 'order_completed_or_shipped']).nullable().optional(),
  edit_order_stock_adjustment: z.boolean().nullable().optional(),
  refund_order_stock_adjustment: z.boolean().nullable().optional(),
  stock_level_display: z.enum(['dont_show', 'show', 'show_when_low']).nullable().optional(),
});
export type InventorySettings = z.output<typeof inventorySettingsSchema>;
export type InventorySettingsUpdate = z.input<typeof inventorySettingsSchema>;

// ---------------------------------------------------------------------------------------------
// Locations (locations.v3.yml)

const locationTypeSchema = z.enum(['PHYSICAL', 'VIRTUAL']);

const dayHoursSchema = z.object({ open: z.boolean(), opening: z.string().optional(), closing: z.string().optional() });
const operatingHoursSchema = z.object({
  sunday: dayHoursSchema.optional(),
  monday: dayHoursSchema.optional(),
  tuesday: dayHoursSchema.optional(),
  wednesday: dayHoursSchema.optional(),
  thursday: dayHoursSchema.optional(),
  friday: dayHoursSchema.optional(),
  saturday: dayHoursSchema.optional(),
});

/** Create: address1, city, state, zip, email, geo_coordinates, country_code required. */
export const locationAddressSchema = z.object({
  address1: z.string().min(1),
  address2: z.string().optional(),
  city: z.string().min(1),
  state: z.string(),
  zip: z.string(),
  email: z.email(),
  phone: z.string().optional(),
  geo_coordinates: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
  country_code: z.string().length(2),
});
export type LocationAddress = z.input<typeof locationAddressSchema>;

export const locationSchema = z.object({
  id: int(),
  code: z.string(),
  label: z.string(),
  description: z.string().nullable().optional(),
  /** True: "the third-party system is the source of truth for inventory values". */
  managed_by_external_source: z.boolean(),
  type_id: locationTypeSchema,
  enabled: z.boolean(),
  time_zone: z.string().nullable().optional(),
  storefront_visibility: z.boolean().optional(),
  address: z
    .object({
      address1: z.string().optional(),
      city: z.string().optional(),
      state: z.string().optional(),
      zip: z.string().optional(),
      email: z.string().optional(),
      country_code: z.string().optional(),
      geo_coordinates: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
    })
    .nullable()
    .optional(),
});
export type Location = z.output<typeof locationSchema>;

/** Required: label, managed_by_external_source, type_id, time_zone, address (spec `required`). */
export const locationCreateSchema = z.strictObject({
  code: z.string().min(1).optional(),
  label: z.string().min(1),
  description: z.string().optional(),
  managed_by_external_source: z.boolean(),
  type_id: locationTypeSchema,
  enabled: z.boolean().optional(),
  time_zone: z.string().min(1),
  address: locationAddressSchema,
  storefront_visibility: z.boolean().optional(),
  operating_hours: operatingHoursSchema.optional(),
  /** Holidays and other exceptions: label, date and open required (spec `special_hours`). */
  special_hours: z
    .array(
      z.object({
        label: z.string(),
        date: z.string(),
        open: z.boolean(),
        opening: z.string().optional(),
        closing: z.string().optional(),
        all_day: z.boolean().optional(),
        annual: z.boolean().optional(),
      }),
    )
    .optional(),
});
export type LocationCreate = z.input<typeof locationCreateSchema>;

/** Update: `id` required; an address update still names its `country_code` (spec `required`). */
export const locationUpdateSchema = locationCreateSchema.partial().extend({
  id: int(),
  address: locationAddressSchema.partial().extend({ country_code: z.string().length(2) }).optional(),
});
export type LocationUpdate = z.input<typeof locationUpdateSchema>;

// ---------------------------------------------------------------------------------------------
// Orders V2 (orders.v2.oas2.yml). Money is a decimal string ("10.0000") in V2.

const decimalString = z.string();

export const orderSchema = z.object({
  id: int(),
  status_id: int(),
  status: z.string(),
  channel_id: int(),
  customer_id: z.number(),
  date_created: z.string(),
  date_modified: z.string(),
  is_deleted: z.boolean().optional(),
  order_source: z.string().optional(),
  external_source: z.string().nullable().optional(),
  external_id: z.string().nullable().optional(),
  external_order_id: z.string().nullable().optional(),
  payment_status: z.string().optional(),
  currency_code: z.string().optional(),
  subtotal_inc_tax: decimalString.optional(),
  total_inc_tax: decimalString,
  total_ex_tax: decimalString,
  refunded_amount: decimalString.optional(),
  items_total: z.number(),
  items_shipped: z.number(),
  shipping_cost_ex_tax: decimalString.optional(),
  shipping_cost_inc_tax: decimalString.optional(),
  staff_notes: z.string().nullable().optional(),
  customer_message: z.string().nullable().optional(),
});
export type Order = z.output<typeof orderSchema>;

export const orderProductSchema = z.object({
  id: int(),
  order_id: int(),
  product_id: int(),
  /** Not in the spec's example order product; absent for products without variants. */
  variant_id: int().nullable().optional(),
  order_address_id: int(),
  order_pickup_method_id: int().nullable().optional(),
  name: z.string(),
  sku: z.string(),
  upc: z.string().nullable().optional(),
  quantity: z.number(),
  quantity_shipped: z.number(),
  quantity_refunded: z.number(),
  is_refunded: z.boolean(),
  base_price: decimalString,
  price_ex_tax: decimalString,
  price_inc_tax: decimalString,
  total_inc_tax: decimalString.optional(),
  product_options: z.array(z.object({ display_name: z.string().optional(), display_value: z.string().optional() })).optional(),
});
export type OrderProduct = z.output<typeof orderProductSchema>;

export const orderShippingAddressSchema = z.object({
  id: int(),
  order_id: int(),
  first_name: z.string(),
  last_name: z.string(),
  company: z.string().optional(),
  street_1: z.string(),
  street_2: z.string().optional(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
  country_iso2: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  items_total: z.number(),
  items_shipped: z.number(),
  shipping_method: z.string().optional(),
});
export type OrderShippingAddress = z.output<typeof orderShippingAddressSchema>;

/**
 * Consignment line items are either resource links (`{ url, resource: "/orders/129/products/12" }`,
 * what the spec's examples show) or full order products (spec `oneOf`). Either way
 * `order_product_id` names the order line: the product's `id`, or the last segment of the link.
 */
const consignmentLineItemSchema = z
  .looseObject({ id: int().optional(), url: z.string().optional(), resource: z.string().optional(), product_id: int().optional(), variant_id: int().nullable().optional(), quantity: z.number().optional() })
  .transform((item) => ({ ...item, order_product_id: item.id ?? orderProductIdOf(item.resource) }));

function orderProductIdOf(resource: string | undefined): number | undefined {
  const match = resource === undefined ? null : /\/products\/(\d+)\/?$/.exec(resource);
  return match ? Number(match[1]) : undefined;
}

export const orderConsignmentsSchema = z.object({
  pickups: z
    .array(
      z.object({
        id: int(),
        pickup_method_id: int(),
        pickup_method_display_name: z.string().optional(),
        location: z.object({ id: int(), name: z.string().optional(), code: z.string().optional() }),
        line_items: z.array(consignmentLineItemSchema),
      }),
    )
    .optional(),
  shipping: z
    .array(
      z.object({
        id: int(),
        first_name: z.string().optional(),
        last_name: z.string().optional(),
        company: z.string().optional(),
        street_1: z.string().optional(),
        street_2: z.string().optional(),
        phone: z.string().optional(),
        city: z.string().optional(),
        state: z.string().optional(),
        zip: z.string().optional(),
        country_iso2: z.string().optional(),
        shipping_method: z.string().optional(),
        line_items: z.array(consignmentLineItemSchema),
      }),
    )
    .optional(),
});
export type OrderConsignments = z.output<typeof orderConsignmentsSchema>;

export const shipmentSchema = z.object({
  id: int(),
  order_id: int(),
  order_address_id: int(),
  date_created: z.string(),
  tracking_number: z.string(),
  shipping_method: z.string().optional(),
  shipping_provider: z.string(),
  tracking_carrier: z.string(),
  tracking_link: z.string().optional(),
  comments: z.string().nullable().optional(),
  items: z.array(z.object({ order_product_id: int(), product_id: int(), quantity: z.number() })),
});
export type Shipment = z.output<typeof shipmentSchema>;

/** "Required Fields: order_address_id, items" (operation description); tracking number ≤ 50. */
export const shipmentCreateSchema = z.strictObject({
  order_address_id: int(),
  items: z.array(z.object({ order_product_id: int(), quantity: int().min(1) })).min(1),
  tracking_number: z.string().max(50).optional(),
  tracking_link: z.string().max(500).optional(),
  shipping_method: z.string().optional(),
  /** auspost, canadapost, endicia, usps, fedex, ups, upsready, upsonline, shipperhq, royalmail, '' or carrier_{id}. */
  shipping_provider: z.string().optional(),
  tracking_carrier: z.string().optional(),
  comments: z.string().max(65_535).optional(),
});
export type ShipmentCreate = z.input<typeof shipmentCreateSchema>;

export const orderStatusSchema = z.object({
  id: int(),
  name: z.string(),
  system_label: z.string(),
  custom_label: z.string(),
  system_description: z.string().optional(),
});
export type OrderStatus = z.output<typeof orderStatusSchema>;

// ---------------------------------------------------------------------------------------------
// Orders V3 refunds (orders.v3.yml `ItemsRefund`, `RefundRequest`, `Refund`, `RefundQuote`)

export const refundItemSchema = z.union([
  /** "Quantity Bound Item". */
  z.strictObject({ item_type: z.enum(['PRODUCT', 'GIFT_WRAPPING']), item_id: int(), quantity: int().min(1), reason: z.string().max(1000).optional() }),
  /** "Amount Bound Item". */
  z.strictObject({ item_type: z.enum(['ORDER', 'SHIPPING', 'HANDLING', 'TAX', 'FEE']), item_id: int(), amount: z.number(), reason: z.string().max(1000).optional() }),
]);
export type RefundItem = z.input<typeof refundItemSchema>;

export const refundQuoteRequestSchema = z.object({ items: z.array(refundItemSchema).min(1) });
export type RefundQuoteRequest = z.input<typeof refundQuoteRequestSchema>;

export const refundQuoteSchema = z.object({
  order_id: int(),
  total_refund_amount: z.number(),
  total_refund_tax_amount: z.number(),
  rounding: z.number().optional(),
  adjustment: z.number().optional(),
  tax_inclusive: z.boolean().optional(),
  /** Each inner array is one way to pay the refund back. */
  refund_methods: z.array(
    z.array(
      z.object({
        provider_id: z.string(),
        provider_description: z.string().optional(),
        amount: z.number(),
        offline: z.boolean(),
        offline_provider: z.boolean().optional(),
        offline_reason: z.string().optional(),
      }),
    ),
  ),
});
export type RefundQuote = z.output<typeof refundQuoteSchema>;

/** Required: items and payments. */
export const refundCreateSchema = z.strictObject({
  items: z.array(refundItemSchema).min(1),
  payments: z.array(z.object({ provider_id: z.string(), amount: z.number(), offline: z.boolean() })),
  reason: z.string().max(1000).optional(),
  merchant_calculated_override: z.object({ total_amount: z.number(), total_tax: z.number() }).optional(),
});
export type RefundCreate = z.input<typeof refundCreateSchema>;

export const refundSchema = z.object({
  id: int(),
  order_id: int(),
  user_id: int().optional(),
  created: z.string(),
  reason: z.string().nullable().optional(),
  total_amount: z.number(),
  total_tax: z.number(),
  items: z.array(
    z.object({
      item_type: z.enum(['PRODUCT', 'GIFT_WRAPPING', 'SHIPPING', 'HANDLING', 'ORDER', 'FEE', 'TAX']),
      item_id: int(),
      quantity: int().nullable().optional(),
      requested_amount: z.number().nullable().optional(),
      reason: z.string().nullable().optional(),
    }),
  ),
  payments: z.array(
    z.object({
      id: int(),
      provider_id: z.string(),
      amount: z.number(),
      offline: z.boolean(),
      is_declined: z.boolean(),
      declined_message: z.string().nullable().optional(),
    }),
  ),
});
export type Refund = z.output<typeof refundSchema>;

// ---------------------------------------------------------------------------------------------
// Store information (store_information.v2.yml `/store`)

export const storeInformationSchema = z.object({
  id: z.string(),
  domain: z.string(),
  secure_url: z.string(),
  control_panel_base_url: z.string().optional(),
  name: z.string(),
  admin_email: z.string().optional(),
  country_code: z.string().optional(),
  currency: z.string(),
  weight_units: z.string(),
  dimension_units: z.string().optional(),
  plan_name: z.string().optional(),
  plan_level: z.string().optional(),
  store_id: int().optional(),
  default_channel_id: int().optional(),
  timezone: z.object({ name: z.string(), raw_offset: z.number(), dst_offset: z.number() }).optional(),
  features: z.object({ multi_storefront_enabled: z.boolean().optional() }).optional(),
});
export type StoreInformation = z.output<typeof storeInformationSchema>;

// ---------------------------------------------------------------------------------------------
// Webhooks (webhooks.v3.yml `webhook_Base` requires scope and destination; `webhook_Full`)

export const webhookSchema = z.object({
  id: int(),
  client_id: z.string(),
  store_hash: z.string(),
  scope: z.string(),
  destination: z.string(),
  is_active: z.boolean(),
  headers: z.record(z.string(), z.string()).nullable().optional(),
  created_at: int(),
  updated_at: int(),
});
export type Webhook = z.output<typeof webhookSchema>;

export const webhookCreateSchema = z.strictObject({
  scope: z.string().min(1),
  /** Served on port 443 (research §2.1). */
  destination: z.url(),
  is_active: z.boolean().optional(),
  headers: z.record(z.string(), z.string()).nullable().optional(),
});
export type WebhookCreate = z.input<typeof webhookCreateSchema>;

/** "Update needs at least one field" (research §2.1). */
export const webhookUpdateSchema = webhookCreateSchema.partial().refine((u) => Object.values(u).some((v) => v !== undefined), {
  message: 'a webhook update needs at least one field',
});
export type WebhookUpdate = z.input<typeof webhookUpdateSchema>;
