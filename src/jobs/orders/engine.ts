/**
 * Online orders both ways (DESIGN §2 orders row, §5 routing). This file fetches and writes;
 * the rules are in core/orders, core/routing and core/inventory.
 *
 * - Intake: a BigCommerce order is read (order, lines, consignments, address), recorded, its
 *   units kept in flight, and once paid it is routed and booked: one Lightspeed sale per
 *   fulfilling outlet, exactly once. The sale's id is fixed before it is created (derived from
 *   store, order and outlet) and claimed in `order_sales` first; Lightspeed treats a repeated
 *   create with that id as the same sale, and the job looks the sale up before creating it, so a
 *   retry, a duplicate webhook, a second worker or a crash between the call and the database
 *   write never books twice.
 * - Fulfilment: a Lightspeed sale's fulfilments become BigCommerce shipments (only the units not
 *   shipped yet, read from BigCommerce itself, so a lost answer is never shipped twice) and
 *   statuses; the units leave the in-flight ledger once a Lightspeed read shows them gone.
 * - Cancellations void the sales; refunds with items become Lightspeed returns, once per refund.
 */
import { hasCompleteIntake, needsIntake, orderFingerprint, type OrderListing } from '../../core/orders/fingerprint';
import { createHash } from 'node:crypto';
import { bigcommerceReturnedStock, orderStockPlan } from '../../core/inventory/orders';
import { breakdown } from '../../core/inventory/levels';
import { reserveFor } from '../../core/inventory/inputs';
import { orderPhase, reduceSale, saleDraftFor, shipmentFor, shipToLine, statusAfterFulfilment, type BookingSettings, type OrderFacts, type SaleReduction } from '../../core/orders/booking';
import { routeOrder, type RoutingDecision, type RoutingOutlet } from '../../core/routing/route';
import { inventoryFor } from '../../db/repositories/inventory';
import { ordersFor, type OnlineOrder, type OrderSale } from '../../db/repositories/orders';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import type { OrderLineRecord } from '../../db/orders-schema';
import { distanceKm, locatePostalCode, sameRegion } from '../../integrations/geo/postal';
import { V2_PAGE_LIMIT } from '../../integrations/bigcommerce/orders';
import { LightspeedApiError, LightspeedNetworkError } from '../../integrations/lightspeed/errors';
import { bigcommerceClientFor, lightspeedClientFor, NotConnected, type BigCommerceClient, type LightspeedClient } from '../clients';
import type { JobContext } from '../define';
import { markInventoryDirty } from '../definitions/inventory-sync';
import { DEFAULT_LOCATION_ID, outletSettingsOf } from '../inventory/engine';

type Ctx = Pick<JobContext, 'deps' | 'enqueue'>;

/** Orders of these BigCommerce channel types are booked: the storefronts Counterpart lists products on. */
const BOOKED_CHANNEL_TYPES = new Set(['storefront']);

const money = (s: string | number | null | undefined) => (s === null || s === undefined ? 0 : Number(s));

/** The Lightspeed sale id of an order's share at an outlet: the same on every attempt, anywhere. */
export function saleIdFor(storeId: string, bcOrderId: number, lsOutletId: string): string {
  const h = createHash('sha256').update(`counterpart:${storeId}:${bcOrderId}:${lsOutletId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

export interface IntakeResult {
  state: OnlineOrder['state'];
  booked: number;
  committed: number;
  closed: number;
  /**
   * Sales whose booking this intake recorded for Lightspeed already holding them (an earlier
   * attempt's answer was lost): staff may have fulfilled them meanwhile, and a change to a sale
   * still being booked is not worked, so the caller sends each to orders.sale.
   */
  heldSales: string[];
}

/**
 * Reads a BigCommerce order and brings the app's record, the in-flight ledger and the bookings in
 * line. A failure is shown on the order (state `error`, with its cause) and in the activity log
 * (once per distinct cause, not at every automatic retry), then rethrown so the job retries.
 */
export async function intakeOrder(ctx: Ctx, storeId: string, orderId: number): Promise<IntakeResult> {
  try {
    return await takeIn(ctx, storeId, orderId);
  } catch (error) {
    // Not connected: nothing the order can fix; the overview says why and the poll catches up.
    if (!(error instanceof NotConnected)) await recordIntakeFailure(ctx, storeId, orderId, error);
    throw error;
  }
}

async function recordIntakeFailure(ctx: Ctx, storeId: string, orderId: number, error: unknown): Promise<void> {
  const db = ctx.deps.database.db;
  const repo = ordersFor(db, storeId);
  const cause = plainCause(error);
  try {
    const record = await repo.orders.get(orderId);
    const failed = (await repo.sales.forOrder(orderId)).find((s) => s.state === 'booking' && s.error !== null);
    const outlet = failed ? ((await inventoryFor(db, storeId).outlets.get(failed.lsOutletId))?.name ?? failed.lsOutletId) : null;
    const what = outlet ? `could not be booked in Lightspeed at ${outlet}` : record ? 'could not be taken in' : 'could not be read from BigCommerce';
    const attention = `Order #${orderId} ${what}: ${cause}. Counterpart retries it automatically; Retry tries again now.`;
    const repeated = record?.state === 'error' && record.attention === attention;
    if (record) await repo.orders.update(orderId, { state: 'error', flagged: true, attention });
    if (!repeated) {
      await forStore(db, ctx.deps.secrets, storeId).activity.record({
        kind: 'order.failed',
        outcome: 'error',
        summary: `Order #${orderId} ${what}`,
        reason: `${cause}; retried automatically, or press Retry on the Orders page`,
        entityType: 'order',
        entityId: String(orderId),
      });
    }
  } catch (recording) {
    console.error(`[orders] could not record the failure of order ${orderId}:`, recording);
  }
}

/** A failure in the merchant's words, with the platform's own answer kept for support. */
function plainCause(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof LightspeedApiError) {
    if (error.status >= 500) return `Lightspeed had a problem on its side (it answered ${error.status}; usually brief). ${message}`;
    if (error.status === 429) return `Lightspeed asked Counterpart to slow down (429). ${message}`;
  }
  if (error instanceof LightspeedNetworkError) return `Lightspeed could not be reached${error.timedOut ? ' in time' : ''}. ${message}`;
  return message;
}

/** A value per key (a store, or a store's channel), read at most once per `ttlMs` in this process; a failed read is not kept. */
function processCache<T>(ttlMs: number) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      const cached = entries.get(key);
      if (cached && Date.now() - cached.at < ttlMs) return cached.value;
      const value = load();
      entries.set(key, { at: Date.now(), value });
      value.catch(() => entries.delete(key));
      return value;
    },
    forget(key: string): void {
      entries.delete(key);
    },
  };
}

