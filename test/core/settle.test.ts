/**
 * When a tail's overlap has settled (`settle.ts`): two minutes on the client's clock after the newest
 * instant was first delivered, never on a reading before the recorded one, never without a record.
 */
import { describe, expect, it } from 'vitest';
import { deliveredAt, SETTLE_MS, settled } from '../../src/core/paginate/settle.js';
import { TAIL_OVERLAP_MS } from '../../src/core/paginate/tail-overlap.js';

const AT = Date.parse('2030-01-01T12:00:00.000Z');

describe('settled', () => {
  it('waits twice the overlap after the newest instant was first delivered', () => {
    expect(SETTLE_MS).toBe(2 * TAIL_OVERLAP_MS);
    expect(settled(AT, AT + SETTLE_MS - 1)).toBe(false);
    expect(settled(AT, AT + SETTLE_MS)).toBe(true);
  });

  it('settles nothing without a record, on a reading before it, or on a clock that reads no number', () => {
    expect(settled(null, AT)).toBe(false);
    expect(settled(undefined, AT)).toBe(false);
    expect(settled(AT, AT - 3_600_000)).toBe(false);
    expect(settled(AT, Number.NaN)).toBe(false);
  });
});

describe('deliveredAt', () => {
  it('keeps the recorded time while the newest instant stays, and records now when it moves', () => {
    expect(deliveredAt(AT, false, AT + 5_000)).toBe(AT);
    expect(deliveredAt(AT, true, AT + 5_000)).toBe(AT + 5_000);
  });

  it('records now without a record, and for a record later than now (a clock set back, a cursor from ahead)', () => {
    expect(deliveredAt(null, false, AT)).toBe(AT);
    expect(deliveredAt(undefined, false, AT)).toBe(AT);
    expect(deliveredAt(AT + 600_000, false, AT)).toBe(AT);
  });

  it('records a whole millisecond not before now, and nothing for a clock that reads no number', () => {
    expect(deliveredAt(null, true, AT + 0.25)).toBe(AT + 1);
    expect(deliveredAt(AT, true, Number.NaN)).toBeNull();
    expect(deliveredAt(null, true, Number.POSITIVE_INFINITY)).toBeNull();
  });
});
