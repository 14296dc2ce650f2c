/**
 * Offset paging: `offset`/`count` (Socotra failed scheduled jobs). The listing ends on an empty page, a
 * short page, or when the offset reaches a known total; `total` alone never ends it early.
 *
 * Every page after the first re-reads a few items before its offset and drops the ones already
 * delivered (`overlap.ts`), so an item that leaves or joins the list before the read position between
 * two reads (a failed job resumed or deleted while the listing runs) makes it skip nothing. The tail
 * cursor is the position after the last item, with the keys of the items before it: resumed later, it
 * yields the items appended since, even when items before it left the list meanwhile.
 *
 * The next offsets are known before their pages are fetched, so up to `concurrency` pages are requested
 * at once and still delivered in order; each is read against the keys its predecessor really ended
 * with (`predecessor.ts`). With a known total the listing stops at it; without one (Socotra failed
 * jobs, VENDORS.md) the pages after the current one are a guess that every page comes back full: the
 * first short or empty page ends the listing and the requests beyond it are aborted and dropped, so a
 * guess costs at most `concurrency - 1` requests, never a wrong result. The requests go through the
 * provider's client, so its rate limiter bounds the real parallelism.
 */
import * as z from 'zod';
import { OVERLAP_ITEMS, OVERLAP_KEYS, offsetOverlap, type OverlapPosition } from './overlap.js';
import { parseState, requireOption } from './state.js';
import type { PagingStrategy } from './types.js';

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
   * The key an item is remembered under in a cursor, unique within the listing: short, such as an
   * `idKey` of its identity.
   */
  key(item: R): string;
  /**
   * The largest `limit` the vendor serves whole. A page re-reads a few items before its offset, so a
   * `pageSize` near it brings a few items fewer; a listing that lost its position reads this many.
   * @example 1000
   */
  maxLimit: number;
  /**
   * Pages requested at once (the consumer still gets them in order, and at most this many pages are
   * held). Without a known total, the pages after the current one are requested on the guess that it
   * comes back full; past the end of the listing that costs up to `concurrency - 1` requests.
   * @default 1
   * @example 4
   */
  concurrency?: number;
}

export interface OffsetState extends OverlapPosition {
  /**
   * The total the vendor reported with the previous page; `null` when unknown. Read only to predict the
   * pages after that page: a listing resumed from a cursor predicts nothing before its first page brings
   * a total of its own, so a tail's stale total is never read.
   */
  n: number | null;
}

const count = z.number().int().min(0);
const stateSchema = z.object({
  o: count,
  n: count.nullable(),
  // Absent in cursors issued before the overlap: their offset is trusted, and they never lost it.
  p: z.array(z.string()).max(OVERLAP_KEYS).default([]),
  r: count.default(0),
});

/** Offset/limit paging over a list that may change behind the read position. */
export function offsetStrategy<R>(options: OffsetStrategyOptions<R>): PagingStrategy<R, OffsetState> {
  const { fetchPage, key, maxLimit, concurrency = 1 } = options;
  requireOption(Number.isInteger(concurrency) && concurrency >= 1, 'concurrency', 'an integer >= 1');
  requireOption(Number.isInteger(maxLimit) && maxLimit > OVERLAP_ITEMS, 'maxLimit', `an integer > ${OVERLAP_ITEMS}`);
  // The offset says which page a request fetched: a guess made before the total was known (or before
  // it changed) still fetched the right items, the total comes with the answer. Offsets found again
  // after a lost position (`r`) do not compare with the ones before.
  const position = (state: OffsetState): string => `${state.r}:${state.o}`;
  const overlap = offsetOverlap<R, OffsetState>({
    overlap: OVERLAP_ITEMS,
    maxLimit,
    keys: { key },
    position,
    at: (state) => state,
  });
  return {
    kind: 'offset',
    lookahead: concurrency,
    initial: () => ({ o: 0, n: null, p: [], r: 0 }),
    validate: (state) => parseState(stateSchema, state),
    following(state, pageSize) {
      const o = overlap.following(state.o, pageSize);
      return state.n === null || o < state.n ? overlap.predict(state, { ...state, o }) : undefined;
    },
    position,
    fetch(state, pageSize, signal) {
      return overlap.fetch(state, pageSize, (request) => fetchPage(request, signal), (_before, read) => {
        const { o, p, r } = read.position;
        const n = read.total ?? null;
        const done = read.end || (n !== null && o >= n);
        return { items: read.items, state: { o, n, p, r }, done };
      });
    },
  };
}
