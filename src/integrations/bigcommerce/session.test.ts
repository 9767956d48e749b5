import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueResumeToken, issueSession, renewSession, resumeCookie, resumeTokenFrom, SESSION_MAX_AGE_SECONDS, verifyResumeToken, verifySession } from './session';

const secret = randomBytes(32).toString('hex');
const now = new Date('2030-01-01T09:00:00Z');
const claims = { storeId: '0b6f9e59-3c4b-4a0a-9d8e-7f1c2b3a4d5e', storeHash: 'abc', userId: 7, email: 'o@x.test', launchedAt: Math.floor(now.getTime() / 1000) };
const directory = { standing: async () => ({ role: 'owner' as const, grants: [] }) };

describe('sessions', () => {
  it('a session token carries its expiry (TTL from now) and its user’s standing', async () => {
    const { token, expiresAt } = await issueSession(claims, secret, 60, new Date());
    const session = await verifySession(token, secret, directory);
    expect(session).toMatchObject({ storeHash: 'abc', role: 'owner', grants: [] });
    expect(Math.abs(session.expiresAt.getTime() - expiresAt.getTime())).toBeLessThan(1_500);
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    await expect(verifySession(token, 'another-secret-0123456789abcdef0123456789', directory)).rejects.toThrow(/invalid or has expired/);
    await expect(verifySession(token, secret, { standing: async () => undefined })).rejects.toThrow(/no longer has access/);
  });

  it('renews up to 12 hours after the launch, and never beyond', async () => {
    const later = new Date(now.getTime() + (SESSION_MAX_AGE_SECONDS - 30) * 1000);
    const renewed = await renewSession(claims, secret, 900, later);
    expect(renewed.expiresAt.getTime()).toBe(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000); // capped at the launch's end
    await expect(renewSession(claims, secret, 900, new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000))).rejects.toThrow(/older than 12 hours/);
  });

  it('a resume token is no bearer token, and a bearer token is no resume token', async () => {
    const resume = await issueResumeToken({ ...claims, launchedAt: Math.floor(Date.now() / 1000) }, secret);
    await expect(verifySession(resume.token, secret, directory)).rejects.toThrow(/invalid or has expired/);
    const bearer = await issueSession(claims, secret, 60, new Date());
    await expect(verifyResumeToken(bearer.token, secret)).rejects.toThrow(/cannot be resumed/);
    await expect(verifyResumeToken(resume.token, secret)).resolves.toMatchObject({ storeHash: 'abc' });
  });

  it('the resume cookie is partitioned, HttpOnly, Secure, cross-site and sent to the resume endpoint only', () => {
    expect(resumeCookie('tok', 100)).toBe('counterpart_resume=tok; Path=/api/session/resume; Max-Age=100; HttpOnly; Secure; SameSite=None; Partitioned');
    expect(resumeTokenFrom(new Request('http://x/api/session/resume', { headers: { cookie: 'a=1; counterpart_resume=abc.def=; b=2' } }))).toBe('abc.def=');
    expect(resumeTokenFrom(new Request('http://x/'))).toBeUndefined();
  });
});
