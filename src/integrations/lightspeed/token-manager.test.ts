import { describe, expect, it } from 'vitest';
import { LightspeedReconnectRequired } from './errors';
import type { LightspeedOAuthConfig, Tokens } from './oauth';
import { TokenManager, type TokenStore } from './token-manager';

const oauth: LightspeedOAuthConfig = { clientId: 'c', clientSecret: 's', redirectUri: 'r', authUrl: 'https://a', apiUrlTemplate: 'https://{domain_prefix}.x' };

function setup(initial: Tokens | undefined, now = 1_000_000_000) {
  const saved: Tokens[] = [];
  const marked: string[] = [];
  let current = initial;
  const store: TokenStore = {
    load: async () => current,
    save: async (_id, t) => {
      saved.push(t);
      current = t;
    },
    markReconnectRequired: async (_id, reason) => void marked.push(reason),
  };
  const refreshed: string[] = [];
  const manager = new TokenManager({
    oauth,
    store,
    now: () => now,
    refresh: async (_config, input) => {
      refreshed.push(input.refreshToken);
      return { ...initial!, accessToken: `${input.refreshToken}-at`, refreshToken: `${input.refreshToken}+`, expiresAt: now + 86_400_000 };
    },
  });
  return { manager, saved, marked, refreshed };
}

const tokens = (expiresAt: number): Tokens => ({ accessToken: 'at', refreshToken: 'rt', tokenType: 'Bearer', expiresAt, domainPrefix: 'shop', scopes: [] });

describe('TokenManager', () => {
  it('uses the stored token while more than the margin is left', async () => {
    const { manager, refreshed } = setup(tokens(1_000_000_000 + 11 * 60_000));
    expect(await manager.getAccessToken('s')).toEqual({ accessToken: 'at', domainPrefix: 'shop' });
    expect(refreshed).toEqual([]);
  });

  it('refreshes shortly before expiry and persists the rotated pair', async () => {
    const { manager, refreshed, saved } = setup(tokens(1_000_000_000 + 9 * 60_000));
    expect((await manager.getAccessToken('s')).accessToken).toBe('rt-at');
    expect(refreshed).toEqual(['rt']);
    expect(saved[0]).toMatchObject({ refreshToken: 'rt+' });
    // Cached afterwards: no second refresh.
    await manager.getAccessToken('s');
    expect(refreshed).toHaveLength(1);
  });

  it('does not refresh on a rejection if the stored token has already changed', async () => {
    const { manager, refreshed } = setup(tokens(1_000_000_000 + 3_600_000));
    expect((await manager.renewAfterRejection('s', 'an-older-token')).accessToken).toBe('at');
    expect(refreshed).toEqual([]);
    expect((await manager.renewAfterRejection('s', 'at')).accessToken).toBe('rt-at');
  });

  it('without stored tokens asks for a reconnect', async () => {
    const { manager } = setup(undefined);
    await expect(manager.getAccessToken('s')).rejects.toBeInstanceOf(LightspeedReconnectRequired);
  });
});
