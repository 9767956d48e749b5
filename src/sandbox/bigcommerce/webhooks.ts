/**
 * Webhook delivery, as the webhooks overview (guides/integrations_webhooks_overview.mdx) and
 * webhooks.v3.yml describe it. Each event becomes one message per matching active hook, POSTed as
 * JSON with the hook's custom headers and Standard Webhooks headers (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`). BigCommerce tells apps to verify with
 * `new Webhook(base64(client_secret))`; the library base64-decodes that key, so the HMAC key is
 * the client secret's own bytes.
 *
 * - Only a 2xx counts as delivered. A failure is retried after 60, 180, 300, 600, 900, 1800,
 *   3600, 7200, 21600, 50400 and 86400 s; after the last one (about 48 h) the hook is deactivated
 *   (`is_active: false`) and an email goes to the app's registered address (and the API
 *   account's notification emails, PUT /v3/hooks/admin). Retries keep the `webhook-id`.
 * - Domain blocklist: per client_id and destination domain, a success ratio over a sliding two
 *   minutes, computed once 100 requests were sent in the window; below 90 % the domain is
 *   blocklisted for three minutes. Messages due meanwhile go to the retry queue and are sent once
 *   the block is over and their retry time has come (by default each such deferral uses a retry
 *   slot: policy webhookBlockUsesRetrySlot).
 * - A new hook may take up to a minute to start working; a hook idle for 90 days is deactivated.
 *   Both are policies (runtime.ts) because the docs give bounds, not mechanisms.
 *
 * Every timer goes through the sandbox's clock, and messages leave in a fixed order (due time,
 * then the order they were queued in), so a seeded run on a VirtualClock delivers the same
 * messages in the same order at the same virtual times.
 */
import { createHash, createHmac } from 'node:crypto';
import type { SandboxTimer } from '../clock';
import type { EventLog, LogEntry } from './event-log';
import type { Faults } from './faults';
import type { Rng } from './random';
import type { ResolvedConfig } from './runtime';
import type { DeliveryAttempt, Hook, StoreState } from './types';

/** BigCommerce's retry schedule (webhooks overview, "Callback retry mechanism"). */
export const DEFAULT_RETRY_DELAYS_MS = [60, 180, 300, 600, 900, 1_800, 3_600, 7_200, 21_600, 50_400, 86_400].map((s) => s * 1000);

export const DEFAULT_BLOCKLIST = { windowMs: 120_000, minRequests: 100, minSuccessRatio: 0.9, durationMs: 180_000 };

export const NINETY_DAYS_MS = 90 * 24 * 3600_000;

const DELIVERY_LOG_LIMIT = 5_000;

interface Message {
  id: string;
  storeHash: string;
  hookId: number;
  scope: string;
  body: string;
}

interface Job {
  due: number;
  /** Queue order for messages due at the same time; a message's retries keep its first rank. */
  rank: number;
  message: Message;
  attempt: number;
  duplicate: boolean;
}

interface DomainState {
  origin: string;
  clientId: string;
  outcomes: { at: number; ok: boolean; description: string }[];
  blockedUntil: number;
  reasons: { failure_description: string; count: number; timestamp: number }[];
}

export interface NotificationEmail {
  at: number;
  to: string[];
  subject: string;
  kind: 'hook_deactivated' | 'domain_blocklisted';
  store_hash: string;
  hook_id?: number;
  domain?: string;
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

function domainOf(destination: string): { host: string; origin: string } {
  try {
    const url = new URL(destination);
    return { host: url.hostname, origin: `${url.protocol}//${url.hostname}` };
  } catch {
    return { host: destination, origin: destination };
  }
}

export interface DispatcherDeps {
  config: ResolvedConfig;
  faults: Faults;
  log: EventLog;
  ids: Rng;
  store(hash: string): StoreState | undefined;
  onChange(): void;
}

export class WebhookDispatcher {
  private queue: Job[] = [];
  private timer: { handle: SandboxTimer; due: number } | undefined;
  private nextRank = 0;
  private inFlight = 0;
  private readonly reorderBuffers = new Map<string, { messages: { message: Message; duplicate: boolean }[]; delayMs: number; timer?: SandboxTimer }>();
  private readonly domains = new Map<string, DomainState>();
  private idleWaiters: (() => void)[] = [];
  private settledWaiters: (() => void)[] = [];
  private closed = false;
  readonly emails: NotificationEmail[] = [];

  constructor(private readonly deps: DispatcherDeps) {}

  private get config(): ResolvedConfig {
    return this.deps.config;
  }

  private now(): number {
    return this.config.clock.now();
  }

