/** The store-scoped catalog repository: indexing from stored Lightspeed states, search, filters, facets, choices, runs, isolation. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildItems, type SourceProduct } from '../../src/core/catalog/items';
import { SecretBox } from '../../src/db/crypto';
import { catalogFor } from '../../src/db/repositories/catalog';
import { forStore } from '../../src/db/repositories/scoped';
import { storesRepository } from '../../src/db/repositories/stores';
import { databaseTargets, type TestDatabase } from '../support/db';

const product = (over: Partial<SourceProduct> & { id: string; name: string; sku: string }): SourceProduct => ({
  active: true,
  tracksInventory: true,
  hasVariants: false,
  familyId: over.id,
  variantParentId: null,
  variantName: null,
  variantOptions: [],
  priceExcludingTax: 10,
  supplyPrice: 4,
  productCodes: [],
  brand: null,
  productType: null,
  tags: [],
  deletedAt: null,
  version: 1,
  ...over,
});

const catalog = (): SourceProduct[] => [
  product({ id: 'tee', name: 'Classic Tee', sku: 'ST-1', hasVariants: true, brand: 'Northwind', productType: 'Tops', tags: ['Summer', 'Cotton'], version: 5 }),
  product({ id: 'tee-s', name: 'Classic Tee / S', sku: 'ST-1-S', familyId: 'tee', variantParentId: 'tee', variantName: 'S', variantOptions: [{ name: 'Size', value: 'S' }], productCodes: [{ type: 'UPC', code: '041234567890' }], brand: 'Northwind', productType: 'Tops', tags: ['Summer', 'Cotton'], version: 6 }),
  product({ id: 'tee-m', name: 'Classic Tee / M', sku: 'ST-1-M', familyId: 'tee', variantParentId: 'tee', variantName: 'M', variantOptions: [{ name: 'Size', value: 'M' }], brand: 'Northwind', productType: 'Tops', tags: ['Summer', 'Cotton'], version: 7 }),
  product({ id: 'mug', name: 'Stoneware Mug', sku: 'MUG-1', brand: 'Acme', productType: 'Kitchen', tags: ['Gifts'], productCodes: [{ type: 'EAN', code: '2001234567893' }] }),
  product({ id: 'old', name: 'Old Cap', sku: 'CAP-9', active: false, brand: 'Acme', productType: 'Hats' }),
];

describe.each(databaseTargets())('catalog repository on $name', (target) => {
  let t: TestDatabase;
  const secrets = new SecretBox(randomBytes(32).toString('hex'));

  beforeAll(async () => {
    t = await target.open();
  });
  afterAll(async () => t?.cleanup());

  const twoStores = async () => {
    const repo = storesRepository(t.database.db);
    const a = await repo.upsertInstalled({ storeHash: `a${randomBytes(4).toString('hex')}` });
    const b = await repo.upsertInstalled({ storeHash: `b${randomBytes(4).toString('hex')}` });
    return { a: catalogFor(t.database.db, a.id), b: catalogFor(t.database.db, b.id), ids: { a: a.id, b: b.id } };
  };

  it('indexes stored Lightspeed products into items by keyset, grouping families', async () => {
    const { a, ids } = await twoStores();
    const scope = forStore(t.database.db, secrets, ids.a);
    for (const p of catalog()) await scope.lightspeed.acceptVersion('product', p.id, p.version, { ...p });
    const keys1 = await a.sources.itemKeys({ limit: 2 });
    const keys2 = await a.sources.itemKeys({ after: keys1.at(-1)!, limit: 2 });
    expect([...keys1, ...keys2].sort()).toEqual(['mug', 'old', 'tee']);
    expect(await a.sources.itemKeysOfProducts(['tee-m', 'mug'])).toEqual(expect.arrayContaining(['tee', 'mug']));
    const states = (await a.sources.productsOf(['tee'])) as unknown as SourceProduct[];
    expect(states.map((s) => s.id).sort()).toEqual(['tee', 'tee-m', 'tee-s']);
    await a.items.upsert(buildItems(catalog()));
    const tee = await a.items.get('tee');
    expect(tee).toMatchObject({ name: 'Classic Tee', sku: 'ST-1', hasVariants: true, brand: 'Northwind', productType: 'Tops', tags: ['Summer', 'Cotton'], lsVersion: 7, onlineEnabled: false, syncState: 'not_synced' });
    expect(tee?.variants.map((v) => v.sku)).toEqual(['ST-1-M', 'ST-1-S']);
    expect(tee?.barcodes).toEqual(['041234567890']);
  });

  it('searches by name, SKU or barcode case-insensitively, filters, pages and lists facets', async () => {
    const { a } = await twoStores();
    await a.items.upsert(buildItems(catalog()));
    const ids = async (f: Parameters<typeof a.items.list>[0]) => (await a.items.list(f)).rows.map((r) => r.lsItemId);
    expect(await ids({ q: 'classic' })).toEqual(['tee']);
    expect(await ids({ q: 'st-1-s' })).toEqual(['tee']); // a variant SKU
    expect(await ids({ q: 'mug-1' })).toEqual(['mug']);
    expect(await ids({ q: '2001234567893' })).toEqual(['mug']);
    expect(await ids({ q: '0412345' })).toEqual(['tee']); // a variant barcode
    expect(await ids({ q: '%' })).toEqual([]); // wildcards are literal
    expect(await ids({ brand: 'Acme' })).toEqual(['old', 'mug']); // by name: Old Cap, Stoneware Mug
    expect(await ids({ type: 'Tops' })).toEqual(['tee']);
    expect(await ids({ tag: 'Gifts' })).toEqual(['mug']);
    expect(await ids({ status: 'inactive' })).toEqual(['old']);
    const page = await a.items.list({ limit: 2, page: 2 });
    expect(page.total).toBe(3);
    expect(page.rows).toHaveLength(1);
    expect(await a.items.facets()).toEqual({ types: ['Hats', 'Kitchen', 'Tops'], brands: ['Acme', 'Northwind'], tags: ['Cotton', 'Gifts', 'Summer'] });
  });

  it('sets the online choice by ids and by filter; indexing keeps the choice and the link; an older snapshot never wins', async () => {
    const { a } = await twoStores();
    await a.items.upsert(buildItems(catalog()));
    expect(await a.items.setEnabled(['tee', 'nope'], true)).toEqual(['tee']);
    expect((await a.items.setEnabledFor({ brand: 'Acme' }, true)).sort()).toEqual(['mug', 'old']);
    expect((await a.items.list({ status: 'enabled' })).total).toBe(3);
    await a.items.updateSync('tee', { bcProductId: 77, bcVariantIds: { 'tee-s': 1 }, syncState: 'synced', syncedVersion: 7 });
    const renamed = catalog().map((p) => (p.id === 'tee' ? { ...p, name: 'Classic Tee II', version: 9 } : p));
    await a.items.upsert(buildItems(renamed));
    expect(await a.items.get('tee')).toMatchObject({ name: 'Classic Tee II', onlineEnabled: true, bcProductId: 77, syncState: 'synced', lsVersion: 9, syncedVersion: 7 });
    expect((await a.items.needingApply()).map((i) => i.lsItemId)).toContain('tee');
    await a.items.upsert(buildItems(catalog())); // older versions
    expect((await a.items.get('tee'))?.name).toBe('Classic Tee II');
    expect((await a.items.findByAnyId('tee-m'))?.lsItemId).toBe('tee');
    expect((await a.items.findByAnyId('tee'))?.lsItemId).toBe('tee');
    expect(await a.items.findByAnyId('missing')).toBeUndefined();
  });

  it('keeps runs, results (each item once) and conflicts', async () => {
    const { a } = await twoStores();
    await a.items.upsert(buildItems(catalog()));
    const run = await a.runs.create('enable', ['tee', 'mug']);
    expect(run).toMatchObject({ state: 'queued', total: 2, done: 0 });
    await a.runs.setState(run.id, 'running');
    await a.runs.addResults(run.id, [{ id: 'tee', name: 'Classic Tee', outcome: 'error', reason: 'boom' }]);
    await a.runs.addResults(run.id, [{ id: 'tee', name: 'Classic Tee', outcome: 'synced', reason: null }, { id: 'mug', name: 'Stoneware Mug', outcome: 'pending', reason: 'x' }]);
    await a.runs.setState(run.id, 'done');
    const done = await a.runs.get(run.id);
    expect(done).toMatchObject({ state: 'done', done: 2, finishedAt: expect.any(Date) });
    expect(done?.results.map((r) => `${r.id}:${r.outcome}`).sort()).toEqual(['mug:pending', 'tee:synced']);

    const c1 = await a.conflicts.open('mug', 'two products', [{ bigcommerceProductId: 1, name: 'A', sku: 'MUG-1' }]);
    const c2 = await a.conflicts.open('mug', 'two products again', []);
    const open = await a.conflicts.listOpen();
    expect(open.map((c) => c.id)).toEqual([c2.id]);
    expect(open[0]).toMatchObject({ name: 'Stoneware Mug', reason: 'two products again' });
    expect(await a.conflicts.resolve(c1.id)).toBe(false);
    expect(await a.conflicts.resolve(c2.id)).toBe(true);
    expect(await a.conflicts.listOpen()).toEqual([]);
    expect(await a.settings.hiddenCategoryId()).toBeNull();
    await a.settings.setHiddenCategoryId(42);
    expect(await a.settings.hiddenCategoryId()).toBe(42);
  });

  it('isolates stores: nothing of one store is read or written through another', async () => {
    const { a, b, ids } = await twoStores();
    await forStore(t.database.db, secrets, ids.a).lightspeed.acceptVersion('product', 'mug', 1, { ...catalog()[3]! });
    await a.items.upsert(buildItems(catalog()));
    const run = await a.runs.create('enable', ['tee']);
    const conflict = await a.conflicts.open('mug', 'x', []);
    await a.settings.setHiddenCategoryId(5);
    expect(await b.sources.itemKeys({ limit: 10 })).toEqual([]);
    expect(await b.items.list()).toEqual({ rows: [], total: 0 });
    expect(await b.items.get('tee')).toBeUndefined();
    expect(await b.items.findByAnyId('tee-s')).toBeUndefined();
    expect(await b.items.setEnabled(['tee'], true)).toEqual([]);
    expect(await b.items.setEnabledFor({}, true)).toEqual([]);
    expect(await b.items.updateSync('tee', { syncState: 'error' })).toBe(false);
    expect(await b.items.facets()).toEqual({ types: [], brands: [], tags: [] });
    expect(await b.runs.get(run.id)).toBeUndefined();
    expect(await b.conflicts.get(conflict.id)).toBeUndefined();
    expect(await b.conflicts.resolve(conflict.id)).toBe(false);
    expect(await b.settings.hiddenCategoryId()).toBeNull();
    expect(await a.items.get('tee')).toMatchObject({ onlineEnabled: false, syncState: 'not_synced' });
  });

  it('gives the catalog apply lease to one holder at a time, per store', async () => {
    const store = await storesRepository(t.database.db).upsertInstalled({ storeHash: `lease${randomBytes(3).toString('hex')}` });
    const other = await storesRepository(t.database.db).upsertInstalled({ storeHash: `lease${randomBytes(3).toString('hex')}` });
    const settings = catalogFor(t.database.db, store.id).settings;
    const raced = await Promise.all([settings.acquireApplyLease('job-a', 60_000), settings.acquireApplyLease('job-b', 60_000)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    const winner = raced[0] ? 'job-a' : 'job-b';
    const loser = raced[0] ? 'job-b' : 'job-a';
    expect(await settings.acquireApplyLease(loser, 60_000)).toBe(false);
    expect(await settings.acquireApplyLease(winner, 60_000)).toBe(true); // re-entrant for its holder
    expect(await catalogFor(t.database.db, other.id).settings.acquireApplyLease(loser, 60_000)).toBe(true); // another store is free
    await settings.releaseApplyLease(loser); // not the holder: no effect
    expect(await settings.acquireApplyLease(loser, 60_000)).toBe(false);
    await settings.releaseApplyLease(winner);
    expect(await settings.acquireApplyLease(loser, 60_000)).toBe(true);
    // An expired lease (its worker died) is free again.
    expect(await settings.acquireApplyLease('job-c', -1)).toBe(false);
    await settings.releaseApplyLease(loser);
    expect(await settings.acquireApplyLease('job-c', -1)).toBe(true);
    expect(await settings.acquireApplyLease('job-d', 60_000)).toBe(true);
  });
});
