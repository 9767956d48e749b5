/**
 * The catalog sync end to end, over real HTTP against both sandboxes: the Lightspeed catalog is
 * polled and indexed; enabling items creates them hidden in BigCommerce (in the hidden category,
 * on every storefront channel) or links an existing product with the same SKU; ambiguous matches
 * become conflicts; Lightspeed edits flow to the Lightspeed-owned fields only (through the batch
 * endpoints, leaving the merchant's description, images, categories and custom fields alone); disabling hides,
 * re-enabling restores visibility; deactivating in Lightspeed hides.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIDDEN_CATEGORY_NAME } from '../../src/core/catalog/plan';
import { SecretBox } from '../../src/db/crypto';
import { catalogFor } from '../../src/db/repositories/catalog';
import { forStore } from '../../src/db/repositories/scoped';
import { storesRepository } from '../../src/db/repositories/stores';
import { createBigCommerceClient, type BigCommerceClient } from '../../src/integrations/bigcommerce/client';
import { JobRegistry } from '../../src/jobs/define';
import { catalogApply } from '../../src/jobs/definitions/catalog-apply';
import { catalogIndex } from '../../src/jobs/definitions/catalog-index';
import { lightspeedConnected } from '../../src/jobs/definitions/lightspeed-connected';
import { intakeDrain } from '../../src/jobs/definitions/intake-drain';
import { lightspeedEntity } from '../../src/jobs/definitions/lightspeed-entity';
import { lightspeedPoll } from '../../src/jobs/definitions/lightspeed-poll';
import type { JobDeps } from '../../src/jobs/deps';
import { itemsQuerySchema, listConflicts, listItems, requestChanges, requestReindex, resolveConflict, runStatus } from '../../src/jobs/lifecycle/catalog';
import { completeConnect, startConnect } from '../../src/jobs/lifecycle/lightspeed';
import { JobQueue } from '../../src/jobs/queue';
import { type BigCommerceSandbox, createBigCommerceSandbox } from '../../src/sandbox/bigcommerce';
import { type RunningServer, serve } from '../../src/sandbox/http';
import { createLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed';
import { testConfig } from '../support/config';
import { databaseTargets, type TestDatabase } from '../support/db';
import { waitFor } from '../support/wait';
import type { ItemRow } from '../../src/ui/items/types';

const hash = 'catalog1';
const lsClient = { clientId: 'counterpart-ls-catalog', clientSecret: `ls-${randomBytes(8).toString('hex')}` };
const bcClient = { clientId: 'counterpart-bc-catalog', clientSecret: `bc-${randomBytes(8).toString('hex')}` };

describe.each(databaseTargets())('catalog sync on $name', (target) => {
  let t: TestDatabase;
  let ls: LightspeedSandbox;
  let lsServer: RunningServer;
  let bcSandbox: BigCommerceSandbox;
  let bcServer: RunningServer;
  let queue: JobQueue;
  let deps: JobDeps;
  let storeId: string;
  let bc: BigCommerceClient;
  const secrets = new SecretBox(randomBytes(32).toString('hex'));
  /** When BigCommerce answered each request made with the app's own token (the test reads with another). */
  const appAnswered: number[] = [];
  let appToken = '';

  beforeAll(async () => {
    t = await target.open();
    ls = createLightspeedSandbox({ ...lsClient, seed: { products: 40 }, webhookRetryDelaysMs: [100] });
    lsServer = await ls.listen();
    bcSandbox = createBigCommerceSandbox({ ...bcClient, appCallbacks: { auth: 'http://127.0.0.1:9/a', load: 'http://127.0.0.1:9/l', uninstall: 'http://127.0.0.1:9/u', removeUser: 'http://127.0.0.1:9/r' }, demoStore: true, seedStoreHash: hash });
    bcServer = await serve(async (request) => {
      const response = await bcSandbox.handle(request);
      if (request.headers.get('x-auth-token') === appToken) appAnswered.push(Date.now());
      return response;
    });
    deps = {
      database: t.database,
      secrets,
      config: testConfig({
        // Webhooks go nowhere: the cursor poller alone carries Lightspeed changes here.
        lightspeed: { ...lsClient, authUrl: lsServer.url, apiUrlTemplate: `${lsServer.url}/{domain_prefix}` },
        bigcommerce: { ...bcClient, loginUrl: bcServer.url, apiUrl: bcServer.url },
      }),
    };
    queue = new JobQueue(t.database, new JobRegistry([lightspeedConnected, intakeDrain, lightspeedEntity, lightspeedPoll, catalogIndex, catalogApply]), { pollingIntervalSeconds: 0.5 });
    await queue.start();
    await queue.work(deps);
    storeId = (await storesRepository(t.database.db).upsertInstalled({ storeHash: hash })).id;
    appToken = bcSandbox.control.issueToken(hash);
    await forStore(t.database.db, secrets, storeId).connections.save('bigcommerce', { externalAccount: hash, accessToken: appToken });
    bc = createBigCommerceClient({ apiUrl: bcServer.url, storeHash: hash, accessToken: bcSandbox.control.issueToken(hash) });
    const ctx = { ...deps, sessionSecret: randomBytes(32).toString('hex') };
    const authorize = new URL(startConnect({ storeId, userId: 1 }, ctx));
    const code = ls.control.issueAuthCode({ redirect_uri: authorize.searchParams.get('redirect_uri')! });
    await completeConnect({ code: code.code, domain_prefix: code.domain_prefix, state: authorize.searchParams.get('state')! }, ctx, queue);
  }, 120_000);

  afterAll(async () => {
    await queue?.stop({ graceful: false });
    await ls?.close();
    await lsServer?.close();
    bcSandbox?.close();
    await bcServer?.close();
    await t?.cleanup();
  });

  const catalog = () => catalogFor(t.database.db, storeId);
  const scope = () => forStore(t.database.db, secrets, storeId);
  const list = (q: Record<string, string> = {}) => listItems(deps, storeId, itemsQuerySchema.parse(q));
  const runToFinish = async (runId: string) => waitFor(async () => {
    const run = await runStatus(deps, storeId, runId);
    return run.state === 'done' || run.state === 'failed' ? run : undefined;
  }, `run ${runId}`, 30_000, 200);
  /** The app's BigCommerce calls since a time, once every call answered so far has been recorded (the recorder writes after each response). */
  const calls = async (since: Date) => {
    const answered = appAnswered.filter((at) => at >= since.getTime()).length;
    const recorded = async () => (await scope().apiUsage.summary(since)).filter((r) => r.platform === 'bigcommerce');
    return waitFor(async () => {
      const rows = await recorded();
      return rows.reduce((n, r) => n + r.calls, 0) >= answered ? rows : undefined;
    }, `${answered} BigCommerce calls recorded`, 10_000, 50);
  };
  const count = (rows: Awaited<ReturnType<typeof calls>>, method: string, endpoint: string) => rows.find((r) => r.method === method && r.endpoint === endpoint)?.calls ?? 0;

  let family: { id: string; sku: string; variants: { id: string; sku: string }[] };
  let simple: { id: string; sku: string };
  let preexisting: { id: string; sku: string };

  it('indexes the Lightspeed catalog: families with their variants, brands, types and tags', async () => {
    // Connecting polls the catalog; the poller indexes what it stores.
    const indexed = await waitFor(async () => {
      const page = await list({ limit: '250' });
      // Indexed and finished: the page can list the families while the index is still running, and
      // its facets are read before its items (an index landing in between shows items without facets).
      return page.total >= 20 && page.items.some((i) => i.variants.length >= 3) && page.facets.brands.length > 0 && page.facets.types.length > 0 && page.index.state === 'idle' ? page : undefined;
    }, 'the catalog indexed', 30_000, 250);
    const f = indexed.items.find((i) => i.active && i.variants.length >= 3 && i.variants.every((v) => v.options.length > 0))!;
    const simples = indexed.items.filter((i) => i.active && i.variants.length === 0 && i.barcodes.length > 0);
    expect(f).toBeDefined();
    expect(simples.length).toBeGreaterThanOrEqual(2);
    family = { id: f.id, sku: f.sku, variants: f.variants.map((v) => ({ id: v.id, sku: v.sku })) };
    simple = { id: simples[0]!.id, sku: simples[0]!.sku };
    preexisting = { id: simples[1]!.id, sku: simples[1]!.sku };
    expect(indexed.facets.brands.length).toBeGreaterThan(0);
    expect(indexed.facets.types.length).toBeGreaterThan(0);
    expect(f.brand).toEqual(expect.any(String));
    expect(indexed.index.state).toBe('idle');
    // Search by a variant SKU and the deep link by a variant id find the family.
    expect((await list({ q: family.variants[0]!.sku.toLowerCase() })).items.map((i) => i.id)).toEqual([family.id]);
    expect((await list({ id: family.variants[1]!.id })).items.map((i) => i.id)).toEqual([family.id]);
    expect((await list({ id: 'not-a-product' })).items).toEqual([]);
    // A full re-index changes nothing in BigCommerce.
    const before = new Date();
    const { runId } = await requestReindex(deps, queue, storeId);
    expect((await runToFinish(runId)).state).toBe('done');
    expect(await calls(before)).toEqual([]);
  });

  it('enabling a family and a simple item creates them hidden, in the hidden category, on every storefront channel', async () => {
    const second = await bc.channels.create({ name: 'Second storefront', type: 'storefront', platform: 'custom' });
    const before = new Date();
    const { runId } = await requestChanges(deps, queue, storeId, { changes: [{ id: family.id, enabled: true }, { id: simple.id, enabled: true }] }, 'test@example.com');
    const run = await runToFinish(runId);
    expect(run).toMatchObject({ state: 'done', total: 2, done: 2 });
    expect(run.results.map((r) => r.outcome)).toEqual(['synced', 'synced']);

    const item = (await catalog().items.get(family.id))!;
    const product = await bc.catalog.products.get(item.bcProductId!, { include: ['variants'] });
    const category = (await bc.catalog.categories.list({})).data.find((c) => c.name === HIDDEN_CATEGORY_NAME)!;
    expect(category.is_visible).toBe(false);
    expect(product).toMatchObject({ name: item.name, sku: family.sku, is_visible: false, categories: [category.category_id], inventory_tracking: item.tracksInventory ? 'variant' : 'none' });
    expect(product.variants!.map((v) => v.sku).sort()).toEqual(family.variants.map((v) => v.sku).sort());
    for (const v of item.variants) {
      const bcVariant = product.variants!.find((b) => b.sku === v.sku)!;
      expect(bcVariant.price).toBeCloseTo(v.price!, 2);
      expect(bcVariant.cost_price).toBeCloseTo(v.cost!, 2);
      expect(bcVariant.option_values.map((o) => `${o.option_display_name}=${o.label}`).sort()).toEqual(v.options.map((o) => `${o.name}=${o.value}`).sort());
      const upcA = v.barcodes.find((b) => b.length === 12);
      if (upcA) expect(bcVariant.upc).toBe(upcA);
    }
    const simpleRow = (await catalog().items.get(simple.id))!;
    const simpleProduct = await bc.catalog.products.get(simpleRow.bcProductId!);
    expect(simpleProduct).toMatchObject({ sku: simple.sku, is_visible: false, categories: [category.category_id] });
    expect(simpleProduct.price).toBeCloseTo(simpleRow.price!.price!, 2);
    expect([simpleProduct.upc, simpleProduct.gtin]).toContain(simpleRow.barcodes[0]);
    const assignments = await bc.catalog.channelAssignments.listAll({ 'product_id:in': [product.id, simpleProduct.id] });
    expect(assignments.map((a) => `${a.product_id}:${a.channel_id}`).sort()).toEqual([`${product.id}:1`, `${product.id}:${second.id}`, `${simpleProduct.id}:1`, `${simpleProduct.id}:${second.id}`].sort());

    const used = await calls(before);
    expect(count(used, 'POST', '/v3/catalog/products')).toBe(2);
    expect(count(used, 'POST', '/v3/catalog/trees/categories')).toBe(1);
    expect(count(used, 'PUT', '/v3/catalog/products/channel-assignments')).toBe(1);
    expect(used.reduce((n, r) => n + r.calls, 0)).toBeLessThanOrEqual(10);
  });

  it('links a BigCommerce product with the same SKU instead of duplicating it; the category is created once', async () => {
    const existing = await bc.catalog.products.create({ name: 'Merchant-made product', type: 'physical', sku: preexisting.sku, weight: 1, price: 1, description: '<p>Merchant copy</p>', is_visible: true });
    const before = new Date();
    const { runId } = await requestChanges(deps, queue, storeId, { changes: [{ id: preexisting.id, enabled: true }] }, 'test@example.com');
    expect((await runToFinish(runId)).results[0]).toMatchObject({ outcome: 'synced' });
    expect((await catalog().items.get(preexisting.id))?.bcProductId).toBe(existing.id);
    expect((await bc.catalog.products.list({ 'sku:in': [preexisting.sku] })).data).toHaveLength(1);
    const after = await bc.catalog.products.get(existing.id);
    expect(after).toMatchObject({ description: '<p>Merchant copy</p>', is_visible: true, sku: preexisting.sku });
    const used = await calls(before);
    expect(count(used, 'POST', '/v3/catalog/products')).toBe(0);
    expect(count(used, 'POST', '/v3/catalog/trees/categories')).toBe(0);
    expect((await scope().activity.list({ entityId: preexisting.id })).map((e) => e.kind)).toContain('product.linked');
  });

  it('an ambiguous match becomes a conflict with its reason, and nothing is created', async () => {
    const page = await list({ limit: '250' });
    const other = page.items.find((i) => i.active && !i.enabled && i.variants.length >= 2 && i.id !== family.id && i.variants.every((v) => v.options.length > 0))!;
    const variantBody = (sku: string, label: string) => ({ sku, option_values: [{ option_display_name: 'Size', label }] });
    const halfA = await bc.catalog.products.create({ name: 'Half A', type: 'physical', weight: 1, price: 1, variants: [variantBody(other.variants[0]!.sku, 'A')] });
    await bc.catalog.products.create({ name: 'Half B', type: 'physical', weight: 1, price: 1, variants: [variantBody(other.variants[1]!.sku, 'B')] });
    const { runId } = await requestChanges(deps, queue, storeId, { changes: [{ id: other.id, enabled: true }] }, 'test@example.com');
    const run = await runToFinish(runId);
    expect(run.results[0]).toMatchObject({ outcome: 'error', reason: expect.stringContaining('2 BigCommerce products') });
    const { conflicts } = await listConflicts(deps, storeId);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ itemId: other.id, reason: expect.stringContaining('2 BigCommerce products') });
    expect(conflicts[0]!.candidates.map((c) => c.name).sort()).toEqual(['Half A', 'Half B']);
    expect((await catalog().items.get(other.id))).toMatchObject({ syncState: 'conflict', bcProductId: null });
    expect((await list({ status: 'conflict' })).items.map((i) => i.id)).toEqual([other.id]);

    // The merchant links it to one of them: linked, and pending for the variants that product lacks.
    const resolved = await runToFinish((await resolveConflict(deps, queue, storeId, conflicts[0]!.id, { action: 'link', bigcommerceProductId: halfA.id })).runId);
    expect(resolved.results[0]).toMatchObject({ outcome: 'pending', reason: expect.stringContaining('not in the BigCommerce product') });
    expect(await catalog().items.get(other.id)).toMatchObject({ bcProductId: halfA.id, syncState: 'pending' });
    expect((await listConflicts(deps, storeId)).conflicts).toEqual([]);
    await expect(resolveConflict(deps, queue, storeId, conflicts[0]!.id, { action: 'create' })).rejects.toMatchObject({ status: 409 });
  });

  it('Lightspeed price and name changes reach BigCommerce through the batch endpoints; description, images, categories, custom fields, visibility and SKU stay', async () => {
    const row = (await catalog().items.get(family.id))!;
    const productId = row.bcProductId!;
    const extra = await bc.catalog.categories.create([{ name: 'Summer picks', tree_id: 1, parent_id: 0, is_visible: true }]);
    const categories = [...(await bc.catalog.products.get(productId)).categories, extra[0]!.category_id];
    // Merchant edits in BigCommerce: copy, categories, visibility, a name, an image and a custom field.
    await bc.catalog.products.update(productId, { description: '<p>Written in BigCommerce</p>', categories, is_visible: true, name: 'Renamed in BigCommerce' });
    const image = await bc.catalog.images.create(productId, { image_url: 'https://images.example.com/merchant/front.jpg', is_thumbnail: true, description: 'Shot for the storefront' });
    const customField = await bc.catalog.customFields.create(productId, { name: 'Care', value: 'Hand wash only' });
    const variant = row.variants[0]!;
    ls.control.changeProduct(undefined, family.id, { name: 'Renamed in Lightspeed', sku: `${family.sku}-NEW` });
    ls.control.changeProduct(undefined, variant.lsProductId, { price_excluding_tax: 77.5, supply_price: 30.25 });
    const before = new Date();
    await queue.send(lightspeedPoll, { storeId, resource: 'products' });
    const product = await waitFor(async () => {
      const p = await bc.catalog.products.get(productId, { include: ['variants'] });
      return p.name === 'Renamed in Lightspeed' && p.variants?.find((v) => v.sku === variant.sku)?.price === 77.5 ? p : undefined;
    }, 'BigCommerce following Lightspeed', 30_000, 250);
    expect(product).toMatchObject({ description: '<p>Written in BigCommerce</p>', categories, is_visible: true, sku: family.sku });
    // The merchant's image and custom field are still exactly there.
    expect(await bc.catalog.images.list(productId)).toEqual([image]);
    expect(await bc.catalog.customFields.list(productId)).toEqual([customField]);
    expect(await bc.catalog.products.get(productId, { include: ['images', 'custom_fields'] })).toMatchObject({ images: [image], custom_fields: [customField] });
    expect(product.variants!.find((v) => v.sku === variant.sku)?.cost_price).toBe(30.25);
    expect(product.variants!.map((v) => v.sku).sort()).toEqual(family.variants.map((v) => v.sku).sort());
    await waitFor(async () => (await catalog().items.get(family.id))?.syncState === 'synced', 'synced state', 10_000);
    expect((await catalog().items.get(family.id))?.sku).toBe(`${family.sku}-NEW`); // Lightspeed's new SKU is indexed, never written
    const updates = (await scope().activity.list({ entityId: family.id })).filter((e) => e.kind === 'product.updated');
    expect(updates[0]?.summary).toMatch(/name/);
    expect(JSON.stringify(updates[0]?.details)).toContain('Renamed in BigCommerce'); // the overwritten BigCommerce value is recorded
    const used = await calls(before);
    expect(count(used, 'PUT', '/v3/catalog/products')).toBe(1);
    expect(count(used, 'PUT', '/v3/catalog/variants')).toBe(1);
    expect(count(used, 'POST', '/v3/catalog/products')).toBe(0);
    // Every write went through the batch endpoints; no image or custom-field endpoint was called at all.
    expect(used.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.endpoint}`).sort()).toEqual(['PUT /v3/catalog/products', 'PUT /v3/catalog/variants']);
    expect(used.filter((r) => /\/(images|custom-fields)\b/.test(r.endpoint))).toEqual([]);
  });

  it('disabling hides without deleting; re-enabling restores the previous visibility', async () => {
    const productId = (await catalog().items.get(family.id))!.bcProductId!;
    expect((await bc.catalog.products.get(productId)).is_visible).toBe(true);
    let run = await runToFinish((await requestChanges(deps, queue, storeId, { filter: { q: family.sku }, enabled: false }, 'test@example.com')).runId);
    expect(run.results.map((r) => r.id)).toContain(family.id);
    expect((await bc.catalog.products.get(productId)).is_visible).toBe(false);
    expect(await catalog().items.get(family.id)).toMatchObject({ syncState: 'hidden', previousVisibility: true, onlineEnabled: false });
    run = await runToFinish((await requestChanges(deps, queue, storeId, { changes: [{ id: family.id, enabled: true }] }, 'test@example.com')).runId);
    expect(run.results[0]).toMatchObject({ outcome: 'synced' });
    expect((await bc.catalog.products.get(productId)).is_visible).toBe(true);
    expect(await catalog().items.get(family.id)).toMatchObject({ syncState: 'synced', previousVisibility: null });
    expect((await bc.catalog.products.list({ 'sku:in': [family.sku] })).data).toHaveLength(1);
  });

  it('an item deactivated in Lightspeed is hidden and marked hidden', async () => {
    const productId = (await catalog().items.get(preexisting.id))!.bcProductId!;
    expect((await bc.catalog.products.get(productId)).is_visible).toBe(true);
    ls.control.changeProduct(undefined, preexisting.id, { active: false });
    await queue.send(lightspeedPoll, { storeId, resource: 'products' });
    await waitFor(async () => (await catalog().items.get(preexisting.id))?.syncState === 'hidden', 'the item hidden', 30_000, 250);
    expect((await bc.catalog.products.get(productId)).is_visible).toBe(false);
    expect((await list({ status: 'inactive' })).items.map((i) => i.id)).toContain(preexisting.id);
  });

  it('bad change requests are refused and change nothing', async () => {
    await expect(requestChanges(deps, queue, storeId, { changes: [{ id: simple.id, enabled: false }, { id: 'no-such-item', enabled: false }] }, 'x')).rejects.toMatchObject({ status: 400 });
    expect((await catalog().items.get(simple.id))?.onlineEnabled).toBe(true);
  });

  it('two applies at once for the same store create each product once (one holds the store, the other waits its turn)', async () => {
    const fresh = (await list({ limit: '250' })).items.filter((i) => i.active && !i.enabled && i.sync.bigcommerceProductId === null && i.sku !== '').slice(0, 4);
    expect(fresh).toHaveLength(4);
    await catalog().items.setEnabled(fresh.map((i) => i.id), true);
    const runs = await Promise.all([catalog().runs.create('enable', fresh.map((i) => i.id)), catalog().runs.create('enable', fresh.map((i) => i.id))]);
    await Promise.all(runs.map((run) => queue.send(catalogApply, { storeId, runId: run.id })));
    const finished = await Promise.all(runs.map((run) => runToFinish(run.id)));
    for (const run of finished) {
      expect(run.state).toBe('done');
      expect(run.results.map((r) => r.outcome), JSON.stringify(run.results)).toEqual(['synced', 'synced', 'synced', 'synced']);
    }
    for (const item of fresh) {
      const row = (await catalog().items.get(item.id))!;
      const holding = (await bc.catalog.products.list({ 'sku:in': [item.sku] })).data;
      expect(holding.map((p) => p.id), `BigCommerce products for ${item.sku}`).toEqual([row.bcProductId]);
    }
    expect(await catalog().settings.acquireApplyLease('after-both', 1_000)).toBe(true);
    await catalog().settings.releaseApplyLease('after-both');

    // A store held by another apply (here: a worker that died holding it for 3 s more) makes the
    // next run wait for it, not fail.
    expect(await catalog().settings.acquireApplyLease('a-worker-that-died', 3_000)).toBe(true);
    const started = Date.now();
    const waited = await runToFinish((await requestChanges(deps, queue, storeId, { changes: [{ id: fresh[0]!.id, enabled: false }] }, 'test@example.com')).runId);
    expect(waited).toMatchObject({ state: 'done', results: [{ outcome: 'synced' }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
  });

  it('two Lightspeed items of the same name both reach BigCommerce (names are unique there): the second carries its SKU, also after a rename', async () => {
    const fresh = (await list({ limit: '250' })).items.filter((i) => i.active && !i.enabled && i.sync.bigcommerceProductId === null && i.variants.length === 0).slice(0, 3);
    expect(fresh).toHaveLength(3);
    const [a, b, c] = fresh as [ItemRow, ItemRow, ItemRow];
    const name = `Twin name ${randomBytes(3).toString('hex')}`;
    ls.control.changeProduct(undefined, a.id, { name });
    ls.control.changeProduct(undefined, b.id, { name });
    await queue.send(lightspeedPoll, { storeId, resource: 'products' });
    await waitFor(async () => (await catalog().items.get(b.id))?.name === name, 'the names indexed', 30_000, 250);
    let run = await runToFinish((await requestChanges(deps, queue, storeId, { changes: [a, b, c].map((x) => ({ id: x.id, enabled: true })) }, 'test@example.com')).runId);
    expect(run.results.map((r) => r.outcome), JSON.stringify(run.results)).toEqual(['synced', 'synced', 'synced']);
    const named = async (id: string) => (await bc.catalog.products.get((await catalog().items.get(id))!.bcProductId!)).name;
    const [nameA, nameB] = [await named(a.id), await named(b.id)];
    expect(nameA === name ? nameB : nameA).toBe(nameA === name ? `${name} [${b.sku}]` : `${name} [${a.sku}]`);
    expect([nameA, nameB]).toContain(name);
    expect((await scope().activity.list({})).some((e) => e.kind === 'product.renamed' && e.summary.includes(name))).toBe(true);

    // A Lightspeed rename onto a name BigCommerce already holds: only that item takes the SKU form;
    // the other products in the same batch are updated as usual.
    ls.control.changeProduct(undefined, c.id, { name, price_excluding_tax: 41.25 });
    ls.control.changeProduct(undefined, a.id, { price_excluding_tax: 12.5 });
    await queue.send(lightspeedPoll, { storeId, resource: 'products' });
    await waitFor(async () => (await named(c.id)) === `${name} [${c.sku}]`, 'the renamed item carrying its SKU', 30_000, 250);
    const cProduct = await bc.catalog.products.get((await catalog().items.get(c.id))!.bcProductId!);
    expect(cProduct.price).toBeCloseTo(41.25, 2);
    await waitFor(async () => (await bc.catalog.products.get((await catalog().items.get(a.id))!.bcProductId!)).price === 12.5, 'the other item updated', 30_000, 250);
    run = await runToFinish((await requestChanges(deps, queue, storeId, { changes: [{ id: c.id, enabled: true }] }, 'test@example.com')).runId);
    expect(run.results[0]).toMatchObject({ outcome: 'synced' });
    expect(await named(c.id)).toBe(`${name} [${c.sku}]`); // stable: no flip back and forth
  });

  it('a variant added in Lightspeed after linking joins the BigCommerce product (its new option value first); one with other options waits, saying why', async () => {
    const row = (await catalog().items.get(family.id))!;
    const productId = row.bcProductId!;
    const model = row.variants[0]!;
    const size = `XL${randomBytes(2).toString('hex')}`;
    const options = model.options.map((o) => (o.name === 'Size' ? { name: o.name, value: size } : o));
    const sku = `${family.sku}-${size}`;
    const added = ls.control.addVariant(undefined, model.lsProductId, { sku, options, price_excluding_tax: 55.5, supply_price: 21, product_codes: [{ code: '4006381333931', type: 'EAN' }] });
    const before = new Date();
    await queue.send(lightspeedPoll, { storeId, resource: 'products' });
    const variant = await waitFor(async () => (await bc.catalog.products.get(productId, { include: ['variants'] })).variants?.find((v) => v.sku === sku), 'the new variant in BigCommerce', 30_000, 250);
    expect(variant.price).toBeCloseTo(55.5, 2);
    expect(variant.cost_price).toBeCloseTo(21, 2);
    expect(variant.gtin).toBe('4006381333931');
    expect(variant.option_values.map((o) => `${o.option_display_name}=${o.label}`).sort()).toEqual(options.map((o) => `${o.name}=${o.value}`).sort());
    await waitFor(async () => {
      const r = await catalog().items.get(family.id);
      return r?.syncState === 'synced' && r.bcVariantIds[added.id] === variant.id ? r : undefined;
    }, 'the new variant linked', 10_000, 200);
    const used = await calls(before);
    expect(count(used, 'PUT', '/v3/catalog/products/{product_id}/options/{option_id}')).toBe(1); // the new size, added once
    expect(count(used, 'POST', '/v3/catalog/products')).toBe(0);
    expect((await scope().activity.list({ entityId: family.id })).some((e) => e.kind === 'variant.created' && e.summary.includes(sku))).toBe(true);

    // A variant with an option the BigCommerce product does not have is not guessed into it.
    const odd = ls.control.addVariant(undefined, model.lsProductId, { sku: `${family.sku}-ODD`, options: [{ name: 'Material', value: 'Wool' }] });
    await queue.send(lightspeedPoll, { storeId, resource: 'products' });
    const pending = await waitFor(async () => {
      const r = await catalog().items.get(family.id);
      return r?.syncState === 'pending' && r.variants.some((v) => v.lsProductId === odd.id) ? r : undefined;
    }, 'the odd variant pending', 30_000, 250);
    expect(pending.syncReason).toMatch(/Material/);
    expect((await bc.catalog.products.get(productId, { include: ['variants'] })).variants?.some((v) => v.sku === `${family.sku}-ODD`)).toBe(false);
  });
});
