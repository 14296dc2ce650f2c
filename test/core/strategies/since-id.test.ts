import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimalIds, sinceIdStrategy, type SinceIdPage, type SinceIdRequest } from '../../../src/core/paginate/since-id.js';
import { isConfigurationError, isResponseValidationError } from '../../../src/core/errors.js';
import type { Paginated } from '../../../src/core/paginate/types.js';
import { checkDrainAndResume, drainResuming, flaky, idsOf, list, pagesOf, type Item } from './harness.js';

type Mode = 'bare' | 'meta-desc' | 'meta-asc';

interface VendorOptions {
  /** The most items the vendor serves per page, whatever is asked (a capping proxy). */
  cap?: number;
  /** Serves page 1 whatever `page` says. */
  ignorePage?: boolean;
  /** Serves every event whatever `until_id` says (it is honoured, inclusive, otherwise). */
  ignoreUntilId?: boolean;
  /** Runs before the vendor answers request `index` (from 0): events may arrive there. */
  before?: (index: number) => void;
}

/**
 * Tines-like. `bare`: the old API, a bare array of the first `per_page` events above `since_id`, in no
 * particular order. `meta-*`: the current API, `page`/`meta.next_page` inside one `since_id`, newest or
 * oldest first.
 */
function fakeTines(events: Item[], mode: Mode, options: VendorOptions = {}) {
  const requests: SinceIdRequest[] = [];
  const fetchPage = async (request: SinceIdRequest): Promise<SinceIdPage<Item>> => {
    options.before?.(requests.length);
    requests.push(request);
    const size = Math.min(request.pageSize, options.cap ?? Infinity);
    const untilId = options.ignoreUntilId ? undefined : request.untilId;
    const above = events.filter(
      (e) => (request.sinceId === undefined || BigInt(e.id) > BigInt(request.sinceId)) && (untilId === undefined || BigInt(e.id) <= BigInt(untilId)),
    );
    if (mode === 'bare') {
      const page = above.slice(0, size);
      return { items: [...page.slice(1), ...page.slice(0, 1)] };
    }
    const ordered = mode === 'meta-desc' ? [...above].reverse() : above;
    const asked = request.page ?? 1;
    const served = options.ignorePage ? 1 : asked;
    const items = ordered.slice((served - 1) * size, served * size);
    const more = served * size < ordered.length;
    return { items, nextPage: more ? asked + 1 : null };
  };
  return { fetchPage, requests };
}

/** Ids around and beyond 2^53, increasing with random gaps: exact only as strings. */
const idsFrom = (gaps: number[], start = 9_007_199_254_740_000n): string[] => {
  let current = start;
  return gaps.map((gap) => (current += BigInt(gap)).toString());
};

const gapsArb = fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 300, size: 'max' });
const modeArb = fc.constantFrom<Mode>('bare', 'meta-desc', 'meta-asc');
const id = (item: Item) => item.id;

/** Appends `count` events with ids above every existing one, as a vendor does when events arrive. */
function arrive(events: Item[], count: number): string[] {
  const added = idsFrom(Array.from({ length: count }, () => 1), BigInt(events.at(-1)?.id ?? '9007199254740000'));
  events.push(...added.map((i) => ({ id: i })));
  return added;
}

/**
 * Drains as a collector does: when a newest-first pass falls behind a burst of arrivals and the engine's
 * empty-page guard stops it, resume from the last cursor. Checks that each page is in ascending order.
 */
async function drainThroughStops(listing: Paginated<Item>, from?: string): Promise<{ ids: string[]; cursor: string | undefined }> {
  const ids: string[] = [];
  let cursor = from;
  for (let stops = 0; stops <= 50; stops++) {
    try {
      for await (const page of listing.byPage(cursor === undefined ? {} : { cursor })) {
        const pageIds = page.items.map(id);
        expect(pageIds).toEqual([...pageIds].sort(compareDecimalIds));
        ids.push(...pageIds);
        cursor = page.cursor;
      }
      return { ids, cursor };
    } catch (error) {
      if (!isResponseValidationError(error) || !error.issues.some((issue) => issue.includes('brought no new item'))) throw error;
    }
  }
  throw new Error('the listing never caught up');
}

