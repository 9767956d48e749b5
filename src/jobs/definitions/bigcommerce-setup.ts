/**
 * After install, and on a schedule: make sure the store has the app's channel (type `pos`,
 * platform `custom`, as channel apps must) and every webhook the sync needs, active and pointed
 * at this app. BigCommerce deactivates hooks whose deliveries keep failing; this brings them back.
 * Idempotent: it compares what exists with what should, and changes only the difference.
 */
import { z } from 'zod';
import { forStore } from '../../db/repositories/scoped';
import { storesRepository } from '../../db/repositories/stores';
import { BigCommerceApiError } from '../../integrations/bigcommerce/errors';
import { bigcommerceClientFor, type BigCommerceClient } from '../clients';
import { defineJob } from '../define';

export const CHANNEL_NAME = 'Lightspeed Retail (Counterpart)';

export const WEBHOOK_SCOPES = [
  'store/order/created',
  'store/order/updated',
  'store/order/statusUpdated',
  'store/order/refund/created',
  'store/product/inventory/updated',
  'store/sku/inventory/updated',
  'store/product/inventory/order/updated',
  'store/sku/inventory/order/updated',
  'store/app/uninstalled',
] as const;

export interface HookRepair {
  created: string[];
  reactivated: string[];
}

export async function ensureWebhooks(client: BigCommerceClient, destination: string): Promise<HookRepair> {
  const existing = await client.hooks.listAll();
  const result: HookRepair = { created: [], reactivated: [] };
  for (const scope of WEBHOOK_SCOPES) {
    const hook = existing.find((h) => h.scope === scope && h.destination === destination);
    if (!hook) {
      await client.hooks.create({ scope, destination, is_active: true });
      result.created.push(scope);
    } else if (!hook.is_active) {
      await client.hooks.update(hook.id, { is_active: true });
      result.reactivated.push(scope);
    }
  }
  return result;
}

export async function ensureChannel(client: BigCommerceClient, knownId: number | null): Promise<{ id: number; created: boolean }> {
  if (knownId !== null) {
    try {
      const channel = await client.channels.get(knownId);
      return { id: channel.id, created: false };
    } catch (error) {
      if (!(error instanceof BigCommerceApiError && error.status === 404)) throw error;
    }
  }
  // Adopt a channel a previous attempt created but did not get to record.
  const mine = (await client.channels.listAll()).find((c) => c.name === CHANNEL_NAME && c.type === 'pos' && c.platform === 'custom');
  if (mine) return { id: mine.id, created: false };
  const created = await client.channels.createPosChannel({ name: CHANNEL_NAME, is_listable_from_ui: true, is_visible: true });
  return { id: created.id, created: true };
}

export const bigcommerceSetup = defineJob({
  name: 'bigcommerce.setup',
  schema: z.object({ storeId: z.uuid() }),
  retry: { limit: 6, delaySeconds: 10, backoff: true },
  async handler({ storeId }, { deps }) {
    const started = Date.now();
    const store = await storesRepository(deps.database.db).findById(storeId);
    if (!store || store.status !== 'active') return;
    const client = await bigcommerceClientFor(deps, storeId);
    const scope = forStore(deps.database.db, deps.secrets, storeId);
    const channel = await ensureChannel(client, store.bcChannelId);
    if (channel.id !== store.bcChannelId) await storesRepository(deps.database.db).setChannel(storeId, channel.id);
    const hooks = await ensureWebhooks(client, `${deps.config.APP_URL}/api/webhooks/bigcommerce`);
    if (channel.created || hooks.created.length || hooks.reactivated.length) {
      await scope.activity.record({
        kind: 'bigcommerce.setup',
        outcome: hooks.reactivated.length ? 'warning' : 'ok',
        summary: [
          channel.created ? `Created the sales channel "${CHANNEL_NAME}" in BigCommerce` : null,
          hooks.created.length ? `asked BigCommerce to notify Counterpart of ${hooks.created.length} kinds of change (webhooks)` : null,
          hooks.reactivated.length ? `turned back on ${hooks.reactivated.length} BigCommerce notification${hooks.reactivated.length === 1 ? '' : 's'} (webhooks) that BigCommerce had turned off` : null,
        ]
          .filter(Boolean)
          .join('; '),
        reason: hooks.reactivated.length ? 'deliveries to Counterpart had failed, so BigCommerce turned them off' : 'Counterpart was installed',
        entityType: 'store',
        entityId: store.storeHash,
        startedAt: new Date(started),
        durationMs: Date.now() - started,
        details: { channelId: channel.id, ...hooks },
      });
    }
  },
});

/** The scheduled sweep: fans out a setup check to every installed store. */
export const bigcommerceHooksSweep = defineJob({
  name: 'bigcommerce.hooks-sweep',
  schema: z.object({}),
  retry: { limit: 2, delaySeconds: 60 },
  schedule: { cron: '*/15 * * * *', payload: {} },
  async handler(_payload, ctx) {
    for (const store of await storesRepository(ctx.deps.database.db).listActive()) {
      await ctx.enqueue(bigcommerceSetup, { storeId: store.id }, { singletonKey: `setup:${store.id}` });
    }
  },
});
