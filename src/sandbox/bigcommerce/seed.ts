/**
 * The demo store: the default storefront channel and location every store has, two visible
 * categories and a few BigCommerce-only products. It deliberately holds nothing the Lightspeed
 * sandbox owns (SKUs are prefixed `BC-`), so linking by SKU never matches seed products.
 */
import { createProduct } from './catalog';
import { addCategory } from './categories-routes';
import type { Runtime } from './runtime';
import type { StoreState } from './types';

export function seedStore(rt: Runtime, store: StoreState): void {
  const shop = addCategory(rt, store, { name: 'Shop All', is_visible: true });
  const gifts = addCategory(rt, store, { name: 'Gifts', is_visible: true });
  createProduct(rt, store, {
    name: 'Canvas Tote Bag',
    type: 'physical',
    sku: 'BC-TOTE',
    weight: 1,
    price: 24,
    cost_price: 9,
    categories: [shop.id, gifts.id],
    inventory_tracking: 'product',
    inventory_level: 25,
  });
  createProduct(rt, store, {
    name: 'Enamel Coffee Mug',
    type: 'physical',
    weight: 2,
    price: 16,
    categories: [shop.id],
    inventory_tracking: 'variant',
    variants: [
      { sku: 'BC-MUG-BLU', option_values: [{ option_display_name: 'Mug Color', label: 'Blue' }], inventory_level: 10 },
      { sku: 'BC-MUG-GRY', option_values: [{ option_display_name: 'Mug Color', label: 'Gray' }], inventory_level: 8 },
    ],
  });
  createProduct(rt, store, {
    name: 'Digital Gift Card',
    type: 'digital',
    sku: 'BC-GIFTCARD',
    weight: 0,
    price: 50,
    categories: [gifts.id],
    inventory_tracking: 'none',
  });
}
