/**
 * Every public entry that takes options, at random: the five factories (common options, credentials,
 * tenants), each listing's query, `byPage` and `toArray`, `watch()`, `fileCheckpoint`,
 * `redisRateLimit()`, and the testing kit's `createEmulator`, `listen` and `faults.add`. Each case sets
 * a random subset of an entry's options to good values and, most of the time, one option (or an
 * unknown key) to a bad one: a value of a field's own bad set, or junk of any JavaScript kind the
 * field's oracle refuses (wrong types, NaN, Infinity, negative, zero, fractions, huge numbers, blank
 * strings, invalid dates, dates RFC 3339 cannot write, `undefined` for a required option).
 *
 * Promised (DESIGN.md "Errors", the README's options tables, the types' docs), and checked:
 * - a bad option throws or rejects with a `ConfigurationError` whose `option` names it (dotted for a
 *   nested one, `retry.maxDelay`), `reason: 'unknown'` for an unknown key; a bad cursor with a
 *   `CursorError`; and no request reaches any `fetch`;
 * - good options are accepted and a listing sends its first request; where every value is one the
 *   emulator serves, the first page arrives;
 * - an option given as `undefined` is as if it were left out;
 * - a base URL's query and fragment are dropped: no request carries them.
 *
 * Where the docs are silent the oracle takes a demanding user's side: a blank `rateLimit.key` is refused
 * as every other blank name is; an emulator option given as `null` is a value, not the default.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCheckpoint, memoryCheckpoint } from '../../src/core/checkpoint.js';
import { scaledClock } from '../../src/core/clock.js';
import { isAuthenticationError, isConfigurationError, isCursorError } from '../../src/core/errors.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { redact } from '../../src/core/redact.js';
import { watch } from '../../src/core/watch.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, DEFAULT_FUJITSU_USER } from '../../src/providers/fujitsu/emulator.js';
import { illumio, type IllumioOptions } from '../../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL } from '../../src/providers/illumio/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER } from '../../src/providers/informatica/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN } from '../../src/providers/socotra/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL } from '../../src/providers/tines/emulator.js';
import { redisRateLimit } from '../../src/redis/index.js';
import { createEmulator } from '../../src/testing/index.js';
import type { Emulator } from '../../src/testing/types.js';
import { badTime, epochOf, goodTime, intIn, isInteger, isTime, junk, MISSING, notPlainObjects, word } from '../support/option-values.js';
import { PROPERTY_TIMEOUT } from '../support/property-timeout.js';

type Options = Record<string, unknown>;
type VendorName = 'socotra' | 'tines' | 'fujitsu' | 'illumio' | 'informatica';
const VENDORS: readonly VendorName[] = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'];

/** One option of an entry: its good values, its own bad ones, and the oracle for junk. */
interface Field {
  path: string;
  good: fc.Arbitrary<unknown>;
  bad?: fc.Arbitrary<unknown> | undefined;
  accepts(value: unknown): boolean;
  /** Leaving it out is a mistake. */
  required?: boolean;
  /** A good value may still be one the emulator does not serve (a credential it does not know): the request is sent, the answer may be an error. */
  sends?: boolean;
  /** Names a bad value may be reported by, when not `path` (a clock's `scale`); `x.*`: any member of `x`. */
  names?: readonly string[];
  /** Junk values the oracle would take but the case must not use (a relative file path, a function as fetch). */
  skip?: (value: unknown) => boolean;
}

/** What a case did: the error it ended with, and the requests that reached a `fetch`. */
interface Outcome {
  error: unknown;
  requests: number;
  urls: readonly string[];
  /** Whether the entry sends requests at all when its options are good (a factory alone does not). */
  lists: boolean;
}

interface Entry {
  name: string;
  fields: readonly Field[];
  base(): Options;
  /** The paths the entry's requests may go to: a base URL's path is not doubled, its query not sent. */
  paths?: RegExp;
  /** Names the options a relation among them makes bad (`until` before `since`), or none. */
  relate?: (options: Options) => readonly string[];
  /** Option names the entry takes that the fuzzed fields leave out (for unknown-key cases). */
  known?: readonly string[];
  /** `false`: an unknown key is not an error here (an option bag the entry does not close). */
  closed?: boolean;
  attempt(options: Options): Promise<Outcome>;
  /** What the entry's errors put before an option's name (`redisRateLimit.`). */
  prefix?: string;
  /** A bad value is a `CursorError` rather than a `ConfigurationError`. */
  cursorFields?: readonly string[];
}

interface Case {
  goods: Array<[Field, unknown]>;
  bad: { field: Field; value: unknown } | { unknown: string; value: unknown } | undefined;
}

// ---------------------------------------------------------------------------------------------------
// Oracles, from the README and the types' docs.

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** An object as options are written (not a Map, a RegExp, a Date or a class instance, which have no members to read). */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  isRecord(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);
/** An object of options none of which is given: the junk an object of members may be. */
const isEmptyRecord = (value: unknown): boolean => isPlainObject(value) && Object.values(value).every((member) => member === undefined);
const isString = (value: unknown): value is string => typeof value === 'string';
const nonBlank = (value: unknown): value is string => isString(value) && value.trim() !== '';
const MAX_TIMER = 2 ** 31 - 1;
const isMillis = (value: unknown): boolean => typeof value === 'number' && value >= 0 && value <= MAX_TIMER;
const isPositiveMillis = (value: unknown): boolean => typeof value === 'number' && value > 0 && value <= MAX_TIMER;
const positiveOrInfinity = (value: unknown): boolean => value === Infinity || isInteger(value, 1, Number.MAX_VALUE);
const isHeaderText = (value: string): boolean => /^[\t\u0020-\u007e\u00a0-\u00ff]*$/.test(value);
const isSignal = (value: unknown): boolean => value instanceof AbortSignal;
const isFunction = (value: unknown): boolean => typeof value === 'function';
/** A credential sent as a header of its own: no white space, no control character, Latin-1. */
const isToken = (value: unknown): boolean => nonBlank(value) && !/[\s\u0000-\u001f\u007f]/.test(value) && isHeaderText(value);
/** A credential sent in a body or as Base64: no control character. */
const isText = (value: unknown): boolean => nonBlank(value) && !/[\u0000-\u001f\u007f]/.test(value);
/** No lone surrogate (U+D800 to U+DFFF), which no URL can carry. */
const isWellFormed = (value: string): boolean => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
const isPathSegment = (value: unknown): boolean => nonBlank(value) && value !== '.' && value !== '..' && isWellFormed(value);
const oneOf =
  (...allowed: readonly unknown[]) =>
  (value: unknown): boolean =>
    allowed.includes(value);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A Tines id: a non-negative safe integer or its decimal string. */
const isTinesId = (value: unknown): boolean => isInteger(value, 0) || (isString(value) && /^\d+$/.test(value));

const optional = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: fc.constant(undefined) });

