/**
 * `events.list` options: typed, checked before anything is sent (a bad one is a `ConfigurationError`
 * naming it), and turned into the search body. The body is built from these options field by field:
 * the seed's sample request repeats `eventType`, and a JSON parser keeps only one of the two.
 */
import { oneOf, optionalBoolean, optionalString, queryObject, requireInteger, timeWindow } from '../../core/config.js';
import { OptionProblems } from '../../core/option-problems.js';
import type { InformaticaChildrenMode } from './normalize.js';
import {
  EVENT_STATUSES,
  EVENT_TYPES,
  RANGES,
  type InformaticaEventStatus,
  type InformaticaEventType,
  type InformaticaRange,
  type RelativeRange,
} from './vocabulary.js';

/** The vendor's default and the largest page the SDK asks for (see `pageSize`). */
export const MAX_PAGE_SIZE = 2000;

/** Every member of a listing's query; `InformaticaListQuery` says which go together. */
interface InformaticaListQueryFields {
  /**
   * Name of the publishing or subscribing application; a substring unless `useExactMatch`.
   * @default undefined (every application)
   * @example 'DI_App'
   */
  applicationName?: string | undefined;
  /**
   * Name of the topic of the publication or subscription; a substring unless `useExactMatch`.
   * @default undefined (every topic)
   * @example 'Orders'
   */
  topicName?: string | undefined;
  /**
   * Name of the publication or subscription; a substring unless `useExactMatch`.
   * @default undefined (every publication and subscription)
   * @example 'Pub_Orders'
   */
  pubSubName?: string | undefined;
  /**
   * Match the three names exactly.
   * @default false
   * @example { applicationName: 'DI_App', useExactMatch: true }
   */
  useExactMatch?: boolean | undefined;
  /**
   * Events created at or after this time (a `Date` or an RFC 3339 string). With `since`, the search is
   * a `CUSTOM` window from `since` to `until`.
   * @default undefined (the window is `range`)
   * @example '2026-11-01T00:00:00Z'
   */
  since?: Date | string | undefined;
  /**
   * Events created at or before this time.
   * @default the time of the first request
   * @example '2026-11-02T00:00:00Z'
   */
  until?: Date | string | undefined;
  /**
   * A window relative to now. It is pinned to a fixed `CUSTOM` window at the first request, so the
   * pages of one listing do not shift while it is read. Not together with `since`/`until`.
   * @default 'LAST_24_HOURS' (the vendor's default)
   * @example 'LAST_7_DAYS'
   */
  range?: InformaticaRange | undefined;
  /**
   * Only events of this type (`eventType`); not sent when left out, so the vendor's `ALL` applies.
   * @default 'ALL'
   * @example 'PUBLICATION'
   */
  eventType?: InformaticaEventType | undefined;
  /**
   * Upper case, as the request enum is; responses spell statuses `Complete`, `Error`, ...
   * @default 'ALL'
   * @example 'ERROR'
   */
  eventStatus?: InformaticaEventStatus | undefined;
  /**
   * Top-level events per request (`maxResults`), from 1 to 2000. The vendor's limit is 5 requests a
   * minute, so large pages are cheap; 2000 is its default and the largest size known to be served
   * whole (a server that cut a larger page short would end the listing early).
   * @default 2000
   * @example { pageSize: 500 }
   */
  pageSize?: number | undefined;
  /**
   * `'flatten'`: child events become events of their own, right after their parent, with
   * `data.parentEventId`. `'nested'`: they stay inside their parent, in `data.childEvents`.
   * @default 'flatten'
   * @example { children: 'nested' }
   */
  children?: InformaticaChildrenMode | undefined;
}

/**
 * The query of `events.list`. The window is either relative to now (`range`, or its default) or fixed
 * from `since`, to `until` or to the first request (with `range` left out or `'CUSTOM'`): `until` needs
 * `since`, and a relative `range` takes neither. A member left out may be given as `undefined`. The
 * runtime check stays for JavaScript callers.
 * @example { range: 'LAST_HOUR', eventStatus: 'ERROR' }
 * @example { since: '2026-11-01T00:00:00Z', until: '2026-11-02T00:00:00Z' }
 */
export type InformaticaListQuery =
  | (Omit<InformaticaListQueryFields, 'since' | 'until' | 'range'> &
      Pick<InformaticaListQueryFields, 'range'> & { range?: Exclude<InformaticaRange, 'CUSTOM'> | undefined; since?: undefined; until?: undefined })
  | (Omit<InformaticaListQueryFields, 'since' | 'range'> &
      Pick<InformaticaListQueryFields, 'since' | 'range'> & { since: Date | string; range?: 'CUSTOM' | undefined });

/** Where the listing's window comes from before it is pinned. */
export type WindowSpec = { since: string; until: string | undefined } | { range: RelativeRange };

