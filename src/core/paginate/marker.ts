/**
 * Marker paging over a newest-first time window (FUJITSU K5 DBaaS `marker`). VENDORS.md: the marker
 * is "the last date returned by the previous list"; the response has no next marker, so the client
 * derives it from the oldest item of the page; dates have second precision, several events share the
 * marker second, and whether the marker bound is inclusive is undocumented. Events have no id; the
 * provider passes a content hash as `id`.
 *
 * Inclusive or exclusive, nothing is lost or repeated:
 * - the ids delivered at the marker second are kept in the state; an inclusive server sends them again
 *   and they are dropped;
 * - an inclusive server always sends at least those again, so an answer with nothing at the marker
 *   second means the server is exclusive and would skip the rest of that second: the page is asked
 *   again with the marker one second later (which an exclusive server reads as "up to the marker
 *   second, included"), and the state remembers the server's style.
 * A page made only of already delivered events at one second cannot move (more events in one second
 * than `pageSize`): the listing fails rather than loop or skip.
 *
 * The tail cursor lists the window from a minute before the newest second delivered to `window.to` (or
 * now) and drops the ids delivered in that minute (`boundary.ts`, the overlap): resumed later, it
 * yields the events not delivered yet, also those that became visible late dated in that minute; one
 * dated before it is not found. Dates are whole seconds, so a cut overlap starts a second after the
 * cut. Once that minute has settled (`settle.ts`, on `now`), the tail starts at the newest second: a
 * quiet poll after a burst costs one request, not the burst's minute again.
 */
import * as z from 'zod';
import { shiftTime, toRfc3339Millis } from '../time.js';
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
import { NoProgressError, parseState } from './state.js';
import type { PagingStrategy, Step } from './types.js';

export interface MarkerRequest {
  /** Start of the window (canonical RFC 3339); `undefined` when the listing has none. */
  from: string | undefined;
  /** End of the window; `undefined` for "now" (FUJITSU needs an explicit `endTime`: send the clock's now). */
  to: string | undefined;
  /** The marker (canonical RFC 3339, format it as the vendor wants); `undefined` on a round's first page. */
  marker: string | undefined;
  /**
   * The newest instant delivered, by this listing or the ones its cursor continues; `undefined` before
   * one. The vendor listed it, so an end of the window read off a clock that was set back since must not
   * fall before it: the events between would not be read again, nor their ids kept for the tail.
   */
  newest: string | undefined;
  pageSize: number;
}

export interface MarkerStrategyOptions<R> {
  /** The time window of the query; times in any form `toRfc3339Millis` reads. */
  window: { from?: string | undefined; to?: string | undefined };
  /** Fetches one page through the provider's client; results newest first. */
  fetchPage(request: MarkerRequest, signal: AbortSignal): Promise<R[]>;
  /** The item's date as the vendor sent it (second precision), or canonical, see `canonicalTimes`. */
  time(item: R): string;
  /**
   * `time` returns canonical RFC 3339 UTC milliseconds already (the provider's normalizer read the
   * vendor's date once per page), so the strategy compares them as they are instead of reading every
   * item's date again. Only for times that are canonical: others would compare wrongly.
   * @default false
   * @example canonicalTimes: true // with time: (event) => event.time, a KeyedEvent's canonical time
   */
  canonicalTimes?: boolean;
  /** A stable identity of the item (a content hash for FUJITSU). */
  id(item: R): string;
  /**
   * Consecutive pages of duplicates tolerated before failing.
   * @default 25
   */
  maxEmptyPages?: number;
  /**
   * The client's clock (`Clock.now`), read as a listing starts and after a page that delivered a newer
   * second, to tell when the tail's overlap has settled (`settle.ts`).
   * @default undefined (the tail re-reads the overlap until a newer event comes)
   * @example now: () => ctx.clock.now()
   */
  now?: (() => number) | undefined;
}

