import { env } from '@/env';
import { Orders } from '@/ui/orders/orders';
import { RequireSession } from '@/ui/require-session';

export const dynamic = 'force-dynamic';

/** Online orders: where each went in Lightspeed and why, how far it is, errors with Retry; routing settings. */
export default function OrdersPage() {
  return (
    <RequireSession deepLink="/orders" sandbox={env().sandbox}>
      <Orders />
    </RequireSession>
  );
}
