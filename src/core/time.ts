/**
 * Time normalization. Every `TributaryEvent.time` is RFC 3339 in UTC with milliseconds
 * (`2026-11-23T10:00:00.000Z`), so times from all vendors compare as plain strings.
 *
 * Vendors send (VENDORS.md): ISO strings with or without milliseconds and with or without a zone (a
 * zone-less time is UTC), offsets (`+01:00`, Java's `+0100`), more than three fractional digits, minute
 * precision (FUJITSU `2009-07-08T18:00Z`), date-only query values (`2026-11-01`). This runs once per
 * event, so the UTC shapes vendors send most (`YYYY-MM-DDTHH:mm:ss`, FUJITSU's zone-less seconds, with
 * any fraction, with `Z` or a zero offset; the canonical form itself) are recognized by one regular
 * expression test and rewritten by position, without captures or a `Date`; other UTC strings are
 * rewritten from a regular expression match, and only a non-zero offset needs date arithmetic.
 */

/**
 * Date, optional time (minutes, optional seconds, optional fraction of any length, `.` or `,`), optional
 * zone (`Z`, `+hh:mm`, `+hhmm`, `+hh`).
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function fromEpoch(ms: number): string | undefined {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  // NaN for an instant no Date holds (NaN, ±Infinity, beyond ±8.64e15 ms). RFC 3339 writes years
  // 0000..9999 only (toISOString would write `+010000`).
  if (Number.isNaN(year) || year < 0 || year > 9999) return undefined;
  return date.toISOString();
}

/**
 * Normalizes a time to `YYYY-MM-DDTHH:mm:ss.sssZ` (UTC, milliseconds).
 *
 * Accepts an RFC 3339 / ISO 8601 string (zone-less means UTC; minutes-only and date-only are allowed;
 * fractional digits beyond milliseconds are truncated, never rounded, so order is kept), epoch
 * milliseconds, or a `Date`. Returns `undefined` for anything it cannot read, including impossible
 * dates (`2026-02-30`), so the caller decides: a provider turns it into a `ResponseValidationError`
 * naming the field, an option check into a `ConfigurationError`.
 *
 * @example toRfc3339Millis('2013-03-18T19:09:17')           // '2013-03-18T19:09:17.000Z'
 * @example toRfc3339Millis('2026-11-23T11:00:00.1234+01:00') // '2026-11-23T10:00:00.123Z'
 * @example toRfc3339Millis(0)                                // '1970-01-01T00:00:00.000Z'
 */
export function toRfc3339Millis(value: string | number | Date): string | undefined {
  if (typeof value === 'string') return fromUtcShape(value) ?? parseIsoString(value);
  if (typeof value === 'number') return fromEpoch(value);
  const epoch = dateEpoch(value);
  return epoch === undefined ? undefined : fromEpoch(epoch);
}

const getTime = Date.prototype.getTime;

/**
 * The epoch milliseconds a `Date` holds (`NaN` for an invalid one), `undefined` for anything else. A
 * `Date` of another realm (a `vm` context, a test environment's global) is one too, which `instanceof`
 * denies: `getTime` reads the internal slot every `Date` has, and throws on anything without it.
 * @example dateEpoch(new Date(0)) // 0
 */
export function dateEpoch(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return getTime.call(value);
  } catch {
    return undefined;
  }
}

/**
 * The UTC shapes vendors send most: `YYYY-MM-DDTHH:mm:ss`, an optional `.` fraction of any length, and
 * no zone, `Z`, `+00:00` or `+0000`, with every field in range but the day of a short month. One
 * `test` without captures allocates nothing, and V8 runs it faster than reading the same characters
 * one `charCodeAt` at a time (about 33 against 45 ns per time on real pages, bench/ breakdown pages).
 */
const UTC_SHAPE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|\+00:?00)?$/;

/**
 * A string of `UTC_SHAPE` canonicalized; a string already canonical is returned itself, so the most
 * common case allocates nothing. `undefined` for anything else (another shape, a leap second, an
 * impossible date), which the full parser then reads or refuses.
 */
