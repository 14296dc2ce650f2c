import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenStrategy, type TokenPage } from '../../../src/core/paginate/token.js';
import { isResponseValidationError } from '../../../src/core/errors.js';
import { decodeCursor, queryFingerprint } from '../../../src/core/cursor.js';
import { idKey } from '../../../src/core/dedupe.js';
import type { Page } from '../../../src/core/paginate/types.js';
import { checkDrainAndResume, drainResuming, flaky, list, makeIds, pagesOf, idsOf, type Item } from './harness.js';

/**
 * Socotra-like: the token is the position after the page, sent on every page including the empty last
 * one; tokens never expire, so the last token later yields what was appended since.
 */
function fakeSocotra(events: Item[], overlap = 0) {
  const calls: Array<string | undefined> = [];
  const fetchPage = async (token: string | undefined, pageSize: number): Promise<TokenPage<Item>> => {
    calls.push(token);
    const position = token === undefined ? 0 : Number.parseInt(token.slice(4), 36);
    // A vendor that sends the last `overlap` events of the previous page again when there is more.
    const start = position < events.length ? Math.max(0, position - overlap) : position;
    const items = events.slice(start, start + pageSize);
    const end = start + items.length;
    return { items, token: `tok_${end.toString(36)}` };
  };
  return { fetchPage, calls };
}

const toItems = (ids: string[]): Item[] => ids.map((id) => ({ id }));
const id = (item: Item) => item.id;

/**
 * A vendor serving `events` two at a time from the offset its token holds, the next token as `next`
 * says (none where a vendor leaves it out); `calls` are the tokens asked for.
 */
function pagesOfTwo(events: Item[], next: (start: number, items: Item[]) => string | undefined) {
  const calls: Array<string | undefined> = [];
  const fetchPage = async (token: string | undefined): Promise<TokenPage<Item>> => {
    calls.push(token);
    const start = token === undefined ? 0 : Number(token);
    const items = events.slice(start, start + 2);
    return { items, token: next(start, items) };
  };
  return { fetchPage, calls };
}

