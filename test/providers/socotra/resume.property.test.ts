/**
 * Resuming from any page's cursor loses nothing and repeats nothing, over random streams: any number of
 * events, any page size, late events (older timestamps), events the stream delivers twice, and events
 * that complete while a reader is away (picked up by the tail cursor).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socotra, type SocotraClient } from '../../../src/providers/socotra/index.js';
import { socotraEmulator } from '../../../src/providers/socotra/emulator.js';
import { connect, fastClock, TENANT, TOKEN, type Connected } from './connect.js';
import { PROPERTY_TIMEOUT } from '../../support/property-timeout.js';

async function pagesOf(client: SocotraClient, pageSize: number, cursor?: string) {
  const pages: Array<{ ids: string[]; cursor: string }> = [];
  const options = cursor === undefined ? {} : { cursor };
  for await (const page of client.events.list({ pageSize }).byPage(options)) {
    pages.push({ ids: page.items.map((e) => e.id), cursor: page.cursor });
  }
  return pages;
}

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  events: fc.integer({ min: 0, max: 30 }),
  pageSize: fc.integer({ min: 2, max: 12 }),
  // Positions (from the end) of events the stream delivers once more, right after the original.
  redeliveries: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 }),
  later: fc.integer({ min: 0, max: 6 }),
});

describe('socotra events.list resume (property)', PROPERTY_TIMEOUT, () => {
  it('from every page cursor: nothing lost, nothing repeated; the tail yields exactly what completed later', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ seed, events, pageSize, redeliveries, later }) => {
        const emulator = socotraEmulator.create({ seed, events, clock: fastClock() });
        const store = emulator.store;
        for (const back of redeliveries) {
          const log = store.page(0, {}, 1000).events;
          const target = log[log.length - back];
          if (target !== undefined) store.redeliver(target.locator);
        }
        const expected = [...new Set(store.page(0, {}, 1000).events.map((e) => e.locator))];
        const client = socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: TENANT, token: TOKEN, fetch: emulator.fetch, retry: false, rateLimit: false });
        const pages = await pagesOf(client, pageSize);
        expect(pages.flatMap((p) => p.ids)).toEqual(expected);

        for (let k = 0; k < pages.length; k++) {
          const resumed = await pagesOf(client, pageSize, pages[k]!.cursor);
          const before = pages.slice(0, k + 1).flatMap((p) => p.ids);
          expect([...before, ...resumed.flatMap((p) => p.ids)]).toEqual(expected);
        }

        const added: string[] = [];
        for (let i = 0; i < later; i++) {
          // Every other one is a call that completed late: its timestamp is older than everything served.
          const timestamp = i % 2 === 0 ? '2001-01-01T00:00:00Z' : undefined;
          added.push(store.addEvent(timestamp === undefined ? {} : { timestamp }).locator);
        }
        const tail = await pagesOf(client, pageSize, pages.at(-1)!.cursor);
        expect(tail.flatMap((p) => p.ids)).toEqual(added);
      }),
      { numRuns: 40 },
    );
  });
});

describe('socotra resume through a real server', PROPERTY_TIMEOUT, () => {
  let open: Connected;
  beforeAll(async () => {
    open = await connect('server', { events: 37 });
  });
  afterAll(() => open.close());

  it('resumes from every page cursor over HTTP', async () => {
    const client = open.client();
    const pages = await pagesOf(client, 5);
    const all = pages.flatMap((p) => p.ids);
    expect(new Set(all).size).toBe(37);
    for (let k = 0; k < pages.length; k++) {
      const rest = (await pagesOf(client, 5, pages[k]!.cursor)).flatMap((p) => p.ids);
      expect([...pages.slice(0, k + 1).flatMap((p) => p.ids), ...rest]).toEqual(all);
    }
  });
});
