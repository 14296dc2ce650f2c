/**
 * Continuous collection: drain a listing, wait, resume from its tail cursor, forever. Built only on the
 * public `Paginated` contract, so it works for every provider and every paging style; each strategy's
 * tail cursor is what makes a resumed listing yield only what arrived since.
 */
import { systemClock, type Clock } from './clock.js';
import type { Checkpoint } from './checkpoint.js';
import type { ListingClient, Page, Paginated } from './paginate/types.js';
import { checkMembers, describe, invalidOption, isPlainObject, isRecord, SIGNAL_RULE, type Rules } from './config.js';
import { CursorError, isCursorError } from './errors.js';
import { clientOf } from './paginate/paginate.js';
import { linkSignals, untilAborted, type LinkedSignal } from './signal.js';

const DEFAULT_INTERVAL = 30_000;
const noop = (): void => {};

/** The pages of `S`: one vendor's, or a union of each vendor's when `S` is the listing of several. */
type PageOf<S> = S extends Paginated<infer T> ? Page<T> : never;

export interface WatchOptions {
  /**
   * Milliseconds to wait after the last page before asking again.
   * @default 30_000
   * @example { interval: 60_000 }
   */
  interval?: number | undefined;
  /**
   * Where the cursor is loaded from at the start and saved after each page the consumer finished.
   * @default undefined (nothing loaded or saved)
   * @example { checkpoint: fileCheckpoint('pce.cursor') }
   */
  checkpoint?: Checkpoint | undefined;
  /**
   * A cursor to start from when the checkpoint has none.
   * @default undefined (from the start of the listing)
   * @example { cursor: lastPage.cursor }
   */
  cursor?: string | undefined;
  /**
   * Items per request, within the vendor's bounds.
   * @default the listing's `pageSize`
   * @example { pageSize: 200 }
   */
  pageSize?: number | undefined;
  /**
   * Stops watching: a request in flight or a wait between polls is abandoned and the iteration ends
   * cleanly. The page in hand is committed only if the consumer asks for the next one.
   * @default undefined (watches until the consumer stops iterating)
   * @example { signal: controller.signal }
   */
  signal?: AbortSignal | undefined;
  /**
   * The clock the wait between polls is slept on; tests inject a fast one.
   * @default the clock of the listing's client (its `clock` option), else `systemClock`
   * @example { clock: scaledClock(0.001) }
   */
  clock?: Clock | undefined;
}

/**
 * Yields pages as they arrive. The checkpoint is saved when the consumer asks for the next page, so a
 * page is committed only once it was handled: a crash repeats at most one page, and never loses one.
 * The listing of any of several clients (`IllumioClient | TinesClient`) yields each vendor's pages,
 * typed as such, as `merge()` types its items.
 * @example
 * for await (const page of watch(pce.events.list({ since: '2026-11-01' }), { checkpoint: fileCheckpoint('pce.cursor') })) {
 *   await store(page.items);
 * }
 */
export function watch<T = unknown, S extends Paginated<T> = Paginated<T>>(
  source: S,
  options: WatchOptions = {},
): AsyncGenerator<PageOf<S>, void, undefined> {
  // A client's events or its uncalled `list`, slips a JavaScript caller makes, would fail only at the
  // first page, with a TypeError of a minified name.
  if (!isRecord(source) || typeof source.byPage !== 'function') {
    invalidOption('source', `expected a listing such as client.events.list(), got ${describe(source)}`);
  }
  checkOptions(options);
  const interval = options.interval ?? DEFAULT_INTERVAL;
  // Closing the iteration (`return()`, as `break` or `merge()` does) also ends the wait between polls:
  // an async generator waiting there would otherwise take the close only once the wait was over.
  const closing = new AbortController();
  const unsaved: Unsaved = {};
  const pages = poll(source, { ...options, interval }, closing.signal, clientOf(source), unsaved);
  const close = pages.return.bind(pages);
  pages.return = async (value) => {
    closing.abort(new DOMException('The watch was closed', 'AbortError'));
    const result = await close(value);
    // The close also reports a cursor that could not be saved: a merge closing its watches drops
    // what their pending `next()` answered, and would otherwise end as if every page were committed.
    if (unsaved.failure !== undefined) throw unsaved.failure.error;
    return result;
  };
  // The pages of `source` are those of its items, which `PageOf` spells for a union of listings too;
  // the compiler does not resolve the conditional for a type parameter.
  return pages as AsyncGenerator<PageOf<S>, void, undefined>;
}

const always = (): boolean => true;

/**
 * The options, by the rules every option is checked by: a misspelt `checkpoint` would save nothing, so
 * a restart lists everything again, and a store without `save` would fail only once the first page was
 * handled. `cursor` and `pageSize` are the listing's to check, before its first request.
 */
const OPTIONS: Rules = {
  interval: [(value) => typeof value === 'number' && value >= 0 && Number.isFinite(value), 'a finite number of milliseconds >= 0'],
  checkpoint: [
    (value) => isRecord(value) && typeof value.load === 'function' && typeof value.save === 'function',
    'a Checkpoint ({ load, save }) such as fileCheckpoint(path)',
  ],
  cursor: [always, ''],
  pageSize: [always, ''],
  signal: SIGNAL_RULE,
  clock: [(value) => isRecord(value) && typeof value.sleep === 'function', 'a Clock ({ now, sleep, scale }) such as scaledClock(0.001)'],
};

