import { describe, expect, it, vi } from 'vitest';
import { paginate } from '../../src/core/paginate/paginate.js';
import { tokenStrategy, type TokenPage } from '../../src/core/paginate/token.js';
import { offsetStrategy } from '../../src/core/paginate/offset.js';
import { encodeCursor, queryFingerprint } from '../../src/core/cursor.js';
import { isConfigurationError, isCursorError, isResponseValidationError, type CursorError, type CursorErrorReason } from '../../src/core/errors.js';
import type { PagingStrategy, Step } from '../../src/core/paginate/types.js';

interface Item {
  id: string;
}

/** A deferred page: the test decides when each fetch answers, and sees each fetch's signal. */
function controlledVendor(total: number, pageSize: number) {
  const started: Array<{ token: string | undefined; signal: AbortSignal; answer: () => void }> = [];
  const fetchPage = (token: string | undefined, _size: number, signal: AbortSignal): Promise<TokenPage<Item>> =>
    new Promise((resolve) => {
      const start = token === undefined ? 0 : Number(token);
      const items = Array.from({ length: Math.max(0, Math.min(pageSize, total - start)) }, (_, i) => ({ id: `e${start + i}` }));
      started.push({ token, signal, answer: () => resolve({ items, token: String(start + items.length) }) });
    });
  return { fetchPage, started };
}

const listOf = (strategy: PagingStrategy<Item, unknown>, options: { pageSize?: number; query?: unknown; signal?: AbortSignal; normalize?: (items: Item[]) => Item[] } = {}) =>
  paginate<Item, Item, unknown>({
    provider: 'socotra',
    operation: 'events.list',
    query: options.query ?? { tenant: 't1' },
    strategy,
    normalize: options.normalize ?? ((items) => items),
    pageSize: options.pageSize ?? 10,
    client: { signal: options.signal },
  });

