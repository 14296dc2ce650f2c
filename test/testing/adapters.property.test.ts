/**
 * The three adapters of `tributary/testing` (the in-process `fetch`, msw handlers, the real server on
 * 127.0.0.1) answer alike, for every vendor: a user's test must not pass against one and fail against
 * another, or against production.
 *
 * For each vendor and seed, three emulators built alike (same seed, one clock) each get the same
 * seeded random sequence of raw requests, sent with plain `fetch` so that odd requests are possible:
 * valid and invalid credentials, every endpoint with valid and invalid query parameters and path
 * values (escapes, malformed escapes, unicode, long values, repeated parameters), HEAD and other
 * methods, bodies of every kind, `Accept-Encoding` variants, faults added and removed on the way, and
 * the clock moved between requests. After each request the three outcomes must be equal:
 * - a rejection: its error's name and `cause.code`;
 * - an answer: status, status text, every header but the framing of the connection (below), and the
 *   body's bytes as decoded by fetch, up to a failure of the read (its name and `cause.code`);
 * - what the emulator recorded: method, URL, body and the headers the test set.
 * The origin (msw's vendor URL, the server's `http://127.0.0.1:<port>`) is replaced by a placeholder
 * where an answer names it (Illumio's `Location`, Tines' page links).
 *
 * Not compared: `connection`, `keep-alive` and `transfer-encoding` (how the socket frames the answer;
 * an in-process answer has no connection), nor the `content-length: 0` node adds to an empty answer.
 * Headers undici adds to a request on the wire (`accept`, `user-agent`, `accept-encoding`, ...) are not
 * compared in the records: the in-process adapters never see them; nor is an empty query's `?`, which
 * Node 20's fetch drops and Node 24's sends. Not sent: URLs over node's 16 KiB header limit (431 from
 * node, answered in process).
 *
 * What msw's interceptor does on its own, past the kit's adapter, is allowed for or not sent: the bytes
 * of a body cut short before its read fails (msw delivers none), its own decoding errors, its
 * `Failed to fetch` for a reset, and redirects it follows unlike fetch (without a `Location`, of a
 * request with a body, of a PUT, beyond 20).
 *
 * Then random listings through each vendor's SDK client, one per adapter: the same events, the same
 * cursors, or the same error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import type { Clock } from '../../src/core/clock.js';
import type { ProviderName } from '../../src/core/errors.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { tines } from '../../src/providers/tines/index.js';
import {
  createEmulator,
  DEFAULT_FUJITSU_TENANT,
  DEFAULT_FUJITSU_TOKEN,
  DEFAULT_FUJITSU_USER,
  DEFAULT_ILLUMIO_CREDENTIAL,
  DEFAULT_INFORMATICA_USER,
  DEFAULT_TINES_CREDENTIAL,
  OTHER_FUJITSU_TENANT,
  READ_ONLY_ILLUMIO_CREDENTIAL,
  READ_ONLY_TINES_CREDENTIAL,
  SOCOTRA_EMULATOR_READ_ONLY_TOKEN,
  SOCOTRA_EMULATOR_TENANT,
  SOCOTRA_EMULATOR_TOKEN,
  type Emulator,
  type EmulatorServer,
  type FaultSpec,
} from '../../src/testing/index.js';
import { createRng, type Rng } from '../../src/testing/rng.js';
import { PROPERTY_TIMEOUT } from '../support/property-timeout.js';

/** Seeds a vendor is run with, and requests in each run: about 300 requests a vendor. */
const SEEDS = Number(process.env['ADAPTER_SEEDS'] ?? 3);
const REQUESTS = Number(process.env['ADAPTER_REQUESTS'] ?? 100);
const FIRST_SEED = Number(process.env['ADAPTER_SEED'] ?? 1);

/** The undici fetch, kept before msw wraps the global one: requests to the real server bypass msw. */
const nativeFetch = globalThis.fetch;
const T0 = Date.parse('2026-11-23T10:00:00.000Z');

/** The socket's framing of an answer, which an in-process answer does not have. */
const FRAMING = new Set(['connection', 'keep-alive', 'transfer-encoding']);

type Kind = 'fetch' | 'msw' | 'server';
const KINDS: readonly Kind[] = ['fetch', 'msw', 'server'];

/** One request as the test builds it: the path with its query, already encoded as it goes on the wire. */
interface Wire {
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  redirect?: RequestRedirect;
}

/** A clock all three emulators share; the test moves it between requests, latency sleeps take no time. */
function sharedClock() {
  const state = { now: T0 };
  const clock: Clock = { now: () => state.now, scale: 1, sleep: async () => {} };
  return { clock, state };
}

/** Strings seen in answers (tokens, ids, locations), reused as path and query values of later requests. */
type Pool = Map<string, string[]>;
const remember = (pool: Pool, kind: string, value: unknown): void => {
  if (typeof value !== 'string' && typeof value !== 'number') return;
  const list = pool.get(kind) ?? [];
  if (list.length > 40) list.shift();
  list.push(String(value));
  pool.set(kind, list);
};
const recall = (pool: Pool, rng: Rng, kind: string, fallback: string): string => {
  const list = pool.get(kind);
  return list && list.length > 0 && rng.chance(0.7) ? rng.pick(list) : fallback;
};

// ---------------------------------------------------------------------------------------------------
// Random parts of requests

