/**
 * A stateful emulator of the Illumio PCE events API. It follows the vendor's documented behaviour
 * (seed 003, VENDORS.md "Illumio"), not the SDK's assumptions:
 * - HTTP Basic with an API key (`api_...`) and its secret; `401` for anything else;
 * - `403` for another organization or a key whose role may not read events, `404` for an unknown
 *   event, job or datafile, `400` for an invalid filter;
 * - newest first, a silent `max_results` cut (default 100, at most 10000) with the number of matches in
 *   `X-Total-Count`, inclusive `timestamp[gte]`/`timestamp[lte]`;
 * - the asynchronous collection export (`Prefer: respond-async` → `202` + `Location`, relative or
 *   absolute, with or without `Retry-After` → job → datafile), and on request the ends VENDORS.md does
 *   not document: other status words, a job or datafile gone, a `Retry-After` date;
 * - 500 requests a minute per API key, answered with `429` and `Retry-After`;
 * - error bodies as the PCE sends them: `[{ "token": ..., "message": ... }]`;
 * - a request id of its own in `X-Request-Id` on every answer, errors and injected faults included.
 */
import { isRecord } from '../../core/config.js';
import { requireBasic } from '../../testing/auth.js';
import { defineEmulator } from '../../testing/define.js';
import { boolean, custom, integer, listOf, members, nullOr, oneOf, rateLimit, time } from '../../testing/option-rules.js';
import { eventCount, instantMs, isoTime } from '../../testing/query.js';
import { EmulatorHttpError, json } from '../../testing/responses.js';
import { withRequestId } from '../../testing/request-id.js';
import { createRouter, type RouteRequest } from '../../testing/router.js';
import type { Rng } from '../../testing/rng.js';
import type { EmulatorContext, EmulatorRateLimit } from '../../testing/types.js';
import { createWindowLimiter, type WindowLimiter } from '../../testing/window-limiter.js';
import { generateIllumioEvents, ILLUMIO_FIXTURE_NEWEST } from './emulator-fixtures.js';
import { checkOutcomeOption, createIllumioJobs, type IllumioAsyncOptions, type IllumioJobs } from './emulator-jobs.js';
import { eventMs, parseEventQuery, selectEvents } from './emulator-query.js';
import { withTimestampStyle, type TimestampStyle } from './emulator-timestamps.js';
import type { IllumioEvent } from './schemas.js';

export type { IllumioAsyncOptions, IllumioJobOutcome, IllumioJobStart } from './emulator-jobs.js';
export type { TimestampStyle as IllumioTimestampStyle } from './emulator-timestamps.js';

/** An API key the emulated PCE accepts. */
export interface IllumioCredential {
  /**
   * The key's `auth_username`, `api_...`: the HTTP Basic user.
   * @example { apiKey: 'api_0123456789abcd', apiSecret: 'secret' }
   */
  apiKey: string;
  /**
   * The key's secret: the HTTP Basic password, at least 4 characters.
   * @example { apiKey: 'api_0123456789abcd', apiSecret: 'secret' }
   */
  apiSecret: string;
  /**
   * Whether the key's role may read events; a key without it gets `403`.
   * @default true
   * @example { apiKey: 'api_0123456789abcd', apiSecret: 'secret', canReadEvents: false }
   */
  canReadEvents?: boolean | undefined;
}

