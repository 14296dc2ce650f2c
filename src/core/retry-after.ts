/**
 * `Retry-After` (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date. Informatica sends seconds on
 * its 429 (VENDORS.md); Illumio sends it on a `202` export job; others may send a date.
 */

/**
 * How long the server asked to wait, in milliseconds of the server's time (unscaled), or `undefined` when
 * the header is absent or unreadable. A date is measured against the response's own `Date` header when
 * it has one (both then come from the server's clock, so client clock skew does not matter), otherwise
 * against `now`. A date in the past means "now": 0.
 */
export function parseRetryAfter(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const serverNow = parseHttpDate(headers.get('date')?.trim() ?? '') ?? now;
  // The header sent twice reaches us joined (`2, 5`): the longer wait is the one that keeps off the wall.
  // A date has a comma of its own (`Mon, 23 Nov`), so the joins are those before a day or a number.
  let longest: number | undefined;
  for (const part of value.split(/,\s*(?=[a-z]{3,9}[,\s]|\d+(?:\.\d+)?\s*(?:,|$))/i)) {
    const ms = delayOf(part.trim(), serverNow);
    if (ms !== undefined && (longest === undefined || ms > longest)) longest = ms;
  }
  return longest;
}

function delayOf(value: string, serverNow: number): number | undefined {
  // Decimal seconds are not in the RFC but some servers send them; accept rather than ignore the ask.
  // Capped where a `Date` ends: 309 digits and more made `Infinity`, which JSON writes as `null`.
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.min(Math.ceil(Number(value) * 1000), LONGEST_MS);
  const at = parseHttpDate(value);
  return at === undefined ? undefined : Math.max(0, at - serverNow);
}

/** The longest span a `Date` holds (100,000,000 days). */
const LONGEST_MS = 8.64e15;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * An HTTP-date (RFC 9110 §5.6.7), always GMT. `Date.parse` reads the obsolete asctime form, which names
 * no zone, in the process's local time zone (hours off on a host outside UTC), so that form is read
 * here; any other form is taken only with its zone written out. `Date.parse` also rolls `25:00` or
 * `Feb 30` over into the next day: in every form such a date is refused, not moved (31 February is no
 * wait at all, 31 November a day's).
 */
export function parseHttpDate(value: string): number | undefined {
  const asctime = /^[a-z]{3} ([a-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i.exec(value);
  if (asctime) {
    const month = MONTHS.indexOf((asctime[1] ?? '').toLowerCase());
    const [day = 0, hours = 0, minutes = 0, seconds = 0, year = 0] = asctime.slice(2).map(Number);
    return inRange(year, month, day, hours, minutes, seconds) ? Date.UTC(year, month, day, hours, minutes, seconds) : undefined;
  }
  if (!/(?:\b(?:GMT|UTC|UT)|[+-]\d{2}:?\d{2}|\dZ)$/i.test(value)) return undefined;
  // IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) and RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`).
  const named = /\b(\d{1,2})[ -]([a-z]{3})[ -](\d{4}|\d{2}) (\d{2}):(\d{2}):(\d{2})\b/i.exec(value);
  if (named) {
    const month = MONTHS.indexOf((named[2] ?? '').toLowerCase());
    const [day = 0, year = 0, hours = 0, minutes = 0, seconds = 0] = [named[1], ...named.slice(3)].map(Number);
    if (!inRange(year, month, day, hours, minutes, seconds)) return undefined;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

/** Whether the fields name an instant as they are, not one `Date.UTC` would roll over into. */
function inRange(year: number, month: number, day: number, hours: number, minutes: number, seconds: number): boolean {
  return month >= 0 && hours < 24 && minutes < 60 && seconds < 60 && new Date(Date.UTC(year, month, day)).getUTCDate() === day;
}
