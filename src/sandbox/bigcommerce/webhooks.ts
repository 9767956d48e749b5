/**
 * Webhook delivery. Each event becomes one message per matching active hook, POSTed as JSON
 * with the hook's custom headers and Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`). BigCommerce tells apps to verify with `new Webhook(base64(client_secret))`;
 * the library base64-decodes that key, so the HMAC key is the client secret's own bytes.
 *
 * Only a 2xx counts as delivered. Failures are retried on the configured schedule (BigCommerce's
 * is 60 s … 24 h, about 48 h in all); when the schedule runs out the hook is deactivated
 * (`is_active: false`). Retries and fault-injected duplicates keep the same `webhook-id`.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Faults } from './faults';
import type { ResolvedConfig } from './runtime';
import type { DeliveryAttempt, Hook, StoreState } from './types';

/** Retry delays compressed 60× from BigCommerce's 60, 180, 300 … 86400 s schedule. */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 3_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 360_000, 840_000, 1_440_000];

const DELIVERY_LOG_LIMIT = 5_000;

interface Message {
  id: string;
  scope: string;
  body: string;
  hookId: number;
}

export function scopeMatches(hookScope: string, eventScope: string): boolean {
  if (hookScope === eventScope) return true;
  // `store/order/*` subscribes to every order event; `*` segments match one segment.
  const pattern = hookScope.split('/');
  const event = eventScope.split('/');
  if (pattern[pattern.length - 1] === '*' && pattern.length - 1 <= event.length) {
    return pattern.slice(0, -1).every((p, i) => p === '*' || p === event[i]);
  }
  return pattern.length === event.length && pattern.every((p, i) => p === '*' || p === event[i]);
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export class WebhookDispatcher {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly reorderBuffers = new Map<string, { items: { store: StoreState; message: Message }[]; timer?: ReturnType<typeof setTimeout> }>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly faults: Faults,
    private readonly onChange: () => void,
  ) {}

  emit(store: StoreState, scope: string, data: Record<string, unknown>): void {
    const createdAt = Math.floor(this.config.now() / 1000);
    const core = { producer: `stores/${store.hash}`, created_at: createdAt, store_id: String(store.store_id), scope, data };
    // `hash` is the SHA-1 of the payload: a duplicate fire of the same event carries the same hash.
    const payload = { ...core, hash: createHash('sha1').update(JSON.stringify(core)).digest('hex') };
    const body = JSON.stringify(payload);
    for (const hook of store.hooks.filter((h) => h.is_active && scopeMatches(h.scope, scope))) {
      this.dispatch(store, { id: `msg_${randomUUID()}`, scope, body, hookId: hook.id });
    }
  }

  private dispatch(store: StoreState, message: Message): void {
    const decision = this.faults.takeWebhook(store.hash);
    if (decision.drop) {
      this.log(store, message, { attempt: 1, status: null, outcome: 'dropped', duplicate: false });
      return;
    }
    const settings = this.faults.webhookSettings(store.hash);
    const window = settings?.reorderWindow ?? 0;
    const send = () => {
      this.attempt(store, message, 1, false);
      if (decision.duplicate) this.attempt(store, message, 1, true);
    };
    if (window > 1) {
      this.buffer(store, message, window, settings?.reorderMaxHoldMs ?? 1_000, decision.delayMs, decision.duplicate);
      return;
    }
    this.later(decision.delayMs, send);
  }

  /** Holds messages until `window` are buffered (or the hold time passes), then sends newest first. */
  private buffer(store: StoreState, message: Message, window: number, maxHoldMs: number, delayMs: number, duplicate: boolean): void {
    const entry = this.reorderBuffers.get(store.hash) ?? { items: [] };
    this.reorderBuffers.set(store.hash, entry);
    entry.items.push({ store, message });
    if (duplicate) entry.items.push({ store, message: { ...message, id: message.id } });
    const flush = () => {
      if (entry.timer) {
        clearTimeout(entry.timer);
        this.timers.delete(entry.timer);
      }
      this.reorderBuffers.delete(store.hash);
      const seen = new Set<string>();
      for (const item of entry.items.reverse()) {
        const isDuplicate = seen.has(item.message.id);
        seen.add(item.message.id);
        this.later(delayMs, () => this.attempt(item.store, item.message, 1, isDuplicate));
      }
    };
    if (entry.items.length >= window) flush();
    else if (!entry.timer) entry.timer = this.later(maxHoldMs, flush, false);
  }

  private later(ms: number, fn: () => void, track = true): ReturnType<typeof setTimeout> | undefined {
    if (this.closed) return undefined;
    if (ms <= 0 && track) {
      fn();
      return undefined;
    }
    if (track) this.inFlight += 1;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (track) this.inFlight -= 1;
      fn();
      this.checkIdle();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private attempt(store: StoreState, message: Message, attempt: number, duplicate: boolean): void {
    const hook = store.hooks.find((h) => h.id === message.hookId);
    if (!hook || this.closed) return;
    if (!hook.is_active && attempt > 1) return; // deactivated or switched off between retries
    this.inFlight += 1;
    void this.post(hook, message)
      .then(({ status, error }) => {
        const ok = status !== null && status >= 200 && status < 300;
        this.log(store, message, { attempt, status, outcome: ok ? 'delivered' : 'failed', duplicate, error });
        if (ok || duplicate) return;
        const delay = this.config.webhookRetryDelaysMs[attempt - 1];
        if (delay === undefined) this.deactivate(store, hook, message, attempt);
        else this.later(delay, () => this.attempt(store, message, attempt + 1, false));
      })
      .finally(() => {
        this.inFlight -= 1;
        this.checkIdle();
      });
  }

  private async post(hook: Hook, message: Message): Promise<{ status: number | null; error?: string }> {
    const timestamp = Math.floor(this.config.now() / 1000);
    const headers: Record<string, string> = {
      ...(hook.headers ?? {}),
      'content-type': 'application/json',
      'webhook-id': message.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(this.config.clientSecret, message.id, timestamp, message.body),
    };
    try {
      const response = await this.config.fetch(hook.destination, {
        method: 'POST',
        headers,
        body: message.body,
        signal: AbortSignal.timeout(this.config.webhookTimeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status };
    } catch (error) {
      return { status: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private deactivate(store: StoreState, hook: Hook, message: Message, attempt: number): void {
    hook.is_active = false;
    hook.updated_at = Math.floor(this.config.now() / 1000);
    this.log(store, message, { attempt, status: null, outcome: 'deactivated', duplicate: false, error: 'retry schedule exhausted; hook deactivated' });
  }

  private log(store: StoreState, message: Message, entry: Pick<DeliveryAttempt, 'attempt' | 'status' | 'outcome' | 'duplicate' | 'error'>): void {
    const hook = store.hooks.find((h) => h.id === message.hookId);
    store.deliveries.push({
      webhook_id: message.id,
      hook_id: message.hookId,
      scope: message.scope,
      destination: hook?.destination ?? '',
      at: this.config.now(),
      body: message.body,
      ...entry,
    });
    if (store.deliveries.length > DELIVERY_LOG_LIMIT) store.deliveries.splice(0, store.deliveries.length - DELIVERY_LOG_LIMIT);
    this.onChange();
  }

  private checkIdle(): void {
    if (this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once no delivery, retry or delayed send is pending. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.reorderBuffers.clear();
    this.inFlight = 0;
    this.checkIdle();
  }
}
