/**
 * Inventory settings (settings.v3.yml `/settings/inventory`). Only `update_stock_behavior` changes
 * sandbox behaviour (when an order takes its stock); the other fields are stored global settings.
 * Per-channel overrides are not modelled: with `channel_id` every field reads as the global value.
 */
import { z } from 'zod';
import { data, parseBody } from './responses';
import type { Router } from './router';
import type { RouteContext } from './runtime';
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

function view(store: StoreState) {
  return {
    product_out_of_stock_behavior: 'do_nothing',
    option_out_of_stock_behavior: 'do_nothing',
    edit_order_stock_adjustment: true,
    refund_order_stock_adjustment: true,
    stock_level_display: 'dont_show',
    default_out_of_stock_message: '',
    hide_in_product_filtering: false,
    show_pre_order_stock_levels: false,
    show_out_of_stock_message: false,
    ...(store.inventorySettings ?? {}),
    update_stock_behavior: store.updateStockBehavior,
  };
}

async function updateSettings(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, settingsInput);
  const { update_stock_behavior: behavior, ...rest } = body;
  if (behavior) ctx.store.updateStockBehavior = behavior;
  ctx.store.inventorySettings = { ...(ctx.store.inventorySettings ?? {}), ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
  ctx.rt.changed();
  return data(view(ctx.store));
}

export function registerSettingsRoutes(router: Router): void {
  router.get('/v3/settings/inventory', (ctx) => data(view(ctx.store))).put('/v3/settings/inventory', updateSettings);
}
