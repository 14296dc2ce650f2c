/**
 * The wire side of the Cloud Integration Hub emulator: reading a search body as the vendor does, and
 * writing events in the forms the vendor documents (seed 004): a bare object when one event matches,
 * `eventHistory` as one object or as a list, `runID` beside `runId`, times with or without milliseconds.
 */
import { ZONE_FORMS, zonedTime, type TimeZoneStyle } from '../../testing/zoned-time.js';
import type { InformaticaStore, SearchCriteria, SearchResult, StoredEvent } from './emulator-store.js';
import { EVENT_STATUSES, EVENT_TYPES, RANGES, rangeWindow, type RelativeRange } from './vocabulary.js';

/** `yyyy-MM-ddTHH:mm:ss.SSSZ`, UTC; `Z` may also be written `+0000` or `+00:00`. */
const VENDOR_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(?:Z|\+00:?00)$/;

const DEFAULT_MAX_RESULTS = 2000;

export type ParsedSearch = { ok: true; criteria: SearchCriteria } | { ok: false; message: string };

/** Checks a search body the way the vendor does and returns the criteria, or the 400 message. */
export function parseSearchBody(body: unknown, now: number): ParsedSearch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'Request body must be a JSON object' };
  }
  const record = body as Record<string, unknown>;
  const names: Partial<Record<'applicationName' | 'topicName' | 'pubSubName', string>> = {};
  for (const key of ['applicationName', 'topicName', 'pubSubName'] as const) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return { ok: false, message: `${key} must be a string` };
    names[key] = value;
  }
  const useExactMatch = record['useExactMatch'] ?? false;
  if (typeof useExactMatch !== 'boolean') return { ok: false, message: 'useExactMatch must be true or false' };
  const eventType = enumValue(record['eventType'], EVENT_TYPES, 'eventType');
  if (typeof eventType === 'object') return eventType;
  const eventStatus = enumValue(record['eventStatus'], EVENT_STATUSES, 'eventStatus');
  if (typeof eventStatus === 'object') return eventStatus;
  const firstResult = intValue(record['firstResult'], 0, 'firstResult');
  if (typeof firstResult === 'object') return firstResult;
  const maxResults = intValue(record['maxResults'], DEFAULT_MAX_RESULTS, 'maxResults');
  if (typeof maxResults === 'object') return maxResults;
  if (maxResults < 1) return { ok: false, message: 'maxResults must be at least 1' };
  const window = timeframeWindow(record['timeframe'], now);
  if (!Array.isArray(window)) return window;
  return {
    ok: true,
    criteria: {
      ...names,
      useExactMatch,
      eventType,
      eventStatus,
      from: window[0],
      to: window[1],
      firstResult,
      maxResults,
    },
  };
}

function enumValue<T extends string>(
  value: unknown,
  allowed: readonly T[],
  name: string,
): T | { ok: false; message: string } {
  if (value === undefined || value === null) return 'ALL' as T;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return { ok: false, message: `Invalid ${name}: ${JSON.stringify(value)}. Allowed values: ${allowed.join(', ')}` };
}

function intValue(value: unknown, fallback: number, name: string): number | { ok: false; message: string } {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  return { ok: false, message: `${name} must be a non-negative integer` };
}

/** The documented default range is `LAST_24_HOURS`; `CUSTOM` requires both dates. */
function timeframeWindow(value: unknown, now: number): [number, number] | { ok: false; message: string } {
  if (value === undefined || value === null) return rangeWindow('LAST_24_HOURS', now);
  if (typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'timeframe must be an object' };
  const timeframe = value as Record<string, unknown>;
  const range = timeframe['range'] ?? 'LAST_24_HOURS';
  if (typeof range !== 'string' || !(RANGES as readonly string[]).includes(range)) {
    return { ok: false, message: `Invalid timeframe.range: ${JSON.stringify(range)}. Allowed values: ${RANGES.join(', ')}` };
  }
  if (range !== 'CUSTOM') return rangeWindow(range as RelativeRange, now);
  const from = vendorDate(timeframe['fromDate']);
  const to = vendorDate(timeframe['toDate']);
  if (from === undefined || to === undefined) {
    return {
      ok: false,
      message: 'fromDate and toDate are required for the CUSTOM range, in UTC format yyyy-MM-ddTHH:mm:ss.SSSZ',
    };
  }
  if (from > to) return { ok: false, message: 'fromDate must not be after toDate' };
  return [from, to];
}

function vendorDate(value: unknown): number | undefined {
  if (typeof value !== 'string' || !VENDOR_DATE.test(value)) return undefined;
  const ms = Date.parse(value.replace(/\+00:?00$/, 'Z'));
  return Number.isNaN(ms) ? undefined : ms;
}

/** `'mixed'` sends every form the vendor documents; `'list'` always the list and array forms. */
export type ResponseForms = 'mixed' | 'list';

/**
 * Renders a search result: a bare object when exactly one event matched (`mixed`), a list otherwise,
 * also for a page that holds one of many matches (the last of an offset listing, or `maxResults: 1`).
 */
export function renderSearch(result: SearchResult, store: InformaticaStore, forms: ResponseForms, zones: TimeZoneStyle = 'utc'): unknown {
  const events = result.rows.map((row) => renderEvent(row, store, forms, zones));
  return forms === 'mixed' && result.total === 1 && events.length === 1 ? events[0] : events;
}

/** Renders one event with its descendants nested in `childEvents`. */
export function renderEvent(event: StoredEvent, store: InformaticaStore, forms: ResponseForms, zones: TimeZoneStyle = 'utc'): Record<string, unknown> {
  const mixed = forms === 'mixed';
  // Drawn from the id, so an event read again is written the same way.
  const zone = zones === 'utc' ? 0 : event.eventId % ZONE_FORMS;
  const time = (ms: number): string => zonedTime(vendorTime(ms, mixed), ms, zone);
  const history = event.history.map((entry) => ({
    eventId: event.eventId,
    timeStamp: time(entry.timeStamp),
    eventStatusName: entry.eventStatusName,
    comments: entry.comments,
  }));
  const out: Record<string, unknown> = {
    eventId: event.eventId,
    createTime: time(event.createTime),
    completionTime: event.completionTime === null ? null : time(event.completionTime),
    eventType: event.eventType,
    eventStatus: event.eventStatus,
    descendantState: event.descendantState,
    applicationName: event.applicationName,
    pubSubName: event.pubSubName,
    topicName: event.topicName,
    sourceSuccessCount: event.sourceSuccessCount,
    sourceFailedCount: event.sourceFailedCount,
    targetSuccessCount: event.targetSuccessCount,
    targetFailedCount: event.targetFailedCount,
  };
  if (event.parentEventId !== null) out['parentEventId'] = event.parentEventId;
  // The seed's syntax spells `runID`, its example `runId`: every third event uses the first.
  out[mixed && event.eventId % 3 === 0 ? 'runID' : 'runId'] = event.runId;
  const children = event.children.flatMap((id) => {
    const child = store.get(id);
    return child ? [renderEvent(child, store, forms, zones)] : [];
  });
  if (children.length > 0) out['childEvents'] = children;
  // The seed's syntax shows `eventHistory` as one object, its example as a list.
  out['eventHistory'] = mixed && history.length === 1 ? history[0] : history;
  return out;
}

/** Whole seconds lose their `.000` in the mixed forms, as some releases print them. */
function vendorTime(ms: number, mixed: boolean): string {
  const text = new Date(ms).toISOString();
  return mixed && ms % 1000 === 0 ? text.replace('.000Z', 'Z') : text;
}

