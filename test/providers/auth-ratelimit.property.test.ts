/**
 * Authentication and rate limits of the Tines and Socotra clients, at random, through the real clients
 * against their emulators (README "Retries and rate limits", "Errors", "Security"; each vendor's
 * "Traps" and "Errors"): Tines' events, Socotra's events, and Socotra's failed jobs, whose listing
 * fetches pages ahead. In front of each emulator a scripted vendor answers chosen requests itself:
 * - 401 (a key revoked, a Socotra JWT expired) and 403 (Socotra: another tenant; Tines: a team the key
 *   may not read) at random points of a listing, as the emulator writes them or with the credential
 *   echoed in the body and the request id;
 * - 429 with `Retry-After` in seconds, as an HTTP date (with and without the server's `Date`), absent,
 *   zero, negative, fractional, huge, garbage.
 *
 * Promised, and checked:
 * - a 401 is an `AuthenticationError`, a 403 a `PermissionError`, each sent once (never retried); the
 *   message tells the attempts when a 429 before it on the same request was retried; nothing is sent
 *   once the listing is over (a page fetched ahead is neither retried nor followed);
 * - a 429 is retried after its `Retry-After` (a bare, negative or unreadable one: after `minDelay`), no
 *   request of the client's limiter is sent before that wait is over, and `onRetry` announces at least
 *   it; one beyond `maxRetryAfter` ends the listing at once (`RateLimitError`, its `retryAfterMs`, the
 *   message says so); a request still refused after `retries` ends it with the attempts made;
 * - the listing's pages, and a listing resumed from the cursor of its last good page, deliver every
 *   event once;
 * - no error (message, stack, fields, cause chain, JSON, `inspect`), hook argument or cursor holds the
 *   credential;
 * - several listings of one key (of one client or two) share one limiter: `maxConcurrent` holds, a
 *   429 pauses all of them, `minTime` spaces their sends, a client limit equal to the vendor's never
 *   meets its 429; a `Retry-After` beyond `maxRetryAfter` fails the request that met it and, unsent,
 *   those its pause holds, each listing resumable from its last cursor; a listing aborted while its
 *   limiter is paused (by its own signal or its client's) ends at that instant with the abort's
 *   reason, sending nothing more, the others unharmed.
 *
 * Time is fake (timers, `Date`, `performance`): nothing sleeps and every instant is exact.
 */
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { isAuthenticationError, isPermissionError, isRateLimitError } from '../../src/core/errors.js';
import type { CommonOptions, RateLimitInfo, RetryInfo } from '../../src/core/options.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';
import { cursorViews, errorViews, findLeak, hookViews, type Views } from '../support/leak-scan.js';
import { PROPERTY_TIMEOUT } from '../support/property-timeout.js';
import { withFakeTime } from '../support/fake-time.js';

const START = Date.UTC(2026, 11, 6, 12, 0, 0);
const OTHER_TENANT = '0b6e4f0e-3c1d-4a8e-9f00-5d2c7a1b9e34';

type VendorName = 'tines' | 'socotra';

interface Vendor {
  name: VendorName;
  /** What is listed. */
  label: string;
  /** The operation a listing's errors name. */
  operation: string;
  secrets: readonly string[];
  /** A fresh emulator's fetch; a second call with the same arguments serves the same items. */
  emulator(seed: number, items: number, limit?: { requests: number; interval: number }): typeof fetch;
  /** A client over `fetch`, as its listings of every item. */
  client(fetch: typeof globalThis.fetch, options: Partial<CommonOptions>, variant: number): (pageSize: number) => Paginated<unknown>;
  /** What tells one item from another. */
  idOf(item: unknown): string;
  /** Whether a listing sends one request at a time (Socotra's failed jobs fetch pages ahead). */
  sequential: boolean;
  /** A request the emulator refuses as the vendor would: 401 (`revoked`) or 403. */
  refused(request: Request, status: 401 | 403): Request;
}

