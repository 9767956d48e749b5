/**
 * What every part of the sandbox shares: the clock, the retailers, the run's seeded ids, the
 * event log, the behaviour policies, and the two side effects a state change can have (a
 * webhook event, a persistence write). Passing this explicitly keeps the domain modules free of
 * globals and of the HTTP layer.
 */
import type { SandboxClock } from '../clock';
import type { EventLog } from './event-log';
import type { SalePolicies } from './policies';
import type { Retailer, Versioned, WebhookType } from './types';

export { isoTime } from './time';

export interface SandboxContext {
  clock: SandboxClock;
  now(): number;
  retailers: Record<string, Retailer>;
  /** A new v4-shaped id from the run's seeded stream: one seed, one sequence of ids. */
  newId(): string;
  events: EventLog;
  policies: SalePolicies;
  /** Queue a webhook event of `type` for the retailer's subscriptions (payload in 1.0 shape). */
  emit(retailer: Retailer, type: WebhookType, payload: unknown): void;
  /** Something changed: schedule a (debounced) persistence write. */
  changed(): void;
}

/** Every change takes the next value of the retailer's single global version counter. */
export function nextVersion(retailer: Retailer): number {
  retailer.version += 1;
  return retailer.version;
}

export function touch<T extends { version: number }>(retailer: Retailer, record: T): T {
  record.version = nextVersion(retailer);
  return record;
}

export interface VersionPageOptions {
  after?: number | undefined;
  before?: number | undefined;
  pageSize: number;
  includeDeleted?: boolean | undefined;
  direction?: 'asc' | 'desc' | undefined;
}

/**
 * Cursor paging by version (docs/pagination): records with after < version < before, in
 * version order. The next page is requested with after = the page's version.max. A record
 * written between pages gets a new, higher version and therefore shows up again later rather
 * than being skipped.
 */
export function pageByVersion<T extends Pick<Versioned, 'version' | 'deleted_at'>>(
  records: Iterable<T>,
  options: VersionPageOptions,
): { page: T[]; min: number | null; max: number | null } {
  const after = options.after ?? 0;
  const before = options.before ?? Number.POSITIVE_INFINITY;
  const matching = [...records].filter(
    (r) => r.version > after && r.version < before && (options.includeDeleted || r.deleted_at === null),
  );
  matching.sort((a, b) => (options.direction === 'desc' ? b.version - a.version : a.version - b.version));
  const page = matching.slice(0, options.pageSize);
  const versions = page.map((r) => r.version);
  return {
    page,
    min: versions.length ? Math.min(...versions) : null,
    max: versions.length ? Math.max(...versions) : null,
  };
}
