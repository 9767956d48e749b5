/**
 * Categories: the legacy `/catalog/categories` endpoints and the category-trees endpoints that
 * replace them. The store has one tree (id 1) assigned to the default storefront channel.
 */
import { z } from 'zod';
import { slug } from './catalog-views';
import { data, HttpError, intList, json, paged, parseBody, readPage, boolParam } from './responses';
import type { Router } from './router';
import { intParam, type RouteContext, type Runtime } from './runtime';
import { newUuid, nextId } from './store-state';
import type { Category, StoreState } from './types';

const DEFAULT_TREE_ID = 1;

const categoryFields = z.object({
  name: z.string().min(1).max(50),
  parent_id: z.number().int().min(0).optional(),
  tree_id: z.number().int().optional(),
  description: z.string().optional(),
  is_visible: z.boolean().optional(),
  sort_order: z.number().int().optional(),
  page_title: z.string().optional(),
  search_keywords: z.string().optional(),
});
type CategoryFields = z.infer<typeof categoryFields>;

function legacyView(c: Category) {
  return {
    id: c.id,
    parent_id: c.parent_id,
    name: c.name,
    description: c.description,
    views: 0,
    sort_order: c.sort_order,
    page_title: c.page_title,
    search_keywords: c.search_keywords,
    meta_keywords: [],
    meta_description: '',
    layout_file: 'category.html',
    is_visible: c.is_visible,
    default_product_sort: 'use_store_settings',
    image_url: '',
    custom_url: { url: c.url_path, is_customized: false },
  };
}

function treeView(c: Category) {
  return {
    category_id: c.id,
    category_uuid: c.uuid,
    tree_id: c.tree_id,
    parent_id: c.parent_id,
    name: c.name,
    description: c.description,
    views: 0,
    sort_order: c.sort_order,
    page_title: c.page_title,
    meta_keywords: [],
    meta_description: '',
    layout_file: 'category.html',
    image_url: '',
    is_visible: c.is_visible,
    search_keywords: c.search_keywords,
    default_product_sort: 'use_store_settings',
    url: { path: c.url_path, is_customized: false },
  };
}

export function addCategory(rt: Pick<Runtime, 'ids'>, store: StoreState, fields: CategoryFields): Category {
  const parentId = fields.parent_id ?? 0;
  if (parentId !== 0 && !store.categories.some((c) => c.id === parentId)) throw new HttpError(422, `Parent category ${parentId} does not exist`, { parent_id: 'not found' });
  const treeId = fields.tree_id ?? DEFAULT_TREE_ID;
  if (treeId !== DEFAULT_TREE_ID) throw new HttpError(422, `Tree ${treeId} does not exist`, { tree_id: 'not found' });
  if (store.categories.some((c) => c.parent_id === parentId && c.name.toLowerCase() === fields.name.toLowerCase())) {
    throw new HttpError(409, `A category named ${fields.name} already exists at this level`, { name: 'duplicate' });
  }
  const category: Category = {
    id: nextId(store, 'category'),
    uuid: newUuid(rt),
    tree_id: treeId,
    parent_id: parentId,
    name: fields.name,
    description: fields.description ?? '',
    is_visible: fields.is_visible ?? true,
    sort_order: fields.sort_order ?? 0,
    page_title: fields.page_title ?? '',
    search_keywords: fields.search_keywords ?? '',
    url_path: `/${slug(fields.name)}/`,
  };
  store.categories.push(category);
  return category;
}

function updateCategory(store: StoreState, category: Category, fields: Partial<CategoryFields>): void {
  if (fields.name !== undefined && store.categories.some((c) => c.id !== category.id && c.parent_id === (fields.parent_id ?? category.parent_id) && c.name.toLowerCase() === fields.name!.toLowerCase())) {
    throw new HttpError(409, `A category named ${fields.name} already exists at this level`, { name: 'duplicate' });
  }
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && key !== 'tree_id') (category as unknown as Record<string, unknown>)[key] = value;
}

function filtered(ctx: RouteContext, idParam: string): Category[] {
  const ids = intList(ctx.url, idParam);
  const parents = intList(ctx.url, 'parent_id:in') ?? intList(ctx.url, 'parent_id');
  const visible = boolParam(ctx.url, 'is_visible');
  const name = ctx.url.searchParams.get('name');
  return ctx.store.categories
    .filter((c) => !ids || ids.includes(c.id))
    .filter((c) => !parents || parents.includes(c.parent_id))
    .filter((c) => visible === undefined || c.is_visible === visible)
    .filter((c) => name === null || c.name === name);
}

function requireCategory(store: StoreState, id: number): Category {
  const category = store.categories.find((c) => c.id === id);
  if (!category) throw new HttpError(404, 'The requested category was not found.');
  return category;
}

export function registerCategoryRoutes(router: Router): void {
  router
    .get('/v3/catalog/categories', (ctx) => paged(filtered(ctx, 'id:in').map(legacyView), ctx.url, readPage(ctx.url)))
    .post('/v3/catalog/categories', async (ctx) => {
      const category = addCategory(ctx.rt, ctx.store, await parseBody(ctx.req, categoryFields.extend({ parent_id: z.number().int().min(0) })));
      ctx.rt.changed();
      return data(legacyView(category));
    })
    .get('/v3/catalog/categories/:category_id', (ctx) => data(legacyView(requireCategory(ctx.store, intParam(ctx, 'category_id')))))
    .put('/v3/catalog/categories/:category_id', async (ctx) => {
      const category = requireCategory(ctx.store, intParam(ctx, 'category_id'));
      updateCategory(ctx.store, category, await parseBody(ctx.req, categoryFields.partial()));
      ctx.rt.changed();
      return data(legacyView(category));
    })
    .get('/v3/catalog/trees', (ctx) => paged([{ id: DEFAULT_TREE_ID, name: 'Default tree', channels: [1] }], ctx.url, readPage(ctx.url)))
    .get('/v3/catalog/trees/categories', (ctx) => paged(filtered(ctx, 'category_id:in').map(treeView), ctx.url, readPage(ctx.url)))
    .post('/v3/catalog/trees/categories', async (ctx) => {
      const body = await parseBody(ctx.req, z.array(categoryFields).min(1));
      const created = body.map((fields) => addCategory(ctx.rt, ctx.store, fields));
      ctx.rt.changed();
      return json({ data: created.map(treeView), meta: { total: created.length, success: created.length, failed: 0 } }, 201);
    })
    .put('/v3/catalog/trees/categories', async (ctx) => {
      const body = await parseBody(ctx.req, z.array(categoryFields.partial().extend({ category_id: z.number().int() })).min(1));
      const updated = body.map(({ category_id: id, ...fields }) => {
        const category = ctx.store.categories.find((c) => c.id === id);
        if (!category) throw new HttpError(422, `Category ${id} does not exist`, { category_id: 'not found' });
        updateCategory(ctx.store, category, fields);
        return category;
      });
      ctx.rt.changed();
      return json({ data: updated.map(treeView), meta: { total: updated.length, success: updated.length, failed: 0 } });
    });
}
