/**
 * Cloud Integration Hub events into `TributaryEvent`s. A page is normalized at once; child events
 * (`childEvents`, nested recursively with `parentEventId`, VENDORS.md "Informatica") are either emitted
 * as events of their own right after their parent (`flatten`) or kept inside it (`nested`).
 */
import type { Severity, TributaryEvent } from '../../core/event.js';
import { ResponseValidationError } from '../../core/errors.js';
import { toRfc3339Millis } from '../../core/time.js';
import type { InformaticaEvent, InformaticaHistoryEntry } from './schemas.js';

/** A normalized Cloud Integration Hub event; `raw` is the vendor's object as received. */
export type InformaticaTributaryEvent = TributaryEvent<'informatica', InformaticaEvent>;

/**
 * How child events are delivered.
 * - `'flatten'`: every descendant is an event of its own, right after its parent, with
 *   `data.parentEventId` set; the parent lists them in `data.childEventIds`.
 * - `'nested'`: only the events the search returned; their descendants, normalized, are in
 *   `data.childEvents`.
 */
export type InformaticaChildrenMode = 'flatten' | 'nested';

/** The row and file counters of an event, as far as the vendor sent them. */
export type InformaticaCounts = {
  sourceSuccessCount?: number;
  sourceFailedCount?: number;
  targetSuccessCount?: number;
  targetFailedCount?: number;
};

/** The shape of `data` of an Informatica event. */
export type InformaticaEventData = {
  eventType?: string;
  applicationName?: string;
  topicName?: string;
  completionTime?: string;
  counts: InformaticaCounts;
  /** Always a list, oldest first as sent, whatever form the vendor used. */
  history: InformaticaHistoryEntry[];
  runId?: string;
  descendantState?: string;
  parentEventId?: string;
  /** `flatten` mode: the ids of the direct children, which follow as events of their own. */
  childEventIds?: string[];
  /** `nested` mode: the direct children, normalized the same way. */
  childEvents?: InformaticaTributaryEvent[];
};

const COUNT_FIELDS = ['sourceSuccessCount', 'sourceFailedCount', 'targetSuccessCount', 'targetFailedCount'] as const;

/**
 * Response statuses are mixed case and go beyond the request enum (`Pending`, ...): compare lower case
 * and leave unknown ones without a severity rather than guess.
 */
const SEVERITY_BY_STATUS: Readonly<Record<string, Severity>> = {
  complete: 'info',
  processing: 'info',
  pending: 'info',
  reprocessed: 'info',
  delayed: 'warning',
  discarded: 'warning',
  error: 'error',
};

/** Normalizes one page of search results; each event id appears once per page. */
export function normalizeInformaticaEvents(
  items: readonly InformaticaEvent[],
  children: InformaticaChildrenMode,
): InformaticaTributaryEvent[] {
  const out: InformaticaTributaryEvent[] = [];
  const seen = new Set<string>();
  const derived = derivedStrings();
  const visit = (event: InformaticaEvent): void => {
    const normalized = normalizeOne(event, children, derived);
    if (!seen.has(normalized.id)) {
      seen.add(normalized.id);
      out.push(normalized);
    }
    if (children === 'flatten') for (const child of event.childEvents ?? []) visit(child);
  };
  for (const item of items) visit(item);
  return out;
}

/** Normalizes one event; in `nested` mode its descendants go into `data.childEvents`. */
export function normalizeInformaticaEvent(
  event: InformaticaEvent,
  children: InformaticaChildrenMode,
): InformaticaTributaryEvent {
  return normalizeOne(event, children, derivedStrings());
}

/**
 * `type` and `source` come from a handful of event types, applications and topics, so a page derives
 * each string once (lower-casing and URI-encoding per event was a fifth of the normalizer's time).
 */
interface DerivedStrings {
  type(eventType: string | null | undefined): string;
  source(event: InformaticaEvent): string;
}

function derivedStrings(): DerivedStrings {
  const types = new Map<string, string>();
  const sources = new Map<string, string>();
  return {
    type(eventType) {
      if (!eventType) return 'informatica.unknown';
      let type = types.get(eventType);
      if (type === undefined) types.set(eventType, (type = `informatica.${eventType.toLowerCase()}`));
      return type;
    },
    source(event) {
      const application = event.applicationName ?? '';
      // Length-prefixed, so no pair of names can make another pair's key.
      const key = `${application.length}:${application}${event.topicName ?? ''}`;
      let source = sources.get(key);
      if (source === undefined) sources.set(key, (source = sourceOf(event)));
      return source;
    },
  };
}

