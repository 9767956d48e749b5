import { describe, expect, it } from 'vitest';
import { causeOfWrite, causeRank, mergeCause } from './causes';

describe('the cause a coalesced stock write is named after', () => {
  const t0 = new Date('2026-12-06T10:00:00Z');
  const t1 = new Date('2026-12-06T10:00:05Z');

  it('a sale in Lightspeed explains more than a settings change, and BigCommerce echoing a write least of all', () => {
    expect(mergeCause({ cause: 'mapping', since: t0 }, { cause: 'lightspeed', since: t1 })).toEqual({ cause: 'lightspeed', since: t1 });
    expect(mergeCause({ cause: 'lightspeed', since: t0 }, { cause: 'bigcommerce', since: t1 })).toEqual({ cause: 'lightspeed', since: t0 });
    expect(mergeCause({ cause: 'order', since: t0 }, { cause: 'mapping', since: t1 })).toEqual({ cause: 'order', since: t0 });
  });

  it('follow-ups never rename the write; the same cause again keeps its earliest time', () => {
    for (const followUp of ['retry', 'settling', 'moving stock']) expect(mergeCause({ cause: 'sweep', since: t0 }, { cause: followUp, since: t1 }).cause).toBe('sweep');
    expect(mergeCause({ cause: 'lightspeed', since: t1 }, { cause: 'lightspeed', since: t0 })).toEqual({ cause: 'lightspeed', since: t0 });
    expect(causeRank('retry')).toBeGreaterThan(causeRank('sweep'));
  });

  it('a run names its write after a Lightspeed change stored after its key was marked (its own mark comes a moment later)', () => {
    const t2 = new Date('2026-12-06T10:00:07Z');
    const waiting = (at: Date | null) => ({ lightspeedStoredAt: at, lightspeedMarkWaiting: true, lastWrittenAt: null });
    expect(causeOfWrite({ cause: 'mapping', since: t0 }, waiting(t1))).toEqual({ cause: 'lightspeed', since: t1 });
    // No Lightspeed mark waiting: the change was an earlier run's to publish, and names nothing here.
    expect(causeOfWrite({ cause: 'order', since: t0 }, { lightspeedStoredAt: t1, lightspeedMarkWaiting: false, lastWrittenAt: null })).toEqual({ cause: 'order', since: t0 });
    // Stored before this cause: not what this run's write is about.
    expect(causeOfWrite({ cause: 'order', since: t1 }, waiting(t0))).toEqual({ cause: 'order', since: t1 });
    expect(causeOfWrite({ cause: 'lightspeed', since: t0 }, waiting(t2))).toEqual({ cause: 'lightspeed', since: t0 });
    expect(causeOfWrite({ cause: 'sweep', since: t0 }, waiting(null))).toEqual({ cause: 'sweep', since: t0 });
    // Stored before the variant's last write: that write published it; a later mark is another change's.
    expect(causeOfWrite({ cause: 'order', since: t0 }, { lightspeedStoredAt: t1, lightspeedMarkWaiting: true, lastWrittenAt: t2 })).toEqual({ cause: 'order', since: t0 });
  });
});
