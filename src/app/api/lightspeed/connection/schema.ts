/** What the Lightspeed connection route answers: the contract of the Lightspeed card. */
import { z } from 'zod';

export const connectionViewSchema = z.object({
  connected: z.boolean(),
  domainPrefix: z.string().nullable(),
  status: z.enum(['active', 'reconnect_required', 'disconnected']),
  statusReason: z.string().nullable(),
  /** Items linked to a BigCommerce product: they stay in BigCommerce, unsynced, while disconnected. */
  linkedProducts: z.number().int().nonnegative(),
  /** What Counterpart reads from Lightspeed, and when: a check the merchant asked for runs while `checking`. */
  cursors: z.array(
    z.object({ resource: z.string(), version: z.number(), lastPolledAt: z.iso.datetime().nullable(), lastError: z.string().nullable(), requestedAt: z.iso.datetime().nullable(), checking: z.boolean() }),
  ),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

export const disconnectResultSchema = z.object({ webhooksRemoved: z.number().int().nonnegative(), warning: z.string().optional(), linkedProducts: z.number().int().nonnegative() });
export type DisconnectResult = z.infer<typeof disconnectResultSchema>;