/** A path or query value that is wrong in some way, encoded or not. */
function oddValue(rng: Rng): string {
  switch (rng.int(0, 11)) {
    case 0:
      return '';
    case 1:
      return encodeURIComponent(rng.pick(['é', '日本語', '🙂', 'Ω≈ç√', 'a b', 'a+b', 'a/b', 'a?b', 'a#b', 'a&b=c', '..', '.']));
    case 2:
      return rng.pick(['é', '日本', '🙂', 'a b', 'a+b', "a'b", 'a"b', 'a<b>', 'a`b', 'a{b}', 'a|b', 'a^b', 'a\\b']);
    case 3:
      return rng.pick(['%E0%A4%A', '%', '%zz', '%C3', '%ff%fe', '%00', '%2F', '%2e%2e', '%252F', '%20']);
    case 4:
      return 'x'.repeat(rng.int(200, 3_000));
    case 5:
      return encodeURIComponent(rng.words(rng.int(1, 3)));
    case 6:
      return String(rng.int(-5, 5));
    case 7:
      return String(rng.int(0, 2 ** 31)) + rng.pick(['', '.5', 'e3', ' ', '0000000000000000000000']);
    case 8:
      return rng.pick(['true', 'false', 'null', 'undefined', 'NaN', 'Infinity', '[]', '{}']);
    case 9:
      return new Date(T0 - rng.int(0, 10 * 86_400_000)).toISOString();
    case 10:
      return rng.pick(['2026-11-23', '2026-11-23T10:00', '2026-11-23 10:00:00', '2026-13-45T99:99:99Z', 'Mon, 23 Nov 2026 10:00:00 GMT', '1700000000000']);
    default:
      return rng.uuid();
  }
}

/** A value for a parameter: usually a valid one, else an odd one. */
function valueOf(rng: Rng, valid: () => string): string {
  return rng.chance(0.65) ? encodeURIComponent(valid()) : oddValue(rng);
}

/** A query string of some of `params`, with repeats, stray names and odd separators. */
function query(rng: Rng, params: Record<string, () => string>): string {
  const names = Object.keys(params);
  const parts: string[] = [];
  const count = rng.int(0, Math.min(4, names.length + 1));
  for (let i = 0; i < count; i++) {
    const name = names.length > 0 && rng.chance(0.9) ? rng.pick(names) : rng.pick(['unknown', 'x', encodeURIComponent('ü'), '', 'a[b]']);
    const valid = params[name] ?? (() => rng.words(1));
    const value = valueOf(rng, valid);
    parts.push(rng.chance(0.05) ? name : `${encodeURIComponent(name).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${value}`);
    // The same parameter twice, with the same or another value.
    if (rng.chance(0.1)) parts.push(`${name}=${rng.chance(0.5) ? value : valueOf(rng, valid)}`);
  }
  if (parts.length === 0) return rng.chance(0.05) ? '?' : '';
  return `?${parts.join(rng.chance(0.05) ? '&&' : '&')}${rng.chance(0.05) ? '#fragment' : ''}`;
}

/** A path segment: usually `valid`, else an odd one. */
function segment(rng: Rng, valid: string): string {
  return rng.chance(0.75) ? encodeURIComponent(valid) : oddValue(rng);
}

/** Methods node's HTTP parser does not know, which the server reads itself. */
const UNPARSED = new Set(['patch', 'FROB']);

/** The method of a route, mostly; else HEAD or one it does not take. */
function method(rng: Rng, own: string): string {
  if (rng.chance(0.75)) return own;
  return rng.pick(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'get', 'post', 'delete', ...UNPARSED]);
}

/** Headers every vendor may get: an `Accept-Encoding` of some kind, an `Accept`, a request id. */
function commonHeaders(rng: Rng): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rng.chance(0.4)) headers['accept-encoding'] = rng.pick(['gzip', 'br', 'gzip, deflate, br', 'identity', '*;q=0', 'zstd', '']);
  if (rng.chance(0.2)) headers['accept'] = rng.pick(['application/json', 'text/html', '*/*', 'application/xml']);
  if (rng.chance(0.1)) headers['x-request-id'] = rng.pick([rng.hex(8), 'caf\u00e9', ' padded ']);
  return headers;
}

/** A body for a method that takes one: JSON, malformed JSON, another type, or none. */
function body(rng: Rng, json: () => unknown): Pick<Wire, 'body'> & { type?: string } {
  switch (rng.int(0, 7)) {
    case 0:
      return {};
    case 1:
      return { body: '{"auth": ', type: 'application/json' };
    case 2:
      return { body: JSON.stringify(json()), type: rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=iso-8859-1', 'APPLICATION/JSON']) };
    case 3:
      return { body: new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x22]), type: 'application/json' };
    case 4:
      return { body: JSON.stringify(rng.pick([null, [], 'text', 42, {}])), type: 'application/json' };
    default:
      return { body: JSON.stringify(json()), type: 'application/json' };
  }
}