describe('tokenStrategy', () => {
  it('drains every event once and resumes from every page cursor (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 3 }), async (size, pageSize, overlap) => {
        const ids = makeIds(size);
        const vendor = fakeSocotra(toItems(ids), Math.min(overlap, pageSize - 1));
        await checkDrainAndResume(list(tokenStrategy({ fetchPage: vendor.fetchPage, id }), pageSize), ids);
      }),
      { numRuns: 30 },
    );
  });

  it('with ids long enough to be fingerprinted, drains once and resumes from every cursor (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 5, max: 60 }),
        async (size, pageSize, overlap, dedupeWindow) => {
          // ULID-sized ids: a resumed listing checks the next page against the fingerprints in its cursor.
          const ids = makeIds(size, '01JDXQ4K8W3M5Z0000000');
          const vendor = fakeSocotra(toItems(ids), Math.min(overlap, pageSize - 1));
          await checkDrainAndResume(list(tokenStrategy({ fetchPage: vendor.fetchPage, id, dedupeWindow }), pageSize), ids);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("a cursor's state holds the fingerprints of the last dedupeWindow delivered ids", async () => {
    const ids = makeIds(23, '01JDXQ4K8W3M5Z0000000');
    const vendor = fakeSocotra(toItems(ids));
    const pages = await pagesOf(list(tokenStrategy({ fetchPage: vendor.fetchPage, id, dedupeWindow: 8 }), 5));
    const binding = { provider: 'socotra' as const, query: queryFingerprint({}), kind: 'token' as const };
    const stateAt = (page: number) => decodeCursor(pages[page]!.cursor, binding, (state) => state as { t: string; d: string[] });
    expect(stateAt(0).d).toEqual(ids.slice(0, 5).map(idKey));
    expect(stateAt(2).d).toEqual(ids.slice(7, 15).map(idKey));
    expect(stateAt(2).d[0]).toMatch(/^#[0-9a-f]{16}$/);
    // The empty last page keeps what the page before remembered.
    expect(stateAt(pages.length - 1)).toEqual({ t: 'tok_n', d: ids.slice(15).map(idKey) });
  });

  it('with transient failures, resuming from the last cursor still yields everything once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 50 }), fc.infiniteStream(fc.boolean()), async (size, pageSize, coin) => {
        const ids = makeIds(size);
        const vendor = fakeSocotra(toItems(ids));
        const next = coin[Symbol.iterator]();
        const fetchPage = flaky(vendor.fetchPage, () => next.next().value === true && Math.random() < 0.5);
        const { ids: got } = await drainResuming(list(tokenStrategy({ fetchPage, id }), pageSize));
        expect(got).toEqual(ids);
      }),
      { numRuns: 60 },
    );
  });

  it('the tail cursor yields exactly the events appended later (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 50 }), async (before, after, pageSize) => {
        const events = toItems(makeIds(before));
        const vendor = fakeSocotra(events);
        const listing = list(tokenStrategy({ fetchPage: vendor.fetchPage, id }), pageSize);
        const pages = await pagesOf(listing);
        const tail = pages.at(-1)!.cursor;
        const added = makeIds(after, 'n');
        events.push(...toItems(added));
        expect(idsOf(await pagesOf(listing, tail))).toEqual(added);
      }),
      { numRuns: 60 },
    );
  });

  it('an empty stream is one empty last page with a tail cursor', async () => {
    const vendor = fakeSocotra([]);
    const pages = await pagesOf(list(tokenStrategy({ fetchPage: vendor.fetchPage, id }), 10));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ items: [], hasMore: false });
    expect(pages[0]!.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('an empty last page without a token keeps the token before it: the tail yields only what came since', async () => {
    const events = toItems(makeIds(5));
    const { fetchPage, calls } = pagesOfTwo(events, (start, items) => (items.length === 0 ? undefined : String(start + items.length)));
    const listing = list(tokenStrategy({ fetchPage, id }), 2);
    const pages = await pagesOf(listing);
    expect(idsOf(pages)).toEqual(makeIds(5));
    events.push({ id: 'late' });
    const before = calls.length;
    expect(idsOf(await pagesOf(listing, pages.at(-1)!.cursor))).toEqual(['late']);
    // From the last token, not the start of the stream again.
    expect(calls.slice(before)).toEqual(['5', '6']);
  });

  it('a page with events but no token ends the listing; its tail resumes from the token before it', async () => {
    const events = toItems(makeIds(5));
    const { fetchPage, calls } = pagesOfTwo(events, (start, items) => (start + items.length >= events.length ? undefined : String(start + items.length)));
    const listing = list(tokenStrategy({ fetchPage, id }), 2);
    const pages = await pagesOf(listing);
    expect(pages.map((page) => [page.items.length, page.hasMore])).toEqual([[2, true], [2, true], [1, false]]);
    events.push({ id: 'late' });
    const before = calls.length;
    expect(idsOf(await pagesOf(listing, pages.at(-1)!.cursor))).toEqual(['late']);
    expect(calls.slice(before)).toEqual(['4']);
  });

  it.each([1, 100])('a token that comes back with a new event each time is progress, remembering %i ids', async (dedupeWindow) => {
    let n = 0;
    const fetchPage = async (): Promise<TokenPage<Item>> => (n < 4 ? { items: [{ id: `e${n++}` }], token: 'same' } : { items: [], token: 'same' });
    const ids = idsOf(await pagesOf(list(tokenStrategy({ fetchPage, id, dedupeWindow }), 1)));
    expect(ids).toEqual(['e0', 'e1', 'e2', 'e3']);
  });

  it('an empty last page with a token of its own: the tail resumes from that token, the newest the vendor gave', async () => {
    const pages: Array<TokenPage<Item>> = [
      { items: toItems(['a', 'b']), token: 't1' },
      { items: [], token: 't2' },
    ];
    const calls: Array<string | undefined> = [];
    const fetchPage = async (token: string | undefined): Promise<TokenPage<Item>> => {
      calls.push(token);
      return pages[calls.length - 1] ?? { items: [], token: 't2' };
    };
    const listing = list(tokenStrategy({ fetchPage, id }), 2);
    const tail = (await pagesOf(listing)).at(-1)!.cursor;
    await pagesOf(listing, tail);
    expect(calls).toEqual([undefined, 't1', 't2']);
  });

  it('by default an event sent again after 99 newer ones is still dropped', async () => {
    const first = makeIds(100);
    const pages: Array<TokenPage<Item>> = [
      { items: toItems(first), token: 't1' },
      { items: toItems([first[0]!, 'new']), token: 't2' },
      { items: [], token: 't2' },
    ];
    let call = 0;
    const fetchPage = async (): Promise<TokenPage<Item>> => pages[call++] as TokenPage<Item>;
    expect(idsOf(await pagesOf(list(tokenStrategy({ fetchPage, id }), 100)))).toEqual([...first, 'new']);
  });

  it('resumed again and again, a cursor remembers the newest dedupeWindow ids, never more', async () => {
    // Each listing resumes from the cursor of the one before, one page each: `d` is dropped the third time.
    const served: Array<TokenPage<Item>> = [
      { items: toItems(['a', 'b', 'c']), token: 't1' },
      { items: toItems(['d']), token: 't2' },
      { items: toItems(['e']), token: 't3' },
      { items: toItems(['d', 'f']), token: 't4' },
    ];
    const fetchPage = async (token: string | undefined): Promise<TokenPage<Item>> => served[token === undefined ? 0 : Number(token.slice(1))] ?? { items: [], token: 't4' };
    const listing = list(tokenStrategy({ fetchPage, id, dedupeWindow: 3 }), 3);
    const binding = { provider: 'socotra' as const, query: queryFingerprint({}), kind: 'token' as const };
    const delivered: string[] = [];
    let cursor: string | undefined;
    for (let listings = 0; listings < 4; listings++) {
      const pages = listing.byPage(cursor === undefined ? {} : { cursor })[Symbol.asyncIterator]();
      const { value: page } = await pages.next();
      await pages.return!();
      delivered.push(...(page as Page<Item>).items.map(id));
      cursor = (page as Page<Item>).cursor;
      expect(decodeCursor(cursor, binding, (state) => state as { d: string[] }).d.length).toBeLessThanOrEqual(3);
    }
    expect(delivered).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('the first request carries no token, later ones the token of the page before', async () => {
    const vendor = fakeSocotra(toItems(makeIds(5)));
    await pagesOf(list(tokenStrategy({ fetchPage: vendor.fetchPage, id }), 2));
    expect(vendor.calls).toEqual([undefined, 'tok_2', 'tok_4', 'tok_5']);
  });

  it('drops an event delivered twice within one page, and one repeated at the start of the next', async () => {
    const pages: Array<TokenPage<Item>> = [
      { items: toItems(['a', 'b', 'a', 'c']), token: 't1' },
      { items: toItems(['c', 'd', 'd']), token: 't2' },
      { items: [], token: 't2' },
    ];
    let call = 0;
    const fetchPage = async (): Promise<TokenPage<Item>> => pages[call++] as TokenPage<Item>;
    const ids = (await pagesOf(list(tokenStrategy({ fetchPage, id }), 4))).flatMap((page) => page.items.map((item) => item.id));
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
  });

  it('delivers what a check of every page against the ids before it delivers, whatever the order of the ids (property)', async () => {
    /**
     * The rule as documented: an id is dropped when seen earlier on its page, or when it is among the
     * last `dedupeWindow` delivered, wherever it comes in the page.
     */
    const expected = (pages: string[][], window: number): string[] => {
      const out: string[] = [];
      let remembered: string[] = [];
      for (const page of pages) {
        const seen = new Set<string>();
        const known = new Set(remembered);
        const delivered = page.filter((item) => {
          const repeated = seen.has(item) || known.has(item);
          seen.add(item);
          return !repeated;
        });
        out.push(...delivered);
        remembered = window === 0 ? [] : [...remembered, ...delivered].slice(-window);
      }
      return out;
    };
    // Sorted runs (the usual vendor), shuffled pages and repeats, from a small alphabet so that ids recur.
    const page = fc.oneof(
      fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }).map((n) => n.sort((a, b) => a - b)),
      fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(page, { maxLength: 8 }), fc.integer({ min: 0, max: 12 }), async (numbers, dedupeWindow) => {
        const pages = numbers.map((ids) => ids.map((n) => `id${String(n).padStart(2, '0')}`));
        let call = 0;
        const fetchPage = async (): Promise<TokenPage<Item>> => {
          const ids = pages[call] ?? [];
          call++;
          return { items: toItems(ids), token: `t${call}` };
        };
        const listing = list(tokenStrategy({ fetchPage, id, dedupeWindow, maxEmptyPages: 100 }), 8);
        const delivered = (await pagesOf(listing)).flatMap((p) => p.items.map((item) => item.id));
        expect(delivered).toEqual(expected(pages, dedupeWindow));
      }),
      { numRuns: 300 },
    );
  });

  it('drops a remembered event sent again after newer ones, later in a page or on a later page', async () => {
    // ULID-sized, so that a cursor remembers them as fingerprints.
    const [a, b, c, d, e, f, g] = makeIds(7, '01JDXQ4K8W3M5Z0000000') as [string, string, string, string, string, string, string];
    const pages: Array<TokenPage<Item>> = [
      { items: toItems([a, b]), token: 't1' },
      // Two remembered, four new: `a` comes back beyond the first two items of the page.
      { items: toItems([c, d, e, a]), token: 't2' },
      // `b` was delivered two pages ago and is still among the remembered ids.
      { items: toItems([f, g, b]), token: 't3' },
      { items: [], token: 't3' },
    ];
    let call = 0;
    const fetchPage = async (): Promise<TokenPage<Item>> => pages[call++] as TokenPage<Item>;
    const listing = list(tokenStrategy({ fetchPage, id }), 4);
    const delivered = await pagesOf(listing);
    expect(idsOf(delivered)).toEqual([a, b, c, d, e, f, g]);
    // Likewise after a resume, where the remembered ids come from the cursor.
    call = 1;
    expect(idsOf(await pagesOf(listing, delivered[0]!.cursor))).toEqual([c, d, e, f, g]);
  });

  it('ids below the greatest delivered are new unless remembered, whatever the order', async () => {
    const pages: Array<TokenPage<Item>> = [
      { items: toItems(['b', 'd']), token: 't1' },
      // 'c' is new although below 'd'; 'd' repeats; 'a' is older than everything and new.
      { items: toItems(['c', 'd', 'e']), token: 't2' },
      { items: toItems(['a', 'f']), token: 't3' },
      { items: [], token: 't3' },
    ];
    let call = 0;
    const fetchPage = async (): Promise<TokenPage<Item>> => pages[call++] as TokenPage<Item>;
    const ids = (await pagesOf(list(tokenStrategy({ fetchPage, id }), 3))).flatMap((page) => page.items.map((item) => item.id));
    expect(ids).toEqual(['b', 'd', 'c', 'e', 'a', 'f']);
  });

  it('a token that comes back with only delivered events fails instead of looping', async () => {
    let calls = 0;
    const fetchPage = async (): Promise<TokenPage<Item>> => {
      calls++;
      return { items: [{ id: 'a' }, { id: 'b' }], token: 'same' };
    };
    const listing = list(tokenStrategy({ fetchPage, id }), 2);
    const error = await pagesOf(listing).catch((e: unknown) => e);
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/same token/);
    expect(calls).toBeLessThanOrEqual(3);
  });

  it('tokens that cycle through pages of duplicates end with an error', async () => {
    let n = 0;
    const fetchPage = async (): Promise<TokenPage<Item>> => ({ items: [{ id: 'a' }], token: `t${n++ % 2}` });
    const error = await pagesOf(list(tokenStrategy({ fetchPage, id }), 1)).catch((e: unknown) => e);
    expect(isResponseValidationError(error)).toBe(true);
  });

  it('too many pages of duplicates in a row end with an error', async () => {
    let n = 0;
    const fetchPage = async (): Promise<TokenPage<Item>> => ({ items: [{ id: 'a' }], token: `t${n++}` });
    const error = await pagesOf(list(tokenStrategy({ fetchPage, id, maxEmptyPages: 3 }), 1)).catch((e: unknown) => e);
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/4 pages in a row/);
    expect(n).toBe(5);
  });
});