  emit(store: StoreState, scope: string, data: Record<string, unknown>): void {
    this.refreshHooks(store);
    const createdAt = Math.floor(this.now() / 1000);
    const core = { producer: `stores/${store.hash}`, created_at: createdAt, store_id: String(store.store_id), scope, data };
    // `hash` is the SHA-1 of the payload: a duplicate fire of the same event carries the same hash.
    const payload = { ...core, hash: createHash('sha1').update(JSON.stringify(core)).digest('hex') };
    const body = JSON.stringify(payload);
    for (const hook of store.hooks.filter((h) => h.is_active && scopeMatches(h.scope, scope))) {
      if (hook.activates_at !== undefined && this.now() < hook.activates_at) {
        this.deps.log.add('webhook.not_yet_active', { store: store.hash, hook_id: hook.id, scope, activates_at: hook.activates_at });
        continue;
      }
      hook.last_event_at = this.now();
      this.dispatch(store, { id: `msg_${this.deps.ids.uuid()}`, storeHash: store.hash, hookId: hook.id, scope, body });
    }
  }

  /**
   * Deactivates hooks idle for longer than the inactivity policy allows. Evaluated lazily (when
   * an event is emitted or hooks are read), dated when the 90 days ran out.
   */
  refreshHooks(store: StoreState): void {
    const limit = this.config.policies.hookInactivityMs;
    if (limit === null) return;
    for (const hook of store.hooks) {
      if (!hook.is_active) continue;
      const since = hook.last_event_at ?? hook.created_at * 1000;
      if (this.now() - since < limit) continue;
      hook.is_active = false;
      hook.deactivated_reason = 'inactivity';
      hook.updated_at = Math.floor((since + limit) / 1000);
      this.deps.log.add('hook.deactivated', { store: store.hash, hook_id: hook.id, reason: 'inactivity', effective_at: since + limit });
      this.deps.onChange();
    }
  }

  private dispatch(store: StoreState, message: Message): void {
    const decision = this.deps.faults.takeWebhook(store.hash);
    if (decision.drop || decision.duplicate) this.deps.log.add('fault.webhook', { store: store.hash, webhook_id: message.id, drop: decision.drop, duplicate: decision.duplicate });
    if (decision.drop) {
      this.record(store, message, { attempt: 1, status: null, outcome: 'dropped', duplicate: false });
      this.deps.log.add('webhook', { store: store.hash, hook_id: message.hookId, webhook_id: message.id, scope: message.scope, attempt: 1, outcome: 'dropped', status: null, body: message.body });
      return;
    }
    const settings = this.deps.faults.webhookSettings(store.hash);
    const window = settings?.reorderWindow ?? 0;
    if (window > 1) {
      this.buffer(store, message, window, settings?.reorderMaxHoldMs ?? 1_000, decision.delayMs, decision.duplicate);
      return;
    }
    const rank = this.nextRank++;
    this.enqueue({ due: this.now() + decision.delayMs, rank, message, attempt: 1, duplicate: false });
    if (decision.duplicate) this.enqueue({ due: this.now() + decision.delayMs, rank: this.nextRank++, message, attempt: 1, duplicate: true });
  }

  /** Holds messages until `window` are buffered (or the hold time passes), then sends newest first. */
  private buffer(store: StoreState, message: Message, window: number, maxHoldMs: number, delayMs: number, duplicate: boolean): void {
    const entry = this.reorderBuffers.get(store.hash) ?? { messages: [], delayMs };
    this.reorderBuffers.set(store.hash, entry);
    entry.messages.push({ message, duplicate: false });
    if (duplicate) entry.messages.push({ message, duplicate: true });
    const flush = () => {
      if (entry.timer) this.config.clock.clearTimeout(entry.timer);
      this.reorderBuffers.delete(store.hash);
      const seen = new Set<string>();
      for (const item of entry.messages.reverse()) {
        const isDuplicate = item.duplicate || seen.has(item.message.id);
        seen.add(item.message.id);
        this.enqueue({ due: this.now() + entry.delayMs, rank: this.nextRank++, message: item.message, attempt: 1, duplicate: isDuplicate });
      }
      this.checkIdle();
    };
    if (entry.messages.length >= window) flush();
    else entry.timer ??= this.config.clock.setTimeout(flush, maxHoldMs);
  }

  private enqueue(job: Job): void {
    if (this.closed) return;
    this.queue.push(job);
    this.arm();
  }

  private arm(): void {
    if (this.closed || this.queue.length === 0) return;
    const due = Math.min(...this.queue.map((j) => j.due));
    if (this.timer && this.timer.due <= due) return;
    if (this.timer) this.config.clock.clearTimeout(this.timer.handle);
    const handle = this.config.clock.setTimeout(() => this.fire(), Math.max(0, due - this.now()));
    handle.unref?.();
    this.timer = { handle, due };
  }

