import { parseQuery } from '@/app/_lib/http';
import { env } from '@/env';
import { callbackQuerySchema, completeConnect } from '@/jobs/lifecycle/lightspeed';
import { getQueue, jobDeps } from '@/jobs/runtime';

export const dynamic = 'force-dynamic';

/**
 * Lightspeed's OAuth redirect. The authorize page runs in a window of its own (it cannot be
 * framed), so this answers with a small page that tells the app and closes itself.
 */
export async function GET(request: Request) {
  const url = new URL(request.url);
  if (url.searchParams.get('error')) return page(400, 'Lightspeed connection cancelled', `Lightspeed said: ${url.searchParams.get('error_description') ?? url.searchParams.get('error')}`, false);
  try {
    const query = parseQuery(request, callbackQuerySchema);
    const deps = await jobDeps();
    const result = await completeConnect(query, { ...deps, sessionSecret: env().SESSION_SECRET }, await getQueue());
    return page(200, 'Lightspeed connected', `Counterpart is now connected to ${result.domainPrefix}. You can close this window.`, true);
  } catch (error) {
    const status = (error as { status?: number }).status;
    return page(typeof status === 'number' && status < 500 ? status : 502, 'Lightspeed connection failed', error instanceof Error ? error.message : String(error), false);
  }
}

function page(status: number, title: string, message: string, ok: boolean) {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:"Source Sans 3",system-ui,sans-serif;margin:3rem;color:#313440}h1{font-size:1.5rem}.ok{color:#208831}.err{color:#DB3643}</style></head>
<body><h1 class="${ok ? 'ok' : 'err'}">${escape(title)}</h1><p data-testid="connect-result">${escape(message)}</p>
<script>try{window.opener&&window.opener.postMessage({type:'counterpart:lightspeed',ok:${ok}},'*');${ok ? 'setTimeout(function(){window.close()},1500);' : ''}}catch(e){}</script></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}
