/**
 * The in-memory state behind the Socotra emulator: the tenant's event stream in order of completion,
 * scheduled policy events and failed scheduled jobs. Framework-free, so the HTTP layer (`emulator.ts`)
 * stays a thin translation of requests into these calls.
 *
 * The stream is an append-only log in the order calls *completed* (seed 000, last note): an event whose
 * call started early but finished late is appended after newer ones, with its older `timestamp`.
 */

import { describe, isPlainObject } from '../../core/config.js';
import { isoTime } from '../../testing/query.js';
import type { Rng } from '../../testing/rng.js';

/** An event as the vendor serves it. */
export interface EmulatedEvent {
  locator: string;
  type: string;
  timestamp: string;
  userLocator?: string | null;
  requestId?: string | null;
  data: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface EmulatedScheduledEvent {
  policyLocator: string;
  transactionLocator: string;
  triggerState: string;
  customEventId: string;
  nextEventTime?: string | null;
}

export interface EmulatedFailedJob {
  triggerName: string;
  triggerGroup: string;
  failedJobState: 'queued' | 'quit';
  failureCount: number;
  createdAt: string;
  updatedAt: string;
  /** Which policy the job belongs to; tenant-level jobs (`.../tenant/failed/list`) have none. Not served. */
  policyLocator?: string;
}

/** The filters a first `events/list` request may carry; a `pagingToken` carries them onwards. */
export interface StreamFilters {
  startTimestamp?: number;
  endTimestamp?: number;
  type?: string;
}

export interface StreamPage {
  events: EmulatedEvent[];
  /** Index in the completion log right after the last event examined. */
  position: number;
}

/** What a test gives to add an event; the rest is generated, also for a member given as `undefined`. */
export interface NewEvent {
  /**
   * The event's `locator`, its identity.
   * @default a ULID of `timestamp`
   * @example { locator: '01JD3W5X8V0000000000000001' }
   */
  locator?: string | undefined;
  /**
   * The event's `type`.
   * @default 'policy.issue'
   * @example { type: 'policy.cancel' }
   */
  type?: string | undefined;
  /**
   * The event's `timestamp`; older than events already served for a call that completed late.
   * @default the store clock's now
   * @example { timestamp: '2020-01-01T00:00:00Z' }
   */
  timestamp?: string | undefined;
  /**
   * The user whose call produced the event; `null` for an event without a user (a plugin's).
   * @default a UUID
   * @example { userLocator: null }
   */
  userLocator?: string | null | undefined;
  /**
   * The API request that produced the event (`events.forRequest` finds it by this).
   * @default a ULID of `timestamp`
   * @example { requestId: '01JD3W5X8V0000000000000009' }
   */
  requestId?: string | null | undefined;
  /**
   * `map<string,object>` (seed 000): each value an object, such as a cut list.
   * @default {}
   * @example { invoices: { listCompleted: false, items: ['a', 'b'] } }
   */
  data?: Record<string, Record<string, unknown>> | undefined;
  /** Fields beyond the documented ones, served as they are (drift the SDK must keep). */
  [extra: string]: unknown;
}

export class SocotraStore {
  private readonly log: EmulatedEvent[] = [];
  private readonly byLocator = new Map<string, EmulatedEvent>();
  private readonly scheduled: EmulatedScheduledEvent[] = [];
  private readonly failed: EmulatedFailedJob[] = [];

  constructor(
    private readonly rng: Rng,
    private readonly now: () => number,
  ) {}

  /**
   * Adds an event that has just completed, at the end of the stream, filling what `fields` leaves out.
   * @example store.addEvent({ timestamp: '2020-01-01T00:00:00Z' }) // a call that completed late
   * @example store.addEvent({ data: { invoices: { listCompleted: false, items: ['a', 'b'] } } }) // a cut list
   */
  addEvent(fields: NewEvent = {}): EmulatedEvent {
    if (fields.data !== undefined) checkData(fields.data);
    const timestamp = fields.timestamp ?? new Date(this.now()).toISOString();
    const time = isoTime(timestamp);
    // Generated whatever is given, so a seed adds the same events whichever fields a test sets.
    const generated = {
      locator: this.rng.ulid(Number.isNaN(time) ? this.now() : time),
      type: 'policy.issue',
      userLocator: this.rng.uuid(),
      requestId: this.rng.ulid(Number.isNaN(time) ? this.now() : time),
      data: {},
    };
    const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    return this.append({ ...generated, ...given, timestamp });
  }

