import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { inProcessClient } from './connect.js';
import { PROPERTY_TIMEOUT } from '../../support/property-timeout.js';

/** Every listing here runs in process with both rate limits off: the property is about paging alone. */
function setup(seed: number, events: number) {
  const clock = scaledClock(0.001);
  const emulator = informaticaEmulator.create({ seed, events, clock, rateLimit: false });
  const client = inProcessClient(emulator.fetch, clock);
  return { emulator, client };
}

describe('informatica paging', PROPERTY_TIMEOUT, () => {
  it('resuming from any page cursor loses nothing and repeats nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom('flatten' as const, 'nested' as const),
        async (seed, count, pageSize, children) => {
          const { client } = setup(seed, count);
          const pages: Array<{ ids: string[]; cursor: string }> = [];
          for await (const page of client.events.list({ pageSize, children }).byPage()) {
            pages.push({ ids: page.items.map((event) => event.id), cursor: page.cursor });
          }
          const all = pages.flatMap((page) => page.ids);
          expect(new Set(all).size).toBe(all.length);
          for (let i = 0; i < pages.length - 1; i += 1) {
            const rest: string[] = [];
            for await (const event of client.events.list({ pageSize, children }).byPage({ cursor: pages[i]!.cursor })) {
              rest.push(...event.items.map((item) => item.id));
            }
            expect([...pages.slice(0, i + 1).flatMap((page) => page.ids), ...rest]).toEqual(all);
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('the tail cursor yields only what arrived since, including a late event in the overlap', async () => {
    const { emulator, client } = setup(3, 12);
    let tail = '';
    const first: string[] = [];
    for await (const page of client.events.list({ pageSize: 5, children: 'nested' }).byPage()) {
      first.push(...page.items.map((event) => event.id));
      tail = page.cursor;
    }
    expect(first).toHaveLength(12);
    const toDate = Date.parse(JSON.parse(emulator.requests[0]!.body).timeframe.toDate);
    // Delivered before: an event right at the end of the first window (inclusive bounds send it again).
    const boundary = emulator.store.events.add({ createTime: toDate }, Date.now());
    const again: string[] = [];
    for await (const page of client.events.list({ pageSize: 5, children: 'nested' }).byPage({ cursor: tail })) {
      again.push(...page.items.map((event) => event.id));
    }
    // It was not in the first listing (added after), so the tail delivers it; then a resume delivers nothing.
    expect(again).toEqual([String(boundary.eventId)]);
    const late = emulator.store.events.add({ createTime: toDate - 30_000 }, Date.now());
    const newer = emulator.store.events.add({ createTime: Date.now() }, Date.now());
    const pagesAfter = [];
    for await (const page of client.events.list({ pageSize: 5, children: 'nested' }).byPage({ cursor: tail })) pagesAfter.push(page);
    expect(pagesAfter.flatMap((page) => page.items.map((event) => event.id)).sort()).toEqual(
      [boundary.eventId, late.eventId, newer.eventId].map(String).sort(),
    );
    const lastTail = pagesAfter.at(-1)!.cursor;
    const nothing = await client.events.list({ pageSize: 5, children: 'nested' }).byPage({ cursor: lastTail })[Symbol.asyncIterator]().next();
    expect(nothing.value?.items).toEqual([]);
  });

  it('refuses a cursor of another query before any request', async () => {
    const { emulator, client } = setup(4, 5);
    const page = await client.events.list({ pageSize: 2 }).byPage()[Symbol.asyncIterator]().next();
    const before = emulator.requests.length;
    await expect(
      client.events.list({ pageSize: 2, eventStatus: 'ERROR' }).byPage({ cursor: page.value!.cursor })[Symbol.asyncIterator]().next(),
    ).rejects.toMatchObject({ name: 'CursorError' });
    await expect(client.events.list().byPage({ cursor: 'garbage' })[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      name: 'CursorError',
    });
    expect(emulator.requests.length).toBe(before);
  });
});
