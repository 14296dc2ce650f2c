/**
 * Newest-first paging inside a time window with a total count (Illumio PCE events). VENDORS.md: there
 * is no cursor; `max_results` is capped at 10000 and results beyond it are dropped silently; the
 * `X-Total-Count` header says how many matched; bounds `timestamp[gte]`/`timestamp[lte]` are inclusive;
 * dedupe on `href`.
 *
 * When the total exceeds what came back, the rest of the window is older than the oldest item of the
 * page, so the next request moves `to` down to that instant. The bound is inclusive, so the items at
 * that instant come again: their ids are kept in the state and dropped. When a whole page is already
 * delivered items at one instant, the request is repeated once with `maxPageSize`; if that cannot move
 * either (more events at one millisecond than the vendor's cap), the listing fails: nothing is ever
 * dropped silently.
 *
 * The tail cursor's window starts a minute before the newest instant delivered and drops the ids
 * delivered in that minute (`boundary.ts`, the overlap): resumed later, it yields the events that
 * arrived since, also those that became visible late with a timestamp in that minute; one dated
 * before it is not found. Once that minute has settled (`settle.ts`, on `now`), the tail starts at the
 * newest instant: a quiet poll after a burst costs one request, not the burst's minute again.
 */
import * as z from 'zod';
import {
  boundIgnored,
  canonicalTimeSchema,
  floorOf,
  floorStateShape,
  instant,
  instantKeysSchema,
  overlapOf,
  overlapState,
  pastRereads,
  newestDeliveredAt,
  scanPage,
  settleOverlap,
  tailFloor,
  windowBound,
  type FloorState,
  type OverlapState,
  type SettleState,
} from './boundary.js';
import { NoProgressError, parseState, requireOption } from './state.js';
import type { PagingStrategy, Step } from './types.js';

export interface TimeWindowRequest {
  /** Inclusive start (canonical RFC 3339); `undefined` for no lower bound. */
  from: string | undefined;
  /** Inclusive end; `undefined` for no upper bound (the first request of a listing without `until`). */
  to: string | undefined;
  /** `max_results`. */
  limit: number;
}

export interface TimeWindowPage<R> {
  items: R[];
  /** Matches in the window (`X-Total-Count`), including those beyond `limit`. */
  total: number;
}

export interface TimeWindowStrategyOptions<R> {
  /** The time window of the query; times in any form `toRfc3339Millis` reads. */
  window: { from?: string | undefined; to?: string | undefined };
  /** Fetches one page through the provider's client; results newest first. */
  fetchPage(request: TimeWindowRequest, signal: AbortSignal): Promise<TimeWindowPage<R>>;
  /** The item's time (millisecond precision). */
  time(item: R): string;
  /** The item's stable id (Illumio `href`). */
  id(item: R): string;
  /**
   * The error of an item whose time cannot be read: the same event fails again on a resume, so the
   * error names it and its field rather than advising one.
   * @default a `NoProgressError` that quotes the time
   */
  unusableTime?: ((item: R) => Error) | undefined;
  /**
   * The vendor's cap on one request, used once when a page cannot move past one instant.
   * @example 10_000
   */
  maxPageSize: number;
  /**
   * Consecutive pages of duplicates tolerated before failing.
   * @default 25
   */
  maxEmptyPages?: number;
  /**
   * The client's clock (`Clock.now`), read as a listing starts and after a page that delivered a newer
   * instant, to tell when the tail's overlap has settled (`settle.ts`).
   * @default undefined (the tail re-reads the overlap until a newer event comes)
   * @example now: () => ctx.clock.now()
   */
  now?: (() => number) | undefined;
}

/** The floor (`f`, `fi`, `fu`), the overlap met so far (`k`, `c`) and when the newest instant came (`sa`): `boundary.ts`. */
export interface TimeWindowState extends FloorState, OverlapState, SettleState {
  /** The current inclusive upper bound (moved down page by page), and the keys delivered at it. */
  t: string | null;
  ti: string[];
  /** The newest instant delivered, and the keys at it. */
  n: string | null;
  ni: string[];
}

