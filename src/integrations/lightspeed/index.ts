/** The Lightspeed X-Series integration's public surface. */
export { createLightspeedClient, tokenManagerAuth, type LightspeedClient, type LightspeedClientOptions } from './client';
export {
  LightspeedApiError,
  LightspeedBatchError,
  LightspeedError,
  LightspeedNetworkError,
  LightspeedReconnectRequired,
  LightspeedSchemaError,
  LightspeedTokenError,
  LightspeedWebhookError,
} from './errors';
export type { CallRecord, LightspeedAuth } from './http';
export { buildAuthorizeUrl, exchangeCode, refreshTokens, type LightspeedOAuthConfig, type Tokens } from './oauth';
export { createOAuthState, verifyOAuthState, type OAuthStateCheck } from './oauth-state';
export { lightspeedRequestLimit, parseRetryAfter, RateLimitRegistry, RequestBudget, type RequestBudgetOptions } from './rate-limit';
export { TokenManager, type AccessGrant, type TokenManagerOptions, type TokenStore } from './token-manager';
export type * from './types';
export { parseLightspeedWebhook, verifyLightspeedSignature, type LightspeedWebhook, type LightspeedWebhookEntity } from './webhooks';
