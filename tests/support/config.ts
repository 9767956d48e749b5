import type { JobConfig } from '../../src/jobs/deps';

/** Job configuration for tests; platforms default to unreachable addresses so nothing leaks out. */
export function testConfig(overrides: Partial<JobConfig> = {}): JobConfig {
  return {
    APP_URL: 'http://127.0.0.1:9',
    bigcommerce: { clientId: 'test-bc-client', clientSecret: 'test-bc-secret', loginUrl: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9' },
    lightspeed: { clientId: 'test-ls-client', clientSecret: 'test-ls-secret', authUrl: 'http://127.0.0.1:9', apiUrlTemplate: 'http://127.0.0.1:9/{domain_prefix}' },
    ...overrides,
  };
}
