import { pageSession } from '@/app/_lib/http';
import { getDatabase } from '@/db/runtime';
import { env } from '@/env';
import { checkHealth } from '@/jobs/health';
import { getQueue } from '@/jobs/runtime';
import { Overview } from '@/ui/overview';
import { SessionProvider } from '@/ui/session';

export const dynamic = 'force-dynamic';

export default async function HomePage({ searchParams }: { searchParams: Promise<{ session?: string }> }) {
  const { session: token } = await searchParams;
  const [health, session] = await Promise.all([checkHealth({ database: getDatabase, queue: getQueue }), token ? pageSession(token) : undefined]);
  return (
    <SessionProvider token={session ? token! : null}>
      <Overview
        health={health}
        sandbox={env().sandbox}
        store={session ? { storeHash: session.storeHash, email: session.email } : undefined}
        sessionRejected={Boolean(token) && !session}
      />
    </SessionProvider>
  );
}
