/**
 * Cloud Integration Hub events into `TributaryEvent`s. A page is normalized at once; child events
 * (`childEvents`, nested recursively with `parentEventId`, VENDORS.md "Informatica") are either emitted
 * as events of their own right after their parent (`flatten`) or kept inside it (`nested`). The text
 * fields (`eventType`, `eventStatus`, the names, `completionTime`, `descendantState`) are read as text:
 * the first string of an array.
 */
import type { Severity, TributaryEvent } from '../../core/event.js';
import { isRecord } from '../../core/plain-object.js';
import { firstText } from '../../core/text-or-list.js';
import { toRfc3339Millis } from '../../core/time.js';
import { unusableTime } from '../../core/unusable-time.js';
import { uriSegment } from '../../core/uri-segment.js';
import { deliveredBefore, heldBack, idText, lookupKey, seenKey } from './ids.js';
import type { InformaticaEvent, InformaticaHistoryEntry } from './schemas.js';

/** A normalized Cloud Integration Hub event; `raw` is the vendor's object as received. */
export type InformaticaTributaryEvent = TributaryEvent<'informatica', InformaticaEvent, InformaticaEventData>;

/**
 * How child events are delivered.
 * - `'flatten'`: every descendant is an event of its own, right after its parent, with
 *   `data.parentEventId` set; the parent lists them in `data.childEventIds`.
 * - `'nested'`: only the events the search returned; their descendants, normalized, are in
 *   `data.childEvents`. A child created after a tail cursor's listing delivered its parent comes on its
 *   own, as the search returns a child whose parent is not among the results (`pagination.ts`), and so
 *   does one a cursor held back (`heldBack`): it is not in its parent's `data.childEvents`, only in `raw`.
 *   Nor is one that was delivered before, on its own, when its parent comes later (`deliveredBefore`).
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
  /** Those the vendor sent; without any, `{}` (an object of this event's own). */
  counts: InformaticaCounts;
  /**
   * Always a list, oldest first as sent, whatever form the vendor used: the vendor's own list when it
   * holds only objects (the same array as in `raw`); without entries, `[]` (a list of this event's own).
   */
  history: InformaticaHistoryEntry[];
  runId?: string;
  descendantState?: string;
  parentEventId?: string;
  /** `flatten` mode: the ids of the direct children, which follow as events of their own. */
  childEventIds?: string[];
  /** `nested` mode: the direct children, normalized the same way. */
  childEvents?: InformaticaTributaryEvent[];
};

/**
 * Response statuses are mixed case and go beyond the request enum (`Pending`, ...): compare lower case
 * and leave unknown ones without a severity rather than guess. A `Map`, so that a status such as
 * `constructor` finds nothing rather than `Object.prototype`'s member.
 */
const SEVERITY_BY_STATUS: ReadonlyMap<string, Severity> = new Map([
  ['complete', 'info'],
  ['processing', 'info'],
  ['pending', 'info'],
  ['reprocessed', 'info'],
  ['delayed', 'warning'],
  ['discarded', 'warning'],
  ['error', 'error'],
]);

/** Normalizes one page of search results; each event id appears once per page. */
export function normalizeInformaticaEvents(
  items: readonly InformaticaEvent[],
  children: InformaticaChildrenMode,
  pod?: string,
): InformaticaTributaryEvent[] {
  const shape = measurePage(items, children === 'flatten', { count: 0, min: Infinity, max: -Infinity, integers: true });
  const page = new PageNormalizer(children, 'events.list', shape.count, firstSeen(shape), pod);
  for (const item of items) page.add(item);
  return page.events();
}

/** What a page can emit: how many events at most (ids seen twice are left out), and their ids' range. */
interface PageShape {
  count: number;
  min: number;
  max: number;
  /** Every id is a (safe) integer number. */
  integers: boolean;
}

