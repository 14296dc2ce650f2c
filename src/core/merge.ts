/**
 * Several streams as one: items are yielded as each source produces them, so a slow vendor does not
 * hold back a fast one. Breaking out of the merged loop closes every source (aborting their requests).
 *
 * A source is asked for its next item only once the consumer has taken its last one: for a `watch()`
 * asking for the next page is what commits the page before it, so asking ahead would commit a page the
 * consumer has not handled yet, and a crash would lose it.
 */

/**
 * The items of any of `S`'s sources: a union when the vendors differ. No source yields nothing: `never`,
 * where inferring from `never` gave `unknown`.
 */
type ItemOf<S extends ReadonlyArray<AsyncIterable<unknown>>> = [S[number]] extends [never]
  ? never
  : S[number] extends AsyncIterable<infer T>
    ? T
    : never;

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
    const closed = await Promise.allSettled(iterators.map(async (iterator) => iterator.return?.()));
    const result = await close(value);
    // A source that fails to close (a watch whose last page handled could not be saved) fails the
    // close: the consumer is done, but must learn that what it handled was not committed.
    const failed = closed.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return result;
  };
  return merged;
}

async function* interleave<T>(iterators: ReadonlyArray<AsyncIterator<T>>, closing: { now: boolean }): AsyncGenerator<T, void, undefined> {
  type Answer = { index: number; result: IteratorResult<T> } | { index: number; error: unknown };
  // Each source's answer is queued by the one callback its `next()` gets. Racing the pending answers
  // anew for every item (`Promise.race`) added a callback to a slow source's promise per item of the
  // others, all held until it answered: a listing merged with a watch between polls grew by about
  // 400 bytes an item.
  const answers: Answer[] = [];
  let wake: (() => void) | undefined;
  let asked = 0;
  const finished = new Set<number>();
  const answered = (answer: Answer): void => {
    answers.push(answer);
    wake?.();
  };
  const pull = (index: number): void => {
    asked += 1;
    (iterators[index] as AsyncIterator<T>).next().then(
      (result) => answered({ index, result }),
      (error: unknown) => answered({ index, error }),
    );
  };
  try {
    // Inside: a source whose `next()` throws at once must still leave the others closed.
    iterators.forEach((_, index) => pull(index));
    while (asked > 0) {
      if (answers.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const answer = answers.shift() as Answer;
      asked -= 1;
      if ('error' in answer) {
        // A source closed by `return()` may answer its pending request with the abort.
        if (closing.now) return;
        throw answer.error;
      }
      const { index, result } = answer;
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
