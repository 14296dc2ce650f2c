/**
 * `tributary/informatica`: publication and subscription events of Informatica Cloud Integration Hub
 * (Events REST API, seed 004; VENDORS.md "Informatica").
 *
 * @example
 * const cih = informatica({ baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com', username, password });
 * for await (const event of cih.events.list({ range: 'LAST_HOUR', eventStatus: 'ERROR' })) console.log(event.id);
 */
import { buildClient, checkFactoryOptions, createClientContext, type OwnOptionNames } from '../../core/client.js';
import { callSignal, type CallOptions } from '../../core/call-options.js';
import { invalidOption, isPlainObject, oneOf, requireCredential, SIGNAL_RULE, type Rules } from '../../core/config.js';
import { credentialKey } from '../../core/credential-key.js';
import { ResponseValidationError } from '../../core/errors.js';
import { OptionProblems } from '../../core/option-problems.js';
import type { CommonOptions } from '../../core/options.js';
import { paginate } from '../../core/paginate/paginate.js';
import type { Paginated } from '../../core/paginate/types.js';
import { path } from '../../core/path.js';
import { heldBy, registerBasicSecret, registerWhileBuilding } from '../../core/redact.js';
import type { Auth, ProviderDefaults } from '../../core/request.js';
import { informaticaErrorMessage, informaticaRequestId } from './errors.js';
import {
  normalizeInformaticaEvent,
  normalizeInformaticaEvents,
  type InformaticaChildrenMode,
  type InformaticaTributaryEvent,
} from './normalize.js';
import { informaticaStrategy } from './pagination.js';
import { CHILDREN_MODES, isFiltered, MAX_PAGE_SIZE, resolveListQuery, searchBody, type InformaticaListQuery } from './query.js';
import { informaticaEventListSchema, informaticaEventSchema, MAX_CHILD_DEPTH, nestedTooDeep, searchResults, type InformaticaEvent } from './schemas.js';

/** The options of this factory besides the common ones (`CommonOptions`). */
const OWN_OPTIONS = Object.keys({ username: true, password: true } satisfies OwnOptionNames<InformaticaOptions>);

export type { InformaticaEvent, InformaticaHistoryEntry } from './schemas.js';
export type {
  InformaticaChildrenMode,
  InformaticaCounts,
  InformaticaEventData,
  InformaticaTributaryEvent,
} from './normalize.js';
export type { InformaticaListQuery } from './query.js';
export type { InformaticaEventStatus, InformaticaEventType, InformaticaRange } from './vocabulary.js';

export interface InformaticaOptions extends CommonOptions {
  /**
   * The pod's base URL, without `/dih-console` (a trailing `/dih-console` copied from the vendor's
   * example is accepted and removed).
   * @example 'https://cih-pod1.dm-us.informaticacloud.com'
   */
  baseUrl: string | URL;
  /**
   * The Informatica Intelligent Cloud Services user name (HTTP Basic). The rate limit is shared by every
   * client of this user and base URL in the process.
   * @example 'Administrator@MyCompany.com'
   */
  username: string;
  /**
   * The user's password (HTTP Basic). It never appears in errors, logs or hook arguments.
   * @example process.env.CIH_PASSWORD ?? ''
   */
  password: string;
}

export interface InformaticaGetOptions extends CallOptions {
  /**
   * How the event's descendants are returned.
   * @default 'nested' (one event, its descendants in `data.childEvents`)
   * @example { children: 'flatten' }
   */
  children?: InformaticaChildrenMode | undefined;
}

export interface InformaticaEventsApi {
  /**
   * Searches events (`POST /dih-console/api/v1/events`), paged by `firstResult`/`maxResults` over a
   * window pinned at the first request. Child events are flattened unless `children: 'nested'`.
   * @example for await (const event of cih.events.list({ range: 'LAST_HOUR', eventStatus: 'ERROR' })) ...
   */
  list(query?: InformaticaListQuery): Paginated<InformaticaTributaryEvent>;
  /**
   * One event by id (`GET /dih-console/api/v1/event/{eventId}`), with its child events. A missing one
   * is a `NotFoundError`.
   * @example const event = await cih.events.get(1024, { children: 'flatten' });
   */
  get(eventId: number | string, options?: InformaticaGetOptions): Promise<InformaticaTributaryEvent>;
}

export interface InformaticaClient {
  readonly events: InformaticaEventsApi;
}

/**
 * The vendor's published limit (seed 004) is 5 invocations per minute; the core limiter keeps it as a
 * sliding window counted from each answer, so no minute the vendor counts sees a sixth request.
 */
export const INFORMATICA_DEFAULTS: ProviderDefaults = {
  rateLimit: { requests: 5, interval: 60_000 },
  errorMessage: informaticaErrorMessage,
  errorRequestId: informaticaRequestId,
};

const API = '/dih-console/api/v1';

/**
 * A Cloud Integration Hub client. Options are checked here: a bad one throws a `ConfigurationError`
 * naming it, before any request.
 */
export function informatica(options: InformaticaOptions): InformaticaClient {
  return buildClient('informatica', () => createInformatica(options));
}

