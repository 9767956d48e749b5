/**
 * Orders v2 resources as orders.v2.oas2.yml describes them: money as strings, sub-resources as
 * `{url, resource}` links. Order products allow no extra properties, so the view lists exactly
 * the documented fields.
 */
import { money } from './responses';
import { findLocation } from './store-state';
import { ORDER_STATUSES, orderTotal } from './orders';
import type { Order, OrderPickupConsignment, OrderProduct, Shipment, StoreState } from './types';

function link(base: string, order: Order, resource: string) {
  return { url: `${base}/v2/orders/${order.id}/${resource}`, resource: `/orders/${order.id}/${resource}` };
}

/**
 * `consignments` is left out of the order unless `include=consignments` asks for it inline: the
 * spec types it as oneOf(link object, consignment object) where both branches accept any object,
 * so no value can satisfy the contract, and the `/consignments` sub-resource serves it anyway.
 */
export type ConsignmentInclude = 'none' | 'links' | 'products';

export function orderView(store: StoreState, order: Order, apiBase: string, include: ConsignmentInclude = 'none') {
  const totals = orderTotal(order);
  const shipped = order.products.reduce((sum, p) => sum + p.quantity_shipped, 0);
  const zero = money(0);
  return {
    id: order.id,
    customer_id: order.customer_id,
    date_created: new Date(order.date_created).toUTCString().replace('GMT', '+0000'),
    date_modified: new Date(order.date_modified).toUTCString().replace('GMT', '+0000'),
    date_shipped: order.date_shipped === '' ? '' : new Date(order.date_shipped).toUTCString().replace('GMT', '+0000'),
    status_id: order.status_id,
    status: ORDER_STATUSES[order.status_id] ?? 'Unknown',
    custom_status: ORDER_STATUSES[order.status_id] ?? 'Unknown',
    subtotal_ex_tax: money(totals.exTax - order.shipping_cost_inc_tax),
    subtotal_inc_tax: money(totals.incTax - order.shipping_cost_inc_tax),
    subtotal_tax: money(totals.incTax - totals.exTax),
    base_shipping_cost: money(order.shipping_cost_inc_tax),
    shipping_cost_ex_tax: money(order.shipping_cost_inc_tax),
    shipping_cost_inc_tax: money(order.shipping_cost_inc_tax),
    shipping_cost_tax: zero,
    shipping_cost_tax_class_id: 0,
    base_handling_cost: zero,
    handling_cost_ex_tax: zero,
    handling_cost_inc_tax: zero,
    handling_cost_tax: zero,
    handling_cost_tax_class_id: 0,
    base_wrapping_cost: zero,
    wrapping_cost_ex_tax: zero,
    wrapping_cost_inc_tax: zero,
    wrapping_cost_tax: zero,
    wrapping_cost_tax_class_id: 0,
    total_ex_tax: money(totals.exTax),
    total_inc_tax: money(totals.incTax),
    total_tax: money(totals.incTax - totals.exTax),
    items_total: totals.items,
    items_shipped: shipped,
    payment_method: order.payment_method,
    payment_provider_id: '',
    payment_status: order.refunded_amount > 0 ? (order.status_id === 4 ? 'refunded' : 'partially refunded') : 'captured',
    refunded_amount: money(order.refunded_amount),
    order_is_digital: false,
    store_credit_amount: zero,
    gift_certificate_amount: zero,
    ip_address: '',
    ip_address_v6: '',
    geoip_country: '',
    geoip_country_iso2: '',
    currency_id: 1,
    currency_code: 'USD',
    currency_exchange_rate: '1.0000000000',
    default_currency_id: 1,
    default_currency_code: 'USD',
    store_default_currency_code: 'USD',
    store_default_to_transactional_exchange_rate: '1.0000000000',
    staff_notes: order.staff_notes,
    customer_message: order.customer_message,
    discount_amount: zero,
    coupon_discount: zero,
    shipping_address_count: order.shipping_address ? 1 : 0,
    is_deleted: order.is_deleted,
    ebay_order_id: '0',
    cart_id: '',
    billing_address: { ...order.billing_address, form_fields: [] },
    is_email_opt_in: false,
    credit_card_type: null,
    order_source: order.order_source,
    channel_id: order.channel_id,
    external_source: order.external_source,
    external_id: order.external_id,
    external_merchant_id: null,
    external_order_id: order.external_order_id,
    tax_provider_id: '',
    customer_locale: 'en',
    store_default_currency_code_locale: 'en',
    is_tax_inclusive_pricing: false,
    products: link(apiBase, order, 'products'),
    shipping_addresses: link(apiBase, order, 'shipping_addresses'),
    coupons: link(apiBase, order, 'coupons'),
    ...(include !== 'none' ? { consignments: consignmentsView(store, order, apiBase, include) } : {}),
    fees: link(apiBase, order, 'fees'),
  };
}

