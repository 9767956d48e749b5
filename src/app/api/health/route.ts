import { getDatabase } from '@/db/runtime';
import { checkHealth } from '@/jobs/health';
import { getQueue } from '@/jobs/runtime';
import { healthReportSchema } from './schema';

export const dynamic = 'force-dynamic';

export async function GET() {
  const report = healthReportSchema.parse(await checkHealth({ database: getDatabase, queue: getQueue }));
  return Response.json(report, { status: report.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
