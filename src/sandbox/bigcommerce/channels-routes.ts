/**
 * Channels v3. Every store has the default storefront channel (id 1). POS channels accept the
 * listed POS platforms or `custom` (custom is valid for every type, channels.v3.yml).
 */
import { z } from 'zod';
import { data, HttpError, paged, parseBody, readPage, stringList } from './responses';
import type { Router } from './router';
import { intParam, type RouteContext } from './runtime';
import { iso, nextId } from './store-state';
import type { Channel } from './types';

const STATUSES = ['active', 'prelaunch', 'inactive', 'connected', 'disconnected', 'archived', 'deleted', 'terminated'] as const;
const TYPES = ['pos', 'marketplace', 'storefront', 'marketing'] as const;
const POS_PLATFORMS = ['clover', 'square', 'stripe', 'talech', 'vend', 'custom'];
const STOREFRONT_PLATFORMS = ['bigcommerce', 'wordpress', 'drupal', 'gatsby', 'next', 'vue', 'custom', 'acquia', 'bloomreach', 'deity', 'vuestorefront', 'salesforcecommercecloud', 'catalyst'];

const channelInput = z.object({
  name: z.string().min(1).max(255),
  type: z.enum(TYPES),
  platform: z.string().min(1),
  status: z.enum(STATUSES).optional(),
  external_id: z.string().optional(),
  is_listable_from_ui: z.boolean().optional(),
  is_visible: z.boolean().optional(),
});

function checkCombination(type: Channel['type'], platform: string): void {
  const allowed = type === 'pos' ? POS_PLATFORMS : type === 'storefront' ? STOREFRONT_PLATFORMS : null;
  if (allowed && !allowed.includes(platform)) {
    throw new HttpError(422, `The platform "${platform}" is not valid for channel type "${type}"`, { platform: 'invalid for type' });
  }
}

function view(c: Channel) {
  return {
    ...c,
    // icon_url must be a URL when present; sandbox channels have no icon, so it is omitted
    currencies: { channel_id: c.id, enabled_currencies: ['USD'], default_currency: 'USD' },
  };
}

function requireChannel(ctx: RouteContext): Channel {
  const channel = ctx.store.channels.find((c) => c.id === intParam(ctx, 'channel_id'));
  if (!channel) throw new HttpError(404, 'The requested channel was not found.');
  return channel;
}

function listChannels(ctx: RouteContext) {
  const types = stringList(ctx.url, 'type:in');
  const platforms = stringList(ctx.url, 'platform:in');
  const statuses = stringList(ctx.url, 'status:in');
  const rows = ctx.store.channels
    .filter((c) => !types || types.includes(c.type))
    .filter((c) => !platforms || platforms.includes(c.platform))
    .filter((c) => !statuses || statuses.includes(c.status));
  return paged(rows.map(view), ctx.url, readPage(ctx.url, 50, 250));
}

async function createChannel(ctx: RouteContext) {
  const body = await parseBody(ctx.req, channelInput);
  checkCombination(body.type, body.platform);
  const stamp = iso(ctx.rt.config.now());
  const channel: Channel = {
    id: nextId(ctx.store, 'channel'),
    name: body.name,
    type: body.type,
    platform: body.platform,
    status: body.status ?? (body.type === 'pos' ? 'connected' : 'active'),
    external_id: body.external_id ?? '',
    is_listable_from_ui: body.is_listable_from_ui ?? true,
    is_visible: body.is_visible ?? true,
    is_enabled: true,
    date_created: stamp,
    date_modified: stamp,
  };
  ctx.store.channels.push(channel);
  ctx.rt.changed();
  return data(view(channel));
}

async function updateChannel(ctx: RouteContext) {
  const channel = requireChannel(ctx);
  const body = await parseBody(ctx.req, channelInput.omit({ type: true, platform: true }).partial());
  if (body.name !== undefined && ctx.store.channels.some((c) => c.id !== channel.id && c.name === body.name)) {
    throw new HttpError(409, `A channel named ${body.name} already exists`, { name: 'duplicate' });
  }
  for (const [key, value] of Object.entries(body)) if (value !== undefined) (channel as unknown as Record<string, unknown>)[key] = value;
  channel.is_enabled = !['inactive', 'disconnected', 'archived', 'deleted', 'terminated'].includes(channel.status);
  channel.date_modified = iso(ctx.rt.config.now());
  ctx.rt.changed();
  return data(view(channel));
}

export function registerChannelRoutes(router: Router): void {
  router
    .get('/v3/channels', listChannels)
    .post('/v3/channels', createChannel)
    .get('/v3/channels/:channel_id', (ctx) => data(view(requireChannel(ctx))))
    .put('/v3/channels/:channel_id', updateChannel);
}
