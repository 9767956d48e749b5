import { describe, expect, it } from 'vitest';
import { committedAt, committedByOutlet, decrementLocation, unroutedByLocation } from './commitments';
import { breakdown, desiredLevels, reservedUnits, shortfallOf, type OutletStock, type StockMode } from './levels';

const outlet = (over: Partial<OutletStock> & { outletId: string; locationId: number | null }): OutletStock => ({
  publishes: true,
  onHand: 10,
  committed: 0,
  reserve: null,
  ...over,
});

const byLocation = (levels: ReturnType<typeof desiredLevels>) => Object.fromEntries(levels.map((l) => [l.locationId, l.quantity]));

describe('walk-in reserve', () => {
  it('holds back whole units, or a share rounded up so the published part rounds down', () => {
    expect(reservedUnits(10, { kind: 'units', value: 3 })).toBe(3);
    expect(reservedUnits(10, { kind: 'percent', value: 25 })).toBe(3); // 2.5 → 3
    expect(reservedUnits(3, { kind: 'percent', value: 10 })).toBe(1); // 0.3 → 1
    expect(reservedUnits(0, { kind: 'units', value: 3 })).toBe(0);
    expect(reservedUnits(-2, { kind: 'percent', value: 50 })).toBe(0);
    expect(reservedUnits(4, { kind: 'percent', value: 150 })).toBe(4);
    expect(reservedUnits(5, null)).toBe(0);
  });

  it('available = max(0, on hand − committed − reserved)', () => {
    expect(breakdown(outlet({ outletId: 'a', locationId: 2, onHand: 16, committed: 3, reserve: { kind: 'units', value: 2 } }))).toEqual({
      outletId: 'a',
      onHand: 16,
      committed: 3,
      reserved: 2,
      available: 11,
    });
    expect(breakdown(outlet({ outletId: 'a', locationId: 2, onHand: 2, committed: 5 })).available).toBe(0);
    expect(breakdown(outlet({ outletId: 'a', locationId: 2, onHand: -4 })).available).toBe(0);
  });
});

