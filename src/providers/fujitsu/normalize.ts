/**
 * FUJITSU event → `TributaryEvent`. Runs in two steps so each event is parsed and hashed once:
 * `keyEvents` gives every event of a page its time and content id (the paging strategy needs both to
 * dedupe at the marker second), and `normalizeEvents` builds the public shape from those keys. The id
 * is hashed when first read: the strategy reads the ids of a boundary second and of a second a page
 * holds several events at (identical events share an id) only, so the other events are hashed by the
 * normalizer, once the next page's request is out, and not before it is sent.
 *
 * | field     | from                                                                  |
 * |-----------|-----------------------------------------------------------------------|
 * | `id`      | SHA-256 of date, sourceType, sourceIdentifier, categories, message     |
 * | `type`    | `fujitsu.dbaas.<first sorted category>` (lower case, spaces as `-`)    |
 * | `time`    | `date`, zone-less read as UTC                                         |
 * | `source`  | `fujitsu:/{tenantId}/{sourceType}/{sourceIdentifier}`                  |
 * | `subject` | `sourceIdentifier`                                                    |
 * | `message` | `message`                                                             |
 * | `data`    | `{ categories, sourceType, sourceIdentifier, ...unknown fields }`      |
 *
 * `sourceType`, `sourceIdentifier` and `message` are read as text: the first string of an array.
 */
import type { TributaryEvent } from '../../core/event.js';
import { stripEnds } from '../../core/strip.js';
import { firstText } from '../../core/text-or-list.js';
import { toRfc3339Millis } from '../../core/time.js';
import { unusableTime } from '../../core/unusable-time.js';
import { uriSegment } from '../../core/uri-segment.js';
import { categoriesOf, contentId } from './identity.js';
import type { FujitsuEvent } from './schemas.js';

/**
 * The `data` of a FUJITSU event: the documented fields as read, and every field the service added as
 * it came (one named `categories` or `__proto__` stays in `raw` only).
 */
export type FujitsuEventData = {
  /** `eventCategories`, always a list: split at commas when the service sent one string. */
  categories: readonly string[];
  /** `sourceType`'s text, when the event has one. */
  sourceType?: string;
  /** `sourceIdentifier`'s text, when the event has one. */
  sourceIdentifier?: string;
  [field: string]: unknown;
};

/** A normalized FUJITSU event; `raw` is the event as the service sent it. */
export type FujitsuTributaryEvent = TributaryEvent<'fujitsu', FujitsuEvent, FujitsuEventData>;

/** An event with what paging and normalizing both need, computed once. */
export interface KeyedEvent {
  readonly id: string;
  /** RFC 3339 UTC with milliseconds. */
  readonly time: string;
  readonly categories: readonly string[];
  readonly event: FujitsuEvent;
}

/** Placeholder for a missing `source` path segment, so the URI keeps its shape. */
const MISSING = 'unknown';

/** An event with its canonical time and categories; its content id is computed on first read. */
class Keyed implements KeyedEvent {
  #id: string | undefined;

  constructor(
    readonly event: FujitsuEvent,
    readonly time: string,
    readonly categories: readonly string[],
  ) {}

  get id(): string {
    return (this.#id ??= contentId(this.event, this.time, this.categories));
  }
}

/** Times and ids for a page of events; an event whose date is not a real instant fails the page. */
export function keyEvents(events: readonly FujitsuEvent[], operation: string): KeyedEvent[] {
  const keyed: KeyedEvent[] = new Array<KeyedEvent>(events.length);
  // Pages come newest first and bursts share a second, so an event often has its predecessor's date.
  let lastDate: string | undefined;
  let lastTime = '';
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as FujitsuEvent;
    if (event.date !== lastDate) {
      const time = toRfc3339Millis(event.date);
      if (time === undefined) throw unusableTime('fujitsu', operation, index, 'date', event.date, event);
      lastDate = event.date;
      lastTime = time;
    }
    keyed[index] = new Keyed(event, lastTime, categoriesOf(event));
  }
  return keyed;
}

const isDash = (code: number): boolean => code === 0x2d;

/** `backup` → `fujitsu.dbaas.backup`; `Low Storage` → `fujitsu.dbaas.low-storage`. */
function typeOf(category: string | undefined): string {
  if (category === undefined) return 'fujitsu.dbaas.event';
  // Letters and digits of any script: `バックアップ` and `フェイルオーバー` must stay two types.
  const slug = stripEnds(category.toLowerCase().replace(/[^\p{L}\p{N}_.-]+/gu, '-'), isDash);
  return `fujitsu.dbaas.${slug === '' ? 'event' : slug}`;
}

