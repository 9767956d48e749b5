import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors';

describe('errorMessage', () => {
  it("names the database's own words and the statement's start, not its parameters", () => {
    const statement = `insert into "inventory_dirty" ("store_id", "ls_product_id") values ${Array.from({ length: 300 }, (_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ')}`;
    const error = new Error(`Failed query: ${statement}\nparams: ${'a,'.repeat(600)}`, { cause: new Error('deadlock detected') });
    const text = errorMessage(error);
    expect(text).toBe(`deadlock detected (${statement.slice(0, 80)}…)`);
    expect(text).not.toContain('params');
  });

  it('leaves other errors as they are', () => {
    expect(errorMessage(new Error('Lightspeed answered 503', { cause: new Error('socket hang up') }))).toBe('Lightspeed answered 503');
    expect(errorMessage(new Error('Failed query: select 1'))).toBe('Failed query: select 1');
    expect(errorMessage('plain')).toBe('plain');
  });
});