export interface IllumioEmulatorOptions {
  /**
   * The organization the PCE serves; other org ids answer `403`.
   * @default 1
   * @example { orgId: 3 }
   */
  orgId?: number | undefined;
  /**
   * Accepted API keys.
   * @default [DEFAULT_ILLUMIO_CREDENTIAL, READ_ONLY_ILLUMIO_CREDENTIAL]
   * @example { credentials: [{ apiKey: 'api_0123456789abcd', apiSecret: 'secret' }] }
   */
  credentials?: IllumioCredential[] | undefined;
  /**
   * Server-side limit per API key, or `false` for none.
   * @default { requests: 500, interval: 60_000 }
   * @example { rateLimit: { requests: 10, interval: 1_000 } }
   */
  rateLimit?: EmulatorRateLimit | false | undefined;
  /**
   * Shape of the asynchronous export: `Location` style, `Retry-After` and its form, polls, status word,
   * failure, and how each job ends.
   * @default { location: 'absolute', retryAfter: 1, retryAfterForm: 'seconds', pollsBeforeDone: 1, doneStatus: 'done', fail: false }
   * @example { async: { location: 'href', pollsBeforeDone: 3 } }
   * @example { async: { outcome: [{ status: 'cancelled' }, { polls: 2, gone: 'job' }] } }
   */
  async?: IllumioAsyncOptions | undefined;
  /**
   * Time of the newest generated event (RFC 3339, UTC without a zone, or epoch ms); older ones go back
   * from it.
   * @default '2026-11-23T10:00:00.000Z'
   * @example { newest: '2026-12-01T00:00:00Z' }
   */
  newest?: string | number | undefined;
  /**
   * Largest gap between two generated events, in milliseconds (a quarter share a millisecond).
   * @default 60_000
   * @example { maxGapMs: 1_000 }
   */
  maxGapMs?: number | undefined;
  /**
   * How each event's `timestamp` is written: `'millis'` as in the seed, or `'mixed'`, a form drawn per
   * event from the seed (with `Z`, without a zone, `+00:00` or `+01:00`; a whole second with or without
   * `.000`), as VENDORS.md says real PCEs answer, and half the generated events cut to the whole second.
   * Events `store.record` adds keep their instant, written in a drawn form; filters and order go by the
   * instant, whatever its form.
   * @default 'millis'
   * @example { timestamps: 'mixed' }
   */
  timestamps?: TimestampStyle | undefined;
}

/** The key the tests and the example use. */
export const DEFAULT_ILLUMIO_CREDENTIAL: Readonly<IllumioCredential> = {
  apiKey: 'api_1c0ffee1c0ffee',
  apiSecret: 'illumio-emulator-secret-4f2a',
};
/** A key whose role may not read events: every events request answers `403`. */
export const READ_ONLY_ILLUMIO_CREDENTIAL: Readonly<IllumioCredential> = {
  apiKey: 'api_0ff1ce0ff1ce',
  apiSecret: 'illumio-emulator-no-events-77b1',
  canReadEvents: false,
};

/** The emulated PCE's state. */
export interface IllumioEmulatorStore {
  readonly orgId: string;
  /** Newest first, as the PCE answers. */
  readonly events: IllumioEvent[];
  /** Adds events (visible to the next request), keeping the newest-first order. */
  add(events: readonly IllumioEvent[]): void;
  /**
   * Records `count` new events, as the PCE does when something happens: newer than every stored event,
   * or all at `at` (epoch ms, an RFC 3339 string or a `Date`, as FUJITSU's `addBurst` takes it), which
   * may tie with stored ones. Returns them, newest first.
   * @example emulator.store.record(3, '2026-11-23T10:00:00Z')
   */
  record(count?: number, at?: number | string | Date): IllumioEvent[];
  readonly jobs: IllumioJobs;
  readonly limiter: WindowLimiter | undefined;
  /** How many requests were answered `429`. */
  rateLimited: number;
}

type Context = EmulatorContext<IllumioEmulatorStore, IllumioEmulatorOptions>;

const ERROR_TOKENS: Readonly<Record<number, string>> = {
  400: 'input_validation_error',
  401: 'authentication_failed',
  403: 'forbidden_error',
  404: 'not_found',
  405: 'method_not_allowed',
  429: 'too_many_requests_error',
};

/**
 * The PCE returns a unique request id in a header of every answer, to quote in a support ticket
 * ("Response Header Request-ID"); the SDK reads it from `X-Request-Id`.
 * https://product-docs-repo.illumio.com/Tech-Docs/Core/24.2/REST-APIs/out/en/overview-of-the-illumio-rest-api/http-requests-and-responses.html
 */
