/**
 * The pagination engine: turns a `Strategy` into a `Paginated<T>`. It owns what every paging style
 * shares: cursors, prefetch, cancellation, normalization once per page and the guards against endless
 * listings. Strategies only know how to fetch one page.
 *
 * Prefetch: when page k is handed to the consumer, the fetch of page k+1 is already started (or, with a
 * strategy that can predict its next states, up to `lookahead` pages), so network and consumer overlap
 * while memory stays bounded to that many pages.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { callSignal } from '../call-options.js';
import { describe, SIGNAL_RULE, type Rules } from '../config.js';
import { ConfigurationError, nameContext, ResponseValidationError, type ProviderName } from '../errors.js';
import { decodeCursor, encodeCursor, queryFingerprint, type CursorBinding } from '../cursor.js';
import { Failure, linkSignals, type LinkedSignal } from '../signal.js';
import { listsNothing } from './lists-nothing.js';
import { lazyCursorPage } from './page.js';
import { NoProgressError } from './state.js';
import type {
  ByPageOptions,
  FetchContext,
  Page,
  PageSizeBounds,
  Paginated,
  ListingClient,
  PaginateOptions,
  PagingStrategy,
  Step,
  ToArrayOptions,
} from './types.js';

export const DEFAULT_MAX_EMPTY_PAGES = 25;
/**
 * Recent states remembered to detect a listing that comes back to where it was (a token cycle); bounded
 * so memory stays flat on endless tails. Longer cycles are caught by the strategies' own progress checks.
 */
const MAX_REMEMBERED_STATES = 256;

/**
 * The client of each listing, for `watch()`: it honours the client's signal between polls as the listing
 * does between pages, and sleeps between polls on the clock the client's other waits use.
 */
const clients = new WeakMap<object, ListingClient>();

/** The client that made `listing`, if it was made by one. */
export function clientOf(listing: object): ListingClient | undefined {
  return clients.get(listing);
}

/** `byPage` hands out each page's cursor; the items and `toArray` never show one. */
const RESUMABLE: FetchContext = { resumable: true };
const CURSORLESS: FetchContext = { resumable: false };

/** Runs `options.strategy` as an async iterable of items, with `byPage` and `toArray`. */
export function paginate<R, T, S>(options: PaginateOptions<R, T, S> & PageSizeBounds): Paginated<T> {
  if (options.empty === true) options = { ...options, strategy: listsNothing(options.strategy as PagingStrategy<R, S>) };
  const binding: CursorBinding = {
    provider: options.provider,
    query: queryFingerprint(options.query),
    kind: options.strategy.kind,
  };
  const pages = (byPage: ByPageOptions = {}): AsyncIterable<Page<T>> => ({
    [Symbol.asyncIterator]: () => new PageIterator(options, binding, byPage, RESUMABLE),
  });
  const listing: Paginated<T> = {
    byPage: pages,
    [Symbol.asyncIterator]: () => new ItemIterator(new PageIterator(options, binding, {}, CURSORLESS)),
    toArray: (toArrayOptions: ToArrayOptions = {}) =>
      collect(
        (signal, wanted) => ({ [Symbol.asyncIterator]: () => new PageIterator(options, binding, { signal }, CURSORLESS, wanted) }),
        toArrayOptions,
        options,
      ),
  };
  if (options.client !== undefined) clients.set(listing, options.client);
  return listing;
}

/**
 * `pages`: the listing's pages, told how many items the caller still takes beyond those handed out, so
 * that no page beyond the one that completes `maxItems` is fetched ahead (Informatica's predicted pages
 * spent its limit of 5 requests a minute on a `toArray({ maxItems })` one page could answer).
 */
async function collect<T>(
  pages: (signal: AbortSignal | undefined, wanted: () => number) => AsyncIterable<Page<T>>,
  toArrayOptions: ToArrayOptions,
  context: { provider: ProviderName; operation: string; client?: ListingClient | undefined },
): Promise<T[]> {
  const signal = pagingSignal(toArrayOptions, TO_ARRAY, context);
  const { maxItems = Infinity } = toArrayOptions;
  const out: T[] = [];
  // Aborted already, the client's signal (a closed client) or the call's: a rejection, even where no
  // request was needed.
  const client = context.client?.signal;
  if (client?.aborted) throw client.reason;
  if (signal?.aborted) throw signal.reason;
  if (maxItems === 0) return out;
  // Breaking out of the loop closes the page iterator, which aborts the prefetch in flight.
  for await (const page of pages(signal, () => maxItems - out.length)) {
    for (const item of page.items) {
      out.push(item);
      if (out.length >= maxItems) return out;
    }
  }
  return out;
}

