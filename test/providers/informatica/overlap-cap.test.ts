/**
 * The tail cursor remembers a bounded number of the ids it delivered in the overlap minute. With more
 * events than that in the minute, the next window must start where the remembered ids begin: nothing
 * delivered twice, and late events among the remembered ones still found.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import type { InformaticaTributaryEvent } from '../../../src/providers/informatica/index.js';
import { inProcessClient } from './connect.js';

/** An event's id and, in `nested` mode, those of the children it carries. */
const idsOf = (event: InformaticaTributaryEvent): string[] => [event.id, ...(event.data.childEvents ?? []).flatMap(idsOf)];

/**
 * A window from an hour before `now` to a second after it. The clock reads `now` until a test moves it
 * past the window's end (`passUntil()`): a window never ends after the time of its first request, so
 * an event stamped after that is found by a later request, once its time has come.
 */
function setup() {
  const now = Date.now();
  const time = { now };
  const clock = scaledClock(0.001, () => time.now);
  const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
  const client = inProcessClient(emulator.fetch, clock);
  const window = { since: new Date(now - 3_600_000).toISOString(), until: new Date(now + 1000).toISOString() };
  const passUntil = (): void => void (time.now = now + 2000);
  const drain = async (pageSize: number, cursor?: string) => {
    const ids: string[] = [];
    let tail = '';
    for await (const page of client.events.list({ ...window, pageSize }).byPage(cursor === undefined ? {} : { cursor })) {
      ids.push(...page.items.map((event) => event.id));
      tail = page.cursor;
    }
    return { ids, tail };
  };
  const add = (createTime: number, parent?: string) =>
    String(emulator.store.events.add({ createTime, parentEventId: parent === undefined ? undefined : Number(parent) }, now).eventId);
  return { now, drain, add, passUntil, requests: () => emulator.requests.length };
}

describe('informatica tail with more than 1000 events in the overlap', () => {
  it.each([
    ['each at its own millisecond', (i: number) => i],
    ['all at one millisecond', () => 0],
    ['the oldest remembered one sharing its millisecond with forgotten ones', (i: number) => (i < 600 ? 0 : i)],
  ])('%s: delivers nothing again, and what arrives later once', async (_name, offset) => {
    const { now, drain, add, passUntil } = setup();
    const stored = Array.from({ length: 1200 }, (_, i) => add(now - 30_000 + offset(i)));
    for (const pageSize of [2000, 500]) {
      const first = await drain(pageSize);
      expect([...first.ids].sort()).toEqual([...stored].sort());
      expect((await drain(pageSize, first.tail)).ids).toEqual([]);
    }
    const { tail } = await drain(2000);
    const newer = add(now + 500);
    passUntil();
    expect((await drain(2000, tail)).ids).toEqual([newer]);
  });

  it('resumes without a request when the cut passes the end of a fixed window', async () => {
    const { now, drain, add, passUntil, requests } = setup();
    for (let i = 0; i < 1200; i++) add(now + 1000);
    passUntil();
    const { tail } = await drain(2000);
    const before = requests();
    expect((await drain(2000, tail)).ids).toEqual([]);
    expect(requests()).toBe(before);
  });

  it('still finds a late event among the newest it remembers', async () => {
    const { now, drain, add } = setup();
    for (let i = 0; i < 1200; i++) add(now - 30_000 + i);
    const { tail } = await drain(2000);
    const late = add(now - 30_000 + 1100);
    expect((await drain(2000, tail)).ids).toEqual([late]);
  });
});

describe('informatica tail with more than 1000 child events delivered ahead of the window', () => {
  // The search returns them inside their parent before the window reaches their `createTime`; the
  // cursor remembers 1000 of them until it does and holds the others back until then, within the
  // bounds its own check accepts.
  it('resumes its cursor and delivers each of them once, before or once the window reaches them', async () => {
    const { now, drain, add, passUntil } = setup();
    const parent = add(now - 30_000);
    const children = Array.from({ length: 1200 }, (_, i) => add(now + 1 + (i % 900), parent));
    const first = await drain(2000);
    expect(first.ids).toHaveLength(1001);
    const second = await drain(2000, first.tail);
    expect(second.ids).toEqual([]);
    passUntil();
    const third = await drain(2000, second.tail);
    expect(third.ids).toHaveLength(200);
    expect([...first.ids, ...third.ids].sort()).toEqual([parent, ...children].sort());
    expect((await drain(2000, third.tail)).ids).toEqual([]);
  });
});

