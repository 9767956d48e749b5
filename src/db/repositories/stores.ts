/** Stores are the tenancy root: the only table looked up by something other than a store id. */
import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { stores, type StoreStatus } from '../schema';

export type Store = typeof stores.$inferSelect;

export function storesRepository(db: Db) {
  return {
    async findByHash(storeHash: string): Promise<Store | undefined> {
      const [row] = await db.select().from(stores).where(eq(stores.storeHash, storeHash)).limit(1);
      return row;
    },

    async findById(storeId: string): Promise<Store | undefined> {
      const [row] = await db.select().from(stores).where(eq(stores.id, storeId)).limit(1);
      return row;
    },

    /** Creates the store on first install; a re-install reactivates it. */
    async upsertInstalled(input: { storeHash: string; plan?: string | null }): Promise<Store> {
      const now = new Date();
      const [row] = await db
        .insert(stores)
        .values({ storeHash: input.storeHash, plan: input.plan ?? null, status: 'active', installedAt: now })
        .onConflictDoUpdate({
          target: stores.storeHash,
          set: { status: 'active', installedAt: now, uninstalledAt: null, ...(input.plan !== undefined ? { plan: input.plan } : {}) },
        })
        .returning();
      if (!row) throw new Error('store upsert returned no row');
      return row;
    },

    async setChannel(storeId: string, channelId: number): Promise<void> {
      await db.update(stores).set({ bcChannelId: channelId }).where(eq(stores.id, storeId));
    },

    /** Stores with the app installed, for scheduled sweeps. */
    async listActive(): Promise<Store[]> {
      return db.select().from(stores).where(eq(stores.status, 'active'));
    },

    async setStatus(storeId: string, status: StoreStatus): Promise<void> {
      await db
        .update(stores)
        .set({ status, uninstalledAt: status === 'uninstalled' ? new Date() : null })
        .where(eq(stores.id, storeId));
    },

    /**
     * Uninstall: the store row goes, and every row of the store with it (each table references
     * `stores` with ON DELETE CASCADE). Nothing is kept: a re-install starts a new store.
     */
    async purgeData(storeId: string): Promise<void> {
      await db.delete(stores).where(eq(stores.id, storeId));
    },
  };
}
