import type { ApiSession } from '@/app/_lib/http';
import type { SessionView } from './schema';

/** A session as the session routes describe it (the token, when there is one, is added by the route). */
export const sessionView = (s: ApiSession): SessionView => ({ storeHash: s.storeHash, email: s.email, role: s.role, allowed: s.access.allowed, expiresAt: s.expiresAt.toISOString() });