describe('desired levels per location', () => {
  const outlets = [
    outlet({ outletId: 'main', locationId: 2, onHand: 16 }),
    outlet({ outletId: 'uptown', locationId: 3, onHand: 4, reserve: { kind: 'units', value: 1 } }),
    outlet({ outletId: 'warehouse', locationId: 4, onHand: 34, committed: 4 }),
    outlet({ outletId: 'popup', locationId: null, onHand: 50 }),
  ];

  it('default-location mode: the default location carries the online total; each outlet its own stock for pickup; unmapped outlets feed nothing', () => {
    const levels = desiredLevels({ mode: 'default-location', defaultLocationId: 1, outlets, unrouted: new Map() });
    expect(byLocation(levels)).toEqual({ 1: 16 + 3 + 30, 2: 16, 3: 3, 4: 30 });
    expect(levels.find((l) => l.locationId === 1)!.outlets.map((o) => o.outletId)).toEqual(['main', 'uptown', 'warehouse']);
  });

  it('aggregated mode: each location its own outlets, nothing counted twice, the default location untouched unless mapped', () => {
    const levels = desiredLevels({ mode: 'aggregated', defaultLocationId: 1, outlets, unrouted: new Map() });
    expect(byLocation(levels)).toEqual({ 2: 16, 3: 3, 4: 30 });
    const total = levels.reduce((s, l) => s + l.quantity, 0);
    expect(total).toBe(49);
  });

  it('an outlet that does not publish online feeds nothing and its location holds 0', () => {
    const levels = desiredLevels({ mode: 'default-location', defaultLocationId: 1, outlets: [outlet({ outletId: 'a', locationId: 2, onHand: 9, publishes: false }), outlet({ outletId: 'b', locationId: 3, onHand: 5 })], unrouted: new Map() });
    expect(byLocation(levels)).toEqual({ 1: 5, 2: 0, 3: 5 });
  });

  it('two outlets on one location add up; an outlet mapped to the default location feeds only the total in default-location mode', () => {
    const two = [outlet({ outletId: 'store', locationId: 2, onHand: 5 }), outlet({ outletId: 'backroom', locationId: 2, onHand: 7 }), outlet({ outletId: 'flagship', locationId: 1, onHand: 3 })];
    expect(byLocation(desiredLevels({ mode: 'default-location', defaultLocationId: 1, outlets: two, unrouted: new Map() }))).toEqual({ 1: 15, 2: 12 });
    expect(byLocation(desiredLevels({ mode: 'aggregated', defaultLocationId: 1, outlets: two, unrouted: new Map() }))).toEqual({ 1: 3, 2: 12 });
  });

  it('unrouted orders come off the total (default-location) or the location they were taken from, else the fullest first (aggregated)', () => {
    const two = [outlet({ outletId: 'a', locationId: 2, onHand: 5 }), outlet({ outletId: 'b', locationId: 3, onHand: 8 })];
    expect(byLocation(desiredLevels({ mode: 'default-location', defaultLocationId: 1, outlets: two, unrouted: new Map([[1, 4]]) }))).toEqual({ 1: 9, 2: 5, 3: 8 });
    expect(byLocation(desiredLevels({ mode: 'aggregated', defaultLocationId: 1, outlets: two, unrouted: new Map([[2, 2]]) }))).toEqual({ 2: 3, 3: 8 });
    expect(byLocation(desiredLevels({ mode: 'aggregated', defaultLocationId: 1, outlets: two, unrouted: new Map([[null, 10]]) }))).toEqual({ 2: 3, 3: 0 });
    // More than a location holds: the rest comes off the others.
    expect(byLocation(desiredLevels({ mode: 'aggregated', defaultLocationId: 1, outlets: two, unrouted: new Map([[2, 7]]) }))).toEqual({ 2: 0, 3: 6 });
    // More than everything: all at zero, never negative.
    expect(byLocation(desiredLevels({ mode: 'aggregated', defaultLocationId: 1, outlets: two, unrouted: new Map([[null, 99]]) }))).toEqual({ 2: 0, 3: 0 });
  });

  it("what an outlet cannot fill of its commitments (beyond its on-hand less its reserve) comes off the rest of the online stock", () => {
    // A pickup routed to an outlet that ran short: 2 on hand, 1 reserved for walk-ins, 4 committed.
    const short = outlet({ outletId: 'uptown', locationId: 4, onHand: 2, committed: 4, reserve: { kind: 'units', value: 1 } });
    expect(shortfallOf(breakdown(short))).toBe(3);
    expect(shortfallOf(breakdown(outlet({ outletId: 'x', locationId: 4, onHand: -2, committed: 1 })))).toBe(1);
    expect(shortfallOf(breakdown(outlet({ outletId: 'x', locationId: 4, onHand: 0, committed: 0, reserve: { kind: 'units', value: 2 } })))).toBe(0);
    const others = [outlet({ outletId: 'main', locationId: 2, onHand: 5 }), outlet({ outletId: 'east', locationId: 3, onHand: 1 })];
    const dl = desiredLevels({ mode: 'default-location', defaultLocationId: 1, outlets: [...others, short], unrouted: new Map() });
    expect(byLocation(dl)).toEqual({ 1: 3, 2: 5, 3: 1, 4: 0 });
    expect(dl.find((l) => l.locationId === 1)?.shortfall).toBe(3);
    const ag = desiredLevels({ mode: 'aggregated', defaultLocationId: 1, outlets: [...others, short], unrouted: new Map() });
    expect(byLocation(ag)).toEqual({ 2: 2, 3: 1, 4: 0 });
    expect(ag.find((l) => l.locationId === 2)?.shortfall).toBe(3);
  });

  it('routing an order moves where its units are counted, never how many (seeded: 2,000 stores of stock)', () => {
    let a = 20261207;
    const r = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    for (let seed = 0; seed < 2000; seed++) {
      const mode: StockMode = seed % 2 === 0 ? 'default-location' : 'aggregated';
      const outlets = [2, 3, 4].map((locationId, i) => outlet({ outletId: `o${i}`, locationId, onHand: int(-1, 6), committed: int(0, 3), publishes: r() < 0.85, reserve: r() < 0.4 ? { kind: 'units', value: int(0, 2) } : null }));
      const at = int(0, 2);
      const qty = int(1, 4);
      const pickup = r() < 0.5;
      // Not routed yet: taken from the pickup's location (or the default location / unknown when shipped).
      const from = pickup ? outlets[at]!.locationId : mode === 'default-location' ? 1 : null;
      const before = desiredLevels({ mode, defaultLocationId: 1, outlets, unrouted: new Map([[from, qty]]) });
      const routed = outlets.map((o, i) => (i === at ? { ...o, committed: o.committed + qty } : o));
      const after = desiredLevels({ mode, defaultLocationId: 1, outlets: routed, unrouted: new Map() });
      const total = (levels: typeof before): number => (mode === 'default-location' ? (byLocation(levels)[1] ?? 0) : levels.reduce((n, l) => n + l.quantity, 0));
      const say = `seed ${seed} (${mode}): ${JSON.stringify(outlets)} ${qty} at ${at}${pickup ? ' (pickup)' : ''}`;
      // Only a publishing outlet's units were counted online: routed to one that does not publish,
      // the order is served from stock never offered, and what it holds back is its shortfall only.
      if (outlets[at]!.publishes) expect(total(after), say).toBe(total(before));
      else expect(total(after), say).toBeGreaterThanOrEqual(total(before));
      if (pickup && outlets[at]!.publishes) expect(byLocation(after)[outlets[at]!.locationId!] ?? 0, say).toBeLessThanOrEqual(byLocation(before)[outlets[at]!.locationId!] ?? 0);
    }
  });

  it('a location the app managed that no outlet feeds any more is held at 0', () => {
    expect(byLocation(desiredLevels({ mode: 'aggregated', defaultLocationId: 1, outlets: [outlet({ outletId: 'a', locationId: 2 })], unrouted: new Map(), retiredLocationIds: [5] }))).toEqual({ 2: 10, 5: 0 });
  });
});

