/**
 * Everything observable the sandbox did, in order: API writes and what they answered, stock
 * changes, webhook deliveries (bodies and attempt times), fault decisions, deactivations and
 * notification emails. With a seed and a VirtualClock the log is a pure function of the test's
 * actions, so two runs of one scenario can be compared byte for byte (control.eventLog()).
 *
 * Stock changes are found by comparing each store's stock with what the log last saw, at the
 * points where a change can have happened (after an API request, a control action or an
 * asynchronous inventory apply), rather than by instrumenting every writer of stock.
 */
import type { StoreState } from './types';

export interface LogEntry {
  seq: number;
  at: number;
  type: string;
  [field: string]: unknown;
}

/** Enough for any test scenario; a long-running sandbox keeps the newest entries. */
const DEFAULT_LIMIT = 50_000;

export class EventLog {
  private entries: LogEntry[] = [];
  private seq = 0;
  private dropped = 0;
  private readonly seen = new Map<string, Map<string, number>>();

  constructor(
    private readonly now: () => number,
    private readonly limit = DEFAULT_LIMIT,
    /** Told of each entry as it is added (a test's synchronous observer; it must not change state). */
    private readonly observer?: (entry: LogEntry) => void,
  ) {}

  /** Appends an entry and returns it, so an outcome known later (a webhook's answer) can be filled in. */
  add(type: string, fields: Record<string, unknown> = {}): LogEntry {
    const entry: LogEntry = { seq: this.seq++, at: this.now(), type, ...fields };
    this.entries.push(entry);
    this.observer?.(entry);
    if (this.entries.length > this.limit) {
      const excess = this.entries.length - this.limit;
      this.entries.splice(0, excess);
      this.dropped += excess;
    }
    return entry;
  }

  /** Takes the current stock as known without logging it (state loaded from disk). */
  baseline(stores: Record<string, StoreState>): void {
    for (const store of Object.values(stores)) this.seen.set(store.hash, stockMap(store));
  }

  /** Logs every (variant, location) whose on-hand differs from what the log last saw. */
  observeStock(stores: Record<string, StoreState>): void {
    for (const hash of [...this.seen.keys()]) if (!stores[hash]) this.seen.delete(hash);
    for (const store of Object.values(stores)) {
      const before = this.seen.get(store.hash) ?? new Map<string, number>();
      const after = stockMap(store);
      for (const [key, to] of after) {
        const from = before.get(key);
        if (from !== to) this.add('stock', { store: store.hash, ...parseKey(key), from: from ?? null, to });
      }
      for (const [key, from] of before) if (!after.has(key)) this.add('stock', { store: store.hash, ...parseKey(key), from, to: null });
      this.seen.set(store.hash, after);
    }
  }

  /** A JSON-safe copy, oldest first; `dropped` counts entries that fell off the front. */
  snapshot(): { dropped: number; entries: LogEntry[] } {
    return JSON.parse(JSON.stringify({ dropped: this.dropped, entries: this.entries })) as { dropped: number; entries: LogEntry[] };
  }

  clear(): void {
    this.entries = [];
    this.dropped = 0;
  }
}

function stockMap(store: StoreState): Map<string, number> {
  return new Map(store.stock.map((s) => [`${s.variant_id}:${s.location_id}`, s.on_hand]));
}

function parseKey(key: string): { variant_id: number; location_id: number } {
  const [variant, location] = key.split(':');
  return { variant_id: Number(variant), location_id: Number(location) };
}
