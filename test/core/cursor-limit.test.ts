/**
 * The cursor's length limit and the time strategies' bounds on the ids kept at one instant and in the
 * tail's overlap agree: the largest state those strategies accept fits in a cursor the decoder accepts,
 * whatever the ids' characters. A key takes its bytes of UTF-8 in the cursor's JSON, which base64url
 * writes as 4 characters for every 3: an id of 16 CJK characters, which `idKey` keeps as it is, takes
 * 48 bytes, and one of control characters 96 (each a `\u0001` escape), where the bounds counted 20 a
 * key. The largest states of such ids were accepted, and their cursors refused on resume.
 */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH, queryFingerprint, type CursorBinding } from '../../src/core/cursor.js';
import { MAX_INSTANT_KEY_BYTES, MAX_INSTANT_KEYS } from '../../src/core/paginate/boundary.js';
import { MAX_OVERLAP_KEYS } from '../../src/core/paginate/tail-overlap.js';
import { markerStrategy } from '../../src/core/paginate/marker.js';
import { timeWindowStrategy } from '../../src/core/paginate/time-window.js';

interface Event {
  id: string;
  time: string;
}

const TIME = '2026-11-23T10:00:00.000Z';
/** Keys as `idKey` writes a long id (an Illumio href): `#` and 16 hex digits. */
const keys = (from: number, count: number) => Array.from({ length: count }, (_, i) => `#${(from + i).toString(16).padStart(16, '0')}`);
const base = { window: {}, time: (event: Event) => event.time, id: (event: Event) => event.id };
const binding = (kind: CursorBinding['kind']): CursorBinding => ({ provider: 'illumio', query: queryFingerprint({}), kind });

/** `count` keys of 16 UTF-16 units from `from` on, the most `idKey` keeps as they are, each unit `unit(digit)`. */
const wideKeys = (unit: (digit: number) => string, base: number) => (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => {
    let key = '';
    for (let n = from + i, place = 0; place < 16; place++, n = Math.floor(n / base)) key += unit(n % base);
    return key.slice(0, 16);
  });
/** Ids beyond ASCII: CJK (3 bytes of UTF-8 a character), emoji (4 bytes, 2 units), control characters (6 bytes of JSON). */
const WIDE = {
  CJK: wideKeys((digit) => String.fromCodePoint(0x4e00 + digit), 20_000),
  emoji: wideKeys((digit) => String.fromCodePoint(0x1f300 + digit), 700),
  // U+000E to U+001F: JSON writes none of them shorter (as it does `\n`).
  control: wideKeys((digit) => String.fromCodePoint(0x0e + digit), 18),
};
const timeWindow = timeWindowStrategy<Event>({ ...base, fetchPage: async () => ({ items: [], total: 0 }), maxPageSize: 10_000 });
/** A time-window state with `count` keys at each of its three instants (the floor, the upper bound, the newest). */
const withInstants = (keysOf: (from: number, count: number) => string[], count: number) => {
  const initial = timeWindow.initial() as object;
  const instants = Object.keys(initial).filter((key) => `${key}i` in initial);
  return { ...initial, ...Object.fromEntries(instants.flatMap((key, index) => [[key, TIME], [`${key}i`, keysOf(index * count, count)]])) };
};
const refusal = (run: () => unknown): unknown => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
};

describe('cursor length and instant keys', () => {
  it('keep at least the 100,000 ids one instant could hold before', () => {
    expect(MAX_INSTANT_KEYS).toBeGreaterThanOrEqual(100_000);
  });

  it.each([
    ['time-window' as const, timeWindowStrategy<Event>({ ...base, fetchPage: async () => ({ items: [], total: 0 }), maxPageSize: 10_000 })],
    ['marker' as const, markerStrategy<Event>({ ...base, fetchPage: async () => [] })],
  ])('accept back the largest %s state', (kind, strategy) => {
    // Every instant of the state at its bound (the floor, the upper bound or marker, the newest), and the
    // overlap's keys at theirs.
    const initial = strategy.initial() as object;
    const instants = Object.keys(initial).filter((key) => `${key}i` in initial);
    expect(instants).toHaveLength(3);
    const overlap = (extra: number) => ({ k: keys(instants.length * MAX_INSTANT_KEYS, MAX_OVERLAP_KEYS + extra), c: TIME, fu: TIME });
    const full = (extra: number) =>
      Object.fromEntries(instants.flatMap((key, index) => [[key, TIME], [`${key}i`, keys(index * MAX_INSTANT_KEYS, MAX_INSTANT_KEYS + extra)]]));
    const validate = (value: unknown) => strategy.validate(value);
    const largest = validate({ ...initial, ...full(0), ...overlap(0) });
    const cursor = encodeCursor(binding(kind), largest);
    expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    expect(decodeCursor(cursor, binding(kind), validate)).toEqual(largest);
    expect(() => validate({ ...initial, ...full(1), ...overlap(0) })).toThrow();
    expect(() => validate({ ...initial, ...full(0), ...overlap(1) })).toThrow();
  });

  it.each(['CJK', 'emoji'] as const)('never accept a state of %s ids whose cursor is refused back', (script) => {
    const state = withInstants(WIDE[script], MAX_INSTANT_KEYS);
    const validate = (value: unknown) => timeWindow.validate(value);
    const accepted = refusal(() => validate(state)) === undefined;
    // Accepted, its cursor was refused on resume: `inflates to more than 6291456 bytes`.
    if (accepted) expect(refusal(() => decodeCursor(encodeCursor(binding('time-window'), validate(state)), binding('time-window'), validate))).toBeUndefined();
    expect(accepted).toBe(false);
  });

  it.each(['CJK', 'emoji', 'control'] as const)('accept back the largest state of %s ids, and refuse one key more', (script) => {
    const wide = WIDE[script];
    // An instant's JSON: each key, its quotes and a comma, and the brackets less one comma.
    const most = Math.floor((MAX_INSTANT_KEY_BYTES - 1) / (Buffer.byteLength(JSON.stringify(wide(0, 1)[0])) + 1));
    const validate = (value: unknown) => timeWindow.validate(value);
    const overlap = { k: WIDE.control(0, MAX_OVERLAP_KEYS), c: TIME, fu: TIME };
    const largest = validate({ ...withInstants(wide, most), ...overlap });
    const cursor = encodeCursor(binding('time-window'), largest);
    expect(decodeCursor(cursor, binding('time-window'), validate)).toEqual(largest);
    const over = withInstants(wide, most);
    expect(String(refusal(() => validate({ ...over, ni: wide(0, most + 1), ...overlap })))).toMatch(/^ni: at most \d+ bytes of JSON/);
  });

  it('accept back the largest state whose overlap keeps ids of control characters', () => {
    const validate = (value: unknown) => timeWindow.validate(value);
    const largest = validate({ ...withInstants(keys, MAX_INSTANT_KEYS), k: WIDE.control(0, MAX_OVERLAP_KEYS), c: TIME, fu: TIME });
    const cursor = encodeCursor(binding('time-window'), largest);
    expect(decodeCursor(cursor, binding('time-window'), validate)).toEqual(largest);
  });

  it('refuse a longer cursor before decoding it', () => {
    expect(() => decodeCursor('A'.repeat(MAX_CURSOR_LENGTH + 1), binding('time-window'), (state) => state)).toThrow(
      `Invalid cursor: longer than ${MAX_CURSOR_LENGTH} characters`,
    );
  });
});
