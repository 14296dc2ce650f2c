/**
 * A stateful emulator of FUJITSU K5 DBaaS event notifications and of the Keystone v3 login in front of
 * them. It follows the vendor's documentation (seed 002, VENDORS.md "FUJITSU"), not the SDK's
 * assumptions:
 * - `POST /v3/auth/tokens`: password login, `201` with the token in `X-Subject-Token`, tokens that
 *   expire, and the lockout after five failed logins in fifteen minutes; Keystone's `{ error }` bodies;
 * - `GET /v1.0/{tenantId}/events`: `X-Auth-Token` checked (`401`), a token of another project `403`, an
 *   unknown tenant `404`, bad parameters `400`; the last `duration` minutes (default 60) when no
 *   `startTime`/`endTime` is given; newest first; `limit` 20 to 100 (default 20); `marker` inclusive or
 *   exclusive; many events in one second; dates with or without a zone; categories as an array or a
 *   string;
 * - errors as OpenStack services write them, `{ "itemNotFound": { "message", "code" } }`, with an
 *   `X-Openstack-Request-Id` on every answer;
 * - no published rate limit, but one can be set, answered with `429` and `Retry-After`.
 */
import { isRecord } from '../../core/config.js';
import { requireHeader } from '../../testing/auth.js';
import { defineEmulator } from '../../testing/define.js';
import { listOf, milliseconds, oneOf, rateLimit } from '../../testing/option-rules.js';
import { queryInt, queryList, queryString, queryTime } from '../../testing/query.js';
import { EmulatorHttpError, json, reasonPhrase } from '../../testing/responses.js';
import { createRouter, type RouteRequest } from '../../testing/router.js';
import type { Rng } from '../../testing/rng.js';
import type { EmulatorContext, EmulatorRateLimit } from '../../testing/types.js';
import { createWindowLimiter, type WindowLimiter } from '../../testing/window-limiter.js';
import { KeystoneState, type KeystoneUser } from './emulator-keystone.js';
import {
  FujitsuEventStore,
  serveEvent,
  SOURCE_TYPES,
  type CategoriesStyle,
  type DateStyle,
  type MarkerMode,
} from './emulator-store.js';

export type { KeystoneUser } from './emulator-keystone.js';
export type { CategoriesStyle, DateStyle, FujitsuEventStore, MarkerMode, NewEvent, StoredEvent } from './emulator-store.js';

/** The project (tenant) the emulator serves; K5 project ids are 32 hexadecimal digits. */
export const DEFAULT_FUJITSU_TENANT = '5f1b9c3e7a2d4e6f8091a2b3c4d5e6f7';
/** A second tenant, for `403`: the default credentials are not scoped to it. */
export const OTHER_FUJITSU_TENANT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
/** The user most tests and the example log in as. */
export const DEFAULT_FUJITSU_USER: KeystoneUser = {
  userName: 'dbaas-reader',
  password: 'k5-emulator-password-3e9a',
  domainName: 'contract-kx1234',
  projectId: DEFAULT_FUJITSU_TENANT,
};
/** A pre-issued token scoped to the default tenant that never expires. */
export const DEFAULT_FUJITSU_TOKEN = 'gAAAAAemulator-token-7c41d0b9';

export interface FujitsuEmulatorOptions {
  /**
   * Keystone users allowed to log in.
   * @default [DEFAULT_FUJITSU_USER]
   * @example { users: [{ userName: 'collector', password: 'secret', domainName: 'contract-kx1234', projectId: DEFAULT_FUJITSU_TENANT }] }
   */
  users?: KeystoneUser[] | undefined;
  /**
   * Pre-issued tokens scoped to the default tenant, for clients given a `token` directly.
   * @default [DEFAULT_FUJITSU_TOKEN]
   * @example { tokens: ['gAAAAAmy-test-token'] }
   */
  tokens?: string[] | undefined;
  /**
   * Lifetime of a token issued by a login, in milliseconds of the emulator clock.
   * @default 3_600_000
   * @example { tokenTtl: 120_000 }
   */
  tokenTtl?: number | undefined;
  /**
   * Whether events dated exactly at `marker` are returned again. Undocumented; both exist.
   * @default 'inclusive'
   * @example { marker: 'exclusive' }
   */
  marker?: MarkerMode | undefined;
  /**
   * How `date` is written: `'zoneless'` as in the seed (`2013-03-18T19:09:17`), `'utc'` with `Z`,
   * `'millis'` with milliseconds and `Z`.
   * @default 'zoneless'
   * @example { dates: 'utc' }
   */
  dates?: DateStyle | undefined;
  /**
   * `eventCategories` as an array (the seed's example), a string (its documentation), or `'mixed'`.
   * @default 'array'
   * @example { categories: 'mixed' }
   */
  categories?: CategoriesStyle | undefined;
  /**
   * A server-side limit per token, or `false`; FUJITSU publishes none.
   * @default false
   * @example { requests: 10, interval: 1_000 }
   */
  rateLimit?: EmulatorRateLimit | false | undefined;
}

