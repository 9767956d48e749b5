/**
 * The sandbox's control surface: what a test (or the sandbox control-panel page) does that no
 * BigCommerce API offers — create stores, place storefront orders, inject faults, issue installs
 * and callback JWTs, read state. The same actions are served as JSON under `/_sandbox/...`.
 */
import { z } from 'zod';
import { catalogLevel } from './inventory';
import { applyDueAdjustments } from './inventory';
import { orderProductView } from './order-views';
import { orderInput, placeOrder, requireOrder, setOrderStatus, type OrderInput, type PlaceOptions } from './orders';
import type { LogEntry } from './event-log';
import { faultSettingsSchema, type FaultSettings, type Faults } from './faults';
import { addOrderMessage, type OrderMessageInput } from './order-messages';
import { callbackUrl, issueInstall, issueToken, mintSignedPayload, uninstall, type InstallResult, type SignedPayloadKind, type SignedPayloadOptions } from './oauth';
import type { RateLimiter } from './ratelimit';
import { body } from './control-body';
import { HttpError, json, noContent } from './responses';
import { Router } from './router';
import type { Runtime } from './runtime';
import { createStoreState, PLANS, type CreateStoreOptions } from './store-state';
import { checkout, checkoutInput, payOrder, storefrontView, type CheckoutInput, type StorefrontView } from './storefront';
import { controlPanelRefund, controlRefundInput, registerStorefrontControl, type ControlRefundInput } from './storefront-control';
import type { DeliveryAttempt, Order, OrderMessage, OrderPolicies, Refund, StockMode, StoreState, UpdateStockBehavior } from './types';
import type { NotificationEmail, WebhookDispatcher } from './webhooks';
import { seedStore } from './seed';

export interface StoreSummary {
  hash: string;
  store_id: number;
  name: string;
  plan: string;
  stockMode: StockMode;
  updateStockBehavior: UpdateStockBehavior;
  installed: boolean;
}

export interface StockRow {
  variant_id: number;
  product_id: number;
  sku: string;
  location_id: number;
  on_hand: number;
  catalog_level: number;
}

export interface StoreSettingsPatch {
  stockMode?: StockMode;
  updateStockBehavior?: UpdateStockBehavior;
  /** The store's own request quota; null = its plan's. */
  quota?: { requests: number; windowMs: number } | null;
  plan?: keyof typeof PLANS;
  /** Enterprise's location limit "can be customized by request" (inventory-locations guide). */
  maxLocations?: number;
  name?: string;
  orderPolicies?: Partial<OrderPolicies>;
}

export interface BigCommerceSandboxControl {
  createStore(options: CreateStoreOptions & { seed?: boolean }): StoreSummary;
  listStores(): StoreSummary[];
  deleteStore(hash: string): void;
  /** Drops every store, grant and token (and re-seeds the demo store when configured). */
  reset(): void;
  updateStore(hash: string, patch: StoreSettingsPatch): StoreSummary;
  setFaults(scope: string, faults: FaultSettings): void;
  clearFaults(scope?: string): void;
  placeOrder(hash: string, input: OrderInput, options?: PlaceOptions): Order;
  setOrderStatus(hash: string, orderId: number, statusId: number): Order;
  /** What a channel's shoppers see on the sandbox storefront (storefront.ts). */
  storefront(hash: string, channelId: number): StorefrontView;
  /** A shopper's checkout on the sandbox storefront: the order, paid unless `pay: false`. */
  checkout(hash: string, input: CheckoutInput): Order;
  /** Pays an order left at the payment step (Incomplete), re-checking stock. */
  payOrder(hash: string, orderId: number): Order;
  /** The control panel's Refund button: named lines, an amount, or everything left. */
  refundOrder(hash: string, orderId: number, input?: ControlRefundInput): Refund;
  issueInstall(hash: string, options?: { scope?: string }): InstallResult;
  issueToken(hash: string): string;
  signedPayload(kind: SignedPayloadKind, hash: string, options?: SignedPayloadOptions): Promise<{ jwt: string; url: string | null }>;
  uninstall(hash: string): Promise<{ url: string | null; status: number | null }>;
  /** Applies pending inventory adjustments now instead of after inventoryApplyDelayMs. */
  flushInventory(hash?: string): number;
  store(hash: string): StoreState;
  stock(hash: string): StockRow[];
  deliveries(hash: string): DeliveryAttempt[];
  /** Resolves when no webhook delivery, retry or delayed send is pending. */
  webhooksIdle(): Promise<void>;
  /** Resolves when no webhook POST is in flight; pass it as a VirtualClock's `settle`. */
  webhooksSettled(): Promise<void>;
  /** A customer (or staff) message on an order, as the storefront or control panel creates one. */
  addOrderMessage(hash: string, orderId: number, input: OrderMessageInput): OrderMessage;
  /** Everything observable so far, oldest first (deterministic for a seed on a VirtualClock). */
  eventLog(): LogEntry[];
  /** Notification emails the platform sent (hook deactivations, denylisted domains). */
  emails(): NotificationEmail[];
}

