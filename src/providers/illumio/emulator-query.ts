/**
 * The emulated PCE's reading of `GET /orgs/{orgId}/events` query parameters: the filters, the inclusive
 * timestamp bounds, and the silent `max_results` cut (default 100, at most 10000, VENDORS.md).
 */
import { isoTime, queryInt, queryString, queryTime } from '../../testing/query.js';
import { EmulatorHttpError } from '../../testing/responses.js';
import type { IllumioEvent } from './schemas.js';

export const ILLUMIO_DEFAULT_MAX_RESULTS = 100;
export const ILLUMIO_MAX_RESULTS = 10_000;

export interface EmulatedEventQuery {
  eventType: string | undefined;
  createdBy: string | undefined;
  severity: string | undefined;
  status: string | undefined;
  gte: number | undefined;
  lte: number | undefined;
  maxResults: number;
}

/** Each stored event's instant, read once for its `timestamp` as it is (a test may rewrite one). */
const instants = new WeakMap<IllumioEvent, { text: string; ms: number }>();

/**
 * The instant of `event`'s `timestamp`. Every listing filters the whole store by it, and every event
 * recorded sorts the store by it: read afresh each time, a store grown over a long run of polls spent
 * most of each request reading the same text again.
 */
export function eventMs(event: IllumioEvent): number {
  const known = instants.get(event);
  if (known !== undefined && known.text === event.timestamp) return known.ms;
  const ms = isoTime(event.timestamp);
  instants.set(event, { text: event.timestamp, ms });
  return ms;
}

const SEVERITIES = new Set(['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug']);

/** Reads the query as the PCE does; an invalid value is a `400` naming the parameter. */
export function parseEventQuery(query: URLSearchParams): EmulatedEventQuery {
  const severity = queryString(query, 'severity');
  if (severity !== undefined && !SEVERITIES.has(severity)) {
    throw new EmulatorHttpError(400, `Invalid value for severity: ${severity}`);
  }
  const status = queryString(query, 'status');
  if (status !== undefined && status !== 'success' && status !== 'failure') {
    throw new EmulatorHttpError(400, `Invalid value for status: ${status}`);
  }
  return {
    eventType: queryString(query, 'event_type'),
    createdBy: queryString(query, 'created_by'),
    severity,
    status,
    gte: queryTime(query, 'timestamp[gte]'),
    lte: queryTime(query, 'timestamp[lte]'),
    // The PCE cuts a larger value silently rather than refusing it (VENDORS.md).
    maxResults: queryInt(query, 'max_results', {
      default: ILLUMIO_DEFAULT_MAX_RESULTS,
      min: 1,
      max: ILLUMIO_MAX_RESULTS,
      clamp: true,
    }),
  };
}

/** All matches of `query` in a newest-first store, and the page the PCE would send (the newest ones). */
export function selectEvents(
  store: readonly IllumioEvent[],
  query: EmulatedEventQuery,
): { matches: IllumioEvent[]; page: IllumioEvent[] } {
  const matches = store.filter((event) => {
    if (query.eventType !== undefined && event.event_type !== query.eventType) return false;
    if (query.createdBy !== undefined && !createdBy(event, query.createdBy)) return false;
    if (query.severity !== undefined && event.severity !== query.severity) return false;
    if (query.status !== undefined && event.status !== query.status) return false;
    if (query.gte === undefined && query.lte === undefined) return true;
    const ms = eventMs(event);
    return !(query.gte !== undefined && ms < query.gte) && !(query.lte !== undefined && ms > query.lte);
  });
  return { matches, page: matches.slice(0, query.maxResults) };
}

/**
 * Whether `value` names the event's creator. The seed documents `created_by` as a parameter without the
 * form it matches: the emulator takes the creator's `href`, its user name or host name, or the name of
 * its kind for a creator without any of them (`system`).
 */
function createdBy(event: IllumioEvent, value: string): boolean {
  const creator = event.created_by;
  if (typeof creator !== 'object' || creator === null) return false;
  for (const [kind, detail] of Object.entries(creator)) {
    const { href, username, hostname } = typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
    if (href === value || username === value || hostname === value) return true;
    // A kind names a creator only when nothing else does: `system` is one, `user` is every user.
    if (kind === value && href === undefined && username === undefined && hostname === undefined) return true;
  }
  return false;
}
