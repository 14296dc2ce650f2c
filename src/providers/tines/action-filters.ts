/**
 * The filters of `GET /api/v1/events` (`until_id`, `since`, `until`) applied again to one action's
 * events. The per-action path documents only `since_id` and `per_page` (seed 001; VENDORS.md
 * "Tines"): a tenant that ignores the others would list every event of the action. They are still
 * sent, so a tenant that honours them sends fewer pages; this keeps the listing to what was asked for
 * either way. Bounds as the events path reads them: `until_id` and `until` inclusive, `since` exclusive.
 *
 * A `created_at` in whole seconds (VENDORS.md: "with or without milliseconds") stands for a time
 * somewhere in that second, which the tenant knows to the millisecond: such an event is kept when any
 * time in its second is within the bounds. Dropping it could lose an event the tenant placed inside
 * them; keeping it can only keep one the tenant, had it read the bounds, would have left out. One in
 * more digits than milliseconds is an instant after the millisecond its `time` is cut down to: at a
 * bound's own millisecond it is after `since` and after `until`.
 */
import { compareIds } from './ids.js';
import type { TinesTributaryEvent } from './normalize.js';
import type { ResolvedTinesQuery } from './query.js';
import type { TinesEvent } from './schemas.js';

type Normalize = (events: readonly TinesEvent[]) => TinesTributaryEvent[];

/** `normalize`, then only the events within the query's bounds; `normalize` itself without bounds. */
export function withinActionBounds(normalize: Normalize, filters: ResolvedTinesQuery['filters']): Normalize {
  const { until_id: untilId, since, until } = filters;
  if (untilId === undefined && since === undefined && until === undefined) return normalize;
  return (events) =>
    normalize(events).filter(
      (event) =>
        (untilId === undefined || compareIds(event.id, untilId) <= 0) &&
        // Both are RFC 3339 UTC with milliseconds: they order as text.
        (since === undefined ||
          event.time > since ||
          (event.time === since && pastItsMillisecond(event.raw)) ||
          (inWholeSeconds(event.raw) && lastMillisecondOf(event.time) > since)) &&
        (until === undefined || event.time < until || (event.time === until && !pastItsMillisecond(event.raw))),
    );
}

const inWholeSeconds = (raw: TinesEvent): boolean => !/\d[.,]\d/.test(raw.created_at);

/** A fraction with a digit other than 0 past its third (`.000500`): an instant `time` cuts down. */
const pastItsMillisecond = (raw: TinesEvent): boolean => /\d[.,]\d{3}\d*[1-9]/.test(raw.created_at);

/** `2026-11-01T10:00:00.000Z` → `2026-11-01T10:00:00.999Z`: the last instant its second can stand for. */
const lastMillisecondOf = (time: string): string => `${time.slice(0, 20)}999Z`;
