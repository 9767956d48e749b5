/**
 * Shared harness for the `bigcommerce-client-sandbox-*` tests: the BigCommerce sandbox listening
 * on a real port, one store per test (fresh hash, so the process-wide limiter and serial lanes
 * of `limiterFor` / `laneFor` start clean), a token issued through the control surface, and the
 * real client built over a `fetch` that records what actually crossed the wire (path, body,
 * start/end time, status, rate-limit headers) next to the client's own recorder.
 *
 * Contract runs (not CI): `BC_SANDBOX_PORT` makes the sandbox listen on a fixed port,
 * `BC_CLIENT_API_URL` points the clients at another base URL — the bc-contract validating proxy
 * in front of that port — while control actions still go to the sandbox directly, and
 * `BC_CONTRACT_LOG` names a file that collects every answer the proxy flagged (a 422 for a
 * request off the contract, a 500 or an `sl-violations` header for a response off it). See
 * scripts/bc-client-contract-run.sh.
 */
import { appendFileSync } from 'node:fs';
import { createBigCommerceClient, type ApiCall, type BigCommerceClient, type BigCommerceClientOptions } from '@/integrations/bigcommerce/client';
import { createBigCommerceSandbox, type BigCommerceSandbox, type BigCommerceSandboxConfig } from '@/sandbox/bigcommerce';
import type { RunningServer } from '@/sandbox/http';
import { expect } from 'vitest';

export interface WireRequest {
  method: string;
  /** Path below `/stores/{hash}`, without the query. */
  path: string;
  query: string;
  body: unknown;
  start: number;
  end: number;
  status: number;
  headers: Headers | undefined;
}

export interface Connection {
  client: BigCommerceClient;
  /** What the client's recorder saw, every attempt. */
  calls: ApiCall[];
  /** What went over the wire, in order of sending. */
  wire: WireRequest[];
  /** Highest number of requests in flight at once matching `match`. */
  maxInFlight(match: (r: WireRequest) => boolean): number;
}

export interface SandboxEnv {
  sandbox: BigCommerceSandbox;
  server: RunningServer;
  apiUrl: string;
  close(): Promise<void>;
  /** A fresh store (Pro plan, generous quota unless given) and its token. */
  store(options?: { quota?: { requests: number; windowMs: number } | null; name?: string }): { hash: string; token: string };
  connect(store: { hash: string; token: string }, options?: Partial<BigCommerceClientOptions>): Connection;
}

let storeCounter = 0;

export const GENEROUS_QUOTA = { requests: 100_000, windowMs: 1_000 };