export interface FujitsuEmulatorStore {
  /** The event notifications, by tenant. */
  readonly events: FujitsuEventStore;
  /** Users, tokens, failed logins and lockouts. */
  readonly keystone: KeystoneState;
  /** The server-side limiter, when `rateLimit` is set. */
  readonly limiter: WindowLimiter | undefined;
}

type Context = EmulatorContext<FujitsuEmulatorStore, FujitsuEmulatorOptions>;

/** OpenStack fault names by status, as Trove-style services write them (seed 002, "Response Headers"). */
const FAULTS: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  413: 'overLimit',
  422: 'unprocessableEntity',
  429: 'overLimit',
  500: 'instanceFault',
  501: 'notImplemented',
  503: 'serviceUnavailable',
  504: 'gatewayTimeout',
};

const REQUEST_ID = 'X-Openstack-Request-Id';

/**
 * `{ "<fault>": { "message", "code" } }`, the DBaaS error body; Keystone answers its own requests
 * (the identity host, and `/v3/` where one server serves both) in its own shape, faults included.
 */
export function fujitsuErrorResponse(status: number, message: string, headers: Record<string, string>, request: Request, rng: Rng): Response {
  if (isKeystoneRequest(request)) return keystoneErrorResponse(status, message, headers, rng);
  const fault = FAULTS[status] ?? 'computeFault';
  return json({ [fault]: { message, code: status } }, { status, headers: { [REQUEST_ID]: requestId(rng), ...headers } });
}

/**
 * The id of one answer, drawn from the emulator's seeded stream of answers: the same in every run of a
 * seed, whichever adapter serves it.
 */
function requestId(rng: Rng): string {
  return `req-${rng.uuid()}`;
}

/** Under the service's own names the host says which service answers; one server elsewhere serves Keystone under `/v3/`. */
function isKeystoneRequest(request: Request): boolean {
  const url = new URL(request.url);
  if (url.hostname.endsWith('.cloud.global.fujitsu.com')) return url.hostname.startsWith('identity.');
  return url.pathname.startsWith('/v3/');
}

/** Keystone's own error body: `{ "error": { "code", "title", "message" } }`. */
function keystoneErrorResponse(status: number, message: string, headers: Record<string, string>, rng: Rng): Response {
  return json({ error: { code: status, title: reasonPhrase(status), message } }, { status, headers: { [REQUEST_ID]: requestId(rng), ...headers } });
}

const isText = (value: unknown): boolean => typeof value === 'string' && value !== '';

/**
 * Under the service's own names identity and database are two hosts (VENDORS.md "FUJITSU"): a login
 * sent to the database host, or a listing sent to the identity host, finds nothing there. Other hosts
 * (the real server on 127.0.0.1) serve both.
 */
function requireHost(route: RouteRequest<Context>, service: 'identity' | 'database'): void {
  const host = new URL(route.request.url).hostname;
  if (host.endsWith('.cloud.global.fujitsu.com') && !host.startsWith(`${service}.`)) {
    throw new EmulatorHttpError(404, `The resource could not be found on ${host}.`);
  }
}

async function login(route: RouteRequest<Context>): Promise<Response> {
  requireHost(route, 'identity');
  const { keystone } = route.context.store;
  // Its refusals reach `fujitsuErrorResponse`, which answers a Keystone request in Keystone's shape.
  let body: unknown;
  try {
    body = await route.request.json();
  } catch {
    throw new EmulatorHttpError(400, 'The request body is not valid JSON.');
  }
  const { token, grant, issuedAt } = keystone.login(body);
  const iso = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');
  return json(
    {
      token: {
        methods: ['password'],
        expires_at: iso(grant.expiresAt),
        issued_at: iso(issuedAt),
        // The user's own domain: the default user's, named for every user, told another contract's
        // user that it belonged to the default contract.
        user: { name: grant.userName, domain: { name: grant.domain?.name, ...(grant.domain?.id === undefined ? {} : { id: grant.domain.id }) } },
        project: { id: grant.projectId },
      },
    },
    { status: 201, headers: { 'X-Subject-Token': token, [REQUEST_ID]: requestId(route.context.rng) } },
  );
}

