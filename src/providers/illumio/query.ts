/**
 * The query of `events.list` and its translation into the PCE's parameters (seed 003): `event_type`,
 * `created_by`, `severity`, `status`, `timestamp[gte]`, `timestamp[lte]` (inclusive, RFC 3339) and `max_results`
 * (default 100 on the PCE, at most 10000, VENDORS.md).
 */
import { oneOf, optionalInteger, optionalOneOf, optionalQueryText, queryObject, timeWindow } from '../../core/config.js';
import { OptionProblems } from '../../core/option-problems.js';
import type { Severity } from '../../core/event.js';
import { toRfc3339Millis } from '../../core/time.js';

/** The PCE's cap on `max_results`. */
export const MAX_PAGE_SIZE = 10_000;
/** The PCE's `max_results` when a request sends none (seed 003). */
export const DEFAULT_MAX_RESULTS = 100;
/** @default 1000 events a request: ten times the PCE's default, a tenth of its cap. */
export const DEFAULT_PAGE_SIZE = 1_000;

/** The PCE's syslog severity names. */
export type IllumioSeverity = 'emerg' | 'alert' | 'crit' | 'err' | 'warning' | 'notice' | 'info' | 'debug';

const SYSLOG: Readonly<Record<IllumioSeverity | Severity, IllumioSeverity>> = {
  emerg: 'emerg',
  emergency: 'emerg',
  alert: 'alert',
  crit: 'crit',
  critical: 'crit',
  err: 'err',
  error: 'err',
  warning: 'warning',
  notice: 'notice',
  info: 'info',
  debug: 'debug',
};

/** Every member of a listing's query; `IllumioListQuery` says which go together. */
interface IllumioListQueryFields {
  /**
   * Only events of this type (`event_type`).
   * @default undefined (every type)
   * @example 'user.sign_in'
   */
  type?: string | undefined;
  /**
   * Only events created by this user, workload agent or the PCE itself (`created_by`), sent as given.
   * The seed documents the parameter but not the form it matches: an `href` as events name their
   * creator (`/users/1`) is what the testing kit's emulator matches, as well as a user name, a host
   * name, and `system`.
   * @default undefined (every creator)
   * @example '/users/1'
   */
  createdBy?: string | undefined;
  /**
   * Only events of this severity, as the PCE names it (`'err'`) or as the normalized event does
   * (`'error'`).
   * @default undefined (every severity)
   * @example 'warning'
   */
  severity?: IllumioSeverity | Severity | undefined;
  /**
   * Only events whose action succeeded or failed.
   * @default undefined (both)
   * @example 'failure'
   */
  status?: 'success' | 'failure' | undefined;
  /**
   * Events at or after this time (`timestamp[gte]`, inclusive).
   * @default undefined (no lower bound: the oldest event the PCE keeps)
   * @example '2026-11-01T00:00:00Z'
   */
  since?: Date | string | undefined;
  /**
   * Events at or before this time (`timestamp[lte]`, inclusive).
   * @default undefined (no upper bound)
   * @example new Date()
   */
  until?: Date | string | undefined;
  /**
   * Events per request (`max_results`), 1 to 10000. A page may hold fewer: boundary duplicates are
   * dropped.
   * @default 1000
   * @example { pageSize: 500 }
   */
  pageSize?: number | undefined;
  /**
   * `'sync'`: plain requests, the window split whenever the PCE cut a page. `'async'`: every window
   * through the asynchronous collection export (one job, all matches in one page). `'auto'`: plain
   * requests, and the export for a window with more than `asyncThreshold` matches. A PCE that answers
   * an export request with an ordinary page (it ignores `Prefer`, or a proxy drops it) is read as
   * `'sync'` reads a page, and the rest of the listing pages as `'sync'` does.
   * @default 'sync'
   * @example { mode: 'auto' }
   */
  mode?: 'sync' | 'async' | 'auto' | undefined;
  /**
   * With `mode: 'auto'`, the `X-Total-Count` above which a window is exported asynchronously.
   * @default 10000
   * @example { mode: 'auto', asyncThreshold: 5_000 }
   */
  asyncThreshold?: number | undefined;
}

