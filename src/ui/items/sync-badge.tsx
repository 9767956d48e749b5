'use client';

import { Badge } from '@bigcommerce/big-design';
import type { ItemRow, SyncState } from './types';

const LABELS: Record<SyncState, { label: string; variant: 'success' | 'warning' | 'danger' | 'secondary' | 'primary' }> = {
  not_synced: { label: 'in-store only', variant: 'secondary' },
  pending: { label: 'waiting to sync', variant: 'primary' },
  synced: { label: 'synced', variant: 'success' },
  error: { label: 'error', variant: 'danger' },
  conflict: { label: 'needs a decision', variant: 'warning' },
  hidden: { label: 'hidden online', variant: 'secondary' },
};

export function SyncBadge({ item }: { item: ItemRow }) {
  const stockOff = item.sync.state === 'synced' && item.stockProblem !== null;
  const { label, variant } = item.saving
    ? { label: 'saving…', variant: 'primary' as const }
    : !item.active
      ? { label: 'inactive in Lightspeed', variant: 'secondary' as const }
      : stockOff
        ? { label: 'stock not in sync', variant: 'warning' as const }
        : LABELS[item.sync.state];
  return <Badge label={label} variant={variant} title={(stockOff ? item.stockProblem : item.sync.reason) ?? undefined} />;
}
