/**
 * Channels API v3 (channels.v3.yml). A channel app creates its own channel on install
 * (guides/integrations_channels_guide_requirements.mdx); there is no `lightspeed` platform, so
 * the app's is `{ type: 'pos', platform: 'custom' }`, and reads and updates its status later.
 */
import { checkRequest, type BigCommerceHttp } from './http';
import { collectPages, iteratePages, type Page } from './paging';
import { channelCreateSchema, channelSchema, channelUpdateSchema, v3Data, v3Page, type Channel, type ChannelCreate, type ChannelUpdate } from './schemas';

export const CHANNELS_PAGE_LIMIT = 50;

export type ChannelFilters = {
  'type:in'?: readonly Channel['type'][];
  'platform:in'?: readonly string[];
  'status:in'?: readonly Channel['status'][];
  available?: boolean;
  page?: number;
  limit?: number;
};

const channelPage = v3Page(channelSchema);
const channelData = v3Data(channelSchema);

export function createChannelsApi(http: BigCommerceHttp) {
  const list = async (filters: ChannelFilters = {}): Promise<Page<Channel>> => {
    const result = await http.request({ method: 'GET', path: '/v3/channels', query: filters, schema: channelPage });
    return { data: result.data, pagination: result.meta?.pagination };
  };

  const create = async (input: ChannelCreate): Promise<Channel> => {
    const path = '/v3/channels';
    const body = checkRequest(channelCreateSchema, input, 'POST', path);
    const result = await http.request({ method: 'POST', path, body, schema: channelData });
    return result.data;
  };

  return {
    list,
    listAll(filters: Omit<ChannelFilters, 'page' | 'limit'> = {}): Promise<Channel[]> {
      return collectPages(iteratePages((page) => list({ ...filters, page, limit: CHANNELS_PAGE_LIMIT }), CHANNELS_PAGE_LIMIT));
    },
    async get(channelId: number): Promise<Channel> {
      const result = await http.request({ method: 'GET', path: '/v3/channels/{channel_id}', params: { channel_id: channelId }, schema: channelData });
      return result.data;
    },
    create,
    /** The app's own channel: `{ type: 'pos', platform: 'custom' }`, connected unless told otherwise. */
    createPosChannel(input: Omit<ChannelCreate, 'type' | 'platform'>): Promise<Channel> {
      return create({ status: 'connected', ...input, type: 'pos', platform: 'custom' });
    },
    async update(channelId: number, input: ChannelUpdate): Promise<Channel> {
      const path = '/v3/channels/{channel_id}';
      const body = checkRequest(channelUpdateSchema, input, 'PUT', path);
      const result = await http.request({ method: 'PUT', path, params: { channel_id: channelId }, body, schema: channelData });
      return result.data;
    },
  };
}

export type ChannelsApi = ReturnType<typeof createChannelsApi>;