function withBody(wire: Wire, rng: Rng, json: () => unknown): Wire {
  // fetch refuses a body on GET and HEAD.
  if (['GET', 'HEAD'].includes(wire.method.toUpperCase())) return wire;
  const { body: payload, type } = body(rng, json);
  if (payload === undefined) return wire;
  const headers = type === undefined ? wire.headers : { ...wire.headers, 'content-type': type };
  return { ...wire, headers, body: payload };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A fault added to all three emulators at once. */
function randomFault(rng: Rng): FaultSpec {
  const schedule = rng.pick<FaultSpec['schedule']>([{ every: 1 }, { every: rng.int(2, 4) }, { probability: 0.3 }, { once: true, after: rng.int(0, 3) }]);
  const match = rng.chance(0.3) ? { method: rng.pick(['GET', 'POST', 'HEAD']) } : undefined;
  const base = { schedule, ...(match ? { match } : {}) };
  switch (rng.int(0, 8)) {
    case 0:
      return { kind: 'rate-limit', retryAfter: rng.int(0, 90), retryAfterFormat: rng.pick(['seconds', 'http-date'] as const), ...base };
    case 1:
      return {
        kind: 'status',
        status: rng.pick([500, 502, 503, 504, 400, 404, 418, 299]),
        headers: rng.pick([
          {},
          { 'Retry-After': String(rng.int(1, 30)) },
          { 'Retry-After': new Date(T0 + 30_000).toUTCString() },
          { Link: '</next>; rel="next"' },
          // Not `gzip, identity` nor `gzip,`: msw's interceptor decodes those, fetch does not.
          { 'Content-Encoding': rng.pick(['gzip', 'br', 'deflate', 'x-gzip', 'GZIP', 'identity', 'identity, gzip', 'compress', 'zstd']) },
        ]),
        ...base,
      };
    case 8:
      // msw follows a redirect without a Location (to `null`), refuses one of a request with a body but
      // after a 303, follows a 307 of a PUT with a GET, and follows past fetch's limit of 20: limits of
      // msw's interceptor, not of the kit's adapter, so these redirects are of GETs only, once, with a Location.
      return {
        kind: 'status',
        status: rng.pick([301, 302, 303, 307, 308]),
        // Same origin only: the redirect of a request to the server would leave this machine otherwise.
        headers: { Location: rng.pick(['/elsewhere', '/api/v1/events', '?page=2', '/%E2%82%AC', 'x/../y']) },
        ...base,
        // Once: msw follows redirects past fetch's 20 without end.
        schedule: { once: true, after: rng.int(0, 3) },
        match: { method: 'GET' },
      };
    case 2:
      return { kind: 'latency', ms: rng.int(0, 5_000), ...base };
    case 3:
      return { kind: 'reset', ...base };
    case 4:
      return { kind: 'truncate', fraction: rng.pick([0, 0.1, 0.5, 0.99]), ...base };
    case 5:
      return { kind: 'malformed-json', status: rng.pick([200, 500]), ...base };
    case 6:
      return { kind: 'html', status: rng.pick([502, 503, 504]), ...base };
    default:
      return { kind: 'status', ...base };
  }
}

// ---------------------------------------------------------------------------------------------------
// The vendors

interface VendorSpec {
  provider: ProviderName;
  options: Record<string, unknown>;
  /** One random request. */
  request(rng: Rng, pool: Pool): Wire;
  /** Remembers what an answer names, for later requests. */
  harvest(pool: Pool, body: unknown, headers: Headers): void;
}

const visit = (value: unknown, each: (key: string, value: unknown) => void): void => {
  if (Array.isArray(value)) for (const item of value) visit(item, each);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      each(key, inner);
      visit(inner, each);
    }
  }
};

const socotraSpec: VendorSpec = {
  provider: 'socotra',
  options: { events: 25, failedJobs: 12, policies: 2, errorFormat: 'json' },
  request(rng, pool) {
    const auth = rng.pick([
      `Bearer ${SOCOTRA_EMULATOR_TOKEN}`,
      `Bearer ${SOCOTRA_EMULATOR_TOKEN}`,
      `Bearer ${SOCOTRA_EMULATOR_READ_ONLY_TOKEN}`,
      `bearer ${SOCOTRA_EMULATOR_TOKEN}`,
      'Bearer wrong-token',
      basic('a', 'b'),
      '',
    ]);
    const headers = { ...commonHeaders(rng), ...(auth === '' ? {} : { authorization: auth }) };
    const tenant = rng.chance(0.85)
      ? rng.pick([SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TENANT.toUpperCase()])
      : rng.pick([rng.uuid(), 'not-a-uuid', oddValue(rng)]);
    const base = `/event/${tenant}/events`;
    const time = () => new Date(T0 - rng.int(-3_600_000, 30 * 86_400_000)).toISOString();
    const paging = () => ({ pageSize: () => String(rng.int(1, 60)), pagingToken: () => recall(pool, rng, 'token', 'e30'), startTimestamp: time, endTimestamp: time, type: () => recall(pool, rng, 'type', 'policy.issued') });
    const jobs = () => ({ offset: () => String(rng.int(0, 20)), count: () => String(rng.int(1, 20)) });
    const jobBody = () => ({ triggerName: recall(pool, rng, 'trigger', 'none'), triggerGroup: recall(pool, rng, 'group', 'tenant') });
    const routes: Array<() => Wire> = [
      () => ({ method: method(rng, 'GET'), target: `${base}/list${query(rng, paging())}`, headers }),
      () => ({ method: method(rng, 'GET'), target: `${base}/list${query(rng, paging())}`, headers }),
      () => ({ method: method(rng, 'GET'), target: `${base}/request/${segment(rng, recall(pool, rng, 'request', rng.uuid()))}`, headers }),
      () => ({ method: method(rng, 'GET'), target: `${base}/schedules/failed/list${query(rng, jobs())}`, headers }),
      () => ({ method: method(rng, 'GET'), target: `${base}/schedules/tenant/failed/list${query(rng, jobs())}`, headers }),
      () => ({ method: method(rng, 'GET'), target: `${base}/schedules/policy/${segment(rng, recall(pool, rng, 'policy', 'p'))}/failed/list${query(rng, jobs())}`, headers }),
      () => ({ method: method(rng, 'GET'), target: `${base}/schedules/failed/${segment(rng, rng.pick(['queued', 'quit', 'other']))}/list${query(rng, jobs())}`, headers }),
      () => withBody({ method: method(rng, 'POST'), target: `${base}/schedules/failed/resume`, headers }, rng, jobBody),
      () => withBody({ method: method(rng, 'DELETE'), target: `${base}/schedules/failed`, headers }, rng, jobBody),
      () => ({ method: method(rng, 'GET'), target: `${base}/schedules/policy/${segment(rng, recall(pool, rng, 'policy', 'p'))}`, headers }),
      () => ({ method: method(rng, 'GET'), target: `${base}/${segment(rng, recall(pool, rng, 'locator', 'x'))}${query(rng, {})}`, headers }),
      () => ({ method: method(rng, 'GET'), target: rng.pick(['/', '/event', `/event/${tenant}`, `${base}/list/extra`, '/nowhere']), headers }),
    ];
    return rng.pick(routes)();
  },
  harvest(pool, body) {
    visit(body, (key, value) => {
      if (key === 'pagingToken') remember(pool, 'token', value);
      if (key === 'locator') remember(pool, 'locator', value);
      if (key === 'requestId') remember(pool, 'request', value);
      if (key === 'policyLocator') remember(pool, 'policy', value);
      if (key === 'triggerName') remember(pool, 'trigger', value);
      if (key === 'triggerGroup') remember(pool, 'group', value);
      if (key === 'type' && typeof value === 'string') remember(pool, 'type', value);
    });
  },
};

