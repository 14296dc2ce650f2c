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
