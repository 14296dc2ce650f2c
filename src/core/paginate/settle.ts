/**
 * When a tail may stop re-reading its overlap. The overlap (`tail-overlap.ts`) is counted back from the
 * newest event a listing delivered, not from the clock, so on a source that goes quiet after a burst
 * every poll read the burst's last minute again (up to 1000 events, 11 to 14 requests at 100 a page)
 * until a newer event came: Illumio's 500 and Informatica's 5 requests a minute spent on events already
 * delivered.
 *
 * The overlap is for an event that becomes visible up to `TAIL_OVERLAP_MS` after its own time, on the
 * vendor's clock (VENDORS.md: events arrive late, ordered by completion, clocks skew). The newest event
 * N was visible when the page that delivered it came, so the vendor's clock was already at N's time
 * then. Once the overlap has passed since, every event dated at or before N is visible, and one more
 * read of the overlap finds those that were not delivered yet; the tails after it start at N's own
 * instant (with the ids delivered there) or at a newer event's overlap.
 *
 * The time since is measured on the client's clock (`Clock.now`), as the difference between two of its
 * readings: an offset from the vendor's clock cancels out, and the emulators send no `Date` header for
 * the vendor's own. The cursor records when the newest instant was first delivered, read after the
 * page that brought it (later is the safe side), and the tail settles only `SETTLE_MS` after, twice the
 * overlap, for clocks that run at slightly different rates. A reading before the recorded one (a clock
 * set back, a cursor from a machine whose clock is ahead) settles nothing and is recorded instead, so
 * the wait starts over from it. What the client's clock cannot show is a cursor resumed on a machine
 * whose clock is more than a minute ahead of the one that wrote it: the tail may then settle before the
 * vendor's clock has passed the overlap.
 */
import { TAIL_OVERLAP_MS } from './tail-overlap.js';

/** Client time after the newest instant's first delivery from which a listing's read of the overlap is its last. */
export const SETTLE_MS = 2 * TAIL_OVERLAP_MS;

/**
 * Whether a listing that starts at `now` (client time, before its first request) reads the overlap of
 * a newest instant first delivered at `since` for the last time: its tail starts at that instant.
 */
export function settled(since: number | null | undefined, now: number): boolean {
  return since !== null && since !== undefined && now - since >= SETTLE_MS;
}

/**
 * When the newest instant was first delivered, as a listing records it: `now` when it is new (`moved`),
 * when no time was recorded (a cursor written before one was), or when the recorded time is later than
 * `now`; else the recorded one. A whole millisecond not before `now`; `null` for a clock that reads no
 * number.
 */
export function deliveredAt(since: number | null | undefined, moved: boolean, now: number): number | null {
  if (since !== null && since !== undefined && !moved && since <= now) return since;
  return Number.isFinite(now) ? Math.ceil(now) : null;
}
