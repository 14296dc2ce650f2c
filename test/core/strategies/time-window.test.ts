import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeWindowStrategy, type TimeWindowPage, type TimeWindowRequest } from '../../../src/core/paginate/time-window.js';
import { isConfigurationError, isResponseValidationError } from '../../../src/core/errors.js';
import { checkDrainAndResume, drainResuming, flaky, idsOf, list, pagesOf, type Item } from './harness.js';
import { cursorJson } from '../../../src/core/cursor.js';

interface PceEvent extends Item {
  timestamp: string;
}

const BASE = Date.UTC(2026, 10, 23, 10, 0, 0);

/** Groups of events sharing one millisecond; ids are hrefs, as Illumio's. */
function makeEvents(groups: Array<{ gap: number; size: number }>, startMs = BASE, prefix = 'e'): PceEvent[] {
  const events: PceEvent[] = [];
  let ms = startMs;
  groups.forEach(({ gap, size }, g) => {
    ms += gap;
    for (let i = 0; i < size; i++) {
      events.push({ id: `/orgs/1/events/${prefix}-${String(g).padStart(4, '0')}-${i}`, timestamp: new Date(ms).toISOString() });
    }
  });
  return events;
}

/**
 * Illumio-like: newest first, inclusive `timestamp[gte]`/`[lte]`, `max_results` silently capped at
 * `cap`, `X-Total-Count` of every match.
 */
function fakePce(events: PceEvent[], cap: number) {
  const requests: TimeWindowRequest[] = [];
  const fetchPage = async (request: TimeWindowRequest): Promise<TimeWindowPage<PceEvent>> => {
    requests.push(request);
    const matches = events
      .filter((e) => (request.from === undefined || e.timestamp >= request.from) && (request.to === undefined || e.timestamp <= request.to))
      .sort((a, b) => (a.timestamp === b.timestamp ? (a.id < b.id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1));
    return { items: matches.slice(0, Math.min(request.limit, cap)), total: matches.length };
  };
  return { fetchPage, requests };
}

const newestFirst = (events: PceEvent[]) =>
  [...events].sort((a, b) => (a.timestamp === b.timestamp ? (a.id < b.id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1)).map((e) => e.id);

/** Page size, the vendor's cap (at or above it) and instants shared by fewer events than the cap. */
const scenario = fc.integer({ min: 1, max: 50 }).chain((pageSize) =>
  fc.integer({ min: Math.max(2, pageSize), max: 60 }).chain((cap) =>
    fc.record({
      pageSize: fc.constant(pageSize),
      cap: fc.constant(cap),
      groups: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 1, max: Math.min(cap - 1, 15) }) }), { maxLength: 60, size: 'max' }),
    }),
  ),
);

const strategy = (fetchPage: (r: TimeWindowRequest) => Promise<TimeWindowPage<PceEvent>>, maxPageSize: number, window: { from?: string; to?: string } = {}) =>
  timeWindowStrategy<PceEvent>({ window, fetchPage, time: (e) => e.timestamp, id: (e) => e.id, maxPageSize });

