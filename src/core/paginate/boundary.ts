/**
 * What the two newest-first time strategies (marker, time window) share: reading one page against the
 * boundaries of what was already delivered.
 *
 * - The *upper* boundary is where the previous page ended (FUJITSU marker, Illumio moved
 *   `timestamp[lte]`): items newer than it were delivered, items at it were delivered if their id is
 *   in its key set.
 * - The *floor* is where an earlier listing ended (the tail): items older than it are outside the
 *   window, items at it were delivered if their id is in its key set (inclusive `gte` bounds send them
 *   again).
 * - The *newest* instant delivered so far, with the ids at it, becomes the floor of the tail cursor.
 *
 * Times are compared as canonical strings (`toRfc3339Millis`, or as given when the caller declares them
 * canonical), so nothing here builds a `Date`.
 */
import * as z from 'zod';
import { MAX_CURSOR_LENGTH } from '../cursor.js';
import { idKey } from '../dedupe.js';
import { toRfc3339Millis } from '../time.js';
import { NoProgressError, requireOption } from './state.js';

/** An instant and the keys (`idKey`) of the ids delivered at it. */
export interface Instant {
  time: string;
  keys: string[];
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
  upper: Instant | null;
  floor: Instant | null;
  newest: Instant | null;
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
}

/** Reads one newest-first page against the boundaries; per item only string comparisons. */
export function scanPage<R>(input: ScanInput<R>): ScanResult<R> {
  const { items, upper, floor } = input;
  const upperKeys = upper === null ? undefined : new Set(upper.keys);
  const floorKeys = floor === null ? undefined : new Set(floor.keys);
  const fresh: R[] = [];
  let newest = input.newest === null ? null : { time: input.newest.time, keys: [...input.newest.keys] };
  let oldestTime: string | null = null;
  let oldestAt: R[] = [];
  let belowFloor = false;
  const canonical = input.canonical === true;
  for (const item of items) {
    const rawTime = input.time(item);
    const time = canonical ? rawTime : toRfc3339Millis(rawTime);
    if (time === undefined) throw new NoProgressError(`the time ${JSON.stringify(rawTime)} of an item is not a date`, item);
    // Newer than the upper boundary: delivered with an earlier page (an inclusive or widened bound).
    if (upper !== null && time > upper.time) continue;
    if (oldestTime === null || time < oldestTime) {
      oldestTime = time;
      oldestAt = [item];
    } else if (time === oldestTime) {
      oldestAt.push(item);
    }
    // The id's key only for an item at a boundary instant or delivered (a long id is hashed).
    let key: string | undefined;
    if (floor !== null && time <= floor.time) {
      if (time < floor.time) {
        belowFloor = true;
        continue;
      }
      key = idKey(input.id(item));
      if (floorKeys?.has(key) === true) continue;
    }
    if (upper !== null && time === upper.time) {
      key ??= idKey(input.id(item));
      if (upperKeys?.has(key) === true) continue;
    }
    fresh.push(item);
    if (newest === null || time > newest.time) newest = { time, keys: [key ?? idKey(input.id(item))] };
    else if (time === newest.time) newest.keys.push(key ?? idKey(input.id(item)));
  }
  let oldest: Instant | null = null;
  if (oldestTime !== null) {
    const keys = oldestAt.map((item) => idKey(input.id(item)));
    // Still at the same instant as the upper boundary: those ids remain delivered too.
    oldest = { time: oldestTime, keys: upper !== null && upper.time === oldestTime ? union(upper.keys, keys) : keys };
  }
  return { fresh, oldest, belowFloor, newest };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** A time in cursor state: canonical, so that it compares as a string. */
export const canonicalTimeSchema = z.string().refine((value) => toRfc3339Millis(value) === value, 'a canonical RFC 3339 time');
/** Characters of JSON a key takes in a state: an `idKey` (a fingerprint, or a short id), quotes, a comma. */
const KEY_JSON_LENGTH = 20;
/** Characters of JSON a cursor takes beside the keys (envelope, times, flags), with room to spare. */
const CURSOR_JSON_OVERHEAD = 1024;
/**
 * The most keys one instant of a state holds: as many as let the three instants of a state fit in a
 * cursor (base64 writes 4 characters for every 3), so that the SDK never issues a cursor it refuses.
 * Far above what a listing reaches: it fails before one instant holds more than a page.
 */
export const MAX_INSTANT_KEYS = Math.floor(((MAX_CURSOR_LENGTH / 4) * 3 - CURSOR_JSON_OVERHEAD) / (3 * KEY_JSON_LENGTH));
/** Keys at one instant. */
export const instantKeysSchema = z.array(z.string()).max(MAX_INSTANT_KEYS);

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
