import { env } from '@/env';
import { LocationsPage } from '@/ui/locations/locations-page';
import { RequireSession } from '@/ui/require-session';

export const dynamic = 'force-dynamic';

/** Locations: outlets ↔ BigCommerce locations, the storefront stock mode, stock checks and stock problems. */
export default function Locations() {
  return (
    <RequireSession deepLink="/locations" sandbox={env().sandbox}>
      <LocationsPage />
    </RequireSession>
  );
}
