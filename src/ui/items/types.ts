/** The items API's answers, as its routes define them (src/app/api/items/schema.ts). */
export type { Conflict, ItemFilter, ItemRow, ItemsPage, LatestRun, Run, RunResult, StatusFilter, SyncState } from '@/app/api/items/schema';
