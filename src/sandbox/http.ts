/**
 * Serves a Fetch-API handler over node:http, so each sandbox platform is one
 * `(request) => Promise<Response>` function that runs standalone (tests, benchmarks) or mounted
 * inside the app's route handlers (sandbox mode).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * "Applied but the response was lost": a handler that has already made its change answers with
 * `lostResponse()`, and the server resets the connection instead of writing anything, so the
 * client sees a socket error exactly as it would when a network path drops the answer. Mounted
 * inside the app (no socket of its own) the marker becomes a 504 with no body.
 */
export const LOST_RESPONSE_HEADER = 'x-sandbox-lost-response';

export function lostResponse(): Response {
  return new Response(null, { status: 504, headers: { [LOST_RESPONSE_HEADER]: '1' } });
}

export function isLostResponse(response: Response): boolean {
  return response.headers.get(LOST_RESPONSE_HEADER) === '1';
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? 'GET';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
  });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  if (isLostResponse(response)) {
    res.socket?.resetAndDestroy();
    return;
  }
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  res.end(body);
}

export function serve(handler: FetchHandler, options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    let origin = '';
    const server: Server = createServer((req, res) => {
      toRequest(req, origin)
        .then(handler)
        .then((response) => writeResponse(res, response))
        .catch((error: unknown) => {
          res.statusCode = 500;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ status: 500, title: error instanceof Error ? error.message : 'internal error' }));
        });
    });
    server.keepAliveTimeout = 5_000;
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      origin = `http://${host}:${port}`;
      resolve({
        url: origin,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