describe('sinceIdStrategy', () => {
  it('drains every event once in id order and resumes from every page cursor (property)', async () => {
    await fc.assert(
      fc.asyncProperty(gapsArb, fc.integer({ min: 1, max: 50 }), modeArb, async (gaps, pageSize, mode) => {
        const ids = idsFrom(gaps);
        const vendor = fakeTines(ids.map((i) => ({ id: i })), mode);
        const pages = await pagesOf(list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id }), pageSize));
        // Each page is in ascending id order, and nothing is lost or repeated.
        for (const page of pages) expect(page.items.map(id)).toEqual([...page.items.map(id)].sort(compareDecimalIds));
        expect([...idsOf(pages)].sort(compareDecimalIds)).toEqual(ids);
        if (mode !== 'meta-desc') await checkDrainAndResume(list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id }), pageSize), ids);
        else {
          const expected = idsOf(pages);
          await checkDrainAndResume(list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id }), pageSize), expected);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('ids given as numbers, as strings or both, across 10^15 where numbers give way to strings: the same listing (property)', async () => {
    // Number ids compare as numbers below 10^15 and as decimal strings from there; every form of one
    // value must compare, dedupe and resume alike.
    const forms = fc.constantFrom<'number' | 'string' | 'mixed'>('number', 'string', 'mixed');
    await fc.assert(
      fc.asyncProperty(gapsArb, fc.integer({ min: 1, max: 40 }), modeArb, forms, async (gaps, pageSize, mode, form) => {
        const ids = idsFrom(gaps, 999_999_999_999_850n);
        const vendor = fakeTines(ids.map((i) => ({ id: i })), mode);
        const asGiven = (item: Item): number | string =>
          form === 'string' || (form === 'mixed' && Number(item.id.at(-1)) % 2 === 0) ? item.id : Number(item.id);
        const pages = await pagesOf(list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id: asGiven }), pageSize));
        for (const page of pages) expect(page.items.map(id)).toEqual([...page.items.map(id)].sort(compareDecimalIds));
        expect([...idsOf(pages)].sort(compareDecimalIds)).toEqual(ids);
        const expected = mode === 'meta-desc' ? idsOf(pages) : ids;
        await checkDrainAndResume(list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id: asGiven }), pageSize), expected);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a number id that is negative, fractional or beyond 2^53', async () => {
    for (const bad of [-1, 1.5, 2 ** 53 + 2]) {
      const fetchPage = async (): Promise<SinceIdPage<Item>> => ({ items: [{ id: 'x' }] });
      const error = await pagesOf(list(sinceIdStrategy({ fetchPage, id: () => bad }), 2)).catch((e: unknown) => e);
      expect(isResponseValidationError(error), String(bad)).toBe(true);
    }
  });

  it('with transient failures, resuming from the last cursor yields everything once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(gapsArb, fc.integer({ min: 1, max: 50 }), modeArb, fc.double({ min: 0, max: 0.4, noNaN: true }), async (gaps, pageSize, mode, rate) => {
        const ids = idsFrom(gaps);
        const vendor = fakeTines(ids.map((i) => ({ id: i })), mode);
        const fetchPage = flaky(vendor.fetchPage, () => Math.random() < rate);
        const { ids: got } = await drainResuming(list(sinceIdStrategy({ fetchPage, id }), pageSize));
        expect([...got].sort(compareDecimalIds)).toEqual(ids);
        expect(new Set(got).size).toBe(got.length);
      }),
      { numRuns: 60 },
    );
  });

  it('the tail cursor yields exactly the events created later (property)', async () => {
    await fc.assert(
      fc.asyncProperty(gapsArb, fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 100, size: 'max' }), fc.integer({ min: 1, max: 50 }), modeArb, async (before, after, pageSize, mode) => {
        const ids = idsFrom(before);
        const events = ids.map((i) => ({ id: i }));
        const vendor = fakeTines(events, mode);
        const listing = list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id }), pageSize);
        const tail = (await pagesOf(listing)).at(-1)!.cursor;
        const added = idsFrom(after, BigInt(ids.at(-1) ?? '9007199254740000'));
        events.push(...added.map((i) => ({ id: i })));
        expect([...idsOf(await pagesOf(listing, tail))].sort(compareDecimalIds)).toEqual(added);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps ids beyond 2^53 exact and starts after sinceId', async () => {
    const ids = ['9007199254740993', '9007199254740994', '9007199254740995'];
    const vendor = fakeTines(ids.map((i) => ({ id: i })), 'bare');
    const got = idsOf(await pagesOf(list(sinceIdStrategy({ sinceId: '9007199254740993', fetchPage: vendor.fetchPage, id }), 10)));
    expect(got).toEqual(['9007199254740994', '9007199254740995']);
    expect(vendor.requests[0]).toMatchObject({ sinceId: '9007199254740993', page: undefined });
  });

  it('does not trust meta: a page shorter than the listing has been served ends it, next page announced or not', async () => {
    const requests: SinceIdRequest[] = [];
    const fetchPage = async (request: SinceIdRequest): Promise<SinceIdPage<Item>> => {
      requests.push(request);
      return request.page === undefined ? { items: [{ id: '9' }, { id: '8' }, { id: '7' }], nextPage: 2 } : { items: [{ id: '5' }], nextPage: 3 };
    };
    expect(idsOf(await pagesOf(list(sinceIdStrategy({ fetchPage, id }), 3)))).toEqual(['7', '8', '9', '5']);
    expect(requests.map((r) => r.page)).toEqual([undefined, 2]);
  });

  it('ends cleanly when the vendor ignores since_id (no id above the bound)', async () => {
    const fetchPage = async (): Promise<SinceIdPage<Item>> => ({ items: [{ id: '1' }, { id: '2' }], nextPage: null });
    const listing = list(sinceIdStrategy({ fetchPage, id }), 2);
    const tail = (await pagesOf(listing)).at(-1)!.cursor;
    const again = await pagesOf(listing, tail);
    expect(idsOf(again)).toEqual([]);
    expect(again).toHaveLength(1);
  });

  it('ends a newest-first pass at a page that reaches below its bound, from a vendor that ignores since_id', async () => {
    const events = Array.from({ length: 6 }, (_, i) => ({ id: String(i + 1) }));
    const requests: SinceIdRequest[] = [];
    const fetchPage = async (request: SinceIdRequest): Promise<SinceIdPage<Item>> => {
      requests.push(request);
      const newest = [...events].reverse();
      const page = request.page ?? 1;
      return { items: newest.slice((page - 1) * 2, page * 2), nextPage: page * 2 < newest.length ? page + 1 : null };
    };
    const listing = list(sinceIdStrategy({ fetchPage, id, sinceId: '3' }), 2);
    const pages = await pagesOf(listing);
    expect(idsOf(pages)).toEqual(['5', '6', '4']);
    // The first page holds 6 and 5, the second 4 and 3, at the bound: nothing further is asked.
    expect(requests.map((r) => [r.sinceId, r.page])).toEqual([['3', undefined], ['3', 2]]);
  });

  it.each([
    ['oldest first', ['1', '2']],
    ['newest first', ['2', '1']],
  ])('a next_page that does not move forward is not followed, %s', async (_order, served) => {
    const requests: SinceIdRequest[] = [];
    const fetchPage = async (request: SinceIdRequest): Promise<SinceIdPage<Item>> => {
      requests.push(request);
      if (request.sinceId === '2') return { items: [] };
      return { items: served.map((itemId) => ({ id: itemId })), nextPage: 1 };
    };
    expect(idsOf(await pagesOf(list(sinceIdStrategy({ fetchPage, id }), 2)))).toEqual(['1', '2']);
    expect(requests.map((r) => [r.sinceId, r.page])).toEqual([[undefined, undefined], ['2', undefined]]);
  });

  it('refuses a non-numeric id and a non-numeric sinceId', async () => {
    const fetchPage = async (): Promise<SinceIdPage<Item>> => ({ items: [{ id: '12a' }] });
    expect(isResponseValidationError(await pagesOf(list(sinceIdStrategy({ fetchPage, id }), 2)).catch((e: unknown) => e))).toBe(true);
    expect(isConfigurationError((() => { try { sinceIdStrategy({ sinceId: '1e9', fetchPage, id }); } catch (e) { return e; } })())).toBe(true);
  });

  it('newest first: loses nothing when more than a page arrives between two requests of a pass (regression)', async () => {
    const events: Item[] = [{ id: '1' }, { id: '2' }];
    const vendor = fakeTines(events, 'meta-desc', { before: (index) => void (index === 1 && arrive(events, 3)) });
    const pages = await pagesOf(list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id }), 1));
    const got = idsOf(pages);
    // The first pass delivers what was there when it started; the next pass, from 2, the arrivals.
    expect(got).toEqual(['2', '1', '5', '4', '3']);
    expect(pages.at(-1)?.hasMore).toBe(false);
  });

  it('delivers every event once with up to three pages arriving before any request, in every mode (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        gapsArb,
        fc.integer({ min: 1, max: 20 }),
        modeArb,
        fc.boolean(),
        fc.array(fc.nat({ max: 100 }), { maxLength: 15 }),
        fc.option(fc.integer({ min: 2, max: 10 }), { nil: undefined }),
        async (gaps, pageSize, mode, ignorePage, arrivals, cap) => {
          const events = idsFrom(gaps).map((i) => ({ id: i }));
          let arriving = true;
          const vendor = fakeTines(events, mode, {
            // Newest first, a vendor ignoring `page` is read by `until_id`; the old API has neither.
            ignorePage: ignorePage && mode !== 'bare',
            // A proxy capping `per_page` below the size asked (the old API has no pages to say so).
            ...(cap === undefined || mode === 'bare' ? {} : { cap }),
            before: (index) => void (arriving && arrive(events, (arrivals[index] ?? 0) % (3 * pageSize + 1))),
          });
          const listing = list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id, untilIdFilter: true }), pageSize);
          const drained = await drainThroughStops(listing);
          arriving = false;
          const late = await drainThroughStops(listing, drained.cursor);
          const got = [...drained.ids, ...late.ids];
          expect(new Set(got).size).toBe(got.length);
          expect([...got].sort(compareDecimalIds)).toEqual(events.map(id));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('newest first, a vendor that ignores page: read on downwards by until_id, arrivals left to the next pass', async () => {
    const events = idsFrom(Array.from({ length: 10 }, () => 1)).map((i) => ({ id: i }));
    const all = events.map(id);
    // Two events arrive while the pass reads downwards: they belong to the next pass, once.
    const vendor = fakeTines(events, 'meta-desc', { ignorePage: true, before: (index) => index === 4 && arrive(events, 2) });
    const listing = list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id, untilIdFilter: true }), 3);
    const pages = await pagesOf(listing);
    expect([...idsOf(pages)].sort(compareDecimalIds)).toEqual(all);
    // The first page, the same page again as page 2 (nothing new: the order is known), then below it.
    expect(vendor.requests.slice(0, 3).map((r) => [r.page, r.untilId])).toEqual([
      [undefined, undefined],
      [2, undefined],
      [undefined, (BigInt(all[7] as string) - 1n).toString()],
    ]);
    expect(idsOf(await pagesOf(listing, pages.at(-1)?.cursor))).toEqual(events.slice(-2).map(id));
    // Every page's cursor resumes with nothing lost and nothing repeated.
    const fresh = list(sinceIdStrategy({ fetchPage: fakeTines(events.slice(0, 10), 'meta-desc', { ignorePage: true }).fetchPage, id, untilIdFilter: true }), 3);
    const order = idsOf(await pagesOf(fresh));
    expect([...order].sort(compareDecimalIds)).toEqual(all);
    await checkDrainAndResume(fresh, order);
  });

  it('newest first with until_id, arrivals faster than a page per request do not stall the pass', async () => {
    const events = idsFrom(Array.from({ length: 30 }, () => 1)).map((i) => ({ id: i }));
    const original = events.map(id);
    // Five arrive before each of 60 requests: `page` alone would never reach below the arrivals.
    const vendor = fakeTines(events, 'meta-desc', { before: (index) => void (index >= 1 && index <= 60 && arrive(events, 5)) });
    const got = idsOf(await pagesOf(list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id, untilIdFilter: true }), 3)));
    expect(got).toEqual(expect.arrayContaining(original));
    expect(new Set(got).size).toBe(got.length);
  });

  it('newest first, a vendor that ignores page and caps per_page: the descent reads on over its capped pages', async () => {
    const events = idsFrom(Array.from({ length: 9 }, () => 1)).map((i) => ({ id: i }));
    const vendor = fakeTines(events, 'meta-desc', { ignorePage: true, cap: 2 });
    const got = idsOf(await pagesOf(list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id, untilIdFilter: true }), 3)));
    expect([...got].sort(compareDecimalIds)).toEqual(events.map(id));
    expect(new Set(got).size).toBe(got.length);
  });

  it('newest first, a vendor that ignores page and has no until_id, or ignores it too: a typed error, not a silent end', async () => {
    const events = idsFrom(Array.from({ length: 10 }, () => 1)).map((i) => ({ id: i }));
    const without = fakeTines(events, 'meta-desc', { ignorePage: true });
    const refused = await list(sinceIdStrategy({ fetchPage: without.fetchPage, id }), 3).toArray().catch((error: unknown) => error);
    expect(isResponseValidationError(refused) && refused.message).toMatch(/whatever `page` asks.*below id/);
    const ignoring = fakeTines(events, 'meta-desc', { ignorePage: true, ignoreUntilId: true });
    const stuck = await list(sinceIdStrategy({ fetchPage: ignoring.fetchPage, id, untilIdFilter: true }), 3).toArray().catch((error: unknown) => error);
    expect(isResponseValidationError(stuck)).toBe(true);
    expect(ignoring.requests.length).toBeLessThan(8);
  });

  it('newest first, a vendor that ignores page and has no until_id, its first page filled by arrivals: the typed error at once, not pages of nothing', async () => {
    const events = idsFrom(Array.from({ length: 10 }, () => 1)).map((i) => ({ id: i }));
    // Page 2, served as the first page, shows only the three events that arrived after page 1.
    const vendor = fakeTines(events, 'meta-desc', { ignorePage: true, before: (index) => void (index === 1 && arrive(events, 3)) });
    const refused = await list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id }), 3).toArray().catch((error: unknown) => error);
    expect(isResponseValidationError(refused) && refused.message).toMatch(/whatever `page` asks.*below id/);
    // Page 1, page 2, and the probe of the first page that tells it.
    expect(vendor.requests).toHaveLength(3);
  });

  it('newest first, a vendor that ignores page and has no until_id: a tail whose first page reaches down to the largest id delivered before ends there', async () => {
    const events = [{ id: '1' }, { id: '2' }];
    const vendor = fakeTines(events, 'meta-desc', { ignorePage: true });
    const listing = list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id, createdAt: () => 0 }), 3);
    const tail = (await pagesOf(listing)).at(-1)?.cursor;
    events.push({ id: '3' }, { id: '4' });
    // The first page holds 4, 3 and 2, the largest id the listing before delivered: below it are only
    // its overlap's ids and events visible late, so the pass ends rather than fail.
    expect(idsOf(await pagesOf(listing, tail))).toEqual(['3', '4']);
  });

  it.each([1, 3])('oldest first, a vendor that ignores page: everything once, moving on by since_id (pageSize %i)', async (pageSize) => {
    const ids = idsFrom(Array.from({ length: 7 }, () => 2));
    const vendor = fakeTines(ids.map((i) => ({ id: i })), 'meta-asc', { ignorePage: true });
    expect(idsOf(await pagesOf(list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id }), pageSize)))).toEqual(ids);
    // One-item pages do not show the order: one inner page and a probe of two items learn it, once.
    expect(vendor.requests.filter((r) => r.page !== undefined)).toHaveLength(pageSize === 1 ? 1 : 0);
    expect(vendor.requests.filter((r) => r.pageSize !== pageSize)).toHaveLength(pageSize === 1 ? 1 : 0);
  });

  it('newest first at one item a page: the order shown by a new id on page 2 spares the probe when an arrival repeats an id on page 3', async () => {
    const events = [{ id: '1' }, { id: '2' }, { id: '3' }];
    const vendor = fakeTines(events, 'meta-desc', { before: (index) => void (index === 2 && arrive(events, 1)) });
    const got = idsOf(await pagesOf(list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id }), 1)));
    expect(got).toEqual(['3', '2', '1', '4']);
    // Page 2 held 2, below 3: only a newest-first vendor serves that. Page 3 holds 2 again, pushed down
    // by 4, and the listing reads on to page 4 without asking the first page again for the order.
    expect(vendor.requests.map((r) => [r.sinceId, r.page, r.pageSize])).toEqual([
      [undefined, undefined, 1],
      [undefined, 2, 1],
      [undefined, 3, 1],
      [undefined, 4, 1],
      ['3', undefined, 1],
      ['4', undefined, 1],
    ]);
  });

  it.each<[Mode, number]>([
    ['meta-desc', 6],
    ['meta-asc', 6],
  ])('%s, a vendor capping per_page below the size asked: everything once, in %i requests', async (mode, requests) => {
    const ids = idsFrom(Array.from({ length: 23 }, () => 3));
    const vendor = fakeTines(ids.map((i) => ({ id: i })), mode, { cap: 4 });
    const got = idsOf(await pagesOf(list(sinceIdStrategy({ fetchPage: vendor.fetchPage, id }), 10)));
    expect([...got].sort(compareDecimalIds)).toEqual(ids);
    expect(new Set(got).size).toBe(got.length);
    expect(vendor.requests).toHaveLength(requests);
  });

  it('reads past a short first page only while the vendor offers more and no larger page was served', async () => {
    const requests: SinceIdRequest[] = [];
    let served = [{ id: '13' }, { id: '12' }, { id: '11' }];
    // A bare-array vendor: no meta, so a next inner page is always on offer.
    const fetchPage = async (request: SinceIdRequest): Promise<SinceIdPage<Item>> => {
      requests.push(request);
      const above = served.filter((item) => request.sinceId === undefined || compareDecimalIds(item.id, request.sinceId) > 0);
      return { items: request.page === undefined ? above : [], nextPage: (request.page ?? 1) + 1 };
    };
    const listing = list(sinceIdStrategy({ fetchPage, id }), 10);
    const pages = await pagesOf(listing);
    expect(idsOf(pages)).toEqual(['11', '12', '13']);
    expect(requests.map((r) => [r.sinceId, r.page])).toEqual([[undefined, undefined], [undefined, 2]]);
    served = [...served, { id: '15' }, { id: '14' }];
    requests.length = 0;
    // Two items against the three already served: short, one request.
    const second = await pagesOf(listing, pages.at(-1)?.cursor);
    expect(idsOf(second)).toEqual(['14', '15']);
    expect(requests.map((r) => [r.sinceId, r.page])).toEqual([['13', undefined]]);
    served = [...served, { id: '17' }, { id: '16' }];
    requests.length = 0;
    // Two again: short of the largest page served, three, which the last one's two does not replace.
    expect(idsOf(await pagesOf(listing, second.at(-1)?.cursor))).toEqual(['16', '17']);
    expect(requests.map((r) => [r.sinceId, r.page])).toEqual([['15', undefined]]);
  });

  it('accepts cursor states written before the order and page size were kept, and refuses inconsistent ones', () => {
    const strategy = sinceIdStrategy({ fetchPage: async () => ({ items: [] }), id });
    expect(strategy.validate({ s: '5', p: 2, lo: '7', hi: '9' })).toEqual({ s: '5', p: 2, lo: '7', hi: '9', o: null, m: null });
    expect(strategy.validate({ s: '6', p: 2, lo: '7', hi: '7' })).toEqual({ s: '6', p: 2, lo: '7', hi: '7', o: null, m: null });
    const refused = [
      { s: '5', p: 2, lo: null, hi: '9' },
      { s: '5', p: null, lo: '7', hi: '9' },
      { s: '8', p: 2, lo: '7', hi: '9' },
      // The bound is exclusive: the smallest id delivered lies above it.
      { s: '7', p: 2, lo: '7', hi: '9' },
      { s: '5', p: 2, lo: '9', hi: '7' },
      { s: null, p: null, lo: null, hi: null, o: 'up', m: null },
      { s: null, p: null, lo: null, hi: null, o: null, m: 0 },
    ];
    for (const state of refused) expect(() => strategy.validate(state), JSON.stringify(state)).toThrow();
  });
});
