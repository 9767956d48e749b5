/**
 * The services route handlers share: state, clock, configuration and the side-effect hooks
 * (webhook emission, asynchronous inventory, persistence). Handlers receive it in their context
 * rather than importing singletons, so several sandboxes can live in one process (tests).
 */
import type { SandboxState, StoreState } from './types';

export interface ResolvedConfig {
  basePath: string;
  clientId: string;
  clientSecret: string;
  appCallbacks: { auth: string; load: string; uninstall: string; removeUser: string } | undefined;
  quota: { requests: number; windowMs: number };
  inventoryApplyDelayMs: number;
  webhookRetryDelaysMs: number[];
  webhookTimeoutMs: number;
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
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
