/**
 * A stateful emulator of the Socotra Events API (seed 000, VENDORS.md "Socotra"), for tests and demos.
 *
 * It follows the vendor's documented behaviour, not the SDK's assumptions:
 * - `Authorization: Bearer <token>`: 401 without a valid token; 400 for a tenant locator that is not a
 *   UUID, 403 for a tenant the token does not belong to, and for resume/delete with a token lacking the
 *   `events` `write` permission;
 * - the event stream in order of completion, `pagingToken` on every page, the end as an empty `events`
 *   array, tokens that never expire; 400 for a token combined with filters, a token it did not issue or
 *   a bad value. Every parameter is optional in the seed, so a first request without a filter is served
 *   from the start of the stream (50 events a page when `pageSize` is absent: the seed gives no default);
 *   `startTimestamp` and `endTimestamp` are inclusive, a zone-less time UTC;
 * - failed scheduled jobs paged by `offset`/`count`, resumed or deleted by `{ triggerName, triggerGroup }`
 *   (404 for an unknown one);
 * - no published rate limit: none by default, a per-token window (429 with `Retry-After`) when
 *   `rateLimit` is given;
 * - error bodies in two shapes (no schema is documented): Spring-style JSON, or plain text; every answer
 *   but an injected fault carries an `X-Request-Id`.
 */
import type { Clock } from '../../core/clock.js';
import { requireBearer } from '../../testing/auth.js';
import { defineEmulator } from '../../testing/define.js';
import { boolean, custom, integer, oneOf, rateLimit, secret, time } from '../../testing/option-rules.js';
import { EmulatorHttpError, json, reasonPhrase, text } from '../../testing/responses.js';
import type { Rng } from '../../testing/rng.js';
import type { EmulatorContext, EmulatorRateLimit } from '../../testing/types.js';
import { withRequestId } from '../../testing/request-id.js';
import { decodedSegment } from '../../testing/router.js';
import { createWindowLimiter, type WindowLimiter } from '../../testing/window-limiter.js';
import { isoTime } from '../../testing/query.js';
import { generateSocotraFixtures } from './emulator-fixtures.js';
import { createSocotraRouter } from './emulator-routes.js';
import { SocotraStore } from './emulator-store.js';

export { SocotraStore } from './emulator-store.js';
export type { EmulatedEvent, EmulatedFailedJob, EmulatedScheduledEvent, NewEvent } from './emulator-store.js';

/** The emulated tenant, unless `tenantLocator` says otherwise. */
export const SOCOTRA_EMULATOR_TENANT = '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90';
/** The token with read and write permissions, unless `token` says otherwise. */
export const SOCOTRA_EMULATOR_TOKEN = 'socotra-emulator-token-rw';
/** A token with read and list permissions only. */
export const SOCOTRA_EMULATOR_READ_ONLY_TOKEN = 'socotra-emulator-token-ro';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SocotraEmulatorOptions {
  /**
   * The tenant the tokens belong to; any other tenant locator answers `403`.
   * @default SOCOTRA_EMULATOR_TENANT
   * @example { tenantLocator: '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90' }
   */
  tenantLocator?: string | undefined;
  /**
   * The token with the `events` read, list and write permissions.
   * @default SOCOTRA_EMULATOR_TOKEN
   * @example { token: 'my-test-token' }
   */
  token?: string | undefined;
  /**
   * A token with read and list only: resume and delete answer `403`.
   * @default SOCOTRA_EMULATOR_READ_ONLY_TOKEN
   * @example { readOnlyToken: 'my-read-only-token' }
   */
  readOnlyToken?: string | undefined;
  /**
   * Policies with scheduled events.
   * @default 3
   * @example { policies: 10 }
   */
  policies?: number | undefined;
  /**
   * Failed scheduled jobs.
   * @default 30
   * @example { failedJobs: 0 }
   */
  failedJobs?: number | undefined;
  /**
   * Where the generated stream starts (RFC 3339 or epoch milliseconds): the first call completes 1 to 60
   * seconds after it, and a call that completes late carries a `timestamp` up to 10 minutes earlier.
   * @default '2026-11-01T00:00:00.000Z'
   * @example { start: '2026-12-01T00:00:00Z' }
   */
  start?: string | number | undefined;
  /**
   * A server-side limit per token. Socotra publishes none, so there is none by default.
   * @default false
   * @example { requests: 20, interval: 1_000 }
   */
  rateLimit?: EmulatorRateLimit | false | undefined;
  /**
   * The shape of error bodies: `{ timestamp, status, error, message }` JSON, or the message as plain
   * text; tenants answer both ways.
   * @default 'json'
   * @example { errorFormat: 'text' }
   */
  errorFormat?: 'json' | 'text' | undefined;
  /**
   * `true`: a page asked with a `pagingToken` comes back with that same token, its events served again
   * on every ask, as a stalled tenant or a caching proxy answers (VENDORS.md: never loop forever on the
   * same cursor). The first request, without a token, still moves on.
   * @default false
   * @example { stuckToken: true }
   */
  stuckToken?: boolean | undefined;
}

