/**
 * Indexing a 10,000-product Lightspeed catalog: time, and memory while it runs compared with
 * the size of the whole catalog, to show the index streams (keyset pages) instead of loading
 * every product at once. The products are written as the poller stores them (newest Lightspeed
 * state per product), then `indexCatalog` builds the items. Embedded PGlite, in memory.
 *
 *   node --expose-gc --import tsx bench/catalog-index.ts     (or npm run bench:index)
 */
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../src/db/client';
import { SecretBox } from '../src/db/crypto';
import { catalogFor } from '../src/db/repositories/catalog';
import { storesRepository } from '../src/db/repositories/stores';
import { lightspeedEntityVersions } from '../src/db/schema';
import { indexCatalog } from '../src/jobs/definitions/catalog-index';
import type { JobDeps } from '../src/jobs/deps';
import type { Product } from '../src/integrations/lightspeed';

// `--products N` (default 10,000): half in families of three sizes, half simple products.
const arg = process.argv.indexOf('--products');
const TOTAL = arg > 0 ? Number(process.argv[arg + 1]) : 10_000;
const SIZES = ['S', 'M', 'L'];
const FAMILIES = Math.floor(TOTAL / 2 / SIZES.length);
const SIMPLES = TOTAL - FAMILIES * SIZES.length;

function product(id: string, n: number, extra: Partial<Product>): Product {
  return {
    id,
    name: `Product ${n}`,
    sku: `SKU-${n}`,
    handle: null,
    active: true,
    tracksInventory: true,
    hasVariants: false,
    isComposite: false,
    familyId: null,
    variantParentId: null,
    variantName: null,
    variantOptions: [],
    priceExcludingTax: 20 + (n % 50),
    priceIncludingTax: null,
    supplyPrice: 8 + (n % 20),
    productCodes: [{ type: 'UPC', code: String(100_000_000_000 + n) }],
    sourceId: null,
    sourceVariantId: null,
    deletedAt: null,
    updatedAt: null,
    version: n,
    ...extra,
  };
}

async function main() {
  const database = await openDatabase();
  const store = await storesRepository(database.db).upsertInstalled({ storeHash: 'indexbench' });
  const deps: JobDeps = {
    database,
    secrets: new SecretBox(randomBytes(32).toString('hex')),
    config: {
      APP_URL: 'http://127.0.0.1:9',
      bigcommerce: { clientId: 'x', clientSecret: 'x', loginUrl: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9' },
      lightspeed: { clientId: 'x', clientSecret: 'x', authUrl: 'http://127.0.0.1:9', apiUrlTemplate: 'http://127.0.0.1:9/{domain_prefix}' },
    },
  };

  const products: Product[] = [];
  let n = 0;
  for (let f = 0; f < FAMILIES; f++) {
    const familyId = `fam-${f}`;
    for (const size of SIZES) {
      n++;
      products.push(product(`p-${n}`, n, { name: `Tee ${f} / ${size}`, familyId, variantParentId: `p-${n - SIZES.indexOf(size)}`, hasVariants: true, variantName: size, variantOptions: [{ name: 'Size', value: size }] }));
    }
  }
  for (let s = 0; s < SIMPLES; s++) {
    n++;
    products.push(product(`p-${n}`, n, {}));
  }
  const catalogBytes = products.reduce((sum, p) => sum + JSON.stringify(p).length, 0);
  for (let i = 0; i < products.length; i += 500) {
    await database.db.insert(lightspeedEntityVersions).values(
      products.slice(i, i + 500).map((p) => ({ storeId: store.id, kind: 'product', entityId: p.id, version: p.version, state: { ...p } })),
    );
  }
  products.length = 0;
  global.gc?.();

  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  // With --expose-gc each sample collects first, so the figure is the live set, not garbage.
  const sampler = setInterval(() => {
    global.gc?.();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 25);
  const started = performance.now();
  const result = await indexCatalog(deps, store.id);
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);

  const listed = await catalogFor(database.db, store.id).items.list({ limit: 1 });
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(`products in Lightspeed:        ${n.toLocaleString()} (${FAMILIES.toLocaleString()} families × ${SIZES.length} + ${SIMPLES.toLocaleString()} simple)`);
  console.log(`items indexed:                 ${result.indexed.toLocaleString()} (catalog_items total ${listed.total.toLocaleString()})`);
  console.log(`time:                          ${(ms / 1000).toFixed(2)} s (${Math.round(n / (ms / 1000)).toLocaleString()} products/s)`);
  console.log(`whole catalog as JSON:         ${mb(catalogBytes)} MB`);
  const how = global.gc ? 'live heap, collected before each 25 ms sample' : 'heap incl. garbage: run with node --expose-gc for the live set';
  console.log(`memory while indexing:         ${mb(peak - baseline)} MB above a ${mb(baseline)} MB baseline at peak (${how})`);
  await database.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
