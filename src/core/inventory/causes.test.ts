import { describe, expect, it } from 'vitest';
import { causeRank, mergeCause } from './causes';

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
});
