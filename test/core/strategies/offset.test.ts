import Bottleneck from 'bottleneck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCursor, queryFingerprint } from '../../../src/core/cursor.js';
import { offsetStrategy, type OffsetPage, type OffsetRequest } from '../../../src/core/paginate/offset.js';
import { OVERLAP_ITEMS, OVERLAP_KEYS } from '../../../src/core/paginate/overlap.js';
import { isConfigurationError } from '../../../src/core/errors.js';
import { createRng, type Rng } from '../../../src/testing/rng.js';
import { checkDrainAndResume, drainResuming, flaky, idsOf, list, makeIds, pagesOf, type Item } from './harness.js';
import type { Page } from '../../../src/core/paginate/types.js';

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

/** Where a request's new items start: every page after the first re-reads the items before it. */
const startOf = (request: OffsetRequest, pageSize: number) => request.offset + request.limit - pageSize;

/** The strategy over a fake vendor's `fetchPage`, items remembered by `id`. */
const strategy = (fetchPage: (request: OffsetRequest, signal: AbortSignal) => Promise<OffsetPage<Item>>, concurrency?: number) =>
  offsetStrategy<Item>({ fetchPage, key: (item) => item.id, maxLimit: 1000, ...(concurrency === undefined ? {} : { concurrency }) });

describe('offsetStrategy', () => {
  it('drains every item once and resumes from every page cursor, with and without total and concurrency (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 50 }), fc.boolean(), fc.integer({ min: 1, max: 4 }), async (size, pageSize, withTotal, concurrency) => {
        const ids = makeIds(size);
        const vendor = fakeOffsetVendor(toItems(ids), withTotal);
        await checkDrainAndResume(list(strategy(vendor.fetchPage, concurrency), pageSize), ids);
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
        const { ids: got } = await drainResuming(list(strategy(fetchPage, concurrency), pageSize));
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
        const listing = list(strategy(vendor.fetchPage), pageSize);
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
    await pagesOf(list(strategy(withTotal.fetchPage), 10));
    expect(withTotal.requests).toEqual([
      { offset: 0, limit: 10 },
      { offset: 0, limit: 20 },
    ]);
    const without = fakeOffsetVendor(toItems(makeIds(25)), false);
    await pagesOf(list(strategy(without.fetchPage), 10));
    expect(without.requests).toEqual([
      { offset: 0, limit: 10 },
      { offset: 0, limit: 20 },
      { offset: 10, limit: 20 },
    ]);
  });

  it('with a known total fetches up to `concurrency` pages at once, in order', async () => {
    const ids = makeIds(100);
    const vendor = fakeOffsetVendor(toItems(ids), true, 5);
    const pages = await pagesOf(list(strategy(vendor.fetchPage, 4), 10));
    expect(idsOf(pages)).toEqual(ids);
    expect(vendor.maxInFlight()).toBe(4);
    expect(vendor.requests).toHaveLength(10);
  });

  it('never runs more requests at once than the limiter underneath allows', async () => {
    const limiter = new Bottleneck({ maxConcurrent: 2 });
    const ids = makeIds(100);
    const vendor = fakeOffsetVendor(toItems(ids), true, 5);
    const fetchPage = (request: OffsetRequest, signal: AbortSignal) => limiter.schedule(() => vendor.fetchPage(request, signal));
    const pages = await pagesOf(list(strategy(fetchPage, 6), 10));
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
    const pages = await pagesOf(list(strategy(fetchPage, 3), 10));
    expect(idsOf(pages)).toEqual([...makeIds(30), ...makeIds(5, 'n')]);
    // Every offset was asked once: the guess for offset 20 (made with total 30) fetched the right items.
    expect(vendor.requests.map((r) => startOf(r, 10))).toEqual([0, 10, 20, 30]);
  });

  it('without a total, fetches up to `concurrency` pages at once on the guess that pages come back full', async () => {
    const ids = makeIds(95);
    const vendor = fakeOffsetVendor(toItems(ids), false, 5);
    const pages = await pagesOf(list(strategy(vendor.fetchPage, 4), 10));
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
          signals.push({ offset: startOf(request, pageSize), signal });
          return vendor.fetchPage(request, signal);
        };
        const pages = await pagesOf(list(strategy(fetchPage, concurrency), pageSize));
        expect(idsOf(pages)).toEqual(ids);
        expect(vendor.maxInFlight()).toBeLessThanOrEqual(concurrency);
        // The pages delivered, each asked once, then at most `concurrency - 1` guesses past the end, all aborted.
        const end = Math.floor(size / pageSize) * pageSize;
        const past = signals.filter((s) => s.offset > end);
        expect(signals.filter((s) => s.offset <= end).map((s) => s.offset)).toEqual(pages.map((_, i) => i * pageSize));
        expect(past.length).toBeLessThanOrEqual(concurrency - 1);
        expect(past.every((s) => s.signal.aborted)).toBe(true);
        // Resuming from every page's cursor, with the same speculation, yields exactly the rest.
        await checkDrainAndResume(list(strategy(vendor.fetchPage, concurrency), pageSize), ids);
      }),
      { numRuns: 40 },
    );
  });

  it.each([-1, 2.5, Number.NaN])('a total of %s, not a count, is not read: the listing reads on to its short page, and its cursors resume', async (total) => {
    const ids = makeIds(25);
    const vendor = fakeOffsetVendor(toItems(ids), false);
    const fetchPage = async (request: OffsetRequest, signal: AbortSignal) => ({ ...(await vendor.fetchPage(request, signal)), total });
    await checkDrainAndResume(list(strategy(fetchPage), 10), ids);
  });

  it('refuses a bad concurrency before any request', () => {
    const vendor = fakeOffsetVendor([], false);
    const error = (() => { try { strategy(vendor.fetchPage, 0); } catch (e) { return e; } })();
    expect(isConfigurationError(error) && error.option).toBe('concurrency');
  });
});

