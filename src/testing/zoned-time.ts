/**
 * A UTC time as vendors also write it (VENDORS.md): without a zone, which is UTC, or at another offset.
 * Emulators that serve `'mixed'` zones draw the form per event, so an event read again reads the same.
 */
import { oneOf } from './option-rules.js';

const TIME_ZONE_STYLES = ['utc', 'mixed'] as const;

/**
 * How an emulator zones the times it writes: `'utc'` always with `Z`; `'mixed'` by event, with `Z`,
 * without a zone (UTC, VENDORS.md) or at `+01:00`.
 */
export type TimeZoneStyle = (typeof TIME_ZONE_STYLES)[number];

/** The rule of an emulator's `timeZones` option: the styles of the type, from one list. */
export const timeZonesRule = oneOf(...TIME_ZONE_STYLES);

/** The zones of `'mixed'`: as written (`Z`), without a zone, at `+01:00`. */
export const ZONE_FORMS = 3;

const HOUR = 3_600_000;

/**
 * `utc`, the ISO text of `ms` ending in `Z` (with or without milliseconds), in zone form `zone`: 0 as it
 * is, 1 without a zone, 2 at `+01:00`, keeping its precision.
 * @example zonedTime('2026-11-23T10:00:00Z', Date.parse('2026-11-23T10:00:00Z'), 2) // '2026-11-23T11:00:00+01:00'
 */
export function zonedTime(utc: string, ms: number, zone: number): string {
  if (zone === 1) return utc.slice(0, -1);
  if (zone === 2) return `${new Date(ms + HOUR).toISOString().slice(0, utc.length - 1)}+01:00`;
  return utc;
}
