/**
 * Several streams as one: items are yielded as each source produces them, so a slow vendor does not
 * hold back a fast one. Breaking out of the merged loop closes every source (aborting their requests).
 */

/** The items of any of `S`'s sources: a union when the vendors differ. */
type ItemOf<S extends ReadonlyArray<AsyncIterable<unknown>>> = S[number] extends AsyncIterable<infer T> ? T : never;

/**
 * @example
 * for await (const event of merge(pce.events.list(), tinesClient.events.list())) console.log(event.provider, event.id);
 */
export async function* merge<S extends ReadonlyArray<AsyncIterable<unknown>>>(...sources: S): AsyncGenerator<ItemOf<S>, void, undefined> {
  type T = ItemOf<S>;
  const iterators = sources.map((source) => source[Symbol.asyncIterator]() as AsyncIterator<T>);
  type Next = { index: number; result: IteratorResult<T> };
  const pending = new Map<number, Promise<Next>>();
  const pull = (index: number) => {
    const iterator = iterators[index] as AsyncIterator<T>;
    pending.set(index, iterator.next().then((result) => ({ index, result })));
  };
  iterators.forEach((_, index) => pull(index));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    // Close what is still open; a source that fails while closing must not hide the original error.
    await Promise.allSettled([...pending.keys()].map((index) => iterators[index]?.return?.()));
  }
}
