/**
 * A stateful emulator of the Cloud Integration Hub Events REST API. It follows the vendor's
 * documentation (seed 004, VENDORS.md "Informatica"), not the SDK's assumptions:
 * - `POST /dih-console/api/v1/events` with the JSON search body: upper-case enums checked (400),
 *   `timeframe` defaulting to `LAST_24_HOURS`, relative ranges evaluated at each request (so they move
 *   while a client pages), `CUSTOM` with `yyyy-MM-ddTHH:mm:ss.SSSZ` dates, `firstResult`/`maxResults`
 *   (default 2000), newest first, events kept about three months;
 * - `GET /dih-console/api/v1/event/{eventId}` (404 for an unknown id or one past the retention, 400 for
 *   one that is not a Long);
 * - HTTP Basic (401), users without the Cloud Integration Hub privilege (403);
 * - 5 requests per minute for the organization (all users together), answered with `429` and
 *   `Retry-After: <seconds>`, on the clock's time scale;
 * - `descendantState` kept as the cumulative status of the children as they are added and change;
 * - child events nested recursively with `parentEventId`, and the response forms the vendor documents
 *   mixed: a bare object for a single match, `eventHistory` as an object or a list, `runID`/`runId`;
 * - errors as IICS REST API v3 objects, `{ "error": { "code", "message", "requestId", "details" } }`,
 *   each with a request id of its own.
 */
import { isRecord } from '../../core/config.js';
import { requireBasic } from '../../testing/auth.js';
import { defineEmulator } from '../../testing/define.js';
import { listOf, oneOf, rateLimit } from '../../testing/option-rules.js';
import { EmulatorHttpError, json, reasonPhrase } from '../../testing/responses.js';
import { createRouter, type RouteRequest } from '../../testing/router.js';
import type { Rng } from '../../testing/rng.js';
import type { EmulatorContext, EmulatorRateLimit, ResolvedEmulatorOptions } from '../../testing/types.js';
import { createWindowLimiter, type WindowLimiter } from '../../testing/window-limiter.js';
import { InformaticaStore, RETENTION_MS, type StoredEvent } from './emulator-store.js';
import { parseSearchBody, renderEvent, renderSearch, type ResponseForms } from './emulator-wire.js';
import { timeZonesRule, type TimeZoneStyle } from '../../testing/zoned-time.js';

export { InformaticaStore, type NewEvent, type StoredEvent } from './emulator-store.js';

/** An IICS user the emulated organization knows. */
export interface InformaticaUser {
  /**
   * The IICS user name: the HTTP Basic user.
   * @example { user: 'ops@example.com', password: 'secret' }
   */
  user: string;
  /**
   * The user's password: the HTTP Basic password.
   * @example { user: 'ops@example.com', password: 'secret' }
   */
  password: string;
  /**
   * Whether the user holds the Cloud Integration Hub privilege; without it every call answers `403`.
   * @default true
   * @example { user: 'viewer@example.com', password: 'secret', permitted: false }
   */
  permitted?: boolean | undefined;
}

/** The user of the seed page's example request. */
export const DEFAULT_INFORMATICA_USER = { user: 'Administrator@MyCompany.com', password: 'MyPassword' } as const;

export interface InformaticaEmulatorOptions {
  /**
   * Accepted users.
   * @default [DEFAULT_INFORMATICA_USER, { user: 'viewer@MyCompany.com', password: 'ViewerPass', permitted: false }]
   * @example { users: [{ user: 'ops@example.com', password: 'secret' }] }
   */
  users?: readonly InformaticaUser[] | undefined;
  /**
   * The server-side limit of the organization (every user's requests together), or `false` for none.
   * @default { requests: 5, interval: 60_000 } (the vendor's published limit)
   * @example { rateLimit: false }
   */
  rateLimit?: EmulatorRateLimit | false | undefined;
  /**
   * `'mixed'`: every response form the vendor documents. `'list'`: always a list, `eventHistory` always a
   * list, always `runId`, always milliseconds.
   * @default 'mixed'
   * @example { responseForms: 'list' }
   */
  responseForms?: ResponseForms | undefined;
  /**
   * How `createTime`, `completionTime` and `eventHistory` times are zoned: `'utc'` always with `Z`, or
   * `'mixed'`, by event, with `Z`, without a zone (UTC) or at `+01:00`, as VENDORS.md says responses
   * come; an event read again is written the same way.
   * @default 'utc'
   * @example { timeZones: 'mixed' }
   */
  timeZones?: TimeZoneStyle | undefined;
}