function normalizeOne(event: InformaticaEvent, children: InformaticaChildrenMode, derived: DerivedStrings): InformaticaTributaryEvent {
  const id = String(event.eventId);
  const data: InformaticaEventData = { counts: countsOf(event), history: historyOf(event) };
  setText(data, 'eventType', event.eventType);
  setText(data, 'applicationName', event.applicationName);
  setText(data, 'topicName', event.topicName);
  if (event.completionTime) data.completionTime = timeOf(event.completionTime, id, 'completionTime', event);
  const runId = runIdOf(event.runId) ?? runIdOf(event.runID);
  if (runId !== undefined) data.runId = runId;
  setText(data, 'descendantState', event.descendantState);
  if (event.parentEventId !== null && event.parentEventId !== undefined) {
    data.parentEventId = String(event.parentEventId);
  }
  const childEvents = event.childEvents ?? [];
  if (childEvents.length > 0) {
    if (children === 'flatten') data.childEventIds = childEvents.map((child) => String(child.eventId));
    else data.childEvents = childEvents.map((child) => normalizeOne(child, children, derived));
  }

  const result: InformaticaTributaryEvent = {
    provider: 'informatica',
    id,
    type: derived.type(event.eventType),
    time: timeOf(event.createTime, id, 'createTime', event),
    source: derived.source(event),
    data,
    raw: event,
  };
  if (event.pubSubName) result.subject = event.pubSubName;
  if (event.eventStatus) {
    result.status = event.eventStatus;
    const severity = SEVERITY_BY_STATUS[event.eventStatus.toLowerCase()];
    if (severity) result.severity = severity;
  }
  const message = latestComment(data.history);
  if (message) result.message = message;
  return result;
}

/** `informatica:/applications/{applicationName}/topics/{topicName}`, leaving out a name that is missing. */
function sourceOf(event: InformaticaEvent): string {
  let source = 'informatica:/';
  if (event.applicationName) source += `applications/${encodeURIComponent(event.applicationName)}`;
  if (event.topicName) {
    source += `${event.applicationName ? '/' : ''}topics/${encodeURIComponent(event.topicName)}`;
  }
  return source;
}

function countsOf(event: InformaticaEvent): InformaticaCounts {
  const counts: InformaticaCounts = {};
  for (const field of COUNT_FIELDS) {
    const value = event[field];
    if (typeof value === 'number') counts[field] = value;
  }
  return counts;
}

/** A run id as text; the schema leaves it opaque (a string or a number arrive, anything else is ignored). */
function runIdOf(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isEntry(value: unknown): value is InformaticaHistoryEntry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The seed's syntax shows `eventHistory` as one object, its example as a list. The schema leaves it
 * opaque, so entries that are not objects are left out here (they stay in `raw`).
 */
function historyOf(event: InformaticaEvent): InformaticaHistoryEntry[] {
  const history = event.eventHistory;
  if (Array.isArray(history)) return history.every(isEntry) ? history : history.filter(isEntry);
  return isEntry(history) ? [history] : [];
}

/** The newest non-empty comment says what happened last (`Subscription to topic failed. ...`). */
function latestComment(history: readonly InformaticaHistoryEntry[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const comments = history[i]?.comments;
    if (typeof comments === 'string' && comments !== '') return comments;
  }
  return undefined;
}

function setText<K extends 'eventType' | 'applicationName' | 'topicName' | 'descendantState'>(
  data: InformaticaEventData,
  key: K,
  value: string | null | undefined,
): void {
  if (value) data[key] = value;
}

/** A time the vendor sent, as RFC 3339 UTC milliseconds; an unreadable one is named with the raw event. */
function timeOf(value: string, id: string, field: string, raw: InformaticaEvent): string {
  const time = toRfc3339Millis(value);
  if (time !== undefined) return time;
  throw new ResponseValidationError(`Informatica event ${id} has an unusable ${field}: ${JSON.stringify(value)}`, {
    provider: 'informatica',
    issues: [`${field}: not a date and time (${JSON.stringify(value)})`],
    raw,
  });
}
