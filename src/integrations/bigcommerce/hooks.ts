/**
 * Webhooks v3 (webhooks.v3.yml `/v3/hooks`). Hooks are visible only to the token that made
 * them and are deleted on uninstall. At most one hook exists per scope+destination, so creating
 * again after an ambiguous failure cannot duplicate: it is retried like an idempotent call.
 */
import { checkRequest, type BigCommerceHttp } from './http';
import { collectPages, iteratePages, type Page } from './paging';
import { v3Data, v3Page, webhookCreateSchema, webhookSchema, webhookUpdateSchema, type Webhook, type WebhookCreate, type WebhookUpdate } from './schemas';

export const HOOKS_PAGE_LIMIT = 250;

export type WebhookFilters = {
  is_active?: boolean;
  scope?: string;
  destination?: string;
  page?: number;
  limit?: number;
};

const hookPage = v3Page(webhookSchema);
const hookData = v3Data(webhookSchema);

export function createHooksApi(http: BigCommerceHttp) {
  const list = async (filters: WebhookFilters = {}): Promise<Page<Webhook>> => {
    const result = await http.request({ method: 'GET', path: '/v3/hooks', query: filters, schema: hookPage });
    return { data: result.data, pagination: result.meta?.pagination };
  };

  return {
    list,
    listAll(filters: Omit<WebhookFilters, 'page' | 'limit'> = {}): Promise<Webhook[]> {
      return collectPages(iteratePages((page) => list({ ...filters, page, limit: HOOKS_PAGE_LIMIT }), HOOKS_PAGE_LIMIT));
    },
    async get(hookId: number): Promise<Webhook> {
      const result = await http.request({ method: 'GET', path: '/v3/hooks/{webhook_id}', params: { webhook_id: hookId }, schema: hookData });
      return result.data;
    },
    async create(input: WebhookCreate): Promise<Webhook> {
      const path = '/v3/hooks';
      const body = checkRequest(webhookCreateSchema, input, 'POST', path);
      const result = await http.request({ method: 'POST', path, body, schema: hookData, idempotent: true });
      return result.data;
    },
    /** E.g. `{ is_active: true }` to revive a hook BigCommerce deactivated after failed deliveries. */
    async update(hookId: number, input: WebhookUpdate): Promise<Webhook> {
      const path = '/v3/hooks/{webhook_id}';
      const body = checkRequest(webhookUpdateSchema, input, 'PUT', path);
      const result = await http.request({ method: 'PUT', path, params: { webhook_id: hookId }, body, schema: hookData });
      return result.data;
    },
    async delete(hookId: number): Promise<void> {
      await http.send({ method: 'DELETE', path: '/v3/hooks/{webhook_id}', params: { webhook_id: hookId } });
    },
  };
}

export type HooksApi = ReturnType<typeof createHooksApi>;
