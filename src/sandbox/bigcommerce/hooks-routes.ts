/**
 * Webhooks v3 management (webhooks.v3.yml): /v3/hooks CRUD and /v3/hooks/admin. Limits from the
 * webhooks overview: at most 10 hooks per scope and one per scope + destination, per client.
 * A new hook "can take up to one minute" to work (policy hookActivationMaxDelayMs); the admin
 * view reports each hook's status (active, inactive = switched off by the app, deactivated =
 * switched off by the platform), the notification emails and the denylisted domains.
 */
import { z } from 'zod';
import { boolParam, data, HttpError, json, noContent, paged, parseBody, readPage } from './responses';
import type { Router } from './router';
import { intParam, type RouteContext } from './runtime';
import { nextId } from './store-state';
import type { Hook } from './types';

const MAX_HOOKS_PER_SCOPE = 10;

const hookInput = z.object({
  scope: z.string().regex(/^store\/[A-Za-z0-9_*/{}]+$/, 'scope must be a webhook event scope such as store/order/created'),
  destination: z.string().url().refine((u) => /^https?:\/\//.test(u), 'destination must be an http(s) URL'),
  is_active: z.boolean().optional(),
  headers: z.record(z.string(), z.string()).nullable().optional(),
});

function hookView(h: Hook) {
  return { id: h.id, client_id: h.client_id, store_hash: h.store_hash, scope: h.scope, destination: h.destination, is_active: h.is_active, headers: h.headers, created_at: h.created_at, updated_at: h.updated_at };
}

function requireHook(ctx: RouteContext): Hook {
  const hook = ctx.store.hooks.find((h) => h.id === intParam(ctx, 'webhook_id') && h.client_id === ctx.rt.config.clientId);
  if (!hook) throw new HttpError(404, 'Webhook not found');
  return hook;
}

function checkLimits(ctx: RouteContext, scope: string, destination: string, exceptId?: number): void {
  const mine = ctx.store.hooks.filter((h) => h.client_id === ctx.rt.config.clientId && h.id !== exceptId);
  if (mine.some((h) => h.scope === scope && h.destination === destination)) {
    throw new HttpError(422, 'A webhook with this scope and destination already exists', { destination: 'duplicate' });
  }
  if (mine.filter((h) => h.scope === scope).length >= MAX_HOOKS_PER_SCOPE) {
    throw new HttpError(422, `At most ${MAX_HOOKS_PER_SCOPE} webhooks per scope`, { scope: 'limit reached' });
  }
}

function listHooks(ctx: RouteContext): Response {
  ctx.rt.webhooks.refreshHooks(ctx.store);
  const active = boolParam(ctx.url, 'is_active');
  const scope = ctx.url.searchParams.get('scope');
  const destination = ctx.url.searchParams.get('destination');
  const rows = ctx.store.hooks
    .filter((h) => h.client_id === ctx.rt.config.clientId) // hooks are visible only to their own client
    .filter((h) => active === undefined || h.is_active === active)
    .filter((h) => scope === null || h.scope === scope)
    .filter((h) => destination === null || h.destination === destination);
  return paged(rows.map(hookView), ctx.url, readPage(ctx.url));
}

async function createHook(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, hookInput);
  checkLimits(ctx, body.scope, body.destination);
  const nowMs = ctx.rt.config.now();
  const now = Math.floor(nowMs / 1000);
  const maxDelay = ctx.rt.config.policies.hookActivationMaxDelayMs;
  const hook: Hook = {
    id: nextId(ctx.store, 'hook'),
    client_id: ctx.rt.config.clientId,
    store_hash: ctx.store.hash,
    scope: body.scope,
    destination: body.destination,
    is_active: body.is_active ?? true,
    headers: body.headers ?? null,
    created_at: now,
    updated_at: now,
    activates_at: nowMs + (maxDelay > 0 ? ctx.rt.webhookRandom.int(0, maxDelay) : 0),
    last_event_at: nowMs,
  };
  ctx.store.hooks.push(hook);
  ctx.rt.changed();
  return data(hookView(hook));
}

async function updateHook(ctx: RouteContext): Promise<Response> {
  const hook = requireHook(ctx);
  const body = await parseBody(ctx.req, hookInput.partial().refine((b) => Object.values(b).some((v) => v !== undefined), 'at least one field is required'));
  if (body.scope !== undefined || body.destination !== undefined) checkLimits(ctx, body.scope ?? hook.scope, body.destination ?? hook.destination, hook.id);
  if (body.scope !== undefined) hook.scope = body.scope;
  if (body.destination !== undefined) hook.destination = body.destination;
  if (body.is_active === true && !hook.is_active) {
    // Re-enabling is how the docs say to recover a deactivated hook; it counts as activity.
    hook.deactivated_reason = undefined;
    hook.last_event_at = ctx.rt.config.now();
  }
  if (body.is_active !== undefined) hook.is_active = body.is_active;
  if (body.headers !== undefined) hook.headers = body.headers;
  hook.updated_at = Math.floor(ctx.rt.config.now() / 1000);
  ctx.rt.changed();
  return data(hookView(hook));
}

function deleteHook(ctx: RouteContext): Response {
  const hook = requireHook(ctx);
  ctx.store.hooks = ctx.store.hooks.filter((h) => h.id !== hook.id);
  ctx.rt.changed();
  return data(hookView(hook));
}

function hooksAdmin(ctx: RouteContext): Response {
  ctx.rt.webhooks.refreshHooks(ctx.store);
  const clientId = ctx.rt.config.clientId;
  const active = boolParam(ctx.url, 'is_active');
  const hooks = ctx.store.hooks.filter((h) => h.client_id === clientId).filter((h) => active === undefined || h.is_active === active);
  return json({
    data: {
      emails: ctx.store.hookAdminEmails?.[clientId] ?? [],
      hooks_list: hooks.map((h) => ({ ...hookView(h), status: h.is_active ? 'active' : h.deactivated_reason ? 'deactivated' : 'inactive' })),
      blocked_domains: ctx.rt.webhooks.blockedDomains(clientId),
    },
    meta: {},
  });
}

const adminEmailsInput = z.object({ emails: z.array(z.string().email()) });

/** Upserts the API account's notification emails (deactivations and denylisted domains). */
async function updateHooksAdmin(ctx: RouteContext): Promise<Response> {
  const body = await parseBody(ctx.req, adminEmailsInput);
  ctx.store.hookAdminEmails = { ...(ctx.store.hookAdminEmails ?? {}), [ctx.rt.config.clientId]: [...new Set(body.emails)] };
  ctx.rt.changed();
  return noContent();
}

export function registerHookRoutes(router: Router): void {
  router
    .get('/v3/hooks/admin', hooksAdmin)
    .put('/v3/hooks/admin', updateHooksAdmin)
    .get('/v3/hooks', listHooks)
    .post('/v3/hooks', createHook)
    .get('/v3/hooks/:webhook_id', (ctx) => (ctx.rt.webhooks.refreshHooks(ctx.store), data(hookView(requireHook(ctx)))))
    .put('/v3/hooks/:webhook_id', updateHook)
    .delete('/v3/hooks/:webhook_id', deleteHook);
}
