/**
 * Resuming a since-id listing with another `pageSize` than the one its cursor was written with: inner
 * page `p` means an offset only at the page size it was counted in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimalIds, sinceIdStrategy, type SinceIdPage, type SinceIdRequest } from '../../../src/core/paginate/since-id.js';
import { idsOf, list, pagesOf, type Item } from './harness.js';

/** The current Tines API, newest or oldest first: `page`/`nextPage` inside one `since_id`. */
function fakeTines(events: readonly Item[], order: 'desc' | 'asc') {
  const requests: SinceIdRequest[] = [];
  const fetchPage = async (request: SinceIdRequest): Promise<SinceIdPage<Item>> => {
    requests.push(request);
    const above = events.filter((e) => request.sinceId === undefined || BigInt(e.id) > BigInt(request.sinceId));
    const ordered = order === 'desc' ? [...above].reverse() : above;
    const page = request.page ?? 1;
    const items = ordered.slice((page - 1) * request.pageSize, page * request.pageSize);
    return { items, nextPage: page * request.pageSize < ordered.length ? page + 1 : null };
  };
  return { fetchPage, requests };
}

const id = (item: Item) => item.id;
const eventsOf = (count: number): Item[] => Array.from({ length: count }, (_, i) => ({ id: String(1000 + i) }));

describe('sinceIdStrategy resumed with another pageSize', () => {
  it('loses and repeats nothing, whatever the sizes before and after the cursor (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom<'desc' | 'asc'>('desc', 'asc'),
        async (count, before, after, taken, order) => {
          const events = eventsOf(count);
          const vendor = fakeTines(events, order);
          const strategy = sinceIdStrategy({ fetchPage: vendor.fetchPage, id });
          const first = (await pagesOf(list(strategy, before))).slice(0, taken);
          const rest = await pagesOf(list(strategy, after), first.at(-1)?.cursor);
          const all = [...idsOf(first), ...idsOf(rest)];
          expect([...all].sort(compareDecimalIds)).toEqual(events.map(id));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finishes the pass at the size it started with, and starts the next pass at the new size', async () => {
    const events = eventsOf(25);
    const vendor = fakeTines(events, 'desc');
    const strategy = sinceIdStrategy({ fetchPage: vendor.fetchPage, id });
    const [first] = await pagesOf(list(strategy, 10));
    vendor.requests.length = 0;
    events.push(...eventsOf(30).slice(25));
    const rest = await pagesOf(list(strategy, 20), first?.cursor);
    expect(vendor.requests.map((r) => [r.sinceId, r.page, r.pageSize])).toEqual([
      [undefined, 2, 10],
      [undefined, 3, 10],
      ['1024', undefined, 20],
    ]);
    expect([...idsOf([first!]), ...idsOf(rest)].sort(compareDecimalIds)).toEqual(events.map(id));
  });

  it('reads a mid-pass cursor state written without the pass size at the size asked', () => {
    const strategy = sinceIdStrategy({ fetchPage: async () => ({ items: [] }), id });
    expect(strategy.validate({ s: null, p: 2, lo: '7', hi: '9', o: 'd', m: 10 })).toEqual({ s: null, p: 2, lo: '7', hi: '9', o: 'd', m: 10 });
    expect(strategy.validate({ s: null, p: 2, lo: '7', hi: '9', o: 'd', m: 10, n: 10 })).toMatchObject({ n: 10 });
    for (const state of [
      { s: null, p: null, lo: null, hi: null, o: 'd', m: 10, n: 10 },
      { s: null, p: 2, lo: '7', hi: '9', o: 'd', m: 10, n: 0 },
    ]) {
      expect(() => strategy.validate(state), JSON.stringify(state)).toThrow();
    }
  });
});