/** Walks the events `add` visits (in `flatten` mode, every descendant too). */
function measurePage(events: readonly InformaticaEvent[], flatten: boolean, shape: PageShape): PageShape {
  for (const event of events) {
    shape.count++;
    const id = event.eventId;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) shape.integers = false;
    else {
      if (id < shape.min) shape.min = id;
      if (id > shape.max) shape.max = id;
    }
    if (flatten && event.childEvents) measurePage(event.childEvents, flatten, shape);
  }
  return shape;
}

/**
 * `true` the first time an id is seen on the page (ids compare as `seenKey` says). The vendor's ids
 * are integers from one sequence, so a page's ids fall in a narrow range: one bit per id of that
 * range costs a few hundred bytes a page and no hashing, where a `Set` cost about 40 bytes and 0.1 us
 * per event (bench/ breakdown page). Other ids (strings, a wide range) go to a `Set`.
 */
function firstSeen(shape: PageShape): (eventId: number | string) => boolean {
  const { min, max } = shape;
  if (shape.integers && shape.count > 0 && max - min < 64 * shape.count) {
    const bits = new Uint8Array(Math.floor((max - min) / 8) + 1);
    return (eventId) => {
      // Every id of the page is a number in [min, max] (`measurePage`), so `offset` < 2^31.
      const offset = (eventId as number) - min;
      const index = offset >>> 3;
      const mask = 1 << (offset & 7);
      const byte = bits[index] ?? 0;
      if ((byte & mask) !== 0) return false;
      bits[index] = byte | mask;
      return true;
    };
  }
  const seen = new Set<number | string>();
  return (eventId) => {
    const before = seen.size;
    return seen.add(seenKey(eventId)).size !== before;
  };
}

/** Normalizes one event; in `nested` mode its descendants go into `data.childEvents`. */
export function normalizeInformaticaEvent(
  event: InformaticaEvent,
  children: InformaticaChildrenMode,
  pod?: string,
): InformaticaTributaryEvent {
  return new PageNormalizer(children, 'events.get', 0, () => true, pod).normalize(event);
}

/**
 * The work of one page. `type`, `source` and `severity` come from a handful of event types,
 * applications, topics and statuses, so a page derives each of them once (lower-casing, URI-encoding
 * and building a lookup key per event were a third of the normalizer's time, bench/ scenario 1b).
 */
class PageNormalizer {
  /**
   * Allocated once at the page's size: grown by `push`, it was copied a dozen times per page, a
   * twentieth of the bytes allocated per event.
   */
  private readonly out: InformaticaTributaryEvent[];
  private size = 0;
  private readonly types = new Map<string, string>();
  /** Application name, then topic name (`''` for a missing one) to source. */
  private readonly sources = new Map<string, Map<string, string>>();
  /** Status as sent to its severity; `null` for a status without one. */
  private readonly severities = new Map<string, Severity | null>();

  constructor(
    private readonly children: InformaticaChildrenMode,
    /** The client call the page answers, named by an error about one of its events. */
    private readonly operation: string,
    capacity: number,
    /** `true` the first time an id is seen on the page, see `firstSeen`. */
    private readonly isNew: (eventId: number | string) => boolean,
    /** The host of the pod's URL, for `source`. */
    private readonly pod: string | undefined,
  ) {
    this.out = new Array<InformaticaTributaryEvent>(capacity);
  }

  /** The events added, in order. */
  events(): InformaticaTributaryEvent[] {
    const out = this.out;
    out.length = this.size;
    return out;
  }

  /**
   * Adds `event` (and in `flatten` mode its descendants, depth first) unless its id was seen; not its
   * descendants a previous listing delivered (`deliveredBefore`), in `nested` mode not in its
   * `data.childEvents` either, nor those held back (`heldBack`), with their descendants.
   */
  add(event: InformaticaEvent, before?: ReadonlySet<number | string>, held?: ReadonlySet<number | string>): void {
    if (held?.has(lookupKey(event.eventId))) return;
    const childEvents = event.childEvents;
    const later = held ?? (childEvents ? heldBack.get(event) : undefined);
    const delivered = before ?? (childEvents ? deliveredBefore.get(event) : undefined);
    const left = later === undefined && delivered === undefined ? undefined : { delivered, held: later };
    if (this.isNew(event.eventId) && !before?.has(lookupKey(event.eventId))) this.out[this.size++] = this.normalize(event, left);
    if (this.children === 'flatten' && childEvents) for (const child of childEvents) this.add(child, delivered, later);
  }

