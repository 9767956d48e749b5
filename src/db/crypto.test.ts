import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './crypto';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(randomBytes(32).toString('hex'));

  it('round-trips and never repeats a ciphertext', () => {
    const a = box.seal('token-123');
    const b = box.seal('token-123');
    expect(a).not.toBe(b);
    expect(a).not.toContain('token-123');
    expect(box.open(a)).toBe('token-123');
    expect(box.open(b)).toBe('token-123');
  });

  it('rejects a tampered value and a wrong key', () => {
    const sealed = box.seal('secret');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(() => box.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('hex')).open(sealed)).toThrow();
  });

  it('refuses a key of the wrong size', () => {
    expect(() => new SecretBox('abcd')).toThrow(/32 bytes/);
  });
});
