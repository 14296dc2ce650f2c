import Bottleneck from 'bottleneck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offsetStrategy, type OffsetPage, type OffsetRequest } from '../../../src/core/paginate/offset.js';
import { isConfigurationError } from '../../../src/core/errors.js';
import { checkDrainAndResume, drainResuming, flaky, idsOf, list, makeIds, pagesOf, type Item } from './harness.js';

/** Socotra failed jobs (`offset`/`count`, no total) or Informatica (`firstResult`/`maxResults`, total). */
function fakeOffsetVendor(events: Item[], withTotal: boolean, delay = 0) {
  const requests: OffsetRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchPage = async (request: OffsetRequest, signal: AbortSignal): Promise<OffsetPage<Item>> => {
    requests.push(request);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      signal.throwIfAborted();
      const items = events.slice(request.offset, request.offset + request.limit);
      return withTotal ? { items, total: events.length } : { items };
    } finally {
      inFlight--;
    }
  };
  return { fetchPage, requests, maxInFlight: () => maxInFlight };
}

const toItems = (ids: string[]) => ids.map((id) => ({ id }));

describe('offsetStrategy', () => {
  it('drains every item once and resumes from every page cursor, with and without total and concurrency (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 50 }), fc.boolean(), fc.integer({ min: 1, max: 4 }), async (size, pageSize, withTotal, concurrency) => {
        const ids = makeIds(size);
        const vendor = fakeOffsetVendor(toItems(ids), withTotal);
        await checkDrainAndResume(list(offsetStrategy({ fetchPage: vendor.fetchPage, concurrency }), pageSize), ids);
      }),
      { numRuns: 60 },
    );
  });

  it('with transient failures, resuming from the last cursor yields everything once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 50 }), fc.boolean(), fc.integer({ min: 1, max: 4 }), async (size, pageSize, withTotal, concurrency) => {
        const ids = makeIds(size);
        const vendor = fakeOffsetVendor(toItems(ids), withTotal);
        const fetchPage = flaky(vendor.fetchPage, () => Math.random() < 0.3);
        const { ids: got } = await drainResuming(list(offsetStrategy({ fetchPage, concurrency }), pageSize));
        expect(got).toEqual(ids);
      }),
      { numRuns: 60 },
    );
  });

  it('the tail cursor yields exactly the items appended later (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 50 }), fc.boolean(), async (before, after, pageSize, withTotal) => {
        const events = toItems(makeIds(before));
        const vendor = fakeOffsetVendor(events, withTotal);
        const listing = list(offsetStrategy({ fetchPage: vendor.fetchPage }), pageSize);
        const tail = (await pagesOf(listing)).at(-1)!.cursor;
        const added = makeIds(after, 'n');
        events.push(...toItems(added));
        expect(idsOf(await pagesOf(listing, tail))).toEqual(added);
      }),
      { numRuns: 60 },
    );
  });

  it('ends at the total without an extra request, and on a short page without one', async () => {
    const withTotal = fakeOffsetVendor(toItems(makeIds(20)), true);
    await pagesOf(list(offsetStrategy({ fetchPage: withTotal.fetchPage }), 10));
    expect(withTotal.requests.map((r) => r.offset)).toEqual([0, 10]);
    const without = fakeOffsetVendor(toItems(makeIds(25)), false);
    await pagesOf(list(offsetStrategy({ fetchPage: without.fetchPage }), 10));
    expect(without.requests.map((r) => r.offset)).toEqual([0, 10, 20]);
  });

  it('with a known total fetches up to `concurrency` pages at once, in order', async () => {
    const ids = makeIds(100);
    const vendor = fakeOffsetVendor(toItems(ids), true, 5);
    const pages = await pagesOf(list(offsetStrategy({ fetchPage: vendor.fetchPage, concurrency: 4 }), 10));
    expect(idsOf(pages)).toEqual(ids);
    expect(vendor.maxInFlight()).toBe(4);
    expect(vendor.requests).toHaveLength(10);
  });

  it('never runs more requests at once than the limiter underneath allows', async () => {
    const limiter = new Bottleneck({ maxConcurrent: 2 });
    const ids = makeIds(100);
    const vendor = fakeOffsetVendor(toItems(ids), true, 5);
    const fetchPage = (request: OffsetRequest, signal: AbortSignal) => limiter.schedule(() => vendor.fetchPage(request, signal));
    const pages = await pagesOf(list(offsetStrategy({ fetchPage, concurrency: 6 }), 10));
    expect(idsOf(pages)).toEqual(ids);
    expect(vendor.maxInFlight()).toBe(2);
  });

  it('a changed total keeps the predicted pages (their offsets are right) and still yields everything once', async () => {
    const events = toItems(makeIds(30));
    const vendor = fakeOffsetVendor(events, true);
    const fetchPage = async (request: OffsetRequest, signal: AbortSignal) => {
      // Items appended while the listing runs: the total grows after the first page.
      if (vendor.requests.length === 1) events.push(...toItems(makeIds(5, 'n')));
      return vendor.fetchPage(request, signal);
    };
    const pages = await pagesOf(list(offsetStrategy({ fetchPage, concurrency: 3 }), 10));
    expect(idsOf(pages)).toEqual([...makeIds(30), ...makeIds(5, 'n')]);
    // Every offset was asked once: the guess for offset 20 (made with total 30) fetched the right items.
    expect(vendor.requests.map((r) => r.offset)).toEqual([0, 10, 20, 30]);
  });

  it('without a total, fetches up to `concurrency` pages at once on the guess that pages come back full', async () => {
    const ids = makeIds(95);
    const vendor = fakeOffsetVendor(toItems(ids), false, 5);
    const pages = await pagesOf(list(offsetStrategy({ fetchPage: vendor.fetchPage, concurrency: 4 }), 10));
    expect(idsOf(pages)).toEqual(ids);
    expect(vendor.maxInFlight()).toBe(4);
  });

  it('speculation without a total: exactly once, never more than `concurrency` in flight, the guesses past a short page aborted (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 2, max: 5 }), async (size, pageSize, concurrency) => {
        const ids = makeIds(size);
        const vendor = fakeOffsetVendor(toItems(ids), false, 1);
        const signals: Array<{ offset: number; signal: AbortSignal }> = [];
        const fetchPage = (request: OffsetRequest, signal: AbortSignal) => {
          signals.push({ offset: request.offset, signal });
          return vendor.fetchPage(request, signal);
        };
        const pages = await pagesOf(list(offsetStrategy({ fetchPage, concurrency }), pageSize));
        expect(idsOf(pages)).toEqual(ids);
        expect(vendor.maxInFlight()).toBeLessThanOrEqual(concurrency);
        // The pages delivered, each asked once, then at most `concurrency - 1` guesses past the end, all aborted.
        const end = Math.floor(size / pageSize) * pageSize;
        const past = signals.filter((s) => s.offset > end);
        expect(signals.filter((s) => s.offset <= end).map((s) => s.offset)).toEqual(pages.map((_, i) => i * pageSize));
        expect(past.length).toBeLessThanOrEqual(concurrency - 1);
        expect(past.every((s) => s.signal.aborted)).toBe(true);
        // Resuming from every page's cursor, with the same speculation, yields exactly the rest.
        await checkDrainAndResume(list(offsetStrategy({ fetchPage: vendor.fetchPage, concurrency }), pageSize), ids);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a bad concurrency before any request', () => {
    const vendor = fakeOffsetVendor([], false);
    const error = (() => { try { offsetStrategy({ fetchPage: vendor.fetchPage, concurrency: 0 }); } catch (e) { return e; } })();
    expect(isConfigurationError(error) && error.option).toBe('concurrency');
  });
});