const TINES: Vendor = {
  name: 'tines',
  label: 'tines events',
  sequential: true,
  operation: 'events.list',
  idOf: (item) => (item as { id: string }).id,
  secrets: [DEFAULT_TINES_CREDENTIAL.key],
  emulator: (seed, events, limit) =>
    tinesEmulator.create({ seed, events, clock: systemClock, order: seed % 2 === 0 ? 'oldest-first' : 'newest-first', rateLimit: limit ?? false }).fetch,
  client: (fetch, options, variant) => {
    const client = tines({
      baseUrl: 'https://tenant-1234.tines.com',
      token: DEFAULT_TINES_CREDENTIAL.key,
      ...(variant % 2 === 0 ? {} : { authScheme: 'x-user-token' as const, email: DEFAULT_TINES_CREDENTIAL.email }),
      ...options,
      fetch,
    });
    return (pageSize) => client.events.list({ pageSize });
  },
  refused: (request, status) => {
    const headers = new Headers(request.headers);
    if (status === 401) {
      // A revoked key: the tenant no longer knows it.
      if (headers.has('authorization')) headers.set('authorization', 'Bearer revoked-key-0000');
      else headers.set('x-user-token', 'revoked-key-0000');
      return new Request(request, { headers });
    }
    // A team the key may not read.
    const url = new URL(request.url);
    url.searchParams.set('team_id', '2');
    headers.set('authorization', `Bearer tines-emulator-read-only-88c0`);
    headers.delete('x-user-token');
    headers.delete('x-user-email');
    return new Request(url, { headers });
  },
};

const SOCOTRA: Vendor = {
  name: 'socotra',
  label: 'socotra events',
  sequential: true,
  operation: 'events.list',
  idOf: (item) => (item as { id: string }).id,
  secrets: [SOCOTRA_EMULATOR_TOKEN],
  emulator: (seed, events, limit) => socotraEmulator.create({ seed, events, clock: systemClock, rateLimit: limit ?? false, errorFormat: seed % 2 === 0 ? 'json' : 'text' }).fetch,
  client: (fetch, options) => {
    const client = socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, ...options, fetch });
    return (pageSize) => client.events.list({ pageSize });
  },
  refused: (request, status) => {
    if (status === 401) {
      // Revoked, or a JWT past its `exp`: the token is not accepted any more.
      const headers = new Headers(request.headers);
      headers.set('authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJleHAiOjB9.');
      return new Request(request, { headers });
    }
    // Another tenant's stream.
    return new Request(request.url.replace(SOCOTRA_EMULATOR_TENANT, OTHER_TENANT), { headers: request.headers });
  },
};

/** Socotra's failed jobs, paged by `offset`/`count` with a re-read window: another cursor to resume. */
const SOCOTRA_FAILED_JOBS: Vendor = {
  ...SOCOTRA,
  label: 'socotra failed jobs',
  sequential: false,
  operation: 'schedules.failed.list',
  emulator: (seed, items, limit) => socotraEmulator.create({ seed, events: 0, failedJobs: items, clock: systemClock, rateLimit: limit ?? false }).fetch,
  client: (fetch, options) => {
    const client = socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, ...options, fetch });
    return (pageSize) => client.schedules.failed.list({ pageSize });
  },
  idOf: (item) => {
    const job = item as { triggerGroup: string; triggerName: string };
    return `${job.triggerGroup}/${job.triggerName}`;
  },
};

const VENDORS: readonly Vendor[] = [TINES, SOCOTRA, SOCOTRA_FAILED_JOBS];

/** How a 429 writes its `Retry-After`. */
type RetryAfter =
  | { form: 'seconds'; seconds: number }
  | { form: 'fraction'; seconds: number }
  | { form: 'date'; seconds: number; withDate: boolean }
  | { form: 'absent' }
  | { form: 'negative' }
  | { form: 'huge' }
  | { form: 'garbage'; text: string };

/** What the scripted vendor answers to one request. */
type Answer =
  | { kind: 'pass' }
  | { kind: 'auth'; status: 401 | 403; echo: boolean }
  | { kind: 'rate-limit'; retryAfter: RetryAfter; echo: boolean };

const retryAfterArb: fc.Arbitrary<RetryAfter> = fc.oneof(
  fc.record({ form: fc.constant('seconds' as const), seconds: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ form: fc.constant('fraction' as const), seconds: fc.double({ min: 0.001, max: 30, noNaN: true }) }),
  fc.record({ form: fc.constant('date' as const), seconds: fc.integer({ min: -60, max: 400 }), withDate: fc.boolean() }),
  fc.constant({ form: 'absent' as const }),
  fc.constant({ form: 'negative' as const }),
  fc.constant({ form: 'huge' as const }),
  fc.record({ form: fc.constant('garbage' as const), text: fc.constantFrom('soon', '1e3', '0x10', '5 s', 'now', '+5', 'Tue, 31 Feb 2026 10:00:00 GMT', 'Monday, 31-Nov-26 10:00:30 GMT', 'Sun, 06 Dec 2026 24:00:00 GMT', '12:00') }),
);