  /**
   * One event. The usual event (every field sent, a status with a severity, with or without a comment)
   * is built as object literals of its final shape: adding the optional properties one by one to a smaller literal
   * grows a separate property store two or three times per object, about 60 of the 590 bytes that were
   * allocated per event (bench/ breakdown page).
   */
  normalize(event: InformaticaEvent, left?: LeftOut): InformaticaTributaryEvent {
    const id = idText(event.eventId);
    const eventType = firstText(event.eventType);
    const applicationName = firstText(event.applicationName);
    const topicName = firstText(event.topicName);
    const data = this.dataOf(event, id, eventType, applicationName, topicName, left);
    const type = this.type(eventType);
    const time = toRfc3339Millis(event.createTime);
    // The time the SDK orders and resumes on: without it the event cannot be placed.
    if (time === undefined) throw unusableTime('informatica', this.operation, id, 'createTime', event.createTime, event);
    const source = this.source(applicationName || '', topicName || '');
    const subject = firstText(event.pubSubName);
    const status = firstText(event.eventStatus);
    const severity = status ? this.severity(status) : null;
    const message = latestComment(data.history);
    if (subject && status && severity !== null) {
      // With a comment or, as an event that did not fail usually is, without one.
      return message
        ? { provider: 'informatica', id, type, time, source, data, raw: event, subject, status, severity, message }
        : { provider: 'informatica', id, type, time, source, data, raw: event, subject, status, severity };
    }
    const result: InformaticaTributaryEvent = { provider: 'informatica', id, type, time, source, data, raw: event };
    if (subject) result.subject = subject;
    if (status) result.status = status;
    if (severity !== null) result.severity = severity;
    if (message) result.message = message;
    return result;
  }

  /** `eventType` and the names come read already: `normalize` needs them too. */
  private dataOf(
    event: InformaticaEvent,
    id: string,
    eventType: string | undefined,
    applicationName: string | undefined,
    topicName: string | undefined,
    left: LeftOut | undefined,
  ): InformaticaEventData {
    const completionTime = firstText(event.completionTime);
    const descendantState = firstText(event.descendantState);
    const counts = countsOf(event);
    const history = historyOf(event.eventHistory);
    const runId = runIdOf(event.runId) ?? runIdOf(event.runID);
    let data: InformaticaEventData;
    // Only copied into `data`: one that cannot be read is left out (it stays in `raw`), not a failed page.
    const completion = completionTime ? toRfc3339Millis(completionTime) : undefined;
    if (eventType && applicationName && topicName && completion !== undefined && runId !== undefined && descendantState) {
      data = { eventType, applicationName, topicName, completionTime: completion, counts, history, runId, descendantState };
    } else {
      data = { counts, history };
      if (eventType) data.eventType = eventType;
      if (applicationName) data.applicationName = applicationName;
      if (topicName) data.topicName = topicName;
      if (completion !== undefined) data.completionTime = completion;
      if (runId !== undefined) data.runId = runId;
      if (descendantState) data.descendantState = descendantState;
    }
    if (event.parentEventId !== null && event.parentEventId !== undefined) data.parentEventId = idText(event.parentEventId);
    const childEvents = event.childEvents;
    if (childEvents && childEvents.length > 0) {
      if (this.children === 'flatten') data.childEventIds = childEvents.map(idOf);
      else if (left === undefined) data.childEvents = childEvents.map((child) => this.normalize(child));
      else data.childEvents = childEvents.filter((child) => !isLeftOut(left, child)).map((child) => this.normalize(child, left));
    }
    return data;
  }