  /** Appends an event at the end of the completion order; returns it as served. */
  append(event: EmulatedEvent): EmulatedEvent {
    this.log.push(event);
    this.byLocator.set(event.locator, event);
    return event;
  }

  /**
   * Appends an event already in the log once more, as the vendor does when a plugin's custom event is
   * emitted again by a retried call (seed 000, first note).
   */
  redeliver(locator: string): EmulatedEvent {
    const event = this.byLocator.get(locator);
    if (event === undefined) throw new Error(`no event ${locator} to redeliver`);
    this.log.push(event);
    return event;
  }

  get(locator: string): EmulatedEvent | undefined {
    return this.byLocator.get(locator);
  }

  /** The events of one API request, each once (a redelivered event is one event). */
  forRequest(requestId: string): EmulatedEvent[] {
    return [...this.byLocator.values()].filter((event) => event.requestId === requestId);
  }

  get length(): number {
    return this.log.length;
  }

  /** Up to `size` events matching `filters`, scanning the completion log from `position`. */
  page(position: number, filters: StreamFilters, size: number): StreamPage {
    const events: EmulatedEvent[] = [];
    let index = position;
    while (index < this.log.length && events.length < size) {
      const event = this.log[index]!;
      index += 1;
      if (matches(event, filters)) events.push(event);
    }
    return { events, position: index };
  }

  addScheduled(event: EmulatedScheduledEvent): void {
    this.scheduled.push(event);
  }

  scheduledFor(policyLocator: string): EmulatedScheduledEvent[] {
    return this.scheduled.filter((event) => event.policyLocator === policyLocator);
  }

  addFailedJob(job: EmulatedFailedJob): void {
    this.failed.push(job);
  }

  /** The failed jobs that `select` keeps, in order of creation, `count` of them from `offset`. */
  failedJobs(select: (job: EmulatedFailedJob) => boolean, offset: number, count: number): EmulatedFailedJob[] {
    return this.failed.filter(select).slice(offset, offset + count);
  }

  /** Removes a failed job (resumed or deleted); `false` when there is none with that key. */
  removeFailedJob(triggerName: string, triggerGroup: string): boolean {
    const index = this.failed.findIndex((job) => job.triggerName === triggerName && job.triggerGroup === triggerGroup);
    if (index < 0) return false;
    this.failed.splice(index, 1);
    return true;
  }
}

/** Refuses a `data` the vendor would not send: seed 000 types it `map<string,object>`. */
function checkData(data: unknown): void {
  if (!isPlainObject(data)) throw notAnObject('data', data);
  for (const [key, value] of Object.entries(data)) {
    if (!isPlainObject(value)) throw notAnObject(`data.${key}`, value);
  }
}

function notAnObject(name: string, value: unknown): TypeError {
  return new TypeError(`${name} must be an object (seed 000: data is map<string,object>), got ${describe(value)}`);
}

function matches(event: EmulatedEvent, filters: StreamFilters): boolean {
  if (filters.type !== undefined && event.type !== filters.type) return false;
  if (filters.startTimestamp === undefined && filters.endTimestamp === undefined) return true;
  const time = isoTime(event.timestamp);
  // Both bounds inclusive: VENDORS.md's rule for the five ("inclusive time bounds return boundary
  // events again"), which the seed leaves open; a reader of adjacent windows meets the repeat.
  if (filters.startTimestamp !== undefined && time < filters.startTimestamp) return false;
  if (filters.endTimestamp !== undefined && time > filters.endTimestamp) return false;
  return true;
}
