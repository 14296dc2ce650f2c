/**
 * FUJITSU marker paging (seed 002, VENDORS.md "FUJITSU"). Events come newest first; the next request
 * carries `marker` = "the last date returned by the previous list". Dates have second precision and
 * several events often share one, and whether the server returns events *at* the marker again is
 * undocumented. The strategy is right either way:
 *
 * - The ids (content hashes) of the events in the last second of a page are kept in the cursor; any of
 *   them the next page repeats is dropped.
 * - The first follow-up request tells the bound: an inclusive server repeats the page's last event, an
 *   exclusive one repeats nothing. On an exclusive server a page cut inside a second would lose that
 *   second's other events, so the request is sent again with the marker one second later (`< S + 1s`
 *   is `<= S`), and every later page does that directly. The bound found is kept in the cursor.
 * - A full page whose events all share one second cannot be paged past with a date marker, by either
 *   kind of server: the listing fails with a clear error instead of looping or skipping.
 *
 * The window (`startTime`/`endTime`) is fixed at the first request and sent on every page, so the
 * server's relative `duration` default never applies. The last page's cursor is a tail: it starts the
 * next listing at the newest second seen, dropping the events of that second already delivered.
 */
import { z } from 'zod';

import { idKey, keepLast } from '../../core/dedupe.js';
import { NoProgressError, parseState } from '../../core/paginate/state.js';
import type { PagingStrategy, Step } from '../../core/paginate/types.js';
import type { KeyedEvent } from './normalize.js';
import { FUJITSU_DATE } from './schemas.js';
import { nextSecondMarker, secondOf, toQueryTime } from './time.js';

/** How the server bounds `marker`: not yet known, `<=`, or `<`. */
export type MarkerBound = 'unknown' | 'inclusive' | 'exclusive';

export interface FujitsuPageState {
  /** `startTime`; `null` until the first request fixes it. */
  start: string | null;
  /** `endTime`; `null` until the first request fixes it (a tail leaves it open again). */
  end: string | null;
  /** The last date of the previous page, as the server wrote it; `null` on a listing's first page. */
  marker: string | null;
  bound: MarkerBound;
  /** The second (`YYYY-MM-DDTHH:mm:ss`, UTC) whose already delivered events `seen` holds. */
  seenAt: string | null;
  seen: string[];
  /** The newest second of this listing, where the tail starts, and the events delivered in it. */
  top: string | null;
  topSeen: string[];
}

/** The parameters of one request. */
export interface FujitsuPageRequest {
  startTime: string;
  endTime: string;
  marker: string | undefined;
  limit: number;
}

export interface FujitsuPagingOptions {
  /** `startTime` the caller asked for, as a query time; else `end - durationMs`. */
  since: string | undefined;
  /** `endTime` the caller asked for, as a query time; else the time of the first request. */
  until: string | undefined;
  durationMs: number;
  now: () => number;
  fetchPage(request: FujitsuPageRequest, signal: AbortSignal): Promise<KeyedEvent[]>;
}

/** More ids than events fit in one second at the largest page size: a cursor holding more was not ours. */
const MAX_SEEN = 200;

const queryTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'expected YYYY-MM-DDTHH:mm:ssZ');
const second = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:mm:ss');

const stateSchema = z.object({
  start: queryTime.nullable(),
  end: queryTime.nullable(),
  marker: z.string().regex(FUJITSU_DATE).nullable(),
  bound: z.enum(['unknown', 'inclusive', 'exclusive']),
  seenAt: second.nullable(),
  seen: z.array(z.string()).max(MAX_SEEN),
  top: second.nullable(),
  topSeen: z.array(z.string()).max(MAX_SEEN),
}).refine((state) => state.marker === null || state.seenAt !== null, {
  message: 'a marker needs the second it stands for (seenAt)',
});

/** Keys of the events of `page` in `second`, after those already remembered for that second. */
function keysAt(page: readonly KeyedEvent[], second: string, state: FujitsuPageState): string[] {
  const keys = page.filter((event) => secondOf(event.time) === second).map((event) => idKey(event.id));
  const earlier = state.seenAt === second ? state.seen : [];
  return keepLast(earlier, keys.filter((key) => !earlier.includes(key)), MAX_SEEN);
}

export function fujitsuMarkerStrategy(options: FujitsuPagingOptions): PagingStrategy<KeyedEvent, FujitsuPageState> {
  const { fetchPage, now } = options;

  const window = (state: FujitsuPageState): { start: string; end: string } => {
    const start = state.start ?? options.since;
    let end = state.end ?? options.until;
    if (end === undefined) {
      // Query times share one format, so they compare as strings. A tail whose newest event is ahead of
      // the local clock (the vendor's clock runs fast) still gets a window that is not reversed.
      const current = toQueryTime(now());
      end = start !== undefined && start > current ? start : current;
    }
    return { start: start ?? toQueryTime(Date.parse(end) - options.durationMs), end };
  };

  return {
    kind: 'marker',
    initial: () => ({
      start: null,
      end: null,
      marker: null,
      bound: 'unknown',
      seenAt: null,
      seen: [],
      top: null,
      topSeen: [],
    }),
    validate: (state) => parseState(stateSchema, state),
    async fetch(state, pageSize, signal): Promise<Step<KeyedEvent, FujitsuPageState>> {
      const { start, end } = window(state);
      const request = (marker: string | undefined) =>
        fetchPage({ startTime: start, endTime: end, marker, limit: pageSize }, signal);
      const seen = new Set(state.seen);
      let bound = state.bound;
      let page: KeyedEvent[];
      if (state.marker === null || state.seenAt === null) {
        page = await request(undefined);
      } else {
        const shifted = nextSecondMarker(state.seenAt, state.marker);
        page = await request(bound === 'exclusive' ? shifted : state.marker);
        if (bound === 'unknown') {
          // An inclusive server always sends the previous page's last event again; an exclusive one never.
          bound = page.some((event) => seen.has(idKey(event.id))) ? 'inclusive' : 'exclusive';
          if (bound === 'exclusive') page = await request(shifted);
        }
      }
      // Drops what the previous page delivered, and a second copy of identical content within the page.
      const items = page.filter((event) => {
        const key = idKey(event.id);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });

      const first = page[0];
      const last = page[page.length - 1];
      const fixed = { ...state, start, end, bound };
      if (fixed.top === null && first !== undefined) {
        fixed.top = secondOf(first.time);
        fixed.topSeen = keysAt(page, fixed.top, state);
      }

      if (first === undefined || last === undefined || page.length < pageSize) {
        const top = fixed.top;
        const tail: FujitsuPageState = {
          start: top === null ? start : `${top}Z`,
          end: options.until ?? null,
          marker: null,
          bound,
          seenAt: top ?? state.seenAt,
          seen: top === null ? state.seen : fixed.topSeen,
          top: null,
          topSeen: [],
        };
        return { items, state: tail, done: true };
      }

      const lastSecond = secondOf(last.time);
      if (secondOf(first.time) === lastSecond) {
        throw new NoProgressError(
          `${page.length} or more events share the second ${lastSecond}Z, more than a date marker can page ` +
            `past with pageSize ${pageSize}; list that second with a larger pageSize (at most 100)`,
          page.map((event) => event.event),
        );
      }
      return {
        items,
        state: { ...fixed, marker: last.event.date, seenAt: lastSecond, seen: keysAt(page, lastSecond, state) },
        done: false,
      };
    },
  };
}
