import { z } from 'zod';
import { parseJson, requireApiSession, respond } from '@/app/_lib/http';
import { getDatabase, getSecrets } from '@/db/runtime';
import { forStore } from '@/db/repositories/scoped';
import { stockModes } from '@/db/schema';

export const dynamic = 'force-dynamic';

const settingsSchema = z.object({ stockMode: z.enum(stockModes, { message: `stockMode must be one of ${stockModes.join(', ')}` }) }).strict();

async function scope(request: Request) {
  const session = await requireApiSession(request);
  return { session, store: forStore((await getDatabase()).db, getSecrets(), session.storeId) };
}

export async function GET(request: Request) {
  return respond(async () => {
    const { store } = await scope(request);
    return Response.json(await store.settings.get(), { headers: { 'cache-control': 'no-store' } });
  });
}

/** Changes store settings. Needs the bearer header (CSRF-safe); bad input is a 400 and changes nothing. */
export async function PUT(request: Request) {
  return respond(async () => {
    const { session, store } = await scope(request);
    const patch = await parseJson(request, settingsSchema);
    const before = await store.settings.get();
    await store.settings.update(patch);
    await store.activity.record({
      kind: 'settings.changed',
      outcome: 'ok',
      summary: `Storefront stock mode set to ${patch.stockMode}`,
      reason: `changed by ${session.email}`,
      entityType: 'store',
      entityId: session.storeHash,
      details: { before: before.stockMode, after: patch.stockMode },
    });
    return Response.json(await store.settings.get());
  });
}
