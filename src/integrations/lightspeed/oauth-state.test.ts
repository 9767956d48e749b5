import { describe, expect, it } from 'vitest';
import { createOAuthState, verifyOAuthState } from './oauth-state';

const secret = 'a-test-secret-of-enough-length';
const t0 = 1_800_000_000_000;

describe('OAuth state bound to a session', () => {
  it('verifies for the session that created it, before it expires', () => {
    const state = createOAuthState({ sessionId: 'session-a', secret, now: () => t0 });
    expect(state.length).toBeGreaterThanOrEqual(8);
    expect(verifyOAuthState(state, { sessionId: 'session-a', secret, now: () => t0 + 60_000 })).toEqual({ valid: true });
  });

  it('is unique per call', () => {
    const a = createOAuthState({ sessionId: 's', secret, now: () => t0 });
    const b = createOAuthState({ sessionId: 's', secret, now: () => t0 });
    expect(a).not.toBe(b);
  });

  it('refuses another session, another secret, a tampered value and an expired one', () => {
    const state = createOAuthState({ sessionId: 'session-a', secret, now: () => t0, ttlMs: 10 * 60_000 });
    expect(verifyOAuthState(state, { sessionId: 'session-b', secret, now: () => t0 })).toEqual({ valid: false, reason: 'bad-signature' });
    expect(verifyOAuthState(state, { sessionId: 'session-a', secret: `${secret}x`, now: () => t0 })).toEqual({ valid: false, reason: 'bad-signature' });
    const [expiry, nonce, mac] = state.split('.') as [string, string, string];
    // Extending the expiry breaks the MAC.
    expect(verifyOAuthState(`${Number(expiry) + 3600}.${nonce}.${mac}`, { sessionId: 'session-a', secret, now: () => t0 })).toEqual({ valid: false, reason: 'bad-signature' });
    expect(verifyOAuthState(state, { sessionId: 'session-a', secret, now: () => t0 + 10 * 60_000 + 1000 })).toEqual({ valid: false, reason: 'expired' });
  });

  it('refuses malformed values', () => {
    for (const bad of [null, undefined, '', 'abc', 'a.b.c', '123.nonce-nonce.short', `${'1'.repeat(13)}.abcdefgh.${'A'.repeat(43)}`]) {
      expect(verifyOAuthState(bad, { sessionId: 's', secret })).toEqual({ valid: false, reason: 'malformed' });
    }
  });

  it('refuses a weak secret', () => {
    expect(() => createOAuthState({ sessionId: 's', secret: 'short' })).toThrow(/16 characters/);
  });
});
