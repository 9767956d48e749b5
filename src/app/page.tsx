import { env } from '@/env';
import { getDatabase } from '@/db/runtime';
import { checkHealth } from '@/jobs/health';
import { getQueue } from '@/jobs/runtime';
import { Overview } from '@/ui/overview';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const health = await checkHealth({ database: getDatabase, queue: getQueue });
  return <Overview health={health} sandbox={env().sandbox} />;
}
