/**
 * A stateful emulator of a Tines tenant's events API. It follows the vendor's documentation (seed 001,
 * https://www.tines.com/api/events, VENDORS.md "Tines"), not the SDK's assumptions:
 * - both credentials: `Authorization: Bearer <key>` and `X-User-Token: <key>` with an optional
 *   `X-User-Email` that must belong to the key;
 * - both paths: `/api/v1/actions/{id}/events` (current tenants) and `/api/v1/agents/{id}/events` (all);
 * - both shapes: the old bare array and the current `{ events, meta }`;
 * - `since_id` exclusive, `until_id` inclusive, `page`/`per_page` (default 20, at most 500);
 * - an order the docs do not state (newest first unless told otherwise), a `meta` whose fields can be
 *   told to disagree, and a tenant that can be told to ignore `page`;
 * - errors as Tines sends them: plain text for 401, a bare array for 403, `{ errors: [...] }` otherwise;
 * - no published rate limit, but one can be set, answered with `429` and `Retry-After`;
 * - a request id of its own in `X-Request-Id` on every answer, errors and injected faults included.
 */
import { isRecord } from '../../core/config.js';
import { requireBearer, requireHeader } from '../../testing/auth.js';
import { defineEmulator } from '../../testing/define.js';
import { boolean, listOf, oneOf, rateLimit } from '../../testing/option-rules.js';
import { empty, EmulatorHttpError, json, text } from '../../testing/responses.js';
import { withRequestId } from '../../testing/request-id.js';
import { createRouter, type RouteRequest } from '../../testing/router.js';
import type { Rng } from '../../testing/rng.js';
import type { EmulatorContext, EmulatorRateLimit, ResolvedEmulatorOptions } from '../../testing/types.js';
import { createWindowLimiter, type WindowLimiter } from '../../testing/window-limiter.js';
import { createTinesStore, type TinesStore, type TinesStoredEvent } from './emulator-store.js';
import { currentEvent, legacyEvent, matches, pageMeta, parseListQuery, type MetaMode } from './emulator-wire.js';
import { timeZonesRule, type TimeZoneStyle } from '../../testing/zoned-time.js';

export type { TinesEventInput, TinesStoredEvent, TinesEmulatorAction } from './emulator-store.js';

/** An API key the emulated tenant accepts. */
export interface TinesCredential {
  /**
   * The API key, accepted as `Authorization: Bearer` or as `X-User-Token`.
   * @example { key: 'my-test-key' }
   */
  key: string;
  /**
   * The key owner's email: an `X-User-Email` header that names someone else answers `401`. Without it,
   * any `X-User-Email` is accepted.
   * @default undefined (any email, or none)
   * @example { key: 'my-test-key', email: 'analyst@example.com' }
   */
  email?: string | undefined;
  /**
   * Teams whose events the key may read; another team's events answer `403`.
   * @default every team
   * @example [1]
   */
  teams?: readonly number[] | undefined;
  /**
   * Whether the key may re-emit events; `false` answers `403` to `POST /api/v1/events/{id}/reemit`.
   * @default true
   * @example { key: 'my-read-only-key', canReemit: false }
   */
  canReemit?: boolean | undefined;
}

export interface TinesEmulatorOptions {
  /**
   * Accepted keys.
   * @default [DEFAULT_TINES_CREDENTIAL, READ_ONLY_TINES_CREDENTIAL] (the second reads team 1 only and may not re-emit)
   * @example { credentials: [{ key: 'my-test-key' }] }
   */
  credentials?: TinesCredential[] | undefined;
  /**
   * `'legacy'`: the seed's API (seed 001): `/agents/{id}/events` and no `/actions/{id}/events`, bare
   * arrays, `agent_id`; `GET /api/v1/events` and `/api/v1/events/{id}` are served in both. `'current'`:
   * both action paths, `{ events, meta }`, `action_id`, `story_run_guid`.
   * @default 'current'
   * @example { api: 'legacy' }
   */
  api?: 'current' | 'legacy' | undefined;
  /**
   * Overrides the list shape of `api`.
   * @example 'bare'
   * @default the shape of `api`: `'wrapped'` for `'current'`, `'bare'` for `'legacy'`
   */
  shape?: 'wrapped' | 'bare' | undefined;
  /**
   * The order of the events in a page: Tines does not document it, and the SDK sorts by id.
   * @default 'newest-first'
   * @example { order: 'oldest-first' }
   */
  order?: 'newest-first' | 'oldest-first' | undefined;
  /**
   * `'disagree'`: `next_page` is always null and `pages` rounds down, as on some real tenants.
   * @default 'consistent'
   * @example { meta: 'disagree' }
   */
  meta?: MetaMode | undefined;
  /**
   * Serves page 1 whatever `page` says, as a misconfigured proxy or an old tenant might.
   * @default false
   * @example { ignorePage: true }
   */
  ignorePage?: boolean | undefined;
  /**
   * How `created_at`, `updated_at` and `expires_at` are zoned: `'utc'` always with `Z`, or `'mixed'`,
   * by event, with `Z`, without a zone (UTC) or at `+01:00`, as VENDORS.md says responses come; an
   * event read again is written the same way.
   * @default 'utc'
   * @example { timeZones: 'mixed' }
   */
  timeZones?: TimeZoneStyle | undefined;
  /**
   * A server-side limit per key, or `false`; Tines publishes none.
   * @default false
   * @example { requests: 60, interval: 60_000 }
   */
  rateLimit?: EmulatorRateLimit | false | undefined;
}

