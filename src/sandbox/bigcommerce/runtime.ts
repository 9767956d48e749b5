/**
 * The services route handlers share: state, clock, configuration and the side-effect hooks
 * (webhook emission, asynchronous inventory, persistence). Handlers receive it in their context
 * rather than importing singletons, so several sandboxes can live in one process (tests).
 */
import type { SandboxClock } from '../clock';
import type { EventLog } from './event-log';
import type { Rng } from './random';
import type { SandboxState, StoreState } from './types';
import type { WebhookDispatcher } from './webhooks';

/**
 * Behaviours the docs leave open, each a named switch with the default the fidelity table
 * (README.md) argues for.
 */
export interface SandboxPolicies {
  /**
   * Which locations count towards the plan's location limit. locations.v3.yml limits "active
   * locations" on both create and update, so `enabled` (the default location included).
   */
  locationLimitCounts: 'enabled' | 'all';
  /** Enterprise's request quota; the rate-limits guide gives none ("by plan and resource"). */
  enterpriseQuota: { requests: number; windowMs: number };
  /**
   * "It can take up to one minute for a newly created webhook to work": a new hook starts after a
   * delay drawn from the seeded webhook stream in [0, max]. 0 (the default) = at once.
   */
  hookActivationMaxDelayMs: number;
  /** "A webhook subscription becomes deactivated after 90 days of inactivity"; null = never. */
  hookInactivityMs: number | null;
  /**
   * The domain blocklist of the webhooks overview: below `minSuccessRatio` over a sliding
   * `windowMs`, once `minRequests` were sent in it, a client's domain is blocked `durationMs`.
   * null switches it off.
   */
  webhookBlocklist: { windowMs: number; minRequests: number; minSuccessRatio: number; durationMs: number } | null;
  /**
   * A message due while its domain is blocklisted goes "to our retry queues" (overview). Whether
   * that deferral uses one of its retry slots (`true`, default: it moves along the schedule as a
   * failed attempt would) or is sent as the same attempt when the block ends (`false`).
   */
  webhookBlockUsesRetrySlot: boolean;
  /**
   * What counts as a failed delivery for the blocklist. The overview names "no response or the
   * remote server times out"; `non-2xx` (default) also counts error statuses, which the same page
   * says "indicates the callback was not received".
   */
  webhookFailureCounts: 'non-2xx' | 'no-response-only';
  /** The email address registered for the app: deactivation notices go there (webhooks overview). */
  appEmail: string;
  /**
   * `low_stock_reached` fires when an order takes a location's stock to or below the warning level:
   * on the order that crosses it (`on-crossing`, default) or on every order while at/below it.
   */
  lowStockWebhook: 'on-crossing' | 'every-order';
  /**
   * `GET /v3/hooks/admin` `hooks_list[].status`; webhooks.v3.yml lists inactive / active /
   * deactivated without defining them. 'by-cause' (default): inactive when the app switched the
   * hook off, deactivated when the platform did (retries exhausted, 90 days idle).
   * 'inactive-only': every switched-off hook reads inactive.
   */
  hookStatus: 'by-cause' | 'inactive-only';
}

/** One (variant, location) of an Inventory API adjustment, at the moment the store applies it. */
export interface AppliedAdjustment {
  store: string;
  variant_id: number;
  location_id: number;
  method: 'absolute' | 'relative';
  /** The quantity asked for: the level (absolute) or the change (relative). */
  quantity: number;
  before: number;
  after: number;
  at: number;
}

export interface ResolvedConfig {
  basePath: string;
  clientId: string;
  clientSecret: string;
  appCallbacks: { auth: string; load: string; uninstall: string; removeUser: string } | undefined;
  /** Overrides every plan's quota when set (benchmarks lift it); otherwise each store's plan decides. */
  quota: { requests: number; windowMs: number } | undefined;
  inventoryApplyDelayMs: number;
  /** Observer of each applied Inventory API adjustment (inventory.ts `applyChange`); observes only. */
  onAdjustmentApplied: ((applied: AppliedAdjustment) => void) | undefined;
  webhookRetryDelaysMs: number[];
  webhookTimeoutMs: number;
  policies: SandboxPolicies;
  fetch: typeof fetch;
  /** Every timestamp and timer goes through this clock (a VirtualClock in determinism tests). */
  clock: SandboxClock;
  /** `clock.now()`, kept as a shorthand: route handlers stamp records with it. */
  now: () => number;
}

export interface Runtime {
  state: SandboxState;
  config: ResolvedConfig;
  /** Queue a webhook event for every active hook of the store whose scope matches. */
  emit(store: StoreState, scope: string, data: Record<string, unknown>): void;
  /** Arrange for the store's pending inventory adjustments to be applied when due. */
  scheduleInventory(store: StoreState): void;
  /** Mark state dirty (debounced persistence). */
  changed(): void;
  /** Seeded ids (uuids, tokens, codes, webhook message ids): one seed, one sequence. */
  ids: Rng;
  /** Seeded draws for webhook behaviour (activation delays). */
  webhookRandom: Rng;
  /** Hook state kept by the delivery service: lazy inactivity deactivation, the domain denylist. */
  webhooks: Pick<WebhookDispatcher, 'refreshHooks' | 'blockedDomains'>;
  /** Everything observable, in order, for determinism checks (control.eventLog()). */
  log: EventLog;
}

export interface RouteContext {
  rt: Runtime;
  store: StoreState;
  req: Request;
  url: URL;
  params: Record<string, string>;
}

export type RouteHandler = (ctx: RouteContext) => Promise<Response> | Response;

export function intParam(ctx: RouteContext, name: string): number {
  return Number.parseInt(ctx.params[name] ?? '', 10);
}
