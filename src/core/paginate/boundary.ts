/**
 * What the two newest-first time strategies (marker, time window) share: reading one page against the
 * boundaries of what was already delivered, and the overlap of the tail cursor.
 *
 * - The *upper* boundary is where the previous page ended (FUJITSU marker, Illumio moved
 *   `timestamp[lte]`): items newer than it were delivered, items at it were delivered if their id is
 *   in its key set.
 * - The *floor* is where an earlier listing left off (the tail): items older than it are outside the
 *   window; from it up to `until`, that listing's newest instant, items were delivered if their id is
 *   in its key set (the overlap reads them again, and so do inclusive `gte` bounds).
 * - The *newest* instant delivered so far, with the ids at it.
 * - The *overlap*. VENDORS.md: "Events can arrive late (ordered by completion, clocks skew): a tailing
 *   reader needs an overlap window." A tail that started at the newest instant would never see an
 *   event that becomes visible after the listing, dated before that instant. So a listing remembers
 *   the ids it meets within `TAIL_OVERLAP_MS` before its newest instant (those it delivers and those
 *   an earlier listing delivered), and its tail's floor reaches back that far with those ids: the late
 *   event comes, the remembered ones do not come again.
 *
 * The overlap keeps at most `MAX_OVERLAP_KEYS` ids, the first met, which are the newest since results
 * come newest first, and past them a cut (`tail-overlap.ts`, which Informatica's tail shares). A cut
 * at the newest instant itself leaves the floor at that
 * instant with all its ids, which a state keeps anyway (`newest`), so the tail never starts after the
 * newest instant delivered (nor, then, after a window's fixed end). A minute with more events than
 * the overlap keeps is overlapped only as far back as the ids go; an event that becomes visible later
 * than the overlap reaches back (dated before the floor) is not found.
 *
 * A tail that has settled (`settle.ts`) starts at the newest instant with its keys: the listing that
 * reads the overlap for the last time starts with its overlap cut at that instant (`settleOverlap`), so
 * its tail does not reach back before it, and the ones after it keep their floor (`tailFloor` never
 * moves a floor down).
 *
 * Times are compared as canonical strings (`toRfc3339Millis`, or as given when the caller declares them
 * canonical), so nothing here builds a `Date` per item.
 */
import * as z from 'zod';
import { MAX_ENVELOPE_BYTES } from '../cursor.js';
import { idKey } from '../dedupe.js';
import { shiftTime, toRfc3339Millis } from '../time.js';
import { deliveredAt, settled } from './settle.js';
import { NoProgressError, requireOption } from './state.js';
import { later, MAX_OVERLAP_KEYS, meetInOverlap, overlapStart, TAIL_OVERLAP_MS, type Overlap } from './tail-overlap.js';
import type { Step } from './types.js';


/** An instant and the keys (`idKey`) of the ids delivered at it. */
export interface Instant {
  time: string;
  keys: string[];
}

/** Where an earlier listing left off: the keys are those it delivered from `time` up to `until`. */
export interface Floor extends Instant {
  until: string;
}

export interface ScanInput<R> {
  items: readonly R[];
  time(item: R): string;
  /**
   * `time` returns canonical times already (the provider's normalizer read them): they are compared as
   * they are, not read again.
   */
  canonical?: boolean | undefined;
  id(item: R): string;
  /**
   * The error of an item whose time cannot be read, in the provider's terms (the event and the field).
   * @default a `NoProgressError` that quotes the time
   */
  unusableTime?: ((item: R) => Error) | undefined;
  upper: Instant | null;
  floor: Floor | null;
  newest: Instant | null;
  /** The overlap so far; `null` in a listing resumed from a cursor issued before the tail overlapped. */
  overlap: Overlap | null;
}

export interface ScanResult<R> {
  /** Items not delivered before, in the vendor's order. */
  fresh: R[];
  /** The oldest instant of the page (over all its items at or below `upper`) with every id at it. */
  oldest: Instant | null;
  /** Whether any item lies below the floor: the window is exhausted. */
  belowFloor: boolean;
  /** The newest instant delivered, `newest` updated with the fresh items. */
  newest: Instant | null;
  /** `overlap` updated with the page. */
  overlap: Overlap | null;
  /** The page brought nothing new and ends within the floor's range: it only read the overlap again. */
  reread: boolean;
  /**
   * Items newer than `upper`, skipped. A page of only such items and delivered ones answered another
   * request than the one sent (a cache, a proxy, a vendor that dropped the bound): `boundIgnored`.
   */
  beyond: number;
}