/**
 * The category the type is named after: the first in sorted order, as the id hashes them, so that
 * `['failover', 'backup']` and `'backup,failover'`, one id, are one type too. A scan, not a sort: most
 * events have one category.
 */
function typeCategory(categories: readonly string[]): string | undefined {
  let first = categories[0];
  for (let index = 1; index < categories.length; index++) {
    const category = categories[index] as string;
    if (category < (first as string)) first = category;
  }
  return first;
}

/**
 * Categories, source types and a tenant's source identifiers come from short lists (a dozen
 * categories, two source types, its instances), so what is derived from them is computed once per
 * normalizer rather than per event. Bounded: a service that sends free text gets a fresh map when this
 * one is full.
 */
function memoized<T>(derive: (value: string) => T, limit = 256): (value: string) => T {
  let cache = new Map<string, T>();
  return (value) => {
    let derived = cache.get(value);
    if (derived === undefined) {
      derived = derive(value);
      if (cache.size >= limit) cache = new Map();
      cache.set(value, derived);
    }
    return derived;
  };
}

/**
 * Keys of the event not copied into `data`: the five documented fields (read into it already),
 * `categories` (the SDK's list, which a field the service adds must not replace) and `__proto__` (an
 * own key of parsed JSON that, assigned, would set the prototype of `data`). They stay in `raw`. A
 * `switch` on the key is cheaper per event than a `Set` lookup.
 */
function isKeptOut(key: string): boolean {
  switch (key) {
    case 'date':
    case 'eventCategories':
    case 'message':
    case 'sourceIdentifier':
    case 'sourceType':
    case 'categories':
    case '__proto__':
      return true;
    default:
      return false;
  }
}

function dataOf(keyed: KeyedEvent, sourceType: string | undefined, sourceIdentifier: string | undefined): FujitsuEventData {
  const { event } = keyed;
  // One literal for the usual event (both fields present), so every `data` object shares one shape.
  const data: FujitsuEventData =
    sourceType !== undefined && sourceIdentifier !== undefined
      ? { categories: keyed.categories, sourceType, sourceIdentifier }
      : { categories: keyed.categories };
  if (sourceType !== undefined && sourceIdentifier === undefined) data['sourceType'] = sourceType;
  if (sourceIdentifier !== undefined && sourceType === undefined) data['sourceIdentifier'] = sourceIdentifier;
  for (const key in event) {
    if (!isKeptOut(key)) data[key] = event[key];
  }
  return data;
}

/** Builds the normalizer of one tenant's events (the tenant is part of `source`). */
export function normalizeEvents(tenantId: string): (items: readonly KeyedEvent[]) => FujitsuTributaryEvent[] {
  const tenant = uriSegment(tenantId);
  const typeFor = memoized(typeOf);
  // Per source type, the source of each identifier: encoding the identifier and joining it to its type's
  // prefix made a string or two per event.
  const sourcesFor = memoized((sourceType) => {
    const prefix = `fujitsu:/${tenant}/${uriSegment(sourceType)}/`;
    return memoized((sourceIdentifier) => prefix + uriSegment(sourceIdentifier));
  });
  return (items) => {
    const out: FujitsuTributaryEvent[] = new Array<FujitsuTributaryEvent>(items.length);
    for (let index = 0; index < items.length; index++) {
      const keyed = items[index] as KeyedEvent;
      const { event } = keyed;
      const sourceType = firstText(event.sourceType);
      const sourceText = firstText(event.sourceIdentifier);
      // An empty string says no more than a missing field (and CloudEvents refuses an empty subject).
      const sourceIdentifier = sourceText || undefined;
      const message = firstText(event.message) || undefined;
      const first = typeCategory(keyed.categories);
      const type = first === undefined ? typeOf(first) : typeFor(first);
      const source = sourcesFor(sourceType || MISSING)(sourceIdentifier ?? MISSING);
      const data = dataOf(keyed, sourceType, sourceText);
      // The usual event has a subject and a message: one literal keeps one object shape for it.
      if (sourceIdentifier !== undefined && message !== undefined) {
        out[index] = { provider: 'fujitsu', id: keyed.id, type, time: keyed.time, source, data, raw: event, subject: sourceIdentifier, message };
        continue;
      }
      const normalized: FujitsuTributaryEvent = { provider: 'fujitsu', id: keyed.id, type, time: keyed.time, source, data, raw: event };
      if (sourceIdentifier !== undefined) normalized.subject = sourceIdentifier;
      if (message !== undefined) normalized.message = message;
      out[index] = normalized;
    }
    return out;
  };
}
