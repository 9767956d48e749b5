/**
 * The sandbox control surface: what tests and the app's register page use to drive the
 * retailer as staff and as the platform would (sell, return, receive, count, go offline, edit
 * products) and to inject faults. Exposed as a typed object and as JSON over `/_sandbox/…`.
 */
import { z } from 'zod';
import { isoTime, type SandboxContext } from './context';
import { createConsignment, updateConsignment, upsertConsignmentLines } from './consignments';
import { createRetailer, type SeedOptions } from './catalog';
import type { SandboxEvent } from './event-log';
import { API_FAULT_KINDS, type ApiFault, type FaultInjector } from './faults';
import { findFulfilments, fulfilLines, fulfilmentsOf, fulfilSale } from './fulfilments';
import { changeInventory, createStockAdjustments, findProduct, SandboxError } from './inventory';
import type { OAuthServer } from './oauth';
import { salePoliciesSchema, type SalePolicies } from './policies';
import { addVariant, updateProduct, type ProductChange, type VariantAddition } from './products';
import type { RateLimiter, RateLimitOptions } from './ratelimit';
import { errorResponse, json, parseWith, readJson } from './respond';
import { voidSale } from './sales';
import { consignmentShape, fulfillmentShape, productShape, saleShape } from './shapes';
import { returnAtRegister, sellAtRegister, setRegisterOffline, setRegisterOnline, type TillSale } from './till';
import { STOCK_ADJUSTMENT_REASONS, type Fulfillment, type Retailer } from './types';
import type { DeliveryAttempt, WebhookDispatcher, WebhookFaults } from './webhooks';

export interface RetailerSummary {
  id: string;
  domain_prefix: string;
  name: string;
  version: number;
  outlets: { id: string; name: string; kind: 'store' | 'warehouse' }[];
  registers: { id: string; name: string; outlet_id: string; is_open: boolean; offline: boolean; held_sales: number }[];
  users: { id: string; username: string; account_type: string }[];
  payment_types: { id: string; name: string }[];
  products: number;
  rate_limit: number;
}

const productRef = {
  product_id: z.string().optional(),
  sku: z.string().optional(),
  barcode: z.string().optional(),
};
const tillSaleSchema = z.object({
  register_id: z.string(),
  user_id: z.string().optional(),
  customer_id: z.string().optional(),
  payment_type_id: z.string().optional(),
  date: z.string().optional(),
  fulfillment: z.enum(['DISPATCH', 'PICKUP']).optional(),
  note: z.string().max(500).optional(),
  lines: z.array(z.object({ ...productRef, quantity: z.number().positive(), price: z.number().nonnegative().optional() })).min(1),
});
const returnSchema = z.object({
  sale_id: z.string(),
  user_id: z.string().optional(),
  lines: z.array(z.object({ product_id: z.string(), quantity: z.number().positive() })).optional(),
});
const receiveSchema = z.object({
  outlet_id: z.string(),
  name: z.string().optional(),
  supplier_id: z.string().optional(),
  lines: z.array(z.object({ ...productRef, quantity: z.number(), cost: z.number().optional() })).min(1),
});
const transferSchema = z.object({
  from_outlet_id: z.string(),
  to_outlet_id: z.string(),
  lines: z.array(z.object({ ...productRef, quantity: z.number().positive() })).min(1),
});
const countSchema = z.object({
  outlet_id: z.string(),
  lines: z.array(z.object({ ...productRef, counted: z.number().nonnegative() })).min(1),
});
const adjustSchema = z.object({
  outlet_id: z.string(),
  lines: z.array(z.object({ ...productRef, delta: z.number(), reason: z.enum(STOCK_ADJUSTMENT_REASONS).optional() })).min(1),
});
const setLevelSchema = z.object({ outlet_id: z.string(), ...productRef, level: z.number() });
const productChangeSchema = z.object({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  active: z.boolean().optional(),
  track_inventory: z.boolean().optional(),
  price_excluding_tax: z.number().nonnegative().optional(),
  supply_price: z.number().nonnegative().optional(),
  sku: z.string().min(1).optional(),
  product_codes: z.array(z.object({ code: z.string(), type: z.enum(['CUSTOM', 'EAN', 'ISBN', 'ITF', 'JAN', 'UPC']).optional() })).optional(),
  deleted: z.boolean().optional(),
});
/** Staff fulfilling at the outlet: a whole sale, or some units of one fulfilment, with an optional carrier tracking number. */
const fulfilSchema = z
  .object({
    sale_id: z.string().optional(),
    fulfillment_id: z.string().optional(),
    lines: z.array(z.object({ sale_line_item_id: z.string(), quantity: z.number().int().positive() })).min(1).optional(),
    tracking_number: z.string().trim().min(1).max(100).optional(),
  })
  .refine((f) => (f.sale_id === undefined) !== (f.fulfillment_id === undefined), { message: 'give either sale_id or fulfillment_id' })
  .refine((f) => f.lines === undefined || f.fulfillment_id !== undefined, { message: 'lines need a fulfillment_id' });
