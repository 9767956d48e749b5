/**
 * What a webhook sender is answered, decided once for both ways in: the lean receiver that
 * `npm start` serves beside Next.js (src/server/receiver.ts) and the Next.js route handlers
 * (`next dev`). Verify, record in one statement, answer; no platform call, no token read.
 */
import { getDatabase } from '../../db/runtime';
import { env } from '../../env';
import { receiveLightspeedWebhook } from '../lifecycle/lightspeed';
import { receiveBigCommerceWebhook } from '../lifecycle/webhooks';
import { IntakeBusy } from './recorder';

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

const NO_STORE = { 'cache-control': 'no-store' };

/** Typed refusals (4xx with their message), a full inbox (503 with a retry hint), anything else 500 and logged. */
function refusal(error: unknown): WebhookAnswer {
  if (error instanceof IntakeBusy) return { status: 503, body: { error: error.message }, headers: { ...NO_STORE, 'retry-after': String(error.retryAfterSeconds) } };
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, body: { error: (error as Error).message }, headers: NO_STORE };
  console.error('[counterpart] webhook delivery failed:', error);
  return { status: 500, body: { error: 'Something went wrong on our side; it has been logged.' }, headers: NO_STORE };
}

export async function answerBigCommerce(rawBody: string, headers: Headers, signal?: AbortSignal): Promise<WebhookAnswer> {
  try {
    const outcome = await receiveBigCommerceWebhook(rawBody, headers, { database: await getDatabase(), clientSecret: env().bigcommerce.clientSecret, signal });
    return { status: 200, body: { outcome }, headers: NO_STORE };
  } catch (error) {
    return refusal(error);
  }
}

export async function answerLightspeed(input: { storeId: string; type: string; rawBody: string; signature: string | null; signal?: AbortSignal }): Promise<WebhookAnswer> {
  try {
    const outcome = await receiveLightspeedWebhook(input, { database: await getDatabase(), config: env() });
    return { status: 200, body: { outcome }, headers: NO_STORE };
  } catch (error) {
    return refusal(error);
  }
}

/** The same answer as a Fetch API response (the route handlers'). */
export function toResponse(answer: WebhookAnswer): Response {
  return Response.json(answer.body, { status: answer.status, headers: answer.headers });
}
