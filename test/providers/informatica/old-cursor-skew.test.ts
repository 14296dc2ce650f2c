/**
 * A cursor written within a listing before the window's newest `createTime` (`a`) was kept, resumed by
 * a client whose clock is ahead of the pod's. The old cursor's overlap counted back a minute from
 * `toDate`, read off the client's clock: 45 s ahead, the tail opened the next window 15 s before the
 * pod's time at the search, after an event created 30 s before it that the pod listed late, which was
 * never delivered (5 minutes ahead, the window opened 4 minutes after it).
 * It now counts back from the newest event delivered before the cursor that the resumed listing
 * re-reads, as a cursor of the current format counts back from the pod's own time.
 */
import { describe, expect, it } from 'vitest';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { clocks, withoutNewestTime } from '../../support/tail.js';
import { inProcessClient } from './connect.js';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');
async function scenario(skewMs: number, old: boolean) {
  const { time, vendor, client: clock } = clocks(T0);
  time.skew = skewMs;
  const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock: vendor, rateLimit: false, responseForms: 'list' });
  const client = inProcessClient(emulator.fetch, clock);
  const listing = () => client.events.list({ since: new Date(T0 - 3_600_000).toISOString(), pageSize: 10 });
  // One event a second for the 40 s before the search.
  for (let second = 40; second >= 1; second--) emulator.store.events.add({ createTime: T0 - second * 1000 }, T0);
  const delivered: string[] = [];
  const drain = async (cursor?: string): Promise<string> => {
    let last = cursor;
    for await (const page of listing().byPage(cursor === undefined ? {} : { cursor })) {
      delivered.push(...page.items.map((event) => event.id));
      last = page.cursor;
    }
    return last as string;
  };

  // Left after its first page, and resumed a second later from that page's cursor.
  let first: string | undefined;
  for await (const page of listing().byPage()) {
    delivered.push(...page.items.map((event) => event.id));
    first = page.cursor;
    break;
  }
  time.now = T0 + 1_000;
  const tail = await drain(old ? withoutNewestTime(first as string) : first);

  // Created 30 s before the search, listed by the pod 20 s after it.
  time.now = T0 + 20_000;
  emulator.store.events.add({ createTime: T0 - 30_000 }, time.now);
  time.now = T0 + 30_000;
  await drain(tail);
  return { delivered, visible: emulator.store.events.all().map((event) => String(event.eventId)) };
}

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

describe.each([
  ['45 s', 45_000],
  ['5 minutes', 300_000],
])('Informatica: a cursor within a listing, resumed with the client clock %s ahead of the pod', (_skew, skewMs) => {
  it.each([
    ['written before the newest time was kept', true],
    ['of the current format', false],
  ])('%s: its tail delivers an event listed late, once', async (_name, old) => {
    const { delivered, visible } = await scenario(skewMs, old);
    expect(visible).toHaveLength(41);
    expect(sorted(delivered)).toEqual(sorted(visible));
  });
});