/** The floor (`f`, `fi`, `fu`), the overlap met so far (`k`, `c`) and when the newest second came (`sa`): `boundary.ts`. */
export interface MarkerState extends FloorState, OverlapState, SettleState {
  /** Marker: the oldest second delivered in this round, and the keys delivered at it. */
  m: string | null;
  mi: string[];
  /** The server was seen to treat the marker as exclusive. */
  x: boolean;
  /** The newest instant delivered, and the keys at it. */
  n: string | null;
  ni: string[];
}

const time = canonicalTimeSchema;
const keys = instantKeysSchema;
const stateSchema = z.object({
  ...floorStateShape,
  m: time.nullable(),
  mi: keys,
  x: z.boolean(),
  n: time.nullable(),
  ni: keys,
});

/** VENDORS.md "FUJITSU": dates have second precision; the step between two marker seconds. */
const SECOND_MS = 1000;

/** Marker paging, correct for inclusive and exclusive servers; the tail overlaps the last minute. */
export function markerStrategy<R>(options: MarkerStrategyOptions<R>): PagingStrategy<R, MarkerState> {
  const { fetchPage, now } = options;
  const canonical = options.canonicalTimes === true;
  const timeOf = canonical ? options.time : (item: R) => toRfc3339Millis(options.time(item));
  const from = windowBound(options.window.from, 'window.from');
  const to = windowBound(options.window.to, 'window.to');
  return {
    kind: 'marker',
    ...(options.maxEmptyPages === undefined ? {} : { maxEmptyPages: options.maxEmptyPages }),
    initial: () => ({ f: from ?? null, fi: [], fu: null, m: null, mi: [], x: false, n: null, ni: [], k: [], c: null, sa: null }),
    validate: (state) => parseState(stateSchema, state),
    fetch: (state, pageSize, signal) =>
      pastRereads(state, async (at): Promise<{ step: Step<R, MarkerState>; reread: boolean }> => {
        const request = (marker: string | undefined) => fetchPage({ from: at.f ?? undefined, to, marker, newest: at.n ?? undefined, pageSize }, signal);
        let exclusive = at.x;
        // A listing's first request: whether it reads the overlap for the last time is told before it is sent.
        const overlap = at.m === null ? settleOverlap(overlapOf(at, true), at.n, at.sa, now) : overlapOf(at, false);
        let items: R[];
        if (at.m === null) {
          items = await request(undefined);
        } else {
          items = await request(exclusive ? shiftTime(at.m, SECOND_MS) : at.m);
          if (!exclusive && !items.some((item) => timeOf(item) === at.m)) {
            exclusive = true;
            items = await request(shiftTime(at.m, SECOND_MS));
          }
        }
        const scan = scanPage({
          items,
          time: options.time,
          canonical,
          id: options.id,
          upper: instant(at.m, at.mi),
          floor: floorOf(at),
          newest: instant(at.n, at.ni),
          overlap,
        });
        const n = scan.newest?.time ?? null;
        const ni = scan.newest?.keys ?? [];
        const sa = newestDeliveredAt(at.sa, at.n, scan.newest, now);
        const done = items.length === 0 || items.length < pageSize || scan.belowFloor;
        if (done) {
          const tail = tailFloor(at, scan.newest, scan.overlap, SECOND_MS);
          return { step: { items: scan.fresh, state: { ...tail, m: null, mi: [], x: exclusive, n, ni, sa }, done: true }, reread: false };
        }
        const oldest = scan.oldest;
        if (oldest === null || (scan.fresh.length === 0 && oldest.time === at.m)) {
          if (scan.beyond > 0) throw boundIgnored(`the marker ${at.m ?? ''}`, scan.beyond, items);
          const second = oldest?.time ?? at.m ?? 'the marker';
          throw new NoProgressError(
            `more than ${pageSize} events share the second ${second}; the marker cannot move past it`,
            items,
          );
        }
        const next = { f: at.f, fi: at.fi, fu: at.fu, m: oldest.time, mi: oldest.keys, x: exclusive, n, ni, ...overlapState(scan.overlap), sa };
        return { step: { items: scan.fresh, state: next, done: false }, reread: scan.reread };
      }),
  };
}
