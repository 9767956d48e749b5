import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

const scratch = () => mkdtempSync(path.join(tmpdir(), 'cp-env-'));

function problems(source: Record<string, string>): string[] {
  try {
    parseEnv(source, scratch());
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('parseEnv', () => {
  it('runs on embedded defaults with nothing set, generating local secrets once', () => {
    const cwd = scratch();
    const first = parseEnv({}, cwd);
    expect(first.DATABASE_URL).toBeUndefined();
    expect(first.sandbox).toBe(true);
    expect(first.APP_URL).toBe('http://localhost:3000');
    expect(first).toMatchObject({ HOST: '127.0.0.1', SESSION_TTL_SECONDS: 900, LAUNCH_CODE_TTL_SECONDS: 60 });
    expect(first.ENCRYPTION_KEY).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(cwd, '.data', 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = parseEnv({}, cwd);
    expect(again.ENCRYPTION_KEY).toBe(first.ENCRYPTION_KEY);
    expect(again.SESSION_SECRET).toBe(first.SESSION_SECRET);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ encryptionKey: first.ENCRYPTION_KEY });
  });

  it('names the variable and what it expects', () => {
    expect(problems({ DATABASE_URL: 'mysql://x' })).toEqual([expect.stringMatching(/^DATABASE_URL: expected a postgres:\/\/ .*got "mysql:\/\/x"/)]);
    expect(problems({ PORT: 'abc' })[0]).toMatch(/^PORT: expected a TCP port number/);
    expect(problems({ ENCRYPTION_KEY: 'short' })[0]).toMatch(/^ENCRYPTION_KEY: expected 64 hexadecimal characters.*<hidden>/);
    expect(problems({ APP_URL: 'localhost:3000' })[0]).toMatch(/^APP_URL: expected the public base URL/);
    expect(problems({ WORKER: 'maybe' })[0]).toMatch(/^WORKER: expected in-app/);
    expect(problems({ WORKER_NICE: '25' })[0]).toMatch(/^WORKER_NICE: expected a niceness from 0 to 19/);
    expect(problems({ HOST: 'my host' })[0]).toMatch(/^HOST: expected a host name or IP address/);
    expect(problems({ SESSION_TTL_SECONDS: '5' })[0]).toMatch(/^SESSION_TTL_SECONDS: expected at least 10 seconds/);
    expect(problems({ LAUNCH_CODE_TTL_SECONDS: '3600' })[0]).toMatch(/^LAUNCH_CODE_TTL_SECONDS: expected at most 600 seconds/);
  });

  it('requires credentials in pairs and real ones when the sandbox is off', () => {
    expect(problems({ BIGCOMMERCE_CLIENT_ID: 'abc' })).toEqual([expect.stringMatching(/^BIGCOMMERCE_CLIENT_SECRET: required together with BIGCOMMERCE_CLIENT_ID; it is not set/)]);
    expect(problems({ SANDBOX: 'off' })[0]).toMatch(/^BIGCOMMERCE_CLIENT_ID: required when SANDBOX=off/);
  });

  it('requires shared secrets in production with a real database', () => {
    const found = problems({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/app' });
    expect(found.map((p) => p.split(':')[0])).toEqual(['ENCRYPTION_KEY', 'SESSION_SECRET']);
  });

  it('leaves the sandbox when real BigCommerce credentials are given', () => {
    const e = parseEnv({ BIGCOMMERCE_CLIENT_ID: 'id', BIGCOMMERCE_CLIENT_SECRET: 'secret', APP_URL: 'https://app.example.com/' }, scratch());
    expect(e.sandbox).toBe(false);
    expect(e.APP_URL).toBe('https://app.example.com');
  });
});