const countOrChance = z.object({ probability: z.number().min(0).max(1).optional(), nextN: z.number().int().nonnegative().optional() });
const faultsSchema = z.object({
  api: z
    .array(
      z.object({
        kind: z.enum(API_FAULT_KINDS),
        route: z.string().optional(),
        nextN: z.number().int().nonnegative().optional(),
        probability: z.number().min(0).max(1).optional(),
        pathPrefix: z.string().optional(),
        status: z.number().int().min(500).max(599).optional(),
        delayMs: z.number().int().nonnegative().optional(),
      }),
    )
    .optional(),
  webhooks: z
    .object({
      drop: countOrChance.optional(),
      duplicate: countOrChance.optional(),
      delayMs: z.number().int().nonnegative().optional(),
      reorder: z.object({ nextN: z.number().int().positive(), holdMs: z.number().int().positive().optional() }).optional(),
    })
    .optional(),
});
const authCodeSchema = z.object({
  domain_prefix: z.string().optional(),
  redirect_uri: z.string().min(1),
  scope: z.string().optional(),
  user_id: z.string().optional(),
});
const webhookSettingsSchema = z.object({
  retryDelaysMs: z.array(z.number().int().nonnegative()).max(100).optional(),
  jitter: z.number().min(0).max(1).optional(),
  deactivateAfterFailedDeliveries: z.number().int().positive().nullable().optional(),
});
const rateLimitSchema = z.object({
  windowMs: z.number().int().positive().optional(),
  perRegister: z.number().int().nonnegative().optional(),
  base: z.number().int().nonnegative().optional(),
});

export interface ControlDeps {
  ctx: SandboxContext;
  oauth: OAuthServer;
  faults: FaultInjector;
  webhooks: WebhookDispatcher;
  rateLimiter: RateLimiter;
  defaultDomainPrefix: string;
  seed: boolean | SeedOptions;
  registerCount(retailer: Retailer): number;
}

