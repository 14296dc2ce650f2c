import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeWindowStrategy, type TimeWindowPage, type TimeWindowRequest } from '../../../src/core/paginate/time-window.js';
import { isConfigurationError, isResponseValidationError } from '../../../src/core/errors.js';
import { checkDrainAndResume, drainResuming, flaky, idsOf, list, pagesOf, type Item } from './harness.js';

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

  it('sends the normalized window and refuses an unreadable one', async () => {
    const vendor = fakePce([], 10);
    await pagesOf(list(strategy(vendor.fetchPage, 10, { from: '2026-11-01', to: '2026-11-02T01:00:00+01:00' }), 5));
    expect(vendor.requests).toEqual([{ from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z', limit: 5 }]);
    const error = (() => { try { strategy(vendor.fetchPage, 10, { from: 'yesterday' }); } catch (e) { return e; } })();
    expect(isConfigurationError(error) && error.option).toBe('window.from');
  });
});
