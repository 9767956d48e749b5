/**
 * Walking BigCommerce collections page by page. v3 answers carry `meta.pagination`; v2 answers
 * carry nothing and end with a short page or a 204, so both stop rules are here.
 */
import type { Pagination } from './schemas';

export interface Page<T> {
  data: T[];
  pagination?: Pagination;
}

/** Yields every page from `page` 1 on, until the last one. */
export async function* iteratePages<T>(fetchPage: (page: number) => Promise<Page<T>>, limit: number): AsyncGenerator<T[], void, undefined> {
  for (let page = 1; ; page++) {
    const { data, pagination } = await fetchPage(page);
    if (data.length > 0) yield data;
    const more = pagination ? pagination.current_page < pagination.total_pages : data.length >= limit;
    // An empty page ends the walk even if the totals disagree: never loop forever on a bad meta.
    if (!more || data.length === 0) return;
  }
}

/** Every item of every page, in order. */
export async function collectPages<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}
