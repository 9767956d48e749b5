/**
 * API fault injection: the failures a real client must survive (429 storms, 5xx, requests that
 * never answer in time, slow answers). Each fault fires for the next N requests or with a
 * probability, optionally only for paths matching a prefix.
 */
import type { Random } from './ids';

export interface ApiFault {
  kind: '429' | '5xx' | 'timeout' | 'slow';
  nextN?: number;
  probability?: number;
  /** Only requests whose path (after the domain prefix, e.g. `/api/2026-07/products`) starts with this. */
  pathPrefix?: string;
  /** 5xx: which status (default 503). */
  status?: number;
  /** slow: added latency; timeout: how long before the 504 (default 30 s). */
  delayMs?: number;
}

export class FaultInjector {
  faults: ApiFault[] = [];

  constructor(private readonly random: Random) {}

  set(faults: ApiFault[]): void {
    this.faults = faults.map((f) => ({ ...f }));
  }

  /** The fault that applies to this request, consuming one of its `nextN` if counted. */
  next(path: string): ApiFault | null {
    for (const fault of this.faults) {
      if (fault.pathPrefix && !path.startsWith(fault.pathPrefix)) continue;
      if (fault.nextN !== undefined) {
        if (fault.nextN <= 0) continue;
        fault.nextN -= 1;
        return fault;
      }
      if (fault.probability !== undefined && this.random() < fault.probability) return fault;
    }
    return null;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
