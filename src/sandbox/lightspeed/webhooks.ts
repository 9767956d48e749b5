/**
 * Webhook subscriptions and delivery.
 *
 * Delivery follows x-series-api.lightspeedhq.com/docs/webhooks (research/lightspeed.md §1): a
 * POST, `application/x-www-form-urlencoded`, with a `payload` field holding the JSON-encoded
 * 1.0-shape entity, plus `type`, `domain_prefix`, `environment` and `retailer_id` ("other form
 * fields … may be present but are not guaranteed"). It is signed the documented way:
 * `X-Signature: signature=<HMAC-SHA256 of the raw body keyed by the app's client_secret>,algorithm=HMAC-SHA256`.
 * The digest encoding is undocumented; the docs' sample value is not hex, so base64 is the
 * default and hex is selectable. Failed deliveries retry (the real service: up to 20 times over
 * 48 h); the delays here are configurable so tests run in milliseconds.
 */
import { createHmac } from 'node:crypto';
import { newId, isoTime } from './context';
import { SandboxError } from './inventory';
import type { Random } from './ids';
import type { Retailer, Webhook, WebhookType } from './types';

export function createWebhook(retailer: Retailer, input: { url: string; type: WebhookType; active: boolean }): Webhook {
  const clash = Object.values(retailer.webhooks).find((w) => w.url === input.url && w.type === input.type);
  if (clash) throw new SandboxError(409, 'A webhook with this type and URL already exists.');
  const webhook: Webhook = { id: newId(), retailer_id: retailer.id, url: input.url, type: input.type, active: input.active };
  retailer.webhooks[webhook.id] = webhook;
  return webhook;
}

export function updateWebhook(retailer: Retailer, id: string, input: { url: string; type: WebhookType; active: boolean }): Webhook {
  const webhook = retailer.webhooks[id];
  if (!webhook) throw new SandboxError(404, 'webhook not found');
  const clash = Object.values(retailer.webhooks).find((w) => w.id !== id && w.url === input.url && w.type === input.type);
  if (clash) throw new SandboxError(409, 'A webhook with this type and URL already exists.');
  Object.assign(webhook, input);
  return webhook;
}

export function deleteWebhook(retailer: Retailer, id: string): void {
  if (!retailer.webhooks[id]) throw new SandboxError(404, 'webhook not found');
  delete retailer.webhooks[id];
}

/** A probability (0–1) or the next N events, whichever the test finds easier to reason about. */
export interface CountOrChance {
  probability?: number;
  nextN?: number;
}

export interface WebhookFaults {
  /** Never deliver (logged as dropped): what "we can't guarantee they'll be delivered" looks like. */
  drop?: CountOrChance;
  /** Deliver twice: retries after a lost acknowledgement look like this to a receiver. */
  duplicate?: CountOrChance;
  /** Extra delay before the first attempt of each delivery. */
  delayMs?: number;
  /** Hold the next N deliveries and release them in reverse order (or after holdMs). */
  reorder?: { nextN: number; holdMs?: number };
}

export interface DeliveryAttempt {
  id: string;
  delivery_id: string;
  domain_prefix: string;
  webhook_id: string;
  type: WebhookType;
  url: string;
  attempt: number;
  at: string;
  outcome: 'delivered' | 'failed' | 'dropped';
  http_status: number | null;
  error: string | null;
  duplicate: boolean;
  body: string;
}

interface Delivery {
  id: string;
  retailer: Retailer;
  webhook: Webhook;
  body: string;
  duplicate: boolean;
}

export interface DispatcherOptions {
  clientSecret: string;
  fetch: typeof fetch;
  retryDelaysMs: number[];
  random: Random;
  now: () => number;
  timeoutMs: number;
  signatureEncoding: 'base64' | 'hex';
  environment: string;
}

export function signBody(body: string, secret: string, encoding: 'base64' | 'hex' = 'base64'): string {
  const digest = createHmac('sha256', secret).update(body, 'utf8').digest(encoding);
  return `signature=${digest},algorithm=HMAC-SHA256`;
}

