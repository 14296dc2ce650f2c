/**
 * The emulated PCE's reading of `GET /orgs/{orgId}/events` query parameters: the filters, the inclusive
 * timestamp bounds, and the silent `max_results` cut (default 100, at most 10000, VENDORS.md).
 */
import { EmulatorHttpError } from '../../testing/responses.js';
import type { IllumioEvent } from './schemas.js';

export const ILLUMIO_DEFAULT_MAX_RESULTS = 100;
export const ILLUMIO_MAX_RESULTS = 10_000;

export interface EmulatedEventQuery {
  eventType: string | undefined;
  severity: string | undefined;
  status: string | undefined;
  gte: number | undefined;
  lte: number | undefined;
  maxResults: number;
}

const SEVERITIES = new Set(['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug']);

function timeParam(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || !Number.isFinite(ms)) {
    throw new EmulatorHttpError(400, `Invalid ${name}: ${value} is not an RFC 3339 timestamp`);
  }
  return ms;
}

export function parseEventQuery(params: URLSearchParams): EmulatedEventQuery {
  const rawMax = params.get('max_results');
  let maxResults = ILLUMIO_DEFAULT_MAX_RESULTS;
  if (rawMax !== null) {
    if (!/^\d+$/.test(rawMax) || Number(rawMax) < 1) {
      throw new EmulatorHttpError(400, `Invalid max_results: ${rawMax}`);
    }
    // The PCE cuts silently rather than refusing a larger value.
    maxResults = Math.min(Number(rawMax), ILLUMIO_MAX_RESULTS);
  }
  const severity = params.get('severity') ?? undefined;
  if (severity !== undefined && !SEVERITIES.has(severity)) {
    throw new EmulatorHttpError(400, `Invalid severity: ${severity}`);
  }
  const status = params.get('status') ?? undefined;
  if (status !== undefined && status !== 'success' && status !== 'failure') {
    throw new EmulatorHttpError(400, `Invalid status: ${status}`);
  }
  return {
    eventType: params.get('event_type') ?? undefined,
    severity,
    status,
    gte: timeParam(params, 'timestamp[gte]'),
    lte: timeParam(params, 'timestamp[lte]'),
    maxResults,
  };
}

/** All matches of `query` in a newest-first store, and the page the PCE would send (the newest ones). */
export function selectEvents(
  store: readonly IllumioEvent[],
  query: EmulatedEventQuery,
): { matches: IllumioEvent[]; page: IllumioEvent[] } {
  const matches = store.filter((event) => {
    if (query.eventType !== undefined && event.event_type !== query.eventType) return false;
    if (query.severity !== undefined && event.severity !== query.severity) return false;
    if (query.status !== undefined && event.status !== query.status) return false;
    const ms = Date.parse(event.timestamp);
    if (query.gte !== undefined && ms < query.gte) return false;
    if (query.lte !== undefined && ms > query.lte) return false;
    return true;
  });
  return { matches, page: matches.slice(0, query.maxResults) };
}
