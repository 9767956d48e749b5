/**
 * What the session routes answer: the contract the browser's session code reads (types come
 * from here, never from the server's modules).
 */
import { z } from 'zod';
import { actions } from '@/core/access/permissions';

export const sessionViewSchema = z.object({
  storeHash: z.string(),
  email: z.string(),
  role: z.enum(['owner', 'user']),
  /** Every action this user may take (core/access). */
  allowed: z.array(z.enum(actions)),
  expiresAt: z.iso.datetime(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

/** A new session token, with who it is for: the answer to a launch-code exchange and to a renewal. */
export const sessionGrantSchema = sessionViewSchema.extend({ token: z.string().min(1) });
export type SessionGrant = z.infer<typeof sessionGrantSchema>;

export const launchSchema = z.strictObject({ launchCode: z.string().min(1).max(200) });

/** The answer to a resume: the resumed session, or null when the browser held nothing to resume. */
export const resumeSchema = z.object({ session: sessionGrantSchema.nullable() });
