/**
 * Time for both sandboxes. Every timestamp and every timer (webhook delays and retries,
 * asynchronous inventory applies, rate-limit windows) goes through a clock, so a test can run
 * the platforms on a virtual clock: hours of platform time (Lightspeed's 48 h of webhook
 * retries, BigCommerce's deactivation after failed deliveries) pass in milliseconds, and one
 * seed gives one run.
 */

export interface SandboxClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): SandboxTimer;
  clearTimeout(timer: SandboxTimer): void;
}

export interface SandboxTimer {
  /** Real timers keep the process alive unless unref'd; virtual ones never do. */
  unref?(): void;
}

export const realClock: SandboxClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

interface Scheduled extends SandboxTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told. Timers fire in (due time, creation order), so the same
 * sequence of calls fires the same callbacks in the same order on every run.
 */
export class VirtualClock implements SandboxClock {
  private current: number;
  private seq = 0;
  private queue: Scheduled[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): SandboxTimer {
    const timer: Scheduled = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false, unref: () => undefined };
    this.queue.push(timer);
    return timer;
  }

  clearTimeout(timer: SandboxTimer): void {
    (timer as Scheduled).cancelled = true;
  }

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.queue.filter((t) => !t.cancelled).length;
  }

  private takeNext(until: number): Scheduled | undefined {
    this.queue = this.queue.filter((t) => !t.cancelled);
    let next: Scheduled | undefined;
    for (const t of this.queue) if (t.at <= until && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
    if (next) this.queue.splice(this.queue.indexOf(next), 1);
    return next;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way (including timers
   * those callbacks set), each at its own due time. `settle` runs between firings so promise
   * chains a callback started (a webhook POST, say) can finish before the next timer fires.
   */
  async advance(ms: number, settle: () => Promise<void> = flushMicrotasks): Promise<void> {
    const until = this.current + ms;
    for (;;) {
      const next = this.takeNext(until);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      next.fn();
      await settle();
    }
    this.current = until;
  }

  /** Fires timers until none is left (or `maxMs` of virtual time has passed). */
  async runAll(maxMs = 7 * 24 * 3600_000, settle: () => Promise<void> = flushMicrotasks): Promise<void> {
    const limit = this.current + maxMs;
    for (;;) {
      const next = this.takeNext(limit);
      if (!next) return;
      this.current = Math.max(this.current, next.at);
      next.fn();
      await settle();
    }
  }
}

/** Lets already-resolved promise chains run (a few turns of the microtask and I/O queues). */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
