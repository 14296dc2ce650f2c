/**
 * Resuming from any page's cursor loses nothing and repeats nothing, on every kind of tenant: both
 * orders, both shapes, a meta that contradicts itself, and events arriving while the listing pages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tines } from '../../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../../src/providers/tines/emulator.js';
import { fastClock, TENANT } from './connect.js';

const tenant = fc.record({
  events: fc.integer({ min: 0, max: 50 }),
  pageSize: fc.integer({ min: 1, max: 25 }),
  order: fc.constantFrom('newest-first' as const, 'oldest-first' as const),
  api: fc.constantFrom('current' as const, 'legacy' as const),
  meta: fc.constantFrom('consistent' as const, 'disagree' as const),
  seed: fc.integer({ min: 1, max: 1_000 }),
});

describe('tines resume property', () => {
  it('resuming from every page cursor, with events arriving meanwhile, delivers each event exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(tenant, fc.nat(), fc.nat(), async (setup, pick, arrivalsSeed) => {
        const clock = fastClock();
        const emulator = tinesEmulator.create({ ...setup, clock });
        const client = tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch, clock });
        const list = () => client.events.list({ pageSize: setup.pageSize });

        // A first full listing, keeping every page and its cursor.
        const pages: Array<{ ids: string[]; cursor: string }> = [];
        for await (const page of list().byPage()) pages.push({ ids: page.items.map((e) => e.id), cursor: page.cursor });
        const firstPass = pages.flatMap((page) => page.ids);
        expect(new Set(firstPass).size).toBe(firstPass.length);
        expect([...firstPass].sort()).toEqual(emulator.store.events.map((e) => String(e.id)));

        // Stop after page `cut`, let up to one page of events arrive per request, then resume.
        const cut = pick % pages.length;
        const before = pages.slice(0, cut + 1).flatMap((page) => page.ids);
        let arrivals = arrivalsSeed;
        const after: string[] = [];
        let tail = '';
        for await (const page of list().byPage({ cursor: (pages[cut] as { cursor: string }).cursor })) {
          after.push(...page.items.map((e) => e.id));
          tail = page.cursor;
          const count = arrivals % (setup.pageSize + 1);
          arrivals = Math.floor(arrivals / 3);
          for (let i = 0; i < count; i++) emulator.store.emit();
        }
        // Whatever arrived after the last page is what the tail cursor picks up later.
        const late: string[] = [];
        for await (const event of list().byPage({ cursor: tail })) late.push(...event.items.map((e) => e.id));

        const seen = [...before, ...after];
        expect(new Set(seen).size).toBe(seen.length);
        expect(late.filter((id) => seen.includes(id))).toEqual([]);
        const everything = new Set([...seen, ...late]);
        expect([...everything].sort()).toEqual(emulator.store.events.map((e) => String(e.id)));
      }),
      { numRuns: 30 },
    );
  });
});
