/**
 * What the engine does between pages: the prefetched request has left before the consumer gets the
 * page (so a consumer that computes still overlaps with the network), cursors are encoded only when
 * read, and the strategy's position key is what loop detection compares.
 */
import { describe, expect, it } from 'vitest';
import { paginate } from '../../src/core/paginate/paginate.js';
import { encodeCursor, queryFingerprint } from '../../src/core/cursor.js';
import { isResponseValidationError } from '../../src/core/errors.js';
import type { PagingStrategy, Step } from '../../src/core/paginate/types.js';

interface Item {
  id: string;
}

const query = { tenant: 't1' };
const listOf = <S>(strategy: PagingStrategy<Item, S>, pageSize = 10) =>
  paginate<Item, Item, S>({ provider: 'socotra', operation: 'events.list', query, strategy, normalize: (items) => items, pageSize });

/**
 * Offset-like pages of `total` items whose fetch, like the request pipeline (auth, limiter, ky), only
 * hands the request over after a few promise turns and a `process.nextTick`; `sent` records the offsets
 * whose request has left.
 */
function pipelineVendor(total: number) {
  const sent: number[] = [];
  const strategy: PagingStrategy<Item, number> = {
    kind: 'offset',
    initial: () => 0,
    validate: (state) => state as number,
    async fetch(offset, pageSize): Promise<Step<Item, number>> {
      await Promise.resolve();
      await new Promise<void>((resolve) => process.nextTick(resolve));
      await Promise.resolve();
      sent.push(offset);
      const items = Array.from({ length: Math.max(0, Math.min(pageSize, total - offset)) }, (_, i) => ({ id: `e${offset + i}` }));
      return { items, state: offset + items.length, done: items.length < pageSize };
    },
  };
  return { strategy, sent };
}

describe('prefetch', () => {
  it('byPage: when page k is handed over, the request for page k+1 has already been sent', async () => {
    const vendor = pipelineVendor(45);
    const seenAtHandover: number[][] = [];
    for await (const page of listOf(vendor.strategy).byPage()) {
      // Nothing awaited here: what a consumer that computes on the page would see.
      seenAtHandover.push([...vendor.sent]);
      if (!page.hasMore) break;
    }
    expect(seenAtHandover).toEqual([[0, 10], [0, 10, 20], [0, 10, 20, 30], [0, 10, 20, 30, 40], [0, 10, 20, 30, 40]]);
  });

  it('normalizes page k after the request for page k+1 has been sent', async () => {
    const vendor = pipelineVendor(35);
    const sentAtNormalize: number[][] = [];
    const listing = paginate<Item, Item, number>({
      provider: 'socotra',
      operation: 'events.list',
      query,
      strategy: vendor.strategy,
      normalize: (items) => {
        sentAtNormalize.push([...vendor.sent]);
        return items;
      },
      pageSize: 10,
    });
    await listing.toArray();
    // The last page launches nothing: it is normalized at once.
    expect(sentAtNormalize).toEqual([[0, 10], [0, 10, 20], [0, 10, 20, 30], [0, 10, 20, 30]]);
  });

  it('for await over items: at the first item of page k, the request for page k+1 has been sent', async () => {
    const vendor = pipelineVendor(35);
    const sentAtFirstItem: number[] = [];
    for await (const item of listOf(vendor.strategy)) {
      if (item.id.endsWith('0')) sentAtFirstItem.push(vendor.sent.at(-1) ?? -1);
    }
    expect(sentAtFirstItem).toEqual([10, 20, 30, 30]);
  });
});

