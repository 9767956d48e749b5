/**
 * The store's inventory settings (settings.v3.yml `InventorySettings`) as the rest of the sandbox
 * reads them: the global values (defaults until written) and, for an order or a storefront in a
 * channel, that channel's override where one is set — "Global settings apply when inventory
 * changes through a manual order. Settings for a channel apply when inventory changes through an
 * order in a channel" (settings.v3.yml, `update_stock_behavior` and its siblings).
 */
import type { StoreState, UpdateStockBehavior } from './types';

export interface InventorySettings {
  product_out_of_stock_behavior: 'do_nothing' | 'hide_product' | 'hide_product_and_accessible' | 'hide_product_and_redirect';
  option_out_of_stock_behavior: 'do_nothing' | 'hide_option' | 'label_option';
  update_stock_behavior: UpdateStockBehavior;
  edit_order_stock_adjustment: boolean;
  refund_order_stock_adjustment: boolean;
  stock_level_display: 'dont_show' | 'show' | 'show_when_low';
  default_out_of_stock_message: string;
  hide_in_product_filtering: boolean;
  show_pre_order_stock_levels: boolean;
  show_out_of_stock_message: boolean;
}

/** What a store reports before anything was written (a new store's control-panel defaults). */
export const INVENTORY_DEFAULTS: Omit<InventorySettings, 'update_stock_behavior'> = {
  product_out_of_stock_behavior: 'do_nothing',
  option_out_of_stock_behavior: 'do_nothing',
  edit_order_stock_adjustment: true,
  refund_order_stock_adjustment: true,
  stock_level_display: 'dont_show',
  default_out_of_stock_message: '',
  hide_in_product_filtering: false,
  show_pre_order_stock_levels: false,
  show_out_of_stock_message: false,
};

export function globalInventorySettings(store: StoreState): InventorySettings {
  return { ...INVENTORY_DEFAULTS, ...(store.inventorySettings ?? {}), update_stock_behavior: store.updateStockBehavior };
}

/** The settings that govern orders and shoppers of one channel: its overrides over the global values. */
export function channelInventorySettings(store: StoreState, channelId: number): InventorySettings {
  const overrides = store.channelInventorySettings?.[String(channelId)] ?? {};
  const merged: Record<string, unknown> = { ...globalInventorySettings(store) };
  for (const [key, value] of Object.entries(overrides)) if (value !== null && value !== undefined) merged[key] = value;
  return merged as unknown as InventorySettings;
}
