import { requireApiSession, respond } from '@/app/_lib/http';
import { env } from '@/env';
import { startConnect } from '@/jobs/lifecycle/lightspeed';
import { jobDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/** Starts the Lightspeed OAuth connection: the authorize URL, with a state bound to this session. */
export async function POST(request: Request) {
  return respond(async () => {
    const session = await requireApiSession(request, 'lightspeed.connection');
    const deps = await jobDeps();
    return Response.json({ authorizeUrl: startConnect(session, { ...deps, sessionSecret: env().SESSION_SECRET }) });
  });
}