describe('toArray({ maxItems })', () => {
  it('fetches no page beyond the one that completes maxItems, predicted pages included', async () => {
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
    const plain = pipelineVendor(100);
    const predicting = pipelineVendor(100);
    const ahead: PagingStrategy<Item, number> = { ...predicting.strategy, lookahead: 4, following: (offset, pageSize) => offset + pageSize };
    const cases: Array<[PagingStrategy<Item, number>, number[], number, number[]]> = [
      [plain.strategy, plain.sent, 10, [0]],
      [plain.strategy, plain.sent, 25, [0, 10, 20]],
      [plain.strategy, plain.sent, 1, [0]],
      // Informatica's strategy: at 5 requests a minute, the 4 pages predicted ahead spent the minute.
      [ahead, predicting.sent, 10, [0]],
      [ahead, predicting.sent, 25, [0, 10, 20]],
    ];
    for (const [strategy, sent, maxItems, expected] of cases) {
      sent.length = 0;
      expect(await listOf(strategy).toArray({ maxItems })).toHaveLength(maxItems);
      await settle();
      expect([...sent].sort((a, b) => a - b), `maxItems ${maxItems}${strategy === ahead ? ', predicted' : ''}`).toEqual(expected);
    }
    // Without a limit the page ahead is fetched as before.
    plain.sent.length = 0;
    expect(await listOf(plain.strategy).toArray()).toHaveLength(100);
    expect(plain.sent).toHaveLength(11);
  });
});

describe('page cursors', () => {
  /** A state that counts how often it is serialized: encoding a cursor is the only reader. */
  function countingStrategy(pages: number) {
    const counter = { encoded: 0 };
    interface S {
      p: number;
      toJSON(): { p: number };
    }
    const state = (p: number): S => ({
      p,
      toJSON() {
        counter.encoded++;
        return { p };
      },
    });
    const strategy: PagingStrategy<Item, S> = {
      kind: 'offset',
      initial: () => state(0),
      validate: (s) => state((s as { p: number }).p),
      position: (s) => String(s.p),
      fetch: async (s) => ({ items: [{ id: `e${s.p}` }], state: state(s.p + 1), done: s.p + 1 >= pages }),
    };
    return { strategy, counter };
  }

  it('are not encoded when nobody reads them', async () => {
    const { strategy, counter } = countingStrategy(5);
    expect(await listOf(strategy).toArray()).toHaveLength(5);
    const ids: string[] = [];
    for await (const item of listOf(strategy)) ids.push(item.id);
    expect(ids).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(counter.encoded).toBe(0);
  });

  it('are encoded once on first read, and look like a plain property', async () => {
    const { strategy, counter } = countingStrategy(3);
    const pages = [];
    for await (const page of listOf(strategy).byPage()) pages.push(page);
    const binding = { provider: 'socotra' as const, query: queryFingerprint(query), kind: 'offset' as const };
    const first = pages[0]!;
    expect(first.cursor).toBe(encodeCursor(binding, { p: 1 }));
    expect(first.cursor).toBe(encodeCursor(binding, { p: 1 }));
    // The reference encodings above use plain states: the page serialized its own once for two reads.
    expect(counter.encoded).toBe(1);
    expect(Object.keys(first)).toEqual(['items', 'cursor', 'hasMore']);
    expect(JSON.parse(JSON.stringify(pages.at(-1)))).toEqual({ items: [{ id: 'e2' }], cursor: encodeCursor(binding, { p: 3 }), hasMore: false });
    expect({ ...pages[1]! }.cursor).toBe(encodeCursor(binding, { p: 2 }));
    // The cursor resumes right after its page.
    const rest = [];
    for await (const item of listOf(strategy).byPage({ cursor: first.cursor })) rest.push(...item.items.map((i) => i.id));
    expect(rest).toEqual(['e1', 'e2']);
  });
});

describe('loop detection by position', () => {
  it('a state whose position comes back fails, whatever else the state carries', async () => {
    let fetches = 0;
    // The position cycles 0, 1, 2, 0 while a counter in the state keeps changing.
    const strategy: PagingStrategy<Item, { p: number; c: number }> = {
      kind: 'offset',
      initial: () => ({ p: 0, c: 0 }),
      validate: (s) => s as { p: number; c: number },
      position: (s) => String(s.p),
      fetch: async (s) => ({ items: [{ id: `x${fetches++}` }], state: { p: (s.p + 1) % 3, c: s.c + 1 }, done: false }),
    };
    const error = await listOf(strategy).toArray().catch((e: unknown) => e);
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/came back to a position/);
    expect(fetches).toBeLessThanOrEqual(4);
  });
});
