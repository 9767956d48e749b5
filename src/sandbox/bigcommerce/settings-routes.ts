/**
 * Inventory settings (settings.v3.yml `/settings/inventory`). `update_stock_behavior` decides when
 * an order takes its stock, `refund_order_stock_adjustment` whether cancelling or refunding returns
 * it (orders.ts), and the out-of-stock behaviours shape the sandbox storefront (storefront.ts).
 * With `channel_id` (spec `ChannelIdParam`: "Channel ID to use for channel-specific settings. If
 * omitted, you will interact with the global settings only") a PUT writes that channel's overrides
 * and a GET reads them, `null` for a field not overridden ("null indicates that a particular field
 * has not been overridden on a channel level"); a `null` in a PUT removes that override. A
 * channel's `update_stock_behavior` decides when its orders take stock (orders.ts).
 */
import { z } from 'zod';
import { data, HttpError, parseBody } from './responses';
import type { Router } from './router';
import type { RouteContext } from './runtime';
import { globalInventorySettings } from './inventory-settings';
import type { StoreState } from './types';

const settingsInput = z.object({
  product_out_of_stock_behavior: z.enum(['do_nothing', 'hide_product', 'hide_product_and_accessible', 'hide_product_and_redirect']).optional(),
  option_out_of_stock_behavior: z.enum(['do_nothing', 'hide_option', 'label_option']).optional(),
  update_stock_behavior: z.enum(['order_placed', 'order_completed_or_shipped']).optional(),
  edit_order_stock_adjustment: z.boolean().optional(),
  refund_order_stock_adjustment: z.boolean().optional(),
  stock_level_display: z.enum(['dont_show', 'show', 'show_when_low']).optional(),
  default_out_of_stock_message: z.string().optional(),
  hide_in_product_filtering: z.boolean().optional(),
  show_pre_order_stock_levels: z.boolean().optional(),
  show_out_of_stock_message: z.boolean().optional(),
});

const FIELDS = Object.keys(settingsInput.shape) as (keyof typeof settingsInput.shape)[];
const channelSettingsInput = z.object(Object.fromEntries(FIELDS.map((f) => [f, settingsInput.shape[f].unwrap().nullable().optional()])) as {
  [K in keyof typeof settingsInput.shape]: z.ZodOptional<z.ZodNullable<ReturnType<(typeof settingsInput.shape)[K]['unwrap']>>>;
});

/** The `channel_id` query parameter: absent, or the id of one of the store's channels. */
function channelOf(ctx: RouteContext): number | undefined {
  const raw = ctx.url.searchParams.get('channel_id');
  if (raw === null) return undefined;
  const id = Number(raw);
  if (!Number.isInteger(id) || !ctx.store.channels.some((c) => c.id === id)) throw new HttpError(422, `channel_id ${raw} is not a channel of this store`, { channel_id: 'unknown channel' });
  return id;
}

function channelView(store: StoreState, channelId: number) {
  const overrides = store.channelInventorySettings?.[String(channelId)] ?? {};
  return Object.fromEntries(FIELDS.map((f) => [f, overrides[f] ?? null]));
}

function view(store: StoreState) {
  return globalInventorySettings(store);
}

async function updateSettings(ctx: RouteContext): Promise<Response> {
  const channelId = channelOf(ctx);
  if (channelId !== undefined) {
    const body = await parseBody(ctx.req, channelSettingsInput);
    const key = String(channelId);
    const overrides = { ...(ctx.store.channelInventorySettings?.[key] ?? {}) };
    for (const [field, value] of Object.entries(body)) {
      if (value === null) delete overrides[field];
      else if (value !== undefined) overrides[field] = value;
    }
    ctx.store.channelInventorySettings = { ...(ctx.store.channelInventorySettings ?? {}), [key]: overrides };
    ctx.rt.changed();
    return data(channelView(ctx.store, channelId));
  }
  const body = await parseBody(ctx.req, settingsInput);
  const { update_stock_behavior: behavior, ...rest } = body;
  if (behavior) ctx.store.updateStockBehavior = behavior;
  ctx.store.inventorySettings = { ...(ctx.store.inventorySettings ?? {}), ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
  ctx.rt.changed();
  return data(view(ctx.store));
}

export function registerSettingsRoutes(router: Router): void {
  router.get('/v3/settings/inventory', (ctx) => {
    const channelId = channelOf(ctx);
    return data(channelId === undefined ? view(ctx.store) : channelView(ctx.store, channelId));
  }).put('/v3/settings/inventory', updateSettings);
}
