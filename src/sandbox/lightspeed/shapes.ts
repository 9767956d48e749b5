/**
 * Internal records → the 2026-07 API's JSON shapes (x-series-2026-07.openapi.json,
 * components.schemas.*). Every required field of each schema is present; optional fields the
 * sandbox does not model are left out rather than invented.
 */
import { isoTime } from './context';
import { stateOfStatus } from './sale-status';
import type {
  Consignment,
  ConsignmentLine,
  Fulfillment,
  InventoryRecord,
  Outlet,
  PaymentType,
  Product,
  Register,
  Retailer,
  Sale,
  StockAdjustment,
  Tax,
  User,
  Webhook,
  Named,
} from './types';

const round2 = (n: number): number => Math.round(n * 100) / 100;
const round5 = (n: number): number => Math.round(n * 100000) / 100000;

export function taxRateOf(retailer: Retailer, taxId: string): number {
  return retailer.taxes[taxId]?.rate ?? 0;
}

export function outletShape(o: Outlet) {
  return {
    id: o.id,
    name: o.name,
    attributes: [],
    currency: o.currency,
    currency_symbol: o.currency_symbol,
    default_tax_id: o.default_tax_id,
    display_prices: 'exclusive' as const,
    email: o.email,
    phone: o.phone,
    physical_address_1: o.physical_address_1,
    physical_address_2: null,
    physical_suburb: null,
    physical_city: o.physical_city,
    physical_postcode: o.physical_postcode,
    physical_state: o.physical_state,
    physical_country_id: o.physical_country_id,
    latitude: null,
    longitude: null,
    time_zone: o.time_zone,
    deleted_at: o.deleted_at,
    version: o.version,
  };
}

export function registerShape(r: Register) {
  return {
    id: r.id,
    name: r.name,
    outlet_id: r.outlet_id,
    is_open: r.is_open,
    invoice_prefix: r.invoice_prefix,
    invoice_suffix: r.invoice_suffix,
    invoice_sequence: r.invoice_sequence,
    register_open_time: r.register_open_time,
    register_close_time: r.register_close_time,
    register_open_sequence_id: r.register_open_sequence_id,
    ask_for_note_on_save: 0,
    ask_for_user_on_sale: false,
    button_layout_id: null,
    cash_managed_payment_type_id: null,
    email_receipt: false,
    print_receipt: true,
    print_note_on_receipt: false,
    receipt_template_id: '',
    show_discounts_on_receipts: true,
    deleted_at: r.deleted_at,
    version: r.version,
  };
}

export function userShape(u: User) {
  return {
    id: u.id,
    username: u.username,
    display_name: u.display_name,
    email: u.email,
    account_type: u.account_type,
    is_primary_user: u.is_primary_user,
    enabled: true,
    restricted_outlet_id: null,
    restricted_outlet_ids: [],
    created_at: u.created_at,
    updated_at: u.updated_at,
    deleted_at: u.deleted_at,
    version: u.version,
  };
}

export function paymentTypeShape(p: PaymentType) {
  return {
    id: p.id,
    name: p.name,
    type_id: p.type_id,
    disabled: false,
    internal: false,
    gateway: false,
    config: null,
    outlet_ids: null,
    payment_type: {
      id: p.type_id,
      name: p.name,
      category: p.category,
      subcategory: p.category,
      internal: false,
      online_only: false,
      platforms: null,
      referred_inactive: false,
      show_banner: false,
    },
    deleted_at: p.deleted_at,
    version: p.version,
  };
}

export function taxShape(t: Tax) {
  return {
    id: t.id,
    name: t.name,
    display_name: t.display_name,
    is_default: t.is_default,
    rates: [{ id: t.rate_id, name: t.name, display_name: t.display_name, rate: t.rate }],
    deleted_at: t.deleted_at,
    version: t.version,
  };
}

export function namedShape(n: Named) {
  return { id: n.id, name: n.name, deleted_at: n.deleted_at, version: n.version };
}

export function productTypeShape(n: Named) {
  return { ...namedShape(n), leaf_category: true, category_path: [{ id: n.id, name: n.name }] };
}