  private type(eventType: string | undefined): string {
    if (!eventType) return 'informatica.unknown';
    let type = this.types.get(eventType);
    if (type === undefined) this.types.set(eventType, (type = `informatica.${eventType.toLowerCase()}`));
    return type;
  }

  /** Keyed by the two names apart, so no pair of names can make another pair's key. */
  private source(application: string, topic: string): string {
    let byTopic = this.sources.get(application);
    if (byTopic === undefined) this.sources.set(application, (byTopic = new Map()));
    let source = byTopic.get(topic);
    if (source === undefined) byTopic.set(topic, (source = sourceOf(this.pod, application, topic)));
    return source;
  }

  private severity(status: string): Severity | null {
    let severity = this.severities.get(status);
    if (severity === undefined) this.severities.set(status, (severity = SEVERITY_BY_STATUS.get(status.toLowerCase()) ?? null));
    return severity;
  }
}

/**
 * The descendants of an event delivered now that its `data.childEvents` leaves out, at any depth: those
 * a previous listing delivered (`deliveredBefore`) and those held back (`heldBack`), with their own.
 */
interface LeftOut {
  delivered: ReadonlySet<number | string> | undefined;
  held: ReadonlySet<number | string> | undefined;
}

function isLeftOut(left: LeftOut, event: InformaticaEvent): boolean {
  const key = lookupKey(event.eventId);
  return left.delivered?.has(key) === true || left.held?.has(key) === true;
}

function idOf(event: InformaticaEvent): string {
  return idText(event.eventId);
}

/**
 * `informatica://{pod}/applications/{applicationName}/topics/{topicName}`, leaving out a name that is
 * missing (`''`). Event ids are the pod's, so its host is part of the source, which CloudEvents requires
 * to make `source` + `id` unique across pods; without one (an event normalized on its own),
 * `informatica:/applications/…`.
 */
function sourceOf(pod: string | undefined, application: string, topic: string): string {
  let source = pod === undefined ? 'informatica:/' : `informatica://${pod}/`;
  if (application) source += `applications/${uriSegment(application)}`;
  if (topic) source += `${application ? '/' : ''}topics/${uriSegment(topic)}`;
  return source;
}

/** A count as sent: a number, or the numeric string some pods send; anything else is no count. */
function countOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/** Field by field rather than a loop over the names: this runs for every event and child. */
function countsOf(event: InformaticaEvent): InformaticaCounts {
  const sourceSuccessCount = countOf(event.sourceSuccessCount);
  const sourceFailedCount = countOf(event.sourceFailedCount);
  const targetSuccessCount = countOf(event.targetSuccessCount);
  const targetFailedCount = countOf(event.targetFailedCount);
  // A fresh object, not a shared frozen one: events are the caller's to annotate.
  const counts: InformaticaCounts = {};
  if (sourceSuccessCount !== undefined) counts.sourceSuccessCount = sourceSuccessCount;
  if (sourceFailedCount !== undefined) counts.sourceFailedCount = sourceFailedCount;
  if (targetSuccessCount !== undefined) counts.targetSuccessCount = targetSuccessCount;
  if (targetFailedCount !== undefined) counts.targetFailedCount = targetFailedCount;
  return counts;
}

/** A run id as text; the schema leaves it opaque (a string or a number arrive, anything else is ignored). */
function runIdOf(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isEntry(value: unknown): value is InformaticaHistoryEntry {
  return isRecord(value);
}

/**
 * The seed's syntax shows `eventHistory` as one object, its example as a list. The schema leaves it
 * opaque, so entries that are not objects are left out here (they stay in `raw`); a list of objects
 * only, the usual case, is kept as it is.
 */
function historyOf(history: unknown): InformaticaHistoryEntry[] {
  if (Array.isArray(history)) {
    for (const entry of history) if (!isEntry(entry)) return history.filter(isEntry);
    return history as InformaticaHistoryEntry[];
  }
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