/** The header a 429 carries, and the wait it asks for (unscaled ms), as the README reads it; `undefined`: none. */
function retryAfterHeaders(retryAfter: RetryAfter, now: number): { headers: Record<string, string>; waitMs: number | undefined } {
  switch (retryAfter.form) {
    case 'seconds':
      return { headers: { 'Retry-After': String(retryAfter.seconds) }, waitMs: retryAfter.seconds * 1000 };
    case 'fraction': {
      const text = retryAfter.seconds.toFixed(3);
      return { headers: { 'Retry-After': text }, waitMs: Math.ceil(Number(text) * 1000) };
    }
    case 'date': {
      const at = new Date(now + retryAfter.seconds * 1000).toUTCString();
      if (retryAfter.withDate) {
        const date = new Date(now).toUTCString();
        return { headers: { 'Retry-After': at, Date: date }, waitMs: Math.max(0, Date.parse(at) - Date.parse(date)) };
      }
      return { headers: { 'Retry-After': at }, waitMs: Math.max(0, Date.parse(at) - now) };
    }
    case 'absent':
      return { headers: {}, waitMs: undefined };
    case 'negative':
      return { headers: { 'Retry-After': '-30' }, waitMs: undefined };
    case 'huge':
      return { headers: { 'Retry-After': '99999999999' }, waitMs: 99_999_999_999_000 };
    case 'garbage':
      return { headers: { 'Retry-After': retryAfter.text }, waitMs: undefined };
  }
}

/** One request as the scripted vendor met it. */
interface Met {
  at: number;
  answeredAt: number;
  /** 0 for a pass, else the scripted status. */
  status: number;
  /** The wait a scripted 429 asked for, as the client should honour it (unscaled ms). */
  holdMs: number | undefined;
  /** The wait as written, when readable. */
  waitMs: number | undefined;
  /** The client that sent it. */
  listing: number;
  url: string;
  /** How many requests had arrived when it was answered: those after it were sent after its answer. */
  before: number;
}

interface Scripted {
  fetch(listing: number): typeof globalThis.fetch;
  met: Met[];
  inFlight: { now: number; most: number };
  /** 429s the emulator answered of itself (its own limit). */
  vendorRefusals: number;
  /** Told of each scripted 429 that asks for a wait, as it is answered. */
  onHold?: ((holdMs: number) => void) | undefined;
}

/**
 * A vendor in front of `emulator` that answers the n-th request (all listings together) as `script`
 * says and passes the others on, after `latency(n)` ms.
 */
function scriptedVendor(vendor: Vendor, emulator: typeof fetch, script: readonly Answer[], minDelay: number, latency: (n: number) => number = () => 0): Scripted {
  const met: Met[] = [];
  const inFlight = { now: 0, most: 0 };
  const scripted: Scripted = { met, inFlight, vendorRefusals: 0, fetch: (listing) => fetchOf(listing) };
  const secret = vendor.secrets[0] as string;
  const answerOf = async (n: number, request: Request): Promise<{ response: Response; holdMs: number | undefined; waitMs: number | undefined; status: number }> => {
    const answer = script[n] ?? { kind: 'pass' };
    if (answer.kind === 'pass') {
      const response = await emulator(request);
      if (response.status === 429) scripted.vendorRefusals += 1;
      return { response, holdMs: undefined, waitMs: undefined, status: 0 };
    }
    if (answer.kind === 'auth') {
      if (!answer.echo) return { response: await emulator(vendor.refused(request, answer.status)), holdMs: undefined, waitMs: undefined, status: answer.status };
      const body = JSON.stringify({ errors: [{ message: `token ${secret} is not valid here`, details: request.headers.get('authorization') }] });
      const headers = { 'content-type': 'application/json', 'x-request-id': `req-${secret}` };
      return { response: new Response(body, { status: answer.status, headers }), holdMs: undefined, waitMs: undefined, status: answer.status };
    }
    const { headers, waitMs } = retryAfterHeaders(answer.retryAfter, Date.now());
    const body = answer.echo ? JSON.stringify({ message: `slow down, ${secret}` }) : JSON.stringify({ message: 'Too many requests' });
    const response = new Response(body, { status: 429, headers: { ...headers, 'content-type': 'application/json', ...(answer.echo ? { 'x-request-id': secret } : {}) } });
    // A limiter keeps a pause of a day at most.
    return { response, holdMs: Math.min(waitMs ?? minDelay, 86_400_000), waitMs, status: 429 };
  };
  const fetchOf = (listing: number): typeof globalThis.fetch =>
    async (input, init) => {
      const request = new Request(input, init);
      const n = met.length;
      const entry: Met = { at: Date.now(), answeredAt: Number.NaN, status: 0, holdMs: undefined, waitMs: undefined, listing, url: request.url, before: Number.NaN };
      met.push(entry);
      inFlight.now += 1;
      inFlight.most = Math.max(inFlight.most, inFlight.now);
      try {
        const delay = latency(n);
        if (delay > 0) await sleep(delay, request.signal);
        const { response, holdMs, waitMs, status } = await answerOf(n, request);
        Object.assign(entry, { answeredAt: Date.now(), holdMs, waitMs, status, before: met.length });
        if (holdMs !== undefined && holdMs > 0) scripted.onHold?.(holdMs);
        return response;
      } finally {
        inFlight.now -= 1;
      }
    };
  return scripted;
}