const time = canonicalTimeSchema;
const keys = instantKeysSchema;
const stateSchema = z.object({ ...floorStateShape, t: time.nullable(), ti: keys, n: time.nullable(), ni: keys });

/** Time-window paging that never loses events to the silent cap; the tail overlaps the last minute. */
export function timeWindowStrategy<R>(options: TimeWindowStrategyOptions<R>): PagingStrategy<R, TimeWindowState> {
  const { fetchPage, maxPageSize, now } = options;
  requireOption(Number.isInteger(maxPageSize) && maxPageSize >= 1, 'maxPageSize', 'an integer >= 1');
  const from = windowBound(options.window.from, 'window.from');
  const to = windowBound(options.window.to, 'window.to');
  return {
    kind: 'time-window',
    ...(options.maxEmptyPages === undefined ? {} : { maxEmptyPages: options.maxEmptyPages }),
    initial: () => ({ f: from ?? null, fi: [], fu: null, t: null, ti: [], n: null, ni: [], k: [], c: null, sa: null }),
    validate: (state) => parseState(stateSchema, state),
    fetch: (state, pageSize, signal) =>
      pastRereads(state, async (at): Promise<{ step: Step<R, TimeWindowState>; reread: boolean }> => {
        let limit = Math.min(pageSize, maxPageSize);
        // A listing's first request: whether it reads the overlap for the last time is told before it is sent.
        const overlap = at.t === null ? settleOverlap(overlapOf(at, true), at.n, at.sa, now) : overlapOf(at, false);
        for (;;) {
          const page = await fetchPage({ from: at.f ?? undefined, to: at.t ?? to, limit }, signal);
          // An empty page cannot end a window its total says holds more: the rest would be lost unseen.
          if (page.items.length === 0 && page.total > 0) {
            throw new NoProgressError(`the vendor counted ${page.total} events up to ${at.t ?? 'the window end'} but sent none`, page.items);
          }
          const scan = scanPage({
            items: page.items,
            time: options.time,
            id: options.id,
            unusableTime: options.unusableTime,
            upper: instant(at.t, at.ti),
            floor: floorOf(at),
            newest: instant(at.n, at.ni),
            overlap,
          });
          const n = scan.newest?.time ?? null;
          const ni = scan.newest?.keys ?? [];
          const sa = newestDeliveredAt(at.sa, at.n, scan.newest, now);
          // Everything in the window came (the total counts the boundary items we already had, too).
          if (page.items.length === 0 || page.total <= page.items.length || scan.belowFloor) {
            // Timestamps are milliseconds: a cut overlap starts a millisecond after the cut.
            const tail = tailFloor(at, scan.newest, scan.overlap, 1);
            return { step: { items: scan.fresh, state: { ...tail, t: null, ti: [], n, ni, sa }, done: true }, reread: false };
          }
          const oldest = scan.oldest;
          if (oldest !== null && (scan.fresh.length > 0 || oldest.time !== at.t)) {
            const next = { f: at.f, fi: at.fi, fu: at.fu, t: oldest.time, ti: oldest.keys, n, ni, ...overlapState(scan.overlap), sa };
            return { step: { items: scan.fresh, state: next, done: false }, reread: scan.reread };
          }
          // Only items already delivered, all at the upper bound: a larger page is the one way past it.
          if (limit < maxPageSize) {
            limit = maxPageSize;
            continue;
          }
          // Newer items than the window's end too: the answer was not to this window, whatever its size.
          if (scan.beyond > 0) throw boundIgnored(`the window up to ${at.t ?? 'its end'}`, scan.beyond, page.items);
          throw new NoProgressError(
            `${page.total} events match up to ${at.t ?? 'the window end'} and more than ${limit} (the vendor's cap) ` +
              'share that instant; they cannot be listed without loss',
            page.items,
          );
        }
      }),
  };
}
