/**
 * Creating stores and the small lookups every module needs. A fresh store has what every real
 * BigCommerce store has: the default storefront channel (id 1), the default location (id 1) and
 * the default category tree (id 1) assigned to channel 1.
 */
import { HttpError } from './responses';
import type { Runtime } from './runtime';
import type { Location, Plan, Product, StoreState, Variant } from './types';

export const PLANS: Record<string, Plan> = {
  Standard: { name: 'Standard', level: 'Standard', maxLocations: 4 },
  Plus: { name: 'Plus', level: 'Plus', maxLocations: 5 },
  Pro: { name: 'Pro', level: 'Pro', maxLocations: 8 },
  Enterprise: { name: 'Enterprise', level: 'Enterprise', maxLocations: 100 },
};

export interface CreateStoreOptions {
  hash: string;
  name?: string;
  plan?: keyof typeof PLANS | Plan;
  stockMode?: StoreState['stockMode'];
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function createStoreState(options: CreateStoreOptions, now: number, storeId: number): StoreState {
  const plan = typeof options.plan === 'object' ? options.plan : PLANS[options.plan ?? 'Standard'] ?? PLANS.Standard!;
  const stamp = iso(now);
  const defaultLocation: Location = {
    id: 1,
    code: 'BC-LOCATION-1',
    label: 'Default location',
    description: 'The store’s default location and shipping origin',
    managed_by_external_source: false,
    type_id: 'PHYSICAL',
    enabled: true,
    storefront_visibility: true,
    time_zone: 'Etc/UTC',
    address: {
      address1: '11305 Four Points Dr',
      address2: '',
      city: 'Austin',
      state: 'TX',
      zip: '78726',
      email: 'warehouse@example.com',
      phone: '',
      geo_coordinates: { latitude: 30.4019, longitude: -97.8507 },
      country_code: 'US',
    },
    created_at: stamp,
    updated_at: stamp,
  };
  return {
    hash: options.hash,
    store_id: storeId,
    name: options.name ?? `Sandbox store ${options.hash}`,
    plan,
    stockMode: options.stockMode ?? 'default-location',
    updateStockBehavior: 'order_placed',
    quota: null,
    installed: false,
    nextId: { product: 100, variant: 1000, option: 200, optionValue: 300, category: 20, channel: 2, location: 2, order: 100, orderProduct: 1, shipment: 1, refund: 1, hook: 1, address: 1, payment: 1, image: 400, customField: 1 },
    products: [],
    variants: [],
    categories: [],
    channels: [
      {
        id: 1,
        name: options.name ?? 'Sandbox storefront',
        type: 'storefront',
        platform: 'bigcommerce',
        status: 'active',
        external_id: '',
        is_listable_from_ui: true,
        is_visible: true,
        is_enabled: true,
        date_created: stamp,
        date_modified: stamp,
      },
    ],
    channelAssignments: [],
    locations: [defaultLocation],
    stock: [],
    pendingAdjustments: [],
    orders: [],
    hooks: [],
    deliveries: [],
  };
}

export function nextId(store: StoreState, kind: string): number {
  const id = store.nextId[kind] ?? 1;
  store.nextId[kind] = id + 1;
  return id;
}

/** A uuid from the sandbox's seeded id stream, so a seeded run hands out the same ids. */
export function newUuid(rt: Pick<Runtime, 'ids'>): string {
  return rt.ids.uuid();
}

export const DEFAULT_LOCATION_ID = 1;

export function findProduct(store: StoreState, id: number): Product | undefined {
  return store.products.find((p) => p.id === id);
}

export function requireProduct(store: StoreState, id: number): Product {
  const product = findProduct(store, id);
  if (!product) throw new HttpError(404, 'The requested product was not found.');
  return product;
}

export function findVariant(store: StoreState, id: number): Variant | undefined {
  return store.variants.find((v) => v.id === id);
}

export function variantsOf(store: StoreState, product: Product): Variant[] {
  return product.variant_ids.map((id) => findVariant(store, id)).filter((v): v is Variant => v !== undefined);
}

/** Variants created through options have option values; the base variant of a simple product has none. */
export function isSimple(store: StoreState, product: Product): boolean {
  const variants = variantsOf(store, product);
  return variants.length === 1 && variants[0]!.option_value_ids.length === 0;
}

export function findLocation(store: StoreState, id: number): Location | undefined {
  return store.locations.find((l) => l.id === id);
}

/** SKUs are unique case-insensitively across products and variants (products spec, `sku`). */
export function skuTaken(store: StoreState, sku: string, except: { productId?: number; variantId?: number } = {}): boolean {
  if (sku === '') return false;
  const wanted = sku.toLowerCase();
  const inProducts = store.products.some((p) => p.id !== except.productId && p.sku.toLowerCase() === wanted);
  if (inProducts) return true;
  return store.variants.some((v) => {
    if (v.id === except.variantId) return false;
    if (v.sku.toLowerCase() !== wanted) return false;
    // A simple product's base variant carries its product's SKU; that is the same SKU, not a clash.
    return !(except.productId !== undefined && v.product_id === except.productId);
  });
}
