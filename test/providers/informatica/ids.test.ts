import { describe, expect, it } from 'vitest';
import { idKey } from '../../../src/core/dedupe.js';
import { idText, lookupKey, seenKey } from '../../../src/providers/informatica/ids.js';
import { LINEAR_BOUND_MS, LONG_RUN, millisecondsOf } from '../../support/linear-time.js';

/** The key a cursor keeps an event's id under (`pagination.ts`), as cursors written before keep it. */
const cursorKey = (eventId: number | string) => idKey(String(eventId));

describe('informatica ids', () => {
  it('writes a decimal string without its leading zeros, and leaves any other text as it is', () => {
    expect(['32010', '032010', '0032010', '0', '000', 32010, 0].map(idText)).toEqual(['32010', '32010', '32010', '0', '0', '32010', '0']);
    expect(['#0123456789abcdef', '0x10', '00a', ''].map(idText)).toEqual(['#0123456789abcdef', '0x10', '00a', '']);
  });

  it('reads a long run of zeros that is not a number in time linear in its length (a key of a cursor)', () => {
    // A cursor's keys are any strings, and a deflated cursor holds megabytes of zeros in a few bytes:
    // each zero was tried again to the end, and 200,000 of them took half a minute.
    const key = `${'0'.repeat(LONG_RUN)}x`;
    expect(millisecondsOf(() => expect(seenKey(key)).toBe(key))).toBeLessThan(LINEAR_BOUND_MS);
    expect(idText(`${'0'.repeat(LONG_RUN)}7`)).toBe('7');
  });

  it('gives a number and every string that writes it one key', () => {
    for (const id of ['32010', '032010', '00032010']) expect(seenKey(id)).toBe(32010);
    expect(seenKey('000')).toBe(0);
    expect(seenKey('09007199254740993')).toBe('9007199254740993');
    expect(seenKey('#0123456789abcdef')).toBe('#0123456789abcdef');
  });

  it('keeps the key of a number id, so cursors written before still match, and meets a zero-led string id through them', () => {
    expect(seenKey(32010)).toBe(32010);
    expect(lookupKey(32010)).toBe(32010);
    // A key written for either form finds the event in the other.
    expect(seenKey(cursorKey(32010))).toBe(lookupKey('032010'));
    expect(seenKey(cursorKey('032010'))).toBe(lookupKey(32010));
    const long = '12345678901234567890';
    expect(seenKey(cursorKey(long))).toBe(lookupKey(long));
  });
});