const REQUEST_ID = 'X-Request-Id';

/**
 * The PCE's error body: a list of `{ token, message }`. An answer of a route has its request id already;
 * an injected fault gets one here.
 */
export function illumioErrorResponse(status: number, message: string, headers: Record<string, string>, _request: Request, rng: Rng): Response {
  return json([{ token: ERROR_TOKENS[status] ?? 'internal_server_error', message }], {
    status,
    headers: { [REQUEST_ID]: rng.uuid(), ...headers },
  });
}

/** Gives every answer of a route, an error or not, a request id drawn from the seeded generator. */
const handleWithRequestId = withRequestId((request: Request, context: Context) => router.handle(request, context), REQUEST_ID, (context) => context.rng.uuid());

// A zone-less stored time is UTC (VENDORS.md); `Date.parse` would read it in the test machine's zone.
const byNewest = (a: IllumioEvent, b: IllumioEvent): number => eventMs(b) - eventMs(a);

/** Checks the key, its rate limit, the organization and the key's role. */
function authorize(route: RouteRequest<Context>): void {
  const { context, request, params } = route;
  const credentials: readonly Readonly<IllumioCredential>[] = context.options.credentials ?? [
    DEFAULT_ILLUMIO_CREDENTIAL,
    READ_ONLY_ILLUMIO_CREDENTIAL,
  ];
  const pairs = credentials.map((credential) => ({ user: credential.apiKey, password: credential.apiSecret }));
  const key = requireBasic(request, pairs, 'PCE');
  const verdict = context.store.limiter?.check(key);
  if (verdict !== undefined && !verdict.ok) {
    context.store.rateLimited += 1;
    throw new EmulatorHttpError(429, 'API rate limit exceeded', { 'Retry-After': String(verdict.retryAfterSeconds) });
  }
  const orgId = params['orgId'];
  if (orgId !== undefined && orgId !== context.store.orgId) {
    throw new EmulatorHttpError(403, `Access to organization ${orgId} is not permitted`);
  }
  if (credentials.find((credential) => credential.apiKey === key)?.canReadEvents === false) {
    throw new EmulatorHttpError(403, 'The user does not have permission to view events');
  }
}

function findEvent(store: IllumioEmulatorStore, href: string): Response {
  const event = store.events.find((candidate) => candidate.href === href);
  if (event === undefined) throw new EmulatorHttpError(404, `Event ${href} not found`);
  return json(event);
}

function listEvents(route: RouteRequest<Context>): Response {
  authorize(route);
  const { context, url, request } = route;
  const { matches, page } = selectEvents(context.store.events, parseEventQuery(url.searchParams));
  if (/\brespond-async\b/i.test(request.headers.get('prefer') ?? '')) return context.store.jobs.start(url, matches);
  return json(page, { headers: { 'X-Total-Count': String(matches.length) } });
}

const router = createRouter<Context>()
  .get('/api/v2/orgs/:orgId/events', listEvents)
  .get('/api/v2/orgs/:orgId/events/:uuid', (route) => {
    authorize(route);
    return findEvent(route.context.store, `/orgs/${route.context.store.orgId}/events/${route.params['uuid'] ?? ''}`);
  })
  .get('/api/v2/system_events/:uuid', (route) => {
    authorize(route);
    return findEvent(route.context.store, `/system_events/${route.params['uuid'] ?? ''}`);
  })
  .get('/api/v2/orgs/:orgId/jobs/:id', (route) => {
    authorize(route);
    return route.context.store.jobs.status(route.params['id'] ?? '');
  })
  .get('/api/v2/orgs/:orgId/datafiles/:id', (route) => {
    authorize(route);
    return route.context.store.jobs.datafile(route.params['id'] ?? '');
  });

