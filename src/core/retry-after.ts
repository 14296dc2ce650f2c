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
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Decimal seconds are not in the RFC but some servers send them; accept rather than ignore the ask.
  if (/^\d+\.\d+$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at) || !/[a-z]/i.test(value)) return undefined;
  const serverNow = Date.parse(headers.get('date') ?? '');
  const reference = Number.isNaN(serverNow) ? now : serverNow;
  return Math.max(0, at - reference);
}
