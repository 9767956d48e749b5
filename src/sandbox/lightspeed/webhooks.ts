/**
 * Webhook subscriptions and delivery.
 *
 * Delivery follows x-series-api.lightspeedhq.com/docs/webhooks (research/lightspeed.md §1): a
 * POST, `application/x-www-form-urlencoded`, with a `payload` field holding the JSON-encoded
 * 1.0-shape entity, plus `type`, `domain_prefix`, `environment` and `retailer_id` ("other form
 * fields … may be present but are not guaranteed"). It is signed the documented way:
 * `X-Signature: signature=<HMAC-SHA256 of the raw body keyed by the app's client_secret>,algorithm=HMAC-SHA256`.
 * The digest encoding is undocumented; the docs' sample value is not hex, so base64 is the
 * default and hex is selectable.
 *
 * A delivery that gets no 2xx within 5 s is retried "up to 20 times over 48h … with exponential
 * back-off" (webhook-schedule.ts). Every timer runs on the sandbox clock, so on a virtual clock
 * the whole 48 h pass in milliseconds; back-off jitter comes from the run's seeded stream, so one
 * seed gives one delivery order. The docs say nothing about turning a failing subscription off:
 * by default it stays active (`deactivateAfterFailedDeliveries: null`); a test can set a count.
 */
import { createHmac } from 'node:crypto';
import type { SandboxClock, SandboxTimer } from '../clock';
import { isoTime } from './context';
import type { EventLog } from './event-log';
import type { RandomStream } from './ids';
import { SandboxError } from './inventory';
import type { Retailer, Webhook, WebhookType } from './types';

export function createWebhook(retailer: Retailer, newId: () => string, input: { url: string; type: WebhookType; active: boolean }): Webhook {
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
  clock: SandboxClock;
  /** Delay before retry n is `retryDelaysMs[n-1]`, less up to `jitter` of it; no entry, no retry. */
  retryDelaysMs: number[];
  jitter: number;
  random: RandomStream;
  newId: () => string;
  events: EventLog;
  timeoutMs: number;
  signatureEncoding: 'base64' | 'hex';
  environment: string;
  /** After this many deliveries in a row exhaust their retries, the subscription is deactivated; null: never. */
  deactivateAfterFailedDeliveries: number | null;
  /** A subscription was switched off (persist it). */
  onDeactivate: () => void;
}

export function signBody(body: string, secret: string, encoding: 'base64' | 'hex' = 'base64'): string {
  const digest = createHmac('sha256', secret).update(body, 'utf8').digest(encoding);
  return `signature=${digest},algorithm=HMAC-SHA256`;
}

export class WebhookDispatcher {
  faults: WebhookFaults = {};
  readonly attempts: DeliveryAttempt[] = [];
  private pending = 0;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private settledWaiters: (() => void)[] = [];
  private timers = new Set<SandboxTimer>();
  private held: Delivery[] = [];
  private heldTimer: SandboxTimer | null = null;
  private failedInARow = new Map<string, number>();
  private closed = false;

  constructor(private readonly options: DispatcherOptions) {}

  configure(changes: Partial<Pick<DispatcherOptions, 'retryDelaysMs' | 'jitter' | 'deactivateAfterFailedDeliveries'>>): void {
    Object.assign(this.options, changes);
  }

