/**
 * Product images and custom fields: their inputs and rules, shared by their own endpoints
 * (product-details-routes.ts) and by product updates that carry `images` or `custom_fields`
 * (products_catalog.v3.yml `product_Base_PUT`).
 *
 * Images are added by URL (`productImage_Post_Put.image_url`: "a fully qualified URL path,
 * including protocol", at most 255 characters), at most 1,000 a product, one thumbnail at a time.
 * Custom fields are `{name, value}`, 1–250 characters each, unique as a name-value pair within the
 * product, at most 200 a product; breaking a rule answers 422.
 */
import { z } from 'zod';
import { HttpError } from './responses';
import type { Runtime } from './runtime';
import { iso, nextId } from './store-state';
import type { CustomField, Product, ProductImage, StoreState } from './types';

export const MAX_IMAGES = 1000;
export const MAX_CUSTOM_FIELDS = 200;
const int32 = z.number().int().min(-2147483648).max(2147483647);

const imageFields = z.object({
  image_url: z
    .string()
    .max(255)
    .refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s), 'image_url must be a fully qualified URL, including protocol'),
  is_thumbnail: z.boolean(),
  sort_order: int32,
  description: z.string(),
});
export const imageCreate = imageFields.partial({ is_thumbnail: true, sort_order: true, description: true });
export const imageUpdate = imageFields.partial();
export type ImageCreate = z.infer<typeof imageCreate>;
export type ImageUpdate = z.infer<typeof imageUpdate>;

const fieldText = z.string().min(1).max(250);
export const customFieldCreate = z.object({ name: fieldText, value: fieldText });
export const customFieldUpdate = customFieldCreate.partial();
export type CustomFieldUpdate = z.infer<typeof customFieldUpdate>;

/** In a product PUT: an entry with the `id` of an existing image or field updates it, one without adds one. */
export const productDetailsUpdate = {
  images: z.array(imageUpdate.extend({ id: z.number().int().optional() })),
  custom_fields: z.array(customFieldCreate.extend({ id: z.number().int().optional() })),
};
export type ProductDetailsUpdate = { images?: z.infer<typeof productDetailsUpdate.images>; custom_fields?: z.infer<typeof productDetailsUpdate.custom_fields> };

export function imagesOf(product: Product): ProductImage[] {
  product.images ??= [];
  return product.images;
}

export function customFieldsOf(product: Product): CustomField[] {
  product.custom_fields ??= [];
  return product.custom_fields;
}

function imageFileName(url: string, id: number): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'image';
  const dot = last.lastIndexOf('.');
  const stem = (dot > 0 ? last.slice(0, dot) : last).replace(/[^A-Za-z0-9_-]+/g, '-') || 'image';
  const ext = dot > 0 ? last.slice(dot + 1).toLowerCase() : 'jpg';
  return `a/${String(id).padStart(3, '0').slice(-3)}/${stem}__${id}.${ext}`;
}

/** Only one image of a product is its thumbnail. */
function makeThumbnail(product: Product, image: ProductImage): void {
  for (const other of imagesOf(product)) other.is_thumbnail = other.id === image.id;
}

export function addImage(rt: Runtime, store: StoreState, product: Product, input: ImageCreate): ProductImage {
  const images = imagesOf(product);
  if (images.length >= MAX_IMAGES) throw new HttpError(422, `A product can have up to ${MAX_IMAGES} images`, { image_url: 'too many images' });
  const id = nextId(store, 'image');
  const image: ProductImage = {
    id,
    product_id: product.id,
    image_url: input.image_url,
    image_file: imageFileName(input.image_url, id),
    is_thumbnail: input.is_thumbnail ?? false,
    sort_order: input.sort_order ?? 0,
    description: input.description ?? '',
    date_modified: iso(rt.config.now()),
  };
  images.push(image);
  if (image.is_thumbnail) makeThumbnail(product, image);
  rt.changed();
  return image;
}

export function updateImage(rt: Runtime, product: Product, image: ProductImage, input: ImageUpdate): ProductImage {
  if (input.image_url !== undefined) {
    image.image_url = input.image_url;
    image.image_file = imageFileName(input.image_url, image.id);
  }
  if (input.sort_order !== undefined) image.sort_order = input.sort_order;
  if (input.description !== undefined) image.description = input.description;
  if (input.is_thumbnail === true) makeThumbnail(product, image);
  else if (input.is_thumbnail === false) image.is_thumbnail = false;
  image.date_modified = iso(rt.config.now());
  rt.changed();
  return image;
}

