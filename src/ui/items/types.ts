/** The JSON the items API answers (see src/app/api/items). */
import type { ItemRow } from '../../jobs/lifecycle/catalog';

// The row shape is the server's own (type-only import: nothing of the server reaches the browser).
export type { ItemRow };
export type SyncState = ItemRow['sync']['state'];

export interface ItemsPage {
  items: ItemRow[];
  total: number;
  page: number;
  limit: number;
  facets: { types: string[]; brands: string[]; tags: string[] };
  index: { state: 'idle' | 'indexing'; indexed: number };
}

export interface Run {
  runId: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
  /** Why the run failed as a whole (per-item reasons are in `results`). */
  error: string | null;
  results: { id: string; name: string; outcome: 'synced' | 'pending' | 'error'; reason: string | null }[];
}

export interface Conflict {
  id: string;
  itemId: string;
  name: string;
  reason: string;
  candidates: { bigcommerceProductId: number; name: string; sku: string }[];
}

export type StatusFilter = 'enabled' | 'disabled' | 'error' | 'conflict' | 'inactive';

export interface ItemFilter {
  q?: string;
  type?: string;
  brand?: string;
  tag?: string;
  status?: StatusFilter;
}