/**
 * A vendor whose list changes between reads: before each answer, `change` may remove items anywhere
 * (a job resumed or deleted) and insert new ones anywhere (an event becoming visible late).
 */
function changingVendor(items: Item[], change: (list: Item[]) => void) {
  const requests: OffsetRequest[] = [];
  const fetchPage = async (request: OffsetRequest, signal: AbortSignal): Promise<OffsetPage<Item>> => {
    requests.push(request);
    await new Promise((resolve) => setImmediate(resolve));
    signal.throwIfAborted();
    change(items);
    return { items: items.slice(request.offset, request.offset + request.limit) };
  };
  return { fetchPage, requests };
}

/** Removes `count` random items before `before` (all of the list by default); returns their ids. */
function removeBehind(list: Item[], rng: Rng, count: number, before = list.length): string[] {
  const removed: string[] = [];
  for (let i = 0; i < count && before > 0; i++) {
    removed.push(...list.splice(rng.int(0, before - 1), 1).map((item) => item.id));
    before -= 1;
  }
  return removed;
}

/** Inserts `count` new items at random places before `before`; returns their ids. */
function insertBehind(list: Item[], rng: Rng, count: number, prefix: string, before = list.length): string[] {
  const added = makeIds(count, prefix);
  for (const id of added) list.splice(rng.int(0, before), 0, { id });
  return added;
}

const duplicates = (ids: readonly string[]) => ids.filter((id, index) => ids.indexOf(id) !== index);

/** Drains `ids` once, then runs `check` with each page's cursor and the ids delivered up to it. */
async function eachCursor(
  ids: string[],
  pageSize: number,
  concurrency: number | undefined,
  check: (delivered: string[], cursor: string) => Promise<void>,
): Promise<void> {
  const pages = await pagesOf(list(strategy(fakeOffsetVendor(toItems(ids), false).fetchPage, concurrency), pageSize));
  for (const [index, page] of pages.entries()) await check(idsOf(pages.slice(0, index + 1)), page.cursor);
}