describe('informatica tail with more than 1000 child events ahead of the window when their parent leaves the windows', () => {
  // The client's clock is behind the pod's: the children, created after every window's `toDate` so
  // far, come inside their parent. A newer event moves the windows past the parent before one reaches
  // the children, and only their own `createTime` lists them again. The cursor remembered 1000 of
  // them; the other 200 were kept for one listing, forgotten once the parent left, and came again.
  // With a filter the children do not match (a `SUBSCRIPTION` child of a `PUBLICATION` search), no
  // window lists them on their own: held back, 200 of them were never delivered.
  it.each([
    ['flatten', {}],
    ['nested', {}],
    ['flatten', { eventType: 'PUBLICATION' }],
    ['nested', { eventType: 'PUBLICATION' }],
  ] as const)('%s %o: delivers each of them once, none lost', async (children, filter) => {
    const now = Date.now();
    const time = { now };
    const clock = scaledClock(0.001, () => time.now);
    const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
    const client = inProcessClient(emulator.fetch, clock);
    const add = (createTime: number, parent?: number) => emulator.store.events.add({ createTime, parentEventId: parent }, now).eventId;
    let cursor: string | undefined;
    const delivered: string[] = [];
    const poll = async (at: number) => {
      time.now = now + at;
      const listing = client.events.list({ since: new Date(now - 3_600_000).toISOString(), pageSize: 500, children, ...filter });
      for await (const page of listing.byPage(cursor === undefined ? {} : { cursor })) {
        delivered.push(...page.items.flatMap(idsOf));
        cursor = page.cursor;
      }
    };
    const parent = add(now - 30_000);
    const ahead = Array.from({ length: 1200 }, (_, i) => String(add(now + 150_000 + i, parent)));
    await poll(0);
    const newer = add(now + 90_000);
    await poll(100_000);
    await poll(110_000);
    await poll(200_000);
    await poll(260_000);
    const seen = new Set<string>();
    const repeated = delivered.filter((id) => seen.size === seen.add(id).size);
    expect(repeated).toEqual([]);
    expect([String(parent), String(newer), ...ahead].filter((id) => !seen.has(id))).toEqual([]);
  });
});

describe('informatica listing with a fixed `until` and more than 1000 child events created after it', () => {
  // The search returns them inside their parent, which the window holds. No window reaches past
  // `until`, so one held back until a window reached its `createTime` was never delivered (200 of 1200).
  it.each(['flatten', 'nested'] as const)('%s: delivers each of them once, none held back for ever', async (children) => {
    const now = Date.now();
    const time = { now: now + 5000 };
    const clock = scaledClock(0.001, () => time.now);
    const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
    const client = inProcessClient(emulator.fetch, clock);
    const add = (createTime: number, parent?: number) => emulator.store.events.add({ createTime, parentEventId: parent }, now).eventId;
    const parent = add(now - 30_000);
    const after = Array.from({ length: 1200 }, (_, i) => String(add(now + 1500 + i, parent)));
    const window = { since: new Date(now - 3_600_000).toISOString(), until: new Date(now + 1000).toISOString() };
    let cursor: string | undefined;
    const delivered: string[] = [];
    for (let poll = 0; poll < 3; poll++) {
      time.now += 60_000;
      for await (const page of client.events.list({ ...window, pageSize: 500, children }).byPage(cursor === undefined ? {} : { cursor })) {
        delivered.push(...page.items.flatMap(idsOf));
        cursor = page.cursor;
      }
    }
    const seen = new Set<string>();
    const repeated = delivered.filter((id) => seen.size === seen.add(id).size);
    expect(repeated).toEqual([]);
    expect([String(parent), ...after].filter((id) => !seen.has(id))).toEqual([]);
  });
});

describe('informatica tail over small pages', () => {
  // Each event of the minute the previous listing delivered comes again, and is dropped: with one event
  // a page, 40 such pages in a row are the overlap, not a listing that spins.
  it('reads through more remembered events than the empty-page guard allows by default', async () => {
    const { now, drain, add, passUntil } = setup();
    const stored = Array.from({ length: 40 }, (_, i) => add(now - 30_000 + i));
    const first = await drain(1);
    expect([...first.ids].sort()).toEqual([...stored].sort());
    const newer = add(now + 500);
    passUntil();
    expect((await drain(1, first.tail)).ids).toEqual([newer]);
  });
});
