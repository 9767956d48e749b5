/** What the settings route reads and answers: the contract the Settings panel is built on. */
import { z } from 'zod';
import { grantableActions } from '@/core/access/permissions';

/** How the storefronts sell stock (DESIGN §4); the same values as the database's `stock_mode`. */
export const stockModes = ['default-location', 'aggregated'] as const;
export type StockMode = (typeof stockModes)[number];

export const settingsSchema = z.object({
  stockMode: z.enum(stockModes).nullable(),
  /** What the owner lets other users do (core/access grantable actions). */
  staffPermissions: z.array(z.enum(grantableActions)),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = z
  .strictObject({
    stockMode: z.enum(stockModes, { message: `stockMode must be one of ${stockModes.join(', ')}` }).optional(),
    staffPermissions: z.array(z.enum(grantableActions, { message: `each permission must be one of ${grantableActions.join(', ')}` })).max(grantableActions.length).optional(),
  })
  .refine((p) => p.stockMode !== undefined || p.staffPermissions !== undefined, { message: 'nothing to change: give stockMode or staffPermissions' });
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