/**
 * The failure of a page that brought nothing new past `bound`, `beyond` of its items newer than it: the
 * vendor did not page on. It said that more items shared the boundary's instant than a page holds, and
 * to resume with a larger page size, which could not help.
 */
export function boundIgnored(bound: string, beyond: number, items: readonly unknown[]): NoProgressError {
  return new NoProgressError(
    `the vendor answered ${bound} with ${beyond} of ${items.length} events after it and none new, as if it had not been sent`,
    items,
    "a cache or proxy in between may answer for another request or drop the query; resume from the last page's cursor once the vendor pages on",
  );
}

/** Reads one newest-first page against the boundaries; per item only string comparisons. */
export function scanPage<R>(input: ScanInput<R>): ScanResult<R> {
  const { items, upper, floor } = input;
  const upperKeys = upper === null ? undefined : new Set(upper.keys);
  const floorKeys = floor === null || floor.keys.length === 0 ? undefined : new Set(floor.keys);
  const fresh: R[] = [];
  let newest = input.newest === null ? null : { time: input.newest.time, keys: [...input.newest.keys] };
  const overlap = input.overlap === null ? null : { keys: [...input.overlap.keys], cut: input.overlap.cut };
  // Where the overlap of `newest` starts, computed again only when `newest` moves (once a listing, as a
  // rule: its first item is its newest).
  let reachOf = '';
  let reach = '';
  let oldestTime: string | null = null;
  // The items at `oldestTime`: the first `oldestCount` of one array kept for the page, where a new array
  // per item would be made (newest first, nearly every item is the oldest so far).
  const oldestAt: R[] = [];
  let oldestCount = 0;
  let belowFloor = false;
  let beyond = 0;
  const canonical = input.canonical === true;
  const keyOf = (item: R): string => idKey(input.id(item));
  // The instant of the item before, its first item, and the keys met at it once it holds two items.
  let runTime: string | undefined;
  let runFirst: R | undefined;
  let runKeys: Set<string> | undefined;
  for (const item of items) {
    const rawTime = input.time(item);
    const time = canonical ? rawTime : toRfc3339Millis(rawTime);
    if (time === undefined) throw input.unusableTime?.(item) ?? new NoProgressError(`the time ${JSON.stringify(rawTime)} of an item is not a date`, item);
    // Newer than the upper boundary: delivered with an earlier page (an inclusive or widened bound).
    if (upper !== null && time > upper.time) {
      beyond += 1;
      continue;
    }
    // The id's key only for an item at an instant the page holds others at, at a boundary, in the
    // floor's range or in the overlap (a long id is hashed).
    let key: string | undefined;
    // An id met again at one instant of the page is the item met before: FUJITSU's events identical in
    // all five fields within one second share one content id, and are one event (README, "Identical
    // events"). Results come newest first, so such items are next to each other.
    if (time === runTime) {
      runKeys ??= new Set([keyOf(runFirst as R)]);
      key = keyOf(item);
      if (runKeys.size === runKeys.add(key).size) continue;
    } else {
      runTime = time;
      runFirst = item;
      runKeys = undefined;
    }
    if (oldestTime === null || time < oldestTime) {
      oldestTime = time;
      oldestAt[0] = item;
      oldestCount = 1;
    } else if (time === oldestTime) {
      oldestAt[oldestCount++] = item;
    }
    if (floor !== null && time < floor.time) {
      belowFloor = true;
      continue;
    }
    if (upper !== null && time === upper.time) {
      key ??= keyOf(item);
      // Delivered with the page before (and counted in the overlap there).
      if (upperKeys?.has(key) === true) continue;
    }
    const delivered = floor !== null && time <= floor.until && floorKeys?.has((key ??= idKey(input.id(item)))) === true;
    if (!delivered) {
      fresh.push(item);
      if (newest === null || time > newest.time) newest = { time, keys: [(key ??= idKey(input.id(item)))] };
      else if (time === newest.time) newest.keys.push((key ??= idKey(input.id(item))));
    }
    if (overlap === null || newest === null) continue;
    if (reachOf !== newest.time) {
      reachOf = newest.time;
      reach = shiftTime(newest.time, -TAIL_OVERLAP_MS);
    }
    if (time < reach) continue;
    meetInOverlap(overlap, time, item, keyOf);
  }
  let oldest: Instant | null = null;
  if (oldestTime !== null) {
    const keys = oldestAt.slice(0, oldestCount).map(keyOf);
    // Still at the same instant as the upper boundary: those ids remain delivered too.
    oldest = { time: oldestTime, keys: upper !== null && upper.time === oldestTime ? union(upper.keys, keys) : keys };
  }
  const reread = fresh.length === 0 && floor !== null && oldestTime !== null && oldestTime >= floor.time && oldestTime <= floor.until;
  return { fresh, oldest, belowFloor, newest, overlap, reread, beyond };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * Reads pages from `state` until one brings an item not delivered before, or ends the listing. A page
 * that only read the overlap again (`ScanResult.reread`) is passed over rather than handed out empty:
 * a minute of events read again at a small page size would count as that many empty pages and fail the
 * listing (`maxEmptyPages`). Each such page moves the upper boundary down within the floor's range, so
 * they come to an end.
 */
export async function pastRereads<R, S>(state: S, read: (state: S) => Promise<{ step: Step<R, S>; reread: boolean }>): Promise<Step<R, S>> {
  for (let at = state; ; ) {
    const { step, reread } = await read(at);
    if (!reread) return step;
    at = step.state;
  }
}

/** The cursor fields of a floor (`f`, `fi`, `fu`) and of the overlap (`k`, `c`) both strategies keep. */
export interface FloorState {
  /** Floor: the start of the window. */
  f: string | null;
  /** The keys an earlier listing delivered from `f` up to `fu`. */
  fi: string[];
  /** The newest instant the floor's keys cover; `null` for `f` alone (a tail issued before it overlapped). */
  fu: string | null;
}

export interface OverlapState {
  /** `Overlap.keys`; `null` in a listing resumed from a cursor issued before the tail overlapped. */
  k: string[] | null;
  /** `Overlap.cut`. */
  c: string | null;
}

/** When the newest instant a state holds was first delivered (`settle.ts`). */
export interface SettleState {
  /**
   * Client time (epoch milliseconds) read after the page that first delivered the newest instant;
   * `null` before one, and in cursors issued before it was kept.
   */
  sa: number | null;
}

/**
 * The overlap a listing's first page starts (`overlapOf`), cut at the newest instant `newest` when the
 * listing, starting at `now()`, reads the overlap for the last time (`settled`): its tail then starts
 * at that instant, or at a newer one's overlap. Without `now`, as before: never.
 */
export function settleOverlap(overlap: Overlap | null, newest: string | null, since: number | null, now: (() => number) | undefined): Overlap | null {
  if (overlap === null || newest === null || now === undefined || !settled(since, now())) return overlap;
  // A listing starts from a state whose overlap has no cut yet: a tail's, or the first one.
  return { keys: overlap.keys, cut: newest };
}

/** `SettleState.sa` after a page that left the newest instant at `after` (`before` on the page's state). */
export function newestDeliveredAt(since: number | null, before: string | null, after: Instant | null, now: (() => number) | undefined): number | null {
  if (after === null || now === undefined) return since;
  return deliveredAt(since, after.time !== before, now());
}

/** The floor of a state. */
export function floorOf(state: FloorState): Floor | null {
  return state.f === null ? null : { time: state.f, keys: state.fi, until: state.fu ?? state.f };
}

/**
 * The overlap a page continues. A listing's first page starts one, whatever cursor it came from; a
 * listing resumed from a cursor issued before the tail overlapped did not meet its first pages'
 * overlap, so it keeps none, and its tail is the newest instant, as then.
 */
export function overlapOf(state: OverlapState, first: boolean): Overlap | null {
  if (state.k !== null) return { keys: state.k, cut: state.c };
  return first ? { keys: [], cut: null } : null;
}

/** `overlap` as state fields. */
export function overlapState(overlap: Overlap | null): OverlapState {
  return overlap === null ? { k: null, c: null } : { k: overlap.keys, c: overlap.cut };
}

/**
 * The floor of a tail cursor: `TAIL_OVERLAP_MS` before the newest instant delivered, or one `stepMs`
 * (the vendor's time precision) after the cut, never before the floor the listing had, with the
 * overlap's keys. Without an overlap, or with the cut at the newest instant, that instant and its keys.
 */
export function tailFloor(state: FloorState, newest: Instant | null, overlap: Overlap | null, stepMs: number): FloorState & OverlapState {
  const next = { k: [], c: null };
  if (newest === null) return { f: state.f, fi: state.fi, fu: state.fu, ...next };
  const atNewest = { f: newest.time, fi: newest.keys, fu: null, ...next };
  if (overlap === null) return atNewest;
  const start = overlapStart(shiftTime(newest.time, -TAIL_OVERLAP_MS), overlap.cut, stepMs);
  if (start > newest.time) return atNewest;
  return { f: state.f === null ? start : later(state.f, start), fi: overlap.keys, fu: newest.time, ...next };
}

/** A time in cursor state: canonical, so that it compares as a string. */
export const canonicalTimeSchema = z.string().refine((value) => toRfc3339Millis(value) === value, 'a canonical RFC 3339 time');
/** Bytes of JSON an ASCII key takes in a state: an `idKey` (a fingerprint, or a short id), quotes, a comma. */
const KEY_JSON_LENGTH = 20;
/**
 * Bytes of JSON an `idKey` takes at most: the 16 UTF-16 units of an id kept as it is (`dedupe.ts`), each
 * up to 6 bytes (a control character or a lone surrogate is written `\u0001`; a CJK character takes 3
 * bytes of UTF-8, an emoji 4 for its 2 units), with its quotes and a comma.
 */
const MAX_KEY_JSON_BYTES = 16 * 6 + 3;
/** Bytes of JSON the overlap's keys take at most, in their brackets. */
const MAX_OVERLAP_KEY_BYTES = MAX_OVERLAP_KEYS * MAX_KEY_JSON_BYTES + '[]'.length;
/** Bytes of JSON a cursor takes beside the keys (envelope, times, flags), with room to spare. */
const CURSOR_JSON_OVERHEAD = 1024;
/**
 * The bytes of JSON the keys of one instant of a state may take: as many as let the three instants of
 * a state fit in the envelope of the longest cursor (base64url writes 4 characters for every 3 bytes)
 * beside the overlap's keys at their longest, so that the SDK never issues a cursor it refuses, whatever
 * the ids' characters. Counted in bytes: ids beyond ASCII counted as characters overran the cursor.
 */
export const MAX_INSTANT_KEY_BYTES = Math.floor((MAX_ENVELOPE_BYTES - CURSOR_JSON_OVERHEAD - MAX_OVERLAP_KEY_BYTES) / 3);
/**
 * The most keys one instant of a state holds, of ASCII ids: those beyond it take more bytes, and fewer
 * fit (`MAX_INSTANT_KEY_BYTES`). Far above what a listing reaches: it fails before one instant holds
 * more than a page.
 */
export const MAX_INSTANT_KEYS = Math.floor(MAX_INSTANT_KEY_BYTES / KEY_JSON_LENGTH);

/** At most `count` keys, of at most `bytes` of JSON with their brackets; the count checked first, without a pass over them. */
function keysSchema(count: number, bytes: number) {
  return z
    .array(z.string())
    .max(count)
    .refine((keys) => Buffer.byteLength(JSON.stringify(keys)) <= bytes, `at most ${bytes} bytes of JSON`);
}
/** Keys at one instant. */
export const instantKeysSchema = keysSchema(MAX_INSTANT_KEYS, MAX_INSTANT_KEY_BYTES);
/**
 * The schema of `FloorState`, `OverlapState` and `SettleState`. The fields that came with the overlap
 * are absent in cursors issued before it: their floor is one instant, and a listing resumed from one of
 * its pages keeps no overlap (`overlapOf`). Without `sa`, the first listing reads the overlap as it did
 * and records the time.
 */
export const floorStateShape = {
  f: canonicalTimeSchema.nullable(),
  fi: instantKeysSchema,
  fu: canonicalTimeSchema.nullable().default(null),
  k: keysSchema(MAX_OVERLAP_KEYS, MAX_OVERLAP_KEY_BYTES).nullable().default(null),
  c: canonicalTimeSchema.nullable().default(null),
  sa: z.number().int().nullable().default(null),
};

/** The `Instant` of a state's time and keys, `null` when the time is. */
export function instant(time: string | null, keys: string[]): Instant | null {
  return time === null ? null : { time, keys };
}

/** Normalizes a window bound given to a strategy factory; a bad one is a `ConfigurationError`. */
export function windowBound(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  const normalized = toRfc3339Millis(value);
  requireOption(normalized !== undefined, option, 'an RFC 3339 time');
  return normalized;
}
