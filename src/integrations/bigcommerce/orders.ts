/**
 * Orders: V2 for orders, their products, addresses, consignments, shipments and statuses
 * (orders.v2.oas2.yml), V3 for refunds (orders.v3.yml). V2 collections answer 204 with no body
 * when empty; that is read as an empty list.
 *
 * Refunds made through the API do not return stock (research §6.2): the sync adjusts it itself.
 */
import { z } from 'zod';
import { checkRequest, type BigCommerceHttp } from './http';
import { collectPages, iteratePages } from './paging';
import {
  orderConsignmentsSchema,
  orderProductSchema,
  orderSchema,
  orderShippingAddressSchema,
  orderStatusSchema,
  refundCreateSchema,
  refundQuoteRequestSchema,
  refundQuoteSchema,
  refundSchema,
  shipmentCreateSchema,
  shipmentSchema,
  v3Data,
  v3Page,
  type Order,
  type OrderConsignments,
  type OrderProduct,
  type OrderShippingAddress,
  type OrderStatus,
  type Refund,
  type RefundCreate,
  type RefundQuote,
  type RefundQuoteRequest,
  type Shipment,
  type ShipmentCreate,
} from './schemas';

/** V2 page size: default 50, max 250. */
export const V2_PAGE_LIMIT = 250;

export type OrderFilters = {
  min_id?: number;
  max_id?: number;
  status_id?: number;
  channel_id?: number;
  customer_id?: number;
  external_order_id?: string;
  cart_id?: string;
  /** RFC-2822 or ISO-8601 date. */
  min_date_created?: string;
  max_date_created?: string;
  min_date_modified?: string;
  max_date_modified?: string;
  sort?: string;
  page?: number;
  limit?: number;
};

export type RefundFilters = {
  'order_id:in'?: readonly number[];
  'id:in'?: readonly number[];
  'created:min'?: string;
  'created:max'?: string;
  page?: number;
  limit?: number;
};

const orderList = z.array(orderSchema);
const orderProductList = z.array(orderProductSchema);
const shippingAddressList = z.array(orderShippingAddressSchema);
const shipmentList = z.array(shipmentSchema);
const statusList = z.array(orderStatusSchema);
const refundPage = v3Page(refundSchema);
const refundData = v3Data(refundSchema);
const refundQuoteData = v3Data(refundQuoteSchema);

export function createOrdersApi(http: BigCommerceHttp) {
  const list = (filters: OrderFilters = {}): Promise<Order[]> =>
    http.request({ method: 'GET', path: '/v2/orders', query: filters, schema: orderList, whenEmpty: [] });

  /** All pages of a V2 sub-collection of one order. */
  function allOf<T>(path: string, orderId: number, schema: z.ZodType<T[]>): Promise<T[]> {
    return collectPages(
      iteratePages(
        async (page) => ({
          data: await http.request({ method: 'GET', path, params: { order_id: orderId }, query: { page, limit: V2_PAGE_LIMIT }, schema, whenEmpty: [] }),
        }),
        V2_PAGE_LIMIT,
      ),
    );
  }

  const listRefunds = async (filters: RefundFilters = {}) => {
    const result = await http.request({ method: 'GET', path: '/v3/orders/payment_actions/refunds', query: filters, schema: refundPage });
    return { data: result.data, pagination: result.meta?.pagination };
  };

  return {
    async get(orderId: number): Promise<Order> {
      return http.request({ method: 'GET', path: '/v2/orders/{order_id}', params: { order_id: orderId }, schema: orderSchema });
    },
    /** One page of orders (default sort: id ascending). */
    list,
    pages(filters: Omit<OrderFilters, 'page'> = {}): AsyncGenerator<Order[], void, undefined> {
      const limit = filters.limit ?? V2_PAGE_LIMIT;
      return iteratePages(async (page) => ({ data: await list({ ...filters, page, limit }) }), limit);
    },
    /** Line items; their `id` is what shipments and refunds refer to. */
    products(orderId: number): Promise<OrderProduct[]> {
      return allOf('/v2/orders/{order_id}/products', orderId, orderProductList);
    },
    shippingAddresses(orderId: number): Promise<OrderShippingAddress[]> {
      return allOf('/v2/orders/{order_id}/shipping_addresses', orderId, shippingAddressList);
    },
    /** Shipping and pickup consignments (pickups name their location: BOPIS). */
    consignments(orderId: number): Promise<OrderConsignments> {
      return http.request({ method: 'GET', path: '/v2/orders/{order_id}/consignments', params: { order_id: orderId }, schema: orderConsignmentsSchema });
    },
    shipments: {
      list(orderId: number): Promise<Shipment[]> {
        return allOf('/v2/orders/{order_id}/shipments', orderId, shipmentList);
      },
      /** Not retried after an ambiguous failure: a repeat would ship the items twice. */
      async create(orderId: number, input: ShipmentCreate): Promise<Shipment> {
        const path = '/v2/orders/{order_id}/shipments';
        const body = checkRequest(shipmentCreateSchema, input, 'POST', path);
        return http.request({ method: 'POST', path, params: { order_id: orderId }, body, schema: shipmentSchema });
      },
    },
    statuses(): Promise<OrderStatus[]> {
      return http.request({ method: 'GET', path: '/v2/order_statuses', schema: statusList });
    },
    async updateStatus(orderId: number, statusId: number): Promise<Order> {
      const path = '/v2/orders/{order_id}';
      const body = checkRequest(z.strictObject({ status_id: z.number().int().min(0) }), { status_id: statusId }, 'PUT', path);
      return http.request({ method: 'PUT', path, params: { order_id: orderId }, body, schema: orderSchema });
    },
    refunds: {
      /** What a refund of `items` would cost and how it can be paid back. Read-only, so retried freely. */
      async quote(orderId: number, input: RefundQuoteRequest): Promise<RefundQuote> {
        const path = '/v3/orders/{order_id}/payment_actions/refund_quotes';
        const body = checkRequest(refundQuoteRequestSchema, input, 'POST', path);
        const result = await http.request({ method: 'POST', path, params: { order_id: orderId }, body, schema: refundQuoteData, idempotent: true });
        return result.data;
      },
      /** Not retried after an ambiguous failure: a repeat could refund twice. */
      async create(orderId: number, input: RefundCreate): Promise<Refund> {
        const path = '/v3/orders/{order_id}/payment_actions/refunds';
        const body = checkRequest(refundCreateSchema, input, 'POST', path);
        const result = await http.request({ method: 'POST', path, params: { order_id: orderId }, body, schema: refundData });
        return result.data;
      },
      async forOrder(orderId: number): Promise<Refund[]> {
        const result = await http.request({
          method: 'GET',
          path: '/v3/orders/{order_id}/payment_actions/refunds',
          params: { order_id: orderId },
          schema: refundPage,
        });
        return result.data;
      },
      /** Refunds across orders. */
      list: listRefunds,
    },
  };
}

export type OrdersApi = ReturnType<typeof createOrdersApi>;
