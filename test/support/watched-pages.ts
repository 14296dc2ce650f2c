/**
 * The pages of one watch, or of several merged, each tagged with the watch it came from: what the
 * watch properties consume. One watch is read as it is, not through `merge`, so that its own `next()`
 * and `return()` are what the test exercises.
 */
import { merge } from '../../src/core/merge.js';

export interface WatchedPages<P> {
  /** The next page and the index of its watch; `undefined` once every watch has ended. */
  take(): Promise<{ source: number; page: P } | undefined>;
  /** Closes the watch, or the merge and with it every watch. */
  close(): Promise<void>;
}

export function watchedPages<P>(watches: ReadonlyArray<AsyncGenerator<P, void, undefined>>): WatchedPages<P> {
  const only = watches[0] as AsyncGenerator<P, void, undefined>;
  const merged = watches.length === 1 ? undefined : merge(...watches.map((pages, source) => taggedPages(pages, source)));
  return {
    async take() {
      if (merged === undefined) {
        const result = await only.next();
        return result.done === true ? undefined : { source: 0, page: result.value };
      }
      const result = await merged.next();
      return result.done === true ? undefined : result.value;
    },
    close: async () => void (await (merged ?? only).return()),
  };
}

/** A watch's pages tagged with its index, its `next()` and `return()` passed through as they are. */
function taggedPages<P>(pages: AsyncGenerator<P, void, undefined>, source: number): AsyncIterable<{ source: number; page: P }> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const result = await pages.next();
        return result.done === true ? { done: true as const, value: undefined } : { done: false as const, value: { source, page: result.value } };
      },
      return: async () => {
        await pages.return();
        return { done: true as const, value: undefined };
      },
    }),
  };
}
