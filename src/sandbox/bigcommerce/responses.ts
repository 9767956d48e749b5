/**
 * Response builders in BigCommerce's own shapes: v3 errors are `{status, title, type, errors}`,
 * v2 errors are an array of `{status, message}`, v3 collections carry `meta.pagination`.
 */
import type { z } from 'zod';

export const STATUS_CODES_DOC = 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes';

/** Thrown anywhere inside a route; the router turns it into the response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly errors: Record<string, string> = {},
    readonly contentType = 'application/json',
  ) {
    super(title);
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export function v3Error(status: number, title: string, errors: Record<string, string> = {}, contentType = 'application/json'): Response {
  return new Response(JSON.stringify({ status, title, type: STATUS_CODES_DOC, errors }), {
    status,
    headers: { 'content-type': contentType },
  });
}

export function v2Error(status: number, message: string): Response {
  return json([{ status, message }], status);
}

/** v3 single-resource envelope. */
export function data(value: unknown, status = 200): Response {
  return json({ data: value, meta: {} }, status);
}

export interface Page {
  page: number;
  limit: number;
}

export function readPage(url: URL, defaultLimit = 50, maxLimit = 250): Page {
  const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
  const rawLimit = Number.parseInt(url.searchParams.get('limit') ?? String(defaultLimit), 10) || defaultLimit;
  return { page, limit: Math.min(Math.max(1, rawLimit), maxLimit) };
}

/** Slices `items` and builds `meta.pagination` the way v3 collections report it. */
export function paginate<T>(items: T[], url: URL, page: Page): { data: T[]; meta: { pagination: Record<string, unknown> } } {
  const total = items.length;
  const totalPages = Math.max(1, Math.ceil(total / page.limit));
  const slice = items.slice((page.page - 1) * page.limit, page.page * page.limit);
  const link = (n: number): string => {
    const params = new URLSearchParams(url.searchParams);
    params.set('page', String(n));
    params.set('limit', String(page.limit));
    return `?${params.toString()}`;
  };
  const links: Record<string, string> = { current: link(page.page) };
  if (page.page > 1) links.previous = link(page.page - 1);
  if (page.page < totalPages) links.next = link(page.page + 1);
  return {
    data: slice,
    meta: {
      pagination: { total, count: slice.length, per_page: page.limit, current_page: page.page, total_pages: totalPages, links },
    },
  };
}

export function paged<T>(items: T[], url: URL, page: Page): Response {
  return json(paginate(items, url, page));
}

/** v2 collections are bare arrays paged by page/limit (default 50, max 250). */
export function v2Page<T>(items: T[], url: URL): T[] {
  const { page, limit } = readPage(url, 50, 250);
  return items.slice((page - 1) * limit, page * limit);
}

export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === '') throw new HttpError(400, 'The request body is empty or is not valid JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'The request body is empty or is not valid JSON');
  }
}

/** Maps zod issues to BigCommerce's `errors` object: field path → message. */
export function issuesToErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[issue.path.join('.') || 'body'] = issue.message;
  return errors;
}

export async function parseBody<T>(req: Request, schema: z.ZodType<T>, contentType = 'application/json'): Promise<T> {
  const body = await readJson(req);
  const result = schema.safeParse(body);
  if (!result.success) throw new HttpError(422, 'JSON data is missing or invalid', issuesToErrors(result.error), contentType);
  return result.data;
}

/** `?id:in=1,2,3` → [1,2,3]; undefined when the filter is absent. */
export function intList(url: URL, name: string): number[] | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  return raw
    .split(',')
    .map((s) => Number.parseInt(s, 10))
    .filter((n) => Number.isFinite(n));
}

export function stringList(url: URL, name: string): string[] | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  return raw.split(',').map((s) => s.trim());
}

export function boolParam(url: URL, name: string): boolean | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  return raw === 'true' || raw === '1';
}

export function money(n: number): string {
  return n.toFixed(4);
}