interface Flight<R, S> {
  state: S;
  key: string;
  /** Aborts the fetch; linked to the listing's signal only while the fetch is in flight. */
  link: LinkedSignal;
  /** Settles with a `Failure` when the fetch fails or its link aborts first. */
  promise: Promise<Step<R, S> | Failure>;
}

class PageIterator<R, T, S> implements AsyncIterator<Page<T>> {
  private readonly strategy: PagingStrategy<R, S>;
  private state: S | undefined;
  private pageSize = 0;
  private started = false;
  private finished = false;
  private readonly flights: Array<Flight<R, S>> = [];
  private readonly seen = new Set<string>();
  private emptyPages = 0;
  private maxEmptyPages = DEFAULT_MAX_EMPTY_PAGES;
  /** Fetches started so far. */
  private launches = 0;
  /** The call's own signal (`byPage`'s or `toArray`'s), once the options are checked. */
  private signal: AbortSignal | undefined;

  constructor(
    private readonly options: PaginateOptions<R, T, S> & PageSizeBounds,
    private readonly binding: CursorBinding,
    private readonly byPage: ByPageOptions,
    private readonly context: FetchContext,
    /** Items the caller still takes beyond those handed out; none given, every page. */
    private readonly wanted?: () => number,
  ) {
    this.strategy = options.strategy as PagingStrategy<R, S>;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * The `next()` being answered, if any. Calls made meanwhile wait for it, in the order made, as an
   * async generator's do: two at once (`Promise.all`, one iterator given twice to `merge`) both took
   * the same page, and the second took it as a position already passed and failed the listing.
   */
  private readonly calls: Calls = { turn: undefined };

  next(): Promise<IteratorResult<Page<T>, undefined>> {
    return queued(this.calls, () => this.step());
  }

  private async step(): Promise<IteratorResult<Page<T>, undefined>> {
    if (this.finished) return { done: true, value: undefined };
    try {
      if (!this.started) this.start();
      const client = this.options.client?.signal;
      if (client?.aborted) throw client.reason;
      if (this.signal?.aborted) throw this.signal.reason;
      // The flight stays listed while awaited, so that an abort reaches it.
      if (this.flights.length === 0) this.flights.push(this.launch(this.state as S));
      const step = await (this.flights[0] as Flight<R, S>).promise;
      // Closed while the page came in, or by aborting its fetch: it is not handed out, nothing more is
      // fetched, and the call ends as the listing does. The close's abort was no failure: rejected, it
      // went unhandled where the caller had stopped waiting for this call (raced against a timer).
      if (this.finished) return { done: true, value: undefined };
      if (step instanceof Failure) throw step.error;
      this.flights.shift();
      const launched = this.launches;
      const state = this.accept(step);
      // A fetch started here only reaches the socket after a few turns of the request pipeline (auth,
      // limiter, ky), which the page's normalization and a consumer that computes on the page would
      // hold back: let the event loop run once so the request is sent first, then normalize.
      if (this.launches > launched) await nextTurn();
      const { binding } = this;
      // Strategies return a new state object for every page, so encoding it later encodes this page's.
      return {
        done: false,
        value: lazyCursorPage(this.options.normalize(step.items), !step.done, () => encodeCursor(binding, state)),
      };
    } catch (error) {
      this.finish(error);
      if (error instanceof NoProgressError) throw this.stuck(error.message, error.raw, error.advice);
      throw error;
    }
  }

  async return(): Promise<IteratorResult<Page<T>, undefined>> {
    this.finish(new DOMException('The listing was closed before its end', 'AbortError'));
    return { done: true, value: undefined };
  }

  /** Checks the options and the cursor, then starts the first fetch; nothing is sent before this. */
  private start(): void {
    this.started = true;
    const { options, byPage } = this;
    const context = { provider: options.provider, operation: options.operation };
    this.signal = pagingSignal(byPage, BY_PAGE, context);
    // Only `undefined` takes the query's size: `null` is a value, refused as a query refuses it.
    this.pageSize = checkPageSize(byPage.pageSize === undefined ? options.pageSize : byPage.pageSize, options, context);
    this.state =
      byPage.cursor === undefined
        ? this.strategy.initial()
        : decodeCursor(byPage.cursor, this.binding, (s) => this.strategy.validate(s), options.operation);
    const { maxEmptyPages } = this.strategy;
    if (maxEmptyPages !== undefined) this.maxEmptyPages = typeof maxEmptyPages === 'number' ? maxEmptyPages : maxEmptyPages(this.pageSize, this.state);
    const key = this.key(this.state);
    this.remember(key);
    if (options.client?.signal?.aborted || this.signal?.aborted) return;
    this.flights.push(this.launch(this.state, key));
  }

  /**
   * `key`: the state's position key when the caller has it already; a strategy without `position` has
   * its whole state written as JSON for it, overlap keys included (FUJITSU, Illumio, Tines).
   */
  private launch(state: S, key = this.key(state)): Flight<R, S> {
    this.launches += 1;
    // Listening to the listing's signals per fetch, not per iterator: an iterator left without return()
    // (one page peeked) leaves no listener on a long-lived signal once its fetches have settled.
    const link = linkSignals([this.options.client?.signal, this.signal]);
    // A prefetched page may fail before the consumer asks for it; the failure surfaces when it does.
    const promise = link.settle(this.strategy.fetch(state, this.pageSize, link.signal, this.context));
    return { state, key, link, promise };
  }

  /** Takes a fetched step as the listing's position, after the guards, and schedules the fetches ahead. */
  private accept(step: Step<R, S>): S {
    const key = this.key(step.state);
    if (!step.done) {
      if (this.seen.has(key)) throw this.stuck('the listing came back to a position it had already passed', step);
      this.emptyPages = step.items.length === 0 ? this.emptyPages + 1 : 0;
      if (this.emptyPages > this.maxEmptyPages) throw this.stuck(`${this.emptyPages} pages in a row brought no new item`, step);
      this.remember(key);
    }
    const state = (this.state = step.state);
    if (step.done) {
      this.finish(undefined);
    } else {
      this.scheduleAhead(state, key, this.pagesWanted(step.items.length));
    }
    return state;
  }

  /** The strategy's position key of `state`; the whole state as JSON when it declares none. */
  private key(state: S): string {
    return this.strategy.position?.(state) ?? JSON.stringify(state) ?? 'undefined';
  }

  /**
   * Pages the caller may take after the one of `items` vendor items: a page normalized to fewer items
   * than it brought only means that the next one is fetched when asked for, not ahead.
   */
  private pagesWanted(items: number): number {
    return this.wanted === undefined ? Infinity : Math.ceil((this.wanted() - items) / this.pageSize);
  }

  /** `pages`: how many pages after this one the caller may take; no more are fetched ahead. */
  private scheduleAhead(state: S, key: string, pages: number): void {
    const head = this.flights[0];
    if (head !== undefined && head.key !== key) {
      // A predicted page turned out to be the wrong one: drop every guess and fetch the real next page.
      this.abortFlights(new DOMException('Predicted page discarded', 'AbortError'));
      this.flights.length = 0;
    }
    if (pages < 1) return;
    if (this.flights.length === 0) this.flights.push(this.launch(state, key));
    const lookahead = Math.min(pages, this.strategy.following === undefined ? 1 : Math.max(1, this.strategy.lookahead ?? 1));
    while (this.flights.length < lookahead) {
      const tail = this.flights[this.flights.length - 1] as Flight<R, S>;
      const predicted = this.strategy.following?.(tail.state, this.pageSize);
      if (predicted === undefined) break;
      this.flights.push(this.launch(predicted));
    }
  }

  private stuck(reason: string, raw: unknown, advice = "resume from the last page's cursor later or with a larger pageSize"): ResponseValidationError {
    return new ResponseValidationError(
      `${this.options.operation}: pagination stopped because ${reason}; ${advice}`,
      {
        provider: this.options.provider,
        operation: this.options.operation,
        issues: [`${this.strategy.kind} paging: ${reason}`],
        raw,
      },
    );
  }

  private remember(key: string): void {
    if (this.seen.size >= MAX_REMEMBERED_STATES) {
      const oldest = this.seen.values().next();
      if (oldest.done !== true) this.seen.delete(oldest.value);
    }
    this.seen.add(key);
  }

  private abortFlights(reason: unknown): void {
    for (const flight of this.flights) flight.link.abort(reason);
  }

  private finish(reason: unknown): void {
    this.finished = true;
    this.abortFlights(reason ?? new DOMException('The listing ended', 'AbortError'));
    this.flights.length = 0;
  }
}

/** Item-by-item view of the pages: `next()` hands out the current page's items without awaiting anything. */
class ItemIterator<T> implements AsyncIterator<T> {
  private items: T[] = [];
  private index = 0;
  /** The `next()` waiting for a page, if any: calls made meanwhile wait for it, in order. */
  private readonly calls: Calls = { turn: undefined };

