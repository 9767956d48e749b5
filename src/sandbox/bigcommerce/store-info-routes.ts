/** Store information v2 (store_information.v2.yml): `/v2/store` with plan info, `/v2/time`. */
import { json } from './responses';
import type { Router } from './router';
import type { RouteContext } from './runtime';

function storeInfo(ctx: RouteContext): Response {
  const { store } = ctx;
  return json({
    id: store.hash,
    account_uuid: '00000000-0000-4000-8000-000000000001',
    domain: `${store.hash}.sandbox.mybigcommerce.com`,
    secure_url: `https://${store.hash}.sandbox.mybigcommerce.com`,
    control_panel_base_url: `https://store-${store.hash}.sandbox.mybigcommerce.com`,
    status: store.installed ? 'live' : 'prelaunch',
    name: store.name,
    first_name: 'Sandbox',
    last_name: 'Owner',
    address: '11305 Four Points Dr, Austin, TX 78726',
    country: 'United States',
    country_code: 'US',
    infrastructure_region: 'us-central1',
    phone: '',
    admin_email: 'owner@example.com',
    order_email: 'orders@example.com',
    favicon_url: '',
    timezone: { name: 'Etc/UTC', raw_offset: 0, dst_offset: 0, dst_correction: false, date_format: { display: 'jS M Y', export: 'M jS Y', extended_display: 'M jS Y @ g:i A' } },
    language: 'en',
    currency: 'USD',
    currency_symbol: '$',
    decimal_separator: '.',
    thousands_separator: ',',
    decimal_places: 2,
    currency_symbol_location: 'left',
    weight_units: 'LBS',
    dimension_units: 'Inches',
    dimension_decimal_places: 2,
    dimension_decimal_token: '.',
    dimension_thousands_token: ',',
    plan_name: store.plan.name,
    plan_level: store.plan.level,
    plan_is_trial: false,
    industry: 'Retail',
    logo: [],
    is_price_entered_with_tax: false,
    store_id: store.store_id,
    default_channel_id: 1,
    default_site_id: 1000,
    active_comparison_modules: [],
    features: {
      stencil_enabled: true,
      sitewidehttps_enabled: true,
      facebook_catalog_id: '',
      checkout_type: 'optimized',
      wishlists_enabled: false,
      graphql_storefront_api_enabled: true,
      shopper_consent_tracking_enabled: false,
      multi_storefront_enabled: ctx.store.channels.filter((c) => c.type === 'storefront').length > 1,
      storefront_limits: { active: ctx.store.channels.filter((c) => c.type === 'storefront' && c.is_enabled).length, total_including_inactive: ctx.store.channels.filter((c) => c.type === 'storefront').length },
    },
  });
}

export function registerStoreInfoRoutes(router: Router): void {
  router.get('/v2/store', storeInfo).get('/v2/time', (ctx) => json({ time: Math.floor(ctx.rt.config.now() / 1000) }));
}