describe('timeWindowStrategy', () => {
  it('drains every event once, newest first, and resumes from every page cursor, with totals above the cap (property)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ pageSize, cap, groups }) => {
        const events = makeEvents(groups);
        const vendor = fakePce(events, cap);
        await checkDrainAndResume(list(strategy(vendor.fetchPage, cap), pageSize), newestFirst(events));
      }),
      { numRuns: 50 },
    );
  });

  it('with transient failures, resuming from the last cursor yields everything once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ pageSize, cap, groups }) => {
        const events = makeEvents(groups);
        const vendor = fakePce(events, cap);
        const fetchPage = flaky(vendor.fetchPage, () => Math.random() < 0.3);
        const { ids } = await drainResuming(list(strategy(fetchPage, cap), pageSize));
        expect(ids).toEqual(newestFirst(events));
      }),
      { numRuns: 80 },
    );
  });

  it('the tail cursor yields exactly the events that arrived later, also at the newest instant (property)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 20 }), async ({ pageSize, cap, groups }, sameInstant, later) => {
        const events = makeEvents(groups);
        const vendor = fakePce(events, cap);
        const listing = list(strategy(vendor.fetchPage, cap), pageSize);
        const tail = (await pagesOf(listing)).at(-1)!.cursor;
        const newest = events.at(-1);
        const atNewest = newest === undefined ? 0 : events.filter((e) => e.timestamp === newest.timestamp).length;
        const extra = newest === undefined ? [] : Array.from({ length: Math.min(sameInstant, cap - 1 - atNewest) }, (_, i) => ({ id: `/orgs/1/events/s${i}`, timestamp: newest.timestamp }));
        const added = [...extra, ...makeEvents(Array.from({ length: later }, () => ({ gap: 1, size: 1 })), newest === undefined ? BASE : Date.parse(newest.timestamp), 'n')];
        events.push(...added);
        expect(idsOf(await pagesOf(listing, tail))).toEqual(newestFirst(added));
      }),
      { numRuns: 80 },
    );
  });

  it('a total above the silent cap moves the upper bound down to the oldest instant seen', async () => {
    const events = makeEvents(Array.from({ length: 25 }, () => ({ gap: 1, size: 1 })));
    const vendor = fakePce(events, 10);
    const pages = await pagesOf(list(strategy(vendor.fetchPage, 10), 100));
    expect(idsOf(pages)).toEqual(newestFirst(events));
    expect(vendor.requests.map((r) => r.to)).toEqual([undefined, events[15]!.timestamp, events[6]!.timestamp]);
  });

  it('a page of one instant already delivered is asked again at the cap, and more events at one instant than the cap fail', async () => {
    const events = makeEvents([{ gap: 1, size: 3 }, { gap: 1, size: 8 }]);
    const ok = fakePce(events, 10);
    expect(idsOf(await pagesOf(list(strategy(ok.fetchPage, 10), 4)))).toEqual(newestFirst(events));
    expect(ok.requests.some((r) => r.limit === 10)).toBe(true);

    const crowded = fakePce(makeEvents([{ gap: 1, size: 3 }, { gap: 1, size: 12 }]), 10);
    const error = await pagesOf(list(strategy(crowded.fetchPage, 10), 4)).catch((e: unknown) => e);
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/more than 10 \(the vendor's cap\) share that instant/);
  });

  it('events at one instant served in another order at every request: each once, the ids at the bound kept across pages', async () => {
    const events = makeEvents([{ gap: 1, size: 7 }, { gap: 1, size: 1 }]);
    const vendor = fakePce(events, 20);
    let requests = 0;
    // Ties at the upper bound come in one order, then the reverse: a page may leave out ids delivered at it.
    const fetchPage = async (request: TimeWindowRequest): Promise<TimeWindowPage<PceEvent>> => {
      const page = await vendor.fetchPage({ ...request, limit: 20 });
      const items = requests++ % 2 === 0 ? page.items : [...page.items].sort((a, b) => (a.timestamp === b.timestamp ? (a.id < b.id ? -1 : 1) : 0));
      return { items: items.slice(0, request.limit), total: page.total };
    };
    const ids = idsOf(await pagesOf(list(strategy(fetchPage, 20), 3)));
    expect([...ids].sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('an empty page the total says is not the end fails, down to a total of one; a total of none ends the listing', async () => {
    const counted = async (): Promise<TimeWindowPage<PceEvent>> => ({ items: [], total: 1 });
    const error = await pagesOf(list(strategy(counted, 10), 5)).catch((e: unknown) => e);
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/counted 1 events up to the window end but sent none/);
    const none = async (): Promise<TimeWindowPage<PceEvent>> => ({ items: [], total: 0 });
    expect(await pagesOf(list(strategy(none, 10), 5))).toMatchObject([{ items: [], hasMore: false }]);
  });

  it('asks no more than maxPageSize however large the page size, and ends at the first page below the window from a vendor that sends one', async () => {
    const events = makeEvents(Array.from({ length: 10 }, () => ({ gap: 1, size: 1 })));
    const vendor = fakePce(events, 100);
    const fetchPage = (request: TimeWindowRequest) => vendor.fetchPage({ ...request, from: undefined });
    const from = events[5]!.timestamp;
    const pages = await pagesOf(list(strategy(fetchPage, 3, { from }), 20));
    expect(idsOf(pages)).toEqual(newestFirst(events.slice(5)));
    // The third page reaches below the window: nothing older is asked for.
    expect(vendor.requests.map((r) => r.limit)).toEqual([3, 3, 3]);
  });

  it('within a window of a fixed end, each later request ends at the oldest instant of the page before', async () => {
    const events = makeEvents(Array.from({ length: 10 }, () => ({ gap: 1, size: 1 })));
    const vendor = fakePce(events, 3);
    const to = events[8]!.timestamp;
    const pages = await pagesOf(list(strategy(vendor.fetchPage, 3, { to }), 3));
    expect(idsOf(pages)).toEqual(newestFirst(events.slice(0, 9)));
    // Inclusive: each page reads the instant the one before ended at again, and drops its ids.
    expect(vendor.requests.map((r) => r.to)).toEqual([to, events[6]!.timestamp, events[4]!.timestamp, events[2]!.timestamp]);
  });

  it.each([0, 2.5])('refuses a maxPageSize of %s, which no request could be sent with', (maxPageSize) => {
    const error = (() => { try { strategy(fakePce([], 10).fetchPage, maxPageSize); } catch (e) { return e; } })();
    expect(isConfigurationError(error) && error.option).toBe('maxPageSize');
  });

  it('sends the normalized window and refuses an unreadable one', async () => {
    const vendor = fakePce([], 10);
    await pagesOf(list(strategy(vendor.fetchPage, 10, { from: '2026-11-01', to: '2026-11-02T01:00:00+01:00' }), 5));
    expect(vendor.requests).toEqual([{ from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z', limit: 5 }]);
    const error = (() => { try { strategy(vendor.fetchPage, 10, { from: 'yesterday' }); } catch (e) { return e; } })();
    expect(isConfigurationError(error) && error.option).toBe('window.from');
  });
});

/** A cursor with its state rewritten, as another version of the SDK could have issued it. */
function withState(cursor: string, edit: (state: Record<string, unknown>) => Record<string, unknown>): string {
  const envelope = JSON.parse(cursorJson(cursor)) as { s: Record<string, unknown> };
  return Buffer.from(JSON.stringify({ ...envelope, s: edit(envelope.s) })).toString('base64url');
}

/** The state a tail cursor held before the tail overlapped: the newest instant and its ids. */
const tailBeforeOverlap = ({ t, ti, n, ni }: Record<string, unknown>) => ({ f: n, fi: ni, t, ti, n, ni });
/** A mid-listing state of then: the new fields left out. */
const pageBeforeOverlap = ({ f, fi, t, ti, n, ni }: Record<string, unknown>) => ({ f, fi, t, ti, n, ni });

const MINUTE = 60_000;
const at = (ms: number, id: string): PceEvent => ({ id: `/orgs/1/events/${id}`, timestamp: new Date(ms).toISOString() });

describe('timeWindowStrategy tail overlap', () => {
  /** Groups closer or further apart than the minute, and late events that avoid their instants. */
  const overlapScenario = fc.record({
    pageSize: fc.integer({ min: 1, max: 30 }),
    cap: fc.integer({ min: 30, max: 60 }),
    groups: fc.array(fc.record({ gap: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4_000 })), size: fc.integer({ min: 1, max: 10 }) }), { minLength: 1, maxLength: 60 }),
    late: fc.uniqueArray(fc.integer({ min: 0, max: 2 * MINUTE }), { maxLength: 4 }),
    later: fc.integer({ min: 0, max: 5 }),
  });

  it('the tail reaches back a minute before the newest instant: late events within it come once, older ones are not found, every page resumes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(overlapScenario, async ({ pageSize, cap, groups, late, later }) => {
        const events = makeEvents(groups);
        const vendor = fakePce(events, cap);
        const listing = list(strategy(vendor.fetchPage, cap), pageSize);
        const tail = (await pagesOf(listing)).at(-1)!.cursor;
        const newest = Date.parse(events.at(-1)!.timestamp);
        const taken = new Set(events.map((e) => e.timestamp));
        const lateEvents = late.map((ago, i) => at(newest - ago, `late-${i}`)).filter((e) => !taken.has(e.timestamp));
        const added = [...lateEvents, ...makeEvents(Array.from({ length: later }, () => ({ gap: 1, size: 1 })), newest, 'n')];
        events.push(...added);
        // Within the overlap: at most a minute before the newest instant delivered, inclusive.
        const found = added.filter((e) => Date.parse(e.timestamp) >= newest - MINUTE);
        const resumed = await pagesOf(listing, tail);
        expect(idsOf(resumed)).toEqual(newestFirst(found));
        // Every page of the tail's listing resumes with the rest of it.
        for (const [i, page] of resumed.entries()) expect(idsOf(await pagesOf(listing, page.cursor))).toEqual(idsOf(resumed.slice(i + 1)));
        expect(idsOf(await pagesOf(listing, resumed.at(-1)!.cursor))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('a late event and a new one come once, whatever the page size; pages that only re-read the minute are not empty pages', async () => {
    // 200 events in the last minute, re-read 2 at a time: far more pages than `maxEmptyPages`.
    const events = makeEvents(Array.from({ length: 200 }, () => ({ gap: 250, size: 1 })));
    const vendor = fakePce(events, 10);
    const listing = list(strategy(vendor.fetchPage, 10), 2);
    const first = await pagesOf(listing);
    const newest = Date.parse(events.at(-1)!.timestamp);
    const late = at(newest - 30_000 + 1, 'late');
    const fresh = at(newest + 5_000, 'new');
    const stale = at(newest - MINUTE - 1, 'stale');
    events.push(late, fresh, stale);
    const resumed = await pagesOf(listing, first.at(-1)!.cursor);
    expect(idsOf(resumed)).toEqual([fresh.id, late.id]);
    expect(idsOf(await pagesOf(listing, resumed.at(-1)!.cursor))).toEqual([]);
  });

  it.each([
    ['the floor', [{ gap: 0, size: 2 }, { gap: MINUTE, size: 2 }], 3, 3],
    ['the newest instant', [{ gap: 0, size: 2 }, { gap: MINUTE, size: 3 }], 3, 10],
  ])('a tail with nothing new is one empty last page, also where a page that re-reads the minute ends at %s', async (_name, groups, pageSize, cap) => {
    const events = makeEvents(groups);
    const vendor = fakePce(events, cap);
    const listing = list(strategy(vendor.fetchPage, cap), pageSize);
    const tail = (await pagesOf(listing)).at(-1)!.cursor;
    const resumed = await pagesOf(listing, tail);
    expect(resumed.map((page) => [page.items.length, page.hasMore])).toEqual([[0, false]]);
  });

  it('a listing of one page settles too: two minutes after it, the tail starts at its newest instant', async () => {
    const events = makeEvents([{ gap: 0, size: 2 }, { gap: 5, size: 1 }]);
    const vendor = fakePce(events, 10);
    let clock = 0;
    const settling = timeWindowStrategy<PceEvent>({ window: {}, fetchPage: vendor.fetchPage, time: (e) => e.timestamp, id: (e) => e.id, maxPageSize: 10, now: () => clock });
    const listing = list(settling, 10);
    let cursor = (await pagesOf(listing)).at(-1)!.cursor;
    for (clock of [60_000, 130_000, 160_000]) {
      const pages = await pagesOf(listing, cursor);
      expect(idsOf(pages)).toEqual([]);
      cursor = pages.at(-1)!.cursor;
    }
    const newest = events.at(-1)!.timestamp;
    // The minute before the newest instant until the reading two minutes after, then that instant alone.
    expect(vendor.requests.map((r) => r.from)).toEqual([undefined, new Date(Date.parse(newest) - MINUTE).toISOString(), new Date(Date.parse(newest) - MINUTE).toISOString(), newest]);
  });

  it('never reaches back before the query window', async () => {
    const events = makeEvents([{ gap: 0, size: 1 }, { gap: 10_000, size: 1 }]);
    const vendor = fakePce(events, 10);
    const from = new Date(BASE + 5_000).toISOString();
    const listing = list(strategy(vendor.fetchPage, 10, { from }), 5);
    const first = await pagesOf(listing);
    expect(idsOf(first)).toEqual([events[1]!.id]);
    const tail = first.at(-1)!.cursor;
    events.push(at(BASE + 4_000, 'before-window'), at(BASE + 6_000, 'late'));
    expect(idsOf(await pagesOf(listing, tail))).toEqual(['/orgs/1/events/late']);
    expect(vendor.requests.at(-1)?.from).toBe(from);
  });

  it('remembers at most 1000 ids: past them, the tail starts a millisecond after the newest it could not keep', async () => {
    // 1500 events a millisecond apart: the newest 1000 are remembered, the 1001st newest is the cut.
    const events = makeEvents(Array.from({ length: 1_500 }, () => ({ gap: 1, size: 1 })));
    const vendor = fakePce(events, 10_000);
    const listing = list(strategy(vendor.fetchPage, 10_000), 400);
    const tail = (await pagesOf(listing)).at(-1)!.cursor;
    const oldestKept = Date.parse(events.at(-1_000)!.timestamp);
    const kept = at(oldestKept, 'late-kept');
    const cut = at(oldestKept - 1, 'late-cut');
    events.push(kept, cut);
    expect(idsOf(await pagesOf(listing, tail))).toEqual([kept.id]);
    expect(vendor.requests.at(-1)?.from).toBe(new Date(oldestKept).toISOString());
  });

  it('a tail cursor issued before the tail overlapped still resumes, as it did: from its newest instant', async () => {
    const events = makeEvents(Array.from({ length: 30 }, () => ({ gap: 1_000, size: 2 })));
    const vendor = fakePce(events, 10);
    const listing = list(strategy(vendor.fetchPage, 10), 4);
    const old = withState((await pagesOf(listing)).at(-1)!.cursor, tailBeforeOverlap);
    const newest = Date.parse(events.at(-1)!.timestamp);
    const late = at(newest - 10_000 + 1, 'late');
    const fresh = at(newest + 1_000, 'new');
    events.push(late, fresh);
    const resumed = await pagesOf(listing, old);
    expect(idsOf(resumed)).toEqual([fresh.id]);
    // Its own tail overlaps: a late event within the minute before `fresh` comes, once.
    const late2 = at(newest + 500, 'late-2');
    events.push(late2);
    expect(idsOf(await pagesOf(listing, resumed.at(-1)!.cursor))).toEqual([late2.id]);
  });

  it('a mid-listing cursor issued before the tail overlapped finishes the listing and ends in a tail at the newest instant, as it did', async () => {
    const events = makeEvents(Array.from({ length: 30 }, () => ({ gap: 1_000, size: 2 })));
    const vendor = fakePce(events, 10);
    const listing = list(strategy(vendor.fetchPage, 10), 4);
    const pages = await pagesOf(listing);
    const resumed = await pagesOf(listing, withState(pages[1]!.cursor, pageBeforeOverlap));
    expect(idsOf(resumed)).toEqual(idsOf(pages.slice(2)));
    const newest = Date.parse(events.at(-1)!.timestamp);
    const fresh = at(newest + 1_000, 'new');
    events.push(at(newest - 10_000 + 1, 'late'), fresh);
    expect(idsOf(await pagesOf(listing, resumed.at(-1)!.cursor))).toEqual([fresh.id]);
  });

  it('more events at the newest instant than the overlap keeps: the tail starts at that instant with all its ids, as it did', async () => {
    const events = makeEvents([{ gap: 0, size: 5 }, { gap: 10, size: 1_500 }]);
    const vendor = fakePce(events, 10_000);
    const listing = list(strategy(vendor.fetchPage, 10_000, { to: events.at(-1)!.timestamp }), 2_000);
    const tail = (await pagesOf(listing)).at(-1)!.cursor;
    const newest = Date.parse(events.at(-1)!.timestamp);
    const late = at(newest, 'late-at-burst');
    events.push(late, at(newest - 1, 'late-before-burst'));
    expect(idsOf(await pagesOf(listing, tail))).toEqual([late.id]);
    // The floor never passes the window's fixed end.
    expect(vendor.requests.at(-1)).toMatchObject({ from: events[5]!.timestamp, to: events[5]!.timestamp });
  });
});