/** Waits `ms` on the (fake) timers, as a slow server does, until the request is aborted. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `body` on fake time, advancing it whenever nothing else can happen, until `done()` says so. */
async function onFakeTime<T>(body: () => Promise<T>): Promise<T> {
  let result: { value: T } | { error: unknown } | undefined;
  void body().then(
    (value) => (result = { value }),
    (error: unknown) => (result = { error }),
  );
  for (let turns = 0; result === undefined; turns += 1) {
    if (turns > 100_000) throw new Error('never settled');
    await vi.advanceTimersToNextTimerAsync();
  }
  if ('error' in result) throw result.error;
  return result.value;
}

interface Drained {
  ids: string[];
  cursors: string[];
  error: unknown;
}

/** Pages of a listing until it ends or fails: the ids and cursors of every page delivered. */
async function drain(vendor: Vendor, listing: Paginated<unknown>, cursor?: string, signal?: AbortSignal): Promise<Drained> {
  const drained: Drained = { ids: [], cursors: [], error: undefined };
  try {
    for await (const page of listing.byPage({ cursor, signal })) {
      drained.ids.push(...page.items.map((item) => vendor.idOf(item)));
      drained.cursors.push(page.cursor);
    }
  } catch (error) {
    drained.error = error;
  }
  return drained;
}

const RETRY_DEFAULTS = { retries: 4, minDelay: 500, maxRetryAfter: 300_000 };

beforeAll(async () => {
  // ky is loaded by the first request, through a real import the fake timers would not let finish.
  await TINES.client(TINES.emulator(1, 1), { clock: systemClock }, 0)(5).toArray();
  await closeRateLimiters();
});

afterEach(async () => {
  vi.useRealTimers();
  await closeRateLimiters();
});

/** Every event of a fresh emulator, listed without faults. */
async function baseline(vendor: Vendor, seed: number, events: number, pageSize: number): Promise<string[]> {
  const drained = await onFakeTime(() => drain(vendor, vendor.client(vendor.emulator(seed, events), { clock: systemClock, rateLimit: false }, 0)(pageSize)));
  expect(drained.error).toBeUndefined();
  return drained.ids;
}

function expectOnce(ids: readonly string[], all: readonly string[]): void {
  expect(new Set(ids).size, 'no event twice').toBe(ids.length);
  expect([...ids].sort()).toEqual([...all].sort());
}

const scriptArb = (answer: fc.Arbitrary<Answer>) =>
  // Mostly passes, and a few scripted answers, never so many 429s that the retry budget (10 always
  // allowed) decides instead of the rules checked here.
  fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.constant<Answer>({ kind: 'pass' }) }, { weight: 2, arbitrary: answer }), { maxLength: 14 })
    .filter((script) => script.filter((answer) => answer.kind === 'rate-limit').length <= 8);

const authAnswer: fc.Arbitrary<Answer> = fc.record({ kind: fc.constant('auth' as const), status: fc.constantFrom(401 as const, 403 as const), echo: fc.boolean() });
const rateLimitAnswer: fc.Arbitrary<Answer> = fc.record({ kind: fc.constant('rate-limit' as const), retryAfter: retryAfterArb, echo: fc.boolean() });

