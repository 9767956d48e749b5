/**
 * What can go wrong talking to BigCommerce, as types the caller can tell apart:
 * the API said no (`BigCommerceApiError`), the network or a timeout failed every attempt
 * (`BigCommerceNetworkError`), or a body did not match its contract (`BigCommerceSchemaError`).
 * All carry the method and the templated path, so logs group by endpoint, never by id.
 */
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export abstract class BigCommerceError extends Error {
  constructor(
    message: string,
    readonly method: HttpMethod,
    /** The path template, e.g. `/v3/catalog/products/{product_id}`. */
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The parts of a BigCommerce error body worth showing; the rest stays in `body`. */
export interface ApiErrorDetails {
  title?: string;
  type?: string;
  /** v3 `errors`: field or item → message (problem+json `errors` object). */
  errors?: Record<string, unknown>;
}

/** A non-2xx answer: a 4xx (never retried, except 429) or a 5xx/429 after the last retry. */
export class BigCommerceApiError extends BigCommerceError {
  readonly title: string | undefined;
  readonly type: string | undefined;
  readonly errors: Record<string, unknown> | undefined;

  constructor(
    method: HttpMethod,
    path: string,
    readonly status: number,
    /** The parsed JSON body, or the raw text when it is not JSON. */
    readonly body: unknown,
    /** How many attempts were made, 1 when the request was not retried. */
    readonly attempts: number,
  ) {
    const details = parseErrorDetails(body);
    super(`BigCommerce ${method} ${path} failed with ${status}${details.title ? `: ${details.title}` : ''}`, method, path);
    this.title = details.title;
    this.type = details.type;
    this.errors = details.errors;
  }

  /** True for 404: the resource is gone, which sync code often treats as a state, not a fault. */
  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** A 409 over the product name: BigCommerce product names are unique in a store. */
  get isDuplicateName(): boolean {
    return this.status === 409 && (this.errors?.name !== undefined || /\bname\b/i.test(this.title ?? ''));
  }
}

/**
 * Not sent: a request computed from state that goes stale (a stock write) waited for the store's
 * quota past the moment it was fresh until. Nothing reached BigCommerce; the caller computes afresh.
 */
export class BigCommerceStaleRequestError extends BigCommerceError {
  constructor(method: HttpMethod, path: string, readonly waitedMs: number) {
    super(`BigCommerce ${method} ${path} was not sent: it waited ${waitedMs} ms for the store's request quota and its levels may be stale`, method, path);
  }
}

/** The request never got an HTTP answer: connection failure or timeout, on every attempt. */
export class BigCommerceNetworkError extends BigCommerceError {
  constructor(
    method: HttpMethod,
    path: string,
    readonly timedOut: boolean,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`BigCommerce ${method} ${path} ${timedOut ? 'timed out' : `failed: ${describeCause(cause)}`} after ${attempts} attempt(s)`, method, path, { cause });
  }
}

/** A request or response body that does not match the contract. Never retried: it would not change. */
export class BigCommerceSchemaError extends BigCommerceError {
  constructor(
    method: HttpMethod,
    path: string,
    readonly direction: 'request' | 'response',
    readonly issues: z.core.$ZodIssue[],
    /** HTTP status of the response, for `direction: 'response'`. */
    readonly status?: number,
  ) {
    const first = issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    super(`BigCommerce ${method} ${path}: ${direction} does not match its schema (${first})`, method, path);
  }
}

/**
 * BigCommerce answers errors in three shapes: v3 problem+json (`{status, title, type, errors}`),
 * v2 arrays (`[{status, message}]`), and plain text (401). Keep whatever is there.
 */
export function parseErrorDetails(body: unknown): ApiErrorDetails {
  if (Array.isArray(body)) {
    const first: unknown = body[0];
    if (isRecord(first) && typeof first.message === 'string') {
      return { title: first.message, errors: Object.fromEntries(body.map((e, i) => [String(i), isRecord(e) ? e.message : e])) };
    }
    return {};
  }
  if (isRecord(body)) {
    return {
      title: typeof body.title === 'string' ? body.title : typeof body.message === 'string' ? body.message : undefined,
      type: typeof body.type === 'string' ? body.type : undefined,
      errors: isRecord(body.errors) ? body.errors : undefined,
    };
  }
  if (typeof body === 'string' && body.trim() !== '') return { title: body.trim().slice(0, 200) };
  return {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