  get settings() {
    const { retryDelaysMs, jitter, deactivateAfterFailedDeliveries, timeoutMs } = this.options;
    return { retryDelaysMs: [...retryDelaysMs], jitter, deactivateAfterFailedDeliveries, timeoutMs };
  }

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
      const delivery: Delivery = { id: this.options.newId(), retailer, webhook, body, duplicate: false };
      this.logEnqueue(delivery);
      this.route(delivery);
    }
  }

  private logEnqueue(d: Delivery): void {
    this.options.events.record({ kind: 'webhook.enqueue', delivery_id: d.id, webhook_id: d.webhook.id, type: d.webhook.type, url: d.webhook.url, body: d.body, duplicate: d.duplicate });
  }

  private take(fault: CountOrChance | undefined): boolean {
    if (!fault) return false;
    if (fault.nextN !== undefined && fault.nextN > 0) {
      fault.nextN -= 1;
      return true;
    }
    return fault.probability !== undefined && this.options.random.next() < fault.probability;
  }

  private logFault(fault: string, d: Delivery, detail: unknown = null): void {
    this.options.events.record({ kind: 'fault', scope: 'webhook', fault, target: d.id, detail });
  }

  private route(delivery: Delivery): void {
    if (this.take(this.faults.drop)) {
      this.logFault('drop', delivery);
      this.record(delivery, 0, 'dropped', null, 'dropped by fault injection');
      return;
    }
    const copies = [delivery];
    if (this.take(this.faults.duplicate)) {
      this.logFault('duplicate', delivery);
      const copy = { ...delivery, duplicate: true };
      this.logEnqueue(copy);
      copies.push(copy);
    }
    const reorder = this.faults.reorder;
    for (const copy of copies) {
      if (reorder && reorder.nextN > 0) {
        reorder.nextN -= 1;
        this.logFault('reorder', copy, { held: true });
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
      if (this.heldTimer) this.options.clock.clearTimeout(this.heldTimer);
      this.heldTimer = null;
      const batch = this.held.reverse();
      this.held = [];
      for (const d of batch) {
        this.schedule(d, 1, this.faults.delayMs ?? 0);
        this.settle();
      }
    };
    if (last) release();
    else if (!this.heldTimer) this.heldTimer = this.timer(release, holdMs);
  }

  private timer(fn: () => void, ms: number): SandboxTimer {
    const timer = this.options.clock.setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    // 48 h of retry timers must not keep a process alive on their own.
    timer.unref?.();
    this.timers.add(timer);
    return timer;
  }

  private schedule(delivery: Delivery, attempt: number, delayMs: number): void {
    if (this.closed) return;
    this.pending += 1;
    // Even a first attempt goes through the clock, so a virtual clock decides when it leaves.
    this.timer(() => {
      void this.attempt(delivery, attempt).finally(() => this.settle());
    }, Math.max(0, delayMs));
  }

  private async attempt(delivery: Delivery, attempt: number): Promise<void> {
    const { clock, events } = this.options;
    const current = delivery.retailer.webhooks[delivery.webhook.id];
    // A subscription removed or switched off since gets nothing more.
    if (!current?.active) return;
    // Drawn now, in the deterministic order attempts leave, not when answers happen to come back.
    const base = this.options.retryDelaysMs[attempt - 1];
    const retryIn = base === undefined ? null : Math.round(base * (1 - this.options.jitter * this.options.random.next()));
    const logged = events.record({ kind: 'webhook.attempt', delivery_id: delivery.id, attempt, outcome: 'pending', http_status: null, error: null, next_attempt_at: null });
    const sentAt = clock.now();
    const signature = signBody(delivery.body, this.options.clientSecret, this.options.signatureEncoding);
    const abort = new AbortController();
    // The 5 s limit on the sandbox clock; a real-time bound too, so a receiver that never answers
    // cannot stall a virtual-clock run.
    const onClock = clock.setTimeout(() => abort.abort(new Error(`no 2xx within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    onClock.unref?.();
    const onWall = setTimeout(() => abort.abort(new Error(`no 2xx within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    onWall.unref();
    this.inFlight += 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await this.options.fetch(delivery.webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'x-signature': signature,
          'user-agent': 'Lightspeed Retail Sandbox Webhooks',
        },
        body: delivery.body,
        signal: abort.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      status = response.status;
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (e) {
      error = abort.signal.aborted && abort.signal.reason instanceof Error ? abort.signal.reason.message : e instanceof Error ? e.message : String(e);
    } finally {
      clock.clearTimeout(onClock);
      clearTimeout(onWall);
    }
    const delivered = error === null;
    logged.outcome = delivered ? 'delivered' : 'failed';
    logged.http_status = status;
    logged.error = error;
    this.record(delivery, attempt, logged.outcome, status, error, sentAt);
    if (delivered) {
      this.failedInARow.delete(delivery.webhook.id);
    } else if (retryIn !== null) {
      logged.next_attempt_at = isoTime(sentAt + retryIn);
      this.schedule(delivery, attempt + 1, retryIn - (clock.now() - sentAt));
    } else {
      this.exhausted(delivery);
    }
    this.inFlight -= 1;
    if (this.inFlight === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  /** A delivery used up its retries: count it against the subscription, and switch it off if so configured. */
  private exhausted(delivery: Delivery): void {
    const limit = this.options.deactivateAfterFailedDeliveries;
    const failed = (this.failedInARow.get(delivery.webhook.id) ?? 0) + 1;
    this.failedInARow.set(delivery.webhook.id, failed);
    const webhook = delivery.retailer.webhooks[delivery.webhook.id];
    if (limit === null || failed < limit || !webhook?.active) return;
    webhook.active = false;
    this.options.events.record({ kind: 'webhook.deactivated', webhook_id: webhook.id, url: webhook.url, type: webhook.type, failed_deliveries: failed });
    this.options.onDeactivate();
  }

  private record(delivery: Delivery, attempt: number, outcome: DeliveryAttempt['outcome'], status: number | null, error: string | null, at = this.options.clock.now()): void {
    this.attempts.push({
      // Not from the seeded id stream: answers arrive in network order, which must not shift the run's ids.
      id: `${delivery.id}/${attempt}${delivery.duplicate ? '/dup' : ''}`,
      delivery_id: delivery.id,
      domain_prefix: delivery.retailer.domain_prefix,
      webhook_id: delivery.webhook.id,
      type: delivery.webhook.type,
      url: delivery.webhook.url,
      attempt,
      at: isoTime(at),
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

  /**
   * Resolves when no delivery is waiting for its receiver's answer (retries may still be due
   * later). A virtual-clock test settles on this between timers, so every outcome is in before
   * the clock moves on.
   */
  settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  get pendingCount(): number {
    return this.pending;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) this.options.clock.clearTimeout(t);
    if (this.heldTimer) this.options.clock.clearTimeout(this.heldTimer);
    this.timers.clear();
    this.pending = 0;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
