import { parseJson, requireAction, requireApiSession, respond } from '@/app/_lib/http';
import { actionLabels, grantableActions } from '@/core/access/permissions';
import { getDatabase, getSecrets } from '@/db/runtime';
import { forStore } from '@/db/repositories/scoped';
import { setStockMode } from '@/jobs/lifecycle/locations';
import { getQueue, jobDeps } from '@/jobs/runtime';
import { type StockMode as StoredStockMode } from '@/db/schema';
import { type StockMode, settingsPatchSchema, settingsSchema } from './schema';

// The route's stock modes and the database's are the same set (a compile error otherwise).
const sameModes: [StockMode, StoredStockMode] extends [StoredStockMode, StockMode] ? true : never = true;
void sameModes;

export const dynamic = 'force-dynamic';

async function scope(request: Request) {
  const session = await requireApiSession(request);
  return { session, store: forStore((await getDatabase()).db, getSecrets(), session.storeId) };
}

export async function GET(request: Request) {
  return respond(async () => {
    const { store } = await scope(request);
    return Response.json(settingsSchema.parse(await store.settings.get()));
  });
}

/**
 * Changes store settings: the storefront stock mode (owner, or a user the owner allowed) and what
 * other users may do (owner only). Needs the bearer header (CSRF-safe); bad input is a 400 and
 * changes nothing; a refused part refuses the whole request.
 */
export async function PUT(request: Request) {
  return respond(async () => {
    const { session, store } = await scope(request);
    const patch = await parseJson(request, settingsPatchSchema);
    if (patch.stockMode !== undefined) requireAction(session, 'settings.change');
    if (patch.staffPermissions !== undefined) requireAction(session, 'permissions.manage');
    const before = await store.settings.get();
    if (patch.staffPermissions !== undefined) await store.settings.update({ staffPermissions: patch.staffPermissions });
    // A new stock mode changes what every location should hold: republished at once (and logged) by the lifecycle.
    if (patch.stockMode !== undefined && patch.stockMode !== before.stockMode) await setStockMode(await jobDeps(), await getQueue(), session.storeId, patch.stockMode, session.email);
    if (patch.staffPermissions !== undefined) {
      const granted = grantableActions.filter((a) => patch.staffPermissions!.includes(a));
      await store.activity.record({
        kind: 'permissions.changed',
        outcome: 'ok',
        summary: granted.length ? `Other users may now also ${granted.map((a) => actionLabels[a]).join('; ')}` : 'Other users may now only look and check Lightspeed for changes',
        reason: `changed by ${session.email}`,
        entityType: 'store',
        entityId: session.storeHash,
        details: { before: before.staffPermissions, after: granted },
      });
    }
    return Response.json(settingsSchema.parse(await store.settings.get()));
  });
}
