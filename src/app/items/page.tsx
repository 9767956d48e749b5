import { pageSession } from '@/app/_lib/http';
import { env } from '@/env';
import { EnableItems } from '@/ui/items/enable-items';
import { OpenFromControlPanel } from '@/ui/open-from-control-panel';
import { SessionProvider } from '@/ui/session';

export const dynamic = 'force-dynamic';

/**
 * Enable Items. Lightspeed BackOffice deep-links here as `/items?product=<id>`; without a session
 * the merchant is sent through the control panel, whose load callback brings them back here.
 */
export default async function ItemsPage({ searchParams }: { searchParams: Promise<{ session?: string; product?: string }> }) {
  const { session: token, product } = await searchParams;
  const session = token ? await pageSession(token) : undefined;
  const deepLink = `/items${product ? `?product=${encodeURIComponent(product)}` : ''}`;
  if (!session) return <OpenFromControlPanel deepLink={deepLink} sandbox={env().sandbox} expired={Boolean(token)} />;
  return (
    <SessionProvider token={token!}>
      <EnableItems focusProductId={product ?? null} />
    </SessionProvider>
  );
}
