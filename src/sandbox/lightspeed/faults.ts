/**
 * API fault injection: the failures a real client must survive. Besides 429 storms, 5xx,
 * requests that never answer in time and slow answers, `lost` applies the request and then
 * drops its answer (the server resets the connection, optionally after `delayMs`, so the client
 * sees a reset or its own timeout) — the case exactly-once writes must survive.
 *
 * A plan is a list of faults, each for a route (`POST /sales`, `POST /fulfillments/*\/fulfill`,
 * `* /sales/:id`; paths relative to `/api/{version}`, `*` or `:name` for one segment, `**` for
 * the rest) or a legacy `pathPrefix`, firing for its next N matching requests or with a
 * probability drawn from the run's seeded fault stream. The first matching fault that fires wins.
 */
import type { SandboxClock } from '../clock';
import type { RandomStream } from './ids';
import { SandboxError } from './inventory';

export const API_FAULT_KINDS = ['429', '5xx', 'timeout', 'slow', 'lost'] as const;
export type ApiFaultKind = (typeof API_FAULT_KINDS)[number];

export interface ApiFault {
  kind: ApiFaultKind;
  /** `METHOD /path` relative to `/api/{version}`, e.g. `POST /sales` or `* /fulfillments/**`. */
  route?: string;
  /** Only requests whose path (after the domain prefix, e.g. `/api/2026-07/products`) starts with this. */
  pathPrefix?: string;
  nextN?: number;
  probability?: number;
  /** 5xx: which status (default 503). */
  status?: number;
  /** slow: added latency; timeout: how long before the 504 (default 30 s); lost: how long before the reset (default 0). */
  delayMs?: number;
}

interface CompiledRoute {
  method: string;
  segments: string[];
}

function compileRoute(route: string): CompiledRoute {
  const match = /^(\*|[A-Z]+)\s+(\/\S*)$/.exec(route.trim());
  if (!match?.[1] || !match[2]) throw new SandboxError(422, `fault route "${route}" must look like "POST /sales" or "* /fulfillments/**"`);
  const segments = match[2].split('/').filter(Boolean);
  if (segments.slice(0, -1).includes('**')) throw new SandboxError(422, `fault route "${route}": ** may only end a route`);
  return { method: match[1], segments };
}

function routeMatches(route: CompiledRoute, method: string, segments: string[]): boolean {
  if (route.method !== '*' && route.method !== method) return false;
  for (const [i, want] of route.segments.entries()) {
    if (want === '**') return true;
    const have = segments[i];
    if (have === undefined) return false;
    if (want !== '*' && !want.startsWith(':') && want !== have) return false;
  }
  return route.segments.length === segments.length;
}

export interface FaultDecision {
  fault: ApiFault;
  /** Which plan entry fired (its index), for the event log. */
  index: number;
  how: 'nextN' | 'probability';
}

export class FaultInjector {
  faults: ApiFault[] = [];
  private routes: (CompiledRoute | null)[] = [];

  constructor(private readonly random: RandomStream) {}

  set(faults: ApiFault[]): void {
    const routes = faults.map((f) => (f.route === undefined ? null : compileRoute(f.route)));
    this.faults = faults.map((f) => ({ ...f }));
    this.routes = routes;
  }

  /**
   * The fault that applies to this request, consuming one of its `nextN` if counted.
   * `apiPath` is `/api/{version}/…`; routes match the part after the version.
   */
  next(method: string, apiPath: string): FaultDecision | null {
    const segments = apiPath.split('/').filter(Boolean).slice(2);
    for (const [index, fault] of this.faults.entries()) {
      const route = this.routes[index];
      if (route && !routeMatches(route, method, segments)) continue;
      if (fault.pathPrefix && !apiPath.startsWith(fault.pathPrefix)) continue;
      if (fault.nextN !== undefined) {
        if (fault.nextN <= 0) continue;
        fault.nextN -= 1;
        return { fault, index, how: 'nextN' };
      }
      if (fault.probability !== undefined && this.random.next() < fault.probability) return { fault, index, how: 'probability' };
    }
    return null;
  }
}

/** Waits `ms` on the sandbox clock, or until the client gives up on the request. */
export function sleep(clock: SandboxClock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clock.clearTimeout(timer);
      resolve();
    });
  });
}
