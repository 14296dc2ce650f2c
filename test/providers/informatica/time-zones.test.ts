/**
 * VENDORS.md: timestamps come with or without a zone, and a zone-less one is UTC. Informatica's paging
 * reads `createTime` for its windows, its overlap and its tail: a time read in the machine's zone, or
 * one at `+01:00` taken for UTC, would move an event out of the window that should hold it. Held
 * through the client against the emulator's `timeZones: 'mixed'`, seeds fixed.
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/core/errors.js';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { fastClock, inProcessClient } from './connect.js';


describe("informatica times in any zone (emulator timeZones: 'mixed')", () => {
  it('writes times with Z, without a zone and at +01:00, each the instant stored, and refuses another style', async () => {
    const clock = fastClock();
    const emulator = informaticaEmulator.create({ seed: 1, events: 12, clock, rateLimit: false, timeZones: 'mixed', responseForms: 'list' });
    const client = inProcessClient(emulator.fetch, clock);
    const events = await client.events.list().toArray();
    const raws = events.map((event) => event.raw as { eventId: number; createTime: string });
    const times = raws.map((raw) => raw.createTime);
    expect(times.some((t) => t.endsWith('Z'))).toBe(true);
    expect(times.some((t) => t.endsWith('+01:00'))).toBe(true);
    expect(times.some((t) => /T\d\d:\d\d:\d\d\.\d{3}$/.test(t))).toBe(true);
    for (const event of events) {
      expect(Date.parse(event.time)).toBe(emulator.store.events.get(Number(event.id))?.createTime);
    }
    expect(() => informaticaEmulator.create({ timeZones: 'local' as never })).toThrow(ConfigurationError);
  });

  it.each([1, 2, 3, 4, 5])('seed %i: lists every event once and resumes the tail with only what came since', async (seed) => {
    const clock = fastClock();
    const emulator = informaticaEmulator.create({ seed, events: 40, clock, rateLimit: false, timeZones: 'mixed' });
    const client = inProcessClient(emulator.fetch, clock);
    let tail = '';
    const ids: string[] = [];
    for await (const page of client.events.list({ pageSize: 7 }).byPage()) {
      ids.push(...page.items.map((event) => event.id));
      tail = page.cursor;
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(emulator.store.events.all().map((event) => String(event.eventId)).sort());
    const now = clock.now();
    // Three new events, one written in each zone form (the form follows the id).
    const added = [3_000, 2_000, 1_000].map((ago) => String(emulator.store.events.add({ createTime: now - ago }, now).eventId));
    const later: string[] = [];
    for await (const page of client.events.list({ pageSize: 7 }).byPage({ cursor: tail })) later.push(...page.items.map((event) => event.id));
    expect([...later].sort()).toEqual([...added].sort());
  });
});
