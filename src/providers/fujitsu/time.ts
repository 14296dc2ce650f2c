/**
 * FUJITSU dates. The service writes `2013-03-18T19:09:17`: second precision and, usually, no zone, which
 * means UTC (VENDORS.md, general rules). The paging marker is such a date, so the SDK needs two
 * things beside the normalized RFC 3339 time: the second an event falls in (the unit events are grouped by
 * at a page boundary), and a marker one second later in the service's own style. The normalized time
 * itself comes from the core's `toRfc3339Millis`, which reads zone-less dates as UTC.
 */

const ZONELESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

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
  return ZONELESS.test(like) ? next : `${next}Z`;
}
