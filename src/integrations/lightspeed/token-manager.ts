/**
 * Hands out a valid access token per store and refreshes it shortly before it expires.
 *
 * Lightspeed rotates the refresh token on every refresh and revokes the old one, so two
 * concurrent refreshes for one store would leave one of them holding a dead token, and the
 * store disconnected. Refreshes are therefore single-flight per store inside this process
 * (callers share one in-flight promise), and the optional `withLock` hook (e.g. a Postgres
 * advisory lock) extends that across processes. Inside the lock the tokens are re-read from
 * the store: if another caller or process already refreshed, its result is used instead of
 * refreshing again with a spent refresh token.
 */
import { LightspeedReconnectRequired } from './errors';
import { refreshTokens, type LightspeedOAuthConfig, type Tokens } from './oauth';

/** Persistence for a store's tokens, implemented outside `integrations/` (encrypted at rest). */
export interface TokenStore {
  /** Undefined when there are none, and once the store is marked reconnect-required (so a dead grant is not retried). */
  load(storeId: string): Promise<Tokens | undefined>;
  /** Must replace both tokens atomically: the previous refresh token is already revoked. */
  save(storeId: string, tokens: Tokens): Promise<void>;
  markReconnectRequired(storeId: string, reason: string): Promise<void>;
}

export interface TokenManagerOptions {
  oauth: LightspeedOAuthConfig;
  store: TokenStore;
  /** Refresh when the token has less than this left. Default 10 minutes. */
  refreshMarginMs?: number;
  /** Runs `fn` while holding a lock on the store that other processes respect too. */
  withLock?: <T>(storeId: string, fn: () => Promise<T>) => Promise<T>;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Inject `refreshTokens` for tests. */
  refresh?: typeof refreshTokens;
}

export interface AccessGrant {
  accessToken: string;
  domainPrefix: string;
}

export class TokenManager {
  readonly #options: TokenManagerOptions;
  readonly #now: () => number;
  readonly #margin: number;
  readonly #cache = new Map<string, Tokens>();
  readonly #inFlight = new Map<string, Promise<Tokens>>();

  constructor(options: TokenManagerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#margin = options.refreshMarginMs ?? 10 * 60 * 1000;
  }

  /** A token good for at least the refresh margin, refreshing first if needed. */
  async getAccessToken(storeId: string): Promise<AccessGrant> {
    const pending = this.#inFlight.get(storeId);
    const tokens = pending ? await pending : (this.#cache.get(storeId) ?? (await this.#load(storeId)));
    if (!this.#isStale(tokens)) return grantOf(tokens);
    return grantOf(await this.#refresh(storeId, (current) => this.#isStale(current)));
  }

  /**
   * Called after the API rejected `rejectedAccessToken` with a 401 before its expiry (revoked,
   * or rotated by another process). Refreshes unless the stored token already differs.
   */
  async renewAfterRejection(storeId: string, rejectedAccessToken: string): Promise<AccessGrant> {
    return grantOf(await this.#refresh(storeId, (current) => current.accessToken === rejectedAccessToken || this.#isStale(current)));
  }

  /** Stores the tokens of a fresh connection (after `exchangeCode`). */
  async connect(storeId: string, tokens: Tokens): Promise<void> {
    await this.#options.store.save(storeId, tokens);
    this.#cache.set(storeId, tokens);
  }

  /** Forgets the in-memory copy (e.g. on uninstall). */
  forget(storeId: string): void {
    this.#cache.delete(storeId);
  }

  #isStale(tokens: Tokens): boolean {
    return tokens.expiresAt - this.#now() <= this.#margin;
  }

  async #load(storeId: string): Promise<Tokens> {
    const tokens = await this.#options.store.load(storeId);
    if (!tokens) throw new LightspeedReconnectRequired(storeId, 'no Lightspeed tokens are stored for this store');
    this.#cache.set(storeId, tokens);
    return tokens;
  }

  /** Single flight per store: a second caller joins the refresh already under way. */
  #refresh(storeId: string, needsRefresh: (current: Tokens) => boolean): Promise<Tokens> {
    const pending = this.#inFlight.get(storeId);
    if (pending) return pending;
    const withLock = this.#options.withLock ?? ((_id, fn) => fn());
    const run = withLock(storeId, async () => {
      // Re-read under the lock: another process may have refreshed while we waited for it.
      const current = await this.#load(storeId);
      if (!needsRefresh(current)) return current;
      const refresh = this.#options.refresh ?? refreshTokens;
      let fresh: Tokens;
      try {
        fresh = await refresh(this.#options.oauth, { domainPrefix: current.domainPrefix, refreshToken: current.refreshToken });
      } catch (error) {
        if (error instanceof LightspeedReconnectRequired) {
          this.#cache.delete(storeId);
          await this.#options.store.markReconnectRequired(storeId, error.reason);
          throw new LightspeedReconnectRequired(storeId, error.reason);
        }
        throw error;
      }
      // Persist before anyone uses the new access token: the old refresh token is already dead.
      await this.#options.store.save(storeId, fresh);
      this.#cache.set(storeId, fresh);
      return fresh;
    }).finally(() => this.#inFlight.delete(storeId));
    this.#inFlight.set(storeId, run);
    return run;
  }
}

function grantOf(tokens: Tokens): AccessGrant {
  return { accessToken: tokens.accessToken, domainPrefix: tokens.domainPrefix };
}
