/** Small response and body-parsing helpers shared by the API, OAuth and control routes. */
import type { z } from 'zod';
import { SandboxError } from './inventory';
import { formatIssues } from './schemas';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** X-Series error bodies are `{"error": "…"}` (the spec's 4xx examples); details are extra. */
export function errorResponse(status: number, message: string, details?: unknown): Response {
  return json(status, details === undefined ? { error: message } : { error: message, details });
}

export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SandboxError(400, 'request body is not valid JSON');
  }
}

/** `status`: what the operation documents for a bad body (422 by default; the fulfilment operations say 400). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, status = 422): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new SandboxError(status, 'request body failed validation', formatIssues(result.error));
  return result.data;
}

export async function parseBody<S extends z.ZodType>(req: Request, schema: S, status = 422): Promise<z.output<S>> {
  return parseWith(schema, await readJson(req).catch((e: unknown) => {
    if (e instanceof SandboxError) throw new SandboxError(status, e.message);
    throw e;
  }), status);
}
