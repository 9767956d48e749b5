import { describe, expect, it } from 'vitest';
import { accessFor, grantableActions, may, refusal } from './permissions';

describe('access', () => {
  it('the owner may do everything, including choosing what others may do', () => {
    const owner = accessFor('owner', []);
    for (const action of [...grantableActions, 'view', 'sweep', 'permissions.manage'] as const) expect(may(owner, action)).toBe(true);
  });

  it('another user may look and ask for a sweep, nothing else, by default', () => {
    const user = accessFor('user', []);
    expect(may(user, 'view')).toBe(true);
    expect(may(user, 'sweep')).toBe(true);
    for (const action of grantableActions) expect(may(user, action)).toBe(false);
    expect(may(user, 'permissions.manage')).toBe(false);
  });

  it('grants add exactly the granted actions; managing grants is never granted', () => {
    const user = accessFor('user', ['items.enable', 'permissions.manage', 'nonsense']);
    expect(user.allowed).toEqual(['view', 'sweep', 'items.enable']);
  });

  it('a refusal says who can and how to get it', () => {
    expect(refusal('lightspeed.connection')).toBe('Only the store owner can connect or disconnect Lightspeed unless they allow it for other users (Settings › What other users may do).');
    expect(refusal('permissions.manage')).toMatch(/^Only the store owner can choose what other users may do\.$/);
  });
});
