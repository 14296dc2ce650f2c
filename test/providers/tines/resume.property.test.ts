/**
 * Resuming from any page's cursor loses nothing and repeats nothing, on every kind of tenant: both
 * orders, both shapes, a meta that contradicts itself, a tenant that ignores `page`, and
 * up to three pages of events arriving before any request (probes included) while the listing pages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isResponseValidationError } from '../../../src/core/errors.js';
import type { Page } from '../../../src/core/paginate/types.js';
import { tines, type TinesTributaryEvent } from '../../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../../src/providers/tines/emulator.js';
import { fastClock, TENANT } from './connect.js';
import { PROPERTY_TIMEOUT } from '../../support/property-timeout.js';

const tenant = fc.record({
  events: fc.integer({ min: 0, max: 50 }),
  pageSize: fc.integer({ min: 1, max: 25 }),
  order: fc.constantFrom('newest-first' as const, 'oldest-first' as const),
  api: fc.constantFrom('current' as const, 'legacy' as const),
  meta: fc.constantFrom('consistent' as const, 'disagree' as const),
  seed: fc.integer({ min: 1, max: 1_000 }),
  // Oldest first, `since_id` reaches everything; newest first, `until_id` does (all events are listed).
  ignorePage: fc.boolean(),
});
/** Events arriving before each request, in pages: each entry is taken modulo 3 * pageSize + 1. */
const arrivals = fc.array(fc.nat({ max: 1_000 }), { maxLength: 12 });

type Listing = ReturnType<ReturnType<typeof tines>['events']['list']>;

/**
 * Drains a listing as a collector does: when the pass falls behind a burst of arrivals and the engine's
 * empty-page guard stops it, it resumes from the last cursor it has.
 */
async function drain(list: () => Listing, cursor?: string): Promise<{ pages: Array<{ ids: string[]; cursor: string }>; stops: number }> {
  const pages: Array<{ ids: string[]; cursor: string }> = [];
  let from = cursor;
  for (let stops = 0; ; stops++) {
    try {
      for await (const page of list().byPage(from === undefined ? {} : { cursor: from })) {
        pages.push(record(page));
        from = page.cursor;
      }
      return { pages, stops };
    } catch (error) {
      if (!isResponseValidationError(error) || !error.issues.some((issue) => issue.includes('brought no new item')) || stops > 20) throw error;
    }
  }
}

function record(page: Page<TinesTributaryEvent>): { ids: string[]; cursor: string } {
  const ids = page.items.map((event) => event.id);
  expect(ids).toEqual([...ids].sort());
  return { ids, cursor: page.cursor };
}

describe('tines resume property', PROPERTY_TIMEOUT, () => {
  it('delivers each event exactly once, resuming from any page cursor, with up to three pages arriving per request', async () => {
    await fc.assert(
      fc.asyncProperty(tenant, fc.nat(), arrivals, arrivals, async (setup, pick, during, afterCut) => {
        const clock = fastClock();
        const { pageSize: _pageSize, ...options } = setup;
        const emulator = tinesEmulator.create({ ...options, clock });
        let pending: number[] = [];
        const arrive: typeof emulator.fetch = async (input, init) => {
          const count = (pending.shift() ?? 0) % (3 * setup.pageSize + 1);
          for (let i = 0; i < count; i++) emulator.store.emit();
          return emulator.fetch(input, init);
        };
        const client = tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch: arrive, clock });
        const list = () => client.events.list({ pageSize: setup.pageSize });
        const stored = () => emulator.store.events.map((e) => String(e.id));
        const exactlyOnce = (ids: string[]) => {
          expect(new Set(ids).size).toBe(ids.length);
          expect([...ids].sort()).toEqual(stored());
        };

        // A first listing while events arrive, then its tail cursor once they have stopped.
        pending = [...during];
        const { pages } = await drain(list);
        pending = [];
        const tail = pages.at(-1)?.cursor as string;
        exactlyOnce([...pages.flatMap((page) => page.ids), ...(await drain(list, tail)).pages.flatMap((page) => page.ids)]);

        // Resume after page `cut` while more events arrive; everything not delivered up to the cut comes.
        const cut = pick % pages.length;
        const before = pages.slice(0, cut + 1).flatMap((page) => page.ids);
        pending = [...afterCut];
        const resumed = await drain(list, (pages[cut] as { cursor: string }).cursor);
        pending = [];
        const after = resumed.pages.flatMap((page) => page.ids);
        const late = (await drain(list, resumed.pages.at(-1)?.cursor)).pages.flatMap((page) => page.ids);
        exactlyOnce([...before, ...after, ...late]);
      }),
      { numRuns: 60 },
    );
  });
});
