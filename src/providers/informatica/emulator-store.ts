/**
 * The in-memory state of the Cloud Integration Hub emulator and its search semantics, apart from HTTP.
 * It follows the vendor's documentation (seed 004, VENDORS.md "Informatica"): upper-case request enums
 * against mixed-case response statuses, recursive `childEvents` with `parentEventId`, a `timeframe`
 * that defaults to `LAST_24_HOURS`, `firstResult`/`maxResults` offsets, events kept about three months.
 */
import { ConfigurationError } from '../../core/errors.js';
import { epochMs } from '../../testing/query.js';
import type { InformaticaEventStatus, InformaticaEventType } from './vocabulary.js';

/** What the emulator keeps of one event; `children` are event ids. */
export interface StoredEvent {
  eventId: number;
  eventType: string;
  applicationName: string;
  topicName: string;
  pubSubName: string;
  /** Epoch milliseconds. */
  createTime: number;
  completionTime: number | null;
  /** Response form: `Complete`, `Error`, `Processing`, `Delayed`, `Pending`, ... */
  eventStatus: string;
  descendantState: string;
  parentEventId: number | null;
  runId: string;
  sourceSuccessCount: number;
  sourceFailedCount: number;
  targetSuccessCount: number;
  targetFailedCount: number;
  history: Array<{ timeStamp: number; eventStatusName: string; comments: string }>;
  children: number[];
}

/** The vendor keeps events about three months. */
export const RETENTION_MS = 92 * 86_400_000;

/** What a test gives to add an event; a member left out, or given as `undefined`, takes its default. */
export type NewEvent = { [K in Exclude<keyof StoredEvent, 'children'>]?: StoredEvent[K] | undefined };

/** A search as the vendor reads it from the POST body, already checked. */
export interface SearchCriteria {
  applicationName?: string;
  topicName?: string;
  pubSubName?: string;
  useExactMatch: boolean;
  eventType: InformaticaEventType;
  eventStatus: InformaticaEventStatus;
  /** Inclusive bounds on `createTime`, epoch milliseconds. */
  from: number;
  to: number;
  firstResult: number;
  maxResults: number;
}

/** One page of a search, with how many events matched in all (the page is a slice of them). */
export interface SearchResult {
  rows: StoredEvent[];
  total: number;
}

/** Searches whose results are kept at once; a moving clock makes new keys, so old ones are dropped. */
const MAX_CACHED_SEARCHES = 32;

export class InformaticaStore {
  readonly #events = new Map<number, StoredEvent>();
  /**
   * The sorted rows of recent searches, by criteria (without the page slice) and retention bound. A
   * listing asks the same search once a page; filtering and sorting the whole store each time cost
   * 230 ms a request at 90,000 events. Cleared by every change made through the store.
   */
  readonly #searches = new Map<string, StoredEvent[]>();
  #nextId: number;

  constructor(firstId = 32_010) {
    this.#nextId = firstId;
  }

  get size(): number {
    return this.#events.size;
  }

