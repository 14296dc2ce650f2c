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
  // The header sent twice reaches us joined (`2, 2`): the longer wait is the one that keeps off the wall.
  if (/^\d+(?:\.\d+)?(?:\s*,\s*\d+(?:\.\d+)?)*$/.test(value)) {
    // Decimal seconds are not in the RFC but some servers send them; accept rather than ignore the ask.
    return Math.ceil(Math.max(...value.split(',').map(Number)) * 1000);
  }
  const at = parseHttpDate(value);
  if (at === undefined) return undefined;
  const serverNow = parseHttpDate(headers.get('date')?.trim() ?? '');
  return Math.max(0, at - (serverNow ?? now));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * An HTTP-date (RFC 9110 §5.6.7), always GMT. `Date.parse` reads the obsolete asctime form, which names
 * no zone, in the process's local time zone (hours off on a host outside UTC), so that form is read
 * here; any other form is taken only with its zone written out.
 */
function parseHttpDate(value: string): number | undefined {
  const asctime = /^[a-z]{3} ([a-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i.exec(value);
  if (asctime) {
    const [, month = '', day, hours, minutes, seconds, year] = asctime;
    const index = MONTHS.indexOf(month.toLowerCase());
    return index < 0 ? undefined : Date.UTC(Number(year), index, Number(day), Number(hours), Number(minutes), Number(seconds));
  }
  if (!/(?:\b(?:GMT|UTC|UT)|[+-]\d{2}:?\d{2}|\dZ)$/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}