describe('offsetStrategy over a list that changes behind the read position', () => {
  it('one listing delivers every item that stays exactly once, in order, whatever leaves or joins between reads (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.record({ leave: fc.integer({ min: 0, max: 30 }), join: fc.integer({ min: 0, max: 12 }) }), { maxLength: 40 }),
        async (size, pageSize, concurrency, seed, changes) => {
          const rng = createRng(seed);
          const initial = makeIds(size);
          const removed = new Set<string>();
          let reads = 0;
          const vendor = changingVendor(toItems(initial), (list) => {
            const change = changes[reads++];
            if (change === undefined) return;
            for (const id of removeBehind(list, rng, change.leave)) removed.add(id);
            insertBehind(list, rng, change.join, `n${reads}-`);
          });
          const got = idsOf(await pagesOf(list(strategy(vendor.fetchPage, concurrency), pageSize)));
          expect(duplicates(got)).toEqual([]);
          const stayed = initial.filter((id) => !removed.has(id));
          expect(got.filter((id) => initial.includes(id) && !removed.has(id))).toEqual(stayed);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a consumer that deletes every item it reads still gets every item once, at any page size and concurrency', async () => {
    for (const [pageSize, concurrency] of [[3, 4], [10, 4], [11, 1], [50, 4], [100, 2]] as const) {
      const ids = makeIds(400);
      const items = toItems(ids);
      const vendor = changingVendor(items, () => {});
      const got: string[] = [];
      for await (const page of list(strategy(vendor.fetchPage, concurrency), pageSize).byPage()) {
        for (const item of page.items) {
          got.push(item.id);
          items.splice(items.findIndex((candidate) => candidate.id === item.id), 1);
        }
      }
      expect(got).toEqual(ids);
      expect(items).toEqual([]);
    }
  });

  it(`resumed from any cursor: nothing lost, nothing repeated while fewer than ${OVERLAP_ITEMS} items left and at most ${OVERLAP_KEYS - OVERLAP_ITEMS} joined behind it (property)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: OVERLAP_ITEMS - 1 }),
        fc.integer({ min: 0, max: OVERLAP_KEYS - OVERLAP_ITEMS }),
        async (size, pageSize, concurrency, seed, leave, join) => {
          const rng = createRng(seed);
          const ids = makeIds(size);
          await eachCursor(ids, pageSize, concurrency, async (delivered, cursor) => {
            const items = toItems(ids);
            const removed = removeBehind(items, rng, leave, delivered.length);
            const rest = items.slice(delivered.length - removed.length).map((item) => item.id);
            const joined = insertBehind(items, rng, join, 'j', delivered.length - removed.length);
            const resumed = idsOf(await pagesOf(list(strategy(fakeOffsetVendor(items, false).fetchPage, concurrency), pageSize), cursor));
            // An item that joined right behind the position may come: it is new. Nothing else does.
            expect(resumed.filter((id) => !joined.includes(id))).toEqual(rest);
            expect(duplicates(resumed)).toEqual([]);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('resumed from any cursor while items keep joining and leaving behind it, read after read: loses and repeats nothing (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 20, max: 80 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: OVERLAP_KEYS - OVERLAP_ITEMS }),
        fc.integer({ min: 0, max: OVERLAP_ITEMS - 1 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (size, pageSize, reads, joinAsked, leave, seed) => {
          // A read can only move on by a page: more joining between two reads than that leaves it behind.
          const join = Math.min(joinAsked, pageSize);
          const rng = createRng(seed);
          const ids = makeIds(size);
          await eachCursor(ids, pageSize, undefined, async (delivered, cursor) => {
            const items = toItems(ids);
            // Before each of the next reads, items join and leave among those already delivered (at the front).
            let changes = reads;
            const vendor = fakeOffsetVendor(items, false);
            const fetchPage = (request: OffsetRequest, signal: AbortSignal) => {
              if (changes-- > 0) {
                // The first item not delivered yet: what joins or leaves before it is behind the position.
                const next = items.findIndex((item) => ids.includes(item.id) && !delivered.includes(item.id));
                const end = next < 0 ? items.length : next;
                removeBehind(items, rng, Math.min(leave, end), end);
                insertBehind(items, rng, join, `j${changes}-`, Math.max(0, end - leave));
              }
              return vendor.fetchPage(request, signal);
            };
            const resumed = idsOf(await pagesOf(list(strategy(fetchPage), pageSize), cursor));
            expect(resumed.filter((id) => ids.includes(id))).toEqual(ids.slice(delivered.length));
            expect(duplicates(resumed)).toEqual([]);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('resumed from any cursor after more items left behind it: repeats, never loses (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: OVERLAP_ITEMS, max: 120 }),
        async (size, pageSize, seed, leave) => {
          const rng = createRng(seed);
          const ids = makeIds(size);
          await eachCursor(ids, pageSize, undefined, async (delivered, cursor) => {
            const items = toItems(ids);
            const removed = removeBehind(items, rng, leave, delivered.length);
            const resumed = idsOf(await pagesOf(list(strategy(fakeOffsetVendor(items, false).fetchPage), pageSize), cursor));
            expect(resumed.filter((id) => !delivered.includes(id))).toEqual(ids.slice(delivered.length));
            expect(resumed.every((id) => !removed.includes(id))).toBe(true);
            expect(duplicates(resumed)).toEqual([]);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the tail cursor yields the items appended later, even after the listed ones left (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 150 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.boolean(),
        async (size, after, pageSize, seed, all) => {
          const rng = createRng(seed);
          const items = toItems(makeIds(size));
          const vendor = fakeOffsetVendor(items, false);
          const listing = list(strategy(vendor.fetchPage), pageSize);
          const tail = (await pagesOf(listing)).at(-1)!.cursor;
          // Every listed item resumed, or some of them: fewer than the overlap, or more.
          const removed = removeBehind(items, rng, all ? items.length : rng.int(0, items.length));
          const added = makeIds(after, 'n');
          items.push(...toItems(added));
          const resumed = idsOf(await pagesOf(listing, tail));
          expect(resumed.filter((id) => id.startsWith('n'))).toEqual(added);
          if (all || removed.length < OVERLAP_ITEMS) expect(resumed).toEqual(added);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('a consumer that resumes most of the items, each page read by a new process from the cursor before: the tail cursor repeats none', async () => {
    // The keys a short page kept of the page before included those of items resumed since; they took
    // the places of listed items before the page, which the tail's re-read then took for new ones.
    const ids = makeIds(26);
    const kept = new Set([0, 2, 3, 4, 7, 8, 9, 21, 24].map((index) => ids[index]));
    const items = toItems(ids);
    const vendor = changingVendor(items, () => {});
    const listing = list(strategy(vendor.fetchPage), 3);
    const got: string[] = [];
    let cursor: string | undefined;
    for (let more = true; more; ) {
      const page = (await listing.byPage(cursor === undefined ? {} : { cursor })[Symbol.asyncIterator]().next()).value!;
      for (const item of page.items) {
        got.push(item.id);
        if (!kept.has(item.id)) items.splice(items.findIndex((candidate) => candidate.id === item.id), 1);
      }
      cursor = page.cursor;
      more = page.hasMore;
    }
    expect(got).toEqual(ids);
    expect(idsOf(await pagesOf(listing, cursor))).toEqual([]);
  });

  it('the tail cursor of a consumer that resumed more items than a page re-reads finds its position among the ones it kept: repeats none', async () => {
    // The re-read past the end of the shortened list lost the position; starting over from the first
    // item, the read delivered every kept item before the remembered ones found again.
    const ids = makeIds(27);
    const kept = new Set([0, 1, 3, 5, 6, 7, 10, 16, 17, 23].map((index) => ids[index]));
    const items = toItems(ids);
    const vendor = changingVendor(items, () => {});
    const listing = list(strategy(vendor.fetchPage, 4), 3);
    const got: string[] = [];
    let tail = '';
    for await (const page of listing.byPage()) {
      for (const item of page.items) {
        got.push(item.id);
        if (!kept.has(item.id)) items.splice(items.findIndex((candidate) => candidate.id === item.id), 1);
      }
      tail = page.cursor;
    }
    expect(got).toEqual(ids);
    expect(idsOf(await pagesOf(listing, tail))).toEqual([]);
    items.push(...toItems(makeIds(2, 'n')));
    expect(idsOf(await pagesOf(listing, tail))).toEqual(makeIds(2, 'n'));
  });

  it('a cursor issued before the overlap resumes at its offset', async () => {
    const ids = makeIds(30);
    const vendor = fakeOffsetVendor(toItems(ids), false);
    const old = encodeCursor({ provider: 'socotra', query: queryFingerprint({}), kind: 'offset' }, { o: 10, n: null });
    expect(idsOf(await pagesOf(list(strategy(vendor.fetchPage), 10), old))).toEqual(ids.slice(10));
  });

  it('a position lost where the page asked for maxLimit items already, or from the start, is looked for at offset 0 only', async () => {
    const events = toItems(makeIds(60));
    const vendor = fakeOffsetVendor(events, false);
    const listing = list(offsetStrategy<Item>({ fetchPage: vendor.fetchPage, key: (item) => item.id, maxLimit: 20 }), 10);
    const pages: Array<Page<Item>> = [];
    for await (const page of listing.byPage()) if (pages.push(page) === 2) break;
    // Every item the cursors remember leaves, and more: neither finds its position.
    events.splice(0, 25);
    const resumed = (cursor: string) => {
      const before = vendor.requests.length;
      return { pages: pagesOf(listing, cursor), requests: () => vendor.requests.slice(before, before + 2).map((r) => [r.offset, r.limit]) };
    };
    // At offset 20 the page asks 10 to 30: as wide as the vendor serves, no wider request is tried.
    const second = resumed(pages[1]!.cursor);
    const found = await second.pages;
    expect(idsOf(found)).toEqual(makeIds(35, 'e', 25));
    expect(second.requests()).toEqual([[10, 20], [0, 20]]);
    // The page read where the position was found again is no longer than the others.
    expect(found.map((page) => page.items.length)).toEqual([10, 10, 10, 5]);
    // At offset 10 the page reads from the start: what it holds is new, no second request.
    const first = resumed(pages[0]!.cursor);
    expect(idsOf(await first.pages)).toEqual(makeIds(35, 'e', 25));
    expect(first.requests()).toEqual([[0, 20], [10, 20]]);
  });

  it('never asks for more than `maxLimit` items, and a page at that size still moves on', async () => {
    const ids = makeIds(130);
    const vendor = fakeOffsetVendor(toItems(ids), false);
    const listing = list(offsetStrategy<Item>({ fetchPage: vendor.fetchPage, key: (item) => item.id, maxLimit: 40, concurrency: 3 }), 40);
    expect(idsOf(await pagesOf(listing))).toEqual(ids);
    expect(Math.max(...vendor.requests.map((r) => r.limit))).toBe(40);
    const error = (() => { try { offsetStrategy<Item>({ fetchPage: vendor.fetchPage, key: (item) => item.id, maxLimit: OVERLAP_ITEMS }); } catch (e) { return e; } })();
    expect(isConfigurationError(error) && error.option).toBe('maxLimit');
  });
});
