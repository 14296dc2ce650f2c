import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { markerStrategy, type MarkerRequest } from '../../../src/core/paginate/marker.js';
import { isResponseValidationError } from '../../../src/core/errors.js';
import { toRfc3339Millis } from '../../../src/core/time.js';
import { checkDrainAndResume, drainResuming, flaky, idsOf, list, pagesOf, type Item } from './harness.js';
import { cursorJson } from '../../../src/core/cursor.js';

// The real function, observed: which times the strategy reads.
vi.mock('../../../src/core/time.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/core/time.js')>();
  return { ...actual, toRfc3339Millis: vi.fn(actual.toRfc3339Millis) };
});

interface FujitsuEvent extends Item {
  /** Second precision, no zone, as FUJITSU sends it. */
  date: string;
}

const BASE = Date.UTC(2026, 10, 23, 10, 0, 0);
const vendorDate = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/**
 * Events in groups sharing one second; `groups[i]` events at second `BASE + offsets`. The ids sort
 * within a second so the fake's order is stable, as a database's would be.
 */
function makeEvents(groups: Array<{ gap: number; size: number }>, startMs = BASE, prefix = 'e'): FujitsuEvent[] {
  const events: FujitsuEvent[] = [];
  let ms = startMs;
  groups.forEach(({ gap, size }, g) => {
    ms += gap * 1000;
    for (let i = 0; i < size; i++) events.push({ id: `${prefix}${String(g).padStart(4, '0')}.${i}`, date: vendorDate(ms) });
  });
  return events;
}

/** FUJITSU-like: newest first, window `from`/`to`, `marker` inclusive or exclusive, `limit` per page. */
function fakeFujitsu(events: FujitsuEvent[], inclusive: boolean) {
  const requests: MarkerRequest[] = [];
  const at = (e: FujitsuEvent) => Date.parse(`${e.date}Z`);
  const fetchPage = async (request: MarkerRequest): Promise<FujitsuEvent[]> => {
    requests.push(request);
    const from = request.from === undefined ? -Infinity : Date.parse(request.from);
    const to = request.to === undefined ? Infinity : Date.parse(request.to);
    const marker = request.marker === undefined ? undefined : Date.parse(request.marker);
    return events
      .filter((e) => at(e) >= from && at(e) <= to)
      .filter((e) => marker === undefined || (inclusive ? at(e) <= marker : at(e) < marker))
      .sort((a, b) => at(b) - at(a) || (a.id < b.id ? 1 : -1))
      .slice(0, request.pageSize);
  };
  return { fetchPage, requests };
}

const newestFirst = (events: FujitsuEvent[]) =>
  [...events].sort((a, b) => (a.date === b.date ? (a.id < b.id ? 1 : -1) : a.date < b.date ? 1 : -1)).map((e) => e.id);

/** A page size and groups smaller than it (a second with more events than a page cannot be paged). */
const scenario = fc.integer({ min: 2, max: 50 }).chain((pageSize) =>
  fc.record({
    pageSize: fc.constant(pageSize),
    groups: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 1, max: Math.min(pageSize - 1, 12) }) }), { maxLength: 60, size: 'max' }),
    inclusive: fc.boolean(),
  }),
);

/** The event's canonical time, as a provider's normalizer computes it before paging. */
const canonicalTime = (e: FujitsuEvent) => `${e.date}.000Z`;

const strategy = (
  fetchPage: (r: MarkerRequest) => Promise<FujitsuEvent[]>,
  window: { from?: string; to?: string } = { from: '2026-11-23T00:00:00Z' },
  canonical = false,
) =>
  markerStrategy<FujitsuEvent>({
    window,
    fetchPage,
    id: (e) => e.id,
    ...(canonical ? { time: canonicalTime, canonicalTimes: true } : { time: (e) => e.date }),
  });

