/**
 * The event notifications behind the FUJITSU emulator: per tenant, newest first, with the vendor's
 * documented and observed behaviour (seed 002, VENDORS.md "FUJITSU"): second-precision dates, many
 * events in one second, a `marker` that is a date and whose bound is inclusive on some deployments and
 * exclusive on others, `eventCategories` sent as an array or as a string, and events listed only some
 * time after their date (VENDORS.md: "Events can arrive late"). Framework-free: `emulator.ts` translates
 * requests into these calls.
 */
import { eventCount, instantMs } from '../../testing/query.js';
import type { Rng } from '../../testing/rng.js';

/** An event as stored: its time in whole seconds, and an insertion number that orders ties. */
export interface StoredEvent {
  readonly seq: number;
  /** Epoch milliseconds, a whole second. */
  readonly at: number;
  sourceType: string;
  sourceIdentifier: string;
  categories: string[];
  message: string;
  /** Fields beyond the documented ones, served as they are (drift the SDK must keep). */
  extra?: Record<string, unknown>;
  /** Epoch milliseconds from which the event is listed; absent for one listed as soon as it is added. */
  visibleAt?: number;
}

/**
 * What a caller adds; `at` is rounded down to its second, as the service's dates are. A string `at` is
 * an ISO 8601 date-time, UTC when it has no zone (VENDORS.md). A member left out, or given as
 * `undefined`, is generated.
 */
export interface NewEvent {
  /**
   * When the event occurred: epoch milliseconds, an ISO 8601 string or a `Date`.
   * @example { at: '2026-11-23T10:00:00Z' }
   */
  at: number | string | Date;
  /**
   * The resource type.
   * @default 'db-instance' or 'db-snapshot', at random
   * @example { sourceType: 'db-snapshot' }
   */
  sourceType?: string | undefined;
  /**
   * The resource's id.
   * @default a random id of the source type (`dbinst_…`, `snap_…`)
   * @example { sourceIdentifier: 'dbinst_678yuhyhih' }
   */
  sourceIdentifier?: string | undefined;
  /**
   * The event's categories.
   * @default one category, at random
   * @example { categories: ['backup', 'failover'] }
   */
  categories?: string[] | undefined;
  /**
   * The event's message.
   * @default four random words
   * @example { message: 'Backup completed' }
   */
  message?: string | undefined;
  /**
   * Fields beyond the documented ones, served as they are.
   * @default none
   * @example { extra: { region: 'uk-1' } }
   */
  extra?: Record<string, unknown> | undefined;
  /**
   * From when the service lists the event, if later than its addition: an event dated `at` that only
   * shows up later, after events of later dates were listed (VENDORS.md: events arrive late, ordered by
   * completion). Epoch milliseconds, an ISO 8601 string or a `Date`, compared with the emulator clock.
   * @default at once
   * @example { at: '2026-11-23T10:00:00Z', visibleAt: '2026-11-23T10:00:40Z' }
   */
  visibleAt?: number | string | Date | undefined;
}

/** Whether `marker` itself is returned again (`<=`) or not (`<`): undocumented, both exist. */
export type MarkerMode = 'inclusive' | 'exclusive';
/** How `date` is written: `2013-03-18T19:09:17` (seed), `...17Z`, or `...17.000Z`. */
export type DateStyle = 'zoneless' | 'utc' | 'millis';
/** `eventCategories` as the seed's example shows it, as it documents it, or either per event. */
export type CategoriesStyle = 'array' | 'string' | 'mixed';

/** One page request, already validated. */
export interface EventQuery {
  start: number;
  end: number;
  categories: readonly string[];
  sourceType: string | undefined;
  sourceId: string | undefined;
  limit: number;
  /** Epoch milliseconds of the marker date. */
  marker: number | undefined;
  /**
   * When the request is answered (emulator clock): events not visible yet (`visibleAt`) are left out.
   * Without it every event is listed, as before events could be visible late.
   */
  now?: number | undefined;
}

export const SOURCE_TYPES = ['db-instance', 'db-snapshot'] as const;
const CATEGORIES = [
  'availability', 'backup', 'configuration change', 'creation', 'deletion', 'failover', 'failure',
  'low storage', 'maintenance', 'notification', 'recovery', 'restoration',
] as const;

/** Dates have second precision (VENDORS.md). */
function toEpoch(value: number | string | Date): number {
  return Math.floor(instantMs(value, 'at') / 1000) * 1000;
}

/** Newest first; within one second, the later insertion first (a stable order, as a database index gives). */
function newestFirst(a: StoredEvent, b: StoredEvent): number {
  return b.at - a.at || b.seq - a.seq;
}