export function productShape(retailer: Retailer, p: Product) {
  const brand = p.brand_id ? retailer.brands[p.brand_id] : undefined;
  const type = p.product_type_id ? retailer.product_types[p.product_type_id] : undefined;
  const supplier = p.supplier_id ? retailer.suppliers[p.supplier_id] : undefined;
  const tags = p.tag_ids.map((id) => retailer.tags[id]).filter((t): t is Named => t !== undefined);
  return {
    id: p.id,
    name: p.name,
    handle: p.handle,
    sku: p.sku,
    description: p.description,
    active: p.active,
    has_inventory: p.has_inventory,
    has_variants: p.is_family_parent || p.variant_parent_id !== null,
    is_composite: false,
    family_id: p.family_id,
    variant_parent_id: p.variant_parent_id,
    variant_name: p.variant_name,
    variant_options: p.variant_options.map((o) => ({ name: o.name, value: o.value })),
    variant_count: p.variant_count,
    brand_id: p.brand_id,
    brand: brand ? namedShape(brand) : null,
    product_type_id: p.product_type_id,
    type: type ? productTypeShape(type) : null,
    supplier_id: p.supplier_id,
    supplier: supplier ? { id: supplier.id, name: supplier.name, deleted_at: supplier.deleted_at } : null,
    supplier_code: p.supplier_code,
    product_suppliers: supplier
      ? [
          {
            id: `${p.id.slice(0, 24)}${supplier.id.slice(24)}`,
            product_id: p.id,
            supplier_id: supplier.id,
            supplier_name: supplier.name,
            code: p.supplier_code,
            price: p.supply_price,
          },
        ]
      : [],
    tag_ids: [...p.tag_ids],
    categories: tags.map(namedShape),
    price_excluding_tax: p.price_excluding_tax,
    price_including_tax: round5(p.price_excluding_tax * (1 + taxRateOf(retailer, p.tax_id))),
    supply_price: p.supply_price,
    product_codes: p.product_codes.map((c) => ({ id: c.id, type: c.type, code: c.code })),
    attributes: [],
    images: [],
    skuImages: [],
    customizations: [],
    packaging: { breaks_into: [], made_from: [] },
    source: p.source,
    source_id: p.source_id,
    source_variant_id: p.source_variant_id,
    tax_category: null,
    created_at: p.created_at,
    updated_at: p.updated_at,
    deleted_at: p.deleted_at,
    version: p.version,
  };
}

/** 2026-07 `Inventory` (POST /inventory, GET /inventory/{product_id}). */
export function inventoryShape(i: InventoryRecord) {
  return {
    id: i.id,
    product_id: i.product_id,
    outlet_id: i.outlet_id,
    current_inventory_level: i.current_inventory_level,
    average_cost: i.average_cost,
    quantity_to_procure: Math.max(0, (i.reorder_point ?? 0) + (i.reorder_amount ?? 0) - i.current_inventory_level),
    reorder_method: i.reorder_point === null ? null : ('FIXED' as const),
    reorder_point: i.reorder_point,
    reorder_amount: i.reorder_amount,
    reorder_target: i.reorder_point === null ? null : (i.reorder_point ?? 0) + (i.reorder_amount ?? 0),
    deleted_at: i.deleted_at,
    version: i.version,
  };
}

/** 2.0 `Inventory` (GET /api/2.0/inventory, /api/2.0/products/{id}/inventory). */
export function inventoryShape20(i: InventoryRecord) {
  return {
    id: i.id,
    product_id: i.product_id,
    outlet_id: i.outlet_id,
    inventory_level: i.current_inventory_level,
    current_amount: i.current_inventory_level,
    reorder_point: i.reorder_point,
    reorder_amount: i.reorder_amount,
    average_cost: i.average_cost,
    deleted_at: i.deleted_at,
    version: i.version,
  };
}

export function saleTotals(sale: Sale) {
  const live = sale.line_items.filter((l) => l.status !== 'VOIDED');
  const price = round2(live.reduce((s, l) => s + (l.price - l.discount) * l.quantity, 0));
  const tax = round2(live.reduce((s, l) => s + l.tax_amount * l.quantity, 0));
  return { price, tax, price_incl_tax: round2(price + tax), loyalty: 0, surcharge: 0 };
}

export function saleShape(retailer: Retailer, sale: Sale) {
  const register = retailer.registers[sale.register_id];
  const paymentTypes = retailer.payment_types;
  const taxTotals = new Map<string, number>();
  for (const l of sale.line_items) taxTotals.set(l.tax_id, (taxTotals.get(l.tax_id) ?? 0) + l.tax_amount * l.quantity);
  return {
    id: sale.id,
    date: sale.date,
    created_at: sale.created_at,
    updated_at: sale.updated_at,
    customer_id: sale.customer_id ?? undefined,
    invoice_number: sale.invoice_number,
    receipt_number: sale.receipt_number,
    short_code: sale.short_code,
    note: sale.note,
    // docs/sales_states_and_attributes: the legacy status is `state` plus `attributes`.
    state: stateOfStatus(sale.status),
    attributes: [...sale.attributes],
    source: {
      id: sale.source.id ?? undefined,
      type: sale.source.type ?? undefined,
      author: { id: sale.user_id },
      outlet_id: sale.outlet_id,
      register_id: sale.register_id,
    },
    line_items: sale.line_items.map((l) => ({
      id: l.id,
      product: { id: l.product_id },
      quantity: l.quantity,
      status: l.status,
      note: '',
      pricing: {
        price: l.price,
        cost: l.cost,
        discount: l.discount,
        loyalty_amount: l.loyalty_amount,
        total: round2((l.price - l.discount) * l.quantity),
        cost_total: round2(l.cost * l.quantity),
        discount_total: round2(l.discount * l.quantity),
        loyalty_amount_total: round2(l.loyalty_amount * l.quantity),
      },
      tax: { id: l.tax_id, amount: l.tax_amount, total: round2(l.tax_amount * l.quantity) },
      return: { is_return: l.is_return, reason: '' },
      source: { register_id: sale.register_id },
      salesperson_id: sale.user_id,
      _metadata: { sequence: l.sequence, is_price_override: l.is_price_override, tax_components: [] },
      promotions: [],
      surcharges: [],
      customizations: [],
    })),
    payments: sale.payments.map((p) => ({
      id: p.id,
      amount: p.amount,
      date: p.date,
      source: { register_id: p.register_id, outlet_id: register?.outlet_id ?? sale.outlet_id },
      type: { id: p.payment_type_id, config_id: p.payment_type_id, name: paymentTypes[p.payment_type_id]?.name ?? '' },
      external_applications: [],
      external_attributes: [],
    })),
    taxes: [...taxTotals].map(([id, tax]) => ({ id, tax: round2(tax) })),
    totals: saleTotals(sale),
    return: {
      is_return: sale.return_for !== null,
      original_sale_id: sale.return_for ?? undefined,
      return_sale_ids: [...sale.return_sale_ids],
    },
    adjustments: [],
    ecom_custom_charges: [],
    external_applications: [],
    _metadata: { version: sale.version },
    deleted_at: sale.deleted_at ?? undefined,
  };
}

