/**
 * FUJITSU dates. The service writes `2013-03-18T19:09:17`: second precision and, usually, no zone, which
 * means UTC (VENDORS.md, general rules). The paging marker is such a date, so the SDK needs three
 * things: the normalized RFC 3339 time, the second an event falls in (the unit events are grouped by
 * at a page boundary), and a marker one second later in the service's own style.
 */

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z?)$/;
const PARTS = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * The date as RFC 3339 UTC with milliseconds, or `undefined` when it is not a real instant. The common
 * shapes are rewritten as strings (no `Date` per event on the hot path); the others go through
 * `Date.parse`.
 */
export function toUtcMillis(date: string): string | undefined {
  const canonical = CANONICAL.exec(date);
  if (canonical) {
    const iso = `${date.slice(0, 19)}.000Z`;
    return Number.isNaN(Date.parse(iso)) ? undefined : iso;
  }
  const parts = PARTS.exec(date);
  if (!parts) return undefined;
  const [, day, minute, second = ':00', fraction = '', zone = 'Z'] = parts;
  const offset = /^[+-]\d{2}$/.test(zone) ? `${zone}:00` : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = Date.parse(`${day}T${minute}${second}${fraction.slice(0, 4)}${offset.toUpperCase()}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The UTC second of a normalized time (`2013-03-18T19:09:17`), comparable as a string. */
export function secondOf(time: string): string {
  return time.slice(0, 19);
}

/** A query parameter for `startTime`/`endTime`: whole seconds, UTC, `2013-03-18T19:09:17Z`. */
export function toQueryTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/**
 * The marker one second after `second`, written like the service writes `like` (zone-less when its
 * dates are zone-less), so a server that compares marker strings sees its own format.
 */
export function nextSecondMarker(second: string, like: string): string {
  const next = new Date(Date.parse(`${second}Z`) + 1000).toISOString().slice(0, 19);
  return CANONICAL.exec(like)?.[1] === '' ? next : `${next}Z`;
}