/** The emulator's state: the events and the organization's request window. */
export interface InformaticaEmulatorState {
  readonly events: InformaticaStore;
  readonly limiter: WindowLimiter | undefined;
}

type Context = EmulatorContext<InformaticaEmulatorState, InformaticaEmulatorOptions>;

const DEFAULT_USERS: readonly InformaticaUser[] = [
  DEFAULT_INFORMATICA_USER,
  { user: 'viewer@MyCompany.com', password: 'ViewerPass', permitted: false },
];

const BASE = '/dih-console/api/v1';

/** The vendor's error codes, by status (`TOO_MANY_REQUESTS` is the seed's own name). */
const ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  429: 'TOO_MANY_REQUESTS',
};

const router = createRouter<Context>()
  .post(`${BASE}/events`, async (route) => {
    authorize(route);
    requireJsonBody(route.request);
    requireJsonAnswer(route.request);
    const body = await readJson(route.request);
    const now = route.context.clock.now();
    const parsed = parseSearchBody(body, now);
    if (!parsed.ok) throw new EmulatorHttpError(400, parsed.message);
    const { events } = route.context.store;
    return json(renderSearch(events.search(parsed.criteria, now), events, forms(route.context), zones(route.context)));
  })
  .get(`${BASE}/event/:eventId`, (route) => {
    authorize(route);
    requireJsonAnswer(route.request);
    const raw = route.params['eventId'] ?? '';
    // A `Long`: up to 9223372036854775807. Stored ids are safe integers, so a larger one is not found.
    if (!/^\d{1,19}$/.test(raw) || BigInt(raw) > 9_223_372_036_854_775_807n) throw new EmulatorHttpError(400, `Invalid eventId: ${raw}`);
    const { events } = route.context.store;
    const id = BigInt(raw);
    const event = id <= BigInt(Number.MAX_SAFE_INTEGER) ? events.get(Number(id)) : undefined;
    // Past the retention a search no longer finds it, nor does its id.
    if (!event || event.createTime < route.context.clock.now() - RETENTION_MS) throw new EmulatorHttpError(404, `Event ${raw} not found`);
    return json(renderEvent(event, events, forms(route.context), zones(route.context)));
  });

export const informaticaEmulator = defineEmulator<InformaticaEmulatorState, InformaticaEmulatorOptions>({
  provider: 'informatica',
  baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com',
  options: {
    users: listOf(
      (entry) => isRecord(entry) && typeof entry.user === 'string' && entry.user !== '' && typeof entry.password === 'string',
      'a non-empty list of { user, password }',
      1,
    ),
    rateLimit,
    responseForms: oneOf('mixed', 'list'),
    timeZones: timeZonesRule,
  },
  createStore: ({ options, rng }) => createState(options, rng),
  handle: (request, context) => router.handle(request, context),
  errorResponse: (status, message, headers, _request, rng) =>
    json(
      {
        error: {
          code: ERROR_CODES[status] ?? reasonPhrase(status).toUpperCase().replace(/ /g, '_'),
          message,
          requestId: requestId(rng),
          details: null,
        },
      },
      { status, headers },
    ),
});

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * An IICS request id: 22 letters and digits, as the vendor's example error object shows
 * (`9hr8e2ObIcChbwYftgDui7`). IICS sends it in the error body only, in no header.
 * https://docs.informatica.com/integration-cloud/cloud-platform/current-version/rest-api-reference/informatica-intelligent-cloud-services-rest-api/error-object.html
 */
function requestId(rng: Rng): string {
  return Array.from({ length: 22 }, () => ID_ALPHABET[rng.int(0, ID_ALPHABET.length - 1)]).join('');
}

/**
 * The environment `examples/informatica.ts` reads, pointing at a running emulator.
 * @example const env = informaticaDemoEnv(server.url)
 */
export function demoEnv(url: string): Record<string, string> {
  return {
    TRIBUTARY_INFORMATICA_BASE_URL: url,
    TRIBUTARY_INFORMATICA_USERNAME: DEFAULT_INFORMATICA_USER.user,
    TRIBUTARY_INFORMATICA_PASSWORD: DEFAULT_INFORMATICA_USER.password,
  };
}

