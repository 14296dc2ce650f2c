/**
 * A tail at one instant keeps that instant's ids as its floor's (`fi`) and its newest instant's (`ni`):
 * beyond zlib's window, the second copy is written as a reference to the first (`r`), and put back
 * when the cursor is read. Every cursor without so distant a repeat is written as it was, byte for
 * byte, and cursors written before are read as they were.
 */
import { describe, expect, it } from 'vitest';
import { cursorJson, decodeCursor, encodeCursor, queryFingerprint, type CursorBinding } from '../../src/core/cursor.js';
import { packCursor } from '../../src/core/cursor-pack.js';
import { CursorError } from '../../src/core/errors.js';
import { timeWindowStrategy } from '../../src/core/paginate/time-window.js';

const binding: CursorBinding = { provider: 'illumio', query: queryFingerprint({}), kind: 'time-window' };
const TIME = '2026-11-23T10:00:00.000Z';
/** Keys as `idKey` writes an Illumio href: `#` and 16 hex digits, as random as fingerprints are. */
const fingerprints = (count: number, seed = 1) =>
  Array.from({ length: count }, (_, i) => `#${((BigInt(seed + i) * 0x9e3779b97f4a7c15n) % 2n ** 64n).toString(16).padStart(16, '0')}`);
/** The tail cursor's state of a listing that ended at one instant holding `keys`. */
const tailAt = (keys: string[]) => ({ f: TIME, fi: keys, fu: null, k: [], c: null, t: null, ti: [], n: TIME, ni: keys, sa: 1_795_435_200_000 });
/** The cursor as every cursor was written before: the whole envelope, packed. */
const asBefore = (state: unknown) => packCursor(JSON.stringify({ v: 1, p: binding.provider, q: binding.query, k: binding.kind, s: state }));
const strategy = timeWindowStrategy<{ id: string; time: string }>({
  window: {},
  fetchPage: async () => ({ items: [], total: 0 }),
  maxPageSize: 10_000,
  time: (event) => event.time,
  id: (event) => event.id,
});
const validate = (state: unknown) => strategy.validate(state);

describe('a state member that repeats another', () => {
  it('10,000 ids at one instant: the tail cursor is half as long as before, and reads back whole', () => {
    const state = validate(tailAt(fingerprints(10_000)));
    const before = asBefore(state);
    const cursor = encodeCursor(binding, state);
    // 266,435 characters before, 133,487 now (bench/cursor-sizes.ts measures the listing's own: 265,616 and 132,988).
    expect(before.length).toBeGreaterThan(260_000);
    expect(cursor.length).toBeLessThan(before.length * 0.51);
    expect(JSON.parse(cursorJson(cursor))).toMatchObject({ r: { ni: 'fi' } });
    expect(JSON.parse(cursorJson(cursor)).s).not.toHaveProperty('ni');
    expect(decodeCursor(cursor, binding, validate)).toEqual(state);
  });

  it('ids beyond ASCII: a copy beyond zlib window in bytes, though not in characters, is written once', () => {
    // 1,000 ids of 16 CJK characters, as `idKey` keeps them: 19,000 characters of JSON, 51,000 bytes,
    // which zlib reaches across as bytes. Measured in characters, the repeat was written out again.
    const cjk = Array.from({ length: 1000 }, (_, i) => String.fromCodePoint(0x4e00 + (i % 100), 0x4e00 + Math.floor(i / 100)).repeat(8));
    const state = validate(tailAt(cjk));
    const cursor = encodeCursor(binding, state);
    expect(JSON.parse(cursorJson(cursor))).toMatchObject({ r: { ni: 'fi' } });
    expect(cursor.length).toBeLessThan(asBefore(state).length * 0.6);
    expect(decodeCursor(cursor, binding, validate)).toEqual(state);
  });

  it('an ordinary cursor is written as before, byte for byte: zlib folds a repeat within its window', () => {
    for (const count of [1, 20, 100, 1000]) {
      const state = validate(tailAt(fingerprints(count)));
      expect(encodeCursor(binding, state), `${count} ids`).toBe(asBefore(state));
    }
    const quiet = validate({ ...tailAt(['#00000000000000a1']), fi: ['#00000000000000a1', '#00000000000000b2'] });
    expect(encodeCursor(binding, quiet)).toBe(asBefore(quiet));
  });

  it('a repeat within reach of its copy but beyond zlib window, past another long member, is written once too', () => {
    const keys = fingerprints(1000);
    // 20 KB of JSON for the floor's ids and 20 KB for the upper bound's between them and the newest's.
    const state = validate({ ...tailAt(keys), t: TIME, ti: fingerprints(1000, 50_000) });
    const cursor = encodeCursor(binding, state);
    expect(JSON.parse(cursorJson(cursor))).toMatchObject({ r: { ni: 'fi' } });
    expect(cursor.length).toBeLessThan(asBefore(state).length);
    expect(decodeCursor(cursor, binding, validate)).toEqual(state);
  });

  it('a member that only begins with the ids of an earlier one, beyond zlib window, is written whole and reads back whole', () => {
    const keys = fingerprints(1000);
    // The newest instant holds one id more than the floor: not a repeat, whatever their common start.
    const state = validate({ ...tailAt(keys), t: TIME, ti: fingerprints(1000, 50_000), ni: [...keys, '#ffffffffffffffff'] });
    const cursor = encodeCursor(binding, state);
    expect(JSON.parse(cursorJson(cursor))).not.toHaveProperty('r');
    expect(decodeCursor(cursor, binding, validate)).toEqual(state);
  });

  it('three copies of one list, each beyond zlib window from the one before: both repeats name the first, and the cursor reads back whole', () => {
    const keys = fingerprints(1000);
    const state = { a: keys, x: fingerprints(1000, 50_000), b: keys, y: fingerprints(2000, 90_000), c: keys };
    const cursor = encodeCursor(binding, state);
    expect(JSON.parse(cursorJson(cursor))).toMatchObject({ r: { b: 'a', c: 'a' } });
    expect(decodeCursor(cursor, binding, (read) => read)).toEqual(state);
  });

  it('reads a cursor written before, with both copies', () => {
    const state = validate(tailAt(fingerprints(10_000)));
    expect(decodeCursor(asBefore(state), binding, validate)).toEqual(state);
  });

  it.each([
    ['naming a member the state has', '{"fi":"ni"}'],
    ['naming a member it lacks', '{"ni":"x"}'],
    ['naming a member that is not an array', '{"ni":"f"}'],
    ['naming __proto__, which an object literal would make a prototype of', '{"__proto__":"fi"}'],
    ['a list, not a map', '["ni","fi"]'],
    ['naming its copy by a number', '{"ni":1}'],
    ['null', 'null'],
  ])('refuses a cursor whose repeated members are %s', (_name, repeats) => {
    const { ni: _ni, ...rest } = tailAt(fingerprints(3));
    const state = JSON.stringify(repeats.startsWith('{"fi"') ? tailAt(fingerprints(3)) : rest);
    const cursor = packCursor(`{"v":1,"p":"${binding.provider}","q":"${binding.query}","k":"${binding.kind}","s":${state},"r":${repeats}}`);
    expect(() => decodeCursor(cursor, binding, validate)).toThrow(CursorError);
    expect(() => decodeCursor(cursor, binding, validate)).toThrow(/repeated member/);
  });
});