export interface ControlDeps {
  rt: Runtime;
  faults: Faults;
  limiter: RateLimiter;
  dispatcher: WebhookDispatcher;
  seedHash: string | null;
}

function summary(store: StoreState): StoreSummary {
  return { hash: store.hash, store_id: store.store_id, name: store.name, plan: store.plan.name, stockMode: store.stockMode, updateStockBehavior: store.updateStockBehavior, installed: store.installed };
}

export function createControl(deps: ControlDeps): BigCommerceSandboxControl {
  const { rt } = deps;
  const requireStore = (hash: string): StoreState => {
    const store = rt.state.stores[hash];
    if (!store) throw new HttpError(404, `Store ${hash} does not exist`);
    return store;
  };
  const control: BigCommerceSandboxControl = {
    createStore(options) {
      if (!/^[a-z0-9]{1,32}$/.test(options.hash)) throw new HttpError(422, 'hash must be 1-32 lowercase letters or digits');
      if (rt.state.stores[options.hash]) throw new HttpError(409, `Store ${options.hash} already exists`);
      const storeId = 1_000_000 + Object.keys(rt.state.stores).length + 1;
      const store = createStoreState(options, rt.config.now(), storeId);
      rt.state.stores[store.hash] = store;
      if (options.seed) seedStore(rt, store);
      rt.changed();
      return summary(store);
    },
    listStores: () => Object.values(rt.state.stores).map(summary),
    deleteStore(hash) {
      delete rt.state.stores[hash];
      rt.state.tokens = rt.state.tokens.filter((t) => t.store_hash !== hash);
      deps.limiter.reset(hash);
      rt.changed();
    },
    reset() {
      rt.state.stores = {};
      rt.state.grants = [];
      rt.state.tokens = [];
      deps.limiter.reset();
      deps.faults.clear();
      if (deps.seedHash) control.createStore({ hash: deps.seedHash, name: 'Counterpart Demo Store', plan: 'Pro', seed: true });
      rt.changed();
    },
    updateStore(hash, patch) {
      const store = requireStore(hash);
      if (patch.stockMode) store.stockMode = patch.stockMode;
      if (patch.updateStockBehavior) store.updateStockBehavior = patch.updateStockBehavior;
      if (patch.quota !== undefined) store.quota = patch.quota;
      if (patch.plan) store.plan = PLANS[patch.plan] ?? store.plan;
      if (patch.maxLocations !== undefined) store.plan = { ...store.plan, maxLocations: patch.maxLocations };
      if (patch.name) store.name = patch.name;
      if (patch.orderPolicies) store.orderPolicies = { ...(store.orderPolicies ?? {}), ...patch.orderPolicies };
      rt.changed();
      return summary(store);
    },
    setFaults: (scope, faults) => deps.faults.set(scope, faults), // validates: a bad plan is a 422
    clearFaults: (scope) => deps.faults.clear(scope),
    placeOrder: (hash, input, options) => placeOrder(rt, requireStore(hash), orderInput.parse(input), { orderSource: 'www', ...options }),
    setOrderStatus(hash, orderId, statusId) {
      const store = requireStore(hash);
      const order = requireOrder(store, orderId);
      setOrderStatus(rt, store, order, statusId);
      return order;
    },
    storefront: (hash, channelId) => storefrontView(requireStore(hash), channelId),
    checkout: (hash, input) => checkout(rt, requireStore(hash), checkoutInput.parse(input)).order,
    payOrder(hash, orderId) {
      const store = requireStore(hash);
      const order = requireOrder(store, orderId);
      payOrder(rt, store, order);
      return order;
    },
    refundOrder(hash, orderId, input = {}) {
      const store = requireStore(hash);
      return controlPanelRefund(rt, store, requireOrder(store, orderId), controlRefundInput.parse(input));
    },
    issueInstall: (hash, options) => issueInstall(rt, requireStore(hash), options),
    issueToken: (hash) => issueToken(rt, requireStore(hash)).token,
    async signedPayload(kind, hash, options) {
      const jwt = await mintSignedPayload(rt, requireStore(hash), options);
      return { jwt, url: callbackUrl(rt, kind, jwt) };
    },
    uninstall: (hash) => uninstall(rt, requireStore(hash)),
    flushInventory(hash) {
      const stores = hash ? [requireStore(hash)] : Object.values(rt.state.stores);
      return stores.reduce((n, s) => n + applyDueAdjustments(rt, s, true), 0);
    },
    store: requireStore,
    stock(hash) {
      const store = requireStore(hash);
      return store.stock.map((s) => {
        const variant = store.variants.find((v) => v.id === s.variant_id);
        return { variant_id: s.variant_id, product_id: variant?.product_id ?? 0, sku: variant?.sku ?? '', location_id: s.location_id, on_hand: s.on_hand, catalog_level: catalogLevel(store, s.variant_id) };
      });
    },
    deliveries: (hash) => requireStore(hash).deliveries,
    webhooksIdle: () => deps.dispatcher.idle(),
    webhooksSettled: () => deps.dispatcher.settled(),
    addOrderMessage: (hash, orderId, input) => addOrderMessage(rt, requireStore(hash), orderId, input),
    eventLog: () => rt.log.snapshot().entries,
    emails: () => deps.dispatcher.emails.map((e) => ({ ...e, to: [...e.to] })),
  };
  return control;
}

