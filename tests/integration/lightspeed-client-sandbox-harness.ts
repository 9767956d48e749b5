/**
 * Shared set-up for the client-against-sandbox tests: the emulated retailer listening on a real
 * port, the real OAuth code exchange against its token endpoint, a `TokenManager` over an
 * in-memory `TokenStore`, and a client wired to both with a recorder. The two sides are only
 * joined here, in the tests: neither imports the other.
 */
import {
  createLightspeedClient,
  exchangeCode,
  RequestBudget,
  TokenManager,
  tokenManagerAuth,
  type CallRecord,
  type LightspeedClientOptions,
  type LightspeedOAuthConfig,
  type Tokens,
  type TokenStore,
} from '@/integrations/lightspeed';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { RunningServer } from '@/sandbox/http';
import { createLightspeedSandbox, type LightspeedSandbox, type LightspeedSandboxConfig } from '@/sandbox/lightspeed';

export const CLIENT_ID = 'counterpart-test';
export const CLIENT_SECRET = 'counterpart-secret-9f3a';
export const REDIRECT_URI = 'https://counterpart.example/api/ls/oauth/callback';
export const STORE_ID = 'store-1';

/** The port the app's persistence implements, kept in memory. */
export class MemoryTokenStore implements TokenStore {
  readonly tokens = new Map<string, Tokens>();
  readonly reconnect = new Map<string, string>();
  saves = 0;

  load(storeId: string): Promise<Tokens | undefined> {
    return Promise.resolve(this.reconnect.has(storeId) ? undefined : this.tokens.get(storeId));
  }

  save(storeId: string, tokens: Tokens): Promise<void> {
    this.saves++;
    this.tokens.set(storeId, tokens);
    this.reconnect.delete(storeId);
    return Promise.resolve();
  }

  markReconnectRequired(storeId: string, reason: string): Promise<void> {
    this.reconnect.set(storeId, reason);
    return Promise.resolve();
  }
}

export interface TokenRequestLog {
  grant: string | null;
  refreshToken: string | null;
  status: number;
}

export interface ClientSandbox {
  sandbox: LightspeedSandbox;
  server: RunningServer;
  /** `<origin>/{domain_prefix}`: stands in for `https://{domain_prefix}.retail.lightspeed.app`. */
  apiUrlTemplate: string;
  domainPrefix: string;
  oauth: LightspeedOAuthConfig;
  store: MemoryTokenStore;
  manager: TokenManager;
  /** Every request the app made to the token endpoint, seen from the app's side. */
  tokenRequests: TokenRequestLog[];
  calls: CallRecord[];
  client(options?: Partial<LightspeedClientOptions>): ReturnType<typeof createLightspeedClient>;
  close(): Promise<void>;
}

export async function startClientSandbox(
  config: Partial<LightspeedSandboxConfig> = {},
  options: { refreshMarginMs?: number; apiUrlTemplate?: (origin: string) => string; beforeConnect?: (sandbox: LightspeedSandbox) => void } = {},
): Promise<ClientSandbox> {
  const sandbox = createLightspeedSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webhookRetryDelaysMs: [20, 40], ...config });
  const server = await sandbox.listen();
  const apiUrlTemplate = options.apiUrlTemplate ? options.apiUrlTemplate(server.url) : `${server.url}/{domain_prefix}`;
  const tokenRequests: TokenRequestLog[] = [];
  const countingFetch: typeof fetch = async (input, init) => {
    const form = new URLSearchParams(typeof init?.body === 'string' ? init.body : '');
    const response = await fetch(input, init);
    tokenRequests.push({ grant: form.get('grant_type'), refreshToken: form.get('refresh_token'), status: response.status });
    return response;
  };
  const oauth: LightspeedOAuthConfig = {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    authUrl: `${server.url}`,
    apiUrlTemplate,
    fetch: countingFetch,
  };
  const store = new MemoryTokenStore();
  const manager = new TokenManager({ oauth, store, refreshMarginMs: options.refreshMarginMs ?? 60_000 });

  // The real connect flow: the retailer approves (control stands in for the /connect page),
  // the callback's code goes to the retailer's token endpoint.
  options.beforeConnect?.(sandbox);
  const { code, domain_prefix: domainPrefix } = sandbox.control.issueAuthCode({ redirect_uri: REDIRECT_URI });
  const tokens = await exchangeCode(oauth, { code, domainPrefix });
  await manager.connect(STORE_ID, tokens);

  // Opt-in contract check: LS_CONTRACT_PROXY=../shared/tools/ls-contract/proxy.sh puts
  // Lightspeed's validating proxy between the client and the sandbox (the token endpoint is not
  // in the OpenAPI document, so OAuth stays direct). Violations come back as 422/500.
  const proxy = process.env.LS_CONTRACT_PROXY ? await startContractProxy(process.env.LS_CONTRACT_PROXY, server.url) : null;
  const clientUrlTemplate = proxy ? `${proxy.url}/{domain_prefix}` : apiUrlTemplate;
  // The official document declares POST /consignments/{id}/bulk's 200 under a media type named
  // "Example", on which Prism 5.14 throws and exits; those requests go around the proxy.
  const proxyFetch = (base: typeof fetch): typeof fetch =>
    proxy ? (input, init) => base(typeof input === 'string' && /\/consignments\/[^/]+\/bulk$/.test(input) ? input.replace(proxy.url, server.url) : input, init) : base;

  const calls: CallRecord[] = [];
  return {
    sandbox,
    server,
    apiUrlTemplate,
    domainPrefix,
    oauth,
    store,
    manager,
    tokenRequests,
    calls,
    client: (overrides = {}) =>
      createLightspeedClient({
        apiUrlTemplate: clientUrlTemplate,
        domainPrefix,
        auth: tokenManagerAuth(manager, STORE_ID),
        budget: new RequestBudget({ registers: 1 }),
        recorder: (call) => calls.push(call),
        backoffBaseMs: 20,
        backoffCapMs: 200,
        timeoutMs: 10_000,
        ...overrides,
        fetch: proxyFetch(overrides.fetch ?? ((input, init) => fetch(input, init))),
      }),
    async close() {
      proxy?.stop();
      await sandbox.close();
      await server.close();
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `proxy.sh UPSTREAM PORT '/{domain_prefix}/api/2026-07'` and waits until it answers. */
async function startContractProxy(script: string, upstream: string): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child: ChildProcess = spawn(script, [upstream, String(port), '/{domain_prefix}/api/2026-07'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = process.env.LS_CONTRACT_LOG;
  const sink = (chunk: Buffer) => {
    if (log) void import('node:fs').then((fs) => fs.appendFileSync(log, chunk));
  };
  child.stdout?.on('data', sink);
  child.stderr?.on('data', sink);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`${url}/`);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    stop: () => {
      if (child.pid !== undefined && child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

export function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}`);
  return value;
}
