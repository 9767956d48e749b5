/**
 * Lightspeed X-Series allows each application `300 × registers + 50` requests per retailer in
 * a 5-minute window, and answers 429 beyond it. The budget below keeps a log of the requests
 * in the last window and admits a new one only while fewer than the limit are in it, so the
 * client never exceeds the limit by its own count. A request is dated by when its answer
 * arrived (until then it simply occupies a slot): Lightspeed counted it at some moment
 * between sending and answering, so the answer time is the one that cannot be too early,
 * however long the request spent in transit. It also listens to the
 * server: `X-RateLimit-Limit` replaces the computed limit, `X-RateLimit-Remaining` caps what is
 * left when the server knows of more traffic than this process does (another worker, a
 * restart), and a 429's `Retry-After` pauses the whole store until then.
 *
 * One budget per retailer must be shared by every client for that retailer in the process;
 * `RateLimitRegistry` hands them out.
 */

export interface RequestBudgetOptions {
  /** Registers the retailer has; refresh with `setRegisterCount` when it changes. */
  registers: number;
  /** Default 5 minutes. */
  windowMs?: number;
  /**
   * Extra time added to the window to absorb clock and latency differences between when we
   * send and when Lightspeed counts. Default 1 s.
   */
  guardMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const LIGHTSPEED_WINDOW_MS = 5 * 60 * 1000;

/** The documented rule: 300 per register plus 50, per 5 minutes. */
export function lightspeedRequestLimit(registers: number): number {
  return 300 * Math.max(0, Math.floor(registers)) + 50;
}

interface ServerSnapshot {
  /** Ticket of the request that carried this snapshot. */
  ticket: number;
  receivedAt: number;
  remaining: number;
}

export class RequestBudget {
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #windowMs: number;
  #limit: number;
  #serverLimit: number | undefined;
  /** Requests in the current window, oldest first: in flight (dated when sent) or answered (dated when answered). */
  #sent: { at: number; ticket: number }[] = [];
  #tickets = 0;
  #pausedUntil = 0;
  #server: ServerSnapshot | undefined;
  /** Acquisitions queue here, so they are granted in arrival order. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: RequestBudgetOptions) {
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#windowMs = (options.windowMs ?? LIGHTSPEED_WINDOW_MS) + (options.guardMs ?? 1000);
    this.#limit = lightspeedRequestLimit(options.registers);
  }

  get limit(): number {
    return this.#serverLimit ?? this.#limit;
  }

  setRegisterCount(registers: number): void {
    this.#limit = lightspeedRequestLimit(registers);
  }

  /**
   * Waits until one more request fits and records it as sent. The returned ticket orders
   * requests (several can share a millisecond); hand it back to `observe` with the answer.
   */
  acquire(): Promise<number> {
    const granted = this.#queue.then(() => this.#waitForSlot());
    // The queue must survive a rejected sleep; the caller still sees the rejection.
    this.#queue = granted.then(
      () => undefined,
      () => undefined,
    );
    return granted;
  }

  /** How long until the next request may be sent (0 = now). */
  delayUntilNextSlot(): number {
    const now = this.#now();
    this.#prune(now);
    let wait = Math.max(0, this.#pausedUntil - now);
    if (this.#sent.length >= this.limit) wait = Math.max(wait, (this.#sent[this.#sent.length - this.limit]?.at ?? now) + this.#windowMs - now);
    const server = this.#serverAllowance(now);
    if (server !== undefined && server <= 0) wait = Math.max(wait, this.#serverRefillDelay(now, server));
    return wait;
  }

  /** A request ended without an answer (network error, timeout): it may still have been counted. */
  settle(ticket: number): void {
    const index = this.#sent.findIndex((s) => s.ticket === ticket);
    if (index < 0) return;
    const [entry] = this.#sent.splice(index, 1);
    // Every other entry is dated in the past, so appending keeps the log in time order.
    if (entry) this.#sent.push({ at: this.#now(), ticket });
  }

  /** Feed every answer's headers back in, with the ticket `acquire` gave its request. */
  observe(headers: Headers, ticket: number): void {
    this.settle(ticket);
    const now = this.#now();
    const limit = intHeader(headers, 'x-ratelimit-limit');
    if (limit !== undefined && limit > 0) this.#serverLimit = limit;
    const remaining = intHeader(headers, 'x-ratelimit-remaining');
    if (remaining !== undefined && (!this.#server || ticket >= this.#server.ticket)) {
      this.#server = { ticket, receivedAt: now, remaining };
    }
    const reset = headers.get('x-ratelimit-reset');
    if (remaining === 0 && reset) {
      const until = parseResetHeader(reset, now);
      if (until !== undefined) this.pauseUntil(until);
    }
  }

  /** After a 429: nothing is sent for this retailer before `until`. */
  pauseUntil(until: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }

  async #waitForSlot(): Promise<number> {
    for (;;) {
      const wait = this.delayUntilNextSlot();
      if (wait <= 0) {
        const ticket = ++this.#tickets;
        this.#sent.push({ at: this.#now(), ticket });
        return ticket;
      }
      await this.#sleep(wait);
    }
  }

  #prune(now: number): void {
    const horizon = now - this.#windowMs;
    let drop = 0;
    while (drop < this.#sent.length && (this.#sent[drop]?.at ?? Infinity) <= horizon) drop++;
    if (drop > 0) this.#sent.splice(0, drop);
  }

  /**
   * What the server would still accept, from its last `Remaining` header: minus what we sent
   * after that request (it may not have been counted yet), plus what the window has refilled
   * since at the steady rate of limit per window. Undefined when the server said nothing.
   */
  #serverAllowance(now: number): number | undefined {
    const server = this.#server;
    if (!server) return undefined;
    const sentSince = this.#sent.filter((s) => s.ticket > server.ticket).length;
    return server.remaining - sentSince + this.#refilled(now - server.receivedAt);
  }

  #refilled(elapsedMs: number): number {
    return Math.floor((elapsedMs * this.limit) / this.#windowMs);
  }

  #serverRefillDelay(now: number, allowance: number): number {
    const server = this.#server;
    if (!server) return 0;
    // Time until the refill term has grown by enough to make the allowance positive.
    const perRequest = this.#windowMs / this.limit;
    const elapsed = now - server.receivedAt;
    const needed = this.#refilled(elapsed) + (1 - allowance);
    return Math.max(1, Math.ceil(needed * perRequest - elapsed));
  }
}

/** One budget per retailer (domain prefix), shared by every client in the process. */
export class RateLimitRegistry {
  readonly #budgets = new Map<string, RequestBudget>();

  constructor(private readonly defaults: Omit<RequestBudgetOptions, 'registers'> = {}) {}

  budgetFor(domainPrefix: string, registers = 1): RequestBudget {
    let budget = this.#budgets.get(domainPrefix);
    if (!budget) {
      budget = new RequestBudget({ ...this.defaults, registers });
      this.#budgets.set(domainPrefix, budget);
    }
    return budget;
  }
}

/**
 * `Retry-After` as Lightspeed sends it (an RFC 1123 HTTP date, e.g.
 * `Wed, 15 Jul 2020 15:04:05 GMT`) or as delta seconds. Returns the epoch-ms instant to wait
 * for, or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return now + Math.ceil(Number(trimmed) * 1000);
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : date;
}

/** `X-RateLimit-Reset`: epoch seconds, delta seconds or an HTTP date; the docs do not say which. */
function parseResetHeader(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    if (n > 1e12) return n;
    if (n > 1e9) return n * 1000;
    return now + n * 1000;
  }
  return parseRetryAfter(trimmed, now);
}

function intHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}
