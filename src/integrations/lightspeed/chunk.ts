/**
 * Splits a batch at an endpoint's documented limit: the fewest requests possible
 * (⌈n / limit⌉), sizes as even as possible so no request is a tiny remainder.
 */
export function chunk<T>(items: readonly T[], limit: number): T[][] {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`chunk limit must be a positive integer, got ${limit}`);
  if (items.length === 0) return [];
  const count = Math.ceil(items.length / limit);
  const base = Math.floor(items.length / count);
  const extra = items.length % count;
  const chunks: T[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = base + (i < extra ? 1 : 0);
    chunks.push(items.slice(start, start + size));
    start += size;
  }
  return chunks;
}