const tinesSpec: VendorSpec = {
  provider: 'tines',
  options: { events: 30 },
  request(rng, pool) {
    const headers: Record<string, string> = commonHeaders(rng);
    switch (rng.int(0, 6)) {
      case 0:
        headers['authorization'] = `Bearer ${READ_ONLY_TINES_CREDENTIAL.key}`;
        break;
      case 1:
        headers['x-user-token'] = DEFAULT_TINES_CREDENTIAL.key;
        if (rng.chance(0.5)) headers['x-user-email'] = rng.pick([DEFAULT_TINES_CREDENTIAL.email, 'ANALYST@example.com', 'someone@else.test']);
        break;
      case 2:
        headers[rng.pick(['authorization', 'x-user-token'])] = rng.pick(['Bearer nope', 'nope', '']);
        break;
      case 3:
        break;
      default:
        headers['authorization'] = `Bearer ${DEFAULT_TINES_CREDENTIAL.key}`;
    }
    const id = (kind: string, fallback: () => number) => () => recall(pool, rng, kind, String(fallback()));
    const time = () => new Date(T0 - rng.int(0, 3 * 86_400_000)).toISOString();
    const listing = {
      since_id: id('event', () => rng.int(0, 2_000_000)),
      until_id: id('event', () => rng.int(0, 2_000_000)),
      since: time,
      until: time,
      story_id: id('story', () => rng.int(1, 9)),
      team_id: () => String(rng.int(1, 3)),
      page: () => String(rng.int(1, 5)),
      per_page: () => String(rng.int(1, 30)),
    };
    const routes: Array<() => Wire> = [
      () => ({ method: method(rng, 'GET'), target: `/api/v1/events${query(rng, listing)}`, headers }),
      () => ({ method: method(rng, 'GET'), target: `/api/v1/events${query(rng, listing)}`, headers }),
      () => ({ method: method(rng, 'GET'), target: `/api/v1/agents/${segment(rng, recall(pool, rng, 'action', '1'))}/events${query(rng, listing)}`, headers }),
      () => ({ method: method(rng, 'GET'), target: `/api/v1/actions/${segment(rng, recall(pool, rng, 'action', '1'))}/events${query(rng, listing)}`, headers }),
      () => ({ method: method(rng, 'GET'), target: `/api/v1/events/${segment(rng, recall(pool, rng, 'event', '1'))}`, headers }),
      () => withBody({ method: method(rng, 'POST'), target: `/api/v1/events/${segment(rng, recall(pool, rng, 'event', '1'))}/reemit`, headers }, rng, () => ({})),
      () => ({ method: method(rng, 'GET'), target: rng.pick(['/', '/api/v1', '/api/v1/events/', '/api/v2/events', '/api/v1/events/1/extra']), headers }),
    ];
    return rng.pick(routes)();
  },
  harvest(pool, body) {
    visit(body, (key, value) => {
      if (key === 'id') remember(pool, 'event', value);
      if (key === 'action_id' || key === 'agent_id') remember(pool, 'action', value);
    });
  },
};

