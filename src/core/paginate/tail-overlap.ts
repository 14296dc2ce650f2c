/**
 * How far a tail cursor reaches back, and how much of it it remembers. VENDORS.md: events arrive late
 * (ordered by completion, clocks skew), so a tailing reader needs an overlap window. Shared by the time
 * strategies (`boundary.ts`) and Informatica's pinned windows; a file of its own so that a strategy that
 * needs only these does not carry the schemas of the others.
 *
 * The overlap keeps at most `MAX_OVERLAP_KEYS` ids. Beyond them it records the newest time whose id was
 * not kept (the cut), and the next tail starts one step of the vendor's time precision after it: every
 * delivered event the tail covers then has its id kept, whatever the order results come in.
 *
 * The overlap is read again until it has settled (`settle.ts`), not at every poll.
 */
import { shiftTime } from '../time.js';

/** How far a tail reaches back before the newest instant a listing delivered. */
export const TAIL_OVERLAP_MS = 60_000;
/** Ids remembered from the overlap; bounds the cursor. */
export const MAX_OVERLAP_KEYS = 1000;

/** What a listing has met of its overlap so far. */
export interface Overlap {
  /** The keys met within the overlap, in the order met. */
  keys: string[];
  /** The newest time within the overlap whose key was not kept; `null` while every one was. */
  cut: string | null;
}

/**
 * Counts an item met within the overlap: its key (`keyOf(item)`, only computed then) is kept while there
 * is room, else its time moves the cut. The item and its key function come apart, not as a closure over
 * the item: a loop that made one would allocate a context for every item, in the overlap or not.
 */
export function meetInOverlap<T>(overlap: Overlap, time: string, item: T, keyOf: (item: T) => string): void {
  if (overlap.keys.length < MAX_OVERLAP_KEYS) overlap.keys.push(keyOf(item));
  else if (overlap.cut === null || time > overlap.cut) overlap.cut = time;
}

/** Where a tail starts: at `reach`, or one `stepMs` after the cut when the overlap was cut. */
export function overlapStart(reach: string, cut: string | null, stepMs: number): string {
  return cut === null ? reach : later(reach, shiftTime(cut, stepMs));
}

/** The later of two canonical times. */
export const later = (a: string, b: string): string => (a < b ? b : a);