/** One instant in each form a query takes it, so that `since` and `until` are often the same instant. */
const sameInstant = fc.constantFrom<unknown>(new Date('2026-11-01T10:00:00Z'), '2026-11-01T10:00:00Z', '2026-11-01T10:00:00.000Z', '2026-11-01 10:00:00+00:00', '2026-11-01T12:00:00+02:00');

/** A time field of a query. */
const timeField = (path: string): Field => ({ path, good: optional(fc.oneof({ weight: 3, arbitrary: goodTime }, { weight: 1, arbitrary: sameInstant })), bad: badTime, accepts: isTime });

/** An enumeration. */
const enumField = (path: string, values: readonly string[], extra: Partial<Field> = {}): Field => ({
  path,
  good: optional(fc.constantFrom(...values)),
  bad: fc.constantFrom(...values.map((value) => value.toUpperCase() === value ? value.toLowerCase() : value.toUpperCase()), ` ${values[0]}`),
  accepts: oneOf(...values),
  ...extra,
});

const intField = (path: string, min: number, max: number, extra: Partial<Field> = {}): Field => ({
  path,
  good: optional(intIn(min, max)),
  bad: fc.constantFrom(min - 1, max + 1, min + 0.5, NaN, Infinity, String(min)),
  accepts: (value) => isInteger(value, min, max),
  ...extra,
});

const stringField = (path: string, extra: Partial<Field> = {}): Field => ({
  path,
  good: optional(word),
  bad: fc.constantFrom('', ' ', '\n\t'),
  accepts: nonBlank,
  ...extra,
});

// ---------------------------------------------------------------------------------------------------
// Requests: every fetch a case can reach counts, the global one too.

let requests = 0;
let urls: string[] = [];
let globalCalls = 0;
const originalFetch = globalThis.fetch;
const emulators = {} as Record<VendorName, Emulator<unknown>>;
const spies = {} as Record<VendorName, typeof globalThis.fetch>;

function spyOn(emulator: Emulator<unknown>): typeof globalThis.fetch {
  return async (input, init) => {
    requests += 1;
    urls.push(input instanceof Request ? input.url : String(input));
    return emulator.fetch(input, init);
  };
}

