/**
 * Signed webhook deliveries as the platforms send them, and an open-loop sender: requests leave
 * at a constant rate whatever the answers do (a platform does not wait for the app), each ack
 * timed from its scheduled send time. Shared by the intake tests and bench/intake.ts.
 */
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
}

const verifiers = new Map<string, Webhook>();

/** A BigCommerce delivery (Standard Webhooks, keyed with base64(client secret)). */
export function bigcommerceDelivery(clientSecret: string, input: { storeHash: string; scope: string; data: Record<string, unknown>; id?: string }): Delivery {
  const id = input.id ?? `msg_${randomUUID()}`;
  const now = new Date();
  const body = JSON.stringify({ scope: input.scope, store_id: '1', producer: `stores/${input.storeHash}`, hash: id.slice(-12), created_at: Math.floor(now.getTime() / 1000), data: input.data });
  let signer = verifiers.get(clientSecret);
  if (!signer) verifiers.set(clientSecret, (signer = new Webhook(Buffer.from(clientSecret, 'utf8').toString('base64'))));
  return {
    path: '/api/webhooks/bigcommerce',
    body,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signer.sign(id, now, body) },
  };
}

/** A Lightspeed delivery: form-encoded `type`, `domain_prefix`, `payload`, with X-Signature (HMAC-SHA256, base64). */
export function lightspeedDelivery(clientSecret: string, input: { storeId: string; type: string; domainPrefix: string; payload: Record<string, unknown> }): Delivery {
  const body = new URLSearchParams({ type: input.type, domain_prefix: input.domainPrefix, payload: JSON.stringify(input.payload) }).toString();
  const signature = createHmac('sha256', clientSecret).update(body, 'utf8').digest('base64');
  return {
    path: `/api/webhooks/lightspeed/${input.storeId}/${input.type}`,
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': `signature=${signature}, algorithm=HMAC-SHA256` },
  };
}

export interface Ack {
  /** Index of the delivery. */
  n: number;
  status: number;
  /** From the scheduled send time to the last byte of the answer. */
  ms: number;
  outcome?: string;
  /** Set when the request itself failed (connection refused, timeout). */
  error?: string;
}

/**
 * Sends `count` deliveries at `rate` per second to `baseUrl` (open loop). `make(n)` builds
 * delivery n. Requests that take longer than `timeoutMs` are abandoned by the sender (as a
 * platform would) and counted with status 0.
 */
export async function openLoop(baseUrl: string, options: { rate: number; count: number; make: (n: number) => Delivery; timeoutMs?: number; maxSockets?: number }): Promise<{ acks: Ack[]; seconds: number }> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 512 });
  const acks: Ack[] = [];
  const timeoutMs = options.timeoutMs ?? 10_000;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  const fire = (n: number, scheduled: number) =>
    new Promise<void>((resolve) => {
      const d = options.make(n);
      const req = http.request(
        { host: url.hostname, port: url.port, path: d.path, method: 'POST', agent, headers: { ...d.headers, 'content-length': Buffer.byteLength(d.body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let outcome: string | undefined;
            try {
              outcome = (JSON.parse(Buffer.concat(chunks).toString()) as { outcome?: string }).outcome;
            } catch {
              outcome = undefined;
            }
            acks.push({ n, status: res.statusCode ?? 0, ms: performance.now() - scheduled, ...(outcome ? { outcome } : {}) });
            resolve();
          });
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error) => {
        acks.push({ n, status: 0, ms: performance.now() - scheduled, error: error.message });
        resolve();
      });
      req.end(d.body);
    });
  const interval = 1000 / options.rate;
  let n = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Every delivery whose time has come leaves now, so the rate holds even when timers are late.
      while (n < options.count && started + n * interval <= now) {
        pending.push(fire(n, started + n * interval));
        n++;
      }
      if (n >= options.count) resolve();
      else setTimeout(tick, Math.max(0, Math.min(5, started + n * interval - performance.now())));
    };
    tick();
  });
  await Promise.all(pending);
  agent.destroy();
  return { acks, seconds: (performance.now() - started) / 1000 };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarize(acks: readonly Ack[], seconds: number) {
  const ok = acks.filter((a) => a.status >= 200 && a.status < 300);
  const ms = acks.map((a) => a.ms);
  return {
    sent: acks.length,
    achievedPerSecond: Math.round(ok.length / seconds),
    p50: Math.round(percentile(ms, 50) * 10) / 10,
    p95: Math.round(percentile(ms, 95) * 10) / 10,
    p99: Math.round(percentile(ms, 99) * 10) / 10,
    max: Math.round(percentile(ms, 100)),
    non2xx: acks.length - ok.length,
    over5s: acks.filter((a) => a.ms > 5000).length,
    /** What the non-2xx answers were: status, or the sender's error for a request that got none. */
    failures: Object.fromEntries(
      [...acks.filter((a) => a.status < 200 || a.status >= 300).reduce((m, a) => m.set(a.status ? String(a.status) : (a.error ?? 'no answer'), (m.get(a.status ? String(a.status) : (a.error ?? 'no answer')) ?? 0) + 1), new Map<string, number>())],
    ),
  };
}