const scenarioOf = (answer: fc.Arbitrary<Answer>) =>
  fc.record({
    seed: fc.integer({ min: 1, max: 1_000 }),
    events: fc.integer({ min: 0, max: 30 }),
    pageSize: fc.integer({ min: 2, max: 9 }),
    variant: fc.nat({ max: 1 }),
    retry: fc.option(
      fc.record({ retries: fc.integer({ min: 0, max: 4 }), minDelay: fc.integer({ min: 1, max: 2_000 }), maxRetryAfter: fc.integer({ min: 0, max: 400_000 }) }),
      { nil: undefined },
    ),
    script: scriptArb(answer),
  });

type ListingScenario = ReturnType<typeof scenarioOf> extends fc.Arbitrary<infer S> ? S : never;

/** How the README's rules end a single listing whose requests meet `script` in turn. */
function expectedEnd(script: readonly Answer[], met: readonly Met[], retry: { retries: number; maxRetryAfter: number }) {
  let attempts = 0;
  for (const [n, request] of met.entries()) {
    const answer = script[n] ?? { kind: 'pass' };
    attempts += 1;
    if (answer.kind === 'pass') {
      attempts = 0;
      continue;
    }
    if (answer.kind === 'auth') return { at: n, kind: answer.status === 401 ? ('authentication' as const) : ('permission' as const), attempts };
    const waitMs = request.waitMs;
    // Out of retries, the last answer is the error, whatever it asked for.
    if (attempts > retry.retries) return { at: n, kind: 'rate-limit' as const, attempts, waitMs };
    if (waitMs !== undefined && waitMs > retry.maxRetryAfter) return { at: n, kind: 'beyond' as const, attempts, waitMs };
  }
  return undefined;
}

/**
 * A listing that sends one request at a time, checked against the README's rules exactly: the attempts
 * made, no request after the one that ended it, each retry announced with at least its 429's hold, the
 * error's class, `retryAfterMs` and message.
 */
function checkSequential(
  vendor: Vendor,
  script: readonly Answer[],
  met: readonly Met[],
  retries: readonly RetryInfo[],
  first: Drained,
  retry: { retries: number; maxRetryAfter: number },
  context: object,
): void {
  const end = expectedEnd(script, met, retry);
  const retried = met.filter((request, n) => request.status === 429 && n !== end?.at);
  expect(retries.map((info) => info.reason)).toEqual(retried.map(() => 'status 429'));
  for (const [k, info] of retries.entries()) expect(info.delayMs).toBeGreaterThanOrEqual(retried[k]?.holdMs ?? 0);
  if (end === undefined) {
    expect(first.error, JSON.stringify(context)).toBeUndefined();
    return;
  }
  expect(met.length, `no request after the one that ended the listing ${JSON.stringify(context)}`).toBe(end.at + 1);
  const error = first.error as Error;
  const suffix = end.attempts > 1 ? ` after ${end.attempts} attempts` : undefined;
  switch (end.kind) {
    case 'authentication':
      expect(isAuthenticationError(error), `${JSON.stringify(context)} ${String(error)}`).toBe(true);
      expect((error as { status?: number }).status).toBe(401);
      break;
    case 'permission':
      expect(isPermissionError(error), `${JSON.stringify(context)} ${String(error)}`).toBe(true);
      expect((error as { status?: number }).status).toBe(403);
      break;
    case 'beyond':
      expect(isRateLimitError(error), `${JSON.stringify(context)} ${String(error)}`).toBe(true);
      expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(end.waitMs);
      expect(error.message).toMatch(new RegExp(` after ${end.attempts} attempts? \\(Retry-After \\d+ s exceeds maxRetryAfter\\)$`));
      return;
    case 'rate-limit':
      expect(isRateLimitError(error), `${JSON.stringify(context)} ${String(error)}`).toBe(true);
      expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(end.waitMs);
      break;
  }
  if (suffix !== undefined) expect(error.message, JSON.stringify(context)).toMatch(new RegExp(`${suffix}( \\(|$)`));
  else expect(error.message).not.toMatch(/ after \d+ attempts?/);
}