let folder = '';
let cases = 0;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tributary-options-property-'));
  globalThis.fetch = async () => {
    globalCalls += 1;
    throw new TypeError('no request may reach the global fetch in this test');
  };
  for (const vendor of VENDORS) {
    emulators[vendor] = createEmulator(vendor, { seed: 3, events: 30, ...(vendor === 'informatica' || vendor === 'illumio' ? { rateLimit: false } : {}) }) as Emulator<unknown>;
    spies[vendor] = spyOn(emulators[vendor]);
  }
});
afterAll(async () => {
  globalThis.fetch = originalFetch;
  await closeRateLimiters();
  await rm(folder, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------
// Options of every factory.

const VENDOR_URLS: Record<VendorName, string> = {
  socotra: 'https://api-ec-sandbox.socotra.com',
  tines: 'https://tenant-1234.tines.com',
  fujitsu: 'https://database.uk-1.cloud.global.fujitsu.com',
  illumio: 'https://pce.example.com:8443',
  informatica: 'https://cih-pod1.dm-us.informaticacloud.com',
};

/** The forms of a vendor's base URL the README documents, each with a query or a fragment now and then. */
function goodBaseUrl(vendor: VendorName): fc.Arbitrary<unknown> {
  const suffixes: Record<VendorName, readonly string[]> = {
    socotra: [''],
    tines: [''],
    fujitsu: ['', `/v1.0/${DEFAULT_FUJITSU_TENANT}`, `/v1.0/${DEFAULT_FUJITSU_TENANT}/`],
    illumio: [''],
    informatica: ['', '/dih-console', '/dih-console/', '/dih-console/api/v1', '/dih-console/api/v1/'],
  };
  return fc
    .tuple(fc.constantFrom(...suffixes[vendor]), fc.constantFrom('', '/', '?probe=query', '#/probe', '/?probe=query#probe'), fc.boolean())
    .map(([suffix, tail, asUrl]) => {
      const text = `${VENDOR_URLS[vendor]}${suffix}${suffix.endsWith('/') && tail.startsWith('/') ? tail.slice(1) : tail}`;
      return asUrl ? new URL(text) : text;
    });
}

const BAD_URLS = [
  'https://user:secret@pce.example.com',
  'https://:secret@pce.example.com',
  'ftp://pce.example.com',
  'file:///etc/passwd',
  'not a url',
  'https://',
  '//pce.example.com',
  '/api/v2',
];

/** Loopback and insecure URLs: `http:` off loopback needs `allowInsecureHttp`. */
const HTTP_URLS = [
  'http://127.0.0.1:8080',
  'http://localhost',
  'http://[::1]:9443',
  'http://127.1.2.3',
  'http://pce.example.com',
  'http://10.0.0.1:8443',
  // Not loopback: a fully qualified name is answered by DNS, not the hosts file.
  'http://localhost.',
  'http://127.0.0.1.nip.io',
  'http://[::ffff:127.0.0.1]',
];

/** An `http:` URL off loopback (`127.0.0.0/8`, `::1`, `localhost`: DESIGN.md). */
function insecure(baseUrl: unknown): boolean {
  if ((!isString(baseUrl) && !(baseUrl instanceof URL)) || !URL.canParse(String(baseUrl))) return false;
  const url = new URL(String(baseUrl));
  return url.protocol === 'http:' && !['localhost', '[::1]'].includes(url.hostname) && !/^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

const CLOCK = scaledClock(1e-6);

/** Where each vendor's requests go under its host (a login to FUJITSU's identity host too). */
const API_PATHS: Record<VendorName, RegExp> = {
  socotra: /^\/event\/[^/]+\/events\/list$/,
  tines: /^\/api\/v1\/(events|actions\/[^/]+\/events|agents\/[^/]+\/events)$/,
  fujitsu: /^\/(v1\.0\/[^/]+\/events|v3\/auth\/tokens)$/,
  illumio: /^\/api\/v2\/orgs\/[^/]+\/events$/,
  informatica: /^\/dih-console\/api\/v1\/events$/,
};

function commonFields(vendor: VendorName): Field[] {
  const scaled = (scale: unknown) => ({ now: Date.now, sleep: CLOCK.sleep, scale });
  return [
    {
      path: 'baseUrl',
      good: fc.oneof({ weight: 5, arbitrary: goodBaseUrl(vendor) }, { weight: 2, arbitrary: fc.constantFrom(...HTTP_URLS) }),
      bad: fc.constantFrom(...BAD_URLS, undefined, MISSING),
      accepts: () => false,
      required: true,
      // The emulator serves any host; only the path and the query matter.
      sends: false,
    },
    { path: 'allowInsecureHttp', good: optional(fc.boolean()), accepts: (value) => typeof value === 'boolean' },
    { path: 'fetch', good: fc.constant(spies[vendor]), accepts: isFunction, skip: isFunction },
    {
      path: 'timeout',
      good: optional(fc.oneof(intIn(1_000, MAX_TIMER), fc.constant(false))),
      bad: fc.constantFrom(0, -1, MAX_TIMER + 1, true, '30000'),
      accepts: (value) => value === false || isPositiveMillis(value),
      // A timeout of a millisecond or less times the attempt out: accepted, and the request sent.
      sends: true,
    },
    { path: 'retry', good: optional(fc.constantFrom(false, {})), bad: fc.constantFrom(true, 0, [], 'false', ...notPlainObjects), accepts: (value) => value === false || isEmptyRecord(value), names: ['retry.*'] },
    intField('retry.retries', 0, 10, { bad: fc.constantFrom(-1, 0.5, NaN, Infinity, '0', 2 ** 53, Number.MAX_VALUE), accepts: (value) => isInteger(value, 0) }),
    { path: 'retry.minDelay', good: optional(intIn(0, 60_000)), bad: fc.constantFrom(-1, MAX_TIMER + 1, '500'), accepts: isMillis },
    { path: 'retry.maxDelay', good: optional(intIn(60_000, MAX_TIMER)), bad: fc.constantFrom(-1, MAX_TIMER + 1), accepts: isMillis },
    { path: 'retry.maxRetryAfter', good: optional(intIn(0, MAX_TIMER)), bad: fc.constantFrom(-1, MAX_TIMER + 1), accepts: isMillis },
    {
      path: 'retry.budget',
      good: optional(fc.double({ min: 0, max: 2, noNaN: true })),
      bad: fc.constantFrom(-0.1, Infinity, NaN, '0.5'),
      accepts: (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0,
    },
    { path: 'rateLimit', good: optional(fc.constantFrom(false, {})), bad: fc.constantFrom(true, 5, [], ...notPlainObjects), accepts: (value) => value === false || isEmptyRecord(value), names: ['rateLimit.*'] },
    {
      path: 'rateLimit.requests',
      good: optional(fc.oneof(intIn(1, 1_000), fc.constant(Infinity))),
      bad: fc.constantFrom(0, -1, 1.5, NaN, -Infinity, '5'),
      accepts: positiveOrInfinity,
    },
    // A long window or gap is good, and holds the requests after the first for that long on the system clock.
    { path: 'rateLimit.interval', good: optional(intIn(1, 60_000)), bad: fc.constantFrom(0, -1, Infinity, MAX_TIMER + 1), accepts: isPositiveMillis, skip: (value) => typeof value === 'number' && value > 60_000 },
    {
      path: 'rateLimit.maxConcurrent',
      good: optional(fc.oneof(intIn(1, 64), fc.constant(Infinity))),
      bad: fc.constantFrom(0, -1, 2.5, NaN),
      accepts: positiveOrInfinity,
    },
    { path: 'rateLimit.minTime', good: optional(intIn(0, 100)), bad: fc.constantFrom(-1, MAX_TIMER + 1, NaN), accepts: isMillis, skip: (value) => typeof value === 'number' && value > 100 },
    // Silent in the docs: a blank key is refused as every other blank name is.
    { path: 'rateLimit.key', good: optional(word), bad: fc.constantFrom('', ' ', '\t'), accepts: nonBlank },
    { path: 'rateLimit.shared', good: fc.constant(undefined), accepts: () => false },
    { path: 'signal', good: optional(fc.constant(null).map(() => new AbortController().signal)), accepts: isSignal },
    {
      path: 'userAgent',
      good: optional(word.map((name) => `${name}/1.0`)),
      bad: fc.constantFrom('', '  ', 'agent\r\nX-Injected: 1', 'agent\u2013x', 'agent\u0085'),
      accepts: (value) => nonBlank(value) && isHeaderText(value),
    },
    { path: 'hooks', good: optional(fc.constant({})), bad: fc.constantFrom(() => 1, [], 'onRequest', ...notPlainObjects), accepts: isEmptyRecord, names: ['hooks.*'] },
    ...['onRequest', 'onResponse', 'onRetry', 'onRateLimit'].map(
      (hook): Field => ({ path: `hooks.${hook}`, good: optional(fc.constant(() => undefined)), accepts: isFunction }),
    ),
    {
      path: 'maxResponseSize',
      good: optional(intIn(1 << 20, 2 ** 40)),
      bad: fc.constantFrom(0, -1, 1.5, Infinity),
      accepts: (value) => isInteger(value, 1, Number.MAX_VALUE),
      // A cap below the answer's size fails it, after the request.
      sends: true,
    },
    {
      path: 'clock',
      good: optional(fc.constantFrom(1e-6, 1e-3).map((scale) => scaled(scale))),
      bad: fc.constantFrom(scaled(0), scaled(-1), scaled(NaN), scaled(Infinity), scaled('1'), { now: Date.now, scale: 1 }, { sleep: CLOCK.sleep, scale: 1 }),
      accepts: () => false,
      names: ['clock', 'clock.scale'],
    },
  ];
}

/** A vendor's own options: its credentials, tenant and the way it sends them. */
function credentialFields(vendor: VendorName): Field[] {
  const token = (path: string): Field => ({ path, good: fc.constant(undefined), accepts: isToken, required: true, sends: true });
  const text = (path: string): Field => ({ path, good: fc.constant(undefined), accepts: isText, required: true, sends: true });
  switch (vendor) {
    case 'socotra':
      return [
        { ...token('token'), good: fc.constantFrom(SOCOTRA_EMULATOR_TOKEN, 'another-token') },
        {
          path: 'tenantLocator',
          good: fc.oneof(fc.constant(SOCOTRA_EMULATOR_TENANT), fc.uuid()),
          bad: fc.constantFrom('6a3e0b52', `${SOCOTRA_EMULATOR_TENANT}x`, ''),
          accepts: (value) => isString(value) && UUID.test(value),
          required: true,
          sends: true,
        },
      ];
    case 'tines':
      return [
        { ...token('token'), good: fc.constantFrom(DEFAULT_TINES_CREDENTIAL.key, 'another-key') },
        enumField('authScheme', ['bearer', 'x-user-token'], { sends: true }),
        {
          path: 'email',
          good: optional(fc.constantFrom(DEFAULT_TINES_CREDENTIAL.email, 'ops@example.com')),
          bad: fc.constantFrom('not-an-email', '@', 'a@b c', 'δοκιμή@example.com'),
          accepts: (value) => isString(value) && /^[^\s@]+@[^\s@]+$/.test(value) && isHeaderText(value),
        },
        enumField('apiPath', ['actions', 'agents'], { sends: true }),
      ];
    case 'fujitsu': {
      const identity = { url: 'https://identity.uk-1.cloud.global.fujitsu.com', ...DEFAULT_FUJITSU_USER };
      return [
        {
          path: 'tenantId',
          // Another project would not match the catalog suffix of the base URLs: that suffix stays in the path.
          good: fc.constant(DEFAULT_FUJITSU_TENANT),
          bad: fc.constantFrom('.', '..', '', '\ud800x'),
          accepts: isPathSegment,
          required: true,
          sends: true,
        },
        { path: 'token', good: fc.constantFrom(DEFAULT_FUJITSU_TOKEN, undefined), accepts: isToken, sends: true },
        { path: 'identity', good: optional(fc.constant(identity)), bad: fc.constantFrom('user:pw', [identity], ...notPlainObjects), accepts: () => false, sends: true },
        {
          path: 'identity.url',
          good: fc.constantFrom(identity.url, `${identity.url}/v3`, `${identity.url}/v3/`, `${identity.url}/v3?x=1`, `${identity.url}/v3#top`),
          bad: fc.constantFrom('http://identity.example', 'https://u:p@identity.example', 'identity', ''),
          accepts: () => false,
          sends: true,
        },
        { ...text('identity.userName'), good: fc.constantFrom(identity.userName, 'someone else') },
        { ...text('identity.password'), good: fc.constantFrom(identity.password, 'pässwörd – 1') },
        { path: 'identity.domainName', good: fc.constantFrom(identity.domainName), accepts: nonBlank, required: true, sends: true },
        { path: 'identity.projectId', good: optional(fc.constant(DEFAULT_FUJITSU_TENANT)), accepts: nonBlank, sends: true },
      ];
    }
    case 'illumio':
      return [
        {
          path: 'orgId',
          good: fc.constantFrom(1, '1', ' 1 '),
          bad: fc.constantFrom(0, -1, 1.5, '0', '01', 'one', '1e3', 2 ** 53),
          accepts: (value) => isInteger(value, 1) || (isString(value) && /^[1-9]\d{0,15}$/.test(value.trim())),
          required: true,
          sends: true,
        },
        // The user of a Basic credential ends at its first colon.
        { ...token('apiKey'), good: fc.constantFrom(DEFAULT_ILLUMIO_CREDENTIAL.apiKey, 'api_other'), bad: fc.constantFrom('api:1'), accepts: (value) => isToken(value) && !(value as string).includes(':') },
        { ...token('apiSecret'), good: fc.constantFrom(DEFAULT_ILLUMIO_CREDENTIAL.apiSecret, 'another-secret') },
        intField('jobPollInterval', 1, 60_000, { accepts: (value) => isInteger(value, 1) }),
        intField('jobTimeout', 1, 3_600_000, { accepts: (value) => isInteger(value, 1) }),
      ];
    case 'informatica':
      return [
        { ...text('username'), good: fc.constantFrom(DEFAULT_INFORMATICA_USER.user, 'δοκιμή'), bad: fc.constantFrom('a:b'), accepts: (value) => isText(value) && !(value as string).includes(':') },
        { ...text('password'), good: fc.constantFrom(DEFAULT_INFORMATICA_USER.password, 'correct horse') },
      ];
  }
}

/** Options a factory builds its client from, the emulator's credentials and no limiter in the way. */
function baseOptions(vendor: VendorName): Options {
  const common = { baseUrl: VENDOR_URLS[vendor], fetch: spies[vendor], clock: CLOCK };
  switch (vendor) {
    case 'socotra':
      return { ...common, tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN };
    case 'tines':
      return { ...common, token: DEFAULT_TINES_CREDENTIAL.key };
    case 'fujitsu':
      return { ...common, tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN };
    case 'illumio':
      return { ...common, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL };
    case 'informatica':
      return { ...common, username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password };
  }
}

type Client = { events: { list(query?: unknown): Paginated<unknown> } };
const FACTORIES: Record<VendorName, (options: never) => Client> = { socotra, tines, fujitsu, illumio, informatica } as never;

/** Relations among a factory's options, each naming the options it makes bad. */
function factoryRelations(vendor: VendorName, options: Options): string[] {
  const names: string[] = [];
  if (options['allowInsecureHttp'] !== true && insecure(options['baseUrl'])) names.push('baseUrl');
  const retry = options['retry'];
  if (isRecord(retry) && typeof retry['minDelay'] === 'number' && typeof retry['maxDelay'] === 'number' && retry['maxDelay'] < retry['minDelay']) {
    names.push('retry.maxDelay');
  }
  if (vendor === 'tines' && options['email'] !== undefined && options['authScheme'] !== 'x-user-token') names.push('email');
  if (vendor === 'fujitsu') {
    const { token, identity } = options;
    if ((token === undefined) === (identity === undefined)) names.push('token');
    // An identity url is checked as a base URL is, `allowInsecureHttp` included.
    if (isRecord(identity) && options['allowInsecureHttp'] !== true && insecure(identity['url'])) names.push('identity.url');
    // An identity made of some of its members alone lacks the others.
    for (const member of ['url', 'userName', 'password', 'domainName']) if (isRecord(identity) && identity[member] === undefined) names.push(`identity.${member}`);
  }
  return names;
}

/** Asks for the first page and closes the iteration: the error it ended with, or `undefined`. */
async function firstPage(run: () => AsyncIterable<unknown>): Promise<unknown> {
  try {
    const iterator = run()[Symbol.asyncIterator]();
    try {
      await iterator.next();
    } finally {
      await iterator.return?.();
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

/** A limiter key of the case's own (its key made unique, when it names a good one): cases must not share a limiter. */
function isolated(options: Options): Options {
  const rateLimit = options['rateLimit'];
  // A copy of a Map or a class instance would be a plain object: the case would not test it.
  if (!isPlainObject(rateLimit)) return options;
  const key = rateLimit['key'];
  if (key === undefined || nonBlank(key)) return { ...options, rateLimit: { ...rateLimit, key: `${key ?? 'case'}-${++cases}` } };
  return options;
}

async function measure(lists: boolean, run: () => unknown): Promise<Outcome> {
  requests = 0;
  urls = [];
  globalCalls = 0;
  let error: unknown;
  try {
    const result = run();
    error = result instanceof Promise ? await result : result;
  } catch (caught) {
    error = caught;
  }
  return { error, requests: requests + globalCalls, urls, lists };
}

function factoryEntry(vendor: VendorName): Entry {
  const factory = FACTORIES[vendor];
  return {
    name: `${vendor}(options)`,
    fields: [...commonFields(vendor), ...credentialFields(vendor)],
    base: () => baseOptions(vendor),
    paths: API_PATHS[vendor],
    relate: (options) => factoryRelations(vendor, options),
    attempt: (options) =>
      measure(true, () => {
        const client = factory(isolated(options) as never);
        return firstPage(() => client.events.list().byPage());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// The queries of the listings.

function listEntry<C>(vendor: VendorName, name: string, fields: readonly Field[], list: (client: C, query: Options) => AsyncIterable<unknown>, relate?: Entry['relate']): Entry {
  return {
    name: `${vendor} ${name}`,
    fields,
    base: () => ({}),
    ...(relate === undefined ? {} : { relate }),
    attempt: (query) =>
      measure(true, () => {
        const client = FACTORIES[vendor]({ ...baseOptions(vendor), rateLimit: false } as never) as unknown as C;
        return firstPage(() => list(client, query));
      }),
  };
}

/** `until` before `since` names `until`, for every vendor; the same instant is a window (README). */
function windowRelation(options: Options): string[] {
  const { since, until } = options;
  if (!isGoodTime(since) || !isGoodTime(until)) return [];
  return epochOf(until) < epochOf(since) ? ['until'] : [];
}

const isGoodTime = (value: unknown): value is Date | string => isTime(value) || (isString(value) && !Number.isNaN(epochOf(value)) && /^\d{4}-/.test(value));

const given = (options: Options, ...keys: string[]): string[] => keys.filter((key) => options[key] !== undefined);

const queryEntries: Entry[] = [
  listEntry(
    'illumio',
    'events.list(query)',
    [
      stringField('type'),
      stringField('createdBy'),
      enumField('severity', ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug', 'emergency', 'critical', 'error']),
      enumField('status', ['success', 'failure']),
      timeField('since'),
      timeField('until'),
      intField('pageSize', 1, 10_000),
      enumField('mode', ['sync', 'async', 'auto']),
      intField('asyncThreshold', 1, 100_000, { accepts: (value) => isInteger(value, 1) }),
    ],
    (client: Client, query) => client.events.list(query).byPage(),
    (options) => {
      const names = windowRelation(options);
      // Only mode 'auto' reads a threshold.
      if (options['mode'] !== 'auto') names.push(...given(options, 'asyncThreshold'));
      return names;
    },
  ),
  listEntry(
    'socotra',
    'events.list(query)',
    [timeField('since'), timeField('until'), stringField('type'), intField('pageSize', 1, 1_000)],
    (client: Client, query) => client.events.list(query).byPage(),
    (options) => windowRelation(options),
  ),
  listEntry(
    'socotra',
    'schedules.failed.list(query)',
    [
      stringField('policyLocator', { bad: fc.constantFrom('', ' ', '.', '..'), accepts: isPathSegment }),
      { path: 'tenant', good: optional(fc.boolean()), accepts: (value) => typeof value === 'boolean' },
      enumField('state', ['queued', 'quit']),
      intField('pageSize', 1, 1_000),
    ],
    (client: { schedules: { failed: { list(query: unknown): Paginated<unknown> } } }, query) => client.schedules.failed.list(query).byPage(),
    (options) => {
      const chosen = [options['policyLocator'] !== undefined && 'policyLocator', options['tenant'] === true && 'tenant', options['state'] !== undefined && 'state'];
      const names = chosen.filter((name): name is string => name !== false);
      return names.length > 1 ? names : [];
    },
  ),
  listEntry(
    'tines',
    'events.list(query)',
    [
      ...['actionId', 'sinceId', 'untilId', 'storyId', 'teamId'].map(
        (path): Field => ({
          path,
          good: optional(fc.oneof(intIn(0, 10_000), fc.constantFrom('0', '00042', '99999999999999999999'))),
          bad: fc.constantFrom(-1, 1.5, '-1', '1e3', ' 1', '0x10', 2 ** 53),
          accepts: isTinesId,
          // An action or a story the tenant does not have is the vendor's to refuse.
          sends: path !== 'sinceId' && path !== 'untilId',
        }),
      ),
      timeField('since'),
      timeField('until'),
      intField('pageSize', 1, 500),
    ],
    (client: Client, query) => client.events.list(query).byPage(),
    (options) => {
      const names = windowRelation(options);
      if (options['actionId'] !== undefined) names.push(...given(options, 'storyId', 'teamId'));
      const { sinceId, untilId } = options;
      if (isTinesId(sinceId) && isTinesId(untilId) && BigInt(String(untilId)) <= BigInt(String(sinceId))) names.push('untilId', 'sinceId');
      return names;
    },
  ),
  listEntry(
    'fujitsu',
    'events.list(query)',
    [
      timeField('since'),
      timeField('until'),
      intField('duration', 1, 60 * 24 * 366),
      {
        path: 'categories',
        good: optional(fc.oneof(word, fc.array(word, { minLength: 1, maxLength: 3 }))),
        bad: fc.constantFrom('', ' ', [''], ['backup', ' '], [1], [null]),
        accepts: (value) => nonBlank(value) || (Array.isArray(value) && value.length > 0 && value.every(nonBlank)),
        names: ['categories', 'categories[0]', 'categories[1]'],
      },
      enumField('sourceType', ['db-instance', 'db-snapshot']),
      stringField('sourceId'),
      intField('pageSize', 20, 100),
    ],
    (client: Client, query) => client.events.list(query).byPage(),
    (options) => [...windowRelation(options), ...(options['since'] !== undefined && options['duration'] !== undefined ? ['duration', 'since'] : [])],
  ),
  listEntry(
    'informatica',
    'events.list(query)',
    [
      stringField('applicationName'),
      stringField('topicName'),
      stringField('pubSubName'),
      { path: 'useExactMatch', good: optional(fc.boolean()), accepts: (value) => typeof value === 'boolean' },
      timeField('since'),
      timeField('until'),
      enumField('range', ['LAST_HOUR', 'LAST_24_HOURS', 'LAST_7_DAYS', 'LAST_30_DAYS', 'CUSTOM']),
      enumField('eventType', ['ALL', 'PUBLICATION', 'SUBSCRIPTION']),
      enumField('eventStatus', ['ALL', 'COMPLETE', 'ERROR']),
      intField('pageSize', 1, 2_000),
      enumField('children', ['flatten', 'nested']),
    ],
    (client: Client, query) => client.events.list(query).byPage(),
    (options) => {
      const names = windowRelation(options);
      const { range, since, until } = options;
      if (range !== undefined && range !== 'CUSTOM' && (since !== undefined || until !== undefined)) names.push('range', 'since', 'until');
      if (since === undefined && (range === 'CUSTOM' || until !== undefined)) names.push('since');
      return names;
    },
  ),
];

// ---------------------------------------------------------------------------------------------------
// byPage, toArray, watch and checkpoints, over each vendor's listing.

function pagingEntries(vendor: VendorName): Entry[] {
  const bounds: Record<VendorName, [number, number]> = { socotra: [1, 1_000], tines: [1, 500], fujitsu: [20, 100], illumio: [1, 10_000], informatica: [1, 2_000] };
  const [min, max] = bounds[vendor];
  const client = () => FACTORIES[vendor]({ ...baseOptions(vendor), rateLimit: false } as never);
  const cursor: Field = {
    path: 'cursor',
    good: fc.constant(undefined),
    bad: fc.oneof(
      fc.constantFrom('', ' ', 'not a cursor', '%%%', 'eyJ2IjoxfQ', 'eyJ2IjoyLCJwIjoiaWxsdW1pbyJ9', Buffer.from('{"v":1,"p":"socotra","q":"0","k":"token","s":{}}').toString('base64url')),
      fc.base64String({ minLength: 4, maxLength: 40 }).map((text) => text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')),
      fc.constantFrom(...VENDORS.filter((other) => other !== vendor)).map((other) => `foreign:${other}`),
      fc.constant('other-query'),
      fc.constant('truncated'),
    ),
    accepts: () => false,
  };
  const pageSize = intField('pageSize', min, max);
  const signalField: Field = { path: 'signal', good: optional(fc.constant(null).map(() => new AbortController().signal)), accepts: isSignal };
  const byPage: Entry = {
    name: `${vendor} byPage(options)`,
    fields: [cursor, pageSize, signalField],
    base: () => ({}),
    cursorFields: ['cursor'],
    attempt: async (options) => {
      const resolved = { ...options, ...(isString(options['cursor']) ? { cursor: await realCursor(vendor, options['cursor']) } : {}) };
      return measure(true, () => firstPage(() => client().events.list().byPage(resolved)));
    },
  };
  const toArray: Entry = {
    name: `${vendor} toArray(options)`,
    fields: [
      {
        path: 'maxItems',
        good: optional(fc.oneof(intIn(1, 40), fc.constant(Infinity))),
        bad: fc.constantFrom(-1, 1.5, NaN, -Infinity, '5'),
        accepts: (value) => value === Infinity || isInteger(value, 0, Number.MAX_VALUE),
      },
      signalField,
    ],
    base: () => ({}),
    attempt: (options) =>
      measure(!(options['maxItems'] === 0), async () => {
        try {
          await client().events.list().toArray(options);
          return undefined;
        } catch (error) {
          return error;
        }
      }),
  };
  const watchEntry: Entry = {
    name: `${vendor} watch(listing, options)`,
    fields: [
      {
        path: 'interval',
        good: optional(intIn(0, 10 * MAX_TIMER)),
        bad: fc.constantFrom(-1, NaN, Infinity, '30000'),
        accepts: (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0,
      },
      {
        path: 'checkpoint',
        good: optional(fc.constant(null).map(() => memoryCheckpoint())),
        bad: fc.constantFrom({ load: async () => undefined }, { save: async () => undefined }, 'file.cursor'),
        accepts: () => false,
      },
      { ...cursor },
      { ...pageSize },
      { ...signalField },
      { path: 'clock', good: optional(fc.constant(CLOCK)), bad: fc.constantFrom({ now: Date.now }), accepts: () => false },
    ],
    base: () => ({}),
    cursorFields: ['cursor'],
    attempt: async (options) => {
      const resolved = { ...options, ...(isString(options['cursor']) ? { cursor: await realCursor(vendor, options['cursor']) } : {}) };
      return measure(true, () => firstPage(() => watch(client().events.list(), resolved as never)));
    },
  };
  return [byPage, toArray, watchEntry];
}

/** The cursor a case names: a foreign vendor's, another query's, a truncated one; any other string is itself. */
async function realCursor(vendor: VendorName, name: string): Promise<string> {
  const pageOf = async (of: VendorName, query?: Options): Promise<string> => {
    const listing = FACTORIES[of]({ ...baseOptions(of), rateLimit: false } as never).events.list(query);
    for await (const page of listing.byPage()) return (page as { cursor: string }).cursor;
    throw new Error('no page');
  };
  const other: Record<VendorName, Options> = {
    socotra: { type: 'policy.issue' },
    tines: { sinceId: 3 },
    fujitsu: { sourceType: 'db-instance' },
    illumio: { type: 'user.sign_in' },
    informatica: { eventStatus: 'ERROR' },
  };
  let cursor: string;
  if (name.startsWith('foreign:')) cursor = await pageOf(name.slice('foreign:'.length) as VendorName);
  else if (name === 'other-query') cursor = await pageOf(vendor, other[vendor]);
  else if (name === 'truncated') cursor = (await pageOf(vendor)).slice(0, -3);
  else return name;
  requests = 0;
  return cursor;
}

/** `fileCheckpoint(path)` under `watch`: a path it cannot keep a cursor at is refused before any request. */
function checkpointEntry(vendor: VendorName): Entry {
  return {
    name: `${vendor} watch({ checkpoint: fileCheckpoint(path) })`,
    fields: [
      {
        path: 'path',
        good: word.map((name) => join(folder, `${++cases}-${name}.cursor`)),
        bad: fc.constantFrom('', undefined, MISSING, `${tmpdir()}/x\u0000y.cursor`, 42, null),
        accepts: () => false,
        // A relative path names a file in the working directory: a good value, not one to write here.
        skip: (value) => isString(value),
        required: true,
      },
    ],
    base: () => ({ path: join(folder, `${++cases}.cursor`) }),
    closed: false,
    attempt: (options) =>
      measure(true, async () => {
        const checkpoint = fileCheckpoint(options['path'] as string);
        const pages = watch(FACTORIES[vendor]({ ...baseOptions(vendor), rateLimit: false } as never).events.list(), { checkpoint, clock: CLOCK });
        try {
          // The first page and its save: a save the path cannot take fails here, after the request.
          await pages.next();
          await pages.next();
        } finally {
          await pages.return(undefined).catch(() => undefined);
        }
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// tributary/redis and the testing kit.

const redisEntry: Entry = {
  name: 'redisRateLimit(options)',
  fields: [
    { path: 'clientOptions', good: optional(fc.constant({ host: '127.0.0.1', port: 6379 })), bad: fc.constantFrom(...notPlainObjects), accepts: isPlainObject },
    enumField('datastore', ['ioredis', 'redis']),
    {
      path: 'connectTimeout',
      good: optional(intIn(1, MAX_TIMER)),
      bad: fc.constantFrom(0, -1, MAX_TIMER + 1, NaN),
      accepts: (value) => typeof value === 'number' && value > 0 && value <= MAX_TIMER,
    },
    {
      path: 'slotLease',
      good: optional(intIn(1_000, MAX_TIMER)),
      bad: fc.constantFrom(999, 0, MAX_TIMER + 1, NaN),
      accepts: (value) => typeof value === 'number' && value >= 1_000 && value <= MAX_TIMER,
    },
  ],
  base: () => ({}),
  prefix: 'redisRateLimit.',
  attempt: (options) =>
    measure(false, () => {
      // Accepted by a factory as its shared limit: nothing connects before a request.
      illumio({ ...(baseOptions('illumio') as unknown as IllumioOptions), rateLimit: { shared: redisRateLimit(options) } });
      return undefined;
    }),
};

function emulatorEntry(target: VendorName | 'generic'): Entry {
  return {
    name: `createEmulator('${target}', options)`,
    fields: [
      { path: 'seed', good: optional(fc.integer()), bad: fc.constantFrom(null, 1.5, NaN, '1'), accepts: (value) => isInteger(value, Number.MIN_SAFE_INTEGER) },
      {
        path: 'events',
        good: optional(intIn(0, 20)),
        // At most 50_000 (EmulatorOptions.events): 2 ** 31 hung while the store was built.
        bad: fc.constantFrom(null, -1, 1.5, '5', 50_001, 2 ** 31, Number.MAX_SAFE_INTEGER),
        accepts: (value) => isInteger(value, 0, 50_000),
        // Good, and a store of that many events: longer to build than a case should take.
        skip: (value) => typeof value === 'number' && value > 1_000 && value <= 50_000,
      },
      {
        path: 'clock',
        good: optional(fc.constant(CLOCK)),
        bad: fc.constantFrom(null, { now: Date.now, sleep: CLOCK.sleep, scale: 0 }, { now: Date.now, sleep: CLOCK.sleep, scale: Infinity }, { sleep: CLOCK.sleep, scale: 1 }),
        accepts: () => false,
      },
      {
        path: 'baseUrl',
        good: optional(fc.constantFrom('https://api.example.com', 'http://127.0.0.1:8080/')),
        bad: fc.constantFrom(null, '', 'not a url', 42, new URL('https://x.example')),
        accepts: () => false,
      },
    ],
    base: () => ({}),
    attempt: (options) =>
      measure(false, async () => {
        const emulator = createEmulator(target as 'illumio', options as never);
        // It answers: any status will do, what matters is that it was built to answer.
        await emulator.fetch(`${(options['baseUrl'] as string | undefined) ?? 'https://x.example'}/`);
        return undefined;
      }),
  };
}

const listenEntry: Entry = {
  name: 'emulator.listen(options)',
  fields: [
    // Any other port is good too, and may be taken or privileged: not one to bind here.
    {
      path: 'port',
      good: optional(fc.constant(0)),
      bad: fc.constantFrom(-1, 65_536, 1.5, '0', null, NaN),
      accepts: (value) => isInteger(value, 0, 65_535),
      skip: (value) => typeof value === 'number' && value !== 0,
    },
    // Any other non-blank string is a host name to resolve: good, and not one to look up here.
    { path: 'host', good: optional(fc.constantFrom('127.0.0.1', 'localhost')), bad: fc.constantFrom('', ' ', 5, null), accepts: nonBlank, skip: isString },
  ],
  base: () => ({}),
  attempt: (options) =>
    measure(false, async () => {
      const server = await emulators.illumio.listen(options as never);
      await server.close();
      return undefined;
    }),
};

const faultEntry: Entry = {
  name: 'emulator.faults.add(spec)',
  fields: [
    { path: 'kind', good: fc.constant('status'), bad: fc.constantFrom('Status', '', 'timeout', undefined, MISSING), accepts: () => false, required: true },
    intField('status', 400, 599, { bad: fc.constantFrom(204, 304, 199, 600, 500.5, '500'), accepts: (value) => isInteger(value, 200, 599) && ![204, 205, 304].includes(value as number) }),
    // An object of junk may be a plain one that fetch takes as headers: not one to judge here.
    { path: 'headers', good: optional(fc.constant({ 'Retry-After': '1' })), bad: fc.constantFrom(new Headers(), new Map(), { 'bad name': 'x' }, [['a', 'b']]), accepts: () => false, skip: isRecord },
    { path: 'schedule', good: optional(fc.constantFrom({ every: 2 }, { once: true }, { probability: 0.5, seed: 3 })), bad: fc.constantFrom({}, { once: false }, { every: 1, once: true }, ...notPlainObjects), accepts: () => false, names: ['schedule', 'schedule.every', 'schedule.once'] },
    { path: 'schedule.every', good: optional(intIn(1, 5)), bad: fc.constantFrom(0, -1, 1.5, NaN, Infinity, 2 ** 53, Number.MAX_VALUE), accepts: (value) => isInteger(value, 1) },
    { path: 'match', good: optional(fc.constant({})), bad: fc.constantFrom('GET', 5, ...notPlainObjects), accepts: isEmptyRecord, names: ['match.*'] },
    { path: 'match.method', good: optional(fc.constantFrom('GET', 'post')), bad: fc.constantFrom(5, null), accepts: isString },
    { path: 'match.path', good: optional(fc.constantFrom('/api/v2/orgs/1/events', /events/)), bad: fc.constantFrom(5, null, ['/x']), accepts: (value) => isString(value) || value instanceof RegExp },
  ],
  base: () => ({ kind: 'status' }),
  relate: (spec) => {
    const schedule = spec['schedule'];
    // A schedule given only through `every` is `{ every }`; `once` and `every` together name the schedule.
    if (isRecord(schedule) && 'every' in schedule && ('once' in schedule || 'probability' in schedule)) return ['schedule'];
    // A schedule none of whose members is given would fire as `{ once: true }`.
    if (isRecord(schedule) && schedule['every'] === undefined && schedule['probability'] === undefined && schedule['once'] !== true) return ['schedule', 'schedule.every'];
    return [];
  },
  attempt: (spec) =>
    measure(false, () => {
      emulators.illumio.faults.add(spec as never).remove();
      return undefined;
    }),
};

// ---------------------------------------------------------------------------------------------------
// The property.

/** Sets `value` at a dotted path; a member that is not an object on the way becomes one. */
function setAt(target: Options, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(at[key])) at[key] = {};
    at[key] = { ...(at[key] as Options) };
    at = at[key] as Options;
  }
  const last = keys.at(-1) as string;
  if (value === MISSING) delete at[last];
  else at[last] = value;
}

const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);

function caseOf(entry: Entry): fc.Arbitrary<Case> {
  const known = new Set([...entry.fields.map((field) => field.path.split('.')[0] as string), ...(entry.known ?? [])]);
  // Junk the oracle takes is a good value, junk it refuses a bad one; a draw of the wrong kind falls back
  // to the field's own values (a filter could search forever for a field that takes no junk at all).
  const junkOr = (field: Field, fallback: fc.Arbitrary<unknown>, good: boolean) =>
    fc.tuple(junk, fallback).map(([value, other]) => (field.accepts(value) === good && value !== undefined && !field.skip?.(value) ? value : other));
  const refusedJunk = fc.constantFrom<unknown>(Symbol('refused'), 10n);
  const goodOf = (field: Field) => fc.oneof({ weight: 6, arbitrary: field.good }, { weight: 1, arbitrary: junkOr(field, field.good, true) });
  const badOf = (field: Field) => {
    // A field's own bad values are bad by its oracle too (a bound past which another field's bound lies).
    const own = field.bad?.map((value) => (value !== undefined && value !== MISSING && field.accepts(value) ? Symbol('refused') : value)) ?? refusedJunk;
    return fc.oneof(
      { weight: 3, arbitrary: field.bad === undefined ? junkOr(field, refusedJunk, false) : own },
      { weight: 3, arbitrary: junkOr(field, own, false) },
      { weight: field.required ? 1 : 0, arbitrary: fc.constantFrom(undefined, MISSING) },
    );
  };
  const goods = fc.subarray([...entry.fields]).chain((fields) => fc.tuple(...fields.map((field) => goodOf(field).map((value): [Field, unknown] => [field, value]))));
  const bad = fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: fc.constantFrom(...entry.fields).chain((field) => badOf(field).map((value) => ({ field, value }))) },
    {
      weight: entry.closed === false ? 0 : 1,
      arbitrary: fc
        .tuple(fc.stringMatching(/^[a-z][A-Za-z]{0,12}$/), fc.oneof(junk, fc.constant(undefined)))
        .filter(([key]) => !known.has(key) && !RESERVED.has(key))
        .map(([unknown, value]) => ({ unknown, value })),
    },
  );
  return fc.record({ goods, bad });
}

function optionsOf(entry: Entry, { goods, bad }: Case): Options {
  const options = entry.base();
  const badPath = bad !== undefined && 'field' in bad ? bad.field.path : undefined;
  for (const [field, value] of goods) {
    // The bad member of an object set as good would be set over it: leave that object's own value out.
    if (badPath !== undefined && (field.path === badPath || badPath.startsWith(`${field.path}.`))) continue;
    setAt(options, field.path, value);
  }
  if (bad !== undefined) setAt(options, 'field' in bad ? bad.field.path : bad.unknown, bad.value);
  return options;
}

function describeCase(entry: Entry, c: Case): string {
  const show = (value: unknown) => (typeof value === 'symbol' || typeof value === 'bigint' ? String(value) : value === MISSING ? '(missing)' : value instanceof Date ? `Date(${value.getTime()})` : JSON.stringify(value) ?? String(value));
  const bad = c.bad === undefined ? 'none' : 'field' in c.bad ? `${c.bad.field.path}=${show(c.bad.value)}` : `unknown ${c.bad.unknown}=${show(c.bad.value)}`;
  return `${entry.name}: bad ${bad}; good ${c.goods.map(([field, value]) => `${field.path}=${show(value)}`).join(', ')}`;
}

interface Figures {
  refused: number;
  accepted: number;
  pages: number;
}

async function check(entry: Entry, c: Case, figures: Figures): Promise<void> {
  const options = optionsOf(entry, c);
  const related = entry.relate?.(options) ?? [];
  const { bad } = c;
  // An unknown key given as `undefined` is as if left out.
  const refused = bad !== undefined && !('unknown' in bad && bad.value === undefined);
  const names = new Set(related);
  const prefix = entry.prefix ?? '';
  if (bad !== undefined && 'field' in bad) for (const name of [bad.field.path, ...(bad.field.names ?? [])]) names.add(`${prefix}${name}`);
  if (bad !== undefined && 'unknown' in bad && bad.value !== undefined) names.add(`${prefix}${bad.unknown}`);
  const outcome = await entry.attempt(options);
  const label = describeCase(entry, c);
  const { error } = outcome;
  if (refused || related.length > 0) {
    figures.refused += 1;
    const cursorBad = bad !== undefined && 'field' in bad && (entry.cursorFields ?? []).includes(bad.field.path);
    if (cursorBad && isCursorError(error)) {
      expect(outcome.requests, label).toBe(0);
      return;
    }
    expect(isConfigurationError(error), `${label}: expected a ConfigurationError, got ${String(error)}`).toBe(true);
    const { option, reason } = error as { option?: string; reason?: string };
    // A name that is also a credential of a client still alive (junk such as 'x' is a valid token) is
    // redacted in the error as everywhere else.
    const named = [...names].some((name) => (name.endsWith('.*') ? option?.startsWith(name.slice(0, -1)) : name === option || redact(name) === option));
    expect(named, `${label}: ${String(error)} names none of ${[...names].join(', ')}`).toBe(true);
    if (bad !== undefined && 'unknown' in bad && option === `${prefix}${bad.unknown}`) expect(reason, label).toBe('unknown');
    expect(outcome.requests, `${label}: requests before the ConfigurationError`).toBe(0);
    return;
  }
  figures.accepted += 1;
  expect(isConfigurationError(error) || isCursorError(error), `${label}: refused good options with ${String(error)}`).toBe(false);
  // A Keystone password refused in an earlier case is refused again at once, unsent (README "Authenticate").
  const remembered = isAuthenticationError(error) && (error as { operation?: string }).operation === 'auth.login';
  if (outcome.lists && !remembered) expect(outcome.requests, `${label}: no request sent`).toBeGreaterThan(0);
  const mayFail = c.goods.some(([field, value]) => field.sends === true && value !== undefined);
  if (!mayFail) expect(error, `${label}: the first page failed`).toBeUndefined();
  if (outcome.lists && error === undefined) figures.pages += 1;
  // A base URL's query and fragment are dropped (CommonOptions.baseUrl).
  for (const url of outcome.urls) {
    expect(url, label).not.toMatch(/probe|#/);
    if (entry.paths !== undefined) expect(new URL(url).pathname, label).toMatch(entry.paths);
  }
}

async function property(entries: readonly Entry[], numRuns: number, seed: number): Promise<Figures> {
  const figures: Figures = { refused: 0, accepted: 0, pages: 0 };
  for (const [index, entry] of entries.entries()) {
    await fc.assert(
      fc.asyncProperty(caseOf(entry), (c) => check(entry, c, figures)),
      { numRuns, seed: seed + index, endOnFailure: true },
    );
  }
  return figures;
}

describe('options at random: bad ones refused by name before any request, good ones work', PROPERTY_TIMEOUT, () => {
  it.each(VENDORS)('%s: the factory’s options', async (vendor) => {
    const figures = await property([factoryEntry(vendor)], 400, 9_100 + VENDORS.indexOf(vendor));
    expect(figures.refused).toBeGreaterThan(100);
    expect(figures.pages).toBeGreaterThan(10);
  });

  it('each listing’s query', async () => {
    const figures = await property(queryEntries, 400, 9_200);
    expect(figures.refused).toBeGreaterThan(500);
    expect(figures.pages).toBeGreaterThan(200);
  });

  it.each(VENDORS)('%s: byPage, toArray, watch and a file checkpoint', async (vendor) => {
    const figures = await property([...pagingEntries(vendor), checkpointEntry(vendor)], 120, 9_300 + 10 * VENDORS.indexOf(vendor));
    expect(figures.refused).toBeGreaterThan(60);
    expect(figures.pages).toBeGreaterThan(30);
  });

  it('redisRateLimit, and the testing kit’s createEmulator, listen and faults.add', async () => {
    const targets = [...VENDORS, 'generic'] as const;
    const figures = await property([redisEntry, ...targets.map((target) => emulatorEntry(target as VendorName)), listenEntry, faultEntry], 200, 9_400);
    expect(figures.refused).toBeGreaterThan(300);
    expect(figures.accepted).toBeGreaterThan(300);
  });
});