/**
 * The query of `events.list`. `asyncThreshold` goes with `mode: 'auto'` only, the one mode that reads
 * it; it may be left out or given as `undefined` with the others. The runtime check stays for
 * JavaScript callers.
 * @example { mode: 'auto', asyncThreshold: 5_000, since: '2026-11-01' }
 */
export type IllumioListQuery =
  | (IllumioListQueryFields & { mode: 'auto' })
  | (Omit<IllumioListQueryFields, 'asyncThreshold'> & { mode?: 'sync' | 'async' | undefined; asyncThreshold?: undefined });

const QUERY_KEYS = ['type', 'createdBy', 'severity', 'status', 'since', 'until', 'pageSize', 'mode', 'asyncThreshold'];

/** The query, checked and in the PCE's terms. */
export interface ResolvedListQuery {
  /** `event_type`, `created_by`, `severity`, `status`: the filters every request of the listing carries. */
  filters: { event_type?: string; created_by?: string; severity?: IllumioSeverity; status?: 'success' | 'failure' };
  window: { from?: string; to?: string };
  /** No event can be in the window (`TimeWindow.empty`): nothing is asked. */
  empty: boolean;
  pageSize: number;
  mode: 'sync' | 'async' | 'auto';
  asyncThreshold: number;
}

/** Checks the query; a bad value is a `ConfigurationError` naming it, before any request. */
export function resolveListQuery(query: IllumioListQuery | undefined): ResolvedListQuery {
  const problems = new OptionProblems();
  const q = queryObject(query, QUERY_KEYS, problems) as IllumioListQuery;
  const filters: ResolvedListQuery['filters'] = {};
  const type = problems.check(() => optionalQueryText(q.type, 'type'));
  if (type !== undefined) filters.event_type = type;
  const createdBy = problems.check(() => optionalQueryText(q.createdBy, 'createdBy'));
  if (createdBy !== undefined) filters.created_by = createdBy;
  const severity = problems.check(() => (q.severity === undefined ? undefined : oneOf(q.severity, 'severity', Object.keys(SYSLOG) as Array<keyof typeof SYSLOG>)));
  if (severity !== undefined) filters.severity = SYSLOG[severity];
  const status = problems.check(() => (q.status === undefined ? undefined : oneOf(q.status, 'status', ['success', 'failure'] as const)));
  if (status !== undefined) filters.status = status;
  const window = problems.check(() => timeWindow(q.since, q.until, 'inclusive'));
  const mode = problems.check(() => optionalOneOf(q.mode, 'mode', ['sync', 'async', 'auto'] as const, 'sync'));
  const asyncThreshold = problems.check(() => optionalInteger(q.asyncThreshold, 'asyncThreshold', 1)) ?? MAX_PAGE_SIZE;
  // Any other mode would ignore it: a threshold meant for 'auto' would export nothing, or export every
  // window. Not said while either is refused.
  if (q.asyncThreshold !== undefined && mode !== undefined && mode !== 'auto' && !problems.refused('asyncThreshold')) {
    problems.refuse('asyncThreshold', `applies to mode 'auto' only, not ${JSON.stringify(mode)}`);
  }
  const pageSize = problems.check(() => optionalInteger(q.pageSize, 'pageSize', 1, MAX_PAGE_SIZE));
  problems.throwIfAny();
  const from = window?.since === undefined ? undefined : toRfc3339Millis(window.since);
  const to = window?.until === undefined ? undefined : toRfc3339Millis(window.until);
  return {
    filters,
    window: { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) },
    empty: window?.empty ?? false,
    pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
    mode: mode ?? 'sync',
    asyncThreshold,
  };
}
