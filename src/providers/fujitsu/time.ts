/**
 * FUJITSU query times. The service documents `startTime`/`endTime` as ISO 8601 (`2009-07-08T18:00Z`)
 * and writes its own dates with second precision, so windows are sent as whole UTC seconds with a `Z`.
 * Event dates themselves are normalized by the core's `toRfc3339Millis`, which reads a zone-less date
 * as UTC.
 */

/** A query parameter for `startTime`/`endTime`: whole seconds, UTC, `2013-03-18T19:09:17Z`. */
export function toQueryTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/**
 * The start of a window as the service can tell it: down to its whole second. Events carry whole
 * seconds, so one at 10:00:00.700 is dated 10:00:00; a start of 10:00:00.500 kept as it is would drop it
 * as older than the window, though the request (`toQueryTime`) asked for that second and got it.
 */
export function windowStart(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString();
}
