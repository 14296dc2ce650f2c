/**
 * `merge()` keeps each source's order, interleaves them as they answer, surfaces a source's failure and
 * holds nothing per item for a source that has not answered yet (a listing waiting out its vendor's
 * limit, a watch between polls).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/core/errors.js';
import { merge } from '../../src/core/merge.js';
import { unanswered } from '../support/unanswered-source.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A source of `count` numbers, each answered at once. */
async function* fast(count: number, from = 0): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) yield from + i;
}

/** A source whose only item waits for `release()`. */
function slow(value: string): { source: AsyncIterable<string>; release: () => void } {
  let release = (): void => {};
  const answer = new Promise<string>((resolve) => (release = () => resolve(value)));
  async function* source(): AsyncGenerator<string> {
    yield await answer;
  }
  return { source: source(), release: () => release() };
}


describe('merge', () => {
  it('refuses a source that is not async iterable with a ConfigurationError naming it, before reading any', () => {
    // An uncalled `client.events.list`, or a client's events, failed with a TypeError of a minified name.
    let opened = 0;
    const first: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => {
        opened += 1;
        return fast(1);
      },
    };
    for (const other of [() => fast(1), { list: () => fast(1) }, null]) {
      expect(() => merge(first, other as never)).toThrow(
        expect.objectContaining({ name: 'ConfigurationError', option: 'sources[1]', message: expect.stringContaining('client.events.list()') }),
      );
    }
    expect(opened).toBe(0);
  });

  it('holds nothing per item of the others for a source that has not answered yet', async () => {
    const heap = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const waiting = slow('late');
    const items = 200_000;
    let seen = 0;
    let before = 0;
    let grown = 0;
    for await (const item of merge(fast(items), waiting.source)) {
      seen += 1;
      if (seen === 1_000) before = heap();
      if (seen === items) {
        grown = heap() - before;
        waiting.release();
      }
      if (item === 'late') break;
    }
    expect(seen).toBe(items + 1);
    // Racing the pending answers per item held about 400 bytes an item (80 MB here) until the slow one answered.
    expect(grown).toBeLessThan(8 * 1024 * 1024);
  });

  it("keeps each source's order and delivers every item once", async () => {
    const got: number[] = [];
    for await (const item of merge(fast(50), fast(30, 1000), fast(0))) got.push(item);
    expect(got.filter((item) => item < 1000)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(got.filter((item) => item >= 1000)).toEqual(Array.from({ length: 30 }, (_, i) => 1000 + i));
  });

  it("fails with a source's error and closes the others", async () => {
    let closed = false;
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error('vendor down');
    }
    async function* endless(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) yield await new Promise<number>((resolve) => setTimeout(() => resolve(i), 1));
      } finally {
        closed = true;
      }
    }
    const error = await (async () => {
      for await (const _ of merge(failing(), endless()));
    })().catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('vendor down');
    expect(closed).toBe(true);
  });

  /** What the loop over `merge(...sources)` delivered, and what it failed with. */
  async function outcome<T>(...sources: Array<AsyncIterable<T>>): Promise<{ items: T[]; error: unknown }> {
    const items: T[] = [];
    try {
      for await (const item of merge(...sources)) items.push(item);
    } catch (error) {
      return { items, error };
    }
    return { items, error: undefined };
  }

  it("fails with the source's error as it was thrown: a client's, a function's of yours, your signal's own reason", async () => {
    const vendor = new NotFoundError('events.list: 404', { provider: 'tines', operation: 'events.list', status: 404, method: 'GET', url: 'https://t.example/api/v1/events' });
    const controller = new AbortController();
    // A reason of the caller's own, which it tells apart by identity or class.
    controller.abort(new RangeError('shutting down'));
    const mine = new TypeError('Cannot read properties of undefined');
    for (const reason of [vendor, controller.signal.reason as unknown, new DOMException('late', 'TimeoutError'), mine, 'gone']) {
      async function* failing(): AsyncGenerator<number> {
        yield 1;
        throw reason;
      }
      const { items, error } = await outcome(fast(2), failing());
      expect(error).toBe(reason);
      expect(items.sort()).toEqual([0, 1, 1]);
    }
    // A `next()` that throws at once, not through a promise, fails the merge the same way.
    const throwing: AsyncIterable<number> = { [Symbol.asyncIterator]: () => ({ next: () => { throw mine; } }) };
    expect((await outcome(fast(1), throwing)).error).toBe(mine);
  });

  it("delivers the items it already took from the others before failing with one source's error, and asks them for no more", async () => {
    const asked: [number, number] = [0, 0];
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error('vendor down');
    }
    async function* steady(from: number, slot: 0 | 1): AsyncGenerator<number> {
      for (let i = from; ; i++) {
        if (slot === 1) await new Promise((resolve) => setImmediate(resolve));
        asked[slot] += 1;
        yield i;
      }
    }
    const items: number[] = [];
    const error = await (async () => {
      for await (const item of merge(failing(), steady(100, 0), steady(200, 1))) {
        items.push(item);
        // A consumer slower than its sources: they answer while it handles an item.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })().catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('vendor down');
    // 101 and 201 were answered after the failure, before the merge took it: they were dropped, though
    // their sources had given them up. Each gave two, and was asked for no third.
    expect(items).toEqual([1, 100, 200, 101, 201]);
    expect(asked).toEqual([2, 2]);
  });

  it("delivers what it holds of the others before the error of a next() that throws at once, as of one that rejects", async () => {
    let calls = 0;
    const throwing: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          calls += 1;
          if (calls > 1) throw new Error('broken source');
          return Promise.resolve({ done: false, value: 'b' });
        },
      }),
    };
    const { items, error } = await outcome<string | number>(throwing, fast(1));
    expect((error as Error).message).toBe('broken source');
    expect(items.sort()).toEqual([0, 'b']);
  });

  it("fails at once with a source's error while another has not answered, and closes that one", async () => {
    async function* failing(): AsyncGenerator<number> {
      throw new Error('vendor down');
    }
    const waiting = unanswered();
    const { error } = await outcome(waiting.source, failing());
    expect((error as Error).message).toBe('vendor down');
    expect(waiting.closed()).toBe(true);
  });

  it('closed while waiting, hands out no item a source answers with as it closes', async () => {
    const answer = { resolve: (_: IteratorResult<number>): void => {} };
    const closing: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<number>>((resolve) => (answer.resolve = resolve)),
        // Its item came in just as it was closed.
        return: async () => {
          answer.resolve({ done: false, value: 7 });
          return { done: true, value: undefined };
        },
      }),
    };
    const merged = merge(closing);
    const next = merged.next();
    await new Promise((resolve) => setImmediate(resolve));
    await merged.return();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
  });

  it.each([
    ['after', (refusing: AsyncIterable<number>, waiting: AsyncIterable<number>) => merge(waiting, refusing)],
    ['before', (refusing: AsyncIterable<number>, waiting: AsyncIterable<number>) => merge(refusing, waiting)],
  ])('closes every source on break though one %s them throws from return() at once, and fails the break with its error', async (_order, merged) => {
    const refusing: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: 1 }),
        return: () => {
          throw new Error('cannot close');
        },
      }),
    };
    const waiting = unanswered();
    const broken = (async () => {
      for await (const _ of merged(refusing, waiting.source)) break;
    })();
    await expect(broken).rejects.toThrow('cannot close');
    expect(waiting.closed()).toBe(true);
  });

  it('closes each source once, when closed while waiting for them, and no source that ended', async () => {
    // Sources whose pending next() a close answers: a listing's request by its abort, a watch by its end.
    const closes = [0, 0];
    const waiting = (index: number, abort: boolean): AsyncIterable<number> => ({
      [Symbol.asyncIterator]: () => {
        const answer = { resolve: (_: IteratorResult<number>): void => {}, reject: (_: unknown): void => {} };
        return {
          next: () => new Promise((resolve, reject) => Object.assign(answer, { resolve, reject })),
          return: async () => {
            closes[index] = (closes[index] as number) + 1;
            if (abort) answer.reject(new DOMException('The listing ended', 'AbortError'));
            else answer.resolve({ done: true, value: undefined });
            return { done: true, value: undefined };
          },
        };
      },
    });
    let ended = 0;
    const empty: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: true, value: undefined }),
        return: async () => {
          ended += 1;
          return { done: true, value: undefined };
        },
      }),
    };
    const merged = merge(waiting(0, true), empty, waiting(1, false));
    const next = merged.next();
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([merged.return(), next]);
    // The generator's own cleanup closed both a second time; the one that had ended, not at all.
    expect(closes).toEqual([1, 1]);
    expect(ended).toBe(0);
  });
});
