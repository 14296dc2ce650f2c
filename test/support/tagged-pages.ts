/**
 * A watch's pages tagged with the watch they came from, for a `merge` of several: its `next()` and
 * `return()` passed through as they are, so that closing the merge closes the watch.
 */
export function taggedPages<P>(pages: AsyncGenerator<P, void, undefined>, source: number): AsyncIterable<{ source: number; page: P }> {
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
