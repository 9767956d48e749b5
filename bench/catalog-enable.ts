/**
 * Enabling 1,000 Lightspeed items of 3 variants each: how many BigCommerce calls the engine
 * makes, against the minimum the documented limits allow. A BigCommerce-only harness: the items
 * are written to the catalog index directly (as `catalog.index` would from Lightspeed states),
 * then `catalog.apply` runs against the BigCommerce sandbox over HTTP, on embedded PGlite.
 *
 *   npx tsx bench/catalog-enable.ts            (or npm run bench:catalog)
 */
import { randomBytes } from 'node:crypto';
import type { ItemSnapshot } from '../src/core/catalog/items';
import { openDatabase } from '../src/db/client';
import { SecretBox } from '../src/db/crypto';
import { catalogFor } from '../src/db/repositories/catalog';
import { forStore } from '../src/db/repositories/scoped';
import { storesRepository } from '../src/db/repositories/stores';
import { applyCatalog } from '../src/jobs/definitions/catalog-apply';
import type { JobDeps } from '../src/jobs/deps';
import { createBigCommerceSandbox } from '../src/sandbox/bigcommerce';

const ITEMS = 1000;
const VARIANTS = 3;
const hash = 'benchstore';

function item(n: number): ItemSnapshot {
  const sku = `BENCH-${String(n).padStart(5, '0')}`;
  const sizes = ['S', 'M', 'L'].slice(0, VARIANTS);
  return {
    lsItemId: `item-${n}`,
    name: `Bench tee ${n}`,
    sku,
    barcodes: [],
    productType: 'Tops',
    brand: 'Bench',
    tags: [],
    active: true,
    tracksInventory: true,
    hasVariants: true,
    price: 30,
    cost: 12,
    variants: sizes.map((size, i) => ({
      lsProductId: `item-${n}-${size}`,
      sku: `${sku}-${size}`,
      name: size,
      barcodes: [`04${String(n * 10 + i).padStart(9, '0')}${i}`.slice(0, 12)],
      options: [{ name: 'Size', value: size }],
      price: 30 + i,
      cost: 12,
      active: true,
    })),
    lsProductIds: [`item-${n}`, ...sizes.map((s) => `item-${n}-${s}`)],
    version: 1,
  };
}

async function main() {
  const sandbox = createBigCommerceSandbox({
    clientId: 'bench',
    clientSecret: 'bench-secret',
    appCallbacks: { auth: 'http://127.0.0.1:9/a', load: 'http://127.0.0.1:9/l', uninstall: 'http://127.0.0.1:9/u', removeUser: 'http://127.0.0.1:9/r' },
    demoStore: true,
    seedStoreHash: hash,
    // The figure measured is the call count, not the wait: the per-store quota is lifted.
    quota: { requests: 1_000_000, windowMs: 1000 },
  });
  const server = await sandbox.listen();
  const database = await openDatabase();
  const secrets = new SecretBox(randomBytes(32).toString('hex'));
  try {
    const storeId = (await storesRepository(database.db).upsertInstalled({ storeHash: hash })).id;
    await forStore(database.db, secrets, storeId).connections.save('bigcommerce', { externalAccount: hash, accessToken: sandbox.control.issueToken(hash) });
    const deps: JobDeps = {
      database,
      secrets,
      config: {
        APP_URL: 'http://127.0.0.1:9',
        bigcommerce: { clientId: 'bench', clientSecret: 'bench-secret', loginUrl: server.url, apiUrl: server.url },
        lightspeed: { clientId: 'x', clientSecret: 'x', authUrl: 'http://127.0.0.1:9', apiUrlTemplate: 'http://127.0.0.1:9/{domain_prefix}' },
      },
    };
    const catalog = catalogFor(database.db, storeId);
    for (let i = 0; i < ITEMS; i += 200) await catalog.items.upsert(Array.from({ length: Math.min(200, ITEMS - i) }, (_, k) => item(i + k)));
    const ids = await catalog.items.setEnabledFor({}, true);
    const run = await catalog.runs.create('enable', ids);

    const started = new Date(Date.now() - 1);
    const t0 = performance.now();
    const result = await applyCatalog(deps, storeId, run.id);
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 500)); // the call recorder writes after each response
    const usage = (await forStore(database.db, secrets, storeId).apiUsage.summary(started)).filter((r) => r.platform === 'bigcommerce');
    const total = usage.reduce((n, r) => n + r.calls, 0);
    const outcomes = result.results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }), {});

    const store = sandbox.control.store(hash);
    const created = store.products.filter((p) => p.sku.startsWith('BENCH-'));
    const variants = store.variants.filter((v) => v.sku.startsWith('BENCH-'));
    const channels = store.channels.filter((c) => c.type === 'storefront').length;

    // Minimum under the documented limits: product create takes its variants (1 call per
    // product); the SKU look-up that prevents duplicates returns at most 250 products a page
    // (⌈N/250⌉); channel assignments carry many products in one PUT (1); the hidden category
    // costs a tree read, a name look-up and one create (3); the storefront channels one read (1).
    const minimum = ITEMS + Math.ceil(ITEMS / 250) + 1 + 3 + 1;
    console.log(`catalog enable: ${ITEMS} items × ${VARIANTS} variants, ${channels} storefront channel(s), ${seconds.toFixed(1)} s`);
    console.log(`results: ${JSON.stringify(outcomes)}; BigCommerce now holds ${created.length} products, ${variants.length} variants`);
    console.log('BigCommerce calls by endpoint:');
    for (const r of usage) console.log(`  ${String(r.calls).padStart(5)}  ${r.method} ${r.endpoint}${r.failures ? ` (${r.failures} failed)` : ''}`);
    console.log(`total calls: ${total}`);
    console.log(`minimum: N + ⌈N/250⌉ + 1 + 3 + 1 = ${ITEMS} + ${Math.ceil(ITEMS / 250)} + 1 + 3 + 1 = ${minimum}`);
    console.log(`ratio: ${(total / minimum).toFixed(3)}× (target ≤ 1.1×)`);
    if (created.length !== ITEMS || variants.length !== ITEMS * VARIANTS) {
      console.error('FAILED: BigCommerce does not hold every product and variant');
      process.exitCode = 1;
    }
  } finally {
    await database.close();
    sandbox.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
