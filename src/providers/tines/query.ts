/**
 * The query of `events.list`, checked and turned into the request parameters of
 * https://www.tines.com/api/events/list before any request. A bad value is a `ConfigurationError`
 * naming it.
 */
import { invalidOption, optionalInteger, queryObject, show, timeWindow } from '../../core/config.js';
import { OptionProblems } from '../../core/option-problems.js';
import { canonicalId, compareIds } from './ids.js';

/** An id as Tines writes it: a number, or its decimal string (exact beyond 2^53). */
export type TinesId = number | string;

/** Every member of a listing's query; `TinesListQuery` says which go together. */
interface TinesListQueryFields {
  /**
   * Lists the events of one action (`GET /api/v1/actions/{id}/events`, or `/agents/` with
   * `apiPath: 'agents'`); without it, every event the key can see (`GET /api/v1/events`).
   * @default undefined (every action's events)
   * @example 21
   */
  actionId?: TinesId | undefined;
  /**
   * Only events with a larger id (exclusive, like the API's `since_id`).
   * @default undefined (no lower id bound)
   * @example '2147483647'
   */
  sinceId?: TinesId | undefined;
  /**
   * Only events up to and including this id (`until_id`).
   * @default undefined (no upper id bound)
   * @example '2147484000'
   */
  untilId?: TinesId | undefined;
  /**
   * Only events created after this time (`since`): a `Date` or an RFC 3339 string.
   * @default undefined (no lower time bound)
   * @example '2026-11-01'
   */
  since?: Date | string | undefined;
  /**
   * Only events created until this time (`until`).
   * @default undefined (no upper time bound)
   * @example new Date()
   */
  until?: Date | string | undefined;
  /**
   * Only events of this story (`story_id`).
   * @default undefined (every story)
   * @example 4
   */
  storyId?: TinesId | undefined;
  /**
   * Only events of this team (`team_id`).
   * @default undefined (every team the key can see)
   * @example 2
   */
  teamId?: TinesId | undefined;
  /**
   * Events per request (`per_page`), 1 to 500.
   * @default 100
   * @example { pageSize: 500 }
   */
  pageSize?: number | undefined;
}

/**
 * The query of `events.list`. `storyId` and `teamId` filter the events of every action, so they do not
 * go with `actionId` (an action belongs to one story and team, and its path takes neither filter):
 * either may be left out or given as `undefined`. The runtime check stays for JavaScript callers.
 * @example { actionId: 21, since: '2026-11-01' }
 */
export type TinesListQuery =
  | (Omit<TinesListQueryFields, 'storyId' | 'teamId'> & { storyId?: undefined; teamId?: undefined })
  | (Omit<TinesListQueryFields, 'actionId'> & { actionId?: undefined });

/** The checked query: ids canonical, times as ISO strings; it is what a cursor is bound to. */
export interface ResolvedTinesQuery {
  actionId: string | undefined;
  sinceId: string | undefined;
  filters: {
    until_id: string | undefined;
    since: string | undefined;
    until: string | undefined;
    story_id: string | undefined;
    team_id: string | undefined;
  };
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 100;
/** https://www.tines.com/api/welcome: "maximum is 500". */
export const MAX_PAGE_SIZE = 500;

/** A decimal id option, canonical; `undefined` stays `undefined`. */
export function idOption(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return canonicalId(value);
  invalidOption(option, `expected a non-negative integer id, got ${show(value)}`);
}

const KNOWN = ['actionId', 'sinceId', 'untilId', 'since', 'until', 'storyId', 'teamId', 'pageSize'];

export function resolveListQuery(query: TinesListQuery | undefined): ResolvedTinesQuery {
  const problems = new OptionProblems();
  const q = queryObject(query, KNOWN, problems) as TinesListQuery;
  const pageSize = problems.check(() => optionalInteger(q.pageSize, 'pageSize', 1, MAX_PAGE_SIZE)) ?? DEFAULT_PAGE_SIZE;
  const actionId = problems.check(() => idOption(q.actionId, 'actionId'));
  for (const option of ['storyId', 'teamId'] as const) {
    // An action belongs to one story and team, and its path documents neither filter (seed 001).
    if (actionId !== undefined && q[option] !== undefined) problems.refuse(option, 'filters the events of every action; not with actionId');
  }
  const sinceId = problems.check(() => idOption(q.sinceId, 'sinceId'));
  const untilId = problems.check(() => idOption(q.untilId, 'untilId'));
  const window = problems.check(() => timeWindow(q.since, q.until, 'exclusive'));
  // An empty range of ids is a mistake, not a listing: it would page the whole tenant for nothing.
  if (sinceId !== undefined && untilId !== undefined && compareIds(untilId, sinceId) <= 0) problems.refuse('untilId', 'must be above `sinceId`');
  // Not checked again when refused as filtering every action.
  const storyId = problems.refused('storyId') ? undefined : problems.check(() => idOption(q.storyId, 'storyId'));
  const teamId = problems.refused('teamId') ? undefined : problems.check(() => idOption(q.teamId, 'teamId'));
  problems.throwIfAny();
  const since = window?.since?.toISOString();
  const until = window?.until?.toISOString();
  return {
    actionId,
    sinceId,
    filters: {
      until_id: untilId,
      since,
      until,
      story_id: storyId,
      team_id: teamId,
    },
    pageSize,
  };
}