const fujitsuSpec: VendorSpec = {
  provider: 'fujitsu',
  options: { events: 30 },
  request(rng, pool) {
    const headers: Record<string, string> = commonHeaders(rng);
    if (rng.chance(0.4)) {
      const user = rng.chance(0.7) ? DEFAULT_FUJITSU_USER : { ...DEFAULT_FUJITSU_USER, password: 'wrong' };
      const login = () => ({
        auth: {
          identity: { methods: rng.chance(0.9) ? ['password'] : ['token'], password: { user: { name: user.userName, password: user.password, domain: { name: user.domainName } } } },
          ...(rng.chance(0.5) ? { scope: { project: { id: rng.pick([DEFAULT_FUJITSU_TENANT, OTHER_FUJITSU_TENANT, 7]) } } } : {}),
        },
      });
      return withBody({ method: method(rng, 'POST'), target: `/v3/auth/tokens${query(rng, { nocatalog: () => '' })}`, headers }, rng, login);
    }
    if (rng.chance(0.85)) headers['x-auth-token'] = rng.chance(0.8) ? recall(pool, rng, 'token', DEFAULT_FUJITSU_TOKEN) : rng.pick(['gAAAAAunknown', '']);
    const time = () => new Date(T0 - rng.int(-600_000, 3 * 3_600_000)).toISOString().replace(rng.chance(0.5) ? /\.\d{3}Z$/ : /$^/, '');
    const listing = {
      limit: () => String(rng.int(15, 110)),
      duration: () => String(rng.int(0, 300)),
      startTime: time,
      endTime: time,
      marker: () => recall(pool, rng, 'date', time()),
      sourceType: () => rng.pick(['instance', 'snapshot', 'security_group', 'parameter_group', 'other']),
      eventCategories: () => rng.pick(['backup', 'creation', 'deletion', 'failure,notification', 'unknown']),
      'eventCategories.': () => rng.pick(['backup', 'failure']),
      sourceId: () => recall(pool, rng, 'source', 'id'),
    };
    const tenant = rng.chance(0.8) ? DEFAULT_FUJITSU_TENANT : rng.pick([OTHER_FUJITSU_TENANT, '0'.repeat(32), oddValue(rng)]);
    const target = rng.chance(0.9) ? `/v1.0/${segment(rng, tenant)}/events${query(rng, listing)}` : rng.pick(['/v1.0', '/v2/x/events', '/v3/auth', '/']);
    return { method: method(rng, 'GET'), target, headers };
  },
  harvest(pool, body, headers) {
    remember(pool, 'token', headers.get('x-subject-token') ?? undefined);
    visit(body, (key, value) => {
      if (key === 'date') remember(pool, 'date', value);
      if (key === 'sourceIdentifier') remember(pool, 'source', value);
    });
  },
};

const illumioSpec: VendorSpec = {
  provider: 'illumio',
  options: { events: 30, async: { location: 'absolute', pollsBeforeDone: 1 } },
  request(rng, pool) {
    const headers: Record<string, string> = commonHeaders(rng);
    const credential = rng.pick([DEFAULT_ILLUMIO_CREDENTIAL, DEFAULT_ILLUMIO_CREDENTIAL, DEFAULT_ILLUMIO_CREDENTIAL, READ_ONLY_ILLUMIO_CREDENTIAL, { apiKey: 'api_x', apiSecret: 'nope' }]);
    const auth = rng.chance(0.9) ? basic(credential.apiKey, credential.apiSecret) : rng.pick(['', 'Basic !!!', 'Bearer x', 'Basic']);
    if (auth !== '') headers['authorization'] = auth;
    if (rng.chance(0.2)) headers['prefer'] = rng.pick(['respond-async', 'RESPOND-ASYNC', 'return=minimal']);
    const time = () => new Date(T0 - rng.int(0, 86_400_000)).toISOString();
    const listing = {
      event_type: () => recall(pool, rng, 'type', 'user.login'),
      created_by: () => recall(pool, rng, 'creator', 'system'),
      severity: () => rng.pick(['info', 'warning', 'err', 'loud']),
      status: () => rng.pick(['success', 'failure', 'maybe']),
      'timestamp[gte]': time,
      'timestamp[lte]': time,
      max_results: () => String(rng.int(0, 20_000)),
    };
    const org = rng.chance(0.85) ? '1' : rng.pick(['2', 'one', oddValue(rng)]);
    const job = recall(pool, rng, 'job', `/api/v2/orgs/1/jobs/job-${rng.hex(8)}`);
    const routes: Array<() => string> = [
      () => `/api/v2/orgs/${segment(rng, org)}/events${query(rng, listing)}`,
      () => `/api/v2/orgs/${segment(rng, org)}/events${query(rng, listing)}`,
      () => `/api/v2/orgs/${segment(rng, org)}/events/${segment(rng, recall(pool, rng, 'uuid', rng.uuid()))}`,
      () => `/api/v2/system_events/${segment(rng, recall(pool, rng, 'uuid', rng.uuid()))}`,
      () => job,
      () => recall(pool, rng, 'datafile', `/api/v2/orgs/1/datafiles/job-${rng.hex(8)}`),
      () => rng.pick(['/api/v2', '/api/v2/orgs/1', '/api/v1/orgs/1/events', '/']),
    ];
    return { method: method(rng, 'GET'), target: rng.pick(routes)(), headers };
  },
  harvest(pool, body, headers) {
    const location = headers.get('location');
    if (location !== null) remember(pool, 'job', location.replace(/^[a-z]+:\/\/[^/]+/, ''));
    visit(body, (key, value) => {
      if (key === 'href' && typeof value === 'string') {
        const uuid = /\/events\/([^/]+)$/.exec(value)?.[1];
        if (uuid) remember(pool, 'uuid', uuid);
        if (value.includes('/datafiles/')) remember(pool, 'datafile', `/api/v2${value}`);
        if (value.includes('/users/') || value.includes('/workloads/')) remember(pool, 'creator', value);
      }
      if (key === 'event_type') remember(pool, 'type', value);
    });
  },
};