export function orderProductView(line: OrderProduct) {
  const m = money;
  return {
    id: line.id,
    order_id: line.order_id,
    product_id: line.product_id,
    variant_id: line.variant_id,
    order_pickup_method_id: line.order_pickup_method_id,
    order_address_id: line.order_address_id,
    name: line.name,
    name_customer: line.name,
    name_merchant: line.name,
    sku: line.sku,
    upc: line.upc,
    type: 'physical' as const,
    base_price: m(line.price_ex_tax),
    price_ex_tax: m(line.price_ex_tax),
    price_inc_tax: m(line.price_inc_tax),
    price_tax: m(line.price_inc_tax - line.price_ex_tax),
    base_total: m(line.price_ex_tax * line.quantity),
    total_ex_tax: m(line.price_ex_tax * line.quantity),
    total_inc_tax: m(line.price_inc_tax * line.quantity),
    total_tax: m((line.price_inc_tax - line.price_ex_tax) * line.quantity),
    discounted_total_inc_tax: m(line.price_inc_tax * line.quantity),
    quantity: line.quantity,
    base_cost_price: m(line.base_cost_price),
    cost_price_inc_tax: m(line.base_cost_price),
    cost_price_ex_tax: m(line.base_cost_price),
    cost_price_tax: m(0),
    weight: '0.0000',
    width: '0.0000',
    height: '0.0000',
    depth: '0.0000',
    is_refunded: line.quantity_refunded >= line.quantity,
    quantity_refunded: line.quantity_refunded,
    refund_amount: m(line.refund_amount),
    return_id: 0,
    wrapping_id: 0,
    wrapping_name: null,
    base_wrapping_cost: m(0),
    wrapping_cost_ex_tax: m(0),
    wrapping_cost_inc_tax: m(0),
    wrapping_cost_tax: m(0),
    wrapping_message: '',
    quantity_shipped: line.quantity_shipped,
    event_name: null,
    event_date: null,
    fixed_shipping_cost: m(0),
    ebay_item_id: '',
    ebay_transaction_id: '',
    option_set_id: null,
    parent_order_product_id: null,
    is_bundled_product: false,
    bin_picking_number: '',
    external_id: null,
    brand: '',
    applied_discounts: [],
    product_options: [],
    configurable_fields: [],
    gift_certificate_id: null,
  };
}

export function shippingAddressView(order: Order) {
  if (!order.shipping_address) return [];
  const shipped = order.products.reduce((sum, p) => sum + p.quantity_shipped, 0);
  return [
    {
      id: order.order_address_id,
      order_id: order.id,
      ...order.shipping_address,
      form_fields: [],
      items_total: order.products.reduce((sum, p) => sum + p.quantity, 0),
      items_shipped: shipped,
      shipping_method: order.shipping_method ?? 'Flat Rate',
      base_cost: money(order.shipping_cost_inc_tax),
      cost_ex_tax: money(order.shipping_cost_inc_tax),
      cost_inc_tax: money(order.shipping_cost_inc_tax),
      cost_tax: money(0),
      cost_tax_class_id: 0,
      base_handling_cost: money(0),
      handling_cost_ex_tax: money(0),
      handling_cost_inc_tax: money(0),
      handling_cost_tax: money(0),
      handling_cost_tax_class_id: 0,
      shipping_zone_id: 1,
      shipping_zone_name: 'United States',
    },
  ];
}

/** Line items as links to the order products (the form the spec's oneOf can tell apart), or expanded. */
function lineItems(apiBase: string, order: Order, form: 'links' | 'products') {
  if (form === 'products') return order.products.map(orderProductView);
  return order.products.map((p) => ({ url: `${apiBase}/v2/orders/${order.id}/products/${p.id}`, resource: `/orders/${order.id}/products/${p.id}` }));
}

