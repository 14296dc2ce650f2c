/**
 * Several streams as one: items are yielded as each source produces them, so a slow vendor does not
 * hold back a fast one. Breaking out of the merged loop closes every source (aborting their requests).
 *
 * A source is asked for its next item only once the consumer has taken its last one: for a `watch()`
 * asking for the next page is what commits the page before it, so asking ahead would commit a page the
 * consumer has not handled yet, and a crash would lose it.
 */

/** The items of any of `S`'s sources: a union when the vendors differ. */
type ItemOf<S extends ReadonlyArray<AsyncIterable<unknown>>> = S[number] extends AsyncIterable<infer T> ? T : never;

const noop = (): void => {};

/**
 * @example
 * for await (const event of merge(pce.events.list(), tinesClient.events.list())) console.log(event.provider, event.id);
 */
export function merge<S extends ReadonlyArray<AsyncIterable<unknown>>>(...sources: S): AsyncGenerator<ItemOf<S>, void, undefined> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]() as AsyncIterator<ItemOf<S>>);
  const closing = { now: false };
  const merged = interleave(iterators, closing);
  // A generator waiting for its sources takes `return()` only once one of them answers: a `watch`
  // between polls, a merge of merges, would hold the close for up to a whole interval and ask the
  // vendor once more. Closing the sources first ends those waits at once.
  const close = merged.return.bind(merged);
  merged.return = async (value) => {
    closing.now = true;
    await Promise.allSettled(iterators.map((iterator) => iterator.return?.()));
    return close(value);
  };
  return merged;
}

async function* interleave<T>(iterators: ReadonlyArray<AsyncIterator<T>>, closing: { now: boolean }): AsyncGenerator<T, void, undefined> {
  type Next = { index: number; result: IteratorResult<T> };
  const pending = new Map<number, Promise<Next>>();
  const finished = new Set<number>();
  const pull = (index: number) => {
    const iterator = iterators[index] as AsyncIterator<T>;
    const next = iterator.next().then((result) => ({ index, result }));
    // Closing the merge aborts what is in flight: that rejection is expected, not unhandled.
    next.catch(noop);
    pending.set(index, next);
  };
  try {
    // Inside: a source whose `next()` throws at once must still leave the others closed.
    iterators.forEach((_, index) => pull(index));
    while (pending.size > 0) {
      let next: Next;
      try {
        next = await Promise.race(pending.values());
      } catch (error) {
        // A source closed by `return()` may answer its pending request with the abort.
        if (closing.now) return;
        throw error;
      }
      const { index, result } = next;
      pending.delete(index);
      if (result.done) {
        finished.add(index);
        continue;
      }
      if (closing.now) return;
      yield result.value;
      pull(index);
    }
  } finally {
    // Close what is still open; a source that fails while closing must not hide the original error.
    const open = iterators.filter((_, index) => !finished.has(index));
    await Promise.allSettled(open.map((iterator) => iterator.return?.()));
  }
}