const informaticaSpec: VendorSpec = {
  provider: 'informatica',
  options: { events: 25 },
  request(rng, pool) {
    const headers: Record<string, string> = commonHeaders(rng);
    const user = rng.pick([DEFAULT_INFORMATICA_USER, DEFAULT_INFORMATICA_USER, DEFAULT_INFORMATICA_USER, { user: 'viewer@MyCompany.com', password: 'ViewerPass' }, { user: 'x', password: 'y' }]);
    if (rng.chance(0.9)) headers['authorization'] = basic(user.user, user.password);
    if (rng.chance(0.4)) {
      const vendorTime = () => new Date(T0 - rng.int(0, 86_400_000)).toISOString();
      const search = () => {
        const out: Record<string, unknown> = {};
        if (rng.chance(0.5)) out['eventStatus'] = rng.pick(['ALL', 'COMPLETE', 'ERROR', 'complete', 5]);
        if (rng.chance(0.5)) out['eventType'] = rng.pick(['ALL', 'PUBLICATION', 'SUBSCRIPTION', 'publication']);
        if (rng.chance(0.5)) out['firstResult'] = rng.pick([0, rng.int(0, 30), -1, 1.5, '3']);
        if (rng.chance(0.5)) out['maxResults'] = rng.pick([rng.int(1, 20), 0, 'ten']);
        if (rng.chance(0.4)) out['applicationName'] = rng.pick(['DI_App', 'API', 7]);
        if (rng.chance(0.2)) out['useExactMatch'] = rng.pick([true, false, 'yes']);
        if (rng.chance(0.5)) {
          out['timeframe'] = rng.chance(0.7)
            ? { range: 'CUSTOM', fromDate: vendorTime(), toDate: rng.chance(0.8) ? new Date(T0).toISOString() : 'soon' }
            : { range: rng.pick(['LAST_HOUR', 'LAST_24_HOURS', 'LAST_WEEK', 'last_hour', 'SOMETIME']) };
        }
        return out;
      };
      return withBody({ method: method(rng, 'POST'), target: `/dih-console/api/v1/events${query(rng, {})}`, headers }, rng, search);
    }
    const id = rng.chance(0.7) ? recall(pool, rng, 'event', '1') : rng.pick(['0', '-1', '9223372036854775807', '9223372036854775808', '1.0', 'abc']);
    const target = rng.chance(0.9) ? `/dih-console/api/v1/event/${segment(rng, id)}` : rng.pick(['/dih-console/api/v1', '/dih-console/api/v1/event', '/dih-console/api/v1/events/1', '/']);
    return { method: method(rng, 'GET'), target, headers };
  },
  harvest(pool, body) {
    visit(body, (key, value) => {
      if (key === 'eventId' || key === 'parentEventId') remember(pool, 'event', value);
    });
  },
};

const VENDORS: readonly VendorSpec[] = [socotraSpec, tinesSpec, fujitsuSpec, illumioSpec, informaticaSpec];

// ---------------------------------------------------------------------------------------------------
// Sending, and what a client sees

interface Outcome {
  rejected?: { name: string; code: unknown };
  status?: number;
  statusText?: string;
  headers?: Record<string, string>;
  body?: string;
  bodyFailed?: { name: string; code: unknown };
  recorded?: unknown;
}

const codeOf = (error: unknown): unknown => (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;

/** Reads `response` as a client does, up to a failure of the body, with `origin` replaced by a placeholder. */
async function observe(sent: () => Promise<Response>, origin: string, kind: Kind): Promise<Outcome> {
  let response: Response;
  try {
    response = await sent();
  } catch (error) {
    return { rejected: { name: (error as Error).name, code: codeOf(error) } };
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (FRAMING.has(name)) return;
    headers[name] = value.replaceAll(origin, '{origin}');
  });
  // Node adds `content-length: 0` to an empty answer on the wire; the in-process ones have no framing.
  if (kind === 'server' && headers['content-length'] === '0') delete headers['content-length'];
  const chunks: Uint8Array[] = [];
  let bodyFailed: Outcome['bodyFailed'];
  if (response.body !== null) {
    const reader = response.body.getReader();
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
    } catch (error) {
      bodyFailed = { name: (error as Error).name, code: codeOf(error) };
    }
  }
  const body = Buffer.concat(chunks).toString('latin1').replaceAll(origin, '{origin}');
  return { status: response.status, statusText: response.statusText, headers, body, ...(bodyFailed ? { bodyFailed } : {}) };
}

interface Sides {
  emulators: Record<Kind, Emulator>;
  origins: Record<Kind, string>;
  close(): Promise<void>;
}

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => msw.close());

async function open(spec: VendorSpec, seed: number, clock: Clock): Promise<Sides> {
  const make = () => createEmulator(spec.provider, { seed, clock, ...spec.options } as never) as Emulator;
  const emulators = { fetch: make(), msw: make(), server: make() };
  const server: EmulatorServer = await emulators.server.listen();
  // An origin as long as the server's, so that a body naming it (Tines' page links) is as long through
  // msw and in process: a truncated body announces its full length.
  const origin = server.url.replace('127.0.0.1', '127.0.0.2');
  msw.resetHandlers(...((await emulators.msw.msw(origin)) as never[]));
  return {
    emulators,
    origins: { fetch: origin, msw: origin, server: server.url },
    close: () => server.close(),
  };
}

