/** What the activity routes answer: the contract the Activity page is built on. */
import { z } from 'zod';

export const activityOutcomes = ['ok', 'error', 'warning', 'info'] as const;
export type ActivityOutcome = (typeof activityOutcomes)[number];

export const activityRowSchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  kind: z.string(),
  outcome: z.enum(activityOutcomes),
  summary: z.string(),
  reason: z.string().nullable(),
  entity: z.string().nullable(),
  /** The Lightspeed item or product the event is about, for a link to its stock view. */
  itemId: z.string().nullable(),
  durationMs: z.number().nullable(),
});
export type ActivityRow = z.infer<typeof activityRowSchema>;

export const activityPageSchema = z.object({ events: z.array(activityRowSchema), next: z.number().int().nullable() });
export type ActivityPage = z.infer<typeof activityPageSchema>;

const platform = z.enum(['bigcommerce', 'lightspeed']);
export const usageSchema = z.object({
  since: z.iso.datetime(),
  hours: z.number().int(),
  totals: z.record(platform, z.object({ calls: z.number().int(), failures: z.number().int() })),
  endpoints: z.array(z.object({ platform, method: z.string(), endpoint: z.string(), calls: z.number().int(), failures: z.number().int(), meanMs: z.number() })),
});
export type Usage = z.infer<typeof usageSchema>;