export class WebhookDispatcher {
  faults: WebhookFaults = {};
  readonly attempts: DeliveryAttempt[] = [];
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private held: Delivery[] = [];
  private heldTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly options: DispatcherOptions) {}

  /** Fan an event out to every active subscription of its type. */
  enqueue(retailer: Retailer, type: WebhookType, payload: unknown): void {
    for (const webhook of Object.values(retailer.webhooks)) {
      if (!webhook.active || webhook.type !== type) continue;
      const body = new URLSearchParams({
        payload: JSON.stringify(payload),
        type,
        domain_prefix: retailer.domain_prefix,
        environment: this.options.environment,
        retailer_id: retailer.id,
      }).toString();
      this.route({ id: newId(), retailer, webhook, body, duplicate: false });
    }
  }

  private take(fault: CountOrChance | undefined): boolean {
    if (!fault) return false;
    if (fault.nextN !== undefined && fault.nextN > 0) {
      fault.nextN -= 1;
      return true;
    }
    return fault.probability !== undefined && this.options.random() < fault.probability;
  }

  private route(delivery: Delivery): void {
    if (this.take(this.faults.drop)) {
      this.record(delivery, 0, 'dropped', null, 'dropped by fault injection');
      return;
    }
    const copies = this.take(this.faults.duplicate) ? [delivery, { ...delivery, duplicate: true }] : [delivery];
    const reorder = this.faults.reorder;
    for (const copy of copies) {
      if (reorder && reorder.nextN > 0) {
        reorder.nextN -= 1;
        this.hold(copy, reorder.nextN === 0, reorder.holdMs ?? 250);
      } else {
        this.schedule(copy, 1, this.faults.delayMs ?? 0);
      }
    }
  }

  /** Reordering: buffer deliveries, then release the buffer newest-first. */
  private hold(delivery: Delivery, last: boolean, holdMs: number): void {
    this.pending += 1;
    this.held.push(delivery);
    const release = () => {
      if (this.heldTimer) clearTimeout(this.heldTimer);
      this.heldTimer = null;
      const batch = this.held.reverse();
      this.held = [];
      for (const d of batch) {
        this.schedule(d, 1, this.faults.delayMs ?? 0);
        this.settle();
      }
    };
    if (last) release();
    else if (!this.heldTimer) this.heldTimer = setTimeout(release, holdMs);
  }

  private schedule(delivery: Delivery, attempt: number, delayMs: number): void {
    if (this.closed) return;
    this.pending += 1;
    const run = () => {
      void this.attempt(delivery, attempt).finally(() => this.settle());
    };
    if (delayMs <= 0) {
      queueMicrotask(run);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(delivery: Delivery, attempt: number): Promise<void> {
    const signature = signBody(delivery.body, this.options.clientSecret, this.options.signatureEncoding);
    try {
      const response = await this.options.fetch(delivery.webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'x-signature': signature,
          'user-agent': 'Lightspeed Retail Sandbox Webhooks',
        },
        body: delivery.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        this.record(delivery, attempt, 'delivered', response.status, null);
        return;
      }
      this.record(delivery, attempt, 'failed', response.status, `HTTP ${response.status}`);
    } catch (error) {
      this.record(delivery, attempt, 'failed', null, error instanceof Error ? error.message : String(error));
    }
    const delay = this.options.retryDelaysMs[attempt - 1];
    if (delay !== undefined) this.schedule(delivery, attempt + 1, delay);
  }

  private record(delivery: Delivery, attempt: number, outcome: DeliveryAttempt['outcome'], status: number | null, error: string | null): void {
    this.attempts.push({
      id: newId(),
      delivery_id: delivery.id,
      domain_prefix: delivery.retailer.domain_prefix,
      webhook_id: delivery.webhook.id,
      type: delivery.webhook.type,
      url: delivery.webhook.url,
      attempt,
      at: isoTime(this.options.now()),
      outcome,
      http_status: status,
      error,
      duplicate: delivery.duplicate,
      body: delivery.body,
    });
    // Keep memory bounded in long demo sessions.
    if (this.attempts.length > 5000) this.attempts.splice(0, this.attempts.length - 5000);
  }

  private settle(): void {
    this.pending -= 1;
    if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Resolves when nothing is queued, held, in flight or waiting to retry. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get pendingCount(): number {
    return this.pending;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.timers.clear();
    this.pending = 0;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