  constructor(private readonly pages: AsyncIterator<Page<T>, undefined>) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.calls.turn === undefined && this.index < this.items.length) {
      return Promise.resolve({ done: false, value: this.items[this.index++] as T });
    }
    return queued(this.calls, () => (this.index < this.items.length ? Promise.resolve({ done: false, value: this.items[this.index++] as T }) : this.nextPage()));
  }

  private async nextPage(): Promise<IteratorResult<T, undefined>> {
    // Let go of the spent page before waiting: held across the next page's arrival, its events would
    // survive the young-generation collection that arrival triggers and be copied to the old one.
    this.items = [];
    for (;;) {
      const page = await this.pages.next();
      if (page.done === true) return { done: true, value: undefined };
      if (page.value.items.length > 0) {
        this.items = page.value.items;
        this.index = 1;
        return { done: false, value: this.items[0] as T };
      }
    }
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    this.items = [];
    await this.pages.return?.();
    return { done: true, value: undefined };
  }
}

/** The last call of an iterator, until it settles. */
interface Calls {
  turn: Promise<unknown> | undefined;
}

/**
 * `call`, once the calls of `owner` made before it have settled. Its rejection is the caller's, and
 * does not hold back the calls behind it.
 */
function queued<R>(owner: Calls, call: () => Promise<R>): Promise<R> {
  const before = owner.turn;
  const turn = before === undefined ? call() : before.then(call, call);
  owner.turn = turn;
  const over = (): void => {
    if (owner.turn === turn) owner.turn = undefined;
  };
  turn.then(over, over);
  return turn;
}