/** The Illumio PCE emulator definition, for `createEmulator('illumio')` and the registry. */
export const illumioEmulator = defineEmulator<IllumioEmulatorStore, IllumioEmulatorOptions>({
  provider: 'illumio',
  baseUrl: 'https://pce.example.com:8443',
  options: {
    orgId: integer(1),
    credentials: listOf(
      (entry) => isRecord(entry) && typeof entry.apiKey === 'string' && typeof entry.apiSecret === 'string' && entry.apiSecret.length >= 4,
      'a list of { apiKey, apiSecret } with secrets of 4 characters or more',
    ),
    rateLimit,
    async: members({
      location: oneOf('href', 'path', 'absolute'),
      retryAfter: nullOr(integer(0)),
      retryAfterForm: oneOf('seconds', 'date'),
      pollsBeforeDone: integer(0),
      doneStatus: oneOf('done', 'completed'),
      fail: boolean,
      outcome: custom(
        (value) => typeof value === 'function' || Array.isArray(value) || isRecord(value),
        'an outcome, a list of outcomes or a function',
        false,
        (value) => checkOutcomeOption(value as IllumioAsyncOptions['outcome']),
      ),
    }),
    newest: time(true),
    maxGapMs: integer(1),
    timestamps: oneOf('millis', 'mixed'),
  },
  createStore({ options, rng }) {
    const { newest: given } = options;
    const newest = given === undefined ? ILLUMIO_FIXTURE_NEWEST : typeof given === 'number' ? given : isoTime(given);
    const orgId = String(options.orgId ?? 1);
    const { clock } = options;
    const limit = options.rateLimit ?? { requests: 500, interval: 60_000 };
    const generated = generateIllumioEvents(rng, {
      count: options.events,
      orgId,
      newest,
      ...(options.maxGapMs === undefined ? {} : { maxGapMs: options.maxGapMs }),
    });
    const arrivals = rng.fork();
    // Forked after `arrivals`, and only for `'mixed'`: the default's events and arrivals stay as they were.
    const style = options.timestamps ?? 'millis';
    const forms = style === 'millis' ? arrivals : rng.fork();
    const events = withTimestampStyle(forms, style, generated, true).sort(byNewest);
    const add = (added: readonly IllumioEvent[]): void => {
      events.push(...added);
      events.sort(byNewest);
    };
    return {
      orgId,
      events,
      add,
      record(count = 1, at) {
        eventCount(count, 'count');
        const instant = at === undefined ? undefined : instantMs(at, 'at');
        const latest = events[0] === undefined ? newest : eventMs(events[0]);
        const recorded = withTimestampStyle(
          forms,
          style,
          generateIllumioEvents(arrivals, {
            count,
            orgId,
            newest: instant ?? latest + count * 1_000,
            ...(instant === undefined ? { maxGapMs: 999 } : { maxGapMs: 1, sameInstant: true }),
          }),
          // Cut to the second, an event recorded as the newest could fall back among stored ones.
          false,
        );
        add(recorded);
        return recorded;
      },
      jobs: createIllumioJobs(orgId, options.async ?? {}, () => clock.now()),
      limiter: limit === false ? undefined : createWindowLimiter({ ...limit, clock }),
      rateLimited: 0,
    };
  },
  handle: handleWithRequestId,
  errorResponse: illumioErrorResponse,
});

/**
 * The environment `examples/illumio.ts` reads, for a running emulator at `url`.
 * @example const lines = await main(illumioDemoEnv(server.url)); // `main` of examples/illumio.ts
 */
export function demoEnv(url: string): Record<string, string> {
  return {
    TRIBUTARY_ILLUMIO_BASE_URL: url,
    TRIBUTARY_ILLUMIO_ORG_ID: '1',
    TRIBUTARY_ILLUMIO_API_KEY: DEFAULT_ILLUMIO_CREDENTIAL.apiKey,
    TRIBUTARY_ILLUMIO_API_SECRET: DEFAULT_ILLUMIO_CREDENTIAL.apiSecret,
  };
}