/** The key most tests and the example use. */
export const DEFAULT_TINES_CREDENTIAL = { key: 'tines-emulator-key-6f1d2a', email: 'analyst@example.com' } as const;
/** A key that may read only team 1 and may not re-emit. */
export const READ_ONLY_TINES_CREDENTIAL = { key: 'tines-emulator-read-only-88c0', teams: [1], canReemit: false } as const;

export interface TinesEmulatorStore extends TinesStore {
  /** The server-side limiter, when `rateLimit` is set. */
  readonly limiter: WindowLimiter | undefined;
}

type Options = ResolvedEmulatorOptions & TinesEmulatorOptions;
type Context = EmulatorContext<TinesEmulatorStore, TinesEmulatorOptions>;

/**
 * Tines documents no request id. Its tenants are Rails applications, whose default middleware
 * (ActionDispatch::RequestId) answers every request with a UUID in `X-Request-Id`; the SDK reads that
 * header when a vendor names none.
 */
const REQUEST_ID = 'X-Request-Id';

/**
 * Tines' error bodies vary by status (VENDORS.md): plain text, a bare array, or `{ errors }`. An answer of
 * a route has its request id already; an injected fault gets one here.
 */
export function tinesErrorResponse(status: number, message: string, headers: Record<string, string>, _request: Request, rng: Rng): Response {
  const withId = { [REQUEST_ID]: rng.uuid(), ...headers };
  if (status === 401) return text('HTTP Token: Access denied.\n', { status, headers: withId });
  if (status === 403) return json([message], { status, headers: withId });
  return json({ errors: [{ message, details: `status ${status}` }] }, { status, headers: withId });
}

function credentialsOf(options: Options): readonly TinesCredential[] {
  return options.credentials ?? [DEFAULT_TINES_CREDENTIAL, READ_ONLY_TINES_CREDENTIAL];
}

/** Finds the key in either header style, then applies the key's rate limit. */
function authenticate(request: Request, context: Context): TinesCredential {
  const credentials = credentialsOf(context.options);
  const keys = credentials.map((credential) => credential.key);
  let key: string;
  if (request.headers.has('authorization')) {
    key = requireBearer(request, keys);
  } else {
    key = requireHeader(request, 'X-User-Token', keys);
  }
  const credential = credentials.find((entry) => entry.key === key) as TinesCredential;
  const email = request.headers.get('x-user-email');
  if (email !== null && credential.email !== undefined && email.toLowerCase() !== credential.email.toLowerCase()) {
    throw new EmulatorHttpError(401, 'The email does not belong to this token');
  }
  const verdict = context.store.limiter?.check(key);
  if (verdict !== undefined && !verdict.ok) {
    throw new EmulatorHttpError(429, 'Too many requests', { 'Retry-After': String(verdict.retryAfterSeconds) });
  }
  return credential;
}

function mayRead(credential: TinesCredential, teamId: number): boolean {
  return credential.teams === undefined || credential.teams.includes(teamId);
}

/**
 * Past its retention (seed 001: at `expires_at` "the event will expire and be deleted"), or not visible
 * yet (`visibleAt`): neither listed nor found by id.
 */
function unlisted(event: TinesStoredEvent, now: number): boolean {
  return (event.expiresAt !== null && event.expiresAt <= now) || (event.visibleAt !== undefined && event.visibleAt > now);
}

function render(context: Context, event: TinesStoredEvent): Record<string, unknown> {
  const zones = context.options.timeZones ?? 'utc';
  return context.options.api === 'legacy' ? legacyEvent(event, zones) : currentEvent(event, zones);
}

function eventById(route: RouteRequest<Context>, credential: TinesCredential): TinesStoredEvent {
  const id = route.params['id'] ?? '';
  const event = /^\d{1,15}$/.test(id) ? route.context.store.get(Number(id)) : undefined;
  if (event === undefined || unlisted(event, route.context.clock.now())) throw new EmulatorHttpError(404, `Event ${id} not found`);
  if (!mayRead(credential, event.teamId)) throw new EmulatorHttpError(403, 'You do not have access to this event');
  return event;
}