/** Basic credentials (401), then the organization's request window (429), then the privilege (403). */
function authorize({ request, context }: RouteRequest<Context>): void {
  const users = context.options.users ?? DEFAULT_USERS;
  const user = requireBasic(request, users.map(({ user: name, password }) => ({ user: name, password })), 'Informatica');
  // The limit is the organization's, every user's requests together (seed 004: "the allowed limit for
  // your organization"); the emulator serves one organization.
  const verdict = context.store.limiter?.check('organization');
  if (verdict && !verdict.ok) {
    throw new EmulatorHttpError(429, 'The number of requests exceeded the allowed limit for your organization', {
      'Retry-After': String(verdict.retryAfterSeconds),
    });
  }
  if (users.find((entry) => entry.user === user)?.permitted === false) {
    throw new EmulatorHttpError(403, `User ${user} does not have the privilege to access Cloud Integration Hub events`);
  }
}

function requireJsonBody(request: Request): void {
  // Seed 004: "Include the following headers ... Content-Type: application/json". A body of another
  // type, or of none, is refused as a Java service refuses it (Spring answers 415).
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new EmulatorHttpError(415, `Content-Type '${type ?? ''}' is not supported; send application/json`);
  }
}

/**
 * Seed 004 asks for `Accept: application/json` too: the service answers only JSON, so an `Accept` that
 * rules it out is refused as Spring refuses it (406); no `Accept` takes any form.
 */
function requireJsonAnswer(request: Request): void {
  const accept = request.headers.get('accept');
  if (accept === null || accept.trim() === '') return;
  const json = accept.split(',').some((range) => {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const refused = parameters.some((parameter) => /^q=0(?:\.0{0,3})?$/.test(parameter.replace(/\s/g, '')));
    return !refused && (type === 'application/json' || type === 'application/*' || type === '*/*');
  });
  if (!json) throw new EmulatorHttpError(406, `No acceptable representation for Accept '${accept}'; the answer is application/json`);
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EmulatorHttpError(400, 'Malformed JSON request body');
  }
}

function forms(context: Context): ResponseForms {
  return context.options.responseForms ?? 'mixed';
}

function zones(context: Context): TimeZoneStyle {
  return context.options.timeZones ?? 'utc';
}

function createState(options: ResolvedEmulatorOptions & InformaticaEmulatorOptions, rng: Rng): InformaticaEmulatorState {
  const events = new InformaticaStore();
  generate(events, rng, options.events, options.clock.now());
  const limit = options.rateLimit ?? { requests: 5, interval: 60_000 };
  const limiter = limit === false ? undefined : createWindowLimiter({ ...limit, clock: options.clock });
  return { events, limiter };
}

const STATUSES = ['Complete', 'Complete', 'Complete', 'Error', 'Processing', 'Delayed', 'Pending', 'Discarded'];
const APPLICATIONS = ['DI_App', 'API_App', 'Billing_App'];
const TOPICS = ['DI_Topic', 'APIT', 'Orders'];

/**
 * `count` top-level events over the last 23 hours (inside the default `LAST_24_HOURS`), publications
 * with zero to three subscription children and a few unbound subscriptions; a quarter on whole seconds.
 */
function generate(store: InformaticaStore, rng: Rng, count: number, now: number): void {
  const times = Array.from({ length: count }, () => {
    const time = now - rng.int(1_000, 23 * 3_600_000);
    return rng.chance(0.25) ? time - (time % 1000) : time;
  }).sort((a, b) => a - b);
  for (const createTime of times) {
    const applicationName = rng.pick(APPLICATIONS);
    const topicName = rng.pick(TOPICS);
    const unbound = rng.chance(0.15);
    const root = store.add(
      {
        createTime,
        applicationName,
        topicName,
        eventType: unbound ? 'UNBOUND_SUBSCRIPTION' : 'PUBLICATION',
        pubSubName: `${topicName}_${unbound ? 'Sub' : 'Pub'}`,
        eventStatus: rng.pick(STATUSES),
        ...counts(rng),
      },
      now,
    );
    const children = unbound ? 0 : rng.int(0, 3);
    for (let i = 0; i < children; i += 1) {
      const child: StoredEvent = store.add(
        {
          parentEventId: root.eventId,
          createTime: Math.min(now, createTime + rng.int(1, 60_000)),
          applicationName,
          topicName,
          eventType: 'SUBSCRIPTION',
          pubSubName: `${topicName}_Sub${i + 1}`,
          eventStatus: rng.pick(STATUSES),
          ...counts(rng),
        },
        now,
      );
    }
  }
}

function counts(rng: Rng): Pick<StoredEvent, 'sourceSuccessCount' | 'sourceFailedCount' | 'targetSuccessCount' | 'targetFailedCount'> {
  const source = rng.int(0, 500);
  const failed = rng.chance(0.2) ? rng.int(1, 10) : 0;
  return { sourceSuccessCount: source, sourceFailedCount: failed, targetSuccessCount: source, targetFailedCount: failed };
}
