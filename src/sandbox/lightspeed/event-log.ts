/**
 * Everything observable that happened on the sandbox, in the order it happened: API writes with
 * their results, staff (control) actions, stock movements, webhook deliveries with their bodies
 * and attempt times, and every fault the sandbox chose to inject. With a seeded run on a virtual
 * clock the list is the same, byte for byte, every time the same scenario runs; a test compares
 * two runs by their JSON.
 */
import type { SandboxClock } from '../clock';
import { isoTime } from './time';

interface Base {
  seq: number;
  at: string;
}

export type SandboxEvent = Base &
  (
    | { kind: 'api'; method: string; path: string; status: number; request: unknown; response: unknown; lost: boolean }
    | { kind: 'control'; action: string; input: unknown; status: number; result: unknown }
    | { kind: 'stock'; product_id: string; outlet_id: string; change: { delta: number } | { set: number }; level: number; version: number; cause: string }
    | { kind: 'fault'; scope: 'api' | 'webhook'; fault: string; target: string; detail: unknown }
    | { kind: 'webhook.enqueue'; delivery_id: string; webhook_id: string; type: string; url: string; body: string; duplicate: boolean }
    | {
        kind: 'webhook.attempt';
        delivery_id: string;
        attempt: number;
        /** Filled in when the receiver answers; 'pending' while the request is in flight. */
        outcome: 'pending' | 'delivered' | 'failed';
        http_status: number | null;
        error: string | null;
        next_attempt_at: string | null;
      }
    | { kind: 'webhook.deactivated'; webhook_id: string; url: string; type: string; failed_deliveries: number }
  );

type Payload = SandboxEvent extends infer E ? (E extends SandboxEvent ? Omit<E, 'seq' | 'at'> : never) : never;

/** Long demo sessions must not grow without bound; tests stay far below this. */
const MAX_EVENTS = 50_000;

export class EventLog {
  private events: SandboxEvent[] = [];
  private seq = 0;
  /** How many of the oldest events were dropped to stay under the bound. */
  dropped = 0;

  constructor(
    private readonly clock: Pick<SandboxClock, 'now'>,
    /** Told of each event as it is recorded (a test's synchronous observer; it must not change state). */
    private readonly observer?: (event: SandboxEvent) => void,
  ) {}

  /** Appends an event and returns it, so an in-flight delivery can fill in its outcome later. */
  record<P extends Payload>(payload: P): Extract<SandboxEvent, { kind: P['kind'] }> {
    const event = { seq: ++this.seq, at: isoTime(this.clock.now()), ...payload } as unknown as Extract<SandboxEvent, { kind: P['kind'] }>;
    this.events.push(event);
    this.observer?.(event);
    if (this.events.length > MAX_EVENTS) {
      const excess = this.events.length - MAX_EVENTS;
      this.events.splice(0, excess);
      this.dropped += excess;
    }
    return event;
  }

  /** A deep copy: plain JSON, safe to serialise and compare. */
  list(): SandboxEvent[] {
    return structuredClone(this.events);
  }

  clear(): void {
    this.events = [];
    this.dropped = 0;
  }
}

/** Response and request bodies as JSON values for the log (text when they are not JSON). */
export function bodyValue(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