describe('the in-flight ledger', () => {
  const lines = [
    { lsProductId: 'v1', quantity: 2, outletId: 'a', bcLocationId: 1 },
    { lsProductId: 'v1', quantity: 1, outletId: 'a', bcLocationId: 2 },
    { lsProductId: 'v1', quantity: 3, outletId: null, bcLocationId: 1 },
    { lsProductId: 'v1', quantity: 4, outletId: null, bcLocationId: null },
    { lsProductId: 'v2', quantity: 5, outletId: 'b', bcLocationId: null },
  ];

  it('counts routed units per (variant, outlet) and unrouted units per location of origin', () => {
    const byOutlet = committedByOutlet(lines);
    expect(committedAt(byOutlet, 'v1', 'a')).toBe(3);
    expect(committedAt(byOutlet, 'v2', 'b')).toBe(5);
    expect(committedAt(byOutlet, 'v2', 'a')).toBe(0);
    expect(unroutedByLocation(lines, 'v1')).toEqual(new Map([[1, 3], [null, 4]]));
    expect(unroutedByLocation(lines, 'v2')).toEqual(new Map());
  });

  it('knows where BigCommerce took an order from: the pickup location, the default location, or (aggregated) not', () => {
    expect(decrementLocation({ pickupLocationId: 3 }, 'aggregated', 1)).toBe(3);
    expect(decrementLocation({ pickupLocationId: null }, 'default-location', 1)).toBe(1);
    expect(decrementLocation({ pickupLocationId: null }, 'aggregated', 1)).toBeNull();
  });
});
