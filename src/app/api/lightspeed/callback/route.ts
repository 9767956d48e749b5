import { sandboxOrigins } from '@/app/_lib/security-headers';
import { env } from '@/env';
import { callbackQuerySchema } from '@/jobs/lifecycle/lightspeed';

export const dynamic = 'force-dynamic';

/**
 * Lightspeed's OAuth redirect, in the window of its own the sign-in opened in (it cannot be
 * framed). This page completes nothing by itself: it hands the code to the app's page that opened
 * it (only to the app's own origins), which completes the connection with its session and says
 * how it went. Opened anywhere else (a copied link), it connects nothing.
 */
export async function GET(request: Request) {
  const url = new URL(request.url);
  if (url.searchParams.get('error')) return page(400, 'Lightspeed connection cancelled', `Lightspeed said: ${url.searchParams.get('error_description') ?? url.searchParams.get('error')}`, null);
  const query = callbackQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) return page(400, 'Lightspeed connection failed', query.error.issues.map((i) => i.message).join('; '), null);
  return page(200, 'Finishing the Lightspeed connection…', 'Counterpart is finishing the connection in the window you started it from.', query.data);
}

function page(status: number, title: string, message: string, handOver: { code: string; domain_prefix: string; state: string } | null) {
  const e = env();
  const origins = e.sandbox ? sandboxOrigins(e.APP_URL) : [new URL(e.APP_URL).origin];
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  // JSON inside a script: `<` escaped so no value can close the script element.
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
  const script = handOver
    ? `(function(){var origins=${json(origins)},msg=${json({ type: 'counterpart:lightspeed-code', ...handOver })},out=document.querySelector('[data-testid=connect-result]'),title=document.querySelector('h1');
if(!window.opener){title.textContent='Lightspeed connection not finished';title.className='err';out.textContent='This window finishes a connection only when Counterpart opened it: press Connect Lightspeed in Counterpart.';return;}
window.addEventListener('message',function(ev){if(origins.indexOf(ev.origin)<0||!ev.data||ev.data.type!=='counterpart:lightspeed-done')return;
if(ev.data.ok){title.textContent='Lightspeed connected';title.className='ok';out.textContent='Counterpart is now connected to '+ev.data.domainPrefix+'. You can close this window.';setTimeout(function(){window.close()},3000);}
else{title.textContent='Lightspeed connection failed';title.className='err';out.textContent=String(ev.data.error);}});
origins.forEach(function(o){try{window.opener.postMessage(msg,o)}catch(e){}});})();`
    : `try{window.opener&&${json(origins)}.forEach(function(o){window.opener.postMessage({type:'counterpart:lightspeed',ok:false},o)})}catch(e){}`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:"Source Sans 3",system-ui,sans-serif;margin:3rem;color:#313440}h1{font-size:1.5rem}.ok{color:#208831}.err{color:#DB3643}</style></head>
<body><h1 class="${handOver ? '' : 'err'}">${escape(title)}</h1><p data-testid="connect-result">${escape(message)}</p>
<script>${script}</script></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}
