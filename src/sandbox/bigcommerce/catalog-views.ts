/**
 * Catalog resources as the Catalog v3 API returns them (product_Full, productVariant_Full,
 * productOption_Full). Stock fields are derived from location stock at read time.
 */
import { catalogLevel, productLevel } from './inventory';
import { isSimple, variantsOf } from './store-state';
import type { CustomField, Product, ProductImage, ProductOption, StoreState, Variant } from './types';

export function optionValueLabels(product: Product, variant: Variant) {
  return variant.option_value_ids.map(({ option_id, id }) => {
    const option = product.options.find((o) => o.id === option_id);
    const value = option?.option_values.find((v) => v.id === id);
    return { id, option_id, option_display_name: option?.display_name ?? '', label: value?.label ?? '' };
  });
}

export function variantView(store: StoreState, product: Product, variant: Variant) {
  const price = variant.price ?? product.price;
  const sale = variant.sale_price ?? (product.sale_price > 0 ? product.sale_price : null);
  return {
    id: variant.id,
    product_id: variant.product_id,
    sku: variant.sku,
    sku_id: variant.option_value_ids.length > 0 ? variant.id : null,
    option_values: optionValueLabels(product, variant),
    price: variant.price,
    sale_price: variant.sale_price,
    retail_price: variant.retail_price,
    cost_price: variant.cost_price,
    calculated_price: sale !== null && sale > 0 ? sale : price,
    weight: variant.weight,
    calculated_weight: variant.weight ?? product.weight,
    width: null,
    height: null,
    depth: null,
    is_free_shipping: false,
    fixed_cost_shipping_price: null,
    purchasing_disabled: variant.purchasing_disabled,
    purchasing_disabled_message: '',
    image_url: '',
    upc: variant.upc,
    gtin: variant.gtin,
    mpn: variant.mpn,
    inventory_level: catalogLevel(store, variant.id),
    inventory_warning_level: variant.inventory_warning_level,
    bin_picking_number: variant.bin_picking_number,
  };
}

export function optionView(option: ProductOption) {
  return {
    id: option.id,
    product_id: option.product_id,
    display_name: option.display_name,
    name: `${option.display_name}-${option.id}`,
    type: option.type,
    sort_order: option.sort_order,
    config: {},
    option_values: option.option_values.map(optionValueView),
  };
}

/**
 * `productOptionOptionValue_Base.value_data` is an object (not nullable) in
 * product-variant-options_catalog.v3.yml: a value without data leaves the field out rather
 * than answering `null`.
 */
export function optionValueView(value: ProductOption['option_values'][number]) {
  const { value_data: valueData, ...rest } = value;
  return valueData === null ? rest : { ...rest, value_data: valueData };
}

/**
 * `productImage_Full`. The resized `url_*` renditions are derived from the image's id and file
 * name on a CDN-like host; the sandbox stores no image bytes.
 */
export function imageView(store: StoreState, image: ProductImage) {
  const base = `https://cdn.sandbox.invalid/s-${store.hash}/products/${image.product_id}/images/${image.id}/${image.image_file.split('/').pop() ?? ''}`;
  return {
    id: image.id,
    product_id: image.product_id,
    is_thumbnail: image.is_thumbnail,
    sort_order: image.sort_order,
    description: image.description,
    image_file: image.image_file,
    image_url: image.image_url,
    url_zoom: `${base}?size=1280x1280`,
    url_standard: `${base}?size=500x659`,
    url_thumbnail: `${base}?size=220x290`,
    url_tiny: `${base}?size=44x58`,
    date_modified: image.date_modified,
  };
}

/** `customFieldData`: id, name, value. */
export function customFieldView(field: CustomField) {
  return { id: field.id, name: field.name, value: field.value };
}

/** Images in display order: `sort_order`, then id (products_catalog.v3.yml `productImage_Base.sort_order`). */
export function sortedImages(product: Product): ProductImage[] {
  return [...(product.images ?? [])].sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
}

export interface ProductIncludes {
  variants: boolean;
  options: boolean;
  images?: boolean;
  custom_fields?: boolean;
}

export function productView(store: StoreState, product: Product, include: ProductIncludes) {
  const simple = isSimple(store, product);
  const view: Record<string, unknown> = {
    id: product.id,
    name: product.name,
    type: product.type,
    sku: product.sku,
    description: product.description,
    weight: product.weight,
    width: 0,
    depth: 0,
    height: 0,
    price: product.price,
    cost_price: product.cost_price,
    retail_price: product.retail_price,
    sale_price: product.sale_price,
    map_price: 0,
    calculated_price: product.sale_price > 0 ? product.sale_price : product.price,
    tax_class_id: 0,
    product_tax_code: '',
    categories: [...product.categories],
    brand_id: 0,
    inventory_level: productLevel(store, product),
    inventory_warning_level: product.inventory_warning_level,
    inventory_tracking: product.inventory_tracking,
    fixed_cost_shipping_price: 0,
    is_free_shipping: false,
    is_visible: product.is_visible,
    is_featured: false,
    related_products: [-1],
    warranty: '',
    bin_picking_number: '',
    layout_file: 'product.html',
    upc: product.upc,
    gtin: product.gtin,
    mpn: product.mpn,
    search_keywords: '',
    availability: product.availability,
    availability_description: '',
    gift_wrapping_options_type: 'any',
    gift_wrapping_options_list: [],
    sort_order: 0,
    condition: 'New',
    is_condition_shown: false,
    order_quantity_minimum: 0,
    order_quantity_maximum: 0,
    page_title: '',
    meta_keywords: [],
    meta_description: '',
    view_count: 0,
    preorder_release_date: null,
    preorder_message: '',
    is_preorder_only: false,
    is_price_hidden: false,
    price_hidden_label: '',
    custom_url: { url: `/${slug(product.name)}/`, is_customized: false },
    open_graph_type: 'product',
    open_graph_title: '',
    open_graph_description: '',
    open_graph_use_meta_description: true,
    open_graph_use_product_name: true,
    open_graph_use_image: true,
    reviews_rating_sum: 0,
    reviews_count: 0,
    total_sold: product.total_sold,
    date_created: product.date_created,
    date_modified: product.date_modified,
  };
  // base_variant_id identifies the one variant of a simple product; complex products have none.
  if (simple && product.variant_ids[0] !== undefined) view.base_variant_id = product.variant_ids[0];
  if (include.variants) view.variants = variantsOf(store, product).map((v) => variantView(store, product, v));
  if (include.options) view.options = product.options.map(optionView);
  if (include.images) view.images = sortedImages(product).map((i) => imageView(store, i));
  if (include.custom_fields) view.custom_fields = (product.custom_fields ?? []).map(customFieldView);
  return view;
}

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function readIncludes(url: URL): ProductIncludes {
  const include = (url.searchParams.get('include') ?? '').split(',').map((s) => s.trim());
  // IncludeParamBase (products_catalog.v3.yml) also lists images and custom_fields.
  return { variants: include.includes('variants'), options: include.includes('options'), images: include.includes('images'), custom_fields: include.includes('custom_fields') };
}
