/**
 * A search that filters on more than the window (here `pubSubName`) with more than 1000 child events
 * created after its window's end, inside a parent that matches. The children match nothing on their
 * own, so no later window lists them: held back for one, as an unfiltered search holds back those a
 * cursor has no room for, they were lost. Delivered inside their parent, each comes once.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { isFiltered } from '../../../src/providers/informatica/query.js';
import { inProcessClient } from './connect.js';

describe('informatica search filtered on a name, with more than 1000 child events ahead of its window', () => {
  it('read page by page, delivers each child once, though no later window could list it', async () => {
    const now = Date.parse('2030-01-01T12:00:00.000Z');
    const clock = scaledClock(0.001, () => now);
    const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false, responseForms: 'list' });
    const add = (createTime: number, pubSubName: string, parent?: number) =>
      emulator.store.events.add({ createTime, pubSubName, parentEventId: parent }, now).eventId;
    const parent = add(now - 30_000, 'Pub_Orders');
    const ahead = Array.from({ length: 1200 }, (_, i) => add(now + 1 + i, 'Sub_Orders', parent));
    const listing = inProcessClient(emulator.fetch, clock).events.list({
      since: new Date(now - 3_600_000).toISOString(),
      pubSubName: 'Pub_Orders',
      pageSize: 500,
    });
    const delivered: string[] = [];
    for await (const page of listing.byPage()) delivered.push(...page.items.map((event) => event.id));
    expect(delivered.sort()).toEqual([parent, ...ahead].map(String).sort());
  });

  it('counts a name as a filter, and neither useExactMatch nor ALL', () => {
    expect(isFiltered({ pubSubName: 'Pub_Orders' })).toBe(true);
    expect(isFiltered({ applicationName: 'DI_App', topicName: '' })).toBe(true);
    expect(isFiltered({ eventType: 'SUBSCRIPTION' })).toBe(true);
    expect(isFiltered({ eventType: 'ALL', eventStatus: 'ALL', useExactMatch: true, pubSubName: '' })).toBe(false);
  });
});
