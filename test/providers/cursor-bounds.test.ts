/**
 * The README's bounds on what a cursor remembers, held by its own figures rather than the source's
 * constants: each listing is driven through its emulator past the bound, and the cursor it hands out is
 * read back (`cursorJson`). Past the bound nothing is lost, and nothing comes again beyond what the
 * README allows.
 */
import { describe, expect, it } from 'vitest';
import { cursorJson } from '../../src/core/cursor.js';
import { idKey } from '../../src/core/dedupe.js';
import { DEFAULT_FUJITSU_TENANT, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { scaledClock } from '../../src/core/clock.js';
import { informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { clocks } from '../support/tail.js';
import { BASE, TOKEN as FUJITSU_TOKEN } from './fujitsu/helpers.js';
import { PCE } from './illumio/connect.js';
import { inProcessClient as informaticaClient } from './informatica/connect.js';
import { fastClock, HOST, TENANT, TOKEN } from './socotra/connect.js';

/** The state a cursor carries. */
const stateOf = (cursor: string): Record<string, unknown> => (JSON.parse(cursorJson(cursor)) as { s: Record<string, unknown> }).s;
const duplicates = (ids: readonly string[]) => ids.filter((id, index) => ids.indexOf(id) !== index);

interface Paged {
  byPage(options: { cursor?: string }): AsyncIterable<{ items: ReadonlyArray<{ id: string; message?: string | undefined }>; cursor: string }>;
}
/** The ids a listing delivers (or what `name` tells its events by) and its last cursor. */
async function drain(listing: Paged, cursor?: string, name = (event: { id: string; message?: string | undefined }) => event.id) {
  const ids: string[] = [];
  let last = cursor ?? '';
  for await (const page of listing.byPage(cursor === undefined ? {} : { cursor })) {
    ids.push(...page.items.map(name));
    last = page.cursor;
  }
  return { ids, cursor: last };
}

describe('socotra', () => {
  const setUp = (failedJobs = 0) => {
    const clock = fastClock();
    const emulator = socotraEmulator.create({ seed: 3, events: 0, failedJobs, clock });
    const client = socotra({ baseUrl: HOST, tenantLocator: TENANT, token: TOKEN, fetch: emulator.fetch, clock, retry: false, rateLimit: false });
    return { emulator, client };
  };

  it('an events cursor remembers the last 100 locators delivered, and no more', async () => {
    const { emulator, client } = setUp();
    const locators = Array.from({ length: 250 }, () => emulator.store.addEvent().locator);
    const { ids, cursor } = await drain(client.events.list({ pageSize: 60 }));
    expect(ids).toEqual(locators);
    expect(stateOf(cursor)['d']).toEqual(locators.slice(-100).map(idKey));
  });

  it('a failed jobs cursor remembers the last 20 jobs delivered; past them a job still failed may come again, none is skipped', async () => {
    const { emulator, client } = setUp(60);
    const jobs = emulator.store.failedJobs(() => true, 0, 100);
    const keyOf = (job: { triggerGroup: string; triggerName: string }) => idKey(JSON.stringify([job.triggerGroup, job.triggerName]));
    const pages: Array<{ names: string[]; cursor: string }> = [];
    for await (const page of client.schedules.failed.list({ pageSize: 25 }).byPage()) {
      pages.push({ names: page.items.map((job) => job.triggerName), cursor: page.cursor });
    }
    expect(pages.flatMap((page) => page.names)).toEqual(jobs.map((job) => job.triggerName));
    expect(stateOf(pages[0]!.cursor)['p']).toEqual(jobs.slice(5, 25).map(keyOf));
    // The 20 it remembers resumed, the 5 before them still failed: it finds none of the 20 and reads on
    // from the start.
    for (const job of jobs.slice(5, 25)) emulator.store.removeFailedJob(job.triggerName, job.triggerGroup);
    const resumed: string[] = [];
    for await (const page of client.schedules.failed.list({ pageSize: 25 }).byPage({ cursor: pages[0]!.cursor })) {
      resumed.push(...page.items.map((job) => job.triggerName));
    }
    const before = jobs.slice(0, 5).map((job) => job.triggerName);
    const rest = jobs.slice(25).map((job) => job.triggerName);
    expect(duplicates(resumed)).toEqual([]);
    expect(rest.filter((name) => !resumed.includes(name))).toEqual([]);
    expect(resumed.filter((name) => !rest.includes(name) && !before.includes(name))).toEqual([]);
  });
});

/**
 * 1200 events 40 ms apart, more than the 1000 ids a tail keeps of its minute, drained 50 s after the
 * first; then, 20 s on, a late event dated among the newest 1000 and a new one.
 */
async function pastTheTailBound(
  add: (at: number) => string,
  time: { now: number },
  T0: number,
  list: () => Paged,
  kept: (state: Record<string, unknown>) => ReadonlySet<string>,
  name?: (event: { id: string; message?: string | undefined }) => string,
) {
  const burst = Array.from({ length: 1200 }, (_, i) => add(T0 + i * 40));
  time.now = T0 + 50_000;
  const first = await drain(list(), undefined, name);
  expect([...first.ids].sort()).toEqual([...burst].sort());
  expect(kept(stateOf(first.cursor)).size).toBe(1000);
  time.now = T0 + 70_000;
  const late = add(T0 + 1100 * 40 + 20);
  const fresh = add(T0 + 69_000);
  const next = await drain(list(), first.cursor, name);
  expect([...next.ids].sort()).toEqual([late, fresh].sort());
  expect(kept(stateOf(next.cursor)).size).toBeLessThanOrEqual(1000);
}

/** The ids a boundary strategy's state keeps: its floor's, its overlap's and its instants'. */
const boundaryKeys = (state: Record<string, unknown>) =>
  new Set(['fi', 'k', 'ti', 'ni', 'mi'].flatMap((member) => (Array.isArray(state[member]) ? (state[member] as string[]) : [])));

describe('the tail overlap keeps at most 1000 ids', () => {
  it('fujitsu', async () => {
    const T0 = Date.parse('2030-01-01T12:00:00.000Z');
    const { time, vendor, client: clock } = clocks(T0);
    const emulator = fujitsuEmulator.create({ events: 0, clock: vendor });
    const client = fujitsu({ baseUrl: BASE, tenantId: DEFAULT_FUJITSU_TENANT, token: FUJITSU_TOKEN, fetch: emulator.fetch, clock, rateLimit: false });
    // FUJITSU's events have no id of their own: each is told by its message.
    let added = 0;
    const add = (at: number) => emulator.store.events.add(DEFAULT_FUJITSU_TENANT, { at, message: `event ${++added}` }).message;
    const list = () => client.events.list({ since: new Date(T0 - 3_600_000), pageSize: 100 });
    await pastTheTailBound(add, time, T0, list, boundaryKeys, (event) => event.message ?? '');
  });

  it('illumio', async () => {
    const T0 = Date.parse('2030-01-01T12:00:00.000Z');
    const { time, vendor, client: clock } = clocks(T0);
    const emulator = illumioEmulator.create({ seed: 1, events: 0, clock: vendor, rateLimit: false });
    const pce = illumio({ baseUrl: PCE, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch: emulator.fetch, clock, rateLimit: false });
    const add = (at: number) => emulator.store.record(1, at)[0]!.href;
    await pastTheTailBound(add, time, T0, () => pce.events.list({ pageSize: 100 }), boundaryKeys);
  });
});

describe('informatica', () => {
  /**
   * A window from an hour before `now` to a second after it, on a clock that reads `now` until
   * `passUntil()` moves it past the window's end.
   */
  function setUp() {
    const now = Date.now();
    const time = { now };
    const clock = scaledClock(0.001, () => time.now);
    const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
    const client = informaticaClient(emulator.fetch, clock);
    const window = { since: new Date(now - 3_600_000).toISOString(), until: new Date(now + 1000).toISOString() };
    const list = (pageSize: number) => client.events.list({ ...window, pageSize });
    const add = (createTime: number, parent?: string) =>
      String(emulator.store.events.add({ createTime, parentEventId: parent === undefined ? undefined : Number(parent) }, now).eventId);
    return { now, list, add, passUntil: () => void (time.now = now + 2000) };
  }

  it("a page's cursor carries the last 20 ids of its page; resumed after 10 events appeared ahead of it, it repeats and loses none", async () => {
    const { now, list, add } = setUp();
    // Newest first: the first page holds the 50 newest.
    const stored = Array.from({ length: 120 }, (_, i) => add(now - 30_000 - i * 10));
    const [first] = await toPages(list(50));
    expect(first!.ids).toEqual(stored.slice(0, 50));
    expect(stateOf(first!.cursor)['p']).toEqual(stored.slice(30, 50).map(idKey));
    // Late events, older than the page (so ahead of its read position), push the rows back by 10.
    const late = Array.from({ length: 10 }, (_, i) => add(now - 30_000 - 55 * 10 - i));
    const resumed = (await drain(list(50), first!.cursor)).ids;
    expect(duplicates(resumed)).toEqual([]);
    expect([...resumed].sort()).toEqual([...stored.slice(50), ...late].sort());
  });

  it('a tail keeps at most 1000 ids of its minute, and delivers a late event among them and a new one once', async () => {
    const { now, list, add, passUntil } = setUp();
    const burst = Array.from({ length: 1200 }, (_, i) => add(now - 50_000 + i * 40));
    const first = await drain(list(500));
    expect([...first.ids].sort()).toEqual([...burst].sort());
    expect((stateOf(first.cursor)['d'] as string[]).length).toBe(1000);
    const late = add(now - 50_000 + 1100 * 40 + 20);
    const fresh = add(now + 500);
    passUntil();
    const next = await drain(list(500), first.cursor);
    expect([...next.ids].sort()).toEqual([late, fresh].sort());
  });

  it('a tail keeps up to 1000 children pending ahead of its window, and delivers each of the others once, later', async () => {
    const { now, list, add, passUntil } = setUp();
    const parent = add(now - 30_000);
    const children = Array.from({ length: 1200 }, (_, i) => add(now + 1 + (i % 900), parent));
    const first = await drain(list(2000));
    expect((stateOf(first.cursor)['e'] as unknown[]).length).toBe(1000);
    passUntil();
    const later = await drain(list(2000), first.cursor);
    const delivered = [...first.ids, ...later.ids];
    expect(duplicates(delivered)).toEqual([]);
    expect([...delivered].sort()).toEqual([parent, ...children].sort());
    // The cursor forgets those its windows now start after: no window lists them again.
    const tail = stateOf(later.cursor);
    const pending = tail['e'] as Array<[string, string]>;
    expect(pending.length).toBeLessThan(1000);
    expect(pending.filter(([, created]) => created < (tail['f'] as string))).toEqual([]);
  });
});

async function toPages(listing: Paged) {
  const pages: Array<{ ids: string[]; cursor: string }> = [];
  for await (const page of listing.byPage({})) pages.push({ ids: page.items.map((event) => event.id), cursor: page.cursor });
  return pages;
}
