/**
 * The queries of `events.list` and `schedules.failed.list`, checked and turned into request parameters
 * before any request (seed 000). A bad value is a `ConfigurationError` naming it.
 */
import { oneOf, optionalBoolean, pathSegmentOption, queryObject, queryTextOption, requireInteger, timeWindow } from '../../core/config.js';
import { OptionProblems } from '../../core/option-problems.js';
import { path } from '../../core/path.js';

/**
 * Events per request. Socotra documents neither a default nor a maximum for `pageSize` or `count`;
 * 100 keeps a page well below a megabyte, 1000 bounds the memory a page can take.
 */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/**
 * What the first `events/list` request carries as `startTimestamp` when the caller gives no filter:
 * the epoch, so the listing starts at the beginning of the stream. Socotra expects the first request
 * to carry a filter (VENDORS.md); `pageSize` alone is not relied on as one.
 */
export const STREAM_START = '1970-01-01T00:00:00.000Z';

export interface SocotraListQuery {
  /**
   * Only events whose `timestamp` is at or after this (`startTimestamp`): a `Date` or an RFC 3339
   * string. Without `since`, `until` and `type`, the SDK sends `startTimestamp=1970-01-01T00:00:00.000Z`.
   * @default undefined (from the start of the stream)
   * @example '2026-11-01'
   */
  since?: Date | string | undefined;
  /**
   * Only events whose `timestamp` is at or before this (`endTimestamp`; the seed does not say whether
   * the bound is inclusive, so an event exactly at it may be listed, as the emulator lists it).
   * @default undefined (no upper bound)
   * @example new Date()
   */
  until?: Date | string | undefined;
  /**
   * Only events of this type (`type`).
   * @default undefined (every type)
   * @example 'policy.issue'
   */
  type?: string | undefined;
  /**
   * Events per request (`pageSize`), 1 to 1000. Only the first request carries it: a `pagingToken`
   * may carry no other parameter, so later pages keep the size the listing started with.
   * @default 100
   * @example { pageSize: 500 }
   */
  pageSize?: number | undefined;
}

/** The checked list query; `filters` is what the first request sends and what a cursor is bound to. */
export interface ResolvedListQuery {
  filters: { startTimestamp?: string; endTimestamp?: string; type?: string };
  pageSize: number;
  /** No event can be in the window (`TimeWindow.empty`): nothing is asked. */
  empty: boolean;
}

/** Every member of a failed-jobs query; `SocotraFailedJobsQuery` says which go together. */
interface SocotraFailedJobsQueryFields {
  /**
   * The failed jobs of one policy (`.../schedules/policy/{policyLocator}/failed/list`).
   * @default undefined (every failed job: `.../schedules/failed/list`)
   * @example '01JD3W5X8V0000000000000002'
   */
  policyLocator?: string | undefined;
  /**
   * `true`: the tenant-level failed jobs only (`.../schedules/tenant/failed/list`).
   * @default false
   * @example { tenant: true }
   */
  tenant?: boolean | undefined;
  /**
   * The failed jobs in one state (`.../schedules/failed/{queued|quit}/list`): `queued` will be retried,
   * `quit` gave up.
   * @default undefined (both states)
   * @example 'quit'
   */
  state?: 'queued' | 'quit' | undefined;
  /**
   * Jobs per request (`count`), 1 to 1000.
   * @default 100
   * @example { pageSize: 500 }
   */
  pageSize?: number | undefined;
}

/**
 * Which failed-job listing to read: at most one of `policyLocator`, `tenant: true` and `state`, since
 * each is its own endpoint. The others may be left out or given as `undefined` (as everywhere, an
 * option given as `undefined` is as if not given); the runtime check stays for JavaScript callers.
 * @example { state: 'quit', pageSize: 500 }
 */
export type SocotraFailedJobsQuery =
  | (Pick<SocotraFailedJobsQueryFields, 'policyLocator' | 'pageSize'> & { tenant?: false | undefined; state?: undefined })
  | (Pick<SocotraFailedJobsQueryFields, 'tenant' | 'pageSize'> & { policyLocator?: undefined; state?: undefined })
  | (Pick<SocotraFailedJobsQueryFields, 'state' | 'pageSize'> & { policyLocator?: undefined; tenant?: false | undefined });

/** The checked failed-jobs query: the listing's path under the tenant's events, and the page size. */
export interface ResolvedFailedJobsQuery {
  /** Relative to `/event/{tenantLocator}/events`, parameters encoded. */
  listing: string;
  pageSize: number;
}

function pageSizeOf(value: unknown): number {
  return value === undefined ? DEFAULT_PAGE_SIZE : requireInteger(value, 'pageSize', 1, MAX_PAGE_SIZE);
}

const LIST_KEYS = ['since', 'until', 'type', 'pageSize'];

export function resolveListQuery(query: SocotraListQuery | undefined): ResolvedListQuery {
  const problems = new OptionProblems();
  const q = queryObject(query, LIST_KEYS, problems);
  const window = problems.check(() => timeWindow(q['since'], q['until'], 'inclusive'));
  const type = problems.check(() => (q['type'] === undefined ? undefined : queryTextOption(q['type'], 'type')));
  const pageSize = problems.check(() => pageSizeOf(q['pageSize']));
  problems.throwIfAny();
  const filters: ResolvedListQuery['filters'] = {};
  if (window?.since !== undefined) filters.startTimestamp = window.since.toISOString();
  if (window?.until !== undefined) filters.endTimestamp = window.until.toISOString();
  if (type !== undefined) filters.type = type;
  if (Object.keys(filters).length === 0) filters.startTimestamp = STREAM_START;
  return { filters, pageSize: pageSize ?? DEFAULT_PAGE_SIZE, empty: window?.empty ?? false };
}

const FAILED_KEYS = ['policyLocator', 'tenant', 'state', 'pageSize'];

export function resolveFailedJobsQuery(query: SocotraFailedJobsQuery | undefined): ResolvedFailedJobsQuery {
  const problems = new OptionProblems();
  const q = queryObject(query, FAILED_KEYS, problems);
  const policyLocator = problems.check(() => (q['policyLocator'] === undefined ? undefined : pathSegmentOption(q['policyLocator'], 'policyLocator')));
  const tenant = problems.check(() => optionalBoolean(q['tenant'], 'tenant')) === true;
  const state = problems.check(() => (q['state'] === undefined ? undefined : oneOf(q['state'], 'state', ['queued', 'quit'] as const)));
  // Of those taken: one refused is not said to be combined with another as well.
  const chosen = [policyLocator !== undefined && 'policyLocator', tenant && 'tenant', state !== undefined && 'state'];
  const given = chosen.filter((name): name is string => name !== false);
  if (given.length > 1) {
    // Each is its own endpoint; the API has no listing that combines them.
    problems.refuse(given[1] as string, `cannot be combined with \`${given[0]}\``);
  }
  const pageSize = problems.check(() => pageSizeOf(q['pageSize']));
  problems.throwIfAny();
  let listing = '/schedules/failed/list';
  if (policyLocator !== undefined) listing = path`/schedules/policy/${policyLocator}/failed/list`;
  else if (tenant) listing = '/schedules/tenant/failed/list';
  else if (state !== undefined) listing = path`/schedules/failed/${state}/list`;
  return { listing, pageSize: pageSize ?? DEFAULT_PAGE_SIZE };
}
