/**
 * The order poll, the safety net for BigCommerce's order webhooks: an order changed with no
 * webhook delivered (a cancellation here) is taken in by the next poll, while orders whose
 * listing still says what their last complete intake read are not read again; a repeated
 * webhook for an unchanged order costs one read of the order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersFor } from '../../src/db/repositories/orders';
import { pollOrders } from '../../src/jobs/definitions/order-intake';
import { lightspeedClientFor } from '../../src/jobs/clients';
import { createLocationForOutlet, locationsView } from '../../src/jobs/lifecycle/locations';
import { intakeOrder } from '../../src/jobs/orders/engine';
import { forStore } from '../../src/db/repositories/scoped';
import type { LinkedVariant } from '../../src/db/repositories/inventory';
import { databaseTargets, type TestDatabase } from '../support/db';
import { enableItems, inventoryOf, openInventoryHarness, type InventoryHarness } from '../support/inventory-harness';

describe.each(databaseTargets())('the order poll on $name', (target) => {
  let t: TestDatabase;
  let h: InventoryHarness;
  let v: LinkedVariant;
  /** BigCommerce requests the app made, by path. */
  const requests: string[] = [];
  /** Told of each order listing the sandbox answers, while set (a test acting between two pages). */
  let onListing: ((url: URL) => void) | undefined;

  beforeAll(async () => {
    t = await target.open();
    h = await openInventoryHarness(t, { hash: 'poll1', tap: {
        bigcommerce: (req) => {
          const url = new URL(req.url);
          requests.push(`${req.method} ${url.pathname.replace(/^.*\/stores\/[^/]+/, '')}`);
          if (req.method === 'GET' && url.pathname.endsWith('/v2/orders')) onListing?.(url);
        },
      },
    });
    await enableItems(h, 1);
    v = (await inventoryOf(h).linkedVariants())[0]!;
    for (const o of (await locationsView(h.deps, h.storeId)).outlets) await createLocationForOutlet(h.deps, h.queue, h.storeId, o.lsOutletId, { latitude: 40.7, longitude: -74 }, 'owner@example.com');
    const outlet = (await locationsView(h.deps, h.storeId)).outlets[0]!.lsOutletId;
    h.ls.control.setInventoryLevel(undefined, { product_id: v.lsProductId, outlet_id: outlet, level: 10 });
    const ls = await lightspeedClientFor(h.deps, h.storeId);
    for (const r of await ls.inventory.forProduct(v.lsProductId)) await forStore(t.database.db, h.deps.secrets, h.storeId).lightspeed.acceptVersion('inventory', r.id, r.version, { ...r });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    await t?.cleanup();
  });

  it('takes in an order changed without a webhook, and reads no order whose listing has not changed since its intake (a repeated webhook: the order alone)', async () => {
    const address = { first_name: 'Ada', last_name: 'Shopper', street_1: '1 Wall St', city: 'New York', state: 'New York', zip: '10005', country: 'United States', country_iso2: 'US' };
    const place = () =>
      h.bcSandbox.control.placeOrder(h.hash, { status_id: 11, billing_address: address, shipping_addresses: [address], products: [{ product_id: v.bcProductId, ...(v.trackedBy === 'variant' ? { variant_id: v.bcVariantId } : {}), quantity: 1 }] }, { allowOversell: true });
    const [a, b] = [place(), place()];
    // The harness's webhooks reach no app: each order is taken in as its webhook's job would.
    expect((await intakeOrder(h.ctx, h.storeId, a.id)).state).toBe('booked');
    expect((await intakeOrder(h.ctx, h.storeId, b.id)).state).toBe('booked');
    const reads = (id: number) => requests.filter((r) => r.startsWith(`GET /v2/orders/${id}`)).length;

    // A repeated webhook for an order that has not changed: the order is read, nothing more.
    requests.length = 0;
    expect((await intakeOrder(h.ctx, h.storeId, a.id)).state).toBe('booked');
    expect(requests.filter((r) => r.includes(`/v2/orders/${a.id}`))).toEqual([`GET /v2/orders/${a.id}`]);

    requests.length = 0;
    expect(await pollOrders(h.ctx, h.storeId)).toBeGreaterThanOrEqual(2); // both listed...
    expect([reads(a.id), reads(b.id)]).toEqual([0, 0]); // ...neither read again

    // Cancelled in BigCommerce; the webhook never arrives. The poll finds it and voids the sale.
    h.bcSandbox.control.setOrderStatus(h.hash, b.id, 5);
    requests.length = 0;
    await pollOrders(h.ctx, h.storeId);
    expect(reads(a.id)).toBe(0);
    expect(reads(b.id)).toBeGreaterThan(0);
    expect((await ordersFor(t.database.db, h.storeId).orders.get(b.id))?.state).toBe('cancelled');
    expect(Object.values(h.ls.control.state().sales).filter((s) => s.source.id === String(b.id)).map((s) => s.status)).toEqual(['VOIDED']);

    // An order whose last intake failed is read again by every poll until one completes.
    await ordersFor(t.database.db, h.storeId).orders.update(a.id, { state: 'error' });
    requests.length = 0;
    await pollOrders(h.ctx, h.storeId);
    expect(reads(a.id)).toBeGreaterThan(0);
    expect((await ordersFor(t.database.db, h.storeId).orders.get(a.id))?.state).toBe('booked');
  });
  it('reads every order modified since its last run when orders change while it pages (BigCommerce pages by offset; found by the simulation at 125 scenarios per store)', async () => {
    const address = { first_name: 'Ada', last_name: 'Shopper', street_1: '1 Wall St', city: 'New York', state: 'New York', zip: '10005', country: 'United States', country_iso2: 'US' };
    // More than one page (250) of orders, not paid yet (taken in, not booked).
    const placed = Array.from({ length: 260 }, () =>
      h.bcSandbox.control.placeOrder(h.hash, { status_id: 1, billing_address: address, shipping_addresses: [address], products: [{ product_id: v.bcProductId, ...(v.trackedBy === 'variant' ? { variant_id: v.bcVariantId } : {}), quantity: 1 }] }, { allowOversell: true }),
    );
    await new Promise((r) => setTimeout(r, 1_100)); // a change now sorts after every one of them
    // After the first listing, an order of the first page changes (paid): it moves to the end of
    // the list, and each later order one place back.
    let moved = false;
    onListing = () => {
      if (moved) return;
      moved = true;
      h.bcSandbox.control.setOrderStatus(h.hash, placed[0]!.id, 11);
    };
    try {
      await pollOrders(h.ctx, h.storeId);
    } finally {
      onListing = undefined;
    }
    expect(moved).toBe(true);
    const repo = ordersFor(t.database.db, h.storeId);
    const missing: number[] = [];
    for (const o of placed) if (!(await repo.orders.get(o.id))) missing.push(o.id);
    expect(missing).toEqual([]);
    expect((await repo.orders.get(placed[0]!.id))?.state).toBe('booked');
  }, 120_000);
});
