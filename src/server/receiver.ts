/**
 * The lean webhook receiver: `npm start` answers the two webhook routes here, before Next.js
 * sees the request, because Next's request handling (routing, the proxy, the Fetch API
 * adapters) cost several times the intake itself and capped a two-core server near 200
 * deliveries a second (BENCHMARKS.md). The answer is the route handlers' own
 * (jobs/intake/answer.ts); only the HTTP edge differs: Node's request and response, a bounded
 * body, and the sender's disconnect passed on as an abort signal so nothing is recorded for a
 * request nobody waits for.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerBigCommerce, answerLightspeed, type WebhookAnswer } from '../jobs/intake/answer';

export type WebhookRoute = { platform: 'bigcommerce' } | { platform: 'lightspeed'; storeId: string; type: string };

/** Far above either platform's delivery (a few kilobytes); a larger body is refused unread. */
export const MAX_WEBHOOK_BYTES = 1 << 20;

const LIGHTSPEED = /^\/api\/webhooks\/lightspeed\/([^/?]+)\/([^/?]+)$/;

/** The webhook route a request is for, or null (Next.js answers everything else, and every other method). */
export function webhookRoute(method: string | undefined, url: string | undefined): WebhookRoute | null {
  if (method !== 'POST' || !url) return null;
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  if (pathname === '/api/webhooks/bigcommerce') return { platform: 'bigcommerce' };
  const m = LIGHTSPEED.exec(pathname);
  if (!m) return null;
  try {
    return { platform: 'lightspeed', storeId: decodeURIComponent(m[1]!), type: decodeURIComponent(m[2]!) };
  } catch {
    return null; // not percent-encoded correctly: Next.js answers it as it would any bad path
  }
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

function send(res: ServerResponse, answer: WebhookAnswer, extraHeaders: Record<string, string>, close = false): void {
  if (res.writableEnded || res.destroyed) return;
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...extraHeaders,
    ...answer.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

/** Answers one webhook delivery. `extraHeaders`: the security headers every API answer carries. */
export async function receiveWebhook(req: IncomingMessage, res: ServerResponse, route: WebhookRoute, extraHeaders: Record<string, string>): Promise<void> {
  // The sender going away before its answer aborts the delivery (the recorder drops it unwritten).
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  let rawBody: string;
  try {
    rawBody = await readBody(req, MAX_WEBHOOK_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      send(res, { status: 413, body: { error: `the body is larger than ${MAX_WEBHOOK_BYTES} bytes; nothing was stored` }, headers: { 'cache-control': 'no-store' } }, extraHeaders, true);
      return;
    }
    res.destroy();
    return;
  }
  const answer =
    route.platform === 'bigcommerce'
      ? await answerBigCommerce(rawBody, headersOf(req), gone.signal)
      : await answerLightspeed({ storeId: route.storeId, type: route.type, rawBody, signature: headerValue(req, 'x-signature'), signal: gone.signal });
  send(res, answer, extraHeaders);
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}
