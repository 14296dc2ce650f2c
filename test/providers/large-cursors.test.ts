/**
 * The longest cursors each provider issues (`bench/cursor-sizes.ts` measures them): a burst of events
 * in one minute or at one instant fills the ids a cursor remembers. Issued compressed, they stay under
 * a bound per provider, and a listing resumed from any of them delivers what follows that page, no
 * event lost or repeated; the tail resumes with nothing new.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock, type Clock } from '../../src/core/clock.js';
import { cursorJson, decodeCursor, encodeCursor, queryFingerprint } from '../../src/core/cursor.js';
import { DEFLATED } from '../../src/core/cursor-pack.js';
import { unfoldRepeats } from '../../src/core/cursor-repeats.js';
import { sinceIdStrategy } from '../../src/core/paginate/since-id.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { DEFAULT_FUJITSU_TENANT, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { informaticaStrategy } from '../../src/providers/informatica/pagination.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { tinesEmulator } from '../../src/providers/tines/emulator.js';
import { inProcessClients } from '../support/in-process-clients.js';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');

interface Scenario {
  listing: () => Paginated<{ id: string }>;
  /** The longest cursor issued, compressed; its plain form is at least `plainAbove`. */
  below: number;
  plainAbove: number;
}

const scenarios: Array<[string, () => Scenario]> = [
  [
    'socotra, 5000 events, pages of 1000',
    () => {
      const clock = scaledClock(0.001, () => NOW);
      const emulator = socotraEmulator.create({ seed: 11, events: 5000, clock, rateLimit: false });
      const client = socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, fetch: emulator.fetch, clock, rateLimit: false });
      return { listing: () => client.events.list({ pageSize: 1000 }), below: 2_000, plainAbove: 2_500 };
    },
  ],
  [
    'tines, 3000 events in a minute, pages of 500',
    () => {
      const time = { now: NOW };
      const clock: Clock = { now: () => time.now, scale: 1, sleep: async () => undefined };
      const emulator = tinesEmulator.create({ seed: 5, events: 0, clock });
      for (let i = 0; i < 3000; i++) {
        time.now += 20;
        emulator.store.emit({ actionId: 21 });
      }
      const client = inProcessClients.tines(emulator.fetch, clock);
      return { listing: () => client.events.list({ pageSize: 500 }), below: 8_000, plainAbove: 35_000 };
    },
  ],
  [
    'fujitsu, 99 events a second for a minute, pages of 100',
    () => {
      const clock = scaledClock(0.001, () => NOW);
      const emulator = fujitsuEmulator.create({ events: 0, clock });
      for (let ago = 60; ago >= 1; ago--) emulator.store.events.addBurst(DEFAULT_FUJITSU_TENANT, NOW - ago * 1000, 99);
      const client = inProcessClients.fujitsu(emulator.fetch, clock);
      return { listing: () => client.events.list({ since: new Date(NOW - 3_600_000), pageSize: 100 }), below: 16_000, plainAbove: 28_000 };
    },
  ],
  [
    'illumio, 3000 events at one instant, pages of 500',
    () => {
      const clock = scaledClock(0.001);
      const emulator = illumioEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
      emulator.store.record(3000, NOW);
      const client = inProcessClients.illumio(emulator.fetch, clock);
      return { listing: () => client.events.list({ pageSize: 500, mode: 'sync' }), below: 45_000, plainAbove: 150_000 };
    },
  ],
  [
    // The tail's floor and its newest instant are that one instant, with the same 10,000 ids: 200 KB of
    // JSON a copy, beyond what zlib folds. Written once, the cursor is half the 265,000 characters it was.
    'illumio, 10,000 events at one instant, pages of 10,000',
    () => {
      const clock = scaledClock(0.001);
      const emulator = illumioEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
      emulator.store.record(10_000, NOW);
      const client = inProcessClients.illumio(emulator.fetch, clock);
      return { listing: () => client.events.list({ pageSize: 10_000, mode: 'sync' }), below: 140_000, plainAbove: 500_000 };
    },
  ],
  [
    'informatica, 1200 events in the last minute and 1200 children ahead of the window, pages of 500',
    () => {
      const now = Date.now();
      const clock = scaledClock(0.001, () => now);
      const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
      const add = (at: number, parent?: number) => emulator.store.events.add({ createTime: now + at, parentEventId: parent }, now).eventId;
      for (let i = 0; i < 1200; i++) add(-30_000 + i);
      const parent = add(-30_000);
      for (let i = 0; i < 1200; i++) add(1 + (i % 900), parent);
      const client = inProcessClients.informatica(emulator.fetch, clock);
      const since = new Date(now - 3_600_000).toISOString();
      return { listing: () => client.events.list({ since, pageSize: 500 }), below: 13_000, plainAbove: 55_000 };
    },
  ],
];