export function createControl(deps: ControlDeps) {
  const { ctx, oauth } = deps;
  const retailerOf = (domainPrefix: string = deps.defaultDomainPrefix): Retailer => {
    const retailer = ctx.retailers[domainPrefix];
    if (!retailer) throw new SandboxError(404, `retailer ${domainPrefix} not found`);
    return retailer;
  };
  const summary = (r: Retailer): RetailerSummary => ({
    id: r.id,
    domain_prefix: r.domain_prefix,
    name: r.name,
    version: r.version,
    outlets: Object.values(r.outlets).map((o) => ({ id: o.id, name: o.name, kind: o.kind })),
    registers: Object.values(r.registers).map((g) => ({
      id: g.id,
      name: g.name,
      outlet_id: g.outlet_id,
      is_open: g.is_open,
      offline: g.offline,
      held_sales: r.held_sales.filter((h) => h.register_id === g.id).length,
    })),
    users: Object.values(r.users).map((u) => ({ id: u.id, username: u.username, account_type: u.account_type })),
    payment_types: Object.values(r.payment_types).map((p) => ({ id: p.id, name: p.name })),
    products: Object.keys(r.products).length,
    rate_limit: deps.rateLimiter.limitFor(deps.registerCount(r)),
  });
  const consignmentWithLines = (
    retailer: Retailer,
    input: Parameters<typeof createConsignment>[2],
    lines: { product_id: string; count: number | null; received?: number | null; cost?: number | null }[],
    finalStatus: 'RECEIVED' | 'STOCKTAKE_COMPLETE',
  ) => {
    const c = createConsignment(ctx, retailer, input);
    upsertConsignmentLines(ctx, retailer, c.id, lines);
    return updateConsignment(ctx, retailer, c.id, { ...input, status: finalStatus });
  };

  /**
   * Staff actions land in the event log with their input and result (or refusal), copied at the
   * time they happened: the objects they return may be live records that change later.
   */
  const logged =
    <A extends unknown[], R>(action: string, fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        const result = fn(...args);
        ctx.events.record({ kind: 'control', action, input: structuredClone(args), status: 200, result: result === undefined ? null : structuredClone(result) });
        return result;
      } catch (error) {
        if (error instanceof SandboxError) ctx.events.record({ kind: 'control', action, input: structuredClone(args), status: error.status, result: { error: error.message } });
        throw error;
      }
    };

  /** What the register page lists under "Orders to fulfil": open fulfilments with their sale. */
  const openFulfilment = (retailer: Retailer, f: Fulfillment) => {
    const sale = retailer.sales[f.sale_id];
    return {
      ...fulfillmentShape(f),
      sale: sale ? { id: sale.id, invoice_number: sale.invoice_number, status: sale.status, date: sale.date, note: sale.note, customer_id: sale.customer_id } : null,
    };
  };

  const control = {
    listRetailers: (): RetailerSummary[] => Object.values(ctx.retailers).map(summary),
    retailer: (domainPrefix?: string): RetailerSummary => summary(retailerOf(domainPrefix)),
    createRetailer: logged('create-retailer', (domainPrefix: string, seed: boolean | SeedOptions = deps.seed): RetailerSummary => {
      if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(domainPrefix)) throw new SandboxError(422, 'domain_prefix must be lowercase letters, digits and dashes');
      if (ctx.retailers[domainPrefix]) throw new SandboxError(409, `retailer ${domainPrefix} already exists`);
      ctx.retailers[domainPrefix] = createRetailer(domainPrefix, ctx.now(), seed);
      ctx.changed();
      return summary(retailerOf(domainPrefix));
    }),
    /** Back to the seeded state: catalog, stock, sales and webhooks; tokens are revoked. */
    resetRetailer: logged('reset-retailer', (domainPrefix: string = deps.defaultDomainPrefix, seed: boolean | SeedOptions = deps.seed): RetailerSummary => {
      retailerOf(domainPrefix);
      ctx.retailers[domainPrefix] = createRetailer(domainPrefix, ctx.now(), seed);
      oauth.revoke(domainPrefix);
      deps.rateLimiter.reset();
      ctx.changed();
      return summary(retailerOf(domainPrefix));
    }),
    /** Raw internal state (a deep copy): for assertions and the register page. */
    state: (domainPrefix?: string): Retailer => structuredClone(retailerOf(domainPrefix)),

    issueAuthCode(input: { domain_prefix?: string; redirect_uri: string; scope?: string; user_id?: string }) {
      const retailer = retailerOf(input.domain_prefix);
      const userId = input.user_id ?? Object.values(retailer.users).find((u) => u.is_primary_user)?.id ?? '';
      const code = oauth.issueCode({ domain_prefix: retailer.domain_prefix, user_id: userId, redirect_uri: input.redirect_uri, scope: input.scope });
      ctx.changed();
      return { code: code.code, domain_prefix: code.domain_prefix, scope: code.scope, expires_at: code.expires_at };
    },
    revokeTokens: (domainPrefix?: string): { revoked: number } => {
      const revoked = oauth.revoke(retailerOf(domainPrefix).domain_prefix);
      ctx.changed();
      return { revoked };
    },
    expireAccessTokens: (domainPrefix?: string): void => oauth.expire(retailerOf(domainPrefix).domain_prefix),
    setAccessTokenTtl: (seconds: number): void => {
      oauth.accessTokenTtlSeconds = seconds;
    },

    /** A fault plan: API faults per route (or path prefix), by count or seeded probability; webhook faults. */
    setFaults: logged('set-faults', (faults: { api?: ApiFault[]; webhooks?: WebhookFaults }): void => {
      if (faults.api) deps.faults.set(faults.api);
      if (faults.webhooks) deps.webhooks.faults = structuredClone(faults.webhooks);
    }),
    clearFaults(): void {
      deps.faults.set([]);
      deps.webhooks.faults = {};
    },
    faults: () => ({ api: deps.faults.faults, webhooks: deps.webhooks.faults }),
    setRateLimit: (options: Partial<RateLimitOptions>): RateLimitOptions => {
      deps.rateLimiter.configure(options);
      return deps.rateLimiter.settings;
    },
    /** The switchable behaviours the docs leave open (policies.ts). */
    policies: (): SalePolicies => ({ ...ctx.policies }),
    setPolicies: logged('set-policies', (changes: Partial<SalePolicies>): SalePolicies => {
      Object.assign(ctx.policies, parseWith(salePoliciesSchema.partial().strict(), changes));
      return { ...ctx.policies };
    }),
    /** Webhook retry delays, jitter and deactivation (defaults: Lightspeed's 20 retries over 48 h, never deactivate). */
    webhookSettings: () => deps.webhooks.settings,
    setWebhookSettings: (changes: z.input<typeof webhookSettingsSchema>) => {
      const parsed = parseWith(webhookSettingsSchema, changes);
      deps.webhooks.configure({
        ...(parsed.retryDelaysMs === undefined ? {} : { retryDelaysMs: parsed.retryDelaysMs }),
        ...(parsed.jitter === undefined ? {} : { jitter: parsed.jitter }),
        ...(parsed.deactivateAfterFailedDeliveries === undefined ? {} : { deactivateAfterFailedDeliveries: parsed.deactivateAfterFailedDeliveries }),
      });
      return deps.webhooks.settings;
    },

    webhookLog: (domainPrefix?: string): DeliveryAttempt[] =>
      deps.webhooks.attempts.filter((a) => domainPrefix === undefined || a.domain_prefix === domainPrefix),
    /** Resolves when every queued, delayed, held or retrying webhook delivery has finished. */
    waitForWebhooks: (): Promise<void> => deps.webhooks.idle(),
    /** Resolves when no webhook request is waiting for its answer (later retries may still be due). */
    webhooksSettled: (): Promise<void> => deps.webhooks.settled(),
    /**
     * Everything observable that happened, in order, as plain JSON: API writes and results, staff
     * actions, stock movements, webhook deliveries and attempts, injected faults.
     */
    eventLog: (): SandboxEvent[] => ctx.events.list(),
    clearEventLog: (): void => ctx.events.clear(),

    sell: logged('sell', (domainPrefix: string | undefined, request: TillSale) => {
      const retailer = retailerOf(domainPrefix);
      const { sale, held } = sellAtRegister(ctx, retailer, request);
      return { sale: sale ? saleShape(retailer, sale) : null, held: held !== null };
    }),
    returnSale: logged('return', (domainPrefix: string | undefined, request: { sale_id: string; user_id?: string; lines?: { product_id: string; quantity: number }[] }) => {
      const retailer = retailerOf(domainPrefix);
      return saleShape(retailer, returnAtRegister(ctx, retailer, request));
    }),
    voidSale: logged('void', (domainPrefix: string | undefined, saleId: string) => {
      const retailer = retailerOf(domainPrefix);
      return saleShape(retailer, voidSale(ctx, retailer, saleId));
    }),
    /** Fulfil a whole sale (as POST /fulfillments/fulfill does). */
    fulfilSale: logged('fulfil-sale', (domainPrefix: string | undefined, saleId: string) => {
      const retailer = retailerOf(domainPrefix);
      fulfilSale(ctx, retailer, saleId);
      return saleShape(retailer, retailer.sales[saleId] as NonNullable<Retailer['sales'][string]>);
    }),
    /** Open fulfilments (awaiting dispatch or pickup), optionally at one outlet, oldest sale first. */
    openFulfilments(domainPrefix: string | undefined, outletId?: string) {
      const retailer = retailerOf(domainPrefix);
      return findFulfilments(retailer, { saleIds: [], outletIds: outletId ? [outletId] : [], types: [], states: ['OPEN', 'STARTED', 'PICKED', 'PACKED'] })
        .map((f) => openFulfilment(retailer, f))
        .sort((a, b) => (a.sale?.date ?? '').localeCompare(b.sale?.date ?? '') || a.id.localeCompare(b.id));
    },
    /**
     * Staff fulfil at the outlet: dispatch (with an optional carrier tracking number, kept in the
     * fulfilment's note) or hand over a pickup — a whole sale, a whole fulfilment, or some units.
     */
    fulfil: logged('fulfil', (domainPrefix: string | undefined, request: z.input<typeof fulfilSchema>) => {
      const input = parseWith(fulfilSchema, request);
      const retailer = retailerOf(domainPrefix);
      const note = input.tracking_number ? `Tracking number: ${input.tracking_number}` : undefined;
      if (input.sale_id !== undefined) {
        fulfilSale(ctx, retailer, input.sale_id, { note });
        return fulfilmentsOf(retailer, input.sale_id).map((f) => openFulfilment(retailer, f));
      }
      const f = retailer.fulfillments[input.fulfillment_id ?? ''];
      if (!f) throw new SandboxError(404, 'fulfillment not found');
      const lines = input.lines ?? f.line_items.filter((l) => l.fulfilled_quantity < l.quantity).map((l) => ({ sale_line_item_id: l.sale_line_item_id, quantity: l.quantity - l.fulfilled_quantity }));
      if (lines.length === 0) throw new SandboxError(409, 'everything on this fulfilment is already fulfilled');
      fulfilLines(ctx, retailer, f.id, { version: f.version, line_items: lines }, { note });
      return [openFulfilment(retailer, f)];
    }),
    /** Receive a supplier delivery: one consignment, hundreds of lines, one bulk stock change. */
    receiveConsignment: logged('receive', (domainPrefix: string | undefined, request: z.input<typeof receiveSchema>) => {
      const retailer = retailerOf(domainPrefix);
      const lines = request.lines.map((l) => ({ product_id: findProduct(retailer, l).id, count: l.quantity, received: l.quantity, cost: l.cost ?? null }));
      const c = consignmentWithLines(
        retailer,
        { name: request.name ?? `Delivery ${isoTime(ctx.now())}`, type: 'SUPPLIER', outlet_id: request.outlet_id, supplier_id: request.supplier_id },
        lines,
        'RECEIVED',
      );
      return consignmentShape(c);
    }),
    transferStock: logged('transfer', (domainPrefix: string | undefined, request: z.input<typeof transferSchema>) => {
      const retailer = retailerOf(domainPrefix);
      const lines = request.lines.map((l) => ({ product_id: findProduct(retailer, l).id, count: l.quantity }));
      const c = consignmentWithLines(
        retailer,
        { name: `Transfer ${isoTime(ctx.now())}`, type: 'OUTLET', outlet_id: request.to_outlet_id, source_outlet_id: request.from_outlet_id },
        lines,
        'RECEIVED',
      );
      return consignmentShape(c);
    }),
    /** A stock count (stocktake): sets the counted levels. */
    countStock: logged('stock-count', (domainPrefix: string | undefined, request: z.input<typeof countSchema>) => {
      const retailer = retailerOf(domainPrefix);
      const lines = request.lines.map((l) => ({ product_id: findProduct(retailer, l).id, count: l.counted, received: l.counted }));
      const c = consignmentWithLines(retailer, { name: `Stocktake ${isoTime(ctx.now())}`, type: 'STOCKTAKE', outlet_id: request.outlet_id }, lines, 'STOCKTAKE_COMPLETE');
      return consignmentShape(c);
    }),
    adjustStock: logged('stock-adjust', (domainPrefix: string | undefined, request: z.input<typeof adjustSchema>) => {
      const retailer = retailerOf(domainPrefix);
      const user = Object.values(retailer.users).find((u) => u.is_primary_user);
      return createStockAdjustments(
        ctx,
        retailer,
        user?.id ?? '',
        request.lines.map((l) => ({
          product_id: findProduct(retailer, l).id,
          outlet_id: request.outlet_id,
          quantity: String(l.delta),
          reason: l.reason ?? (l.delta < 0 ? 'DAMAGE' : 'STOCK_FOUND'),
        })),
      );
    }),
    /** Set one level directly (no history), like a 2.1 product inventory write. */
    setInventoryLevel: logged('inventory-level', (domainPrefix: string | undefined, request: z.input<typeof setLevelSchema>) => {
      const retailer = retailerOf(domainPrefix);
      return changeInventory(ctx, retailer, findProduct(retailer, request).id, request.outlet_id, { set: request.level }, 'control:inventory-level');
    }),
    setRegisterOffline: logged('register-offline', (domainPrefix: string | undefined, registerId: string): void => {
      setRegisterOffline(ctx, retailerOf(domainPrefix), registerId);
    }),
    /** Reconnect a register; its held sales upload now with their original sale dates. */
    setRegisterOnline: logged('register-online', (domainPrefix: string | undefined, registerId: string) => {
      const retailer = retailerOf(domainPrefix);
      return setRegisterOnline(ctx, retailer, registerId).map((s) => saleShape(retailer, s));
    }),
    openRegister: logged('register-open', (domainPrefix: string | undefined, registerId: string): void => {
      const retailer = retailerOf(domainPrefix);
      const register = retailer.registers[registerId];
      if (!register) throw new SandboxError(404, 'register not found');
      Object.assign(register, { is_open: true, register_open_time: isoTime(ctx.now()), register_close_time: null });
      register.version = ++retailer.version;
      ctx.changed();
    }),
    closeRegister: logged('register-close', (domainPrefix: string | undefined, registerId: string): void => {
      const retailer = retailerOf(domainPrefix);
      const register = retailer.registers[registerId];
      if (!register) throw new SandboxError(404, 'register not found');
      const closedAt = isoTime(ctx.now());
      Object.assign(register, { is_open: false, register_close_time: closedAt });
      register.version = ++retailer.version;
      ctx.emit(retailer, 'register_closure.create', { register_id: register.id, outlet_id: register.outlet_id, register_open_time: register.register_open_time, register_close_time: closedAt });
      ctx.changed();
    }),
    changeProduct: logged('product-change', (domainPrefix: string | undefined, productId: string, change: ProductChange) => {
      const retailer = retailerOf(domainPrefix);
      return productShape(retailer, updateProduct(ctx, retailer, productId, change));
    }),
    addVariant: logged('product-add-variant', (domainPrefix: string | undefined, familyMemberId: string, input: VariantAddition) => {
      const retailer = retailerOf(domainPrefix);
      return productShape(retailer, addVariant(ctx, retailer, familyMemberId, input));
    }),
    findProduct(domainPrefix: string | undefined, ref: { product_id?: string; sku?: string; barcode?: string }) {
      const retailer = retailerOf(domainPrefix);
      return productShape(retailer, findProduct(retailer, ref));
    },
  };
  return control;
}

