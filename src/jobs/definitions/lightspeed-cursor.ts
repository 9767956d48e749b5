/**
 * Reading Lightspeed by its `version` cursor: page after the stored cursor, keep every newer
 * entity, move the cursor forward only after a page is stored. The safety-net poll and the
 * reconciliation sweep both read this way.
 */
import { forStore } from '../../db/repositories/scoped';
import type { lightspeedResources } from '../../db/schema';
import { lightspeedClientFor } from '../clients';
import type { JobDeps } from '../deps';

/** Cursor pages processed per job run; a larger backlog continues in the next run. */
const MAX_PAGES_PER_RUN = 50;

export interface PollResult {
  seen: number;
  accepted: number;
  /** Ids of the entities stored because they were newer. */
  acceptedIds: string[];
  /** For inventory: the products whose stock changed (the engine's dirty keys). */
  productIds: string[];
  cursor: number;
  more: boolean;
}

export async function pollResource(deps: JobDeps, storeId: string, resource: (typeof lightspeedResources)[number]): Promise<PollResult> {
  const scope = forStore(deps.database.db, deps.secrets, storeId);
  const client = await lightspeedClientFor(deps, storeId);
  let cursor = await scope.lightspeed.cursor(resource);
  let seen = 0;
  let accepted = 0;
  const kind = resource === 'products' ? 'product' : resource === 'inventory' ? 'inventory' : 'sale';
  const acceptedIds: string[] = [];
  const productIds = new Set<string>();
  for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
    const result: { items: { id: string; version: number | null }[]; nextAfter: number | null } =
      resource === 'products'
        ? await client.products.list({ after: cursor, deleted: true })
        : resource === 'inventory'
          ? await client.inventory.list({ after: cursor, includeDeleted: true })
          : await client.sales.list({ after: cursor });
    if (result.items.length === 0 || result.nextAfter === null) {
      await scope.lightspeed.advanceCursor(resource, cursor); // records the check, moves nothing back
      return { seen, accepted, acceptedIds, productIds: [...productIds], cursor, more: false };
    }
    seen += result.items.length;
    const versioned = result.items.flatMap((item) => (item.version !== null ? [{ entityId: item.id, version: item.version, state: { ...item } }] : []));
    const stored = await scope.lightspeed.acceptVersions(kind, versioned);
    for (const item of result.items) {
      if (!stored.delete(item.id)) continue; // once per stored id
      accepted++;
      acceptedIds.push(item.id);
      if ('productId' in item && typeof item.productId === 'string') productIds.add(item.productId);
    }
    // Only after the page is stored: a crash mid-page replays it, which is harmless.
    await scope.lightspeed.advanceCursor(resource, result.nextAfter);
    cursor = result.nextAfter;
  }
  return { seen, accepted, acceptedIds, productIds: [...productIds], cursor, more: true };
}
