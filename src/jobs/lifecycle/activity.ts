/**
 * What the Activity page shows, outside Next so tests can drive it: the store's activity log
 * (newest first, filtered by outcome, paged by id) and its API calls per platform and endpoint.
 */
import { z } from 'zod';
import { forStore, type ActivityEvent } from '../../db/repositories/scoped';
import { activityOutcomes } from '../../db/schema';
import type { JobDeps } from '../deps';

export const activityQuerySchema = z.object({
  outcome: z.enum(activityOutcomes).optional().or(z.literal('').transform(() => undefined)),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const usageQuerySchema = z.object({ hours: z.coerce.number().int().min(1).max(24 * 30).default(24) });

export interface ActivityRow {
  id: number;
  at: string;
  kind: string;
  outcome: ActivityEvent['outcome'];
  summary: string;
  reason: string | null;
  entity: string | null;
  /** The Lightspeed item or product the event is about (its stock view is one click away). */
  itemId: string | null;
  durationMs: number | null;
}

const rowOf = (e: ActivityEvent): ActivityRow => ({
  id: e.id,
  at: e.createdAt.toISOString(),
  kind: e.kind,
  outcome: e.outcome,
  summary: e.summary,
  reason: e.reason,
  entity: e.entityType ? `${e.entityType}${e.entityId ? ` ${e.entityId}` : ''}` : null,
  itemId: (e.entityType === 'catalog.item' || e.entityType === 'variant') && e.entityId ? e.entityId : null,
  durationMs: e.durationMs,
});

export async function activityPage(deps: JobDeps, storeId: string, query: z.output<typeof activityQuerySchema>) {
  const events = await forStore(deps.database.db, deps.secrets, storeId).activity.list({
    limit: query.limit,
    ...(query.before !== undefined ? { before: query.before } : {}),
    ...(query.outcome ? { outcome: query.outcome } : {}),
  });
  return { events: events.map(rowOf), next: events.length === query.limit ? (events.at(-1)?.id ?? null) : null };
}

export async function apiUsage(deps: JobDeps, storeId: string, query: z.output<typeof usageQuerySchema>) {
  const since = new Date(Date.now() - query.hours * 3_600_000);
  const rows = await forStore(deps.database.db, deps.secrets, storeId).apiUsage.summary(since);
  const totals = { bigcommerce: { calls: 0, failures: 0 }, lightspeed: { calls: 0, failures: 0 } };
  for (const r of rows) {
    totals[r.platform].calls += r.calls;
    totals[r.platform].failures += r.failures;
  }
  return { since: since.toISOString(), hours: query.hours, totals, endpoints: rows };
}
