/**
 * `createLightspeedClient`: one retailer's typed client for the 2026-07 API. Everything goes
 * through one transport, so every call shares the retailer's request budget, retries and
 * recorder. Configuration is passed in (no environment reads), so the same client talks to
 * Lightspeed or to the sandbox.
 */
import { inventoryEndpoints } from './endpoints/inventory';
import { productEndpoints } from './endpoints/products';
import { saleEndpoints } from './endpoints/sales';
import { setupEndpoints } from './endpoints/setup';
import { stockEndpoints } from './endpoints/stock';
import { webhookSubscriptionEndpoints } from './endpoints/webhook-subscriptions';
import { LightspeedTransport, type LightspeedAuth, type TransportOptions } from './http';
import { collectAll } from './paging';
import { RateLimitRegistry, type RequestBudget } from './rate-limit';
import type { TokenManager } from './token-manager';

/** The transport's options (see `TransportOptions`), with the budget found for you when not given. */
export interface LightspeedClientOptions extends Omit<TransportOptions, 'budget'> {
  /** The retailer's shared request budget. Give either this or `rateLimits`. */
  budget?: RequestBudget;
  /** A process-wide registry to take the retailer's budget from. */
  rateLimits?: RateLimitRegistry;
  /** Registers the retailer has, for the initial budget (default 1); see `refreshRegisterCount`. */
  registers?: number;
}

const defaultRateLimits = new RateLimitRegistry();

export function createLightspeedClient(options: LightspeedClientOptions) {
  const budget = options.budget ?? (options.rateLimits ?? defaultRateLimits).budgetFor(options.domainPrefix, options.registers ?? 1);
  const transport = new LightspeedTransport({ ...options, budget });
  const setup = setupEndpoints(transport);

  return {
    domainPrefix: options.domainPrefix,
    budget,
    ...setup,
    ...productEndpoints(transport),
    ...inventoryEndpoints(transport),
    ...saleEndpoints(transport),
    ...stockEndpoints(transport),
    ...webhookSubscriptionEndpoints(transport),

    /**
     * Counts the retailer's registers (not deleted) and resizes the budget to
     * 300 × registers + 50. Run it on connect and periodically: adding a register raises the limit.
     */
    async refreshRegisterCount(): Promise<number> {
      const registers = await collectAll(setup.registers.all());
      const count = registers.filter((r) => r.deletedAt === null).length;
      budget.setRegisterCount(count);
      return count;
    },
  };
}

export type LightspeedClient = ReturnType<typeof createLightspeedClient>;

/** The transport's view of a `TokenManager`, for one store. */
export function tokenManagerAuth(manager: TokenManager, storeId: string): LightspeedAuth {
  return {
    accessToken: async () => (await manager.getAccessToken(storeId)).accessToken,
    renewAfterRejection: async (rejected) => (await manager.renewAfterRejection(storeId, rejected)).accessToken,
  };
}