function checkPairsUnique(pairs: { name: string; value: string }[]): void {
  const seen = new Set<string>();
  for (const pair of pairs) {
    const key = JSON.stringify([pair.name, pair.value]);
    if (seen.has(key)) throw new HttpError(422, 'Every name-value pair must be unique inside a product', { name: `${pair.name}=${pair.value} already exists` });
    seen.add(key);
  }
}

export function addCustomField(rt: Runtime, store: StoreState, product: Product, input: { name: string; value: string }): CustomField {
  const fields = customFieldsOf(product);
  if (fields.length >= MAX_CUSTOM_FIELDS) throw new HttpError(422, `A product can have up to ${MAX_CUSTOM_FIELDS} custom fields`, { name: 'too many custom fields' });
  checkPairsUnique([...fields, input]);
  const field: CustomField = { id: nextId(store, 'customField'), name: input.name, value: input.value };
  fields.push(field);
  rt.changed();
  return field;
}

export function updateCustomField(rt: Runtime, product: Product, field: CustomField, input: CustomFieldUpdate): CustomField {
  const next = { name: input.name ?? field.name, value: input.value ?? field.value };
  checkPairsUnique([...customFieldsOf(product).filter((f) => f.id !== field.id), next]);
  Object.assign(field, next);
  rt.changed();
  return field;
}

/**
 * Checks a product PUT's `images` and `custom_fields` against the product without changing
 * anything, so a refused update leaves the product as it was.
 */
export function checkProductDetails(product: Product, input: ProductDetailsUpdate): void {
  const images = imagesOf(product);
  (input.images ?? []).forEach((entry, i) => {
    if (entry.id !== undefined && !images.some((image) => image.id === entry.id)) throw new HttpError(422, `Image ${entry.id} does not belong to product ${product.id}`, { [`images.${i}.id`]: 'unknown image' });
    if (entry.id === undefined && entry.image_url === undefined) throw new HttpError(422, 'image_url must be present if uploading by url', { [`images.${i}.image_url`]: 'required' });
  });
  const added = (input.images ?? []).filter((e) => e.id === undefined).length;
  if (images.length + added > MAX_IMAGES) throw new HttpError(422, `A product can have up to ${MAX_IMAGES} images`, { images: 'too many images' });

  const fields = new Map(customFieldsOf(product).map((f) => [f.id, { name: f.name, value: f.value }]));
  const extra: { name: string; value: string }[] = [];
  (input.custom_fields ?? []).forEach((entry, i) => {
    if (entry.id === undefined) extra.push(entry);
    else if (fields.has(entry.id)) fields.set(entry.id, { name: entry.name, value: entry.value });
    else throw new HttpError(422, `Custom field ${entry.id} does not belong to product ${product.id}`, { [`custom_fields.${i}.id`]: 'unknown custom field' });
  });
  if (fields.size + extra.length > MAX_CUSTOM_FIELDS) throw new HttpError(422, `A product can have up to ${MAX_CUSTOM_FIELDS} custom fields`, { custom_fields: 'too many custom fields' });
  checkPairsUnique([...fields.values(), ...extra]);
}

/** Applies a checked product PUT's `images` and `custom_fields`; entries left out are kept. */
export function applyProductDetails(rt: Runtime, store: StoreState, product: Product, input: ProductDetailsUpdate): void {
  for (const entry of input.images ?? []) {
    const { id, ...fields } = entry;
    const image = id === undefined ? undefined : imagesOf(product).find((i) => i.id === id);
    if (image) updateImage(rt, product, image, fields);
    else if (fields.image_url !== undefined) addImage(rt, store, product, { ...fields, image_url: fields.image_url });
  }
  const updates = (input.custom_fields ?? []).filter((e) => e.id !== undefined);
  for (const entry of updates) {
    const field = customFieldsOf(product).find((f) => f.id === entry.id);
    if (field) Object.assign(field, { name: entry.name, value: entry.value });
  }
  for (const entry of (input.custom_fields ?? []).filter((e) => e.id === undefined)) {
    customFieldsOf(product).push({ id: nextId(store, 'customField'), name: entry.name, value: entry.value });
  }
  rt.changed();
}
