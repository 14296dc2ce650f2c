/**
 * Several streams as one: items are yielded as each source produces them, so a slow vendor does not
 * hold back a fast one. Breaking out of the merged loop closes every source (aborting their requests).
 *
 * A source is asked for its next item only once the consumer has taken its last one: for a `watch()`
 * asking for the next page is what commits the page before it, so asking ahead would commit a page the
 * consumer has not handled yet, and a crash would lose it.
 */
import { describe, invalidOption } from './config.js';

/**
 * The items of any of `S`'s sources: a union when the vendors differ. No source yields nothing: `never`,
 * where inferring from `never` gave `unknown`.
 */
type ItemOf<S extends ReadonlyArray<AsyncIterable<unknown>>> = [S[number]] extends [never]
  ? never
  : S[number] extends AsyncIterable<infer T>
    ? T
    : never;

/** The sources of one merge, and which of them are no longer to be closed. */
interface Sources<T> {
  iterators: ReadonlyArray<AsyncIterator<T>>;
  closing: boolean;
  /**
   * Sources that answered their end (not closed, as `for await` does not close one) or whose `return()`
   * was called. A source that failed is closed still, so that one which keeps requests or listeners
   * past its failure lets them go.
   */
  over: Set<number>;
}

/**
 * Yields the items of `sources` as each produces them, until all have ended.
 *
 * When a source fails, the items the others had already given up are yielded first, no source is asked
 * for more, then the merge fails with that source's error as it was thrown, and closes every source:
 * a client's error names its `provider` and `operation`, and an abort's reason, yours included, stays
 * the very object your signal holds. A source that fails to close when you stop early (a `watch` whose
 * last page handled could not be saved) fails the merge's `return()` with its error. Only the first
 * failure is reported; the sources that fail after it are closed all the same. A listing given twice
 * is read twice; one iterator given twice (the same `watch`) is one source.
 * @example
 * for await (const event of merge(pce.events.list(), tinesClient.events.list())) console.log(event.provider, event.id);
 */
export function merge<S extends ReadonlyArray<AsyncIterable<unknown>>>(...sources: S): AsyncGenerator<ItemOf<S>, void, undefined> {
  // Checked before any is opened: an uncalled `client.events.list` failed with a TypeError of a minified name.
  sources.forEach((source: unknown, index) => {
    if (!isAsyncIterable(source)) {
      invalidOption(`sources[${index}]`, `expected an async iterable such as client.events.list(), got ${describe(source)}`);
    }
  });
  const open: Sources<ItemOf<S>> = {
    // One iterator given twice (a `watch`, any generator, is its own iterator) is one source: asked as
    // two, it was asked for more while the consumer held its last item, and a watch then committed the
    // page in hand, which a crash lost; it was closed twice too.
    iterators: [...new Set(sources.map((source) => source[Symbol.asyncIterator]() as AsyncIterator<ItemOf<S>>))],
    closing: false,
    over: new Set(),
  };
  const merged = interleave(open);
  // A generator waiting for its sources takes `return()` only once one of them answers: a `watch`
  // between polls, a merge of merges, would hold the close for up to a whole interval and ask the
  // vendor once more. Closing the sources first ends those waits at once.
  const close = merged.return.bind(merged);
  merged.return = async (value) => {
    open.closing = true;
    const closed = await closeOpen(open);
    const result = await close(value);
    // A source that fails to close (a watch whose last page handled could not be saved) fails the
    // close: the consumer is done, but must learn that what it handled was not committed.
    const failed = closed.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return result;
  };
  return merged;
}

/**
 * Closes each source that has neither ended nor been closed yet, once: the generator's own cleanup
 * comes after `return()` closed them, and a source's `return()` need not be idempotent (a second
 * one re-threw a watch's save failure, or released a lease twice).
 */
function closeOpen<T>(sources: Sources<T>): Promise<Array<PromiseSettledResult<unknown>>> {
  const closing: Array<Promise<unknown>> = [];
  sources.iterators.forEach((iterator, index) => {
    if (sources.over.has(index)) return;
    sources.over.add(index);
    // In an async function: a `return()` that throws at once is a rejection like any other.
    closing.push((async () => iterator.return?.())());
  });
  return Promise.allSettled(closing);
}

async function* interleave<T>(sources: Sources<T>): AsyncGenerator<T, void, undefined> {
  type Answer = { index: number; result: IteratorResult<T> } | { index: number; error: unknown };
  const { iterators, over } = sources;
  // Each source's answer is queued by the one callback its `next()` gets. Racing the pending answers
  // anew for every item (`Promise.race`) added a callback to a slow source's promise per item of the
  // others, all held until it answered: a listing merged with a watch between polls grew by about
  // 400 bytes an item.
  const answers: Answer[] = [];
  let wake: (() => void) | undefined;
  let asked = 0;
  const answered = (answer: Answer): void => {
    answers.push(answer);
    // The wait in progress, if any: the resolver of one already over does nothing.
    wake?.();
  };
  const pull = (index: number): void => {
    asked += 1;
    let next: Promise<IteratorResult<T>>;
    try {
      next = (iterators[index] as AsyncIterator<T>).next();
    } catch (error) {
      // A `next()` that throws at once fails as one that rejects: after what is in hand.
      answered({ index, error });
      return;
    }
    next.then(
      (result) => answered({ index, result }),
      (error: unknown) => answered({ index, error }),
    );
  };
  // The first source to fail; the answers already in hand are delivered before its error.
  let failed: { error: unknown } | undefined;
  try {
    iterators.forEach((_, index) => pull(index));
    while (asked > 0) {
      if (answers.length === 0) {
        if (failed !== undefined) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const answer = answers.shift() as Answer;
      asked -= 1;
      if ('error' in answer) {
        // A source closed by `return()` may answer its pending request with the abort.
        if (sources.closing) return;
        failed ??= answer;
        continue;
      }
      const { index, result } = answer;
      if (result.done) {
        over.add(index);
        continue;
      }
      if (sources.closing) return;
      yield result.value;
      if (failed === undefined) pull(index);
    }
    if (failed !== undefined) throw failed.error;
  } finally {
    // Close what is still open; a source that fails while closing must not hide the original error.
    await closeOpen(sources);
  }
}

function isAsyncIterable(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}
