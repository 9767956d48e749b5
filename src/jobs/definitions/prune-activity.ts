import { and, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { activityEvents } from '../../db/schema';
import { defineJob } from '../define';

/** Keeps the activity log to a bounded window per store. */
export const pruneActivity = defineJob({
  name: 'activity.prune',
  schema: z.object({ storeId: z.uuid(), olderThanDays: z.number().int().min(1).max(3650).default(90) }),
  retry: { limit: 3, delaySeconds: 30 },
  async handler({ storeId, olderThanDays }, { deps }) {
    const cutoff = new Date(Date.now() - olderThanDays * 86_400_000);
    await deps.database.db.delete(activityEvents).where(and(eq(activityEvents.storeId, storeId), lt(activityEvents.createdAt, cutoff)));
  },
});
