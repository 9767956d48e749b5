/**
 * Bursts coalesce (issue 10): a supplier delivery received in Lightspeed reaches BigCommerce as
 * one adjustment request per location (the outlet's and the storefront's default location), not
 * one per line. Over real HTTP against both sandboxes, on PGlite, with 300 lines (up to 2,000 a
 * request is still one: `npm run bench:inventory-burst` runs the 2,000-line delivery).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogFor } from '../../src/db/repositories/catalog';
import { forStore } from '../../src/db/repositories/scoped';
import { lightspeedPoll } from '../../src/jobs/definitions/lightspeed-poll';
import { SETTLE_MS } from '../../src/jobs/definitions/inventory-sync';
import { requestChanges, runStatus } from '../../src/jobs/lifecycle/catalog';
import { createLocationForOutlet, locationsView } from '../../src/jobs/lifecycle/locations';
import { pgliteTarget, type TestDatabase } from '../support/db';
import { bcStock, inventoryOf, openInventoryHarness, type InventoryHarness } from '../support/inventory-harness';
import { waitFor } from '../support/wait';

const LINES = Number(process.env.BURST_LINES ?? 300);
/** Set-up (indexing, enabling and the first publish of every line) grows with the burst; the bench runs 2,000. */
const SETUP_MS = Math.max(180_000, LINES * 600);

describe(`a ${LINES}-line delivery`, () => {
  let t: TestDatabase;
  let h: InventoryHarness;
  let outletId: string;
  let locationId: number;

  beforeAll(async () => {
    t = await pgliteTarget.open();
    h = await openInventoryHarness(t, { hash: 'burst1', products: Math.ceil(LINES * 1.1) + 20 });
    const catalog = catalogFor(t.database.db, h.storeId);
    await waitFor(async () => (await catalog.items.count()) > LINES / 2 || undefined, 'the catalog indexed', SETUP_MS, 500);
    const { runId } = await requestChanges(h.deps, h.queue, h.storeId, { filter: {}, enabled: true }, 'owner@example.com');
    await waitFor(async () => ((await runStatus(h.deps, h.storeId, runId)).state === 'done' ? true : undefined), 'every item linked', SETUP_MS, 500);
    const downtown = (await locationsView(h.deps, h.storeId)).outlets.find((o) => o.name === 'Downtown Store')!;
    outletId = downtown.lsOutletId;
    locationId = (await createLocationForOutlet(h.deps, h.queue, h.storeId, outletId, { latitude: 40.7, longitude: -74 }, 'owner@example.com')).bcLocationId!;
    // The first publish of every variant, then quiet (past the settle time of its writes).
    const r = h.ls.control.state();
    const variants = await inventoryOf(h).linkedVariants();
    await waitFor(() => {
      const stock = bcStock(h);
      return variants.every((v) => stock.get(`${v.bcVariantId}:${locationId}`) === Math.max(0, r.inventory[`${v.lsProductId}:${outletId}`]?.current_inventory_level ?? 0)) || undefined;
    }, 'the first publish done', SETUP_MS, 500);
    await waitFor(async () => {
      const dirty = await inventoryOf(h).dirty.count();
      return dirty.due + dirty.waiting === 0 || undefined;
    }, 'nothing left to publish', 60_000, 500);
    // Past the settle time of the last write, a new change is read at once.
    const lastWrite = Math.max(...(await inventoryOf(h).ledger.rows(variants.map((v) => v.bcVariantId))).map((l) => l.publishedAt?.getTime() ?? 0));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastWrite + SETTLE_MS + 100 - Date.now())));
  }, SETUP_MS * 4);

  afterAll(async () => {
    await h?.close();
    await t?.cleanup();
  });

  it('becomes one adjustment request per location', async () => {
    const variants = (await inventoryOf(h).linkedVariants()).slice(0, LINES);
    expect(variants).toHaveLength(LINES);
    const since = new Date();
    const started = performance.now();
    h.ls.control.receiveConsignment(undefined, { outlet_id: outletId, name: 'Spring delivery', lines: variants.map((v) => ({ product_id: v.lsProductId, quantity: 3 })) });
    const r = h.ls.control.state();
    await h.queue.send(lightspeedPoll, { storeId: h.storeId, resource: 'inventory' });
    await waitFor(() => {
      const stock = bcStock(h);
      return variants.every((v) => stock.get(`${v.bcVariantId}:${locationId}`) === Math.max(0, r.inventory[`${v.lsProductId}:${outletId}`]!.current_inventory_level)) || undefined;
    }, 'the delivery published', 120_000, 500);
    const publishedMs = Math.round(performance.now() - started);
    const calls = await waitFor(async () => {
      const rows = (await forStore(t.database.db, h.deps.secrets, h.storeId).apiUsage.summary(since)).filter((c) => c.endpoint.startsWith('/v3/inventory/adjustments'));
      return rows.reduce((s, c) => s + c.calls, 0) >= 2 ? rows : undefined;
    }, 'the writes recorded', 10_000, 100);
    const writes = calls.reduce((s, c) => s + c.calls, 0);
    // One relative adjustment of every line at the outlet's location, one at the default location.
    expect(writes).toBe(2);
    expect(calls.every((c) => c.method === 'POST' && c.endpoint === '/v3/inventory/adjustments/relative')).toBe(true);
    const reads = (await forStore(t.database.db, h.deps.secrets, h.storeId).apiUsage.summary(since)).find((c) => c.endpoint === '/v3/inventory/items')?.calls ?? 0;
    expect(reads).toBeLessThanOrEqual(Math.ceil(LINES / 250) * 2); // variants read 250 at a time (and a settle re-read)
    console.log(`burst: ${LINES} lines → ${writes} BigCommerce write requests, ${reads} inventory reads; received → every line published in ${publishedMs} ms (poll in the loop, settle ${SETTLE_MS} ms)`);
  }, SETUP_MS);
});
