/**
 * The overlap of a since-id tail (Tines). VENDORS.md: events can arrive late, so a tailing reader needs
 * an overlap window. An event's id is taken before it can be listed (an action that takes its id when
 * it starts shows its event when it finishes), so an event with a lower id can become visible after a
 * higher one was delivered, and a tail bounded by the largest id delivered never lists it.
 *
 * So the bound of the next listing stays below the ids delivered within the minute before the newest
 * creation time delivered (`TAIL_OVERLAP_MS`, as the time strategies' tails), and the cursor keeps
 * those ids with their times: the next listing lists them again and drops them. Every id delivered above
 * the bound is kept, whatever the order ids and times come in: ids leave the overlap only from its
 * smallest, and the bound moves up to the last that left. At most `MAX_OVERLAP_KEYS` ids are kept;
 * beyond them the overlap is shorter than the minute, as the time strategies' tails are after a cut.
 *
 * A listing drops the ids of the overlap it started from (`w`), and builds the next one apart (`k`):
 * a newest-first pass lists its newest ids first, and an overlap cut by their times while the pass is
 * under way would forget ids of `w` its later pages still list.
 *
 * A listing read over time (left after a page and resumed later, or slow) reaches back further by the
 * time it took: an event whose id it passed while the event was not visible yet may be dated up to a
 * minute before the newest time delivered when the listing began, not before the newest it ends with.
 *
 * Once the overlap has settled (`settle.ts`), the listing that reads it for the last time starts with
 * its bound moved up past the ids older than the newest time (`settledBound`): its tail keeps only the
 * ids at that time, and lists only them again while nothing newer comes.
 */
import { MAX_OVERLAP_KEYS, TAIL_OVERLAP_MS } from './tail-overlap.js';

/** Ids (decimal strings) with their creation time in epoch milliseconds, ascending by id. */
export type OverlapEntries = Array<[string, number]>;

export interface IdOverlap {
  /** A `since_id` that lists again no id delivered but those in `w`. `null`: from the oldest. */
  b: string | null;
  w: OverlapEntries;
}

/** Two lists ascending by id as one, in linear time: every page of a listing adds its ids. */
function merge(a: OverlapEntries, b: OverlapEntries, compare: (a: string, b: string) => number): OverlapEntries {
  const out: OverlapEntries = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as [string, number];
    const y = b[j] as [string, number];
    if (compare(x[0], y[0]) <= 0) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  for (; i < a.length; i++) out.push(a[i] as [string, number]);
  for (; j < b.length; j++) out.push(b[j] as [string, number]);
  return out;
}

/** The newest creation time of `entries`; `-Infinity` for none. */
export function newestOf(entries: OverlapEntries): number {
  let newest = -Infinity;
  for (const [, time] of entries) if (time > newest) newest = time;
  return newest;
}

/**
 * `overlap` with `delivered` (ascending, none of them in `w`) added, then cut from its smallest id while the id
 * is older than the minute before the newest time, or more than `MAX_OVERLAP_KEYS` are kept; ids at or
 * below `b` are left out.
 */
export function rememberDelivered(
  overlap: IdOverlap,
  delivered: OverlapEntries,
  compare: (a: string, b: string) => number,
  reachMs: number = TAIL_OVERLAP_MS,
): IdOverlap {
  if (delivered.length === 0) return overlap;
  return cutOlder({ b: overlap.b, w: merge(overlap.w, delivered, compare) }, reachMs, compare);
}

/** The bound of a settled overlap: past its smallest ids while they are older than its newest time. */
export function settledBound(overlap: IdOverlap, compare: (a: string, b: string) => number): string | null {
  return cutOlder(overlap, 0, compare).b;
}

/**
 * `overlap` cut from its smallest id while the id is older than `reachMs` before the newest time, or
 * more than `MAX_OVERLAP_KEYS` are kept; ids at or below `b` are left out, and `b` moves up to the last
 * id cut.
 */
function cutOlder(overlap: IdOverlap, reachMs: number, compare: (a: string, b: string) => number): IdOverlap {
  const all = overlap.w;
  const from = newestOf(all) - reachMs;
  let { b } = overlap;
  let cut = 0;
  for (; cut < all.length; cut++) {
    const [id, time] = all[cut] as [string, number];
    // At or below the bound (delivered after the overlap was cut): never listed again.
    if (b !== null && compare(id, b) <= 0) continue;
    if (all.length - cut <= MAX_OVERLAP_KEYS && time >= from) break;
    b = id;
  }
  return { b, w: cut === 0 ? all : all.slice(cut) };
}

/** The overlap a listing leaves: `built` (`k`, the ids it delivered) with those of `started` (`w`) still above its bound. */
export function nextOverlap(
  built: IdOverlap,
  started: OverlapEntries,
  compare: (a: string, b: string) => number,
  reachMs: number = TAIL_OVERLAP_MS,
): IdOverlap {
  const bound = built.b;
  return rememberDelivered(built, bound === null ? started : started.filter(([id]) => compare(id, bound) > 0), compare, reachMs);
}
