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
 * The tail cursor holds the newest second delivered and its ids: resumed later, it lists the window
 * from that second to `window.to` (or now) and yields only the events not delivered yet.
 */
import * as z from 'zod';
import { shiftTime, toRfc3339Millis } from '../time.js';
import { canonicalTimeSchema, instant, instantKeysSchema, scanPage, windowBound } from './boundary.js';
import { NoProgressError, parseState } from './state.js';
import type { PagingStrategy, Step } from './types.js';

export interface MarkerRequest {
  /** Start of the window (canonical RFC 3339); `undefined` when the listing has none. */
  from: string | undefined;
  /** End of the window; `undefined` for "now" (FUJITSU needs an explicit `endTime`: send the clock's now). */
  to: string | undefined;
  /** The marker (canonical RFC 3339, format it as the vendor wants); `undefined` on a round's first page. */
  marker: string | undefined;
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
}

export interface MarkerState {
  /** Floor: the start of the window, and the keys delivered at it by an earlier listing. */
  f: string | null;
  fi: string[];
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
  f: time.nullable(),
  fi: keys,
  m: time.nullable(),
  mi: keys,
  x: z.boolean(),
  n: time.nullable(),
  ni: keys,
});

/** Marker paging, correct for inclusive and exclusive servers; the tail is the newest second delivered. */
export function markerStrategy<R>(options: MarkerStrategyOptions<R>): PagingStrategy<R, MarkerState> {
  const { fetchPage } = options;
  const canonical = options.canonicalTimes === true;
  const timeOf = canonical ? options.time : (item: R) => toRfc3339Millis(options.time(item));
  const from = windowBound(options.window.from, 'window.from');
  const to = windowBound(options.window.to, 'window.to');
  return {
    kind: 'marker',
    ...(options.maxEmptyPages === undefined ? {} : { maxEmptyPages: options.maxEmptyPages }),
    initial: () => ({ f: from ?? null, fi: [], m: null, mi: [], x: false, n: null, ni: [] }),
    validate: (state) => parseState(stateSchema, state),
    async fetch(state, pageSize, signal): Promise<Step<R, MarkerState>> {
      const request = (marker: string | undefined) =>
        fetchPage({ from: state.f ?? undefined, to, marker, pageSize }, signal);
      let exclusive = state.x;
      let items: R[];
      if (state.m === null) {
        items = await request(undefined);
      } else {
        items = await request(exclusive ? shiftTime(state.m, 1000) : state.m);
        if (!exclusive && !items.some((item) => timeOf(item) === state.m)) {
          exclusive = true;
          items = await request(shiftTime(state.m, 1000));
        }
      }
      const scan = scanPage({
        items,
        time: options.time,
        canonical,
        id: options.id,
        upper: instant(state.m, state.mi),
        floor: instant(state.f, state.fi),
        newest: instant(state.n, state.ni),
      });
      const n = scan.newest?.time ?? null;
      const ni = scan.newest?.keys ?? [];
      const done = items.length === 0 || items.length < pageSize || scan.belowFloor;
      if (done) {
        // Tail: the next listing starts at the newest second delivered, skipping its known ids.
        const tail = n === null ? { f: state.f, fi: state.fi } : { f: n, fi: ni };
        return { items: scan.fresh, state: { ...tail, m: null, mi: [], x: exclusive, n, ni }, done: true };
      }
      const oldest = scan.oldest;
      if (oldest === null || (scan.fresh.length === 0 && oldest.time === state.m)) {
        const second = oldest?.time ?? state.m ?? 'the marker';
        throw new NoProgressError(
          `more than ${pageSize} events share the second ${second}; the marker cannot move past it`,
          items,
        );
      }
      return {
        items: scan.fresh,
        state: { f: state.f, fi: state.fi, m: oldest.time, mi: oldest.keys, x: exclusive, n, ni },
        done: false,
      };
    },
  };
}
