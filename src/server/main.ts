/**
 * The production server (`npm start`): one Node HTTP server on the app's port. Webhook
 * deliveries are answered by the lean receiver (./receiver.ts); every other request goes to
 * Next.js in the same process (pages, the API, the sandboxes), whose start-up hook opens the
 * database and starts the job worker (src/instrumentation-node.ts). One process, so the
 * embedded database has one owner, as under `next start`.
 */
import { createServer } from 'node:http';
import next from 'next';
import { securityHeaders } from '../app/_lib/security-headers';
import { envOrExit } from '../env';
import { receiveWebhook, webhookRoute } from './receiver';

async function main(): Promise<void> {
  const e = envOrExit();
  // tsx turned source maps on for our TypeScript; left on, Node would also load and keep the
  // map of every Next.js chunk loaded from here on (over 100 MB of heap, and longer pauses for
  // the garbage collector that the webhook answers wait behind).
  process.setSourceMapsEnabled(false);
  const app = next({ dev: false, dir: process.cwd(), hostname: e.HOST, port: e.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();
  const apiHeaders = securityHeaders('/api/webhooks', { sandbox: e.sandbox, appUrl: e.APP_URL });

  const server = createServer((req, res) => {
    const route = webhookRoute(req.method, req.url);
    const work = route ? receiveWebhook(req, res, route, apiHeaders) : handle(req, res);
    work.catch((error: unknown) => {
      console.error('[counterpart] request failed:', error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy();
    });
  });
  // Idle keep-alive connections are closed by the sender first: a server that closes one just as
  // a sender reuses it makes a failed delivery ("socket hang up"), and BigCommerce counts every
  // failure against the whole app domain. Node closes them after 5 s; senders and proxies keep
  // them up to a minute (the load balancers' usual 60 s), so the server waits a little longer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // A burst of deliveries opens many connections at once: past Node's default accept queue (511)
  // the kernel drops them and their senders wait on retransmits (tens of thousands of listen-queue
  // overflows in the simulation before this). The kernel caps it at net.core.somaxconn.
  server.listen({ port: e.PORT, host: e.HOST, backlog: 4096 }, () => console.log(`[counterpart] ready on http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT} (webhooks answered by the lean receiver)`));

  const stop = (signal: string) => {
    console.log(`[counterpart] ${signal}: no new requests; closing`);
    server.close();
    server.closeIdleConnections();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('[counterpart] failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