describe('markerStrategy', () => {
  it('drains every event once, newest first, and resumes from every page cursor, inclusive or exclusive, with vendor or canonical times (property)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.boolean(), async ({ pageSize, groups, inclusive }, canonical) => {
        const events = makeEvents(groups);
        const vendor = fakeFujitsu(events, inclusive);
        await checkDrainAndResume(list(strategy(vendor.fetchPage, undefined, canonical), pageSize), newestFirst(events));
      }),
      { numRuns: 40 },
    );
  });

  it('with transient failures, resuming from the last cursor yields everything once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ pageSize, groups, inclusive }) => {
        const events = makeEvents(groups);
        const vendor = fakeFujitsu(events, inclusive);
        const fetchPage = flaky(vendor.fetchPage, () => Math.random() < 0.3);
        const { ids } = await drainResuming(list(strategy(fetchPage), pageSize));
        expect(ids).toEqual(newestFirst(events));
      }),
      { numRuns: 80 },
    );
  });

  it('the tail cursor yields exactly the events that arrived later, also in the newest second (property)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 20 }), async ({ pageSize, groups, inclusive }, sameSecond, later) => {
        const events = makeEvents(groups);
        const vendor = fakeFujitsu(events, inclusive);
        const listing = list(strategy(vendor.fetchPage), pageSize);
        const tail = (await pagesOf(listing)).at(-1)!.cursor;
        const newest = events.at(-1);
        const lastMs = newest === undefined ? BASE : Date.parse(`${newest.date}Z`);
        const extraAtNewest = newest === undefined ? [] : Array.from({ length: Math.min(sameSecond, pageSize - 1 - events.filter((e) => e.date === newest.date).length) }, (_, i) => ({ id: `s${i}`, date: newest.date }));
        const added = [...extraAtNewest, ...makeEvents(Array.from({ length: later }, () => ({ gap: 1, size: 1 })), lastMs, 'n')];
        events.push(...added);
        expect(idsOf(await pagesOf(listing, tail))).toEqual(newestFirst(added));
      }),
      { numRuns: 80 },
    );
  });

  it('learns that the server is exclusive once and then asks one second later', async () => {
    const events = makeEvents([{ gap: 0, size: 3 }, { gap: 1, size: 3 }, { gap: 1, size: 3 }]);
    const vendor = fakeFujitsu(events, false);
    const pages = await pagesOf(list(strategy(vendor.fetchPage), 4));
    expect(idsOf(pages)).toEqual(newestFirst(events));
    const markers = vendor.requests.map((r) => r.marker);
    // First page, then the marker second (nothing at it: exclusive), then marker + 1 s from there on.
    expect(markers).toEqual([undefined, '2026-11-23T10:00:01.000Z', '2026-11-23T10:00:02.000Z', '2026-11-23T10:00:01.000Z']);
  });

  it('what it learns of an exclusive server on the last page, its tail keeps: the next listing asks one second later at once', async () => {
    const events = makeEvents([{ gap: 0, size: 3 }, { gap: 1, size: 3 }]);
    const vendor = fakeFujitsu(events, false);
    const listing = list(strategy(vendor.fetchPage), 4);
    const pages = await pagesOf(listing);
    expect(idsOf(pages)).toEqual(newestFirst(events));
    // The second page learned it: nothing at the marker second 10:00:00, then marker + 1 s.
    expect(vendor.requests.map((r) => r.marker)).toEqual([undefined, '2026-11-23T10:00:00.000Z', '2026-11-23T10:00:01.000Z']);
    const later = makeEvents([{ gap: 2, size: 3 }, { gap: 1, size: 3 }], BASE, 'n');
    events.push(...later);
    vendor.requests.length = 0;
    expect(idsOf(await pagesOf(listing, pages.at(-1)!.cursor))).toEqual(newestFirst(later));
    // Each marker one second after the oldest second of the page before, none asked as it is first.
    expect(vendor.requests.map((r) => r.marker)).toEqual([undefined, '2026-11-23T10:00:03.000Z', '2026-11-23T10:00:02.000Z', '2026-11-23T10:00:01.000Z']);
  });

  it('an inclusive server gets the marker itself and the repeated events are dropped', async () => {
    const events = makeEvents([{ gap: 0, size: 3 }, { gap: 1, size: 3 }, { gap: 1, size: 3 }]);
    const vendor = fakeFujitsu(events, true);
    const pages = await pagesOf(list(strategy(vendor.fetchPage), 4));
    expect(idsOf(pages)).toEqual(newestFirst(events));
    expect(vendor.requests.map((r) => r.marker)).toEqual([undefined, '2026-11-23T10:00:01.000Z', '2026-11-23T10:00:00.000Z']);
  });

  it('more events in one second than a page fails clearly instead of looping or skipping', async () => {
    for (const inclusive of [true, false]) {
      const vendor = fakeFujitsu(makeEvents([{ gap: 0, size: 2 }, { gap: 1, size: 6 }]), inclusive);
      const error = await pagesOf(list(strategy(vendor.fetchPage), 4)).catch((e: unknown) => e);
      expect(isResponseValidationError(error)).toBe(true);
      expect((error as Error).message).toMatch(/more than 4 events share the second 2026-11-23T10:00:01.000Z/);
      expect(vendor.requests.length).toBeLessThan(6);
    }
  });

  it('delivers an id met again in one second of a page once (identical FUJITSU events share a content id), inclusive or exclusive', async () => {
    for (const inclusive of [true, false]) {
      // Three items of one id in the newest second: one page holds two of them, the next the third.
      const events = [
        ...makeEvents([{ gap: 0, size: 2 }]),
        ...Array.from({ length: 3 }, () => ({ id: 'twin', date: vendorDate(BASE + 1_000) })),
        ...makeEvents([{ gap: 2, size: 2 }], BASE, 'n'),
      ];
      for (const pageSize of [4, 10]) {
        const vendor = fakeFujitsu(events, inclusive);
        const pages = await pagesOf(list(strategy(vendor.fetchPage), pageSize));
        expect(idsOf(pages)).toEqual(['n0000.1', 'n0000.0', 'twin', 'e0000.1', 'e0000.0']);
        expect(idsOf(await pagesOf(list(strategy(vendor.fetchPage), pageSize), pages.at(-1)!.cursor))).toEqual([]);
      }
    }
  });

  it('passes the window, normalized, to every request', async () => {
    const vendor = fakeFujitsu([], true);
    await pagesOf(list(strategy(vendor.fetchPage, { from: '2026-11-23T11:00+01:00', to: '2026-11-24T00:00:00' }), 20));
    expect(vendor.requests).toEqual([{ from: '2026-11-23T10:00:00.000Z', to: '2026-11-24T00:00:00.000Z', marker: undefined, pageSize: 20 }]);
  });

  it('ends at the first page that reaches below the window, also from a server that sends events before it', async () => {
    const events = makeEvents(Array.from({ length: 10 }, () => ({ gap: 1, size: 1 })));
    const vendor = fakeFujitsu(events, true);
    const fetchPage = (request: MarkerRequest) => vendor.fetchPage({ ...request, from: undefined });
    const from = `${events[5]!.date}Z`;
    const pages = await pagesOf(list(strategy(fetchPage, { from }), 3));
    expect(idsOf(pages)).toEqual(newestFirst(events.slice(5)));
    // The third page holds the two events before the window: nothing older is asked for.
    expect(vendor.requests).toHaveLength(3);
  });

  it('reads no item time again when the times are declared canonical, and dedupes the same', async () => {
    const read = vi.mocked(toRfc3339Millis);
    const events = makeEvents([{ gap: 0, size: 3 }, { gap: 1, size: 3 }, { gap: 1, size: 3 }]);
    const itemTimes = new Set(events.flatMap((e) => [e.date, canonicalTime(e)]));
    const itemTimesRead = () => read.mock.calls.filter(([value]) => typeof value === 'string' && itemTimes.has(value)).length;
    for (const inclusive of [true, false]) {
      const vendor = fakeFujitsu(events, inclusive);
      const listing = list(strategy(vendor.fetchPage, undefined, true), 4);
      read.mockClear();
      expect(idsOf(await pagesOf(listing))).toEqual(newestFirst(events));
      expect(itemTimesRead()).toBe(0);
      // The same listing with the vendor's dates reads each of them.
      read.mockClear();
      expect(idsOf(await pagesOf(list(strategy(fakeFujitsu(events, inclusive).fetchPage), 4)))).toEqual(newestFirst(events));
      expect(itemTimesRead()).toBeGreaterThanOrEqual(events.length);
    }
  });
});

