'use client';

import { Badge } from '@bigcommerce/big-design';
import type { ItemRow } from './types';

const LABELS: Record<ItemRow['sync']['state'], { label: string; variant: 'success' | 'warning' | 'danger' | 'secondary' | 'primary' }> = {
  not_synced: { label: 'in-store only', variant: 'secondary' },
  pending: { label: 'pending', variant: 'primary' },
  synced: { label: 'synced', variant: 'success' },
  error: { label: 'error', variant: 'danger' },
  conflict: { label: 'needs a decision', variant: 'warning' },
  hidden: { label: 'hidden', variant: 'secondary' },
};

export function SyncBadge({ item }: { item: ItemRow }) {
  const { label, variant } = item.active ? LABELS[item.sync.state] : { label: 'inactive in Lightspeed', variant: 'secondary' as const };
  return <Badge label={label} variant={variant} title={item.sync.reason ?? undefined} />;
}
