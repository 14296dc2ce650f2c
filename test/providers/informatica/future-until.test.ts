/**
 * A query whose `until` is still ahead ("today": since 00:00, until 23:59:59). The first listing pinned
 * `toDate` to that `until`, so its tail cursor opened the next window a minute before it: every event
 * created between the listing and then was never delivered, by a resumed cursor or by `watch`. The
 * window now ends at the time of its first request when `until` is later.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { memoryCheckpoint, watch } from '../../../src/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { informatica } from '../../../src/providers/informatica/index.js';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');
const MINUTE = 60_000;

function setup() {
  const time = { now: T0 };
  const clock = scaledClock(0.001, () => time.now);
  const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false, responseForms: 'list' });
  const query = { since: new Date(T0 - 60 * MINUTE).toISOString(), until: new Date(T0 + 60 * MINUTE).toISOString(), pageSize: 10 } as const;
  const list = () =>
    informatica({
      baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com',
      username: DEFAULT_INFORMATICA_USER.user,
      password: DEFAULT_INFORMATICA_USER.password,
      fetch: emulator.fetch,
      clock,
      rateLimit: false,
      retry: false,
    }).events.list(query);
  const add = (eventId: number): void => void emulator.store.events.add({ eventId, createTime: time.now }, time.now);
  return { time, clock, list, add };
}

describe('an Informatica listing whose until is still ahead', () => {
  it('resumed from its tail cursor, delivers the events created since, within the until', async () => {
    const { time, list, add } = setup();
    time.now = T0 - 10 * MINUTE;
    add(1001);
    time.now = T0;
    const delivered: string[] = [];
    let cursor: string | undefined;
    for await (const page of list().byPage()) {
      delivered.push(...page.items.map((event) => event.id));
      cursor = page.cursor;
    }
    time.now = T0 + 5 * MINUTE;
    add(1002);
    for await (const page of list().byPage({ cursor: cursor! })) {
      delivered.push(...page.items.map((event) => event.id));
      cursor = page.cursor;
    }
    // Once `until` has passed, the window ends there: an event after it is not the query's.
    time.now = T0 + 61 * MINUTE;
    add(1003);
    for await (const page of list().byPage({ cursor: cursor! })) delivered.push(...page.items.map((event) => event.id));
    expect(delivered).toEqual(['1001', '1002']);
  });

  it('watched, delivers each event once as it is created', async () => {
    const { time, clock, list, add } = setup();
    const delivered: string[] = [];
    let created = 0;
    for await (const page of watch(list(), { checkpoint: memoryCheckpoint(), interval: MINUTE, clock })) {
      delivered.push(...page.items.map((event) => event.id));
      if (page.hasMore) continue;
      if (created === 3) break;
      time.now += 5 * MINUTE;
      add(2001 + created++);
    }
    expect(delivered).toEqual(['2001', '2002', '2003']);
  });
});
