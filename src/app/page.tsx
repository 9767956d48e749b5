import { getDatabase } from '@/db/runtime';
import { env } from '@/env';
import { checkHealth } from '@/jobs/health';
import { getQueue } from '@/jobs/runtime';
import { Overview } from '@/ui/overview';

export const dynamic = 'force-dynamic';

/** The overview. The store's part appears once the page has its session (see ui/session.tsx). */
export default async function HomePage() {
  const health = await checkHealth({ database: getDatabase, queue: getQueue });
  return <Overview health={health} sandbox={env().sandbox} />;
}
