/**
 * Version-cursor paging (x-series-api docs, "Pagination", API 2.0+): every record carries a
 * global, monotonically increasing `version`; a page is requested with `after=<cursor>` and the
 * next cursor is the highest version seen. An empty page is the end. The same cursor, stored
 * per resource, is the incremental-sync position.
 */
import type { Page } from './types';

export type PageFetcher<T> = (after: number | undefined) => Promise<Page<T>>;

/** Every item after `after`, page by page, lazily. */
export async function* iteratePages<T>(fetchPage: PageFetcher<T>, after?: number): AsyncGenerator<T, void, undefined> {
  let cursor = after;
  for (;;) {
    const page = await fetchPage(cursor);
    for (const item of page.items) yield item;
    // A cursor that does not advance would loop forever on a misbehaving server.
    if (page.items.length === 0 || page.nextAfter === null || (cursor !== undefined && page.nextAfter <= cursor)) return;
    cursor = page.nextAfter;
  }
}

export async function collectAll<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}

/** The next cursor of a page whose envelope carries no `version.max` (bare-array endpoints). */
export function maxVersion(items: readonly { version: number }[]): number | null {
  let max: number | null = null;
  for (const item of items) if (max === null || item.version > max) max = item.version;
  return max;
}
