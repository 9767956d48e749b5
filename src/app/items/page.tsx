import { env } from '@/env';
import { EnableItems } from '@/ui/items/enable-items';
import { RequireSession } from '@/ui/require-session';

export const dynamic = 'force-dynamic';

/**
 * Enable Items. Lightspeed BackOffice deep-links here as `/items?product=<id>`; without a session
 * the merchant is sent through the control panel, whose load callback brings them back here.
 */
export default async function ItemsPage({ searchParams }: { searchParams: Promise<{ product?: string }> }) {
  const { product } = await searchParams;
  const deepLink = `/items${product ? `?product=${encodeURIComponent(product)}` : ''}`;
  return (
    <RequireSession deepLink={deepLink} sandbox={env().sandbox}>
      <EnableItems focusProductId={product ?? null} />
    </RequireSession>
  );
}