/**
 * The credentials of `options`, checked, each refused one kept in `problems`; `undefined` once one was
 * refused.
 */
function informaticaAuth(options: InformaticaOptions, problems: OptionProblems): Auth | undefined {
  // Before anything can fail: an option's error (an unknown one named by it) must not show it.
  registerWhileBuilding(options.password);
  const username = problems.check(() => {
    const name = requireCredential(options.username, 'username', 'text');
    // The user name is the part before the first colon of a Basic credential: it cannot hold one.
    return name.includes(':') ? invalidOption('username', 'must not contain ":"') : name;
  });
  const password = problems.check(() => requireCredential(options.password, 'password', 'text'));
  if (username === undefined || password === undefined) return undefined;
  const [token, release] = registerBasicSecret(username, password);
  // The limiter's key names the user without showing it (a shared limit's key is readable in Redis).
  const auth: Auth = { headers: () => ({ Authorization: `Basic ${token}` }), key: `informatica:${credentialKey(username)}` };
  // Registered as long as the client can send it: its pipeline holds `auth`.
  heldBy(auth).push(release);
  return auth;
}

function createInformatica(options: InformaticaOptions): InformaticaClient {
  const auth = checkFactoryOptions(options, OWN_OPTIONS, (problems) => informaticaAuth(options, problems));
  const ctx = createClientContext('informatica', options, auth, INFORMATICA_DEFAULTS, OWN_OPTIONS, /\/dih-console(?:\/api\/v1)?\/*$/);
  // The pod, for each event's `source`.
  const pod = new URL(ctx.options.baseUrl).host;

  return {
    events: {
      list(query = {}) {
        const resolved = resolveListQuery(query);
        const strategy = informaticaStrategy({
          window: resolved.window,
          clock: ctx.clock,
          filtered: isFiltered(resolved.filters),
          async fetchPage(window, { offset, limit }, signal) {
            const { data } = await ctx.http.request({
              operation: 'events.list',
              method: 'POST',
              path: `${API}/events`,
              json: searchBody(resolved.filters, window, offset, limit),
              schema: informaticaEventListSchema,
              // A search sent as POST: a read, safe to repeat (DESIGN.md, retry).
              idempotent: true,
              signal,
            });
            const items = searchResults(data);
            checkNesting(items, 'events.list', data);
            return { items };
          },
        });
        return paginate({
          provider: 'informatica',
          operation: 'events.list',
          query: { filters: resolved.filters, window: resolved.window },
          strategy,
          empty: resolved.empty,
          normalize: (items) => normalizeInformaticaEvents(items, resolved.children, pod),
          pageSize: resolved.pageSize,
          maxPageSize: MAX_PAGE_SIZE,
          client: ctx,
        });
      },
      async get(eventId, getOptions = {}) {
        const id = checkEventId(eventId);
        // Checked as a factory's options are, all of them: a misspelt `chidren` would be silently ignored.
        const problems = new OptionProblems();
        const signal = problems.check(() => callSignal(getOptions, GET_OPTIONS));
        // Options that are no object have no `children` to read (and are refused above).
        const given = isPlainObject(getOptions) ? getOptions.children : undefined;
        const children = (given === undefined ? undefined : problems.check(() => oneOf(given, 'children', CHILDREN_MODES))) ?? 'nested';
        problems.throwIfAny();
        const { data } = await ctx.http.request({
          operation: 'events.get',
          method: 'GET',
          path: `${API}${path`/event/${id}`}`,
          schema: informaticaEventSchema,
          signal,
        });
        checkNesting([data], 'events.get', data);
        return normalizeInformaticaEvent(data, children, pod);
      },
    },
  };
}

/** The members of `events.get`'s options; `children` is checked by `get` itself, as list's query checks it, which shows the mode given. */
const GET_OPTIONS: Rules = {
  children: [() => true, ''],
  signal: SIGNAL_RULE,
};

/** Children nested deeper than the SDK reads: refused as the validator refuses a body of the wrong shape. */
function checkNesting(events: readonly InformaticaEvent[], operation: string, raw: unknown): void {
  if (!nestedTooDeep(events)) return;
  const issue = `childEvents: nested more than ${MAX_CHILD_DEPTH} levels deep`;
  throw new ResponseValidationError(`${operation}: the response did not match the expected shape: ${issue}`, {
    provider: 'informatica',
    operation,
    issues: [issue],
    raw,
  });
}

/** Java's `Long.MAX_VALUE`: no event id is larger. */
const MAX_EVENT_ID = 9_223_372_036_854_775_807n;

/** Event ids are `Long`s: a non-negative integer, or its decimal string (ids beyond 2^53 stay exact). */
function checkEventId(eventId: unknown): string {
  if (typeof eventId === 'number' && Number.isSafeInteger(eventId) && eventId >= 0) return String(eventId);
  if (typeof eventId === 'string' && /^\d{1,19}$/.test(eventId) && BigInt(eventId) <= MAX_EVENT_ID) return eventId;
  invalidOption('eventId', 'expected a non-negative integer up to 9223372036854775807 (a Long), or its decimal string');
}