function checkOptions(options: unknown): void {
  if (!isPlainObject(options)) invalidOption('options', `expected an object, got ${describe(options)}`);
  checkMembers(options, '', OPTIONS, true);
}

/** The failure of the last save, once one failed (a box: the thrown value may be anything). */
interface Unsaved {
  failure?: { error: unknown };
}

/**
 * `owner`: the client that made the listing. Its signal ends the wait between polls as it ends a
 * listing between pages, and the watch then fails with its reason, as the listing would; its clock is
 * the one the wait is slept on, unless the watch was given its own.
 *
 * The watch's own signal is listened to only while the watch waits on something (a request, a save, the
 * interval), not while a page is in the consumer's hands: a watch dropped there without `return()`
 * leaves no listener, holding its listing, on a long-lived signal.
 */
async function* poll<T>(
  source: Paginated<T>,
  options: WatchOptions,
  closing: AbortSignal,
  owner: ListingClient | undefined,
  unsaved: Unsaved,
): AsyncGenerator<Page<T>, void, undefined> {
  const client = owner?.signal;
  const clock = options.clock ?? owner?.clock ?? systemClock;
  const { checkpoint, interval = DEFAULT_INTERVAL } = options;
  const stopped = (): boolean => options.signal?.aborted === true || closing.aborted;
  const reason = (): unknown => (options.signal?.aborted === true ? options.signal.reason : closing.reason);
  // A store that does not answer must not hold a stop: the signal and the close end the load too, and
  // the client's signal fails it with its reason, as it fails the listing.
  const loading = linkSignals([options.signal, closing, client]);
  let loaded: string | undefined;
  try {
    // A store kept in the process (a JavaScript caller's map, a synchronous database client) may answer
    // at once, with no promise: `untilAborted` failed on it with a TypeError that named nothing.
    loaded = checkpoint === undefined ? undefined : loadedCursor(await untilAborted(Promise.resolve(checkpoint.load()), loading.signal));
  } catch (error) {
    if (stopped() && error === reason()) return;
    throw error;
  } finally {
    loading.dispose();
  }
  let cursor = loaded ?? options.cursor;
  // Without a checkpoint, the page whose cursor the next poll resumes from, read only then: encoding a
  // cursor that holds thousands of ids takes up to a millisecond, which every page would otherwise pay.
  let last: Page<T> | undefined;
  while (!stopped()) {
    if (last !== undefined) cursor = last.cursor;
    last = undefined;
    const pages = source
      .byPage({
        ...(cursor === undefined ? {} : { cursor }),
        ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      })
      [Symbol.asyncIterator]();
    // Stopping abandons the request in flight too, not only the wait between polls.
    const abandon = (): void => void pages.return?.().catch(noop);
    const listen = (): LinkedSignal => {
      const active = linkSignals([options.signal, closing]);
      active.signal.addEventListener('abort', abandon, { once: true });
      return active;
    };
    let active = listen();
    try {
      for (let next = await pages.next(); next.done !== true; next = await pages.next()) {
        active.dispose();
        yield next.value;
        active = listen();
        if (checkpoint === undefined) last = next.value;
        else await save(checkpoint, (cursor = next.value.cursor), unsaved, (error) => stopped() && error === reason());
        if (stopped()) return;
      }
      const wait = linkSignals([active.signal, client]);
      try {
        await clock.sleep(interval, wait.signal);
      } finally {
        wait.dispose();
      }
    } catch (error) {
      // Stopping ends the watch quietly; any other failure (a checkpoint that could not be saved, even
      // with an `AbortError` of its store's own, such as its client's timeout) is the caller's to know,
      // stopped or not.
      if (unsaved.failure?.error === error) throw error;
      if (loaded !== undefined && cursor === loaded && isCursorError(error)) error.message += '; the checkpoint loaded it';
      if (stopped() && (error === reason() || (error as Error | undefined)?.name === 'AbortError')) return;
      throw error;
    } finally {
      active.dispose();
      await pages.return?.().catch(noop);
    }
  }
}

/**
 * What a checkpoint loaded, as a cursor. A store of the application's own answers as its client does:
 * `null` or `undefined` is none. A value that is no string (a number, a record its client parsed) or
 * an empty one is refused naming the checkpoint, as is a cursor the listing refuses: the listing's
 * `Invalid cursor` told nothing of where it came from. Whitespace around it (a value written by hand)
 * is no part of a cursor, as `fileCheckpoint` reads one.
 */
function loadedCursor(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new CursorError(`the checkpoint loaded ${describe(value)}, not a cursor; clear it to start the listing over`, { reason: 'checkpoint' });
  }
  return value.trim();
}

/**
 * `byStop`: whether a save's failure is the stop under way, its very reason (a store given the watch's
 * own signal): the page is then left uncommitted as by a stop before it, quietly.
 */
async function save(checkpoint: Checkpoint, cursor: string, unsaved: Unsaved, byStop: (error: unknown) => boolean): Promise<void> {
  try {
    await checkpoint.save(cursor);
  } catch (error) {
    if (byStop(error)) throw error;
    unsaved.failure = { error };
    throw error;
  }
}
