import { env } from '@/env';
import { ItemStockView } from '@/ui/locations/item-stock';
import { RequireSession } from '@/ui/require-session';

export const dynamic = 'force-dynamic';

/** "Why is this item showing N?": the item's stock per location (under the Enable items tab). */
export default async function ItemStockPage({ params }: { params: Promise<{ itemId: string }> }) {
  const { itemId } = await params;
  return (
    <RequireSession deepLink={`/items/${encodeURIComponent(itemId)}/stock`} sandbox={env().sandbox}>
      <ItemStockView itemId={itemId} />
    </RequireSession>
  );
}