  /** Sends every message that is due, in (due time, queue order), then waits for the next. */
  private fire(): void {
    this.timer = undefined;
    const now = this.now();
    const due = this.queue.filter((j) => j.due <= now).sort((a, b) => a.due - b.due || a.rank - b.rank || a.attempt - b.attempt || Number(a.duplicate) - Number(b.duplicate));
    this.queue = this.queue.filter((j) => j.due > now);
    for (const job of due) this.run(job);
    this.arm();
    this.checkIdle();
  }

  private run(job: Job): void {
    const store = this.deps.store(job.message.storeHash);
    const hook = store?.hooks.find((h) => h.id === job.message.hookId);
    if (!store || !hook || this.closed) return;
    if (!hook.is_active) return; // switched off, deactivated or deleted while the message waited
    const domain = this.domain(hook);
    if (domain.blockedUntil > this.now()) {
      this.deps.log.add('webhook', { store: store.hash, hook_id: hook.id, webhook_id: job.message.id, scope: job.message.scope, attempt: job.attempt, outcome: 'blocked', status: null, body: job.message.body });
      this.record(store, job.message, { attempt: job.attempt, status: null, outcome: 'blocked', duplicate: job.duplicate, error: `destination domain blocklisted until ${new Date(domain.blockedUntil).toISOString()}` });
      if (job.duplicate) return;
      if (this.config.policies.webhookBlockUsesRetrySlot) this.retry(store, hook, job, this.now());
      else this.enqueue({ ...job, due: domain.blockedUntil });
      return;
    }
    this.post(store, hook, job);
  }

  private post(store: StoreState, hook: Hook, job: Job): void {
    const sentAt = this.now();
    const timestamp = Math.floor(sentAt / 1000);
    const { message } = job;
    const entry: LogEntry = this.deps.log.add('webhook', { store: store.hash, hook_id: hook.id, webhook_id: message.id, scope: message.scope, attempt: job.attempt, duplicate: job.duplicate, outcome: 'pending', status: null, body: message.body });
    const headers: Record<string, string> = {
      ...(hook.headers ?? {}),
      'content-type': 'application/json',
      'webhook-id': message.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(this.config.clientSecret, message.id, timestamp, message.body),
    };
    this.inFlight += 1;
    void this.config
      .fetch(hook.destination, { method: 'POST', headers, body: message.body, signal: AbortSignal.timeout(this.config.webhookTimeoutMs) })
      .then(
        async (response): Promise<{ status: number | null; error?: string }> => {
          await response.arrayBuffer().catch(() => undefined);
          return { status: response.status };
        },
        (error: unknown) => ({ status: null, error: error instanceof Error ? error.message : String(error) }),
      )
      .then(({ status, error }) => {
        if (this.closed) return;
        const ok = status !== null && status >= 200 && status < 300;
        entry.outcome = ok ? 'delivered' : 'failed';
        entry.status = status;
        this.record(store, message, { attempt: job.attempt, status, outcome: ok ? 'delivered' : 'failed', duplicate: job.duplicate, error });
        this.countOutcome(store, hook, ok, status, error);
        if (!ok && !job.duplicate) this.retry(store, hook, job, sentAt);
      })
      .finally(() => {
        this.inFlight -= 1;
        this.checkIdle();
      });
  }

  /** Queues the next attempt `delay` after `from`, not before the domain's block ends; or deactivates. */
  private retry(store: StoreState, hook: Hook, job: Job, from: number): void {
    const delay = this.config.webhookRetryDelaysMs[job.attempt - 1];
    if (delay === undefined) {
      this.deactivate(store, hook, job.message, job.attempt);
      return;
    }
    const due = Math.max(from + delay, this.domain(hook).blockedUntil);
    this.enqueue({ due, rank: job.rank, message: job.message, attempt: job.attempt + 1, duplicate: false });
  }

  private deactivate(store: StoreState, hook: Hook, message: Message, attempt: number): void {
    if (!hook.is_active) return;
    hook.is_active = false;
    hook.deactivated_reason = 'retries';
    hook.updated_at = Math.floor(this.now() / 1000);
    this.record(store, message, { attempt, status: null, outcome: 'deactivated', duplicate: false, error: 'retry schedule exhausted; hook deactivated' });
    this.deps.log.add('hook.deactivated', { store: store.hash, hook_id: hook.id, reason: 'retries', webhook_id: message.id });
    const to = [this.config.policies.appEmail, ...this.adminEmails(store, hook.client_id)];
    this.email({ at: this.now(), to: [...new Set(to)], subject: `Webhook ${hook.id} (${hook.scope}) was deactivated`, kind: 'hook_deactivated', store_hash: store.hash, hook_id: hook.id });
  }

