/**
 * The FUJITSU factory's options and `events.list` query, checked before any request: each bad value is
 * a `ConfigurationError` naming the option.
 */
import {
  checkMembersInto,
  describe,
  invalidOption,
  isPlainObject,
  isRecord,
  oneOf,
  optionalInteger,
  optionalQueryText,
  optionalString,
  pathSegmentOption,
  queryObject,
  queryTextOption,
  requireCredential,
  requireString,
  timeWindow,
  type Rule,
  type Rules,
} from '../../core/config.js';
import { registerWhileBuilding } from '../../core/redact.js';
import { parseBaseUrl, withoutApiPath } from '../../core/url.js';
import { OptionProblems } from '../../core/option-problems.js';
import type { CommonOptions } from '../../core/options.js';
import type { FujitsuIdentity } from './auth.js';

/**
 * The options of `fujitsu(...)`: the common ones, the region's endpoint and the project, and either a
 * `token` or an `identity` to log in with (the type says so, as the factory does at run time).
 */
export type FujitsuOptions = FujitsuEndpointOptions & FujitsuCredentials;

/** How the client authenticates: a `token`, or an `identity` to log in with; never both. */
export type FujitsuCredentials = FujitsuTokenAuth | FujitsuIdentityAuth;

interface FujitsuEndpointOptions extends CommonOptions {
  /**
   * The database service endpoint of the region. A URL copied from the K5 service catalog, ending in
   * `/v1.0/{tenantId}`, is accepted too.
   * @example 'https://database.uk-1.cloud.global.fujitsu.com'
   */
  baseUrl: string | URL;
  /**
   * The K5 project id that owns the database instances (`{tenantId}` in the API paths).
   * @example '5f1b9c3e7a2d4e6f8091a2b3c4d5e6f7'
   */
  tenantId: string;
}

interface FujitsuTokenAuth {
  /**
   * A Keystone token obtained elsewhere, sent as `X-Auth-Token`; it is not renewed. Give this or `identity`.
   * @example token: process.env.K5_TOKEN ?? ''
   */
  token: string;
  identity?: undefined;
}

interface FujitsuIdentityAuth {
  token?: undefined;
  /**
   * Keystone password credentials: the client logs in, and in again when the token expires. Give this or `token`.
   * @example identity: { url: 'https://identity.uk-1.cloud.global.fujitsu.com', userName: 'collector', password: process.env.K5_PASSWORD ?? '', domainName: 'contract-kx1234' }
   */
  identity: FujitsuIdentity;
}

/** The documented resource types of an event. */
export type FujitsuSourceType = 'db-instance' | 'db-snapshot';

/** Every member of a listing's query; `FujitsuEventsQuery` says which go together. */
interface FujitsuEventsQueryFields {
  /**
   * Events at or after this time (`startTime`), whole seconds.
   * @default `duration` before `until`; without `until`, before the listing's first request (not before
   * `list()` was called), kept for all its pages
   * @example '2026-11-01T00:00:00Z'
   */
  since?: Date | string | undefined;
  /**
   * Events at or before this time (`endTime`), whole seconds.
   * @default now, at each request (so a tail cursor resumed later reaches the events that arrived since)
   * @example '2026-11-02T00:00:00Z'
   */
  until?: Date | string | undefined;
  /**
   * Minutes before `until` to search when `since` is not given, as the service's own `duration`
   * parameter (whose default is also 60). Giving it with `since` is an error.
   * @default 60
   * @example { duration: 24 * 60 }
   */
  duration?: number | undefined;
  /**
   * Only events of these categories (`eventCategories`).
   * @default undefined (every category)
   * @example ['backup', 'failover']
   */
  categories?: string | readonly string[] | undefined;
  /**
   * Only events of this resource type.
   * @default undefined (every resource type)
   * @example 'db-snapshot'
   */
  sourceType?: FujitsuSourceType | undefined;
  /**
   * Only events of this resource (`sourceId`): a DB instance or snapshot id.
   * @default undefined (every resource)
   * @example 'dbinst_678yuhyhih'
   */
  sourceId?: string | undefined;
  /**
   * Events per request (`limit`), 20 to 100. Larger pages also lift the limit on events sharing one
   * second (fewer than `pageSize`, see the README).
   * @default 100
   * @example { pageSize: 50 }
   */
  pageSize?: number | undefined;
}

/**
 * The query of `events.list`. `since` and `duration` both say where the window starts: give one or
 * neither (the other left out or `undefined`). The runtime check stays for JavaScript callers.
 * @example { since: '2026-11-01T00:00:00Z', categories: ['backup'] }
 */
export type FujitsuEventsQuery =
  | (Omit<FujitsuEventsQueryFields, 'duration'> & { duration?: undefined })
  | (Omit<FujitsuEventsQueryFields, 'since'> & { since?: undefined });

/** The service's bounds for `limit` (seed 002). */
export const MIN_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE;
const DEFAULT_DURATION_MINUTES = 60;

export interface ResolvedQuery {
  /** Epoch milliseconds. */
  since: number | undefined;
  until: number | undefined;
  /** No event can be in the window (`TimeWindow.empty`, a window within a leap second): nothing is asked. */
  empty: boolean;
  durationMs: number;
  /** The request parameters besides the window, the marker and the limit. */
  filters: { eventCategories: string[] | undefined; sourceType: FujitsuSourceType | undefined; sourceId: string | undefined };
  pageSize: number;
}

const QUERY_KEYS = ['since', 'until', 'duration', 'categories', 'sourceType', 'sourceId', 'pageSize'];

