/** What GET /api/health answers (and the overview shows): the contract, for the pages' types. */
import { z } from 'zod';

export const healthReportSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  version: z.string(),
  database: z.object({ ok: z.boolean(), kind: z.enum(['pglite', 'postgres']).optional(), latencyMs: z.number().optional(), error: z.string().optional() }),
  queue: z.object({ ok: z.boolean(), backlog: z.number().optional(), deadLetters: z.number().optional(), error: z.string().optional() }),
});
export type HealthReport = z.infer<typeof healthReportSchema>;
