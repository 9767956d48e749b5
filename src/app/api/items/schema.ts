/**
 * What the items routes answer: the contract the Enable Items page is built on. The page takes
 * its types from here (never from the server's modules); the routes parse their answers with
 * these schemas, so a drift fails on the server, in tests, not in a merchant's browser.
 */
import { z } from 'zod';

export const syncStates = ['not_synced', 'pending', 'synced', 'error', 'conflict', 'hidden'] as const;
export type SyncState = (typeof syncStates)[number];

export const statusFilters = ['enabled', 'disabled', 'error', 'conflict', 'inactive'] as const;
export type StatusFilter = (typeof statusFilters)[number];

export const itemRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  sku: z.string(),
  barcodes: z.array(z.string()),
  type: z.string().nullable(),
  brand: z.string().nullable(),
  tags: z.array(z.string()),
  active: z.boolean(),
  /** The merchant's choice (already saved, even while the change is being applied). */
  enabled: z.boolean(),
  /** A save that includes this item is still being applied in BigCommerce. */
  saving: z.boolean(),
  variants: z.array(z.object({ id: z.string(), name: z.string(), sku: z.string(), barcodes: z.array(z.string()), options: z.array(z.object({ name: z.string(), value: z.string() })) })),
  sync: z.object({ state: z.enum(syncStates), reason: z.string().nullable(), bigcommerceProductId: z.number().int().nullable() }),
  /** Why its stock in BigCommerce is not in line with Lightspeed; an item with one is never badged "synced". */
  stockProblem: z.string().nullable(),
});
export type ItemRow = z.infer<typeof itemRowSchema>;

export const itemsPageSchema = z.object({
  items: z.array(itemRowSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  limit: z.number().int().positive(),
  facets: z.object({ types: z.array(z.string()), brands: z.array(z.string()), tags: z.array(z.string()) }),
  /** The item list itself: rebuilt (indexing), filling from the first read of Lightspeed (reading), or idle; and the connection it comes from. */
  index: z.object({ state: z.enum(['idle', 'indexing', 'reading']), indexed: z.number().int().nonnegative(), lightspeed: z.enum(['active', 'reconnect_required', 'disconnected']) }),
});
export type ItemsPage = z.infer<typeof itemsPageSchema>;

export const runResultSchema = z.object({ id: z.string(), name: z.string(), outcome: z.enum(['synced', 'pending', 'error']), reason: z.string().nullable() });
export type RunResult = z.infer<typeof runResultSchema>;

export const runSchema = z.object({
  runId: z.uuid(),
  kind: z.string(),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  /** Why the run failed as a whole, or why it waits (per-item reasons are in `results`). */
  error: z.string().nullable(),
  results: z.array(runResultSchema),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type Run = z.infer<typeof runSchema>;

/** The store's newest save, so a reloaded page (or a second tab) follows it. */
export const latestRunSchema = z.object({ run: runSchema.nullable() });
export type LatestRun = z.infer<typeof latestRunSchema>;

export const runStartedSchema = z.object({ runId: z.uuid() });

export const conflictSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  name: z.string(),
  reason: z.string(),
  candidates: z.array(z.object({ bigcommerceProductId: z.number().int(), name: z.string(), sku: z.string() })),
});
export type Conflict = z.infer<typeof conflictSchema>;
export const conflictsSchema = z.object({ conflicts: z.array(conflictSchema) });

export interface ItemFilter {
  q?: string;
  type?: string;
  brand?: string;
  tag?: string;
  status?: StatusFilter;
}