/** The pickup consignment of an order placed before pickup methods existed: derived from its location. */
function legacyPickup(order: Order): OrderPickupConsignment | null {
  if (order.pickup_location_id === null) return null;
  return { id: order.pickup_location_id, pickup_method_id: order.pickup_location_id, location_id: order.pickup_location_id, display_name: 'Pick Up', collection_instructions: '', collection_time_description: '', location: {} };
}

/**
 * `orderConsignment_Get`: one pickup consignment (with its location, as placed) or one shipping
 * consignment (the shipping address with its totals and method), never both.
 */
export function consignmentsView(store: StoreState, order: Order, apiBase: string, form: 'links' | 'products' = 'links') {
  const pickup = order.pickup ?? legacyPickup(order);
  const location = pickup ? findLocation(store, pickup.location_id) : undefined;
  const placed = pickup?.location ?? {};
  const pickups = pickup
    ? [
        {
          id: pickup.id,
          pickup_method_id: pickup.pickup_method_id,
          pickup_method_display_name: pickup.display_name,
          collection_instructions: pickup.collection_instructions,
          collection_time_description: pickup.collection_time_description,
          location: {
            id: pickup.location_id,
            name: placed.name ?? location?.label ?? '',
            code: placed.code ?? location?.code ?? '',
            address_line_1: placed.address_line_1 ?? location?.address?.address1 ?? '',
            address_line_2: placed.address_line_2 ?? location?.address?.address2 ?? '',
            city: placed.city ?? location?.address?.city ?? '',
            state: placed.state ?? location?.address?.state ?? '',
            postal_code: placed.postal_code ?? location?.address?.zip ?? '',
            country_alpha2: placed.country_alpha2 ?? location?.address?.country_code ?? '',
            email: placed.email ?? location?.address?.email ?? '',
            phone: placed.phone ?? location?.address?.phone ?? '',
          },
          line_items: lineItems(apiBase, order, form),
        },
      ]
    : [];
  const shipped = order.products.reduce((sum, p) => sum + p.quantity_shipped, 0);
  const shipping = order.shipping_address
    ? [
        {
          id: order.order_address_id,
          ...order.shipping_address,
          form_fields: [],
          line_items: lineItems(apiBase, order, form),
          items_total: order.products.reduce((sum, p) => sum + p.quantity, 0),
          items_shipped: shipped,
          shipping_method: order.shipping_method ?? 'Flat Rate',
          base_cost: order.shipping_cost_inc_tax,
          cost_ex_tax: order.shipping_cost_inc_tax,
          cost_inc_tax: order.shipping_cost_inc_tax,
          cost_tax: 0,
          cost_tax_class_id: 0,
          base_handling_cost: 0,
          handling_cost_ex_tax: 0,
          handling_cost_inc_tax: 0,
          handling_cost_tax: 0,
          handling_cost_tax_class_id: 0,
          shipping_zone_id: 1,
          shipping_zone_name: 'United States',
          shipping_quotes: { url: `${apiBase}/v2/orders/${order.id}/consignments/shipping/${order.order_address_id}/shipping_quotes`, resource: `/orders/${order.id}/consignments/shipping/${order.order_address_id}/shipping_quotes` },
        },
      ]
    : [];
  return { pickups, shipping, downloads: [], email: { gift_certificates: [] } };
}

export function shipmentView(order: Order, shipment: Shipment) {
  return {
    id: shipment.id,
    order_id: order.id,
    customer_id: order.customer_id,
    order_address_id: shipment.order_address_id,
    date_created: new Date(shipment.date_created).toUTCString().replace('GMT', '+0000'),
    tracking_number: shipment.tracking_number,
    merchant_shipping_cost: money(0),
    shipping_method: shipment.shipping_method,
    shipping_provider: shipment.shipping_provider,
    shipping_provider_display_name: shipment.shipping_provider,
    tracking_carrier: shipment.tracking_carrier,
    tracking_link: shipment.tracking_link,
    generated_tracking_link: shipment.tracking_link,
    comments: shipment.comments,
    billing_address: order.billing_address,
    shipping_address: order.shipping_address ?? order.billing_address,
    items: shipment.items,
  };
}