const createStoreBody = z.object({
  hash: z.string(),
  name: z.string().optional(),
  plan: z.enum(['Standard', 'Plus', 'Pro', 'Enterprise']).optional(),
  stockMode: z.enum(['default-location', 'aggregated']).optional(),
  seed: z.boolean().optional(),
});
const settingsBody = z.object({
  stockMode: z.enum(['default-location', 'aggregated']).optional(),
  updateStockBehavior: z.enum(['order_placed', 'order_completed_or_shipped']).optional(),
  quota: z.object({ requests: z.number().int().min(1), windowMs: z.number().int().min(1) }).nullable().optional(),
  plan: z.enum(['Standard', 'Plus', 'Pro', 'Enterprise']).optional(),
  maxLocations: z.number().int().min(1).optional(),
  name: z.string().optional(),
  orderPolicies: z.object({ apiStockCheck: z.enum(['reject', 'allow']).optional(), preorderStock: z.enum(['check', 'ignore']).optional() }).optional(),
});
const faultsBody = faultSettingsSchema;
const orderMessageBody = z.object({ message: z.string().min(1), subject: z.string().optional(), customer_id: z.number().int().optional(), staff_id: z.number().int().optional() });
const orderBody = z.object({ order: orderInput, pickupLocationId: z.number().int().optional(), allowOversell: z.boolean().optional() });

export interface ControlContext {
  rt: Runtime;
  req: Request;
  url: URL;
  params: Record<string, string>;
}

/** `/_sandbox/...` routes; `params.hash` names the store. */
export function controlRouter(control: BigCommerceSandboxControl): Router<ControlContext> {
  const router = new Router<ControlContext>();
  const hashOf = (params: Record<string, string>) => params.hash ?? '';
  router
    .get('/stores', () => json(control.listStores()))
    .post('/stores', async ({ req }) => json(control.createStore(await body(req, createStoreBody)), 201))
    .post('/reset', () => (control.reset(), json({ ok: true })))
    .put('/faults', async ({ req }) => (control.setFaults('*', await body(req, faultsBody)), json({ ok: true })))
    .delete('/faults', () => (control.clearFaults(), noContent()))
    .get('/stores/:hash', ({ params }) => json(control.store(hashOf(params))))
    .delete('/stores/:hash', ({ params }) => (control.deleteStore(hashOf(params)), noContent()))
    .put('/stores/:hash/settings', async ({ req, params }) => json(control.updateStore(hashOf(params), await body(req, settingsBody))))
    .put('/stores/:hash/faults', async ({ req, params }) => (control.setFaults(hashOf(params), await body(req, faultsBody)), json({ ok: true })))
    .delete('/stores/:hash/faults', ({ params }) => (control.clearFaults(hashOf(params)), noContent()))
    .post('/stores/:hash/orders', async ({ req, params, rt }) => {
      const { order, ...options } = await body(req, orderBody);
      const placed = control.placeOrder(hashOf(params), order, options);
      return json({ id: placed.id, status_id: placed.status_id, products: placed.products.map(orderProductView), decrements: placed.decrements, created_at: rt.config.now() }, 201);
    })
    .put('/stores/:hash/orders/:order_id/status', async ({ req, params }) => {
      const { status_id: statusId } = await body(req, z.object({ status_id: z.number().int().min(0).max(14) }));
      const order = control.setOrderStatus(hashOf(params), Number(params.order_id), statusId);
      return json({ id: order.id, status_id: order.status_id });
    })
    .post('/stores/:hash/install', async ({ req, params }) => json(control.issueInstall(hashOf(params), await body(req, z.object({ scope: z.string().optional() })))))
    .post('/stores/:hash/token', ({ params }) => json({ access_token: control.issueToken(hashOf(params)) }))
    .post('/stores/:hash/signed-payload', async ({ req, params }) => {
      const input = await body(req, z.object({ kind: z.enum(['load', 'uninstall', 'remove_user']), url: z.string().optional(), channelId: z.number().int().nullable().optional(), user: z.object({ id: z.number().int(), email: z.string(), locale: z.string().optional() }).optional() }));
      return json(await control.signedPayload(input.kind, hashOf(params), { url: input.url, channelId: input.channelId, user: input.user }));
    })
    .post('/stores/:hash/uninstall', async ({ params }) => json(await control.uninstall(hashOf(params))))
    .post('/stores/:hash/inventory/flush', ({ params }) => json({ applied: control.flushInventory(hashOf(params)) }))
    .get('/stores/:hash/stock', ({ params }) => json(control.stock(hashOf(params))))
    .get('/stores/:hash/deliveries', ({ params }) => json(control.deliveries(hashOf(params))))
    .post('/stores/:hash/orders/:order_id/messages', async ({ req, params }) => json(control.addOrderMessage(hashOf(params), Number(params.order_id), await body(req, orderMessageBody)), 201))
    .get('/event-log', () => json(control.eventLog()))
    .get('/emails', () => json(control.emails()));
  registerStorefrontControl(router, control);
  return router;
}