  private adminEmails(store: StoreState, clientId: string): string[] {
    return store.hookAdminEmails?.[clientId] ?? [];
  }

  private email(email: NotificationEmail): void {
    this.emails.push(email);
    this.deps.log.add('email', { ...email });
  }

  private domain(hook: Hook): DomainState {
    const { host, origin } = domainOf(hook.destination);
    const key = `${hook.client_id} ${host}`;
    let state = this.domains.get(key);
    if (!state) {
      state = { origin, clientId: hook.client_id, outcomes: [], blockedUntil: 0, reasons: [] };
      this.domains.set(key, state);
    }
    return state;
  }

  /** Feeds the domain's success ratio and blocklists the domain when the policy says so. */
  private countOutcome(store: StoreState, hook: Hook, ok: boolean, status: number | null, error: string | undefined): void {
    const policy = this.config.policies.webhookBlocklist;
    if (!policy) return;
    const counted = ok || status === null || this.config.policies.webhookFailureCounts === 'non-2xx';
    if (!counted) return;
    const domain = this.domain(hook);
    const now = this.now();
    domain.outcomes = domain.outcomes.filter((o) => now - o.at < policy.windowMs);
    domain.outcomes.push({ at: now, ok, description: ok ? '' : error ? `no response: ${error}` : `HTTP ${status}` });
    if (domain.blockedUntil > now || domain.outcomes.length < policy.minRequests) return;
    const successes = domain.outcomes.filter((o) => o.ok).length;
    if (successes / domain.outcomes.length >= policy.minSuccessRatio) return;
    domain.blockedUntil = now + policy.durationMs;
    const counts = new Map<string, number>();
    for (const o of domain.outcomes) if (!o.ok) counts.set(o.description, (counts.get(o.description) ?? 0) + 1);
    domain.reasons = [...counts].map(([failure_description, count]) => ({ failure_description, count, timestamp: Math.floor(now / 1000) }));
    this.deps.log.add('webhook.domain_blocklisted', { store: store.hash, client_id: hook.client_id, domain: domain.origin, until: domain.blockedUntil, success_ratio: successes / domain.outcomes.length, requests: domain.outcomes.length });
    const to = this.adminEmails(store, hook.client_id);
    if (to.length > 0) this.email({ at: now, to, subject: `Webhook destination ${domain.origin} was denylisted`, kind: 'domain_blocklisted', store_hash: store.hash, domain: domain.origin });
  }

  /** Domains of `clientId` on the denylist now, as GET /v3/hooks/admin reports them. */
  blockedDomains(clientId: string): { destination: string; time_left: number; reasons: DomainState['reasons'] }[] {
    const now = this.now();
    return [...this.domains.values()]
      .filter((d) => d.clientId === clientId && d.blockedUntil > now)
      .map((d) => ({ destination: d.origin, time_left: Math.ceil((d.blockedUntil - now) / 1000), reasons: d.reasons }));
  }

  private record(store: StoreState, message: Message, entry: Pick<DeliveryAttempt, 'attempt' | 'status' | 'outcome' | 'duplicate' | 'error'>): void {
    const hook = store.hooks.find((h) => h.id === message.hookId);
    store.deliveries.push({
      webhook_id: message.id,
      hook_id: message.hookId,
      scope: message.scope,
      destination: hook?.destination ?? '',
      at: this.now(),
      body: message.body,
      ...entry,
    });
    if (store.deliveries.length > DELIVERY_LOG_LIMIT) store.deliveries.splice(0, store.deliveries.length - DELIVERY_LOG_LIMIT);
    this.deps.onChange();
  }

  private checkIdle(): void {
    if (this.inFlight === 0) {
      const waiters = this.settledWaiters;
      this.settledWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (this.inFlight > 0 || this.queue.length > 0 || this.reorderBuffers.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once no delivery, retry or delayed send is pending. */
  idle(): Promise<void> {
    if (this.closed || (this.inFlight === 0 && this.queue.length === 0 && this.reorderBuffers.size === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves once no webhook POST is in flight (queued retries may remain): a VirtualClock's `settle`. */
  settled(): Promise<void> {
    if (this.closed || this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.timer) this.config.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
    for (const buffer of this.reorderBuffers.values()) if (buffer.timer) this.config.clock.clearTimeout(buffer.timer);
    this.reorderBuffers.clear();
    this.queue = [];
    this.inFlight = 0;
    const waiters = [...this.idleWaiters, ...this.settledWaiters];
    this.idleWaiters = [];
    this.settledWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