function categoriesOption(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) {
    invalidOption('categories', 'expected a string or an array of strings');
  }
  // An empty list sent no `eventCategories`, so it listed every category rather than none.
  if (list.length === 0) invalidOption('categories', 'must name at least one category; leave it out for every category');
  // `Array.from`, not `map`, which skips the holes of a sparse array and kept them in the request.
  return Array.from(list, (category: unknown, index) => queryTextOption(category, `categories[${index}]`));
}

/** Checks an `events.list` query; nothing is sent before this passes. */
export function resolveQuery(query: FujitsuEventsQuery | undefined): ResolvedQuery {
  const problems = new OptionProblems();
  const q = queryObject(query, QUERY_KEYS, problems) as FujitsuEventsQuery;
  const window = problems.check(() => timeWindow(q.since, q.until, 'whole-seconds'));
  const since = window?.since?.getTime();
  const until = window?.until?.getTime();
  const duration = problems.check(() => optionalInteger(q.duration, 'duration', 1, 60 * 24 * 366));
  // Of a `since` given and not refused, whether or not `until` was: the relation does not read `until`.
  if (duration !== undefined && q.since !== undefined && !problems.refused('since')) {
    problems.refuse('duration', 'give `since` or `duration`, not both');
  }
  const categories = problems.check(() => categoriesOption(q.categories));
  const sourceType = problems.check(() => (q.sourceType === undefined ? undefined : oneOf(q.sourceType, 'sourceType', ['db-instance', 'db-snapshot'])));
  const sourceId = problems.check(() => optionalQueryText(q.sourceId, 'sourceId'));
  const pageSize = problems.check(() => optionalInteger(q.pageSize, 'pageSize', MIN_PAGE_SIZE, MAX_PAGE_SIZE));
  problems.throwIfAny();
  return {
    since,
    until,
    empty: window?.empty ?? false,
    durationMs: (duration ?? DEFAULT_DURATION_MINUTES) * 60_000,
    filters: { eventCategories: categories, sourceType, sourceId },
    pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
  };
}

export interface ResolvedOptions {
  tenantId: string;
  /** The path of the tenant's events API, which a base URL copied from the service catalog ends in. */
  apiPath: RegExp;
  token: string | undefined;
  identity: Required<FujitsuIdentity> | undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Checks the FUJITSU-specific options (the common ones are checked by the core). */
const TEXT: Rule = [(value) => typeof value === 'string', 'a string'];

/** The members of `identity`; each is checked in full by `resolveOptions`. */
const IDENTITY_MEMBERS: Rules = { url: TEXT, userName: TEXT, password: TEXT, domainName: TEXT, projectId: TEXT };

/**
 * Checks the FUJITSU-specific options, each refused one kept in `problems`; `undefined` once one was
 * refused.
 */
export function resolveOptions(options: FujitsuOptions, problems: OptionProblems): ResolvedOptions | undefined {
  // Before anything can fail, so no message of an option's check (these or the common ones, checked
  // before the client's auth registers what it sends) can show them.
  const given: unknown = options.identity;
  registerWhileBuilding(options.token, isRecord(given) ? given.password : undefined);
  const tenantId = problems.check(() => pathSegmentOption(options.tenantId, 'tenantId'));
  let token: string | undefined;
  let identity: Required<FujitsuIdentity> | undefined;
  if (options.token !== undefined && options.identity !== undefined) {
    // Neither is checked further: one of them is to go.
    problems.refuse('token', 'give `token` or `identity`, not both');
  } else if (options.token === undefined && options.identity === undefined) {
    problems.refuse('token', 'give a Keystone `token` or `identity` credentials');
  } else if (options.token !== undefined) {
    token = problems.check(() => requireCredential(options.token, 'token', 'token'));
  } else {
    identity = identityOption(given, options.allowInsecureHttp === true, tenantId, problems);
  }
  if (tenantId === undefined || (token === undefined && identity === undefined)) return undefined;
  return { tenantId, apiPath: new RegExp(`/v1\\.0/${escape(tenantId)}/?$`), token, identity };
}

/**
 * `identity`, checked member by member, each refused one kept in `problems`; `undefined` once one was
 * refused. `projectId` defaults to the tenant's id, `undefined` when it was refused.
 */
function identityOption(
  given: unknown,
  allowInsecureHttp: boolean,
  tenantId: string | undefined,
  problems: OptionProblems,
): Required<FujitsuIdentity> | undefined {
  if (!isPlainObject(given)) {
    problems.refuse('identity', `expected a plain object, got ${describe(given)}`);
    return undefined;
  }
  // A misspelt member (`projectID`) would log in to another project than the one meant.
  checkMembersInto(problems, given, 'identity.', IDENTITY_MEMBERS, true);
  const id = given as Partial<FujitsuIdentity>;
  // A member its type refused above is not refused again.
  const member = <T>(name: keyof FujitsuIdentity, check: () => T): T | undefined =>
    problems.refused(`identity.${name}`) ? undefined : problems.check(check);
  const url = member('url', () => {
    const text = requireString(id.url, 'identity.url');
    // Checked here as the pipeline checks a base URL, so that a bad one is named as this option.
    parseBaseUrl(text, allowInsecureHttp, 'identity.url');
    return withoutApiPath(text, /\/v3\/?$/);
  });
  const userName = member('userName', () => requireCredential(id.userName, 'identity.userName', 'text'));
  const password = member('password', () => requireCredential(id.password, 'identity.password', 'text'));
  const domainName = member('domainName', () => requireString(id.domainName, 'identity.domainName'));
  const projectId = member('projectId', () => optionalString(id.projectId, 'identity.projectId') ?? tenantId);
  if (problems.refused('identity') || url === undefined || userName === undefined || password === undefined || domainName === undefined || projectId === undefined) {
    return undefined;
  }
  return { url, userName, password, domainName, projectId };
}