/**
 * The store's inventory settings (when BigCommerce takes an order's stock, whether a cancellation
 * gives it back) decide what an order means for stock, and BigCommerce sends no webhook when they
 * change. Read at most once a minute per store and process rather than on every order webhook.
 */
const inventorySettings = processCache<Awaited<ReturnType<BigCommerceClient['inventory']['settings']['get']>>>(60_000);
/** A channel's type (storefront, marketplace, POS) is fixed when it is created: read once per store and channel every 10 minutes, not on every new order. */
const channels = processCache<Awaited<ReturnType<BigCommerceClient['channels']['get']>>>(10 * 60_000);

async function takeIn(ctx: Ctx, storeId: string, orderId: number): Promise<IntakeResult> {
  const db = ctx.deps.database.db;
  const inventory = inventoryFor(db, storeId);
  const repo = ordersFor(db, storeId);
  const store = await storesRepository(db).findById(storeId);
  if (!store) return { state: 'recorded', booked: 0, committed: 0, closed: 0, heldSales: [] };
  const bc = await bigcommerceClientFor(ctx.deps, storeId);
  const existing = await repo.orders.get(orderId);
  // Once routed, where the order goes is decided: its consignments and address are not read again
  // on every later webhook (two requests of the store's quota each time).
  const settled = existing && existing.routing !== null ? existing : null;
  // A known order is read first: when it still says what its last complete intake read (a
  // duplicate webhook, a second scope for the same change) there is nothing to do, and its
  // products and consignments are not read. The shipping consignment carries the address
  // (postcode, city, region, country, method), so the shipping addresses are never read.
  const first = hasCompleteIntake(existing) ? await bc.orders.get(orderId) : null;
  if (first && existing && !needsIntake(first, existing)) return { state: existing.state, booked: 0, committed: 0, closed: 0, heldSales: [] };
  const [order, products, consignments, settings] = await Promise.all([
    first ?? bc.orders.get(orderId),
    bc.orders.products(orderId),
    settled ? null : bc.orders.consignments(orderId),
    inventorySettings.get(storeId, () => bc.inventory.settings.get()),
  ]);
  const linked = new Map((await inventory.linkedVariants()).map((v) => [v.bcVariantId, v.lsProductId]));
  const pickupLocationId = settled ? settled.pickupLocationId : (consignments?.pickups?.[0]?.location.id ?? null);
  const address = consignments?.shipping?.[0];
  const lines: OrderLineRecord[] = products.map((p) => ({
    lineId: p.id,
    lsProductId: p.variant_id ? (linked.get(p.variant_id) ?? null) : null,
    bcVariantId: p.variant_id ?? null,
    name: p.name,
    sku: p.sku,
    quantity: p.quantity,
    priceExTax: money(p.price_ex_tax),
    priceIncTax: money(p.price_inc_tax),
    basePrice: money(p.base_price),
    quantityRefunded: p.quantity_refunded,
  }));
  const record = await repo.orders.upsert({
    bcOrderId: orderId,
    statusId: order.status_id,
    channelId: order.channel_id,
    pickupLocationId,
    ...(settled
      ? { orderAddressId: settled.orderAddressId, destination: settled.destination, shippingMethod: settled.shippingMethod }
      : {
          // Shipments name the address their items go to: the lines' own.
          orderAddressId: products.find((p) => p.order_address_id)?.order_address_id ?? address?.id ?? null,
          destination: address
            ? {
                postcode: address.zip ?? null,
                city: address.city ?? null,
                region: address.state ?? null,
                country: address.country_iso2 ?? null,
                name: [address.first_name, address.last_name].filter(Boolean).join(' ') || null,
                company: address.company || null,
                street1: address.street_1 || null,
                street2: address.street_2 || null,
                phone: address.phone || null,
              }
            : null,
          shippingMethod: address?.shipping_method ?? null,
        }),
    shippingCostExTax: String(money(order.shipping_cost_ex_tax)),
    shippingCostIncTax: String(money(order.shipping_cost_inc_tax)),
    customerMessage: order.customer_message ?? null,
    total: String(money(order.total_inc_tax)),
    lines,
    placedAt: new Date(order.date_created),
  });

  // Orders of channels Counterpart does not list on (a marketplace, say) are recorded and left alone.
  const channel = existing ? null : await channels.get(`${storeId}:${order.channel_id}`, () => bc.channels.get(order.channel_id)).catch(() => null);
  const otherChannel = existing?.state === 'unmanaged' && existing.attention !== null ? true : channel !== null && !BOOKED_CHANNEL_TYPES.has(channel.type);

  // 1. In flight: units BigCommerce took and Lightspeed does not reflect yet (Counterpart's orders only).
  const plan = otherChannel ? { commitments: [], unmanaged: lines.map((l) => l.lineId) } : orderStockPlan(
    { id: order.id, statusId: order.status_id, pickupLocationId, lines: lines.map((l) => ({ id: l.lineId, bcVariantId: l.bcVariantId, quantity: l.quantity })) },
    (variantId) => linked.get(variantId),
    { mode: store.stockMode ?? 'default-location', defaultLocationId: DEFAULT_LOCATION_ID, behavior: settings.update_stock_behavior ?? 'order_placed' },
  );
  const commitmentRows = await inventory.commitments.forOrder(orderId);
  const open = commitmentRows.filter((c) => c.state === 'open');
  let committed = 0;
  let closed = 0;
  const phase = orderPhase(order.status_id);
  if (plan.commitments.length > 0 && commitmentRows.length === 0) {
    committed = (await inventory.commitments.add(plan.commitments.map((c) => ({ bcOrderId: orderId, ...c, lsOutletId: null })))).length;
  } else if (plan.commitments.length === 0 && open.length > 0 && (phase === 'cancelled' || phase === 'refunded' || phase === 'incomplete')) {
    const returned = bigcommerceReturnedStock({ statusId: order.status_id, refundedAmount: money(order.refunded_amount) }, { refundOrderStockAdjustment: settings.refund_order_stock_adjustment ?? true });
    closed = (await inventory.commitments.close(open.map((c) => c.id), 'cancelled', { returned })).length;
  }

  // 2. Bookings.
  let state: OnlineOrder['state'] = existing?.state ?? 'recorded';
  let booked = 0;
  let heldSales: string[] = [];
  const managed = lines.filter((l) => l.lsProductId !== null);
  if (otherChannel && channel) {
    // A marketplace or another channel's order: recorded and shown, not booked by Counterpart.
    state = 'unmanaged';
    await repo.orders.update(orderId, { state, attention: `Orders from the ${channel.name} channel (${channel.type}) are not booked in Lightspeed by Counterpart` });
  } else if (otherChannel) {
    // recorded as such when first seen
  } else if (managed.length === 0) {
    state = 'unmanaged';
    await repo.orders.update(orderId, { state, attention: null });
  } else if (phase === 'cancelled') {
    await voidSales(ctx, storeId, orderId);
    state = 'cancelled';
    await repo.orders.update(orderId, { state });
  } else if (phase === 'refunded') {
    // The refund's own webhook returns the items; nothing to undo twice here. A booking left
    // unfinished (Lightspeed failed it, or its answer was lost) is not retried for a refunded
    // order: settled from Lightspeed itself, so the refund does not wait for it forever.
    heldSales = await settleBookings(ctx, storeId, orderId);
    state = 'refunded';
    await repo.orders.update(orderId, { state });
  } else if (phase === 'bookable' || ((phase === 'shipped' || phase === 'completed') && state !== 'recorded' && state !== 'waiting')) {
    const result = await routeAndBook(ctx, storeId, record, managed);
    booked = result.booked;
    state = result.state;
    heldSales = result.heldSales;
  } else if (phase === 'awaiting-payment' || phase === 'incomplete') {
    state = 'waiting';
    await repo.orders.update(orderId, { state, attention: null });
  }

  // The safety net for refunds: a refund whose own webhook was lost still reaches Lightspeed when
  // the order's status webhook or the order poll brings the order here (one read, only for an
  // order with money refunded; each refund is claimed once, so one already handled is skipped).
  if (managed.length > 0 && !otherChannel && money(order.refunded_amount) > 0) {
    const handled = new Set((await repo.refunds.forOrder(orderId)).filter((r) => !r.outcome.startsWith('failed')).map((r) => r.bcRefundId));
    for (const refund of await bc.orders.refunds.forOrder(orderId)) if (!handled.has(refund.id)) await handleRefund(ctx, storeId, orderId, refund.id);
  }

  const touched = [...new Set([...plan.commitments.map((c) => c.lsProductId), ...open.map((c) => c.lsProductId), ...managed.map((l) => l.lsProductId!)])];
  if (committed > 0 || closed > 0 || booked > 0) await markInventoryDirty(ctx, storeId, touched, 'order', new Date(order.date_modified));
  if (!existing && !otherChannel && plan.unmanaged.length > 0 && managed.length > 0) {
    await forStore(db, ctx.deps.secrets, storeId).activity.record({
      kind: 'order.unmanaged-lines',
      outcome: 'info',
      summary: `Order #${orderId}: ${plan.unmanaged.length} line${plan.unmanaged.length === 1 ? ' is a product' : 's are products'} Counterpart does not sync; their stock is left to BigCommerce`,
      reason: 'not linked to a Lightspeed item',
      entityType: 'order',
      entityId: String(orderId),
    });
  }
  // Complete: what it read is what the order poll compares its listing with.
  await repo.orders.update(orderId, { takenIn: orderFingerprint(order) });
  return { state, booked, committed, closed, heldSales };
}