  /** Every stored event, roots and children, in insertion order. */
  all(): StoredEvent[] {
    return [...this.#events.values()];
  }

  get(eventId: number): StoredEvent | undefined {
    return this.#events.get(eventId);
  }

  /** Adds an event (as a child when `parentEventId` names a stored event) and returns it. */
  add(init: NewEvent, now: number): StoredEvent {
    const createTime = init.createTime === undefined ? epochMs(now, 'now') : epochMs(init.createTime, 'createTime');
    const completionTime = init.completionTime == null ? null : epochMs(init.completionTime, 'completionTime');
    const eventId = init.eventId ?? this.#nextId;
    if (this.#events.has(eventId)) throw new Error(`event ${eventId} exists`);
    this.#nextId = Math.max(this.#nextId, eventId + 1);
    const eventStatus = answeredStatus(init.eventStatus ?? 'Complete');
    const event: StoredEvent = {
      eventId,
      eventType: init.eventType ?? (init.parentEventId == null ? 'PUBLICATION' : 'SUBSCRIPTION'),
      applicationName: init.applicationName ?? 'DI_App',
      topicName: init.topicName ?? 'DI_Topic',
      pubSubName: init.pubSubName ?? 'DSS_Pub',
      createTime,
      completionTime: completionTime ?? (isFinal(eventStatus) ? createTime + 1_000 : null),
      eventStatus,
      descendantState: init.descendantState ?? 'NONE',
      parentEventId: init.parentEventId ?? null,
      runId: init.runId ?? String(eventId % 97),
      sourceSuccessCount: init.sourceSuccessCount ?? 0,
      sourceFailedCount: init.sourceFailedCount ?? 0,
      targetSuccessCount: init.targetSuccessCount ?? 0,
      targetFailedCount: init.targetFailedCount ?? 0,
      history: init.history ?? historyFor(createTime, eventStatus),
      children: [],
    };
    if (event.parentEventId !== null) {
      const parent = this.#events.get(event.parentEventId);
      if (!parent) throw new Error(`parent event ${event.parentEventId} does not exist`);
      parent.children.push(eventId);
    }
    this.#events.set(eventId, event);
    this.#refreshAncestors(event);
    this.#searches.clear();
    return event;
  }

  /** Moves an event to a new status, as a non-final event (`Processing`, `Delayed`) does later. */
  setStatus(eventId: number, eventStatus: string, at: number, comments = ''): StoredEvent {
    const event = this.#events.get(eventId);
    if (!event) throw new Error(`event ${eventId} does not exist`);
    answeredStatus(eventStatus);
    epochMs(at, 'at');
    event.eventStatus = eventStatus;
    event.history.push({ timeStamp: at, eventStatusName: eventStatus, comments });
    if (isFinal(eventStatus)) event.completionTime = at;
    this.#refreshAncestors(event);
    this.#searches.clear();
    return event;
  }

  /** Recomputes the `descendantState` of every ancestor of `event`, nearest first. */
  #refreshAncestors(event: StoredEvent): void {
    for (let id = event.parentEventId; id !== null; ) {
      const parent = this.#events.get(id);
      if (!parent) return;
      parent.descendantState = cumulativeState(parent.children.map((child) => this.#events.get(child) as StoredEvent));
      id = parent.parentEventId;
    }
  }

  /**
   * Runs a search: the events that match, newest first, without those whose parent also matches (they
   * already appear inside it), then the `firstResult`/`maxResults` slice, with the number of matches
   * before it. The sorted rows are kept until the store changes; events are changed through `add` and
   * `setStatus` only.
   */
  search(criteria: SearchCriteria, now: number): SearchResult {
    const oldest = now - RETENTION_MS;
    const { firstResult, maxResults, ...filter } = criteria;
    const key = `${oldest} ${JSON.stringify(filter)}`;
    let rows = this.#searches.get(key);
    if (rows === undefined) {
      rows = this.#sortedMatches(filter, oldest);
      if (this.#searches.size >= MAX_CACHED_SEARCHES) this.#searches.clear();
      this.#searches.set(key, rows);
    }
    return { rows: rows.slice(firstResult, firstResult + maxResults), total: rows.length };
  }

  #sortedMatches(criteria: Omit<SearchCriteria, 'firstResult' | 'maxResults'>, oldest: number): StoredEvent[] {
    const matches = new Set<number>();
    for (const event of this.#events.values()) {
      if (event.createTime >= oldest && matchesCriteria(event, criteria)) matches.add(event.eventId);
    }
    return [...matches]
      .map((id) => this.#events.get(id) as StoredEvent)
      .filter((event) => event.parentEventId === null || !matches.has(event.parentEventId))
      .sort((a, b) => b.createTime - a.createTime || b.eventId - a.eventId);
  }
}

function matchesCriteria(event: StoredEvent, criteria: Omit<SearchCriteria, 'firstResult' | 'maxResults'>): boolean {
  if (event.createTime < criteria.from || event.createTime > criteria.to) return false;
  if (criteria.eventType !== 'ALL' && event.eventType !== criteria.eventType) return false;
  if (criteria.eventStatus !== 'ALL' && event.eventStatus.toUpperCase() !== criteria.eventStatus) return false;
  return (
    matchesName(event.applicationName, criteria.applicationName, criteria.useExactMatch) &&
    matchesName(event.topicName, criteria.topicName, criteria.useExactMatch) &&
    matchesName(event.pubSubName, criteria.pubSubName, criteria.useExactMatch)
  );
}

/** `useExactMatch` applies to the three names; otherwise the search expression is a substring. */
function matchesName(value: string, expression: string | undefined, exact: boolean): boolean {
  if (expression === undefined || expression === '') return true;
  return exact ? value === expression : value.toLowerCase().includes(expression.toLowerCase());
}

const FINAL_STATUSES = new Set(['Complete', 'Error', 'Discarded', 'Reprocessed']);

/** The states that outweigh the others in a parent's summary, heaviest first. */
const DOMINANT_STATES = ['ERROR', 'PROCESSING', 'DELAYED'] as const;

/**
 * "The cumulative status of all the child events" (seed 004), in the request's enum names: `NONE`
 * without children; an error anywhere below wins, then a descendant still running (`Pending` runs as
 * `PROCESSING`), then a delayed one; below finished children it is their status when they all share
 * one (`DISCARDED`), else `COMPLETE`. A child's own descendants count through its `descendantState`.
 */
function cumulativeState(children: readonly StoredEvent[]): string {
  if (children.length === 0) return 'NONE';
  const states = new Set<string>();
  for (const child of children) {
    const status = child.eventStatus.toUpperCase();
    states.add(status === 'PENDING' ? 'PROCESSING' : status);
    if (child.descendantState !== 'NONE') states.add(child.descendantState);
  }
  const dominant = DOMINANT_STATES.find((state) => states.has(state));
  if (dominant !== undefined) return dominant;
  return states.size === 1 ? (states.values().next().value as string) : 'COMPLETE';
}

/**
 * A status as the vendor answers it. `ERROR`, the name a search asks by, is never in an answer
 * (VENDORS.md): stored, it was served as is, without the completion time of a final `Error`, and a test
 * passed against events the vendor does not send.
 */
function answeredStatus(status: string): string {
  if (status === status.toUpperCase() && status !== status.toLowerCase()) {
    const answered = `${status.charAt(0)}${status.slice(1).toLowerCase()}`;
    throw new ConfigurationError(`eventStatus ${status} is the search's name of it; the vendor answers an event's status as ${answered}`, {
      option: 'eventStatus',
    });
  }
  return status;
}

function isFinal(status: string): boolean {
  return FINAL_STATUSES.has(status);
}

function historyFor(createTime: number, status: string): StoredEvent['history'] {
  const history = [{ timeStamp: createTime + 1, eventStatusName: 'Processing', comments: '' }];
  if (status !== 'Processing') {
    const comments = status === 'Error' ? 'Subscription to topic failed. The job failed.' : '';
    history.push({ timeStamp: createTime + 1_000, eventStatusName: status, comments });
  }
  return history;
}