/** The cursor as the base64url of its JSON with the whole state: the length every cursor had before compression. */
function plainLength(cursor: string): number {
  const { s, r, ...envelope } = JSON.parse(cursorJson(cursor)) as { s: unknown; r?: unknown };
  return Buffer.byteLength(JSON.stringify({ ...envelope, s: unfoldRepeats(s, r) })) * (4 / 3);
}

async function drain(listing: Paginated<{ id: string }>, cursor?: string) {
  const pages: Array<{ ids: string[]; cursor: string }> = [];
  for await (const page of listing.byPage(cursor === undefined ? {} : { cursor })) pages.push({ ids: page.items.map((event) => event.id), cursor: page.cursor });
  return pages;
}

describe('the longest cursors of each provider', () => {
  it.each(scenarios)('%s: compressed, under their bound, and resumed from, nothing lost or repeated', async (_name, setup) => {
    const { listing, below, plainAbove } = setup();
    const pages = await drain(listing());
    const all = pages.flatMap((page) => page.ids);
    expect(new Set(all).size).toBe(all.length);
    const longest = pages.map((page) => page.cursor).reduce((a, b) => (b.length > a.length ? b : a));
    expect(Buffer.from(longest, 'base64url')[0]).toBe(DEFLATED);
    expect(plainLength(longest)).toBeGreaterThan(plainAbove);
    expect(longest.length).toBeLessThan(below);
    // Every page's cursor, with at most ten pages resumed from one listing's pages.
    const step = Math.ceil(pages.length / 10);
    for (let index = 0; index < pages.length; index += step) {
      const delivered = pages.slice(0, index + 1).flatMap((page) => page.ids).length;
      const rest = await drain(listing(), pages[index]?.cursor);
      expect(rest.flatMap((page) => page.ids)).toEqual(all.slice(delivered));
    }
    expect((await drain(listing(), pages.at(-1)?.cursor)).flatMap((page) => page.ids)).toEqual([]);
  });
});

/** Nine-digit ids a few apart, as a busy tenant's: the same each run. */
function idsFrom(start: number) {
  let id = start;
  return (): string => String((id += 1 + (id % 7) % 4));
}
const at = (ms: number) => new Date(Date.parse('2026-11-23T10:00:00.000Z') + ms).toISOString();

describe('the fullest states a cursor holds', () => {
  it('informatica, 1000 ids each of the previous listing, this one and the children ahead: under 20,000 characters', () => {
    const next = idsFrom(700_000_000);
    const strategy = informaticaStrategy({ window: { since: at(-3_600_000), until: undefined }, clock: scaledClock(1), fetchPage: async () => ({ items: [] }) });
    const state = strategy.validate({
      f: at(-3_600_000),
      t: at(0),
      o: { o: 120_000, n: null },
      d: Array.from({ length: 1000 }, next),
      p: Array.from({ length: 20 }, next),
      r: 0,
      k: Array.from({ length: 1000 }, next),
      c: at(-30_000),
      a: at(-10),
      e: Array.from({ length: 1000 }, (_, i) => [next(), at(i * 37)]),
    });
    const binding = { provider: 'informatica' as const, query: queryFingerprint({}), kind: strategy.kind };
    const cursor = encodeCursor(binding, state);
    expect(Buffer.byteLength(cursorJson(cursor)) * (4 / 3)).toBeGreaterThan(85_000);
    expect(cursor.length).toBeLessThan(20_000);
    expect(decodeCursor(cursor, binding, (value) => strategy.validate(value))).toEqual(state);
  });

  it('tines, 1000 ids with their times each of the overlap started from and the one built: under 17,000 characters', () => {
    const next = idsFrom(900_000_000);
    const strategy = sinceIdStrategy<{ id: string }>({ fetchPage: async () => ({ items: [] }), id: (event) => event.id, createdAt: () => 0 });
    const entries = (from: number) => Array.from({ length: 1000 }, (_, i) => [next(), from + i * 55] as [string, number]);
    const state = strategy.validate({ s: null, p: null, lo: null, hi: null, o: 'd', m: 500, b: '899999999', w: entries(1_795_000_000_000), k: entries(1_795_000_060_000) });
    const binding = { provider: 'tines' as const, query: queryFingerprint({}), kind: strategy.kind };
    const cursor = encodeCursor(binding, state);
    expect(Buffer.byteLength(cursorJson(cursor)) * (4 / 3)).toBeGreaterThan(70_000);
    expect(cursor.length).toBeLessThan(17_000);
    expect(decodeCursor(cursor, binding, (value) => strategy.validate(value))).toEqual(state);
  });
});
