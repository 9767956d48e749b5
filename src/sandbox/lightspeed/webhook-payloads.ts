/**
 * Webhook payloads are the API 1.0 shapes, not 2.x (x-series-api.lightspeedhq.com/docs/webhooks;
 * research/lightspeed.md §1). Product follows the documented sample (PipedreamHQ/pipedream
 * components/lightspeed_x/sources/product-updated/test-event.mjs): money as decimal strings,
 * nested `inventory[]` with `count`/`reorder_point`/`restock_level`/`attributed_cost`.
 * `inventory.update` carries one such inventory record; `sale.update` a 1.0 register_sale
 * (register_sale_products / register_sale_payments, `status` from the 2.0 enum).
 * 1.0 timestamps are `YYYY-MM-DD HH:MM:SS` in UTC.
 */
import { saleTotals } from './shapes';
import type { Consignment, InventoryRecord, Product, Retailer, Sale } from './types';

export function legacyTime(iso: string | null): string | null {
  if (!iso) return null;
  return new Date(iso).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

const money = (n: number): string => n.toFixed(5).replace(/0{1,3}$/, '');

export function inventoryPayload(record: InventoryRecord) {
  return {
    id: record.id,
    product_id: record.product_id,
    outlet_id: record.outlet_id,
    count: record.current_inventory_level,
    reorder_point: String(record.reorder_point ?? 0),
    restock_level: String(record.reorder_amount ?? 0),
    attributed_cost: record.average_cost === null ? null : money(record.average_cost),
  };
}

export function productPayload(retailer: Retailer, p: Product) {
  const brand = p.brand_id ? retailer.brands[p.brand_id] : undefined;
  const type = p.product_type_id ? retailer.product_types[p.product_type_id] : undefined;
  const supplier = p.supplier_id ? retailer.suppliers[p.supplier_id] : undefined;
  const inventory = Object.values(retailer.outlets)
    .map((o) => retailer.inventory[`${p.id}:${o.id}`])
    .filter((r): r is InventoryRecord => r !== undefined)
    .map(inventoryPayload);
  return {
    id: p.id,
    retailer_id: retailer.id,
    name: p.name,
    base_name: p.base_name,
    handle: p.handle,
    sku: p.sku,
    description: p.description ?? '',
    active: p.active,
    track_inventory: p.has_inventory,
    button_order: 1,
    attributed_cost: null,
    brand: brand ? { id: brand.id, name: brand.name } : null,
    product_type: type ? { id: type.id, name: type.name } : null,
    supplier: supplier ? { id: supplier.id, name: supplier.name, description: '', source: '' } : null,
    categories: [],
    source: p.source,
    source_id: p.source_id,
    source_variant_id: p.source_variant_id,
    supply_price: money(p.supply_price),
    variant_parent_id: p.variant_parent_id,
    variant_options: p.variant_options.map((o) => ({ name: o.name, value: o.value })),
    taxes: Object.values(retailer.outlets).map((o) => ({ outlet_id: o.id, tax_id: p.tax_id })),
    price_book_entries: [
      {
        id: `${p.id.slice(0, 24)}${retailer.id.slice(24)}`,
        product_id: p.id,
        customer_group_id: retailer.id,
        customer_group_name: 'All Customers',
        price: money(p.price_excluding_tax),
        type: 'BASE',
        min_units: null,
        max_units: null,
        valid_from: null,
        valid_to: null,
      },
    ],
    product_codes: p.product_codes.map((c) => ({ type: c.type, code: c.code })),
    inventory,
    deleted_at: legacyTime(p.deleted_at),
    version: p.version,
  };
}

export function salePayload(retailer: Retailer, sale: Sale) {
  const totals = saleTotals(sale);
  const paid = sale.payments.reduce((s, p) => s + p.amount, 0);
  return {
    id: sale.id,
    register_id: sale.register_id,
    user_id: sale.user_id,
    customer_id: sale.customer_id,
    sale_date: legacyTime(sale.date),
    created_at: legacyTime(sale.created_at),
    updated_at: legacyTime(sale.updated_at),
    status: sale.status,
    invoice_number: sale.invoice_number,
    short_code: sale.short_code,
    note: sale.note,
    source: sale.source.type ?? 'USER',
    source_id: sale.source.id,
    return_for: sale.return_for,
    total_price: totals.price,
    total_tax: totals.tax,
    totals: {
      total_price: money(totals.price),
      total_tax: money(totals.tax),
      total_payment: money(paid),
      total_to_pay: money(Math.max(0, totals.price_incl_tax - paid)),
    },
    register_sale_products: sale.line_items.map((l) => {
      const product = retailer.products[l.product_id];
      return {
        id: l.id,
        product_id: l.product_id,
        register_id: sale.register_id,
        sequence: String(l.sequence),
        handle: product?.handle ?? '',
        sku: product?.sku ?? '',
        name: product?.name ?? '',
        quantity: l.quantity,
        price: l.price,
        cost: l.cost,
        price_set: l.is_price_override ? 1 : 0,
        discount: l.discount,
        loyalty_value: l.loyalty_amount,
        tax: l.tax_amount,
        tax_id: l.tax_id,
        tax_name: retailer.taxes[l.tax_id]?.name ?? '',
        tax_rate: retailer.taxes[l.tax_id]?.rate ?? 0,
        tax_total: l.tax_amount * l.quantity,
        price_total: (l.price - l.discount) * l.quantity,
        status: l.status,
        fulfilment_outlet_id: l.fulfilment_outlet_id,
      };
    }),
    register_sale_payments: sale.payments.map((p) => ({
      id: p.id,
      register_id: p.register_id,
      retailer_payment_type_id: p.payment_type_id,
      payment_type_id: String(retailer.payment_types[p.payment_type_id]?.type_id ?? 1),
      name: retailer.payment_types[p.payment_type_id]?.name ?? '',
      label: retailer.payment_types[p.payment_type_id]?.name ?? '',
      payment_date: legacyTime(p.date),
      amount: p.amount,
    })),
    version: sale.version,
  };
}

export function consignmentPayload(c: Consignment) {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    status: c.status,
    outlet_id: c.outlet_id,
    source_outlet_id: c.source_outlet_id,
    supplier_id: c.supplier_id,
    reference: c.reference,
    consignment_date: legacyTime(c.consignment_date),
    due_at: legacyTime(c.due_at),
    received_at: legacyTime(c.received_at),
    created_at: legacyTime(c.created_at),
    updated_at: legacyTime(c.updated_at),
    products: Object.values(c.lines).map((l) => ({
      product_id: l.product_id,
      count: l.count,
      received: l.received,
      cost: l.cost,
    })),
    version: c.version,
  };
}
