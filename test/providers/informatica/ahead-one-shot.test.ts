/**
 * A listing iterated without a cursor (`for await` over its events, `toArray`) with more than 1000
 * child events created after its window's end: the client's clock is behind the pod's, and the search
 * returns them inside their parent. A cursor remembers 1000 of them and holds the others back for the
 * window that reaches their `createTime`, which only a resumed cursor lists; a listing that hands out
 * no cursor has no such window, and held back 200 of 1200 for good (in `nested` mode left out of
 * their parent's `data.childEvents`).
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import type { InformaticaChildrenMode, InformaticaTributaryEvent } from '../../../src/providers/informatica/index.js';
import { inProcessClient } from './connect.js';

/** An event's id and, in `nested` mode, those of the descendants it carries. */
const idsOf = (event: InformaticaTributaryEvent): string[] => [event.id, ...(event.data.childEvents ?? []).flatMap(idsOf)];

/** A parent in the window and 1200 children, some with a child of their own, created after its end (`now`). */
function world(children: InformaticaChildrenMode) {
  const now = Date.parse('2030-01-01T12:00:00.000Z');
  const clock = scaledClock(0.001, () => now);
  const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false, responseForms: 'list' });
  const add = (createTime: number, parent?: number) => emulator.store.events.add({ createTime, parentEventId: parent }, now).eventId;
  const parent = add(now - 30_000);
  const ahead = Array.from({ length: 1200 }, (_, i) => add(now + 1 + i, parent));
  const grandchildren = ahead.filter((_, i) => i % 100 === 99).map((child, i) => add(now + 2000 + i, child));
  const listing = inProcessClient(emulator.fetch, clock).events.list({ since: new Date(now - 3_600_000).toISOString(), pageSize: 500, children });
  return { listing, parent: String(parent), expected: [parent, ...ahead, ...grandchildren].map(String).sort() };
}

describe('informatica listing without a cursor and more than 1000 child events ahead of its window', () => {
  it.each(['flatten', 'nested'] as const)('%s: iterated to its end, delivers each of them once', async (children) => {
    const { listing, expected } = world(children);
    const delivered: string[] = [];
    for await (const event of listing) delivered.push(...idsOf(event));
    expect(delivered).toHaveLength(expected.length);
    expect([...delivered].sort()).toEqual(expected);
  });

  it('nested: toArray gives the parent with every child inside it', async () => {
    const { listing, parent, expected } = world('nested');
    const events = await listing.toArray();
    expect(events.map((event) => event.id)).toEqual([parent]);
    expect(events[0]?.data.childEvents).toHaveLength(1200);
    expect(events.flatMap(idsOf).sort()).toEqual(expected);
  });
});