export function consignmentShape(c: Consignment) {
  const lines = Object.values(c.lines);
  const gain = lines.reduce((s, l) => s + Math.max(0, (l.received ?? l.count ?? 0)), 0);
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    status: c.status,
    outlet_id: c.outlet_id,
    source_outlet_id: c.source_outlet_id,
    supplier_id: c.supplier_id,
    supplier_invoice: null,
    reference: c.reference,
    consignment_date: c.consignment_date,
    due_at: c.due_at,
    received_at: c.received_at,
    total_count_gain: c.status === 'RECEIVED' ? gain : 0,
    total_count_loss: 0,
    total_cost_gain: null,
    total_cost_loss: null,
    created_at: c.created_at,
    updated_at: c.updated_at,
    deleted_at: c.deleted_at,
    version: c.version,
  };
}

const decimalString = (n: number | null): string | null => (n === null ? null : String(n));

export function consignmentLineShape(retailer: Retailer, c: Consignment, l: ConsignmentLine) {
  return {
    product_id: l.product_id,
    product_sku: retailer.products[l.product_id]?.sku ?? null,
    count: decimalString(l.count),
    received: decimalString(l.received) ?? '0',
    cost: decimalString(l.cost),
    is_included: true,
    status: c.status === 'RECEIVED' ? 'RECEIVED' : 'PENDING',
    created_at: l.created_at,
    updated_at: l.updated_at,
    deleted_at: null,
    version: l.version,
  };
}

export function stockAdjustmentShape(a: StockAdjustment) {
  return {
    id: a.id,
    product_id: a.product_id,
    outlet_id: a.outlet_id,
    quantity: a.quantity,
    reason: a.reason,
    ...(a.custom_inventory_adjustment_reason_id
      ? { custom_inventory_adjustment_reason_id: a.custom_inventory_adjustment_reason_id }
      : {}),
    user_id: a.user_id,
    created_at: a.created_at,
    updated_at: a.updated_at,
    version: a.version,
  };
}

export function webhookShape(w: Webhook) {
  return { id: w.id, retailer_id: w.retailer_id, url: w.url, type: w.type, active: w.active };
}

export function fulfillmentShape(f: Fulfillment) {
  const q = (n: number) => String(n);
  return {
    id: f.id,
    sale_id: f.sale_id,
    outlet_id: f.outlet_id,
    type: f.type,
    state: f.state,
    note: f.note,
    shipping_address_id: f.shipping_address_id,
    user_ids: [],
    created_at: f.created_at,
    updated_at: f.updated_at,
    version: f.version,
    line_items: f.line_items.map((l) => ({
      sale_line_item_id: l.sale_line_item_id,
      product_id: l.product_id,
      quantity: q(l.quantity),
      fulfilled_quantity: q(l.fulfilled_quantity),
      picked_quantity: q(0),
      packed_quantity: q(0),
    })),
  };
}

export function retailerShape(r: Retailer, now: number) {
  return {
    id: r.id,
    name: r.name,
    domain_prefix: r.domain_prefix,
    account_status: 'ACTIVE',
    account_type: 'PLUS',
    country: 'US',
    culture: 'en-US',
    currency: { code: 'USD', symbol: '$' },
    created_at: r.created_at,
    activated_at: r.created_at,
    embedded_barcode_option: 'none' as const,
    enable_line_item_consolidation: false,
    sso_enabled: false,
    store_credit: false,
    store_url: `https://${r.domain_prefix}.retail.lightspeed.app`,
    time_zone: 'America/New_York',
    updated_at: isoTime(now),
  };
}