/** The in-flight units follow a routing decision just kept, line by line, outlet by outlet; the decision is said in the activity log. */
async function routeLines(ctx: Ctx, storeId: string, bcOrderId: number, decision: RoutingDecision): Promise<void> {
  const parts = new Map<number, { lsOutletId: string; quantity: number }[]>();
  for (const a of decision.allocations) for (const l of a.lines) parts.set(l.lineId, [...(parts.get(l.lineId) ?? []), { lsOutletId: a.outletId, quantity: l.quantity }]);
  const inventory = inventoryFor(ctx.deps.database.db, storeId);
  for (const [lineId, p] of parts) await inventory.commitments.routeLine(bcOrderId, lineId, p);
  await forStore(ctx.deps.database.db, ctx.deps.secrets, storeId).activity.record({
    kind: 'order.routed',
    outcome: decision.flagged ? 'warning' : 'ok',
    summary: `Order #${bcOrderId}: ${decision.summary}`,
    reason: decision.reasons.join('; '),
    entityType: 'order',
    entityId: String(bcOrderId),
  });
}

/** Routes the order (once) and books each outlet's share (each exactly once). */
async function routeAndBook(ctx: Ctx, storeId: string, record: OnlineOrder, managed: OrderLineRecord[]): Promise<{ booked: number; state: OnlineOrder['state']; heldSales: string[] }> {
  const db = ctx.deps.database.db;
  const repo = ordersFor(db, storeId);
  const activity = forStore(db, ctx.deps.secrets, storeId).activity;
  let decision = record.routing as unknown as RoutingDecision | null;
  if (!decision) {
    decision = await decideRoute(ctx, storeId, record, managed);
    // Decided once: two intakes of the order at once (its job and the order poll) may each decide,
    // from stock that moved in between, and two decisions would book it at two outlets.
    if (!(await repo.orders.decideRouting(record.bcOrderId, { routing: decision as unknown as Record<string, unknown>, flagged: decision.flagged, attention: decision.flagged ? decision.summary : null }))) {
      decision = (await repo.orders.get(record.bcOrderId))?.routing as unknown as RoutingDecision | null;
      if (!decision) throw new Error(`Order #${record.bcOrderId}: its routing decision could not be read back`);
    } else await routeLines(ctx, storeId, record.bcOrderId, decision);
  }
  if (decision.allocations.length === 0) return { booked: 0, state: 'routed', heldSales: [] };
  const ls = await lightspeedClientFor(ctx.deps, storeId);
  let resolved: Promise<ResolvedBookingSettings> | undefined;
  const bookingSettingsOnce = () => (resolved ??= bookingSettings(ctx, storeId, ls));
  const facts: OrderFacts = {
    id: record.bcOrderId,
    reference: `#${record.bcOrderId}`,
    pickup: record.pickupLocationId !== null,
    shippingMethod: record.shippingMethod,
    shippingCostExTax: money(record.shippingCostExTax),
    shippingCostIncTax: money(record.shippingCostIncTax),
    customerMessage: record.customerMessage,
    shipTo: record.pickupLocationId === null ? shipToLine(record.destination) : null,
    lines: managed.map((l) => ({ ...l, lsProductId: l.lsProductId })),
  };
  let booked = 0;
  const heldSales: string[] = [];
  for (const [index, share] of decision.allocations.entries()) {
    const lsSaleId = saleIdFor(storeId, record.bcOrderId, share.outletId);
    const claim = await repo.sales.claim({ bcOrderId: record.bcOrderId, lsOutletId: share.outletId, lsSaleId, lines: share.lines.map((l) => ({ bcLineId: l.lineId, lsProductId: l.lsProductId, quantity: l.quantity })), backorder: share.backorder });
    if (claim.state !== 'booking') continue;
    try {
      const settings = await bookingSettingsOnce();
      // Look first: the sale may exist from an attempt whose answer was lost.
      let sale: Awaited<ReturnType<typeof ls.sales.create>> | null = await ls.sales.get(claim.lsSaleId);
      // Made by an earlier attempt (or, marked existing, met by the create's own repeat): staff may have worked it since.
      let fromEarlier = sale !== null;
      if (!sale) {
        const draft = saleDraftFor(facts, share, share.outletId, { ...settings, registerId: settings.registerFor(share.outletId) }, index === 0);
        sale = await ls.sales.create({
          id: claim.lsSaleId,
          authorId: draft.authorId,
          registerId: draft.registerId,
          sourceId: draft.sourceId,
          sourceType: draft.sourceType,
          state: draft.state,
          note: draft.note,
          fulfillmentOutletId: draft.fulfillmentOutletId,
          fulfillmentDetails: draft.fulfillmentDetails,
          lineItems: draft.lines.map(({ bcLineId: _bcLineId, ...l }) => l),
          payments: [{ paymentTypeId: draft.payment.paymentTypeId, amount: draft.payment.amount }],
        });
        fromEarlier = sale.existing === true;
      }
      // Two intakes of one order at once (a webhook's job and the order poll) both reach here for
      // a sale an earlier attempt made: the first records it, the other has nothing to add. Or
      // the order was cancelled while this create was on its way: the cancellation found no sale
      // to void and closed the booking, so the sale just made is voided here.
      if (!(await recordBooked(ctx, storeId, record.bcOrderId, share.outletId, sale))) {
        const [booking] = await repo.sales.bySaleIds([sale.id]);
        if (booking?.state === 'voided') await voidLateSale(ctx, storeId, booking, ls, settings.authorId, sale);
        continue;
      }
      if (fromEarlier) heldSales.push(sale.id);
      booked++;
      await activity.record({
        kind: 'order.booked',
        outcome: 'ok',
        summary: `Order #${record.bcOrderId} booked in Lightspeed at ${settings.outletName(share.outletId)} (sale ${sale.invoiceNumber ?? claim.lsSaleId})`,
        reason: record.pickupLocationId !== null ? 'awaiting pickup' : 'awaiting dispatch',
        entityType: 'order',
        entityId: String(record.bcOrderId),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof LightspeedApiError && error.status >= 400 && error.status < 500 && error.status !== 429) referenceData.forget(storeId);
      await repo.sales.setState(record.bcOrderId, share.outletId, { error: message });
      throw error; // intakeOrder shows it on the order and in the activity log
    }
  }
  const sales = await repo.sales.forOrder(record.bcOrderId);
  const live = sales.filter((s) => s.state !== 'voided');
  // Every booking closed as voided meanwhile: the order was cancelled (or refunded) under this
  // intake, and the intake that said so set its state; it is not overwritten here.
  if (live.length === 0) return { booked, state: (await repo.orders.get(record.bcOrderId))?.state ?? 'cancelled', heldSales };
  // A status webhook after fulfilment brings the order here again: fulfilled stays fulfilled.
  const state = live.every((s) => s.state === 'fulfilled') ? 'fulfilled' : sales.every((s) => s.state !== 'booking') ? 'booked' : 'routed';
  // A failure shown earlier is over once everything is booked; what the routing flagged stays.
  await repo.orders.update(record.bcOrderId, { state, flagged: decision.flagged, attention: decision.flagged ? decision.summary : null });
  return { booked, state, heldSales };
}

/** The routing inputs: each mapped outlet's stock available online, today's load, its distance. */
async function decideRoute(ctx: Ctx, storeId: string, record: OnlineOrder, managed: OrderLineRecord[]): Promise<RoutingDecision> {
  const db = ctx.deps.database.db;
  const inventory = inventoryFor(db, storeId);
  const repo = ordersFor(db, storeId);
  const outlets = (await inventory.outlets.list()).filter((o) => !o.retired);
  const productIds = managed.map((l) => l.lsProductId!);
  const [onHand, commitments, settings] = await Promise.all([inventory.onHand(productIds), inventory.commitments.openFor(productIds), repo.settings.get()]);
  const startOfDay = new Date();
  startOfDay.setUTCHours(0, 0, 0, 0);
  const today = await repo.sales.countSince(startOfDay);
  const dest = record.destination;
  const place = locatePostalCode(dest?.postcode, dest?.country);
  const items = await inventory.linkedVariants(productIds);
  const reserves = await inventory.reserves.forItems([...new Set(items.map((i) => i.lsItemId))]);
  const routingOutlets: RoutingOutlet[] = outlets.map((o) => {
    const available = new Map<string, number>();
    for (const productId of productIds) {
      const item = items.find((i) => i.lsProductId === productId);
      const rules = reserves.filter((r) => r.lsItemId === item?.lsItemId).map((r) => ({ lsOutletId: r.lsOutletId, rule: { kind: r.kind, value: r.value } }));
      const b = breakdown({
        outletId: o.lsOutletId,
        locationId: o.bcLocationId,
        publishes: o.publishes,
        onHand: onHand.find((r) => r.productId === productId && r.outletId === o.lsOutletId)?.onHand ?? 0,
        // Other orders' units at this outlet, not this order's own (it is being routed).
        committed: commitments.filter((c) => c.lsProductId === productId && c.lsOutletId === o.lsOutletId && c.bcOrderId !== record.bcOrderId).reduce((s, c) => s + c.quantity, 0),
        reserve: reserveFor(outletSettingsOf(o), rules),
      });
      available.set(productId, b.available);
    }
    const here = o.latitude !== null && o.longitude !== null ? { latitude: o.latitude, longitude: o.longitude } : null;
    return {
      outletId: o.lsOutletId,
      name: o.name,
      locationId: o.bcLocationId,
      fulfils: o.fulfils,
      rank: o.rank,
      capacity: o.dailyCapacity,
      ordersToday: today.get(o.lsOutletId) ?? 0,
      available,
      distanceKm: here && place ? Math.round(distanceKm(here, place) * 10) / 10 : null,
      sameRegion: sameRegion(o.address?.state, dest?.region ?? place?.region),
      sameCountry: !!o.address?.countryCode && !!(dest?.country ?? place?.country) && o.address.countryCode.toUpperCase() === (dest?.country ?? place?.country ?? '').toUpperCase(),
    };
  });
  const wanted = managed.map((l) => ({ lineId: l.lineId, lsProductId: l.lsProductId!, quantity: l.quantity - l.quantityRefunded }));
  const decision = routeOrder({ lines: wanted, pickupLocationId: record.pickupLocationId, outlets: routingOutlets, backorderOutletId: settings.backorderOutletId });
  // The merchant may prefer not to split: an order no outlet fills alone then goes to the backorder outlet whole.
  if (decision.kind === 'split' && settings.splitPolicy === 'backorder' && settings.backorderOutletId) {
    const backorder = routingOutlets.find((o) => o.outletId === settings.backorderOutletId);
    return {
      kind: 'backorder',
      allocations: [{ outletId: settings.backorderOutletId, lines: wanted, backorder: true }],
      flagged: true,
      summary: `No single outlet has everything and orders are not split: sent whole to ${backorder?.name ?? 'the backorder outlet'}`,
      reasons: decision.reasons,
    };
  }
  return decision;
}

interface ResolvedBookingSettings extends Omit<BookingSettings, 'registerId'> {
  registerFor(outletId: string): string;
  outletName(outletId: string): string;
}

/**
 * Lightspeed's registers, users, payment types and taxes change rarely (a merchant adds a
 * register or a tax now and then), yet every booking, void and return needs them: read once per
 * store and kept for ten minutes in this process, not four requests per order out of the
 * retailer's 5-minute quota. A booking Lightspeed refuses drops the store's copy, so the retry
 * works from fresh data.
 */
async function loadReferenceData(ls: LightspeedClient) {
  const [registers, users, paymentTypes, taxes] = await Promise.all([collect(ls.registers.all()), collect(ls.users.all()), collect(ls.paymentTypes.all()), collect(ls.taxes.all())]);
  return { registers, users, paymentTypes, taxes };
}
const referenceData = processCache<Awaited<ReturnType<typeof loadReferenceData>>>(10 * 60_000);

/** Who books, on which register, paid how, taxed how: from Lightspeed's setup and the merchant's settings. */
async function bookingSettings(ctx: Ctx, storeId: string, ls: LightspeedClient): Promise<ResolvedBookingSettings> {
  const settings = await ordersFor(ctx.deps.database.db, storeId).settings.get();
  const outlets = await inventoryFor(ctx.deps.database.db, storeId).outlets.list();
  const { registers, users, paymentTypes, taxes } = await referenceData.get(storeId, () => loadReferenceData(ls));
  const liveRegisters = registers.filter((r) => !r.deletedAt);
  const author = users.find((u) => (u as { isPrimaryUser?: boolean }).isPrimaryUser) ?? users[0];
  const payment = paymentTypes.find((p) => p.id === settings.paymentTypeId) ?? paymentTypes.find((p) => !p.disabled && !p.deletedAt && !p.internal) ?? paymentTypes[0];
  const taxDefault = taxes.find((t) => t.isDefault && !t.deletedAt) ?? taxes[0];
  const noTax = taxes.find((t) => t.rate === 0 && !t.deletedAt) ?? taxDefault;
  if (!author || !payment || !taxDefault || !noTax || liveRegisters.length === 0) {
    throw new Error('Lightspeed has no user, payment type, tax or register to book online orders with');
  }
  return {
    shipping: settings.shippingMode === 'line' && settings.shippingProductId ? { mode: 'line', lsProductId: settings.shippingProductId } : { mode: 'note' },
    paymentTypeId: payment.id,
    taxId: taxDefault.id,
    noTaxId: noTax.id,
    authorId: author.id,
    // A warehouse has no register: its sales are rung on another outlet's register, fulfilled from the warehouse.
    registerFor: (outletId) => (liveRegisters.find((r) => r.outletId === outletId && r.isOpen) ?? liveRegisters.find((r) => r.outletId === outletId) ?? liveRegisters.find((r) => r.isOpen) ?? liveRegisters[0]!).id,
    outletName: (outletId) => outlets.find((o) => o.lsOutletId === outletId)?.name ?? outletId,
  };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A cancelled order: every booked sale is voided (Lightspeed puts back what was taken). */
async function voidSales(ctx: Ctx, storeId: string, orderId: number): Promise<void> {
  const repo = ordersFor(ctx.deps.database.db, storeId);
  const sales = (await repo.sales.forOrder(orderId)).filter((s) => s.state === 'booked' || s.state === 'booking' || s.state === 'fulfilled');
  if (sales.length === 0) return;
  const ls = await lightspeedClientFor(ctx.deps, storeId);
  const settings = await bookingSettings(ctx, storeId, ls);
  for (const s of sales) {
    // A booking whose create has not landed yet finds no sale here and is closed as voided: when
    // the create lands, the booking (or the sale's job, `syncSale`) voids what it made.
    const sale = await ls.sales.get(s.lsSaleId);
    if (sale && sale.state !== 'voided') await ls.sales.void(s.lsSaleId, { authorId: settings.authorId });
    await repo.sales.setState(orderId, s.lsOutletId, { state: 'voided' });
    await forStore(ctx.deps.database.db, ctx.deps.secrets, storeId).activity.record({
      kind: 'order.voided',
      outcome: 'ok',
      summary: `Order #${orderId} was cancelled in BigCommerce: its Lightspeed sale at ${settings.outletName(s.lsOutletId)} is voided`,
      entityType: 'order',
      entityId: String(orderId),
    });
  }
}

/**
 * A sale Lightspeed took for a booking already closed as voided: its create was still on its way
 * (a slow or retried request, an answer lost) when the order was cancelled, or refunded before it
 * was booked, and the cancellation found no sale to void. Voided now, so staff are not left an
 * open sale for an order that will never ship, and said in the activity log.
 */
async function voidLateSale(ctx: Ctx, storeId: string, booking: OrderSale, ls: LightspeedClient, authorId: string, sale: { id: string; state: string | null }): Promise<void> {
  if (sale.state === 'voided') return;
  await ls.sales.void(sale.id, { authorId });
  await forStore(ctx.deps.database.db, ctx.deps.secrets, storeId).activity.record({
    kind: 'order.voided',
    outcome: 'ok',
    summary: `Order #${booking.bcOrderId}: a Lightspeed sale that arrived after the order was closed is voided`,
    reason: 'the sale was still being created when the order was cancelled',
    entityType: 'order',
    entityId: String(booking.bcOrderId),
  });
}

/**
 * Bookings of an order that will not be booked any more (refunded) left in 'booking': a sale
 * Lightspeed holds (an answer lost) is recorded as booked, with its in-flight units; one it does
 * not hold was never booked and is closed as voided. Runs in the order's own intake job (one per
 * order at a time), so no booking of the same order is under way meanwhile.
 */
async function settleBookings(ctx: Ctx, storeId: string, orderId: number): Promise<string[]> {
  const repo = ordersFor(ctx.deps.database.db, storeId);
  const unfinished = (await repo.sales.forOrder(orderId)).filter((s) => s.state === 'booking');
  if (unfinished.length === 0) return [];
  const ls = await lightspeedClientFor(ctx.deps, storeId);
  const held: string[] = [];
  for (const s of unfinished) {
    const sale = await ls.sales.get(s.lsSaleId);
    if (sale) {
      if (await recordBooked(ctx, storeId, orderId, s.lsOutletId, sale)) held.push(sale.id);
    } else await repo.sales.setState(orderId, s.lsOutletId, { state: 'voided', error: null });
  }
  return held;
}

/**
 * Lightspeed holds the (order, outlet) sale: the booking is recorded, and its in-flight units
 * carry the sale. False when it was recorded already (by another intake of the same order): a
 * sale job may have moved it on since, which is not undone.
 */
async function recordBooked(ctx: Ctx, storeId: string, orderId: number, lsOutletId: string, sale: { id: string; invoiceNumber: string | null }): Promise<boolean> {
  const inventory = inventoryFor(ctx.deps.database.db, storeId);
  if (!(await ordersFor(ctx.deps.database.db, storeId).sales.markBooked(orderId, lsOutletId, { bookedAt: new Date(), lsInvoiceNumber: sale.invoiceNumber ?? null }))) return false;
  await inventory.commitments.attachSale((await inventory.commitments.forOrder(orderId)).filter((c) => c.lsOutletId === lsOutletId).map((c) => c.id), sale.id);
  return true;
}

/** A sale's change came while its booking was still being recorded: retried (orders.sale) once it is. */
export class SaleStillBooking extends Error {
  constructor(readonly lsSaleId: string) {
    super(`the Lightspeed sale ${lsSaleId} is still being booked; its change is worked once the booking is recorded`);
    this.name = 'SaleStillBooking';
  }
}

/**
 * A Lightspeed sale of ours changed: its fulfilled units become BigCommerce shipments (pickups:
 * Completed once everything is collected), and once Lightspeed's inventory shows them gone they
 * leave the in-flight ledger.
 */
export async function syncSale(ctx: Ctx, storeId: string, lsSaleId: string): Promise<{ shipped: number; released: number }> {
  const db = ctx.deps.database.db;
  const repo = ordersFor(db, storeId);
  const inventory = inventoryFor(db, storeId);
  const [mine] = await repo.sales.bySaleIds([lsSaleId]);
  // Lightspeed holds the sale but the booking has not recorded it yet: the change (a fulfilment
  // at the register) is worked once it has: the intake that records it sends the sale here again
  // (IntakeResult.heldSales), and this job's retry is the net under that. Ended here quietly and
  // not sent again, it was never worked, and its units stayed in flight.
  if (mine?.state === 'booking') throw new SaleStillBooking(lsSaleId);
  if (!mine) return { shipped: 0, released: 0 };
  if (mine.state === 'voided') {
    // Closed before its create landed (`voidLateSale`): the net under a booking that died between
    // the create and seeing the booking closed.
    const ls = await lightspeedClientFor(ctx.deps, storeId);
    const sale = await ls.sales.get(lsSaleId);
    if (sale && sale.state !== 'voided') await voidLateSale(ctx, storeId, mine, ls, (await bookingSettings(ctx, storeId, ls)).authorId, sale);
    return { shipped: 0, released: 0 };
  }
  const order = await repo.orders.get(mine.bcOrderId);
  if (!order) return { shipped: 0, released: 0 };
  const ls = await lightspeedClientFor(ctx.deps, storeId);
  const fulfillments = await ls.fulfillments.list({ saleIds: [lsSaleId], pageSize: 100 });
  // Fulfilled units per product at this outlet, mapped back to the order's lines.
  const fulfilledByProduct = new Map<string, number>();
  for (const f of fulfillments) for (const l of f.lineItems) fulfilledByProduct.set(l.productId, (fulfilledByProduct.get(l.productId) ?? 0) + l.fulfilledQuantity);
  const fulfilledLines: { bcLineId: number; lsProductId: string; quantity: number }[] = [];
  const left = new Map(fulfilledByProduct);
  for (const line of mine.lines) {
    const n = Math.min(line.quantity, left.get(line.lsProductId) ?? 0);
    left.set(line.lsProductId, (left.get(line.lsProductId) ?? 0) - n);
    if (n > 0) fulfilledLines.push({ bcLineId: line.bcLineId, lsProductId: line.lsProductId, quantity: n });
  }
  const tracking = fulfillments.map((f) => f.note?.match(/\b[A-Z0-9]{8,30}\b/)?.[0]).find(Boolean);

  // 1. In flight → released: read Lightspeed's inventory now that the stock moved, then let the units go.
  let released = 0;
  const previously = mine.shipped;
  const newly = fulfilledLines.map((l) => ({ ...l, quantity: l.quantity - (previously[String(l.bcLineId)] ?? 0) })).filter((l) => l.quantity > 0);
  if (newly.length > 0) {
    const scope = forStore(db, ctx.deps.secrets, storeId);
    for (const productId of [...new Set(newly.map((l) => l.lsProductId))]) {
      for (const record of await ls.inventory.forProduct(productId)) await scope.lightspeed.acceptVersion('inventory', record.id, record.version, { ...record });
    }
    for (const l of newly) released += await inventory.commitments.release(mine.bcOrderId, l.lsProductId, mine.lsOutletId, l.quantity);
  }

  // 2. BigCommerce: ship what was fulfilled and is not shipped there yet (read from BigCommerce itself).
  const bc = await bigcommerceClientFor(ctx.deps, storeId);
  let shippedNow = 0;
  const allSales = await repo.sales.forOrder(mine.bcOrderId);
  const shippedMap: Record<string, number> = Object.fromEntries(fulfilledLines.map((l) => [String(l.bcLineId), l.quantity]));
  if (order.pickupLocationId === null) {
    const onBigCommerce = new Map<number, number>();
    for (const s of await bc.orders.shipments.list(mine.bcOrderId)) for (const item of s.items) onBigCommerce.set(item.order_product_id, (onBigCommerce.get(item.order_product_id) ?? 0) + item.quantity);
    // What every outlet has fulfilled per line, less what BigCommerce shows shipped.
    const fulfilledEverywhere = new Map<number, number>();
    for (const s of allSales) {
      const source = s.lsOutletId === mine.lsOutletId ? shippedMap : s.shipped;
      for (const [line, n] of Object.entries(source)) fulfilledEverywhere.set(Number(line), (fulfilledEverywhere.get(Number(line)) ?? 0) + n);
    }
    const plan = shipmentFor([...fulfilledEverywhere].map(([bcLineId, quantity]) => ({ bcLineId, quantity })), onBigCommerce);
    if (plan.items.length > 0 && order.orderAddressId !== null) {
      await bc.orders.shipments.create(mine.bcOrderId, {
        order_address_id: order.orderAddressId,
        items: plan.items,
        ...(tracking ? { tracking_number: tracking } : {}),
        comments: `Shipped from ${(await inventory.outlets.get(mine.lsOutletId))?.name ?? 'the store'} (Lightspeed)`,
      });
      shippedNow = plan.items.reduce((s, i) => s + i.quantity, 0);
    }
  }
  const fulfilledHere = fulfilledLines.reduce((s, l) => s + l.quantity, 0);
  const complete = fulfilledHere >= mine.lines.reduce((s, l) => s + l.quantity, 0);
  await repo.sales.setState(mine.bcOrderId, mine.lsOutletId, { shipped: shippedMap, ...(complete ? { state: 'fulfilled' } : {}) });
  const units = order.lines.filter((l) => l.lsProductId !== null).reduce((s, l) => s + l.quantity - l.quantityRefunded, 0);
  const doneEverywhere = (await repo.sales.forOrder(mine.bcOrderId)).reduce((s, x) => s + Object.values(x.shipped).reduce((a, b) => a + b, 0), 0);
  const status = statusAfterFulfilment({ pickup: order.pickupLocationId !== null, units }, doneEverywhere);
  const current = await bc.orders.get(mine.bcOrderId);
  if (status !== null && current.status_id !== status && current.status_id !== 10) await bc.orders.updateStatus(mine.bcOrderId, status);
  // Shipped or Completed, whether this set it or BigCommerce did (a shipment of everything ships the order).
  if (status === 2 || status === 10) await repo.orders.update(mine.bcOrderId, { state: 'fulfilled' });
  if (released > 0) await markInventoryDirty(ctx, storeId, [...new Set(newly.map((l) => l.lsProductId))], 'lightspeed');
  if (shippedNow > 0 || (status === 10 && current.status_id !== 10)) {
    await forStore(db, ctx.deps.secrets, storeId).activity.record({
      kind: 'order.fulfilled',
      outcome: 'ok',
      summary: order.pickupLocationId !== null ? `Order #${mine.bcOrderId} was picked up: Completed in BigCommerce` : `Order #${mine.bcOrderId}: ${shippedNow} unit${shippedNow === 1 ? '' : 's'} shipped from Lightspeed${tracking ? ` (tracking ${tracking})` : ''}`,
      entityType: 'order',
      entityId: String(mine.bcOrderId),
    });
  }
  return { shipped: shippedNow, released };
}

/** A BigCommerce refund, handled once: items go back through a Lightspeed return at the outlet that fulfilled them. */
export async function handleRefund(ctx: Ctx, storeId: string, orderId: number, refundId: number): Promise<string> {
  const db = ctx.deps.database.db;
  const repo = ordersFor(db, storeId);
  const claim = await repo.refunds.claim(refundId, orderId);
  if (!claim) return 'already handled';
  try {
    const bc = await bigcommerceClientFor(ctx.deps, storeId);
    const refund = (await bc.orders.refunds.forOrder(orderId)).find((r) => r.id === refundId);
    if (!refund) {
      await repo.refunds.done(refundId, 'not found');
      return 'not found';
    }
    const items = (refund.items ?? []).filter((i) => i.item_type === 'PRODUCT' && (i.quantity ?? 0) > 0);
    if (items.length === 0) {
      await repo.refunds.done(refundId, 'amount only');
      await forStore(db, ctx.deps.secrets, storeId).activity.record({ kind: 'order.refund', outcome: 'info', summary: `Order #${orderId}: an amount-only refund; no stock changes`, entityType: 'order', entityId: String(orderId) });
      return 'amount only';
    }
    const returns = await returnItems(ctx, storeId, orderId, items.map((i) => ({ bcLineId: i.item_id, quantity: i.quantity ?? 0 })), {
      started: claim.startedReturns,
      record: (ids) => repo.refunds.started(refundId, ids),
    });
    await repo.refunds.done(refundId, 'returned', returns);
    return 'returned';
  } catch (error) {
    // Marked failed, not handled: the job's retry claims it again and finishes what was started.
    await repo.refunds.done(refundId, `failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

async function returnItems(
  ctx: Ctx,
  storeId: string,
  orderId: number,
  items: { bcLineId: number; quantity: number }[],
  attempt: { started: readonly string[]; record: (ids: string[]) => Promise<void> } = { started: [], record: async () => {} },
): Promise<string[]> {
  const db = ctx.deps.database.db;
  const repo = ordersFor(db, storeId);
  const settings = await repo.settings.get();
  const ls = await lightspeedClientFor(ctx.deps, storeId);
  const booking = await bookingSettings(ctx, storeId, ls);
  const created: string[] = [];
  const inventory = inventoryFor(db, storeId);
  // What was fulfilled is Lightspeed's to say: a refund can arrive before the sale's own update
  // (a late or dropped webhook), and fulfilled units must still be returned, not taken as never sent.
  // A sale still being booked (its answer lost, say) may already be fulfilled at the register:
  // what to return is not known until it is booked, so the refund waits for its retry.
  const before = await repo.sales.forOrder(orderId);
  if (before.some((s) => s.state === 'booking')) throw new Error(`Order #${orderId}'s Lightspeed sale is still being booked; the refund is returned once it is`);
  for (const sale of before) if (sale.state === 'booked') await syncSale(ctx, storeId, sale.lsSaleId);
  // A line split over several outlets' sales is refunded once: each sale takes what is left of
  // the refunded quantity (returned if it sent the units, taken off if not), in a fixed order.
  const remaining = new Map<number, number>();
  for (const i of items) remaining.set(i.bcLineId, (remaining.get(i.bcLineId) ?? 0) + i.quantity);
  const live = (await repo.sales.forOrder(orderId)).filter((s) => s.state !== 'voided').sort((a, b) => a.lsSaleId.localeCompare(b.lsSaleId));
  for (const sale of live) {
    const fulfilledHere = (l: { bcLineId: number }) => sale.shipped[String(l.bcLineId)] ?? 0;
    const mine = sale.lines
      .filter((l) => (remaining.get(l.bcLineId) ?? 0) > 0)
      .map((line) => {
        const left = remaining.get(line.bcLineId) ?? 0;
        const sent = Math.min(left, fulfilledHere(line));
        const unsent = Math.min(left - sent, Math.max(0, line.quantity - fulfilledHere(line)));
        remaining.set(line.bcLineId, left - sent - unsent);
        return { bcLineId: line.bcLineId, line, quantity: sent + unsent, sent, unsent };
      })
      .filter((i) => i.quantity > 0);
    if (mine.length === 0) continue;
    // Fulfilled units are returned; units not fulfilled yet leave the sale (below).
    const original = await ls.sales.get(sale.lsSaleId);
    if (!original) continue;
    const toReturn = mine.map((i) => ({ lsProductId: i.line.lsProductId, quantity: i.sent })).filter((r) => r.quantity > 0);
    // A return this refund started in an attempt that failed: finished already, or finished now.
    const earlierId = original.returnSaleIds.find((id) => attempt.started.includes(id));
    const earlier = earlierId ? await ls.sales.get(earlierId) : null;
    if (toReturn.length > 0 && earlier?.state === 'closed') created.push(earlier.id);
    else if (toReturn.length > 0 && original.state === 'closed') {
      const draft = earlier ?? (await ls.sales.startReturn(sale.lsSaleId));
      if (!earlier) await attempt.record([...new Set([...attempt.started, ...created, draft.id])]);
      const lines = draft.lineItems
        .map((l) => ({ l, want: toReturn.find((r) => r.lsProductId === l.productId)?.quantity ?? 0 }))
        .filter((x) => x.want > 0)
        .map(({ l, want }) => ({ id: l.id ?? undefined, productId: l.productId!, quantity: -want, price: l.price ?? 0, taxId: l.taxId ?? booking.noTaxId, taxAmount: l.tax ?? 0, fulfillmentOutletId: sale.lsOutletId }));
      const refund = Math.round(lines.reduce((s, l) => s + (l.price + l.taxAmount) * l.quantity, 0) * 100) / 100;
      await ls.sales.update(draft.id, { authorId: booking.authorId, registerId: booking.registerFor(sale.lsOutletId), state: 'closed', lineItems: lines, payments: [{ paymentTypeId: booking.paymentTypeId, amount: refund }] });
      created.push(draft.id);
      if (!settings.returnStockOnRefund) {
        // The merchant keeps refunded items out of stock (e.g. damaged): take the returned units back off.
        await ls.stockAdjustments.create(toReturn.map((r) => ({ productId: r.lsProductId, outletId: sale.lsOutletId, quantity: -r.quantity, reason: 'DAMAGE' as const })));
      }
    }
    // Refunded units not fulfilled yet leave the Lightspeed sale that awaits dispatch or pickup
    // (the store does not send them and Lightspeed never takes them off its stock), and only then
    // the in-flight ledger: released while the sale still held them, they were published again
    // and then taken by the dispatch (an oversell the simulation found, seed 23). The sale's new
    // lines are recorded with the refund before they are sent, so a retry sends the same ones.
    const unfulfilled = mine.map((i) => ({ productId: i.line.lsProductId, units: i.unsent })).filter((d) => d.units > 0);
    const marker = `reduce:${sale.lsSaleId}:`;
    const recorded = [...attempt.started, ...created].find((id) => id.startsWith(marker));
    if (unfulfilled.length > 0 && original.state !== 'closed' && original.state !== 'voided' && !recorded?.endsWith(':released')) {
      const fulfilledByProduct = new Map<string, number>();
      for (const l of sale.lines) fulfilledByProduct.set(l.lsProductId, (fulfilledByProduct.get(l.lsProductId) ?? 0) + fulfilledHere(l));
      const reduction = recorded ? (JSON.parse(recorded.slice(marker.length)) as SaleReduction) : reduceSale(original.lineItems, unfulfilled, fulfilledByProduct);
      if (reduction) {
        const entry = `${marker}${JSON.stringify(reduction)}`;
        if (!recorded) await attempt.record([...new Set([...attempt.started, ...created, entry])]);
        const paid = original.payments[0];
        await ls.sales.update(sale.lsSaleId, {
          authorId: booking.authorId,
          registerId: booking.registerFor(sale.lsOutletId),
          state: 'pending',
          lineItems: reduction.lines.map((l) => ({ ...(l.id ? { id: l.id } : {}), productId: l.productId, quantity: l.quantity, price: l.price, taxId: l.taxId ?? booking.noTaxId, taxAmount: l.taxAmount, ...(l.status ? { status: l.status } : {}) })),
          ...(paid ? { payments: [{ ...(paid.id ? { id: paid.id } : {}), paymentTypeId: paid.paymentTypeId ?? booking.paymentTypeId, amount: Math.max(0, Math.round((paid.amount - reduction.value) * 100) / 100) }] } : {}),
        });
        for (const d of unfulfilled) await inventory.commitments.release(orderId, d.productId, sale.lsOutletId, d.units);
        await attempt.record([...new Set([...attempt.started, ...created, `${marker}released`])]);
        // The sale now holds fewer units: what makes it complete when fulfilled is what is left.
        const unsentByLine = new Map(mine.map((i) => [i.bcLineId, i.unsent]));
        await repo.sales.setState(orderId, sale.lsOutletId, { lines: sale.lines.map((l) => ({ ...l, quantity: l.quantity - (unsentByLine.get(l.bcLineId) ?? 0) })) });
      }
    }
    await forStore(db, ctx.deps.secrets, storeId).activity.record({
      kind: 'order.refund',
      outcome: 'ok',
      summary: `Order #${orderId}: refund of ${mine.reduce((s, i) => s + i.quantity, 0)} unit(s) at ${booking.outletName(sale.lsOutletId)}${toReturn.length ? (settings.returnStockOnRefund ? ', returned to stock in Lightspeed' : ', returned in Lightspeed and kept out of stock') : ''}`,
      entityType: 'order',
      entityId: String(orderId),
    });
  }
  const products = (await repo.sales.forOrder(orderId)).flatMap((s) => s.lines.filter((l) => items.some((i) => i.bcLineId === l.bcLineId)).map((l) => l.lsProductId));
  await markInventoryDirty(ctx, storeId, [...new Set(products)], 'refund');
  return created;
}

export interface PollTarget {
  id: number;
  createdAt: Date;
  modifiedAt: Date;
  /** The listing itself, to compare with the order's last complete intake (core `needsIntake`). */
  listing: OrderListing;
}

/**
 * Orders modified since `since`, each once. Read by modification time, not page number:
 * BigCommerce pages by offset, and an order modified while the poll reads moves to the end of the
 * list, so every later order slides back one place and the one that slid onto a page already read
 * was never seen — and the poll then vouched for it (found by the simulation at 125 scenarios per
 * store, about 300 orders a poll). Each read starts at the last modification time the one before
 * saw (inclusive: BigCommerce's dates have one-second resolution; orders seen already are
 * overwritten by their newer listing); a full page within one second goes on by page number.
 */
export async function ordersPollTargets(bc: BigCommerceClient, since: Date): Promise<PollTarget[]> {
  const out = new Map<number, PollTarget>();
  let from = since;
  let page = 1;
  for (;;) {
    const batch = await bc.orders.list({ min_date_modified: from.toISOString(), sort: 'date_modified:asc', limit: V2_PAGE_LIMIT, page });
    for (const o of batch) out.set(o.id, { id: o.id, createdAt: new Date(o.date_created), modifiedAt: new Date(o.date_modified), listing: o });
    if (batch.length < V2_PAGE_LIMIT) break;
    const last = new Date(batch.at(-1)!.date_modified);
    if (last.getTime() > from.getTime()) {
      from = last;
      page = 1;
    } else page++;
  }
  return [...out.values()].sort((a, b) => a.modifiedAt.getTime() - b.modifiedAt.getTime() || a.id - b.id);
}
