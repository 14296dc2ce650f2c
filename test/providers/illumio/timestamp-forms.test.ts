/**
 * VENDORS.md: timestamps come with or without milliseconds, with or without a zone (a zone-less one is
 * UTC). Illumio's paging moves an inclusive upper bound to the oldest timestamp a page held and drops
 * what it delivered at that instant, and its tail keeps the newest instant: an instant that comes back
 * written another way must still be met as the same one. Held through the client against the
 * emulator's `timestamps: 'mixed'`, seeds fixed.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { ConfigurationError } from '../../../src/core/errors.js';
import { illumioEmulator, type IllumioEmulatorOptions } from '../../../src/providers/illumio/emulator.js';
import type { IllumioEvent } from '../../../src/providers/illumio/schemas.js';
import { isoTime } from '../../../src/testing/query.js';
import { inProcessClient, listIds, storeIds } from './connect.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

function mixed(seed: number, options: IllumioEmulatorOptions & { events?: number } = {}) {
  const clock = scaledClock(0.001);
  const emulator = illumioEmulator.create({ seed, events: 150, maxGapMs: 2_000, timestamps: 'mixed', rateLimit: false, clock, ...options });
  return { emulator, client: inProcessClient(emulator, clock) };
}

const instantOf = (event: IllumioEvent | undefined): number => isoTime((event as IllumioEvent).timestamp);

describe("Illumio timestamps in any form (emulator timestamps: 'mixed')", () => {
  it('writes every form of VENDORS.md, each the instant it stands for, newest first', () => {
    const { emulator } = mixed(1, { events: 400 });
    const stamps = emulator.store.events.map((event) => event.timestamp);
    expect(stamps.some((t) => t.endsWith('Z') && t.includes('.'))).toBe(true);
    expect(stamps.some((t) => /T\d\d:\d\d:\d\dZ$/.test(t))).toBe(true);
    expect(stamps.some((t) => /T\d\d:\d\d:\d\d(\.\d+)?$/.test(t))).toBe(true);
    expect(stamps.some((t) => t.endsWith('+00:00'))).toBe(true);
    expect(stamps.some((t) => t.endsWith('+01:00'))).toBe(true);
    const instants = stamps.map((t) => isoTime(t));
    expect(instants.every(Number.isFinite)).toBe(true);
    expect(instants).toEqual([...instants].sort((a, b) => b - a));
    // The default writes the seed's form, the events it always generated.
    const plain = illumioEmulator.create({ seed: 1, events: 400 }).store.events;
    expect(plain.every((event) => /\.\d{3}Z$/.test(event.timestamp))).toBe(true);
    expect(plain.map((event) => event.href).sort()).toEqual(emulator.store.events.map((event) => event.href).sort());
    expect(() => illumioEmulator.create({ timestamps: 'micros' as never })).toThrow(ConfigurationError);
    expect(() => illumioEmulator.create({ timestamps: 'micros' as never })).toThrow('timestamps must be one of "millis", "mixed", got "micros"');
  });

  it.each(SEEDS)('seed %i: lists every event once, newest first, across windows split at instants written many ways', async (seed) => {
    const { emulator, client } = mixed(seed);
    const ids = await listIds(client, { pageSize: 7 });
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(storeIds(emulator).sort());
    const byHref = new Map(emulator.store.events.map((event) => [event.href, instantOf(event)]));
    const delivered = ids.map((id) => byHref.get(id) as number);
    expect(delivered).toEqual([...delivered].sort((a, b) => b - a));
  });

  it.each(SEEDS)('seed %i: resumes from a tail cursor with only what came since, ties at the newest instant in another form included', async (seed) => {
    const { emulator, client } = mixed(seed, { events: 60 });
    let tail = '';
    const first: string[] = [];
    for await (const page of client.events.list({ pageSize: 9 }).byPage()) {
      first.push(...page.items.map((event) => event.id));
      tail = page.cursor;
    }
    const tied = emulator.store.record(3, instantOf(emulator.store.events[0])).map((event) => event.href);
    const newer = emulator.store.record(8).map((event) => event.href);
    const later: string[] = [];
    for await (const page of client.events.list({ pageSize: 4 }).byPage({ cursor: tail })) later.push(...page.items.map((event) => event.id));
    expect([...later].sort()).toEqual([...tied, ...newer].sort());
    expect(later.filter((id) => first.includes(id))).toEqual([]);
  });

  it('holds a window whose bounds fall on instants the events write in other forms, inclusively', async () => {
    const { emulator, client } = mixed(3);
    const events = emulator.store.events;
    const until = events[20] as IllumioEvent;
    const since = events[90] as IllumioEvent;
    const expected = events.filter((event) => instantOf(event) >= instantOf(since) && instantOf(event) <= instantOf(until)).map((event) => event.href);
    const listed = await listIds(client, { since: new Date(instantOf(since)).toISOString(), until: new Date(instantOf(until)).toISOString(), pageSize: 6 });
    expect([...listed].sort()).toEqual(expected.sort());
  });
});
