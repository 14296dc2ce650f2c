/**
 * The request vocabulary of the Events REST API (seed 004): the enums of the search body, upper case,
 * and what each relative `timeframe.range` covers. Shared by the client, which pins a relative range to
 * a fixed `CUSTOM` window, and by the emulator, which evaluates ranges as the vendor does.
 */

export const EVENT_TYPES = [
  'ALL',
  'PUBLICATION',
  'SUBSCRIPTION',
  'COMPOUND_SUBSCRIPTION',
  'COMPOUND_PUBLICATION',
  'UNBOUND_SUBSCRIPTION',
  'AGGREGATED_SUBSCRIPTION',
] as const;

/** The request's event types; the default is `ALL`. */
export type InformaticaEventType = (typeof EVENT_TYPES)[number];

export const EVENT_STATUSES = ['ALL', 'COMPLETE', 'DELAYED', 'DISCARDED', 'ERROR', 'PROCESSING', 'REPROCESSED'] as const;

/**
 * The request's statuses; the default is `ALL`. Responses spell statuses in mixed case (`Complete`) and
 * have more of them (`Pending`, ...).
 */
export type InformaticaEventStatus = (typeof EVENT_STATUSES)[number];

export const RANGES = [
  'NO_RANGE',
  'LAST_HOUR',
  'LAST_TWO_HOURS',
  'LAST_24_HOURS',
  'LAST_7_DAYS',
  'LAST_30_DAYS',
  'TODAY',
  'YESTERDAY',
  'CUSTOM',
] as const;

/** `timeframe.range`; the vendor's default is `LAST_24_HOURS`; `CUSTOM` needs dates. */
export type InformaticaRange = (typeof RANGES)[number];

/** The ranges relative to the time of the request. */
export type RelativeRange = Exclude<InformaticaRange, 'CUSTOM'>;

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * The inclusive `[from, to]` window, in epoch milliseconds, that `range` covers at `now`; `TODAY` and
 * `YESTERDAY` are UTC days, as every time of the API is UTC. `NO_RANGE` starts at the epoch.
 */
export function rangeWindow(range: RelativeRange, now: number): [number, number] {
  const midnight = now - (now % DAY);
  switch (range) {
    case 'NO_RANGE':
      return [0, now];
    case 'LAST_HOUR':
      return [now - HOUR, now];
    case 'LAST_TWO_HOURS':
      return [now - 2 * HOUR, now];
    case 'LAST_24_HOURS':
      return [now - DAY, now];
    case 'LAST_7_DAYS':
      return [now - 7 * DAY, now];
    case 'LAST_30_DAYS':
      return [now - 30 * DAY, now];
    case 'TODAY':
      return [midnight, now];
    case 'YESTERDAY':
      return [midnight - DAY, midnight - 1];
  }
}