/** Members `start()` checks on their own, against the listing (its cursor, its page size bounds). */
const always = (): boolean => true;

/**
 * The options of `byPage()` and `toArray()`: closed, as a call's are. A misspelt `cursor` would list
 * everything again from the start, a misspelt `maxItems` collect the whole listing.
 */
const BY_PAGE: Rules = { cursor: [always, ''], pageSize: [always, ''], signal: SIGNAL_RULE };
const TO_ARRAY: Rules = {
  maxItems: [(value) => value === Infinity || (Number.isInteger(value) && (value as number) >= 0), 'an integer >= 0 or Infinity'],
  signal: SIGNAL_RULE,
};

/**
 * `callSignal`, its errors naming the listing: checked when the iteration starts, outside the client
 * method that would name them.
 */
function pagingSignal(options: unknown, rules: Rules, context: { provider: ProviderName; operation: string }): AbortSignal | undefined {
  try {
    return callSignal(options, rules);
  } catch (error) {
    nameContext(error, context.provider, context.operation);
    throw error;
  }
}

function checkPageSize(
  pageSize: unknown,
  bounds: PageSizeBounds,
  context: { provider: ProviderName; operation: string },
): number {
  const min = bounds.minPageSize ?? 1;
  const max = bounds.maxPageSize ?? Infinity;
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < min || pageSize > max) {
    const range = max === Infinity ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new ConfigurationError(`Invalid option \`pageSize\`: expected ${range}, got ${describe(pageSize)}`, {
      ...context,
      option: 'pageSize',
    });
  }
  return pageSize;
}
