import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimalIds, sinceIdStrategy, type SinceIdPage, type SinceIdRequest } from '../../../src/core/paginate/since-id.js';
import { isConfigurationError, isResponseValidationError } from '../../../src/core/errors.js';
import { checkDrainAndResume, drainResuming, flaky, idsOf, list, pagesOf, type Item } from './harness.js';

type Mode = 'bare' | 'meta-desc' | 'meta-asc';

/**
 * Tines-like. `bare`: the old API, a bare array of the first `per_page` events above `since_id`, in no
 * particular order. `meta-*`: the current API, `page`/`meta.next_page` inside one `since_id`, newest or
 * oldest first.
 */
function fakeTines(events: Item[], mode: Mode) {
  const requests: SinceIdRequest[] = [];
  const fetchPage = async (request: SinceIdRequest): Promise<SinceIdPage<Item>> => {
    requests.push(request);
    const above = events.filter((e) => request.sinceId === undefined || BigInt(e.id) > BigInt(request.sinceId));
    if (mode === 'bare') {
      const page = above.slice(0, request.pageSize);
      return { items: [...page.slice(1), ...page.slice(0, 1)] };
    }
    const ordered = mode === 'meta-desc' ? [...above].reverse() : above;
    const number = request.page ?? 1;
    const items = ordered.slice((number - 1) * request.pageSize, number * request.pageSize);
    const more = number * request.pageSize < ordered.length;
    return { items, nextPage: more ? number + 1 : null };
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

  it('does not trust meta: a short page ends the listing even with a next page announced', async () => {
    let calls = 0;
    const fetchPage = async (): Promise<SinceIdPage<Item>> => {
      calls++;
      return { items: [{ id: '5' }], nextPage: 2 };
    };
    const pages = await pagesOf(list(sinceIdStrategy({ fetchPage, id }), 10));
    expect(calls).toBe(1);
    expect(pages).toHaveLength(1);
  });

  it('ends cleanly when the vendor ignores since_id (no id above the bound)', async () => {
    const fetchPage = async (): Promise<SinceIdPage<Item>> => ({ items: [{ id: '1' }, { id: '2' }], nextPage: null });
    const listing = list(sinceIdStrategy({ fetchPage, id }), 2);
    const tail = (await pagesOf(listing)).at(-1)!.cursor;
    const again = await pagesOf(listing, tail);
    expect(idsOf(again)).toEqual([]);
    expect(again).toHaveLength(1);
  });

  it('a next_page that does not move forward is not followed', async () => {
    const requests: SinceIdRequest[] = [];
    const fetchPage = async (request: SinceIdRequest): Promise<SinceIdPage<Item>> => {
      requests.push(request);
      if (request.sinceId === '2') return { items: [] };
      return { items: [{ id: '1' }, { id: '2' }], nextPage: 1 };
    };
    expect(idsOf(await pagesOf(list(sinceIdStrategy({ fetchPage, id }), 2)))).toEqual(['1', '2']);
    expect(requests.map((r) => [r.sinceId, r.page])).toEqual([[undefined, undefined], ['2', undefined]]);
  });

  it('refuses a non-numeric id and a non-numeric sinceId', async () => {
    const fetchPage = async (): Promise<SinceIdPage<Item>> => ({ items: [{ id: '12a' }] });
    expect(isResponseValidationError(await pagesOf(list(sinceIdStrategy({ fetchPage, id }), 2)).catch((e: unknown) => e))).toBe(true);
    expect(isConfigurationError((() => { try { sinceIdStrategy({ sinceId: '1e9', fetchPage, id }); } catch (e) { return e; } })())).toBe(true);
  });
});