function listEvents(route: RouteRequest<Context>): Response {
  requireHost(route, 'database');
  const { context, query } = route;
  const { store, options, clock } = context;
  const token = requireHeader(route.request, 'X-Auth-Token', () => true);
  const grant = store.keystone.verify(token);
  const verdict = store.limiter?.check(token);
  if (verdict !== undefined && !verdict.ok) {
    throw new EmulatorHttpError(429, 'This request was rate-limited.', { 'Retry-After': String(verdict.retryAfterSeconds) });
  }
  const tenantId = route.params['tenantId'] ?? '';
  if (!store.events.hasTenant(tenantId)) throw new EmulatorHttpError(404, `Tenant ${tenantId} could not be found.`);
  if (grant.projectId !== tenantId) throw new EmulatorHttpError(403, 'The token is not scoped to this project.');

  const limit = queryInt(query, 'limit', { default: 20, min: 20, max: 100 });
  const duration = queryInt(query, 'duration', { default: 60, min: 1 });
  const end = queryTime(query, 'endTime') ?? clock.now();
  const start = queryTime(query, 'startTime') ?? end - duration * 60_000;
  if (start > end) throw new EmulatorHttpError(400, 'startTime must not be after endTime.');
  const sourceType = queryString(query, 'sourceType');
  if (sourceType !== undefined && !(SOURCE_TYPES as readonly string[]).includes(sourceType)) {
    throw new EmulatorHttpError(400, `Invalid sourceType: must be one of ${SOURCE_TYPES.join(', ')}.`);
  }
  const events = store.events.list(
    tenantId,
    {
      start,
      end,
      // The seed spells the parameter `eventCategories.`; both spellings are read.
      categories: [...queryList(query, 'eventCategories'), ...queryList(query, 'eventCategories.')],
      sourceType,
      sourceId: queryString(query, 'sourceId'),
      limit,
      marker: queryTime(query, 'marker'),
      now: clock.now(),
    },
    options.marker ?? 'inclusive',
  );
  const dates = options.dates ?? 'zoneless';
  const categories = options.categories ?? 'array';
  return json(
    { events: events.map((event) => serveEvent(event, dates, categories)) },
    { headers: { [REQUEST_ID]: requestId(context.rng) } },
  );
}

const router = createRouter<Context>()
  .post('/v3/auth/tokens', login)
  .get('/v1.0/:tenantId/events', listEvents);

/** The FUJITSU emulator definition, for `createEmulator('fujitsu')` and the registry. */
export const fujitsuEmulator = defineEmulator<FujitsuEmulatorStore, FujitsuEmulatorOptions>({
  provider: 'fujitsu',
  baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com',
  options: {
    users: listOf(
      (user) => isRecord(user) && isText(user.userName) && isText(user.password) && isText(user.domainName) && isText(user.projectId),
      'a list of { userName, password, domainName, projectId }',
    ),
    // A string would be read letter by letter, each letter a token.
    tokens: listOf(isText, 'a list of non-empty strings'),
    tokenTtl: milliseconds,
    marker: oneOf('inclusive', 'exclusive'),
    dates: oneOf('zoneless', 'utc', 'millis'),
    categories: oneOf('array', 'string', 'mixed'),
    rateLimit,
  },
  // VENDORS.md: the token comes from the region's identity host, the events from its database host.
  companions: (base) => (base.hostname.startsWith('database.') ? [`${base.protocol}//identity.${base.host.slice('database.'.length)}`] : []),
  createStore({ options, rng }) {
    const now = () => options.clock.now();
    const events = new FujitsuEventStore(rng.fork());
    events.seed(DEFAULT_FUJITSU_TENANT, options.events, now());
    events.seed(OTHER_FUJITSU_TENANT, Math.min(options.events, 5), now());
    const keystone = new KeystoneState({
      users: options.users ?? [DEFAULT_FUJITSU_USER],
      tokenTtlMs: options.tokenTtl ?? 3_600_000,
      now,
      rng: rng.fork(),
    });
    for (const token of options.tokens ?? [DEFAULT_FUJITSU_TOKEN]) keystone.issue(token, DEFAULT_FUJITSU_TENANT);
    const limit = options.rateLimit;
    const limiter = limit ? createWindowLimiter({ ...limit, clock: options.clock }) : undefined;
    return { events, keystone, limiter };
  },
  handle: (request, context) => router.handle(request, context),
  errorResponse: fujitsuErrorResponse,
});

/**
 * The environment `examples/fujitsu.ts` reads, for a running emulator at `url` (which serves both the
 * database API and Keystone).
 * @example const lines = await main(fujitsuDemoEnv(server.url)); // `main` of examples/fujitsu.ts
 */
export function demoEnv(url: string): Record<string, string> {
  return {
    TRIBUTARY_FUJITSU_BASE_URL: url,
    TRIBUTARY_FUJITSU_TENANT_ID: DEFAULT_FUJITSU_TENANT,
    TRIBUTARY_FUJITSU_IDENTITY__URL: url,
    TRIBUTARY_FUJITSU_IDENTITY__USER_NAME: DEFAULT_FUJITSU_USER.userName,
    TRIBUTARY_FUJITSU_IDENTITY__PASSWORD: DEFAULT_FUJITSU_USER.password,
    TRIBUTARY_FUJITSU_IDENTITY__DOMAIN_NAME: DEFAULT_FUJITSU_USER.domainName,
  };
}