async function runListing(vendor: Vendor, scenario: ListingScenario) {
  const { seed, events, pageSize, variant, script } = scenario;
  const all = await baseline(vendor, seed, events, pageSize);
  const retry = { ...RETRY_DEFAULTS, ...scenario.retry };
  const vendorFetch = scriptedVendor(vendor, vendor.emulator(seed, events), script, Math.min(retry.minDelay, retry.maxRetryAfter));
  const views: Views = { texts: [], dumps: [] };
  const retries: RetryInfo[] = [];
  const hooks = {
    onRequest: (info: object) => hookViews({ ...info }, views),
    onResponse: (info: object) => hookViews({ ...info }, views),
    onRetry: (info: RetryInfo) => (retries.push(info), hookViews({ ...info }, views)),
    onRateLimit: (info: RateLimitInfo) => hookViews({ ...info }, views),
  };
  const options: Partial<CommonOptions> = { clock: systemClock, hooks, ...(scenario.retry === undefined ? {} : { retry: scenario.retry }) };
  const first = await onFakeTime(() => drain(vendor, vendor.client(vendorFetch.fetch(0), options, variant)(pageSize)));
  const met = vendorFetch.met;
  // Nothing goes on once the listing is over: no page fetched ahead retried or sent after it.
  const sentBy = met.length;
  await vi.runAllTimersAsync();
  expect(met.length, 'a request after the listing ended').toBe(sentBy);
  const context = { vendor: vendor.name, met: met.map(({ status, waitMs, at }) => ({ status, waitMs, at: at - START })), error: String(first.error) };

  // Each scripted 429 holds every request sent after its answer for its wait; a refused one is not resent.
  for (const request of met) {
    if (request.holdMs !== undefined) {
      for (const later of met.slice(request.before)) expect(later.at - request.answeredAt, `held by a 429 ${JSON.stringify(context)}`).toBeGreaterThanOrEqual(request.holdMs);
    }
    if (request.status === 401 || request.status === 403) expect(met.slice(request.before).filter(({ url }) => url === request.url), JSON.stringify(context)).toEqual([]);
  }
  if (vendor.sequential) checkSequential(vendor, script, met, retries, first, retry, context);
  else if (first.error === undefined) expectOnce(first.ids, all);
  else {
    // Pages in flight at once: the listing fails with the answer of the first page in order that failed.
    const status = (first.error as { status?: number }).status;
    expect(met.some((request) => request.status === status), JSON.stringify(context)).toBe(true);
    const typed = { 401: isAuthenticationError, 403: isPermissionError, 429: isRateLimitError }[status as 401 | 403 | 429];
    expect(typed?.(first.error), `${JSON.stringify(context)} ${String(first.error)}`).toBe(true);
  }
  if (first.error !== undefined) {
    const error = first.error as Error;
    expect((error as { provider?: string }).provider).toBe(vendor.name);
    expect((error as { operation?: string }).operation).toBe(vendor.operation);
    errorViews(error, views);
    // Resumed once the server's pause is over (until then the key's limiter refuses it, unsent), the
    // cursor of the last good page (or none) delivers the rest: nothing lost, nothing twice.
    vi.advanceTimersByTime(Math.max(0, ...met.map((request) => request.holdMs ?? 0)));
    const cursor = first.cursors.at(-1);
    const rest = await onFakeTime(() => drain(vendor, vendor.client(vendor.emulator(seed, events), { clock: systemClock }, variant)(pageSize), cursor));
    expect(rest.error).toBeUndefined();
    expectOnce([...first.ids, ...rest.ids], all);
  }
  for (const cursor of first.cursors) cursorViews(cursor, views);
  expect(findLeak(views, vendor.secrets), JSON.stringify(context)).toBeUndefined();
}

describe.each(VENDORS)('$label: authentication and rate limits (property)', PROPERTY_TIMEOUT, (vendor) => {
  it('a 401 or 403 anywhere in a listing fails it typed and unretried; its last cursor resumes the rest once', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioOf(authAnswer), (scenario) => withFakeTime(START, () => runListing(vendor, scenario))),
      { numRuns: 30 },
    );
  });

  it("a 429 waits its Retry-After in every form, one beyond maxRetryAfter or past the retries ends the listing; 401 and 403 between them", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioOf(fc.oneof(authAnswer, rateLimitAnswer)), (scenario) => withFakeTime(START, () => runListing(vendor, scenario))),
      { numRuns: 50 },
    );
  });
});

