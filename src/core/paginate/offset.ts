/**
 * Offset paging: `offset`/`count` (Socotra failed scheduled events) and `firstResult`/`maxResults`
 * (Informatica, whose POST search has a 5 requests/minute limit). The listing ends on an empty page, a
 * short page, or when the offset reaches a known total; `total` alone never ends it early.
 *
 * The next offsets are known before their pages are fetched, so up to `concurrency` pages are requested
 * at once and still delivered in order. With a known total the listing stops at it; without one (Socotra
 * failed jobs, VENDORS.md) the pages after the current one are a guess that every page comes back
 * full: the first short or empty page ends the listing and the requests beyond it are aborted and
 * dropped, so a guess costs at most `concurrency - 1` requests, never a wrong result. The requests go
 * through the provider's client, so its rate limiter bounds the real parallelism: with Informatica's
 * 5/min the extra requests simply wait in the limiter's queue.
 *
 * Offsets do not survive insertions before the read position; page over a fixed window (Informatica
 * `CUSTOM` `fromDate`/`toDate`, VENDORS.md) so the list does not move underneath.
 */
import * as z from 'zod';
import { parseState, requireOption } from './state.js';
import type { PagingStrategy, Step } from './types.js';

export interface OffsetRequest {
  /** Items to skip (`offset`, `firstResult`). */
  offset: number;
  /** Items to return (`count`, `maxResults`). */
  limit: number;
}

export interface OffsetPage<R> {
  items: R[];
  /** The number of matches, when the vendor says it. */
  total?: number | undefined;
}

export interface OffsetStrategyOptions<R> {
  /** Fetches one page through the provider's client. */
  fetchPage(request: OffsetRequest, signal: AbortSignal): Promise<OffsetPage<R>>;
  /**
   * Pages requested at once (the consumer still gets them in order, and at most this many pages are
   * held). Without a known total, the pages after the current one are requested on the guess that it
   * comes back full; past the end of the listing that costs up to `concurrency - 1` requests.
   * @default 1
   * @example 4
   */
  concurrency?: number;
}

export interface OffsetState {
  /** Offset of the next request: the number of items read so far. */
  o: number;
  /** The total the vendor reported with the previous page; `null` when unknown. */
  n: number | null;
}

const count = z.number().int().min(0);
const stateSchema = z.object({ o: count, n: count.nullable() });

/**
 * The state after a full page at `state`: known before that page is fetched, unless a known total says
 * the listing ends there.
 */
export function followingOffset(state: OffsetState, pageSize: number): OffsetState | undefined {
  return state.n === null || state.o + pageSize < state.n ? { o: state.o + pageSize, n: state.n } : undefined;
}

/** Offset/limit paging; the tail cursor is the offset after the last item, so appended items come later. */
export function offsetStrategy<R>(options: OffsetStrategyOptions<R>): PagingStrategy<R, OffsetState> {
  const { fetchPage, concurrency = 1 } = options;
  requireOption(Number.isInteger(concurrency) && concurrency >= 1, 'concurrency', 'an integer >= 1');
  return {
    kind: 'offset',
    lookahead: concurrency,
    initial: () => ({ o: 0, n: null }),
    validate: (state) => parseState(stateSchema, state),
    following: followingOffset,
    // The offset alone says which page a request fetched: a guess made before the total was known (or
    // before it changed) still fetched the right items, the total comes with the answer.
    position: (state) => String(state.o),
    async fetch(state, pageSize, signal): Promise<Step<R, OffsetState>> {
      const { items, total } = await fetchPage({ offset: state.o, limit: pageSize }, signal);
      const o = state.o + items.length;
      const n = typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : null;
      const done = items.length === 0 || items.length < pageSize || (n !== null && o >= n);
      // The tail forgets the total: it will have changed by the time the cursor is used.
      return { items, state: { o, n: done ? null : n }, done };
    },
  };
}