const arrayVendor = (total: number) => {
  const calls: Array<string | undefined> = [];
  const fetchPage = async (token: string | undefined, pageSize: number): Promise<TokenPage<Item>> => {
    calls.push(token);
    const start = token === undefined ? 0 : Number(token);
    const items = Array.from({ length: Math.max(0, Math.min(pageSize, total - start)) }, (_, i) => ({ id: `e${start + i}` }));
    return { items, token: String(start + items.length) };
  };
  return { fetchPage, calls };
};
const id = (item: Item) => item.id;
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('paginate', () => {
  it('iterates items across pages with for await, normalizing once per page', async () => {
    const vendor = arrayVendor(25);
    const normalize = vi.fn((items: Item[]) => items.map((item) => ({ id: item.id.toUpperCase() })));
    const got: string[] = [];
    for await (const item of listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }), { normalize })) got.push(item.id);
    expect(got).toEqual(Array.from({ length: 25 }, (_, i) => `E${i}`));
    // Pages of 10, 10, 5, and the empty last page.
    expect(normalize).toHaveBeenCalledTimes(4);
  });

  it('toArray stops at maxItems and refuses a bad maxItems', async () => {
    const vendor = arrayVendor(100);
    const listing = listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }));
    expect((await listing.toArray({ maxItems: 15 })).map(id)).toEqual(Array.from({ length: 15 }, (_, i) => `e${i}`));
    expect(await listing.toArray({ maxItems: 0 })).toEqual([]);
    const error = await listing.toArray({ maxItems: -1 }).catch((e: unknown) => e);
    expect(isConfigurationError(error) && error.option).toBe('maxItems');
    expect((await listing.toArray()).length).toBe(100);
  });

  it.each<[string, (listing: ReturnType<typeof listOf>) => Promise<unknown>, string, string]>([
    ['a misspelt cursor (which would list everything again)', (listing) => listing.byPage({ cursr: 'x' } as never)[Symbol.asyncIterator]().next(), 'cursr', 'unknown'],
    ['byPage(null)', (listing) => listing.byPage(null as never)[Symbol.asyncIterator]().next(), 'options', 'invalid'],
    ['byPage("cursor")', (listing) => listing.byPage('abc' as never)[Symbol.asyncIterator]().next(), 'options', 'invalid'],
    ['a misspelt maxItems (which would collect the whole listing)', (listing) => listing.toArray({ maxItem: 1 } as never), 'maxItem', 'unknown'],
    ['toArray(null)', (listing) => listing.toArray(null as never), 'options', 'invalid'],
    ['a maxItems of 1.5', (listing) => listing.toArray({ maxItems: 1.5 }), 'maxItems', 'invalid'],
    ['a maxItems given as text', (listing) => listing.toArray({ maxItems: '5' as never }), 'maxItems', 'invalid'],
    ['a pageSize of 0', (listing) => listing.byPage({ pageSize: 0 })[Symbol.asyncIterator]().next(), 'pageSize', 'invalid'],
  ])('byPage() and toArray() refuse %s before any request', async (_name, call, option, reason) => {
    const vendor = arrayVendor(30);
    const error = await call(listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }))).catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect(error).toMatchObject({ option, reason, provider: 'socotra', operation: 'events.list' });
    // Worded as every other bad option is, whatever the method.
    expect((error as Error).message).toMatch(new RegExp(`^Invalid option \`${option}\`: ${reason === 'unknown' ? 'unknown option; expected one of' : 'expected'} `));
    expect(vendor.calls).toEqual([]);
  });

  it('byPage() and toArray() take options given as undefined as not given', async () => {
    const vendor = arrayVendor(30);
    const listing = listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }));
    expect(await listing.toArray({ maxItems: undefined })).toHaveLength(30);
    let items = 0;
    for await (const page of listing.byPage({ cursor: undefined, pageSize: undefined })) items += page.items.length;
    expect(items).toBe(30);
  });

  it('prefetches exactly one page ahead while the consumer works', async () => {
    const vendor = controlledVendor(50, 10);
    const pages = listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id })).byPage()[Symbol.asyncIterator]();
    const first = pages.next();
    await flush();
    expect(vendor.started).toHaveLength(1);
    vendor.started[0]!.answer();
    await first;
    // Page 1 consumed: page 2 is in flight, nothing beyond it.
    await flush();
    expect(vendor.started).toHaveLength(2);
    for (let consumed = 1; consumed < 5; consumed++) {
      vendor.started[consumed]!.answer();
      await flush();
      expect(vendor.started).toHaveLength(consumed + 1);
      await pages.next();
      await flush();
      expect(vendor.started.length).toBeLessThanOrEqual(consumed + 2);
    }
  });

  it('breaking out of for await aborts the request in flight', async () => {
    const vendor = controlledVendor(50, 10);
    const listing = listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }));
    const loop = (async () => {
      for await (const item of listing) if (item.id === 'e3') break;
    })();
    await flush();
    vendor.started[0]!.answer();
    await loop;
    expect(vendor.started).toHaveLength(2);
    expect(vendor.started[0]!.signal.aborted).toBe(false);
    expect(vendor.started[1]!.signal.aborted).toBe(true);
  });

  it('a listing closed while its page comes in hands out nothing and starts no further fetch', async () => {
    const fetches: AbortSignal[] = [];
    const answers: Array<(step: Step<Item, number>) => void> = [];
    // A strategy whose fetch is the vendor's promise itself, so that the close can land in between.
    const strategy: PagingStrategy<Item, number> = {
      kind: 'offset',
      initial: () => 0,
      validate: (state) => state as number,
      fetch: (_state, _size, signal) => {
        fetches.push(signal);
        return new Promise((resolve) => answers.push(resolve));
      },
    };
    const pages = listOf(strategy as PagingStrategy<Item, unknown>).byPage()[Symbol.asyncIterator]();
    const first = pages.next();
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    answers[0]?.({ items: [{ id: 'e0' }], state: 1, done: false });
    queueMicrotask(() => void pages.return?.());
    expect((await first).done).toBe(true);
    // No fetch of the closed listing is left running.
    expect(fetches.filter((signal) => !signal.aborted)).toHaveLength(0);
  });

  it('toArray with maxItems starts no prefetch it does not need', async () => {
    const signals: AbortSignal[] = [];
    const fetchPage = (token: string | undefined, pageSize: number, signal: AbortSignal): Promise<TokenPage<Item>> => {
      signals.push(signal);
      if (token !== undefined) return new Promise(() => {});
      return Promise.resolve({ items: Array.from({ length: pageSize }, (_, i) => ({ id: `e${i}` })), token: 'next' });
    };
    expect(await listOf(tokenStrategy({ fetchPage, id })).toArray({ maxItems: 5 })).toHaveLength(5);
    expect(signals.map((s) => s.aborted)).toEqual([false]);
  });

  it('toArray with maxItems prefetches the page that completes it, a part of it wanted', async () => {
    const vendor = arrayVendor(100);
    const requestedBefore: number[] = [];
    const normalize = (items: Item[]) => {
      requestedBefore.push(vendor.calls.length);
      return items;
    };
    expect(await listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }), { normalize }).toArray({ maxItems: 15 })).toHaveLength(15);
    // The second page (5 of its 10 items wanted) was asked for before the first was normalized; no third.
    expect(requestedBefore).toEqual([2, 2]);
  });

  it('the user signal aborts the fetch in flight and rejects with its reason', async () => {
    const vendor = controlledVendor(50, 10);
    const controller = new AbortController();
    const pages = listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }), { signal: controller.signal }).byPage()[Symbol.asyncIterator]();
    const first = pages.next();
    await flush();
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(first).rejects.toBe(reason);
    expect(vendor.started[0]!.signal.aborted).toBe(true);
    await expect(pages.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('the user signal is honoured between pages', async () => {
    const vendor = arrayVendor(50);
    const controller = new AbortController();
    const reason = new Error('enough');
    const got: string[] = [];
    const run = (async () => {
      for await (const page of listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }), { signal: controller.signal }).byPage()) {
        got.push(...page.items.map(id));
        controller.abort(reason);
      }
    })();
    await expect(run).rejects.toBe(reason);
    expect(got).toHaveLength(10);
  });

  it("byPage's own signal is honoured between pages, once the page fetched ahead has come", async () => {
    const vendor = arrayVendor(50);
    const controller = new AbortController();
    const reason = new Error('enough');
    const got: string[] = [];
    const run = (async () => {
      for await (const page of listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id })).byPage({ signal: controller.signal })) {
        got.push(...page.items.map(id));
        await flush();
        controller.abort(reason);
      }
    })();
    await expect(run).rejects.toBe(reason);
    expect(got).toHaveLength(10);
  });

  it('an already aborted signal sends nothing', async () => {
    const vendor = arrayVendor(50);
    const reason = new Error('gone');
    const error = await listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }), { signal: AbortSignal.abort(reason) }).toArray().catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(vendor.calls).toHaveLength(0);
  });

  it.each([
    ['the client', (signal: AbortSignal) => ({ listing: { signal }, call: {} })],
    ['byPage', (signal: AbortSignal) => ({ listing: {}, call: { signal } })],
  ])('byPage with an already aborted signal (of %s) rejects with its reason and sends nothing', async (_name, place) => {
    const vendor = arrayVendor(50);
    const reason = new Error('gone');
    const { listing, call } = place(AbortSignal.abort(reason));
    const pages = listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }), listing).byPage(call)[Symbol.asyncIterator]();
    await expect(pages.next()).rejects.toBe(reason);
    expect(vendor.calls).toHaveLength(0);
  });

  it('toArray with an already aborted signal rejects even when it takes no item', async () => {
    const vendor = arrayVendor(50);
    const reason = new Error('gone');
    const listing = listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }));
    await expect(listing.toArray({ maxItems: 0, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(vendor.calls).toHaveLength(0);
  });

  it("toArray on a client already closed rejects even when it takes no item, as the client's other calls do", async () => {
    const vendor = arrayVendor(50);
    const reason = new Error('closed');
    const listing = listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }), { signal: AbortSignal.abort(reason) });
    await expect(listing.toArray({ maxItems: 0 })).rejects.toBe(reason);
    expect(vendor.calls).toHaveLength(0);
  });

  it('a bad pageSize is a ConfigurationError before any request', async () => {
    const vendor = arrayVendor(5);
    const listing = paginate({ provider: 'tines', operation: 'events.list', query: {}, strategy: tokenStrategy({ fetchPage: vendor.fetchPage, id }), normalize: (items: Item[]) => items, pageSize: 10, maxPageSize: 500 });
    for (const pageSize of [0, 1.5, 501, Number.NaN, null as unknown as number]) {
      const error = await listing.byPage({ pageSize })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
      expect(isConfigurationError(error) && error.option).toBe('pageSize');
    }
    expect(vendor.calls).toHaveLength(0);
  });

  it('a pageSize at either bound is taken', async () => {
    const vendor = arrayVendor(5);
    const listing = paginate({ provider: 'tines', operation: 'events.list', query: {}, strategy: tokenStrategy({ fetchPage: vendor.fetchPage, id }), normalize: (items: Item[]) => items, pageSize: 10, minPageSize: 2, maxPageSize: 500 });
    for (const pageSize of [2, 500]) {
      const page = await listing.byPage({ pageSize })[Symbol.asyncIterator]().next();
      expect(page.value?.items).toHaveLength(Math.min(pageSize, 5));
    }
  });

  it('a page cursor resumes right after that page, and pageSize can change on resume', async () => {
    const vendor = arrayVendor(30);
    const listing = listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }));
    const [first] = await collectPages(listing.byPage({ pageSize: 7 }), 1);
    const rest = await collectPages(listing.byPage({ cursor: first!.cursor, pageSize: 20 }));
    expect(rest.flatMap((page) => page.items.map(id))).toEqual(Array.from({ length: 23 }, (_, i) => `e${i + 7}`));
  });

  describe('cursor errors, before any request', () => {
    const strategy = () => {
      const vendor = arrayVendor(5);
      return { vendor, listing: listOf(tokenStrategy({ fetchPage: vendor.fetchPage, id }), { query: { tenant: 't1', type: ['a', 'b'] } }) };
    };
    const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
    const query = queryFingerprint({ type: ['a', 'b'], tenant: 't1' });
    const cases: Array<[string, string, RegExp, CursorErrorReason]> = [
      ['not base64url', 'abc+/=', /not base64url/, 'malformed'],
      ['empty', '', /non-empty/, 'malformed'],
      ['not JSON', b64('{oops'), /not JSON/, 'malformed'],
      ['not an envelope', b64([1, 2]), /no envelope/, 'malformed'],
      ['another version', b64({ v: 2, p: 'socotra', q: query, k: 'token', s: { t: null, d: [] } }), /unsupported version 2/, 'malformed'],
      ['another provider', encodeCursor({ provider: 'tines', query, kind: 'token' }, { t: null, d: [] }), /provider "tines"/, 'provider'],
      ['another paging style', encodeCursor({ provider: 'socotra', query, kind: 'offset' }, { o: 0, n: null }), /"offset" paging/, 'paging'],
      ['another query', encodeCursor({ provider: 'socotra', query: queryFingerprint({ tenant: 't2' }), kind: 'token' }, { t: null, d: [] }), /another query/, 'query'],
      ['a bad state', encodeCursor({ provider: 'socotra', query, kind: 'token' }, { t: 5, d: [] }), /bad state: t:/, 'malformed'],
    ];
    for (const [name, cursor, message, reason] of cases) {
      it(`refuses ${name}`, async () => {
        const { vendor, listing } = strategy();
        const error = await collectPages(listing.byPage({ cursor })).catch((e: unknown) => e);
        expect(isCursorError(error)).toBe(true);
        expect((error as Error).message).toMatch(message);
        expect((error as CursorError).reason).toBe(reason);
        expect(vendor.calls).toHaveLength(0);
      });
    }

    it('accepts a cursor of the same query written in another key order', async () => {
      const { vendor, listing } = strategy();
      const cursor = encodeCursor({ provider: 'socotra', query, kind: 'token' }, { t: '3', d: [] });
      expect((await collectPages(listing.byPage({ cursor }))).flatMap((p) => p.items.map(id))).toEqual(['e3', 'e4']);
      expect(vendor.calls[0]).toBe('3');
    });
  });

  describe('endless-loop protection', () => {
    it('a strategy state that comes back fails instead of looping', async () => {
      let n = 0;
      const strategy: PagingStrategy<Item, { p: number }> = {
        kind: 'offset',
        initial: () => ({ p: 0 }),
        validate: (s) => s as { p: number },
        fetch: async (state): Promise<Step<Item, { p: number }>> => ({ items: [{ id: `x${n++}` }], state: { p: (state.p + 1) % 3 }, done: false }),
      };
      const error = await listOf(strategy as PagingStrategy<Item, unknown>).toArray().catch((e: unknown) => e);
      expect(isResponseValidationError(error)).toBe(true);
      expect((error as Error).message).toMatch(/came back to a position/);
      expect(n).toBe(3);
    });

    it('empty pages far apart fail nothing, however many in all: only maxEmptyPages in a row stop a listing', async () => {
      // Every other page brought only duplicates: six of them, three times the limit, never two in a row.
      const strategy: PagingStrategy<Item, { p: number }> = {
        kind: 'offset',
        maxEmptyPages: 2,
        initial: () => ({ p: 0 }),
        validate: (s) => s as { p: number },
        fetch: async (state): Promise<Step<Item, { p: number }>> => ({
          items: state.p % 2 === 0 ? [] : [{ id: `x${state.p}` }],
          state: { p: state.p + 1 },
          done: state.p === 12,
        }),
      };
      expect((await listOf(strategy as PagingStrategy<Item, unknown>).toArray()).map(id)).toEqual(['x1', 'x3', 'x5', 'x7', 'x9', 'x11']);
    });

    it('an offset vendor that always returns a full page of the same items cannot loop forever', async () => {
      let calls = 0;
      const fetchPage = async ({ limit }: { limit: number }) => {
        calls++;
        return { items: Array.from({ length: limit }, (_, i) => ({ id: `same${i}` })), total: 1e9 };
      };
      const listing = listOf(offsetStrategy({ fetchPage, key: (item) => item.id, maxLimit: 1000 }), { pageSize: 2 });
      // The offset moves, so this is progress as far as the listing can tell; the consumer bounds it.
      expect(await listing.toArray({ maxItems: 6 })).toHaveLength(6);
      expect(calls).toBeLessThanOrEqual(4);
    });
  });
});

async function collectPages<T>(pages: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) {
    out.push(page);
    if (out.length >= limit) break;
  }
  return out;
}