/** A 429 the listings wait out, now and then one beyond `maxRetryAfter` that ends them all. */
const sharedRateLimit: fc.Arbitrary<Answer> = fc.record({
  kind: fc.constant('rate-limit' as const),
  retryAfter: fc.oneof(
    { weight: 4, arbitrary: fc.record({ form: fc.constant('seconds' as const), seconds: fc.integer({ min: 0, max: 60 }) }) },
    { weight: 4, arbitrary: fc.record({ form: fc.constant('date' as const), seconds: fc.integer({ min: -5, max: 60 }), withDate: fc.boolean() }) },
    { weight: 4, arbitrary: fc.constant({ form: 'absent' as const }) },
    { weight: 4, arbitrary: fc.constant({ form: 'negative' as const }) },
    { weight: 4, arbitrary: fc.record({ form: fc.constant('garbage' as const), text: fc.constantFrom('soon', 'Tue, 31 Feb 2026 10:00:00 GMT') }) },
    { weight: 2, arbitrary: fc.constant({ form: 'huge' as const }) },
  ),
  echo: fc.boolean(),
});

const sharedScenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000 }),
  events: fc.integer({ min: 0, max: 24 }),
  pageSize: fc.integer({ min: 2, max: 8 }),
  listings: fc.integer({ min: 2, max: 3 }),
  /** Listing i is one of client i % clients, every client of the same key. */
  clients: fc.integer({ min: 1, max: 2 }),
  maxConcurrent: fc.integer({ min: 1, max: 4 }),
  limit: fc.option(fc.record({ requests: fc.integer({ min: 2, max: 6 }), interval: fc.integer({ min: 500, max: 10_000 }) }), { nil: undefined }),
  minTime: fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: undefined }),
  latencies: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 16 }),
  script: scriptArb(sharedRateLimit).filter((script) => script.filter((answer) => answer.kind === 'rate-limit').length <= 6),
  /** Which listing is aborted, and when within the first scripted 429's hold. */
  abort: fc.option(
    fc.record({
      listing: fc.nat({ max: 2 }),
      at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      reason: fc.constantFrom('error', 'text', 'none'),
      /** The listing's own signal (`byPage({ signal })`), or its client's (`signal` option): every listing of it. */
      via: fc.constantFrom('call' as const, 'client' as const),
    }),
    { nil: undefined },
  ),
});

