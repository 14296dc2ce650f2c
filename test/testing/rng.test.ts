import { describe, expect, it } from 'vitest';
import { createGenericEmulator, createRng } from '../../src/testing/index.js';

const draw = (seed: number) => {
  const rng = createRng(seed);
  return [rng.next(), rng.int(1, 6), rng.uuid(), rng.ulid(1_795_000_000_000), rng.hex(8), rng.words(3)];
};

describe('createRng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('keeps int within inclusive bounds and reaches both ends', () => {
    const rng = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const value = rng.int(3, 9);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(9);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(() => rng.int(5, 4)).toThrow(RangeError);
  });

  it('makes well-formed UUIDs, ULIDs and hex', () => {
    const rng = createRng(3);
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ulid = rng.ulid(Date.parse('2026-11-23T10:00:00.000Z'));
    expect(ulid).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    // The first ten characters encode the time, so ULIDs of later times sort after earlier ones.
    expect(rng.ulid(Date.parse('2026-11-23T10:00:00.001Z')).slice(0, 10) > ulid.slice(0, 10)).toBe(true);
    expect(rng.hex(16)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reads a zone-less bound as UTC, so a seed draws the same dates in every time zone', () => {
    const zone = process.env['TZ'];
    try {
      process.env['TZ'] = 'America/New_York';
      const date = createRng(3).date('2026-11-01T00:00:00', '2026-11-01T00:00:00');
      expect(date.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
    expect(() => createRng(3).date('yesterday', 0)).toThrow(/from must be an ISO 8601 date-time/);
  });

  it('draws dates between the bounds, and picks from lists', () => {
    const rng = createRng(11);
    for (let i = 0; i < 100; i++) {
      const date = rng.date('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z').getTime();
      expect(date).toBeGreaterThanOrEqual(Date.parse('2026-11-01T00:00:00Z'));
      expect(date).toBeLessThanOrEqual(Date.parse('2026-11-02T00:00:00Z'));
    }
    expect(['a', 'b']).toContain(rng.pick(['a', 'b']));
    expect(() => rng.pick([])).toThrow(RangeError);
    expect(rng.words(4).split(' ')).toHaveLength(4);
  });

  it('forks independent streams deterministically', () => {
    const a = createRng(5).fork();
    const b = createRng(5).fork();
    expect([a.next(), a.next()]).toEqual([b.next(), b.next()]);
  });

  it('rejects a seed that is not a number', () => {
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
  });
});

describe('seeded event generation', () => {
  it('builds the same events for the same seed and different events for another', () => {
    const one = createGenericEmulator({ seed: 9, events: 40 }).store.events;
    const two = createGenericEmulator({ seed: 9, events: 40 }).store.events;
    const other = createGenericEmulator({ seed: 10, events: 40 }).store.events;
    expect(one).toHaveLength(40);
    expect(one).toEqual(two);
    expect(one).not.toEqual(other);
  });

  it('rebuilds the same store on reset', () => {
    const emulator = createGenericEmulator({ seed: 4, events: 10 });
    const before = structuredClone(emulator.store.events);
    emulator.store.add({ message: 'late' });
    emulator.store.clear();
    emulator.reset();
    expect(emulator.store.events).toEqual(before);
  });
});
