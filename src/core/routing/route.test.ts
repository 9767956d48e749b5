import { describe, expect, it } from 'vitest';
import { compareOutlets, routeOrder, type RoutingOutlet } from './route';

const outlet = (over: Partial<RoutingOutlet> & { outletId: string }): RoutingOutlet => ({
  name: over.outletId,
  locationId: null,
  fulfils: true,
  rank: 100,
  capacity: null,
  ordersToday: 0,
  available: new Map(),
  distanceKm: null,
  sameRegion: false,
  sameCountry: true,
  ...over,
});
const stock = (entries: Record<string, number>) => new Map(Object.entries(entries));
const line = (lineId: number, lsProductId: string, quantity: number) => ({ lineId, lsProductId, quantity });

describe('routing an online order', () => {
  it('a pickup order goes to the outlet of its pickup location, stock or not (a short one is flagged)', () => {
    const outlets = [outlet({ outletId: 'a', locationId: 2, available: stock({ p: 5 }), distanceKm: 1 }), outlet({ outletId: 'b', locationId: 3, available: stock({ p: 0 }) })];
    const ok = routeOrder({ lines: [line(1, 'p', 2)], pickupLocationId: 3, outlets, backorderOutletId: null });
    expect(ok).toMatchObject({ kind: 'pickup', flagged: true, allocations: [{ outletId: 'b', lines: [{ lineId: 1, quantity: 2 }] }] });
    expect(ok.summary).toBe('Pickup at b, which is 2 unit(s) short');
    expect(routeOrder({ lines: [line(1, 'p', 2)], pickupLocationId: 2, outlets, backorderOutletId: null })).toMatchObject({ kind: 'pickup', flagged: false, allocations: [{ outletId: 'a' }] });
  });

  it('a pickup location that two outlets share goes to the one that can fill it; one no outlet maps is unroutable and says how to fix it', () => {
    const outlets = [outlet({ outletId: 'store', locationId: 2, available: stock({ p: 1 }), rank: 1 }), outlet({ outletId: 'backroom', locationId: 2, available: stock({ p: 9 }), rank: 2 })];
    expect(routeOrder({ lines: [line(1, 'p', 3)], pickupLocationId: 2, outlets, backorderOutletId: null }).allocations[0]?.outletId).toBe('backroom');
    const none = routeOrder({ lines: [line(1, 'p', 3)], pickupLocationId: 7, outlets, backorderOutletId: null });
    expect(none).toMatchObject({ kind: 'unroutable', flagged: true, allocations: [] });
    expect(none.summary).toMatch(/map one on the Locations page/);
  });

  it('prefers one outlet that fills the whole order over a nearer one that cannot', () => {
    const outlets = [outlet({ outletId: 'near', available: stock({ p: 1, q: 1 }), distanceKm: 2 }), outlet({ outletId: 'far', available: stock({ p: 2, q: 1 }), distanceKm: 300 })];
    const d = routeOrder({ lines: [line(1, 'p', 2), line(2, 'q', 1)], pickupLocationId: null, outlets, backorderOutletId: null });
    expect(d).toMatchObject({ kind: 'single', flagged: false, allocations: [{ outletId: 'far', lines: [{ lineId: 1, quantity: 2 }, { lineId: 2, quantity: 1 }] }] });
  });

  it('among outlets that can fill it: the nearest, then the merchant rank', () => {
    const outlets = [outlet({ outletId: 'x', available: stock({ p: 5 }), distanceKm: 12, rank: 1 }), outlet({ outletId: 'y', available: stock({ p: 5 }), distanceKm: 4.2, rank: 9 })];
    expect(routeOrder({ lines: [line(1, 'p', 1)], pickupLocationId: null, outlets, backorderOutletId: null }).allocations[0]?.outletId).toBe('y');
    const tied = [outlet({ outletId: 'x', available: stock({ p: 5 }), distanceKm: 4.2, rank: 3 }), outlet({ outletId: 'y', available: stock({ p: 5 }), distanceKm: 4.2, rank: 1 })];
    expect(routeOrder({ lines: [line(1, 'p', 1)], pickupLocationId: null, outlets: tied, backorderOutletId: null }).allocations[0]?.outletId).toBe('y');
  });

  it('without a measurable distance: same region before same country before elsewhere; equal everything falls to the outlet id', () => {
    const a = outlet({ outletId: 'a', sameCountry: false });
    const b = outlet({ outletId: 'b', sameCountry: true });
    const c = outlet({ outletId: 'c', sameRegion: true });
    const d = outlet({ outletId: 'd', distanceKm: 900 });
    expect([a, b, c, d].sort(compareOutlets).map((o) => o.outletId)).toEqual(['d', 'c', 'b', 'a']);
    expect([outlet({ outletId: 'n2' }), outlet({ outletId: 'n1' })].sort(compareOutlets).map((o) => o.outletId)).toEqual(['n1', 'n2']);
  });

  it('skips outlets that do not fulfil online orders or are at capacity today, and says so', () => {
    const outlets = [
      outlet({ outletId: 'closed', fulfils: false, available: stock({ p: 9 }), distanceKm: 1 }),
      outlet({ outletId: 'busy', capacity: 40, ordersToday: 40, available: stock({ p: 9 }), distanceKm: 2 }),
      outlet({ outletId: 'open', capacity: 40, ordersToday: 12, available: stock({ p: 3 }), distanceKm: 4.2 }),
    ];
    const d = routeOrder({ lines: [line(1, 'p', 3)], pickupLocationId: null, outlets, backorderOutletId: null });
    expect(d.allocations[0]?.outletId).toBe('open');
    expect(d.reasons).toEqual(['closed: does not fulfil online orders', 'busy: at capacity (40 of 40 today)', 'open: 3 of 3 in stock, 4.2 km, 12 of 40 today']);
  });

  it('splits across the fewest outlets, not the nearest ones first', () => {
    const outlets = [
      outlet({ outletId: 'n1', available: stock({ p: 1 }), distanceKm: 1 }),
      outlet({ outletId: 'n2', available: stock({ q: 1 }), distanceKm: 2 }),
      outlet({ outletId: 'n3', available: stock({ r: 1 }), distanceKm: 3 }),
      outlet({ outletId: 'far', available: stock({ p: 1, q: 1 }), distanceKm: 50 }),
    ];
    const d = routeOrder({ lines: [line(1, 'p', 1), line(2, 'q', 1), line(3, 'r', 1)], pickupLocationId: null, outlets, backorderOutletId: null });
    expect(d.kind).toBe('split');
    expect(d.allocations.map((a) => a.outletId).sort()).toEqual(['far', 'n3']);
    const units = d.allocations.flatMap((a) => a.lines).reduce((s, l) => s + l.quantity, 0);
    expect(units).toBe(3);
  });

  it('a line split inside itself: units from two outlets when neither has enough', () => {
    const outlets = [outlet({ outletId: 'a', available: stock({ p: 2 }), distanceKm: 1 }), outlet({ outletId: 'b', available: stock({ p: 2 }), distanceKm: 5 })];
    const d = routeOrder({ lines: [line(1, 'p', 3)], pickupLocationId: null, outlets, backorderOutletId: null });
    expect(d.allocations).toEqual([
      { outletId: 'a', lines: [{ lineId: 1, lsProductId: 'p', quantity: 2 }], backorder: false },
      { outletId: 'b', lines: [{ lineId: 1, lsProductId: 'p', quantity: 1 }], backorder: false },
    ]);
  });

  it('what nobody has goes to the backorder outlet and the order is flagged; without one it is unroutable and says what to set', () => {
    const outlets = [outlet({ outletId: 'a', available: stock({ p: 1 }), distanceKm: 1 }), outlet({ outletId: 'wh', name: 'Warehouse', fulfils: false })];
    const d = routeOrder({ lines: [line(1, 'p', 3), line(2, 'q', 1)], pickupLocationId: null, outlets, backorderOutletId: 'wh' });
    expect(d).toMatchObject({ kind: 'backorder', flagged: true });
    expect(d.allocations).toEqual([
      { outletId: 'a', lines: [{ lineId: 1, lsProductId: 'p', quantity: 1 }], backorder: false },
      { outletId: 'wh', lines: [{ lineId: 1, lsProductId: 'p', quantity: 2 }, { lineId: 2, lsProductId: 'q', quantity: 1 }], backorder: true },
    ]);
    expect(d.summary).toBe('3 unit(s) in stock nowhere: sent to Warehouse to order in');
    const none = routeOrder({ lines: [line(1, 'q', 1)], pickupLocationId: null, outlets, backorderOutletId: null });
    expect(none).toMatchObject({ kind: 'unroutable', flagged: true });
    expect(none.summary).toMatch(/choose one in the routing settings/);
  });
});
