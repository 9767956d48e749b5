import { pageSession } from '@/app/_lib/http';
import { env } from '@/env';
import { ActivityLog } from '@/ui/activity';
import { OpenFromControlPanel } from '@/ui/open-from-control-panel';
import { SessionProvider } from '@/ui/session';

export const dynamic = 'force-dynamic';

/** What the app did for the store, and the API calls it made. */
export default async function ActivityPage({ searchParams }: { searchParams: Promise<{ session?: string }> }) {
  const { session: token } = await searchParams;
  const session = token ? await pageSession(token) : undefined;
  if (!session) return <OpenFromControlPanel deepLink="/activity" sandbox={env().sandbox} expired={Boolean(token)} />;
  return (
    <SessionProvider token={token!}>
      <ActivityLog />
    </SessionProvider>
  );
}