/** One page of the events that match the query and the key's teams, in the tenant's order. */
function listEvents(route: RouteRequest<Context>, actionId: number | undefined): Response {
  const { context, url } = route;
  const credential = authenticate(route.request, context);
  const parsed = parseListQuery(url);
  // One action's path documents only `since_id` and `per_page` (seed 001): the filters of
  // `GET /api/v1/events` are ignored there, as a tenant that does not know them would.
  const query =
    actionId === undefined ? parsed : { ...parsed, untilId: undefined, since: undefined, until: undefined, storyId: undefined, teamId: undefined };
  if (query.teamId !== undefined && !mayRead(credential, query.teamId)) {
    throw new EmulatorHttpError(403, `You do not have access to team ${query.teamId}`);
  }
  if (actionId !== undefined) {
    const action = context.store.actions.get(actionId);
    if (action === undefined) throw new EmulatorHttpError(404, `Action ${actionId} not found`);
    if (!mayRead(credential, action.teamId)) throw new EmulatorHttpError(403, 'You do not have access to this action');
  }
  const now = context.clock.now();
  const selected = context.store.events.filter(
    (event) =>
      (actionId === undefined || event.actionId === actionId) &&
      !unlisted(event, now) &&
      mayRead(credential, event.teamId) &&
      matches(event, query),
  );
  if ((context.options.order ?? 'newest-first') === 'newest-first') selected.reverse();
  const page = context.options.ignorePage ? 1 : query.page;
  const start = (page - 1) * query.perPage;
  const events = selected.slice(start, start + query.perPage).map((event) => render(context, event));
  const shape = context.options.shape ?? (context.options.api === 'legacy' ? 'bare' : 'wrapped');
  if (shape === 'bare') return json(events);
  return json({ events, meta: pageMeta(url, { ...query, page }, selected.length, context.options.meta ?? 'consistent') });
}

function actionIdOf(route: RouteRequest<Context>): number {
  const id = route.params['id'] ?? '';
  if (!/^\d{1,15}$/.test(id)) throw new EmulatorHttpError(404, `Action ${id} not found`);
  return Number(id);
}

const router = createRouter<Context>()
  .get('/api/v1/events', (route) => listEvents(route, undefined))
  .get('/api/v1/agents/:id/events', (route) => listEvents(route, actionIdOf(route)))
  .get('/api/v1/actions/:id/events', (route) => {
    // The old API only knows actions as agents.
    if (route.context.options.api === 'legacy') throw new EmulatorHttpError(404, 'Not found');
    return listEvents(route, actionIdOf(route));
  })
  .get('/api/v1/events/:id', (route) => {
    const credential = authenticate(route.request, route.context);
    return json(render(route.context, eventById(route, credential)));
  })
  .post('/api/v1/events/:id/reemit', (route) => {
    const credential = authenticate(route.request, route.context);
    const event = eventById(route, credential);
    if (credential.canReemit === false) throw new EmulatorHttpError(403, 'You are not allowed to re-emit events');
    const copy = route.context.store.emit({
      actionId: event.actionId,
      payload: event.payload,
      userId: event.userId,
      storyRunGuid: event.storyRunGuid,
    });
    copy.reEmitted = true;
    return empty({ status: 204 });
  });

/** Gives every answer of a route, an error or not, a request id drawn from the seeded generator. */
const handleWithRequestId = withRequestId((request: Request, context: Context) => router.handle(request, context), REQUEST_ID, (context) => context.rng.uuid());

/** The Tines emulator definition, for `createEmulator('tines')` and the registry. */
export const tinesEmulator = defineEmulator<TinesEmulatorStore, TinesEmulatorOptions>({
  provider: 'tines',
  baseUrl: 'https://tenant-1234.tines.com',
  options: {
    credentials: listOf(
      (entry) => isRecord(entry) && typeof entry.key === 'string' && entry.key.length >= 4,
      'a list of { key } with keys of 4 characters or more',
    ),
    api: oneOf('current', 'legacy'),
    shape: oneOf('wrapped', 'bare'),
    order: oneOf('newest-first', 'oldest-first'),
    meta: oneOf('consistent', 'disagree'),
    ignorePage: boolean,
    timeZones: timeZonesRule,
    rateLimit,
  },
  createStore({ options, rng }) {
    const tenant = createTinesStore({ events: options.events, now: () => options.clock.now(), rng });
    const limit = options.rateLimit;
    const limiter = limit ? createWindowLimiter({ ...limit, clock: options.clock }) : undefined;
    return Object.assign(tenant, { limiter });
  },
  handle: handleWithRequestId,
  errorResponse: tinesErrorResponse,
});

/**
 * The environment `examples/tines.ts` reads, for a running emulator at `url`.
 * @example const lines = await main(tinesDemoEnv(server.url)); // `main` of examples/tines.ts
 */
export function demoEnv(url: string): Record<string, string> {
  return { TRIBUTARY_TINES_BASE_URL: url, TRIBUTARY_TINES_TOKEN: DEFAULT_TINES_CREDENTIAL.key };
}