/** A cursor with its state rewritten, as another version of the SDK could have issued it. */
function withState(cursor: string, edit: (state: Record<string, unknown>) => Record<string, unknown>): string {
  const envelope = JSON.parse(cursorJson(cursor)) as { s: Record<string, unknown> };
  return Buffer.from(JSON.stringify({ ...envelope, s: edit(envelope.s) })).toString('base64url');
}

/** The state a tail cursor held before the tail overlapped: the newest second and its ids. */
const tailBeforeOverlap = ({ m, mi, x, n, ni }: Record<string, unknown>) => ({ f: n, fi: ni, m, mi, x, n, ni });
/** A mid-listing state of then: the new fields left out. */
const pageBeforeOverlap = ({ f, fi, m, mi, x, n, ni }: Record<string, unknown>) => ({ f, fi, m, mi, x, n, ni });

const at = (ms: number, id: string): FujitsuEvent => ({ id, date: vendorDate(ms) });

describe.each([true, false])('markerStrategy tail overlap, inclusive %s', (inclusive) => {
  /** Seconds closer or further apart than the minute, and late events in seconds of their own. */
  const overlapScenario = fc.integer({ min: 2, max: 20 }).chain((pageSize) =>
    fc.record({
      pageSize: fc.constant(pageSize),
      groups: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 8 }), size: fc.integer({ min: 1, max: Math.min(pageSize - 1, 6) }) }), { minLength: 1, maxLength: 40 }),
      late: fc.uniqueArray(fc.integer({ min: 0, max: 120 }), { maxLength: 4 }),
      later: fc.integer({ min: 0, max: 5 }),
    }),
  );

  it('the tail reaches back a minute before the newest second: late events within it come once, older ones are not found, every page resumes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(overlapScenario, async ({ pageSize, groups, late, later }) => {
        const events = makeEvents(groups);
        const vendor = fakeFujitsu(events, inclusive);
        const listing = list(strategy(vendor.fetchPage), pageSize);
        const tail = (await pagesOf(listing)).at(-1)!.cursor;
        const newest = Date.parse(`${events.at(-1)!.date}Z`);
        const taken = new Set(events.map((e) => e.date));
        const lateEvents = late.map((ago, i) => at(newest - ago * 1000, `late${i}`)).filter((e) => !taken.has(e.date));
        const added = [...lateEvents, ...makeEvents(Array.from({ length: later }, () => ({ gap: 1, size: 1 })), newest, 'n')];
        events.push(...added);
        const found = added.filter((e) => Date.parse(`${e.date}Z`) >= newest - 60_000);
        const resumed = await pagesOf(listing, tail);
        expect(idsOf(resumed)).toEqual(newestFirst(found));
        // Every page of the tail's listing resumes with the rest of it.
        for (const [i, page] of resumed.entries()) expect(idsOf(await pagesOf(listing, page.cursor))).toEqual(idsOf(resumed.slice(i + 1)));
        expect(idsOf(await pagesOf(listing, resumed.at(-1)!.cursor))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('a late event and a new one come once at a small page size; pages that only re-read the minute are not empty pages', async () => {
    // Three events a second for the last minute, re-read 5 at a time: more pages than `maxEmptyPages`.
    const events = makeEvents(Array.from({ length: 60 }, () => ({ gap: 1, size: 3 })));
    const vendor = fakeFujitsu(events, inclusive);
    const listing = list(strategy(vendor.fetchPage), 5);
    const first = await pagesOf(listing);
    const newest = Date.parse(`${events.at(-1)!.date}Z`);
    const late = at(newest - 30_000, 'late');
    const fresh = at(newest + 5_000, 'new');
    const stale = at(newest - 61_000, 'stale');
    events.push(late, fresh, stale);
    const resumed = await pagesOf(listing, first.at(-1)!.cursor);
    expect(idsOf(resumed)).toEqual([fresh.id, late.id]);
    expect(idsOf(await pagesOf(listing, resumed.at(-1)!.cursor))).toEqual([]);
  });

  it('remembers at most 1000 ids: past them, the tail starts a second after the newest second it could not keep', async () => {
    // 50 events a second for 30 seconds: the newest 1000 fill 20 seconds, the 21st newest second is cut.
    const events = makeEvents(Array.from({ length: 30 }, () => ({ gap: 1, size: 50 })));
    const vendor = fakeFujitsu(events, inclusive);
    const listing = list(strategy(vendor.fetchPage), 60);
    const tail = (await pagesOf(listing)).at(-1)!.cursor;
    const newest = Date.parse(`${events.at(-1)!.date}Z`);
    const kept = at(newest - 19_000, 'late-kept');
    const cut = at(newest - 20_000, 'late-cut');
    events.push(kept, cut);
    expect(idsOf(await pagesOf(listing, tail))).toEqual([kept.id]);
    expect(vendor.requests.at(-1)?.from).toBe(new Date(newest - 19_000).toISOString());
  });

  it('a tail cursor issued before the tail overlapped still resumes, as it did: from its newest second', async () => {
    const events = makeEvents(Array.from({ length: 20 }, () => ({ gap: 2, size: 2 })));
    const vendor = fakeFujitsu(events, inclusive);
    const listing = list(strategy(vendor.fetchPage), 5);
    const old = withState((await pagesOf(listing)).at(-1)!.cursor, tailBeforeOverlap);
    const newest = Date.parse(`${events.at(-1)!.date}Z`);
    const fresh = at(newest + 2_000, 'new');
    events.push(at(newest - 9_000, 'late'), fresh);
    const resumed = await pagesOf(listing, old);
    expect(idsOf(resumed)).toEqual([fresh.id]);
    // Its own tail overlaps: a late event within the minute before `fresh` comes, once.
    const late2 = at(newest + 1_000, 'late-2');
    events.push(late2);
    expect(idsOf(await pagesOf(listing, resumed.at(-1)!.cursor))).toEqual([late2.id]);
  });

  it('a mid-listing cursor issued before the tail overlapped finishes the listing and ends in a tail at the newest second, as it did', async () => {
    const events = makeEvents(Array.from({ length: 20 }, () => ({ gap: 2, size: 2 })));
    const vendor = fakeFujitsu(events, inclusive);
    const listing = list(strategy(vendor.fetchPage), 5);
    const pages = await pagesOf(listing);
    const resumed = await pagesOf(listing, withState(pages[1]!.cursor, pageBeforeOverlap));
    expect(idsOf(resumed)).toEqual(idsOf(pages.slice(2)));
    const newest = Date.parse(`${events.at(-1)!.date}Z`);
    const fresh = at(newest + 2_000, 'new');
    events.push(at(newest - 9_000, 'late'), fresh);
    expect(idsOf(await pagesOf(listing, resumed.at(-1)!.cursor))).toEqual([fresh.id]);
  });
});