function fromUtcShape(value: string): string | undefined {
  if (!UTC_SHAPE.test(value)) return undefined;
  // Every month has 28 days: only the 29th and later need the calendar ('2' 50, '3' 51, '9' 57).
  const tens = value.charCodeAt(8);
  if (tens === 51 || (tens === 50 && value.charCodeAt(9) === 57)) {
    const year = Number(value.slice(0, 4));
    if (Number(value.slice(8, 10)) > daysIn(year, Number(value.slice(5, 7)))) return undefined;
  }
  const length = value.length;
  // '.' 46, 'Z' 90: of the matching strings only `.SSSZ` has both at these places.
  const fraction = value.charCodeAt(19) === 46;
  if (length === 24 && fraction && value.charCodeAt(23) === 90) return value;
  if (!fraction) return `${value.slice(0, 19)}.000Z`;
  let end = 20;
  while (end < length && isDigit(value.charCodeAt(end))) end++;
  const digits = end - 20;
  // Beyond milliseconds: truncated, never rounded, so that order is kept.
  if (digits >= 3) return `${value.slice(0, 23)}Z`;
  return `${value.slice(0, end)}${digits === 1 ? '00Z' : '0Z'}`;
}

/** `c` is the char code of an ASCII digit. */
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function parseIsoString(value: string): string | undefined {
  const match = ISO.exec(value.trim());
  if (match === null) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', , sign, oh, om = '00'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  // A leap second (`:60`) is read as the first millisecond after it, as `Date` does.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = (fraction + '000').slice(0, 3);
  if (sign === undefined && second < 60) {
    // UTC (explicit `Z` or no zone): rewrite the string, no `Date` needed.
    return `${y}-${mo}-${d}T${h}:${mi}:${s}.${millis}Z`;
  }
  const offsetHours = Number(oh ?? 0);
  const offsetMinutes = Number(om);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return fromEpoch(utcEpoch(year, month, day, hour, minute, second, Number(millis)) - offset);
}

/** The digit at `index` of a string known to hold one there. */
function digitAt(value: string, index: number): number {
  return value.charCodeAt(index) - 48;
}

/**
 * Epoch milliseconds of a canonical time (`toRfc3339Millis`'s output), read by position: `Date.parse`
 * costs twice as much, and a since-id tail's overlap reads the time of every event it delivers.
 * @example canonicalEpoch('1970-01-01T00:00:01.000Z') // 1000
 */
export function canonicalEpoch(time: string): number {
  return utcEpoch(
    digitAt(time, 0) * 1000 + digitAt(time, 1) * 100 + digitAt(time, 2) * 10 + digitAt(time, 3),
    digitAt(time, 5) * 10 + digitAt(time, 6),
    digitAt(time, 8) * 10 + digitAt(time, 9),
    digitAt(time, 11) * 10 + digitAt(time, 12),
    digitAt(time, 14) * 10 + digitAt(time, 15),
    digitAt(time, 17) * 10 + digitAt(time, 18),
    digitAt(time, 20) * 100 + digitAt(time, 21) * 10 + digitAt(time, 22),
  );
}

/**
 * Epoch milliseconds of a UTC date and time (`month` from 1; a second of 60 rolls into the next minute).
 * `Date.UTC` reads the years 0 to 99 as 1900 to 1999, and moving its answer to the year after would
 * land February 29th of year 0, 4, ... 96 (which 1900 lacks) on March 1st: those years are set whole.
 */
function utcEpoch(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.setUTCHours(hour, minute, second, millis);
}

/**
 * Moves a canonical time by `ms` milliseconds (per page, never per event).
 * @example shiftTime('2026-11-23T10:00:00.000Z', 1000) // '2026-11-23T10:00:01.000Z'
 */
export function shiftTime(time: string, ms: number): string {
  const shifted = fromEpoch(Date.parse(time) + ms);
  if (shifted === undefined) throw new RangeError(`cannot shift ${time} by ${ms} ms`);
  return shifted;
}
