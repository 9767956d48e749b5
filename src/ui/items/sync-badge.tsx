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
  const { label, variant } = item.saving
    ? { label: 'saving…', variant: 'primary' as const }
    : item.active
      ? LABELS[item.sync.state]
      : { label: 'inactive in Lightspeed', variant: 'secondary' as const };
  return <Badge label={label} variant={variant} title={item.sync.reason ?? undefined} />;
}
