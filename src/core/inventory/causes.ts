/**
 * Why a stock write happened, when several reasons for it meet before it is made. The write is
 * named after the reason that best explains a change of level to a merchant: a stock change in
 * Lightspeed (a sale, a return, a delivery, a count) before an online order, before a settings
 * change, before BigCommerce merely reporting a change (usually the echo of the app's own write).
 * Follow-ups of the same work (a retry, settling, moving stock) never rename it. Pure.
 */
export const CAUSE_PRIORITY = ['lightspeed', 'order', 'refund', 'drift', 'reserve', 'fix', 'mapping', 'linked', 'bigcommerce', 'sweep'] as const;

/** Lower explains more; causes not listed (follow-ups) rank last. */
export function causeRank(cause: string): number {
  const i = (CAUSE_PRIORITY as readonly string[]).indexOf(cause);
  return i === -1 ? CAUSE_PRIORITY.length : i;
}

/** The cause a key marked for `current` and then for `next` is written under, with its time. */
export function mergeCause(current: { cause: string; since: Date }, next: { cause: string; since: Date }): { cause: string; since: Date } {
  if (causeRank(next.cause) < causeRank(current.cause)) return next;
  if (next.cause === current.cause && next.since < current.since) return { cause: current.cause, since: next.since };
  return current;
}

/**
 * The cause a run names its write after, once it has written. Lightspeed's drain stores a new
 * on-hand and then marks its variant: a run already due for another cause (a settings change,
 * say) can take the key in between and read the new on-hand, and its write is then the Lightspeed
 * change's (whose own mark, found waiting after the run, has nothing left to write). So when a
 * Lightspeed mark is waiting for the variant and the run read an on-hand stored after its own
 * cause and after the variant's last write, the write is named as that mark would have named it.
 * A Lightspeed change an earlier run already wrote renames nothing.
 */
export function causeOfWrite(marked: { cause: string; since: Date }, read: { lightspeedStoredAt: Date | null; lightspeedMarkWaiting: boolean; lastWrittenAt: Date | null }): { cause: string; since: Date } {
  if (!read.lightspeedMarkWaiting || !read.lightspeedStoredAt || read.lightspeedStoredAt <= marked.since) return marked;
  if (read.lastWrittenAt && read.lightspeedStoredAt <= read.lastWrittenAt) return marked;
  return mergeCause(marked, { cause: 'lightspeed', since: read.lightspeedStoredAt });
}
