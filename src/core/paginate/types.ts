/**
 * The public pagination contract and the interface every paging strategy implements. The engine
 * (`paginate`) turns a strategy into a `Paginated<T>`: cursors, prefetch, cancellation, `toArray`.
 */
import type { Clock } from '../clock.js';
import type { ProviderName } from '../errors.js';

/** One page of results. */
export interface Page<T> {
  items: T[];
  /**
   * Resumes right after this page. On the last page it is a tail cursor: resumed later, it yields only
   * what arrived since. Opaque, versioned and URL-safe.
   */
  cursor: string;
  /** Whether the vendor has more right now; `false` on the last page. */
  hasMore: boolean;
}

export interface ByPageOptions {
  /**
   * A cursor from an earlier `Page`, of the same provider and query.
   * @default undefined (from the start of the listing)
   * @example { cursor: lastPage.cursor }
   */
  cursor?: string | undefined;
  /**
   * Items per request, within the vendor's bounds.
   * @default the query's `pageSize`
   * @example { pageSize: 200 }
   */
  pageSize?: number | undefined;
  /**
   * Aborts this iteration: honoured between pages, during back-off, while queued in the rate limiter,
   * and in the request in flight, which the iteration then rejects with the signal's reason. The cursors
   * of the pages already handed out resume right after them, so nothing is lost.
   * @default undefined (only the client's own signal)
   * @example { cursor, signal: AbortSignal.timeout(30_000) }
   */
  signal?: AbortSignal | undefined;
}

export interface ToArrayOptions {
  /**
   * Stops after this many items.
   * @default Infinity
   * @example { maxItems: 1_000 }
   */
  maxItems?: number | undefined;
  /**
   * Aborts this iteration: honoured between pages, during back-off, while queued in the rate limiter,
   * and in the request in flight, which the iteration then rejects with the signal's reason. No item is
   * returned: the promise rejects.
   * @default undefined (only the client's own signal)
   * @example { signal: AbortSignal.timeout(30_000) }
   */
  signal?: AbortSignal | undefined;
}

export interface Paginated<T> extends AsyncIterable<T> {
  byPage(options?: ByPageOptions): AsyncIterable<Page<T>>;
  toArray(options?: ToArrayOptions): Promise<T[]>;
}

/** What one fetch of a strategy produced. */
export interface Step<R, S> {
  /** The page's vendor items, in delivery order, already deduped by the strategy. */
  items: R[];
  /** The state that resumes right after this page; on the last page, the tail state. */
  state: S;
  /** No more items right now. */
  done: boolean;
}

/** What a strategy's fetch knows of the iteration it serves. */
export interface FetchContext {
  /**
   * Whether the iteration hands out cursors (`byPage`). `for await` over items and `toArray` do not:
   * no later listing resumes theirs, so nothing need be kept back for one.
   * @default true
   */
  resumable: boolean;
}

/**
 * A paging style. The state must be plain JSON (it is what a cursor carries) and small: it must not
 * grow with the number of pages.
 */
export interface Strategy<R, S> {
  readonly kind: 'token' | 'since-id' | 'marker' | 'offset' | 'time-window';
  /** The state of a fresh listing. */
  initial(): S;
  /** Fetches the page that `state` points at. */
  fetch(state: S, pageSize: number, signal: AbortSignal, context?: FetchContext): Promise<Step<R, S>>;
  /** Checks the state decoded from a cursor; throws a message (string) when it is not well-formed. */
  validate(state: unknown): S;
}

export interface PaginateOptions<R, T, S> {
  provider: ProviderName;
  operation: string;
  /** The query a cursor is bound to: a cursor from another query is a `CursorError`. */
  query: unknown;
  strategy: Strategy<R, S>;
  /**
   * No event can match the query (a time window that holds no millisecond an event can carry,
   * `TimeWindow.empty`): the listing ends at once, asking nothing, with the strategy's cursors.
   */
  empty?: boolean | undefined;
  /** Turns a page of vendor items into normalized items: once per page, never per event. */
  normalize: (items: R[]) => T[];
  pageSize: number;
  /** The client that made the listing (a provider passes its `ClientContext`). */
  client?: ListingClient | undefined;
}

/** What a listing takes from the client that made it. */
export interface ListingClient {
  /** The client's signal: it stops the listing between pages and aborts its request in flight. */
  readonly signal?: AbortSignal | undefined;
  /** The client's clock: a `watch()` of the listing sleeps between polls on it unless given its own. */
  readonly clock?: Clock | undefined;
}

/**
 * `StrategyCapabilities.maxEmptyPages` as a function. Typed as a method, as `following` and `position`
 * are, so that a strategy of a narrower state still fits where one of any state is taken.
 */
export type EmptyPagesLimit<S> = { limit(pageSize: number, state: S): number }['limit'];

/**
 * Optional capabilities a strategy may declare beside `Strategy`; the engine reads them when present.
 */
export interface StrategyCapabilities<S> {
  /**
   * Consecutive pages that are empty but not the end (every item was a duplicate) tolerated before the
   * listing fails instead of spinning; a function of the page size where a listing may legitimately
   * meet a known number of duplicates in a row (the ids a tail remembers), which small pages spread
   * over more pages. It is given the state the listing starts from too (the cursor's), for a strategy
   * whose resumed pages keep a size of their own rather than the one asked now.
   * @default 25
   */
  readonly maxEmptyPages?: number | EmptyPagesLimit<S>;
  /**
   * Pages the engine may fetch ahead of the consumer. Above 1 only with `following`.
   * @default 1
   */
  readonly lookahead?: number;
  /**
   * The state after the page at `state`, when it is known without fetching that page (an offset
   * listing with a known total), so that several pages can be fetched at once. A wrong guess costs a
   * discarded request, never a wrong result: the engine compares it with the state the fetch returns.
   */
  following?(state: S, pageSize: number): S | undefined;
  /**
   * A short key of where `state` points in the listing: two states with the same key are the same
   * position (the engine fails a listing that comes back to one, and matches a predicted page against
   * the fetched one by it). It must change whenever the listing moves forward.
   * @default JSON.stringify(state)
   */
  position?(state: S): string;
}

/** Page-size bounds of a vendor endpoint, checked before any request. */
export interface PageSizeBounds {
  /** @default 1 */
  minPageSize?: number;
  /** @default Infinity */
  maxPageSize?: number;
}

/** A strategy as the factories in this folder build it: the contract plus its optional capabilities. */
export type PagingStrategy<R, S> = Strategy<R, S> & StrategyCapabilities<S>;
