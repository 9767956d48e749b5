/**
 * Every failure the Lightspeed client can raise, typed so callers handle each kind once, at
 * the edge: a job retries `LightspeedApiError` 5xx and network errors later, asks the merchant
 * to reconnect on `LightspeedReconnectRequired`, and reconciles when `maybeProcessed` says a
 * non-idempotent write may or may not have happened.
 */

export class LightspeedError extends Error {
  override readonly name: string = 'LightspeedError';
}

/** A non-2xx answer the client does not recover from (4xx, or 429/5xx after the last retry). */
export class LightspeedApiError extends LightspeedError {
  override readonly name = 'LightspeedApiError';

  constructor(
    readonly status: number,
    readonly method: string,
    /** The templated path, e.g. `/products/{id}`. */
    readonly path: string,
    readonly body: unknown,
    /** True when the request may have taken effect (a 5xx answer to a non-idempotent write). */
    readonly maybeProcessed = false,
  ) {
    super(`Lightspeed ${method} ${path} answered ${status}${describeBody(body)}`);
  }
}

/** The request never produced an answer: connection failure or timeout, after the last retry. */
export class LightspeedNetworkError extends LightspeedError {
  override readonly name = 'LightspeedNetworkError';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly timedOut: boolean,
    /** Always true for writes: the request may have reached Lightspeed before the connection failed. */
    readonly maybeProcessed: boolean,
    options?: { cause?: unknown },
  ) {
    super(`Lightspeed ${method} ${path} ${timedOut ? 'timed out' : 'failed to connect'}`, options);
  }
}

/** A 2xx answer whose body does not match the contract. */
export class LightspeedSchemaError extends LightspeedError {
  override readonly name = 'LightspeedSchemaError';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly issues: readonly { path: readonly PropertyKey[]; message: string }[],
  ) {
    super(`Lightspeed ${method} ${path} returned an unexpected body: ${issues.slice(0, 3).map(formatIssue).join('; ')}`);
  }
}

/** The store's grant is gone (refresh rejected, or no tokens): the merchant must connect again. */
export class LightspeedReconnectRequired extends LightspeedError {
  override readonly name = 'LightspeedReconnectRequired';

  constructor(
    readonly storeId: string,
    readonly reason: string,
  ) {
    super(`Lightspeed connection for store ${storeId} needs to be reconnected: ${reason}`);
  }
}

/** The token endpoint failed for a reason that is not the grant's fault (5xx, 429, network). */
export class LightspeedTokenError extends LightspeedError {
  override readonly name = 'LightspeedTokenError';

  constructor(
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An incoming webhook whose body cannot be read as a Lightspeed webhook. */
export class LightspeedWebhookError extends LightspeedError {
  override readonly name = 'LightspeedWebhookError';
}

function formatIssue(issue: { path: readonly PropertyKey[]; message: string }): string {
  return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
}

function describeBody(body: unknown): string {
  if (body === undefined || body === null || body === '') return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}

/**
 * A chunked write failed part-way. The first `completedItems` input items (whole chunks) were
 * written; the rest were not sent, except the failing chunk itself, whose fate `cause` tells
 * (see its `maybeProcessed`).
 */
export class LightspeedBatchError extends LightspeedError {
  override readonly name = 'LightspeedBatchError';

  constructor(
    readonly completedItems: number,
    readonly totalItems: number,
    options: { cause: unknown },
  ) {
    super(`Lightspeed batch write stopped after ${completedItems} of ${totalItems} items: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
  }
}