/** A checked query. */
export interface ResolvedListQuery {
  filters: Pick<InformaticaListQuery, 'applicationName' | 'topicName' | 'pubSubName' | 'useExactMatch' | 'eventType' | 'eventStatus'>;
  window: WindowSpec;
  /** No event can be in the window (`TimeWindow.empty`): nothing is asked. */
  empty: boolean;
  pageSize: number;
  children: InformaticaChildrenMode;
}

const KNOWN_KEYS = [
  'applicationName',
  'topicName',
  'pubSubName',
  'useExactMatch',
  'since',
  'until',
  'range',
  'eventType',
  'eventStatus',
  'pageSize',
  'children',
] as const;

/** Checks every option of `events.list`; one `ConfigurationError` names every bad one. */
export function resolveListQuery(query: unknown): ResolvedListQuery {
  const problems = new OptionProblems();
  const q = queryObject(query, KNOWN_KEYS, problems);
  const filters: ResolvedListQuery['filters'] = {};
  for (const key of ['applicationName', 'topicName', 'pubSubName'] as const) {
    const value = problems.check(() => optionalString(q[key], key));
    if (value !== undefined) filters[key] = value;
  }
  const useExactMatch = problems.check(() => optionalBoolean(q['useExactMatch'], 'useExactMatch'));
  if (useExactMatch !== undefined) filters.useExactMatch = useExactMatch;
  const eventType = problems.check(() => (q['eventType'] === undefined ? undefined : oneOf(q['eventType'], 'eventType', EVENT_TYPES)));
  if (eventType !== undefined) filters.eventType = eventType;
  const eventStatus = problems.check(() => (q['eventStatus'] === undefined ? undefined : oneOf(q['eventStatus'], 'eventStatus', EVENT_STATUSES)));
  if (eventStatus !== undefined) filters.eventStatus = eventStatus;
  const pageSize = problems.check(() => (q['pageSize'] === undefined ? undefined : requireInteger(q['pageSize'], 'pageSize', 1, MAX_PAGE_SIZE)));
  const children = problems.check(() => (q['children'] === undefined ? undefined : oneOf(q['children'], 'children', CHILDREN_MODES)));
  const window = windowSpec(q, problems);
  problems.throwIfAny();
  // Undefined only when refused, and then the line above threw.
  return { filters, ...(window as WindowOf), pageSize: pageSize ?? MAX_PAGE_SIZE, children: children ?? 'flatten' };
}

/** The modes of `children`, in list's query and in `events.get`'s options. */
export const CHILDREN_MODES = ['flatten', 'nested'] as const;

type WindowOf = { window: WindowSpec; empty: boolean };

/** The window of `q`, its problems kept in `problems`; `undefined` once one was refused. */
function windowSpec(q: Record<string, unknown>, problems: OptionProblems): WindowOf | undefined {
  const range = problems.check(() => (q['range'] === undefined ? undefined : oneOf(q['range'], 'range', RANGES)));
  const window = problems.check(() => timeWindow(q['since'], q['until'], 'inclusive'));
  // Neither relation is said of a bound or a range refused: which was meant is not known.
  if (window === undefined || problems.refused('range')) return undefined;
  const { since, until, empty } = window;
  if (range !== undefined && range !== 'CUSTOM' && (since !== undefined || until !== undefined)) {
    return problems.refuse('range', `${range} is a window relative to now; leave it out when giving since/until`);
  }
  if (since === undefined) {
    if (range === 'CUSTOM' || until !== undefined) {
      return problems.refuse('since', 'a CUSTOM window (or `until`) needs `since`');
    }
    return { window: { range: range ?? 'LAST_24_HOURS' }, empty };
  }
  return { window: { since: since.toISOString(), until: until?.toISOString() }, empty };
}

/** The fixed window of one listing, in the vendor's `yyyy-MM-ddTHH:mm:ss.SSSZ` (UTC). */
export interface PinnedWindow {
  fromDate: string;
  toDate: string;
}

/** The JSON body of one search request. */
export function searchBody(
  filters: ResolvedListQuery['filters'],
  window: PinnedWindow,
  firstResult: number,
  maxResults: number,
): Record<string, unknown> {
  return {
    ...filters,
    timeframe: { range: 'CUSTOM', fromDate: window.fromDate, toDate: window.toDate },
    firstResult,
    maxResults,
  };
}

/**
 * Whether the search leaves out events of the window: by type, status or name. `useExactMatch` alone
 * only says how names match, and `ALL` is the vendor's own default.
 */
export function isFiltered(filters: ResolvedListQuery['filters']): boolean {
  const { applicationName, topicName, pubSubName, eventType, eventStatus } = filters;
  const byName = [applicationName, topicName, pubSubName].some((name) => name !== undefined && name !== '');
  return byName || [eventType, eventStatus].some((value) => value !== undefined && value !== 'ALL');
}
