/** Small helpers shared by the endpoint modules. */
import { z } from 'zod';
import { LightspeedApiError } from '../errors';
import type { LightspeedTransport } from '../http';
import { collection } from '../schemas';
import type { Page } from '../types';

export interface VersionPageOptions {
  after?: number;
  /** Items per page; Lightspeed's documented default is used when omitted. */
  pageSize?: number;
  /** Include deleted records (to see deletions during incremental sync). */
  deleted?: boolean;
}

/** One page of a `GET` list with `after`/`page_size` and a `{data, version}` envelope. */
export async function getVersionPage<T>(
  transport: LightspeedTransport,
  path: string,
  item: z.ZodType<T>,
  options: VersionPageOptions & { query?: Record<string, string | boolean | undefined> } = {},
): Promise<Page<T>> {
  const { data } = await transport.request({
    method: 'GET',
    path,
    query: { after: options.after, page_size: options.pageSize, deleted: options.deleted, ...options.query },
    schema: collection(item),
  });
  return { items: data.items, nextAfter: data.items.length === 0 ? null : data.max };
}

/** Turns a 404 into `null`, for `get` methods where absence is an answer, not a failure. */
export async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof LightspeedApiError && error.status === 404) return null;
    throw error;
  }
}

/** A body the client ignores (e.g. DELETE's 200). */
export const anyBody = z.unknown();
