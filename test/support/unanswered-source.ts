/** A source that never answers (a listing waiting on its request, a watch between polls), and whether it was closed. */
export function unanswered(): { source: AsyncIterable<number>; closed: () => boolean } {
  let closed = false;
  const source: AsyncIterable<number> = {
    [Symbol.asyncIterator]: () => ({
      next: () => new Promise<IteratorResult<number>>(() => undefined),
      return: async () => {
        closed = true;
        return { done: true, value: undefined };
      },
    }),
  };
  return { source, closed: () => closed };
}
