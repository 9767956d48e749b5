/** The JSON the items API answers (see src/app/api/items). */
export type SyncState = 'not_synced' | 'pending' | 'synced' | 'error' | 'conflict' | 'hidden';

export interface ItemRow {
  id: string;
  name: string;
  sku: string;
  barcodes: string[];
  type: string | null;
  brand: string | null;
  tags: string[];
  active: boolean;
  enabled: boolean;
  variants: { id: string; name: string; sku: string; barcodes: string[]; options: { name: string; value: string }[] }[];
  sync: { state: SyncState; reason: string | null; bigcommerceProductId: number | null };
}

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