describe.each(VENDORS)('$label: listings sharing one limiter (property)', PROPERTY_TIMEOUT, (vendor) => {
  it('hold maxConcurrent, minTime and the client limit, all wait out every 429; one aborted while paused ends at once with its reason', async () => {
    await fc.assert(
      fc.asyncProperty(sharedScenario, async (scenario) => {
        const { seed, events, pageSize, maxConcurrent, limit, minTime, latencies, script } = scenario;
        const listings = scenario.listings;
        const all = await withFakeTime(START, () => baseline(vendor, seed, events, pageSize));
        await withFakeTime(START, async () => {
          const emulator = vendor.emulator(seed, events, limit);
          const minDelay = RETRY_DEFAULTS.minDelay;
          const scripted = scriptedVendor(vendor, emulator, script, minDelay, (n) => latencies[n % latencies.length] as number);
          const views: Views = { texts: [], dumps: [] };
          const hooks = { onRetry: (info: RetryInfo) => hookViews({ ...info }, views), onRateLimit: (info: RateLimitInfo) => hookViews({ ...info }, views) };
          const rateLimit = { maxConcurrent, ...limit, ...(minTime === undefined ? {} : { minTime }) };
          const controllers = Array.from({ length: listings }, () => new AbortController());
          const clientControllers = Array.from({ length: scenario.clients }, () => new AbortController());
          const target = scenario.abort === undefined ? undefined : scenario.abort.listing % listings;
          const aborted =
            scenario.abort === undefined || target === undefined
              ? undefined
              : {
                  // The listings the abort ends: the one, or every listing of its client.
                  listings: Array.from({ length: listings }, (_, listing) => listing).filter((listing) =>
                    scenario.abort?.via === 'call' ? listing === target : listing % scenario.clients === target % scenario.clients,
                  ),
                  at: Number.NaN,
                  reason: undefined as unknown,
                  settled: [] as number[],
                };
          const settledAt: number[] = [];
          // Each client's fetch tells the vendor whose request it is; the limiter is the key's.
          const options: Partial<CommonOptions> = { clock: systemClock, hooks, rateLimit, retry: { retries: 8 } };
          const clients = Array.from({ length: scenario.clients }, (_, client) =>
            vendor.client(scripted.fetch(client), { ...options, signal: (clientControllers[client] as AbortController).signal }, client),
          );
          const runs = controllers.map((controller, listing) => {
            const list = clients[listing % clients.length] as (pageSize: number) => Paginated<unknown>;
            return drain(vendor, list(pageSize), undefined, controller.signal).then((drained) => ((settledAt[listing] = Date.now()), drained));
          });
          if (aborted !== undefined && scenario.abort !== undefined) {
            const { at, reason, via } = scenario.abort;
            const controller = (via === 'call' ? controllers[target as number] : clientControllers[(target as number) % scenario.clients]) as AbortController;
            // Within the wait of the first scripted 429 that asks for one.
            scripted.onHold = (holdMs) => {
              scripted.onHold = undefined;
              setTimeout(() => {
                aborted.at = Date.now();
                aborted.settled = aborted.listings.filter((listing) => settledAt[listing] !== undefined);
                controller.abort({ error: new Error('stopped by the caller'), text: 'stopped', none: undefined }[reason]);
                aborted.reason = controller.signal.reason;
              }, Math.floor(at * holdMs));
            };
          }
          const drained = await onFakeTime(() => Promise.all(runs));
          const context = JSON.stringify({ vendor: vendor.name, met: scripted.met.map(({ listing, status, at, answeredAt, holdMs }) => ({ listing, status, at: at - START, answeredAt: answeredAt - START, holdMs })), aborted });

          const beyond = scripted.met.some((request) => (request.waitMs ?? 0) > RETRY_DEFAULTS.maxRetryAfter);
          expect(scripted.inFlight.most, context).toBeLessThanOrEqual(maxConcurrent);
          for (const [n, request] of scripted.met.entries()) {
            const previous = scripted.met[n - 1];
            if (minTime !== undefined && previous !== undefined) expect(request.at - previous.at, `minTime between two sends ${context}`).toBeGreaterThanOrEqual(minTime);
          }
          expect(scripted.vendorRefusals, `the vendor's own limit was never met ${context}`).toBe(0);
          for (const request of scripted.met) {
            if (request.holdMs === undefined) continue;
            for (const later of scripted.met.slice(request.before)) {
              expect(later.at - request.answeredAt, `a request sent within a 429's hold ${context}`).toBeGreaterThanOrEqual(request.holdMs);
            }
          }
          const stopped: Drained[] = [];
          for (const [listing, result] of drained.entries()) {
            // Aborted before it settled (one settled first is held to what the others are).
            if (aborted !== undefined && aborted.listings.includes(listing) && !Number.isNaN(aborted.at) && !aborted.settled.includes(listing)) {
              expect(result.error, context).toBe(aborted.reason);
              expect(settledAt[listing], `ended at the abort ${context}`).toBe(aborted.at);
              // Its client's requests are its own when the abort ends every listing of that client.
              const client = listing % clients.length;
              const ended = Array.from({ length: listings }, (_, other) => other).every((other) => other % clients.length !== client || aborted.listings.includes(other));
              if (ended) expect(scripted.met.filter((request) => request.listing === client && request.at > aborted.at), context).toEqual([]);
              continue;
            }
            // A Retry-After beyond maxRetryAfter fails the request that met it, and unsent, every
            // request its pause holds; their listings resume later from their last cursors.
            if (beyond && result.error !== undefined) {
              expect(isRateLimitError(result.error), `${context} ${String(result.error)}`).toBe(true);
              const error = result.error as Error & { status: number; retryAfterMs: number };
              expect(error.status).toBe(429);
              expect(error.retryAfterMs).toBeGreaterThan(RETRY_DEFAULTS.maxRetryAfter);
              // A retry that was backing off when the pause came is refused unsent: its attempts are told.
              expect(error.message, context).toMatch(/exceeds maxRetryAfter\)$|was not sent: the server's Retry-After holds its rate limiter for \d+ s more, beyond maxRetryAfter( after \d+ attempts?)?$/);
              errorViews(error, views);
              stopped.push(result);
              continue;
            }
            expect(result.error, context).toBeUndefined();
            expectOnce(result.ids, all);
            for (const cursor of result.cursors) cursorViews(cursor, views);
          }
          expect(findLeak(views, vendor.secrets)).toBeUndefined();
          vi.advanceTimersByTime(86_400_000);
          for (const { ids, cursors } of stopped) {
            const rest = await onFakeTime(() => drain(vendor, vendor.client(vendor.emulator(seed, events), { clock: systemClock }, 0)(pageSize), cursors.at(-1)));
            expect(rest.error).toBeUndefined();
            expectOnce([...ids, ...rest.ids], all);
          }
        });
      }),
      { numRuns: 30 },
    );
  });
});
