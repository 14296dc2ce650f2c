/**
 * The cursor's length limit and the time strategies' bounds on the ids kept at one instant and in the
 * tail's overlap agree: the largest state those strategies accept fits in a cursor the decoder accepts.
 */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH, queryFingerprint, type CursorBinding } from '../../src/core/cursor.js';
import { MAX_INSTANT_KEYS } from '../../src/core/paginate/boundary.js';
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

  it('refuse a longer cursor before decoding it', () => {
    expect(() => decodeCursor('A'.repeat(MAX_CURSOR_LENGTH + 1), binding('time-window'), (state) => state)).toThrow(
      `Invalid cursor: longer than ${MAX_CURSOR_LENGTH} characters`,
    );
  });
});
