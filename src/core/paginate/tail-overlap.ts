/**
 * How far a tail cursor reaches back, and how much of it it remembers. VENDORS.md: events arrive late
 * (ordered by completion, clocks skew), so a tailing reader needs an overlap window. Shared by the time
 * strategies (`boundary.ts`) and Informatica's pinned windows; a file of its own so that a strategy that
 * needs only these does not carry the schemas of the others.
 */

/** How far a tail reaches back before the newest instant a listing delivered. */
export const TAIL_OVERLAP_MS = 60_000;
/** Ids remembered from the overlap; bounds the cursor. */
export const MAX_OVERLAP_KEYS = 1000;