/**
 * The Spring-style JSON error body; `message` is what the SDK surfaces as `vendorMessage`. Its
 * `timestamp` is the emulator clock's, as every other time it answers.
 */
function jsonError(status: number, message: string, headers: Record<string, string>, _request: Request, _rng: Rng, clock: Clock): Response {
  return json({ timestamp: new Date(clock.now()).toISOString(), status, error: reasonPhrase(status), message }, { status, headers });
}

const DEFAULT_START = '2026-11-01T00:00:00.000Z';

function startTime(start: string | number | undefined): number {
  return typeof start === 'number' ? start : isoTime(start ?? DEFAULT_START);
}

/** One limiter per store, so `reset()` (which rebuilds the store) also forgets the window. */
const limiters = new WeakMap<SocotraStore, WindowLimiter>();

type Context = EmulatorContext<SocotraStore, SocotraEmulatorOptions>;

function admit(token: string, context: Context): void {
  const limit = context.options.rateLimit;
  if (limit === undefined || limit === false) return;
  let limiter = limiters.get(context.store);
  if (limiter === undefined) {
    limiter = createWindowLimiter({ ...limit, clock: context.clock });
    limiters.set(context.store, limiter);
  }
  const verdict = limiter.check(token);
  if (!verdict.ok) {
    throw new EmulatorHttpError(429, 'Too many requests', { 'Retry-After': String(verdict.retryAfterSeconds) });
  }
}

const router = createSocotraRouter();

async function handle(request: Request, context: Context): Promise<Response> {
  const { options } = context;
  const writer = options.token ?? SOCOTRA_EMULATOR_TOKEN;
  const reader = options.readOnlyToken ?? SOCOTRA_EMULATOR_READ_ONLY_TOKEN;
  const token = requireBearer(request, [writer, reader]);
  admit(token, context);
  const tenant = /^\/event\/([^/]*)\//.exec(new URL(request.url).pathname)?.[1];
  if (tenant !== undefined) {
    const decoded = decodedSegment(tenant);
    if (!UUID.test(decoded)) throw new EmulatorHttpError(400, `Invalid tenantLocator: ${decoded}`);
    if (decoded.toLowerCase() !== (options.tenantLocator ?? SOCOTRA_EMULATOR_TENANT).toLowerCase()) {
      throw new EmulatorHttpError(403, `Access to tenant ${decoded} is denied`);
    }
  }
  return router.handle(request, { store: context.store, canWrite: token === writer, stuckToken: options.stuckToken === true });
}

/**
 * Adds the `X-Request-Id` every answer carries (the id a support ticket quotes), and answers errors as
 * plain text when `errorFormat` is `'text'` (faults keep the JSON shape).
 */
const handleWithRequestId = withRequestId(
  handle,
  'X-Request-Id',
  (context: Context) => context.rng.ulid(context.clock.now()),
  (error, headers, context) => (context.options.errorFormat === 'text' ? text(error.message, { status: error.status, headers }) : undefined),
);

/**
 * The environment `examples/socotra.ts` reads, pointing at a running emulator.
 * @example const lines = await main(socotraDemoEnv(server.url)); // `main` of examples/socotra.ts
 */
export function demoEnv(baseUrl: string, options: SocotraEmulatorOptions = {}): Record<string, string> {
  return {
    TRIBUTARY_SOCOTRA_BASE_URL: baseUrl,
    TRIBUTARY_SOCOTRA_TENANT_LOCATOR: options.tenantLocator ?? SOCOTRA_EMULATOR_TENANT,
    TRIBUTARY_SOCOTRA_TOKEN: options.token ?? SOCOTRA_EMULATOR_TOKEN,
  };
}

/**
 * The Socotra emulator definition.
 * @example
 * const emulator = socotraEmulator.create({ seed: 7, events: 120 });
 * const server = await emulator.listen();
 * const client = socotra({ baseUrl: server.url, tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN });
 */
export const socotraEmulator = defineEmulator<SocotraStore, SocotraEmulatorOptions>({
  provider: 'socotra',
  baseUrl: 'https://api-ec-sandbox.socotra.com',
  options: {
    tenantLocator: custom((value) => typeof value === 'string' && UUID.test(value), 'a UUID', true),
    token: secret,
    readOnlyToken: secret,
    policies: integer(0),
    failedJobs: integer(0),
    start: time(true),
    rateLimit,
    errorFormat: oneOf('json', 'text'),
    stuckToken: boolean,
  },
  createStore({ options, rng }) {
    const start = startTime(options.start);
    const store = new SocotraStore(rng.fork(), options.clock.now);
    generateSocotraFixtures(store, { events: options.events, policies: options.policies ?? 3, failedJobs: options.failedJobs ?? 30, start }, rng);
    return store;
  },
  handle: handleWithRequestId,
  errorResponse: jsonError,
});
