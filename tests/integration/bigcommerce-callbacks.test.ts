import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/db/crypto';
import { forStore } from '../../src/db/repositories/scoped';
import { storesRepository } from '../../src/db/repositories/stores';
import { verifySession } from '../../src/integrations/bigcommerce/session';
import { CallbackVerificationError, safeDeepLink } from '../../src/integrations/bigcommerce/signed-payload';
import { handleLoad, handleRemoveUser, handleUninstall, type LifecycleDeps, sessionDirectory, startSession, StoreNotInstalled } from '../../src/jobs/lifecycle/bigcommerce';
import { mintSignedPayload } from '../support/bc-jwt';
import { databaseTargets, type TestDatabase } from '../support/db';

const clientId = 'app-client-id';
const clientSecret = 'app-client-secret-0123456789';

describe.each(databaseTargets())('BigCommerce load, uninstall and remove-user callbacks on $name', (target) => {
  let t: TestDatabase;
  let deps: LifecycleDeps;
  const secrets = new SecretBox(randomBytes(32).toString('hex'));

  beforeAll(async () => {
    t = await target.open();
    deps = {
      db: t.database.db,
      secrets,
      env: { APP_URL: 'http://app.test', SESSION_SECRET: randomBytes(32).toString('hex'), SESSION_TTL_SECONDS: 900, LAUNCH_CODE_TTL_SECONDS: 60, bigcommerce: { clientId, clientSecret, loginUrl: 'http://unused', apiUrl: 'http://unused' } },
    };
  });
  afterAll(async () => t?.cleanup());

  const installStore = async () => {
    const hash = `s${randomBytes(4).toString('hex')}`;
    const store = await storesRepository(t.database.db).upsertInstalled({ storeHash: hash });
    const scope = forStore(t.database.db, secrets, store.id);
    await scope.users.upsert({ bcUserId: 1001, email: 'owner@store.test', role: 'owner' });
    await scope.connections.save('bigcommerce', { externalAccount: hash, accessToken: 'bc-token' });
    return { hash, store, scope };
  };
  const mint = (storeHash: string, extra: Partial<Parameters<typeof mintSignedPayload>[0]> = {}) => mintSignedPayload({ secret: clientSecret, clientId, storeHash, ...extra });
  /** What the page does with the load callback's launch code: exchange it for a session token. */
  const sessionTokenOf = async (entry: { launchCode: string }) => (await startSession(entry.launchCode, deps)).token;

  it('load redirects to the deep link with a one-time launch code (never a session), which starts a session for that store and user', async () => {
    const { hash, store } = await installStore();
    const entry = await handleLoad(await mint(hash, { url: '/items?product=abc' }), deps);
    expect(entry.storeId).toBe(store.id);
    expect(entry.redirectTo).toBe(`/items?product=abc&launch=${entry.launchCode}`);
    expect(entry.redirectTo).not.toMatch(/session=/);
    const session = await verifySession(await sessionTokenOf(entry), deps.env.SESSION_SECRET, sessionDirectory(t.database.db, secrets));
    expect(session).toMatchObject({ storeId: store.id, storeHash: hash, userId: 1001, email: 'owner@store.test', role: 'owner', grants: [] });
  });

  it('a launch code works once, and not after it expires', async () => {
    const { hash } = await installStore();
    const entry = await handleLoad(await mint(hash), deps);
    await expect(startSession(entry.launchCode, deps)).resolves.toMatchObject({ claims: { storeHash: hash, userId: 1001 } });
    await expect(startSession(entry.launchCode, deps)).rejects.toThrow(/already used or is not valid/);
    const late = await handleLoad(await mint(hash), deps);
    await expect(startSession(late.launchCode, deps, new Date(Date.now() + 61_000))).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/has expired/) });
    // The expired code is used up too: it cannot be tried again with a better clock.
    await expect(startSession(late.launchCode, deps)).rejects.toThrow(/already used/);
    await expect(startSession('not-a-code', deps)).rejects.toThrow(/not valid/);
  });

  it('the owner named in the load payload is the owner; a transfer moves the role', async () => {
    const { hash, scope } = await installStore();
    await handleLoad(await mint(hash, { user: { id: 2002, email: 'staff@store.test' } }), deps);
    expect(await scope.users.findActive(2002)).toMatchObject({ role: 'user' });
    // Ownership moves to 2002: their next load says so, and 1001 is an ordinary user afterwards.
    await handleLoad(await mint(hash, { user: { id: 2002, email: 'staff@store.test' }, owner: { id: 2002, email: 'staff@store.test' } }), deps);
    expect(await scope.users.findActive(2002)).toMatchObject({ role: 'owner' });
    expect(await scope.users.findActive(1001)).toMatchObject({ role: 'user' });
  });

  it('load adds a new store user (multi-user apps)', async () => {
    const { hash, scope } = await installStore();
    await handleLoad(await mint(hash, { user: { id: 2002, email: 'staff@store.test' } }), deps);
    expect(await scope.users.findActive(2002)).toMatchObject({ email: 'staff@store.test', role: 'user' });
  });

  it('never deep-links to another origin', () => {
    expect(safeDeepLink('//evil.test/x')).toBe('/');
    expect(safeDeepLink('https://evil.test')).toBe('/');
    expect(safeDeepLink('/\\evil.test')).toBe('/');
    expect(safeDeepLink('/orders/12')).toBe('/orders/12');
  });

  it.each([
    ['forged (signed with another secret)', { secret: 'not-the-client-secret' }, /signature does not match/],
    ['expired', { nbfOffset: -90_000, expOffset: -3_600 }, /expired/],
    ['for another app (wrong audience)', { clientId: 'other-app' }, /audience mismatch/],
    ['not yet valid beyond 60 s of skew', { nbfOffset: 300 }, /not valid yet/],
    ['not issued by BigCommerce', { iss: 'someone' }, /not issued by BigCommerce/],
    ['signed with another algorithm', { alg: 'HS512' as const }, /algorithm other than HS256/],
  ])('rejects a %s payload with 401 and changes nothing', async (_label, override, message) => {
    const { hash, scope } = await installStore();
    const token = await mint(hash, { user: { id: 3003, email: 'intruder@x.test' }, ...override });
    for (const call of [handleLoad, handleUninstall, handleRemoveUser]) {
      const error = await call(token, deps).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(CallbackVerificationError);
      expect((error as CallbackVerificationError).status).toBe(401);
      expect((error as Error).message).toMatch(message);
    }
    expect(await scope.users.findActive(3003)).toBeUndefined();
    expect(await scope.users.findActive(1001)).toBeDefined();
    expect(await scope.connections.get('bigcommerce')).toMatchObject({ accessToken: 'bc-token' });
  });

  it('tolerates 60 s of clock skew', async () => {
    const { hash } = await installStore();
    await expect(handleLoad(await mint(hash, { nbfOffset: 45 }), deps)).resolves.toBeDefined();
  });

  it('rejects a payload for another (not installed) store with 401', async () => {
    await installStore();
    const error = await handleLoad(await mint('notinstalled'), deps).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreNotInstalled);
    expect((error as StoreNotInstalled).status).toBe(401);
  });

  it('remove-user removes that user only; their session stops working', async () => {
    const { hash, scope } = await installStore();
    const staffToken = await sessionTokenOf(await handleLoad(await mint(hash, { user: { id: 2002, email: 'staff@store.test' } }), deps));
    const ownerToken = await sessionTokenOf(await handleLoad(await mint(hash), deps));
    await handleRemoveUser(await mint(hash, { user: { id: 2002, email: 'staff@store.test' } }), deps);
    const directory = sessionDirectory(t.database.db, secrets);
    await expect(verifySession(staffToken, deps.env.SESSION_SECRET, directory)).rejects.toThrow(/no longer has access/);
    await expect(verifySession(ownerToken, deps.env.SESSION_SECRET, directory)).resolves.toMatchObject({ userId: 1001 });
    expect(await scope.users.findActive(1001)).toBeDefined();
  });

  it('uninstall deletes the store tokens and data, and ends every session', async () => {
    const { hash, store, scope } = await installStore();
    const token = await sessionTokenOf(await handleLoad(await mint(hash), deps));
    const pendingLaunch = await handleLoad(await mint(hash), deps);
    await handleUninstall(await mint(hash), deps);
    expect(await scope.connections.get('bigcommerce')).toBeUndefined();
    expect(await scope.users.list()).toEqual([]);
    expect(await storesRepository(t.database.db).findById(store.id)).toBeUndefined();
    await expect(verifySession(token, deps.env.SESSION_SECRET, sessionDirectory(t.database.db, secrets))).rejects.toThrow();
    await expect(startSession(pendingLaunch.launchCode, deps)).rejects.toThrow(/already used or is not valid/);
    await expect(handleUninstall(await mint(hash), deps)).resolves.toBeUndefined(); // idempotent
  });

  it('a session of one store cannot be replayed as another', async () => {
    const a = await installStore();
    const b = await installStore();
    const token = await sessionTokenOf(await handleLoad(await mint(a.hash), deps));
    const session = await verifySession(token, deps.env.SESSION_SECRET, sessionDirectory(t.database.db, secrets));
    expect(session.storeId).toBe(a.store.id);
    expect(session.storeId).not.toBe(b.store.id);
    await expect(verifySession(token, 'another-session-secret-0123456789abcdef', sessionDirectory(t.database.db, secrets))).rejects.toThrow(/invalid or has expired/);
  });
});