function send(sides: Sides, kind: Kind, wire: Wire): Promise<Response> {
  const init: RequestInit = { method: wire.method, headers: wire.headers, ...(wire.body === undefined ? {} : { body: wire.body }), ...(wire.redirect === undefined ? {} : { redirect: wire.redirect }) };
  const url = sides.origins[kind] + wire.target;
  if (kind === 'fetch') return sides.emulators.fetch.fetch(url, init);
  if (kind === 'msw') return globalThis.fetch(url, init);
  return nativeFetch(url, init);
}

/** What the emulator recorded of the requests from `from` on (a redirect followed adds one), as far as the adapters promise the same. */
function recorded(emulator: Emulator, origin: string, wire: Wire, from: number): unknown {
  return emulator.requests.slice(from).map((request) => {
    const set = Object.fromEntries(Object.keys(wire.headers).map((name) => [name, request.headers.get(name)]));
    // Node 20's fetch sends an empty query's `?` as no query, Node 24's sends it: the in-process adapters keep the URL given.
    const url = request.url.replace(origin, '{origin}').replace(/\?$/, '');
    return { method: request.method, url, body: request.body, headers: set, time: request.time };
  });
}

/** Sends `wire` to the three sides, one after the other, and returns what each client saw. */
async function exchange(sides: Sides, wire: Wire): Promise<Record<Kind, Outcome>> {
  const out = {} as Record<Kind, Outcome>;
  for (const kind of KINDS) {
    const before = sides.emulators[kind].requests.length;
    const outcome = await observe(() => send(sides, kind, wire), sides.origins[kind], kind);
    const emulator = sides.emulators[kind];
    outcome.recorded = recorded(emulator, sides.origins[kind], wire, before);
    out[kind] = outcome;
  }
  return out;
}

/** Runs one seeded sequence of a vendor; returns the requests compared, or throws at the first difference. */
async function runSequence(spec: VendorSpec, seed: number, requests: number): Promise<number> {
  const rng = createRng(seed * 7919 + spec.provider.length);
  const { clock, state } = sharedClock();
  const sides = await open(spec, seed, clock);
  const pool: Pool = new Map();
  const log: string[] = [];
  try {
    for (let i = 0; i < requests; i++) {
      if (rng.chance(0.06)) {
        const fault = randomFault(rng);
        for (const kind of KINDS) sides.emulators[kind].faults.add(fault);
        log.push(`fault ${JSON.stringify(fault)}`);
      }
      if (rng.chance(0.04)) {
        for (const kind of KINDS) sides.emulators[kind].faults.clear();
        log.push('faults cleared');
      }
      state.now += rng.pick([0, 0, 10, 999, 1_000, 15_000, 61_000]);
      const wire: Wire = { ...spec.request(rng, pool), redirect: rng.pick<RequestRedirect>(['follow', 'follow', 'manual', 'error']) };
      log.push(`${wire.method} ${wire.target.slice(0, 200)} ${JSON.stringify(wire.headers)} ${wire.body === undefined ? '' : String(wire.body).slice(0, 200)}`);
      const seen = await exchange(sides, wire);
      const context = `${spec.provider} seed ${seed}, request ${i}:\n${log.slice(-6).join('\n')}`;
      for (const kind of ['msw', 'server'] as const) {
        const other = seen[kind];
        // A body cut short: the bytes before the cut reach a reader only if it reads them before the
        // connection drops, a race over the socket that msw always loses; what came is a part of the whole.
        if (seen.fetch.bodyFailed !== undefined && other.bodyFailed !== undefined && seen.fetch.body?.startsWith(other.body ?? '')) {
          other.body = seen.fetch.body;
        }
        // msw's interceptor decodes a mocked body itself, past the kit's adapter, and fails with errors
        // of its own (zlib's bare, or none with a code for brotli) where undici's is `TypeError('terminated')`.
        if (kind === 'msw' && other.headers?.['content-encoding'] !== undefined && other.bodyFailed && seen.fetch.bodyFailed) {
          other.bodyFailed = seen.fetch.bodyFailed;
        }
        // A method node's parser does not know is answered on a connection that closes after it: a body
        // cut short there falls short of its Content-Length for undici, not cut by a close mid-answer.
        if (kind === 'server' && UNPARSED.has(wire.method) && other.bodyFailed?.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' && seen.fetch.bodyFailed?.code === 'UND_ERR_SOCKET') {
          other.bodyFailed = seen.fetch.bodyFailed;
        }
        expect(other, `${kind} differs from fetch; ${context}`).toEqual(seen.fetch);
      }
      const reference = seen.fetch;
      if (reference.body !== undefined && reference.bodyFailed === undefined) {
        try {
          spec.harvest(pool, JSON.parse(reference.body), new Headers(reference.headers));
        } catch {
          spec.harvest(pool, undefined, new Headers(reference.headers));
        }
      }
    }
  } finally {
    await sides.close();
  }
  return requests;
}

describe('the three adapters answer alike (property)', PROPERTY_TIMEOUT, () => {
  it.each(VENDORS.map((spec) => [spec.provider, spec] as const))('%s: seeded raw request sequences', async (_name, spec) => {
    let compared = 0;
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) compared += await runSequence(spec, seed, REQUESTS);
    expect(compared).toBe(SEEDS * REQUESTS);
  });
});

// ---------------------------------------------------------------------------------------------------
// What the SDK clients get through each adapter

