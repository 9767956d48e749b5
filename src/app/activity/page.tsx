import { env } from '@/env';
import { ActivityLog } from '@/ui/activity';
import { RequireSession } from '@/ui/require-session';

export const dynamic = 'force-dynamic';

/** What the app did for the store, and the API calls it made. */
export default function ActivityPage() {
  return (
    <RequireSession deepLink="/activity" sandbox={env().sandbox}>
      <ActivityLog />
    </RequireSession>
  );
}
