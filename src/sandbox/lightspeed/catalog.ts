/**
 * The seeded demo retailer: two stores and a back-room warehouse, registers, users, payment
 * types, taxes and a deterministic catalog (a third of it in size/colour variant families)
 * with valid EAN-13 / UPC-A barcodes and stock per outlet. Same seed → same ids and numbers.
 */
import { isoTime } from './context';
import { ean13, pick, randomInt, seededRandom, upcA, uuidFrom, type Random } from './ids';
import type { InventoryRecord, Named, Outlet, Product, Register, Retailer } from './types';

export interface SeedOptions {
  products?: number;
  seedRandom?: number;
}

export const DEFAULT_DOMAIN_PREFIX = 'sandbox-retailer';

const FAMILY_BASES = [
  ['Classic Tee', 'Tops'],
  ['Hooded Sweatshirt', 'Tops'],
  ['Oxford Shirt', 'Tops'],
  ['Chino Pant', 'Bottoms'],
  ['Denim Jean', 'Bottoms'],
  ['Rain Jacket', 'Outerwear'],
  ['Wool Sweater', 'Knitwear'],
  ['Running Sneaker', 'Footwear'],
  ['Trail Sock', 'Accessories'],
  ['Linen Dress', 'Dresses'],
] as const;
const SINGLE_BASES = [
  ['Canvas Tote', 'Bags'],
  ['Leather Wallet', 'Accessories'],
  ['Water Bottle 750ml', 'Home'],
  ['Knit Beanie', 'Accessories'],
  ['Polarized Sunglasses', 'Accessories'],
  ['Notebook A5', 'Stationery'],
  ['Scented Candle', 'Home'],
  ['Leather Belt', 'Accessories'],
  ['Travel Mug', 'Home'],
  ['Gift Card Holder', 'Stationery'],
  ['Silk Scarf', 'Accessories'],
  ['Phone Case', 'Tech'],
] as const;
const ADJECTIVES = ['Harbor', 'Summit', 'Meadow', 'Coastal', 'Urban', 'Alpine', 'Canyon', 'Prairie', 'Juniper', 'Cedar', 'Granite', 'Willow'];
const BRANDS = ['Northwind', 'Fieldhouse', 'Loom & Co', 'Tidewater', 'Ironbark', 'Bluebird Goods'];
const SUPPLIERS = ['Atlas Wholesale', 'Pioneer Textiles', 'Keystone Imports'];
const TAGS = ['new-arrival', 'bestseller', 'organic', 'clearance', 'gift-idea', 'limited'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL'];
const COLOURS = [
  ['Navy', 'NVY'],
  ['Black', 'BLK'],
  ['Olive', 'OLV'],
  ['Sand', 'SND'],
  ['Red', 'RED'],
] as const;

function named(random: Random, retailer: Retailer, name: string): Named {
  retailer.version += 1;
  return { id: uuidFrom(random), name, deleted_at: null, version: retailer.version };
}

function byName(records: Record<string, Named>, list: Named[]): void {
  for (const n of list) records[n.id] = n;
}

export function createRetailer(domainPrefix: string, now: number, seed: boolean | SeedOptions): Retailer {
  const options: SeedOptions = typeof seed === 'object' ? seed : {};
  const random = seededRandom(options.seedRandom ?? 20260701);
  const createdAt = isoTime(now);
  const retailer: Retailer = {
    id: uuidFrom(random),
    domain_prefix: domainPrefix,
    name: 'Sandbox Outfitters',
    created_at: createdAt,
    version: 1000,
    invoice_sequence: 1000,
    outlets: {},
    registers: {},
    users: {},
    payment_types: {},
    taxes: {},
    brands: {},
    product_types: {},
    tags: {},
    suppliers: {},
    variant_attributes: {},
    products: {},
    inventory: {},
    sales: {},
    consignments: {},
    stock_adjustments: {},
    webhooks: {},
    fulfillments: {},
    held_sales: [],
  };
  const v = () => (retailer.version += 1);

  const salesTax = { ...named(random, retailer, 'NY Sales Tax'), display_name: 'Sales Tax', rate: 0.08875, rate_id: uuidFrom(random), is_default: true };
  const noTax = { ...named(random, retailer, 'No Tax'), display_name: 'No Tax', rate: 0, rate_id: uuidFrom(random), is_default: false };
  retailer.taxes[salesTax.id] = salesTax;
  retailer.taxes[noTax.id] = noTax;

  const outletDefs = [
    ['Downtown Store', 'store', '120 Broadway', '10271'],
    ['Uptown Store', 'store', '2300 Amsterdam Ave', '10033'],
    ['Back Room Warehouse', 'warehouse', '45 Industrial Way', '11101'],
  ] as const;
  const outlets: Outlet[] = outletDefs.map(([name, kind, address, postcode]) => ({
    id: uuidFrom(random),
    name,
    kind,
    time_zone: 'America/New_York',
    currency: 'USD',
    currency_symbol: '$',
    default_tax_id: salesTax.id,
    email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@sandbox-outfitters.example`,
    phone: '+1 212 555 0100',
    physical_address_1: address,
    physical_city: 'New York',
    physical_postcode: postcode,
    physical_state: 'NY',
    physical_country_id: 'US',
    deleted_at: null,
    version: v(),
  }));
  for (const o of outlets) retailer.outlets[o.id] = o;

  const stores = outlets.filter((o) => o.kind === 'store');
  stores.forEach((outlet, storeIndex) => {
    ['Main Register', 'Register 2'].forEach((name, i) => {
      // One register is closed so both states show up in the seed.
      const open = !(storeIndex === 1 && i === 1);
      const register: Register = {
        id: uuidFrom(random),
        name: `${outlet.name.split(' ')[0]} ${name}`,
        outlet_id: outlet.id,
        is_open: open,
        invoice_prefix: `${outlet.name.slice(0, 2).toUpperCase()}${i + 1}-`,
        invoice_suffix: '',
        invoice_sequence: 0,
        register_open_time: open ? createdAt : null,
        register_close_time: open ? null : createdAt,
        register_open_sequence_id: open ? uuidFrom(random) : null,
        offline: false,
        deleted_at: null,
        version: v(),
      };
      retailer.registers[register.id] = register;
    });
  });

  const userDefs = [
    ['alex.admin', 'Alex Admin', 'admin', true],
    ['morgan.manager', 'Morgan Manager', 'manager', false],
    ['casey.cashier', 'Casey Cashier', 'cashier', false],
  ] as const;
  for (const [username, display, type, primary] of userDefs) {
    const id = uuidFrom(random);
    retailer.users[id] = {
      id,
      username,
      display_name: display,
      email: `${username}@sandbox-outfitters.example`,
      account_type: type,
      is_primary_user: primary,
      created_at: createdAt,
      updated_at: createdAt,
      deleted_at: null,
      version: v(),
    };
  }

  for (const [name, typeId, category] of [
    ['Cash', 1, 'cash'],
    ['Credit Card', 3, 'card'],
    ['Gift Card', 8, 'gift_card'],
  ] as const) {
    const p = { ...named(random, retailer, name), type_id: typeId, category };
    retailer.payment_types[p.id] = p;
  }

  if (seed === false) return retailer;

  const brands = BRANDS.map((n) => named(random, retailer, n));
  const suppliers = SUPPLIERS.map((n) => named(random, retailer, n));
  const tags = TAGS.map((n) => named(random, retailer, n));
  const typeNames = [...new Set([...FAMILY_BASES, ...SINGLE_BASES].map(([, t]) => t))];
  const types = new Map<string, Named>(typeNames.map((n) => [n, named(random, retailer, n)]));
  const sizeAttr = named(random, retailer, 'Size');
  const colourAttr = named(random, retailer, 'Colour');
  byName(retailer.brands, brands);
  byName(retailer.suppliers, suppliers);
  byName(retailer.tags, tags);
  byName(retailer.product_types, [...types.values()]);
  byName(retailer.variant_attributes, [sizeAttr, colourAttr]);

  const usedCodes = new Set<string>();
  const barcode = (index: number): { type: 'EAN' | 'UPC'; code: string } => {
    for (;;) {
      const digits = Array.from({ length: 9 }, () => randomInt(random, 0, 9)).join('');
      const code = index % 2 === 0 ? ean13(`200${digits}`) : upcA(`04${digits}`);
      if (usedCodes.has(code)) continue;
      usedCodes.add(code);
      return { type: index % 2 === 0 ? 'EAN' : 'UPC', code };
    }
  };

  const target = options.products ?? 300;
  const familyTarget = Math.round(target / 3);
  let sellable = 0;
  let familyMembers = 0;
  let styleNumber = 1000;

  const baseProduct = (name: string, typeName: string, price: number): Product => {
    const brand = pick(random, brands);
    const supplier = pick(random, suppliers);
    const tagCount = randomInt(random, 0, 2);
    const tagIds = [...new Set(Array.from({ length: tagCount }, () => pick(random, tags).id))];
    const id = uuidFrom(random);
    return {
      id,
      family_id: id,
      variant_parent_id: null,
      is_family_parent: false,
      name,
      base_name: name,
      variant_name: null,
      variant_options: [],
      variant_count: null,
      handle: name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
      sku: '',
      description: `<p>${name} by ${brand.name}.</p>`,
      active: random() > 0.04,
      has_inventory: random() > 0.03,
      brand_id: brand.id,
      product_type_id: types.get(typeName)?.id ?? null,
      supplier_id: supplier.id,
      supplier_code: null,
      tag_ids: tagIds,
      price_excluding_tax: price,
      supply_price: Math.round(price * (0.35 + random() * 0.2) * 100) / 100,
      tax_id: salesTax.id,
      product_codes: [],
      source: 'USER',
      source_id: null,
      source_variant_id: null,
      created_at: createdAt,
      updated_at: createdAt,
      deleted_at: null,
      version: 0,
    };
  };

  const addStock = (product: Product): void => {
    for (const outlet of outlets) {
      const level = outlet.kind === 'warehouse' ? randomInt(random, 0, 120) : random() < 0.12 ? 0 : randomInt(random, 1, 25);
      const record: InventoryRecord = {
        id: uuidFrom(random),
        product_id: product.id,
        outlet_id: outlet.id,
        current_inventory_level: level,
        reorder_point: outlet.kind === 'store' ? 3 : 10,
        reorder_amount: outlet.kind === 'store' ? 10 : 40,
        average_cost: product.supply_price,
        deleted_at: null,
        version: v(),
      };
      retailer.inventory[`${product.id}:${outlet.id}`] = record;
    }
  };

  const addSellable = (product: Product): void => {
    product.supplier_code = `${product.sku}-S`;
    const code = barcode(sellable);
    product.product_codes = [{ id: uuidFrom(random), type: code.type, code: code.code }];
    product.version = v();
    retailer.products[product.id] = product;
    addStock(product);
    sellable += 1;
  };

  while (sellable < target) {
    styleNumber += 1;
    const adjective = pick(random, ADJECTIVES);
    const wantFamily = familyMembers < familyTarget && target - sellable >= 3 && random() < 0.5;
    if (wantFamily) {
      const [baseName, typeName] = pick(random, FAMILY_BASES);
      const name = `${adjective} ${baseName}`;
      const price = randomInt(random, 24, 140) - 0.01;
      const parent = baseProduct(name, typeName, price);
      parent.is_family_parent = true;
      parent.sku = `ST-${styleNumber}`;
      const sizes = SIZES.slice(randomInt(random, 0, 1), randomInt(random, 3, 5));
      const colours = COLOURS.slice(0, randomInt(random, 1, 2));
      const combos = sizes.flatMap((size) => colours.map((colour) => [size, colour] as const)).slice(0, Math.max(3, target - sellable));
      parent.variant_count = combos.length;
      parent.version = v();
      retailer.products[parent.id] = parent;
      for (const [size, [colour, colourCode]] of combos) {
        const child = baseProduct(`${name} / ${size} / ${colour}`, typeName, price);
        child.family_id = parent.family_id;
        child.variant_parent_id = parent.id;
        child.base_name = name;
        child.handle = parent.handle;
        child.brand_id = parent.brand_id;
        child.supplier_id = parent.supplier_id;
        child.product_type_id = parent.product_type_id;
        child.tag_ids = [...parent.tag_ids];
        child.has_inventory = parent.has_inventory;
        child.active = parent.active;
        child.supply_price = parent.supply_price;
        child.description = parent.description;
        child.variant_name = `${size} / ${colour}`;
        child.variant_options = [
          { name: 'Size', value: size },
          { name: 'Colour', value: colour },
        ];
        child.sku = `${parent.sku}-${size}-${colourCode}`;
        addSellable(child);
        familyMembers += 1;
        if (sellable >= target) break;
      }
    } else {
      const [baseName, typeName] = pick(random, SINGLE_BASES);
      const product = baseProduct(`${adjective} ${baseName}`, typeName, randomInt(random, 6, 90) - 0.01);
      product.sku = `SKU-${styleNumber}`;
      addSellable(product);
    }
  }
  return retailer;
}