/** A clock whose sleeps move it: a client's back-off and waits take no real time, the same through every adapter. */
function virtualClock(): Clock {
  let now = T0;
  return {
    now: () => now,
    scale: 1,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

type Listing = AsyncIterable<{ items: readonly unknown[]; cursor: string }>;

interface ClientSpec {
  provider: ProviderName;
  options: Record<string, unknown>;
  /** A random listing of a client on `baseUrl` through `fetch`, read by pages. */
  listing(rng: Rng, baseUrl: string, fetch: typeof globalThis.fetch, clock: Clock): Listing;
}

const common = (fetch: typeof globalThis.fetch, clock: Clock) => ({ fetch, clock, rateLimit: false as const, retry: false as const });

const CLIENTS: readonly ClientSpec[] = [
  {
    provider: 'socotra',
    options: { events: 40 },
    listing: (rng, baseUrl, fetch, clock) =>
      socotra({ baseUrl, tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, ...common(fetch, clock) })
        .events.list({ pageSize: rng.int(1, 15) })
        .byPage(),
  },
  {
    provider: 'tines',
    options: { events: 40 },
    listing: (rng, baseUrl, fetch, clock) =>
      tines({ baseUrl, token: DEFAULT_TINES_CREDENTIAL.key, ...common(fetch, clock) })
        .events.list({ pageSize: rng.int(1, 15) })
        .byPage(),
  },
  {
    provider: 'fujitsu',
    options: { events: 60 },
    listing: (rng, baseUrl, fetch, clock) =>
      fujitsu({ baseUrl, tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN, ...common(fetch, clock) })
        .events.list({ pageSize: rng.int(20, 30), since: new Date(T0 - rng.int(1, 6) * 3_600_000) })
        .byPage(),
  },
  {
    provider: 'illumio',
    options: { events: 40 },
    listing: (rng, baseUrl, fetch, clock) =>
      illumio({ baseUrl, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, ...common(fetch, clock) })
        .events.list({ pageSize: rng.int(1, 15) })
        .byPage(),
  },
  {
    provider: 'informatica',
    options: { events: 30, rateLimit: false },
    listing: (rng, baseUrl, fetch, clock) =>
      informatica({ baseUrl, username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password, ...common(fetch, clock) })
        .events.list({ pageSize: rng.int(1, 15) })
        .byPage(),
  },
];

/** `text` without `origin` nor its host (Informatica's `source` names the pod's host). */
const hostless = (text: string, origin: string): string => text.replaceAll(origin, '{origin}').replaceAll(new URL(origin).host, '{host}');

/** The pages a listing delivers, at most `pages` of them, or the error it ends with, with the origin replaced. */
async function read(listing: Listing, origin: string, pages: number): Promise<unknown> {
  const seen: unknown[] = [];
  try {
    for await (const page of listing) {
      seen.push(JSON.parse(hostless(JSON.stringify({ items: page.items, cursor: page.cursor }), origin)));
      if (seen.length >= pages) break;
    }
    return seen;
  } catch (error) {
    const { name, message, status } = error as { name: string; message: string; status?: number };
    return [...seen, { name, status, message: hostless(message, origin) }];
  }
}

/** One random listing of a vendor through each adapter, each with its own emulator and clock, alike. */
async function compareListing(spec: ClientSpec, seed: number): Promise<void> {
  const seen = {} as Record<Kind, unknown>;
  const plan = createRng(seed);
  // On the first request or on all: the clients fetch the next page while the last is read, so which
  // request is the n-th depends on timing, through any adapter.
  const fault = plan.chance(0.5) ? { ...randomFault(plan), schedule: plan.pick<FaultSpec['schedule']>([{ once: true }, { every: 1 }]) } : undefined;
  for (const kind of KINDS) {
    const clock = virtualClock();
    const emulator = createEmulator(spec.provider, { seed, clock, ...spec.options } as never) as Emulator;
    if (fault) emulator.faults.add(fault);
    const server = await emulator.listen();
    const origin = server.url.replace('127.0.0.1', '127.0.0.2');
    try {
      if (kind === 'msw') msw.resetHandlers(...((await emulator.msw(origin)) as never[]));
      const baseUrl = kind === 'server' ? server.url : origin;
      const fetch = kind === 'fetch' ? emulator.fetch : kind === 'msw' ? globalThis.fetch : nativeFetch;
      seen[kind] = await read(spec.listing(createRng(seed), baseUrl, fetch, clock), kind === 'server' ? server.url : origin, 6);
    } finally {
      await server.close();
    }
  }
  const context = `${spec.provider} listing, seed ${seed}${fault ? `, fault ${JSON.stringify(fault)}` : ''}`;
  // msw rejects a reset with its own `TypeError('Failed to fetch')`, whose cause is a Response, not
  // undici's socket error: the client's NetworkError is the same, its message tells less.
  const [last, reference] = [(seen.msw as unknown[]).at(-1), (seen.fetch as unknown[]).at(-1)] as Array<{ name?: string; message?: string } | undefined>;
  if (last?.name === 'NetworkError' && reference?.message !== undefined && last.message?.endsWith('failed: Failed to fetch')) {
    last.message = reference.message;
  }
  expect(seen.msw, `msw differs from fetch; ${context}`).toEqual(seen.fetch);
  expect(seen.server, `the server differs from fetch; ${context}`).toEqual(seen.fetch);
}

describe('the SDK clients get the same through the three adapters (property)', PROPERTY_TIMEOUT, () => {
  it.each(CLIENTS.map((spec) => [spec.provider, spec] as const))('%s: random listings', async (_name, spec) => {
    for (let seed = FIRST_SEED; seed < FIRST_SEED + 4 * SEEDS; seed++) await compareListing(spec, seed);
  });
});