export type LightspeedControl = ReturnType<typeof createControl>;

/** JSON over HTTP for the control object: `/_sandbox/…` (segments after `_sandbox`). */
export async function handleControl(control: LightspeedControl, req: Request, segments: string[]): Promise<Response> {
  const method = req.method.toUpperCase();
  const body = method === 'GET' || method === 'DELETE' ? undefined : await readJson(req);
  const [a, b, c, d, e] = segments;
  const p = b; // domain prefix where the path has one
  const run = async (): Promise<unknown> => {
    if (a === 'retailers' && b === undefined) {
      if (method === 'GET') return control.listRetailers();
      if (method === 'POST') {
        const input = parseWith(z.object({ domain_prefix: z.string(), seed: z.union([z.boolean(), z.object({ products: z.number().int().nonnegative().optional(), seedRandom: z.number().int().optional() })]).optional() }), body);
        return control.createRetailer(input.domain_prefix, input.seed);
      }
    }
    if (a === 'retailers' && p !== undefined) {
      const route = `${method} ${[c, d === undefined ? undefined : ':id', e].filter((x) => x !== undefined).join('/')}`;
      switch (route) {
        case 'GET ':
          return control.retailer(p);
        case 'GET state':
          return control.state(p);
        case 'POST reset':
          return control.resetRetailer(p);
        case 'POST revoke-tokens':
          return control.revokeTokens(p);
        case 'POST expire-tokens':
          control.expireAccessTokens(p);
          return { ok: true };
        case 'GET webhook-log':
          return control.webhookLog(p);
        case 'POST sell':
          return control.sell(p, parseWith(tillSaleSchema, body));
        case 'POST return':
          return control.returnSale(p, parseWith(returnSchema, body));
        case 'POST void':
          return control.voidSale(p, parseWith(z.object({ sale_id: z.string() }), body).sale_id);
        case 'POST fulfil':
          return control.fulfil(p, parseWith(fulfilSchema, body));
        case 'GET fulfillments':
          return control.openFulfilments(p, new URL(req.url).searchParams.get('outlet_id') ?? undefined);
        case 'POST receive':
          return control.receiveConsignment(p, parseWith(receiveSchema, body));
        case 'POST transfer':
          return control.transferStock(p, parseWith(transferSchema, body));
        case 'POST stock-count':
          return control.countStock(p, parseWith(countSchema, body));
        case 'POST stock-adjust':
          return control.adjustStock(p, parseWith(adjustSchema, body));
        case 'POST inventory-level':
          return control.setInventoryLevel(p, parseWith(setLevelSchema, body));
        case 'POST registers/:id/offline':
          control.setRegisterOffline(p, d ?? '');
          return { ok: true };
        case 'POST registers/:id/online':
          return { uploaded: control.setRegisterOnline(p, d ?? '') };
        case 'POST registers/:id/open':
          control.openRegister(p, d ?? '');
          return { ok: true };
        case 'POST registers/:id/close':
          control.closeRegister(p, d ?? '');
          return { ok: true };
        case 'PATCH products/:id':
          return control.changeProduct(p, d ?? '', parseWith(productChangeSchema, body));
      }
    }
    if (a === 'auth-codes' && method === 'POST') return control.issueAuthCode(parseWith(authCodeSchema, body));
    if (a === 'faults' && method === 'GET') return control.faults();
    if (a === 'faults' && method === 'PUT') {
      control.clearFaults();
      control.setFaults(parseWith(faultsSchema, body ?? {}));
      return control.faults();
    }
    if (a === 'rate-limit' && method === 'PUT') return control.setRateLimit(parseWith(rateLimitSchema, body));
    if (a === 'token-ttl' && method === 'PUT') {
      control.setAccessTokenTtl(parseWith(z.object({ seconds: z.number().int().positive() }), body).seconds);
      return { ok: true };
    }
    if (a === 'webhook-log' && method === 'GET') return control.webhookLog();
    if (a === 'event-log' && method === 'GET') return control.eventLog();
    if (a === 'policies' && method === 'GET') return control.policies();
    if (a === 'policies' && method === 'PUT') return control.setPolicies(body as Partial<SalePolicies>);
    if (a === 'webhook-settings' && method === 'GET') return control.webhookSettings();
    if (a === 'webhook-settings' && method === 'PUT') return control.setWebhookSettings(body as z.input<typeof webhookSettingsSchema>);
    if (a === 'webhooks' && b === 'wait' && method === 'POST') {
      await control.waitForWebhooks();
      return { ok: true };
    }
    throw new SandboxError(404, `no control route for ${method} /_sandbox/${segments.join('/')}`);
  };
  try {
    return json(200, await run());
  } catch (error) {
    if (error instanceof SandboxError) return errorResponse(error.status, error.message, error.details);
    throw error;
  }
}
