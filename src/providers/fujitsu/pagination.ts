/**
 * FUJITSU marker paging (seed 002, VENDORS.md "FUJITSU") through the core's `markerStrategy`: events
 * come newest first, the next request carries `marker` = "the last date returned by the previous list",
 * and whether the server returns events *at* the marker again is undocumented. The core strategy keeps
 * the content ids of the marker second in the cursor, finds out once whether the server is inclusive or
 * exclusive (and, if exclusive, asks with the marker one second later so that the rest of a second cut
 * by a page is not skipped), and fails clearly when one second holds a whole page. Its tail cursor
 * reaches back a minute before the newest event delivered, for events the service lists late
 * (`boundary.ts`, the overlap).
 *
 * What is FUJITSU's own is the wire: the window is always sent explicitly (`startTime`/`endTime`), so the
 * service's relative `duration` default never applies, and times are written as the service writes them.
 */
import { markerStrategy, type MarkerState } from '../../core/paginate/marker.js';
import type { PagingStrategy } from '../../core/paginate/types.js';
import type { KeyedEvent } from './normalize.js';
import { toQueryTime, windowStart } from './time.js';

/** The parameters of one request. */
export interface FujitsuPageRequest {
  startTime: string;
  endTime: string;
  marker: string | undefined;
  limit: number;
}

export interface FujitsuPagingOptions {
  /**
   * The window's start, epoch milliseconds; `undefined` for `durationMs` before `until`, or before the
   * listing's first request without `until`.
   */
  since: number | undefined;
  /** The window's end, epoch milliseconds; `undefined` for "now" at each request. */
  until: number | undefined;
  durationMs: number;
  now: () => number;
  fetchPage(request: FujitsuPageRequest, signal: AbortSignal): Promise<KeyedEvent[]>;
}

/**
 * A marker date as the seed shows dates: zone-less UTC (`2013-03-18T19:09:17`), milliseconds only when
 * there are some.
 */
function toMarker(canonical: string): string {
  return canonical.endsWith('.000Z') ? canonical.slice(0, 19) : canonical.slice(0, 23);
}

export function fujitsuMarkerStrategy(options: FujitsuPagingOptions): PagingStrategy<KeyedEvent, MarkerState> {
  const { fetchPage, now, since, until, durationMs } = options;
  const marker = markerStrategy<KeyedEvent>({
    window: {
      from: since === undefined ? undefined : windowStart(since),
      to: until === undefined ? undefined : new Date(until).toISOString(),
    },
    fetchPage: (request, signal) => {
      // `fetch` below pins the start of a listing without one: every request has it.
      const from = Date.parse(request.from as string);
      // The service searches only the last `duration` minutes without an end: always send one. Not
      // before the second of the newest event delivered, which the service had listed: a clock set back
      // since (an NTP step) would end the window below it, and below the marker, skipping the events
      // between within a listing and forgetting their ids for the tail, which delivered them again.
      const newest = request.newest === undefined ? from : Math.ceil(Date.parse(request.newest) / 1000) * 1000;
      return fetchPage(
        {
          startTime: toQueryTime(from),
          endTime: toQueryTime(request.to === undefined ? Math.max(now(), from, newest) : Date.parse(request.to)),
          marker: request.marker === undefined ? undefined : toMarker(request.marker),
          limit: request.pageSize,
        },
        signal,
      );
    },
    time: (event) => event.time,
    // `keyEvents` already turned every date into the canonical form: compare as given.
    canonicalTimes: true,
    id: (event) => event.id,
    now,
  });
  return {
    ...marker,
    // Only a fresh listing without `since` has no start (a tail cursor's starts its overlap). It is the
    // `duration` before its first request, not before `list()` was called: a listing created early and
    // iterated later covers the last `duration` minutes, as the service's own default would. The state,
    // and so every later page and cursor, keeps it.
    fetch: (state, pageSize, signal) =>
      marker.fetch(state.f === null ? { ...state, f: windowStart((until ?? now()) - durationMs) } : state, pageSize, signal),
  };
}
