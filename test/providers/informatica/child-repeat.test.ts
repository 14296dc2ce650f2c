/**
 * A child delivered inside its parent is not delivered again when the parent leaves an `eventStatus`
 * filter and the search lists the child on its own, within the re-read before the next page's offset:
 * in one iteration, and resumed from the cursor of the parent's page (the child inside the window's
 * last minute, which the cursor's `k` covers).
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { inProcessClient } from './connect.js';

const NOW = Date.parse('2030-01-01T12:00:00.000Z');
const UNTIL = NOW - 1_000;
const WINDOW = { since: new Date(NOW - 3_600_000).toISOString(), until: new Date(UNTIL).toISOString() };

function world() {
  const clock = scaledClock(0.001, () => NOW);
  const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false, responseForms: 'list' });
  const events = emulator.store.events;
  const at = (s: number) => UNTIL - 50_000 + s * 1000; // all inside the window's last minute
  for (let i = 0; i < 12; i++) events.add({ eventId: 100 + i, createTime: at(i), eventStatus: 'Error' }, NOW);
  events.add({ eventId: 200, createTime: at(20), eventStatus: 'Error' }, NOW);
  events.add({ eventId: 201, parentEventId: 200, createTime: at(21), eventStatus: 'Error' }, NOW);
  events.add({ eventId: 202, parentEventId: 200, createTime: at(22), eventStatus: 'Error' }, NOW);
  events.add({ eventId: 300, createTime: at(30), eventStatus: 'Error' }, NOW);
  const listing = (children: 'flatten' | 'nested') =>
    inProcessClient(emulator.fetch, clock).events.list({ ...WINDOW, pageSize: 1, eventStatus: 'ERROR', children });
  return { events, listing };
}

const idsOf = (event: { id: string; data: { childEvents?: unknown[] } }): string[] => [
  event.id,
  ...((event.data.childEvents ?? []) as Array<typeof event>).flatMap(idsOf),
];
const duplicates = (ids: readonly string[]) => ids.filter((id, index) => ids.indexOf(id) !== index);
const EXPECTED = ['300', '200', '201', '202', ...Array.from({ length: 12 }, (_, i) => String(111 - i))];

describe('informatica: children of a parent that leaves the eventStatus filter', () => {
  it.each(['flatten', 'nested'] as const)('one listing delivers them once (%s)', async (children) => {
    const { events, listing } = world();
    const got: string[] = [];
    for await (const page of listing(children).byPage()) {
      const ids = page.items.flatMap(idsOf);
      got.push(...ids);
      if (ids.includes('200')) events.setStatus(200, 'Complete', NOW);
    }
    expect(duplicates(got)).toEqual([]);
    expect(got).toEqual(EXPECTED);
  });

  it.each(['flatten', 'nested'] as const)('a cursor resumed after the parent left delivers them once (%s)', async (children) => {
    const { events, listing } = world();
    const got: string[] = [];
    let cursor: string | undefined;
    for await (const page of listing(children).byPage()) {
      const ids = page.items.flatMap(idsOf);
      got.push(...ids);
      cursor = page.cursor;
      if (ids.includes('200')) break;
    }
    events.setStatus(200, 'Complete', NOW);
    for await (const page of listing(children).byPage({ cursor })) got.push(...page.items.flatMap(idsOf));
    expect(duplicates(got)).toEqual([]);
    expect(got).toEqual(EXPECTED);
  });
});