/** Where `event` goes in the `newestFirst` list `events`: after every event that sorts before it. */
function insertionIndex(events: readonly StoredEvent[], event: StoredEvent): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (newestFirst(events[middle] as StoredEvent, event) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class FujitsuEventStore {
  private readonly tenants = new Map<string, StoredEvent[]>();
  private seq = 0;

  constructor(private readonly rng: Rng) {}

  /** Makes a tenant known (an empty one answers `200` with no events, an unknown one `404`). */
  addTenant(tenantId: string): void {
    if (!this.tenants.has(tenantId)) this.tenants.set(tenantId, []);
  }

  hasTenant(tenantId: string): boolean {
    return this.tenants.has(tenantId);
  }

  /** Adds an event (creating the tenant if needed) and returns it as stored. */
  add(tenantId: string, event: NewEvent): StoredEvent {
    this.addTenant(tenantId);
    const sourceType = event.sourceType ?? this.rng.pick(SOURCE_TYPES);
    const stored: StoredEvent = {
      seq: this.seq++,
      at: toEpoch(event.at),
      sourceType,
      sourceIdentifier: event.sourceIdentifier ?? `${sourceType === 'db-snapshot' ? 'snap' : 'dbinst'}_${this.rng.hex(10)}`,
      categories: event.categories ?? [this.rng.pick(CATEGORIES)],
      message: event.message ?? this.rng.words(4),
      ...(event.extra === undefined ? {} : { extra: event.extra }),
      ...(event.visibleAt === undefined ? {} : { visibleAt: instantMs(event.visibleAt, 'visibleAt') }),
    };
    const events = this.tenants.get(tenantId) as StoredEvent[];
    // Inserted in place: re-sorting on every insert made seeding 20,000 events take 13 s.
    events.splice(insertionIndex(events, stored), 0, stored);
    return stored;
  }

  /** Adds `count` distinct events in the one second of `at`, as a failover or a mass backup produces. */
  addBurst(tenantId: string, at: number | string | Date, count: number): StoredEvent[] {
    return Array.from({ length: eventCount(count, 'count') }, (_, index) =>
      this.add(tenantId, { at, message: `${this.rng.words(3)} #${index}` }),
    );
  }

  /** Adds `count` seeded events over the hour before `now`, some of them sharing a second. */
  seed(tenantId: string, count: number, now: number): void {
    this.addTenant(tenantId);
    let added = 0;
    while (added < count) {
      const at = now - this.rng.int(1, 3_540) * 1000;
      const burst = Math.min(count - added, this.rng.chance(0.2) ? this.rng.int(2, 6) : 1);
      this.addBurst(tenantId, at, burst);
      added += burst;
    }
  }

  /** Every event of a tenant, newest first, those not visible yet included. */
  all(tenantId: string): readonly StoredEvent[] {
    return this.tenants.get(tenantId) ?? [];
  }

  /**
   * One page: the events visible at `query.now` in the window and filters, then the marker bound in
   * `mode`, newest first, `limit` at most.
   */
  list(tenantId: string, query: EventQuery, mode: MarkerMode): StoredEvent[] {
    const page: StoredEvent[] = [];
    for (const event of this.all(tenantId)) {
      if (page.length === query.limit) break;
      if (event.at < query.start || event.at > query.end) continue;
      if (event.visibleAt !== undefined && query.now !== undefined && event.visibleAt > query.now) continue;
      if (query.marker !== undefined && (mode === 'inclusive' ? event.at > query.marker : event.at >= query.marker)) continue;
      if (query.sourceType !== undefined && event.sourceType !== query.sourceType) continue;
      if (query.sourceId !== undefined && event.sourceIdentifier !== query.sourceId) continue;
      if (query.categories.length > 0 && !event.categories.some((c) => query.categories.includes(c))) continue;
      page.push(event);
    }
    return page;
  }
}

/** An event as the service writes it, in the given date and categories style. */
export function serveEvent(event: StoredEvent, dates: DateStyle, categories: CategoriesStyle): Record<string, unknown> {
  const iso = new Date(event.at).toISOString();
  const date = dates === 'millis' ? iso : dates === 'utc' ? `${iso.slice(0, 19)}Z` : iso.slice(0, 19);
  const asString = categories === 'string' || (categories === 'mixed' && event.seq % 2 === 1);
  return {
    date,
    eventCategories: asString ? event.categories.join(',') : event.categories,
    message: event.message,
    sourceIdentifier: event.sourceIdentifier,
    sourceType: event.sourceType,
    ...event.extra,
  };
}
