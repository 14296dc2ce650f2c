/**
 * Resuming from every page's cursor loses nothing and repeats nothing: on dense organizations (many
 * events in one millisecond), sparse ones, with the export in `auto` mode, and with events recorded
 * while the listing pages.
 */
import fc from 'fast-check';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import type { IllumioListQuery } from '../../../src/providers/illumio/index.js';
import { illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import { fastClock, inProcessClient, PCE } from './connect.js';
import { PROPERTY_TIMEOUT } from '../../support/property-timeout.js';

const organization = fc.record({
  events: fc.integer({ min: 0, max: 60 }),
  pageSize: fc.integer({ min: 2, max: 20 }),
  maxGapMs: fc.constantFrom(1, 3, 1_000, 60_000),
  mode: fc.constantFrom('sync' as const, 'sync' as const, 'auto' as const),
  seed: fc.integer({ min: 1, max: 10_000 }),
});

type Setup = typeof organization extends fc.Arbitrary<infer T> ? T : never;

async function check(setup: Setup, arrivals: number, transport: 'fetch' | 'msw'): Promise<void> {
  const clock = fastClock();
  const emulator = illumioEmulator.create({
    seed: setup.seed,
    events: setup.events,
    maxGapMs: setup.maxGapMs,
    clock,
    rateLimit: false,
    async: { pollsBeforeDone: 0 },
  });
  const server = transport === 'msw' ? setupServer(...(await emulator.msw(PCE))) : undefined;
  server?.listen({ onUnhandledRequest: 'error' });
  try {
    const pce = inProcessClient(emulator, clock, server !== undefined);
    const query: IllumioListQuery =
      setup.mode === 'auto' ? { pageSize: setup.pageSize, mode: setup.mode, asyncThreshold: setup.pageSize * 2 } : { pageSize: setup.pageSize, mode: setup.mode };
    const list = () => pce.events.list(query);

    const pages: Array<{ ids: string[]; cursor: string }> = [];
    for await (const page of list().byPage()) pages.push({ ids: page.items.map((e) => e.id), cursor: page.cursor });
    const all = pages.flatMap((page) => page.ids);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(emulator.store.events.map((e) => e.href).sort());

    // From every page's cursor, the rest of the listing is exactly what the first pass had after it.
    for (let cut = 0; cut < pages.length; cut++) {
      const rest: string[] = [];
      for await (const page of list().byPage({ cursor: (pages[cut] as { cursor: string }).cursor })) {
        rest.push(...page.items.map((e) => e.id));
      }
      const before = pages.slice(0, cut + 1).flatMap((page) => page.ids);
      expect(new Set([...before, ...rest]).size).toBe(before.length + rest.length);
      expect([...before, ...rest].sort()).toEqual([...all].sort());
    }

    // Events recorded after the listing (some in its newest millisecond) come from the tail cursor, once.
    const tail = (pages.at(-1) as { cursor: string }).cursor;
    const newest = emulator.store.events[0];
    const tied = newest === undefined ? [] : emulator.store.record(arrivals % 3, Date.parse(newest.timestamp));
    const newer = emulator.store.record(arrivals % 7);
    const late: string[] = [];
    for await (const page of list().byPage({ cursor: tail })) late.push(...page.items.map((e) => e.id));
    expect([...late].sort()).toEqual([...tied, ...newer].map((e) => e.href).sort());
  } finally {
    server?.close();
  }
}

describe('illumio resume property', PROPERTY_TIMEOUT, () => {
  it('in process: every cursor resumes without loss or repetition, and the tail yields only arrivals', async () => {
    await fc.assert(fc.asyncProperty(organization, fc.nat(), (setup, arrivals) => check(setup, arrivals, 'fetch')), { numRuns: 60 });
  });

  it('through msw: the same property', async () => {
    await fc.assert(fc.asyncProperty(organization, fc.nat(), (setup, arrivals) => check(setup, arrivals, 'msw')), { numRuns: 12 });
  });
});