export async function startSandboxEnv(config: Partial<BigCommerceSandboxConfig> = {}): Promise<SandboxEnv> {
  const sandbox = createBigCommerceSandbox({ clientId: 'client-sandbox-test', clientSecret: 'client-sandbox-secret', inventoryApplyDelayMs: 200, ...config });
  const server = await sandbox.listen(process.env.BC_SANDBOX_PORT ? Number(process.env.BC_SANDBOX_PORT) : undefined);
  const apiUrl = process.env.BC_CLIENT_API_URL ?? server.url;
  return {
    sandbox,
    server,
    apiUrl,
    async close() {
      sandbox.close();
      await server.close();
    },
    store(options = {}) {
      const hash = `cs${process.pid.toString(36)}${(++storeCounter).toString(36)}${Date.now().toString(36).slice(-4)}`;
      sandbox.control.createStore({ hash, name: options.name ?? `Client store ${hash}`, plan: 'Pro' });
      sandbox.control.updateStore(hash, { quota: options.quota === undefined ? GENEROUS_QUOTA : options.quota });
      return { hash, token: sandbox.control.issueToken(hash) };
    },
    connect(store, options = {}) {
      const calls: ApiCall[] = [];
      const wire: WireRequest[] = [];
      const wiredFetch: typeof fetch = async (input, init) => {
        const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
        const entry: WireRequest = {
          method: init?.method ?? 'GET',
          path: url.pathname.replace(/^.*?\/stores\/[^/]+/, ''),
          query: decodeURIComponent(url.search),
          body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
          start: performance.now(),
          end: Number.POSITIVE_INFINITY,
          status: 0,
          headers: undefined,
        };
        wire.push(entry);
        try {
          let response = await fetch(input, init);
          let text = await response.text();
          if (apiUrl !== server.url) {
            // A contract run: an exchange refused only for a defect of the contract itself goes to the sandbox directly.
            const direct = await answerAroundSpecDefect(entry, url, response, text, (target) => fetch(target.href.replace(apiUrl, server.url), init));
            if (direct) ({ response, text } = direct);
          }
          entry.status = response.status;
          entry.headers = response.headers;
          entry.end = performance.now();
          logContractFlag(entry, text);
          // A 204/205/304 may not carry a body, even an empty one.
          const bodyless = [204, 205, 304].includes(response.status);
          return new Response(bodyless ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
        } catch (error) {
          entry.end = performance.now();
          throw error;
        }
      };
      const client = createBigCommerceClient({
        apiUrl,
        storeHash: store.hash,
        accessToken: store.token,
        recorder: (call) => calls.push(call),
        fetch: wiredFetch,
        ...options,
      });
      return {
        client,
        calls,
        wire,
        maxInFlight(match) {
          const edges = wire.filter(match).flatMap((r) => [
            { at: r.start, d: 1 },
            { at: r.end, d: -1 },
          ]);
          // Ends before starts at the same instant: touching intervals do not overlap.
          edges.sort((a, b) => a.at - b.at || a.d - b.d);
          let current = 0;
          let max = 0;
          for (const e of edges) {
            current += e.d;
            max = Math.max(max, current);
          }
          return max;
        },
      };
    },
  };
}

const contractLog = process.env.BC_CONTRACT_LOG;

interface Violation {
  location: string[];
  code?: string;
  message: string;
}

/**
 * Places where BigCommerce's official contract contradicts its own descriptions, so that the
 * validating proxy refuses an exchange the platform documents (the sandbox README lists them).
 * `request` explains a refused request (the sandbox never saw it); `response` explains a refused
 * answer, checked against the answer the sandbox really gave.
 */
const SPEC_DEFECTS: { reason: string; applies(method: string, path: string, query: URLSearchParams): boolean; request?(v: Violation, query: URLSearchParams): boolean; response?(v: Violation, answer: unknown): boolean }[] = [
  {
    reason: 'inventory.v3.yml types product_id:in, variant_id:in and location_id:in as one integer, though each is described as a comma-separated list',
    applies: (method, path) => method === 'GET' && /^\/v3\/inventory\/(items|locations\/\d+\/items)$/.test(path),
    request: (v, query) => v.location[0] === 'query' && /^(product_id|variant_id|location_id):in$/.test(v.location[1] ?? '') && v.code === 'type' && /^\d+(,\d+)+$/.test(query.get(v.location[1] ?? '') ?? ''),
  },
  {
    reason: 'settings.v3.yml: channel-level inventory settings answer null for a field the channel does not override (the operations\' descriptions), but the schema is not nullable',
    applies: (method, path, query) => (method === 'GET' || method === 'PUT') && path === '/v3/settings/inventory' && query.has('channel_id'),
    response: (v, answer) => {
      const [where, part, data, field] = v.location;
      return where === 'response' && part === 'body' && data === 'data' && field !== undefined && v.location.length === 4 && (v.code === 'type' || v.code === 'enum') && (answer as { data?: Record<string, unknown> } | undefined)?.data?.[field] === null;
    },
  },
];

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * In a contract run, an exchange the proxy refused only because of a SPEC_DEFECTS entry is sent
 * to the sandbox directly and its real answer returned, logged as excused with the reason. Both
 * defects concern a read or a PUT of settings, so sending the request again changes nothing.
 * Returns null when the exchange was not refused for a known defect alone.
 */
async function answerAroundSpecDefect(entry: WireRequest, url: URL, response: Response, text: string, sendDirect: (url: URL) => Promise<Response>): Promise<{ response: Response; text: string } | null> {
  const query = url.searchParams;
  const defect = SPEC_DEFECTS.find((d) => d.applies(entry.method, entry.path, query));
  if (!defect) return null;
  const header = response.headers.get('sl-violations');
  const requestViolations = response.status === 422 ? ((parseJson(text) as { validation?: Violation[] } | undefined)?.validation ?? []) : [];
  const responseViolations = response.status === 500 && header ? (JSON.parse(header) as Violation[]) : [];
  if (requestViolations.length > 0 && !(defect.request && requestViolations.every((v) => defect.request!(v, query)))) return null;
  if (requestViolations.length === 0 && (responseViolations.length === 0 || !defect.response)) return null;
  const direct = await sendDirect(url);
  const directText = await direct.text();
  if (responseViolations.length > 0 && !responseViolations.every((v) => defect.response!(v, parseJson(directText)))) return null;
  if (contractLog) {
    const template = entry.path.replace(/\/\d+(?=\/|$)/g, '/{id}');
    appendFileSync(contractLog, `${JSON.stringify({ test: expect.getState().currentTestName, method: entry.method, path: template, query: entry.query, status: direct.status, excused: defect.reason, violations: requestViolations.length > 0 ? requestViolations : responseViolations })}\n`);
  }
  return { response: new Response(directText, { status: direct.status, statusText: direct.statusText, headers: direct.headers }), text: directText };
}

/** In a contract run, records what the validating proxy flagged (`validation` errors or `sl-violations`). */
function logContractFlag(entry: WireRequest, text: string): void {
  if (!contractLog || !entry.headers) return;
  const violations = entry.headers.get('sl-violations');
  const flagged = violations !== null || ((entry.status === 422 || entry.status === 500) && /violation|validation/i.test(text));
  if (!flagged) return;
  const template = entry.path.replace(/\/\d+(?=\/|$)/g, '/{id}');
  appendFileSync(contractLog, `${JSON.stringify({ test: expect.getState().currentTestName, method: entry.method, path: template, query: entry.query, status: entry.status, violations, body: text.slice(0, 4000) })}\n`);
}

export const physicalAddress = {
  address1: '1 Market St',
  city: 'San Francisco',
  state: 'California',
  zip: '94105',
  email: 'store@example.com',
  geo_coordinates: { latitude: 37.79, longitude: -122.39 },
  country_code: 'US',
};

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Templated-path counts from the recorder, final attempts only (`METHOD path` → n). */
export function requestCounts(calls: readonly ApiCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of calls) {
    const key = `${c.method} ${c.path}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
