/**
 * The retry layer model-checked (README "Retries and rate limits", "Errors"; DESIGN.md "Retry only what
 * is safe"): a random client configuration (`retry` or `false`, `minDelay`, `maxDelay`, `maxRetryAfter`,
 * `timeout`, `rateLimit`) and a random script of what the server does at each attempt (a 2xx, every
 * 4xx and 5xx the README names and a few it does not, a 429 or 503 with a `Retry-After` in seconds,
 * fractional, negative, huge, as an HTTP date in the past or the future with or without the server's
 * `Date`, malformed; a connection reset, a DNS failure, an answer that stalls into the timeout, a body
 * that stalls or breaks off, a body of the wrong shape), for a GET listing, a read sent as POST
 * (Informatica's search), a POST that is not idempotent (Tines' re-emit, Socotra's resume) and a DELETE
 * whose 404 after an attempt that may have been applied is its answer (Socotra's failed job). What the
 * README's rules make of the script is computed beside the run, and the client must do exactly that.
 * Then the same rules through the vendors' own calls against their emulators, the script played on one
 * request: Informatica's search, the first request of Illumio's asynchronous export, FUJITSU's Keystone
 * login (not idempotent, resent by its own pipeline only after a 408, 429 or 503, or a connection never made).
 *
 * Time is fake (timers, `Date`, `performance`): nothing sleeps, every instant is exact. The clock's scale
 * is 1 or 0.01: waits and the limiter's windows shrink with it, timeouts do not.
 *
 * Promised, and checked for every scenario:
 * - as many attempts as the rules allow, no more: a status or failure that is not retried ends at
 *   once (a delete's 404 after a timeout, a reset or a 500, 502 or 504 ends it as done);
 *   a POST that is not idempotent is sent again only after a 408, 429 or 503 or a DNS failure (no
 *   connection, nothing sent); `retries` bounds
 *   the attempts; a `Retry-After` beyond `maxRetryAfter` ends at once;
 * - every resend carries the same body;
 * - each back-off is full jitter under `min(maxDelay, minDelay × 2^(n-1))`, with a usable
 *   `Retry-After` as its floor; the next attempt is sent no sooner than that back-off (and no sooner
 *   than the `Retry-After` ends), and no later than the back-off or what the limiter holds it for; the
 *   wait `onRetry` announces is at least the limiter's pause of the answer it retries;
 * - the outcome: the data, or the typed error of the last attempt (class, status, `retryAfterMs`), whose
 *   message tells the attempts made when more than one was, and says so when `Retry-After` exceeded
 *   `maxRetryAfter` (a body of the wrong shape, read once the attempts are over, tells what did not
 *   match instead); the request ends when its last attempt does; `onRetry` tells each retry with its
 *   reason;
 * - no error, cause or hook argument holds the credential, which the server echoes in its bodies and
 *   request ids.
 *
 * And: a signal aborted during a back-off (the retry's sleep or the limiter's `Retry-After` pause) ends
 * the request at that instant with the signal's reason (an error, a string, or the signal's own), with
 * no request after.
 *
 * The retry budget is met as a new client's first request meets it: 10 retries at most, whatever
 * `retries` says. Not modelled: requests of one limiter at once (the rate-limit property's subject).
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { scaledClock, systemClock } from '../../src/core/clock.js';
import {
  AuthenticationError,
  HttpError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
} from '../../src/core/errors.js';
import type { CommonOptions, RateLimitInfo, RequestInfo, RetryInfo } from '../../src/core/options.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import type { RequestSpec } from '../../src/core/request.js';
import { errorViews, findLeak, hookViews, type Views } from '../support/leak-scan.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_USER, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { bearer, client } from './helpers/server.js';
import { withFakeTime } from '../support/fake-time.js';
import { PROPERTY_TIMEOUT } from '../support/property-timeout.js';

const BASE = 'https://api.example.com';
const SECRET = 'tok-Zq8pW3xL9vR2';
/** A whole second, so that HTTP dates (whole seconds) fall where the model puts them. */
const START = Date.UTC(2026, 11, 6, 12, 0, 0);
/** How long an error body's excerpt is waited for (http.ts). */
const ERROR_BODY_WAIT_MS = 5_000;
const DAY = 86_400_000;
/** The retries a client's budget always allows (retry.ts): all a new client's first request may take. */
const BUDGET_FLOOR = 10;

type RetryAfter =
  | { form: 'seconds'; seconds: number }
  | { form: 'fraction'; text: string }
  | { form: 'negative' }
  | { form: 'huge' }
  | { form: 'date'; seconds: number; serverDate: boolean; skew: number }
  | { form: 'malformed'; text: string };

type Answer =
  | { kind: 'ok'; status: 200 | 203 }
  | { kind: 'shape' }
  | { kind: 'cut' }
  | { kind: 'stall' }
  | { kind: 'stall-body' }
  | { kind: 'reset' }
  | { kind: 'dns' }
  | { kind: 'status'; status: number; retryAfter: RetryAfter | undefined; body: 'echo' | 'cut' | 'stall'; requestIdEcho: boolean };

/** `delete`: Socotra's failed-job delete, whose 404 after an attempt that may have been applied is its answer. */
type Call = 'list' | 'search' | 'unsafe' | 'delete';

const retryAfterOf: fc.Arbitrary<RetryAfter> = fc.oneof(
  fc.record({ form: fc.constant('seconds' as const), seconds: fc.constantFrom(0, 1, 2, 5, 30, 120, 299, 301, 900) }),
  fc.record({ form: fc.constant('fraction' as const), text: fc.constantFrom('0.5', '1.5', '2.25', '0.001', '10.9999') }),
  fc.record({ form: fc.constant('negative' as const) }),
  fc.record({ form: fc.constant('huge' as const) }),
  fc.record({
    form: fc.constant('date' as const),
    seconds: fc.constantFrom(-3600, -5, 0, 1, 3, 30, 200, 400),
    serverDate: fc.boolean(),
    skew: fc.constantFrom(0, -90_000, 90_000, 3_600_000),
  }),
  fc.record({ form: fc.constant('malformed' as const), text: fc.constantFrom('soon', '5 s', '1e3', '+5', 'Tue, 99 Foo 2026 GMT', 'Mon, 07 Dec 2026 12:00:00') }),
);

const RETRYABLE = [408, 429, 500, 502, 503, 504];
const NOT_RETRYABLE = [400, 401, 403, 404, 409, 422, 501, 505];

const answerOf: fc.Arbitrary<Answer> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ok' as const), status: fc.constantFrom(200 as const, 203 as const) }) },
  { weight: 1, arbitrary: fc.constantFrom<Answer>({ kind: 'shape' }, { kind: 'cut' }, { kind: 'stall' }, { kind: 'stall-body' }, { kind: 'reset' }, { kind: 'dns' }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      status: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...RETRYABLE, 429, 503) }, { weight: 1, arbitrary: fc.constantFrom(...NOT_RETRYABLE) }),
      retryAfter: fc.option(retryAfterOf, { nil: undefined, freq: 2 }),
      body: fc.constantFrom('echo' as const, 'echo' as const, 'cut' as const, 'stall' as const),
      requestIdEcho: fc.boolean(),
    }),
  },
);

const configOf = fc.record({
  retry: fc.option(
    fc.record(
      {
        // 12: past the 10 retries the budget allows a client's first request.
        retries: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(12)),
        minDelay: fc.constantFrom(0, 1, 100, 500, 2_000),
        maxDelay: fc.constantFrom(50, 1_000, 30_000),
        maxRetryAfter: fc.constantFrom(0, 1_000, 60_000, 300_000, 300_000),
      },
      { requiredKeys: [] },
    ).map(({ maxDelay, ...rest }): { retries?: number; minDelay?: number; maxDelay?: number; maxRetryAfter?: number } =>
      // A maxDelay under minDelay is refused at construction.
      maxDelay === undefined || maxDelay >= (rest.minDelay ?? 500) ? { ...rest, ...(maxDelay === undefined ? {} : { maxDelay }) } : rest,
    ),
    { nil: false as const, freq: 8 },
  ),
  timeout: fc.constantFrom(100, 1_000, 30_000, false as const),
  rateLimit: fc.constantFrom<CommonOptions['rateLimit'] | 'vendor'>(
    false,
    'vendor',
    { requests: 2, interval: 1_000 },
    { requests: 3, interval: 60_000 },
    { requests: 5, interval: 10_000, minTime: 700 },
  ),
  /** The clock's scale: waits and windows shrink, timeouts do not (README). */
  scale: fc.constantFrom(1, 1, 0.01),
});

const scenarioOf = fc.record({
  config: configOf,
  call: fc.constantFrom<Call>('list', 'search', 'unsafe', 'delete'),
  script: fc.oneof(
    { weight: 9, arbitrary: fc.array(answerOf, { minLength: 1, maxLength: 8 }) },
    // An outage: the same retryable answer to every attempt, until the retries or the budget run out.
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(408, 429, 502, 503)
        .map((status): Answer[] => [{ kind: 'status', status, retryAfter: undefined, body: 'echo', requestIdEcho: false }]),
    },
  ),
  /**
   * The jitter draws, in `[0, 1)`, a thousandth at the finest: the fake timers read a delay as its text,
   * `3e-8` as 3 ms, where Node waits 1 ms.
   */
  jitter: fc.array(fc.integer({ min: 0, max: 999 }).map((n) => n / 1000), { minLength: 8, maxLength: 8 }),
});

type Scenario = typeof scenarioOf extends fc.Arbitrary<infer T> ? T : never;

/** What the server did at one attempt, as the fake fetch recorded it. */
interface Sent {
  at: number;
  method: string;
  body: string | undefined;
  answer: Answer;
  /**
   * The `Retry-After` as the client must read it at `readAt` (unscaled ms), or none: a date is an
   * instant, read against the server's `Date` when it sends one, otherwise against the client's clock
   * when the header is read (after the body: what is left of the wait then).
   */
  retryAfterMs: (readAt: number) => number | undefined;
}

const listSchema = z.object({ items: z.array(z.number()) });

function specOf(call: Call, signal?: AbortSignal): RequestSpec {
  const base = { schema: listSchema, ...(signal === undefined ? {} : { signal }) };
  if (call === 'delete') {
    const { schema: _none, ...unparsed } = base;
    return { ...unparsed, operation: 'schedules.failed.delete', method: 'DELETE', path: '/schedules/failed', json: { jobId: 'j-1' }, acceptOnRetry: [404] };
  }
  if (call === 'list') return { ...base, operation: 'events.list', method: 'GET', path: '/events', query: { page: 2 } };
  if (call === 'search') return { ...base, operation: 'events.search', method: 'POST', path: '/events/search', json: { q: 'a', offset: 0 }, idempotent: true };
  return { ...base, operation: 'events.reemit', method: 'POST', path: '/events/7/reemit', json: { id: 7 } };
}

/** The header the script asks for, written at `now`, and what the client must read from it. */
function retryAfterHeaders(ra: RetryAfter, now: number): { headers: Record<string, string>; ms: (readAt: number) => number | undefined } {
  switch (ra.form) {
    case 'seconds':
      return { headers: { 'retry-after': String(ra.seconds) }, ms: () => ra.seconds * 1000 };
    case 'fraction':
      return { headers: { 'retry-after': ra.text }, ms: () => Math.ceil(Number(ra.text) * 1000) };
    case 'negative':
      return { headers: { 'retry-after': '-5' }, ms: () => undefined };
    case 'huge':
      return { headers: { 'retry-after': '99999999999' }, ms: () => 99_999_999_999_000 };
    case 'malformed':
      return { headers: { 'retry-after': ra.text }, ms: () => undefined };
    case 'date': {
      const serverNow = now + ra.skew;
      const second = (t: number) => Math.floor(t / 1000) * 1000;
      const at = serverNow + ra.seconds * 1000;
      const headers: Record<string, string> = { 'retry-after': new Date(at).toUTCString() };
      if (ra.serverDate) headers.date = new Date(serverNow).toUTCString();
      // Without the server's `Date`, the date is read against the client's own clock.
      return { headers, ms: (readAt) => Math.max(0, second(at) - (ra.serverDate ? second(serverNow) : readAt)) };
    }
  }
}

function failureOf(code: string, message: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

/** A body that sends `text`, then ends as `end` says: a reset, or nothing more until the signal aborts. */
function streamed(text: string, end: 'cut' | 'stall', signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      if (end === 'cut') controller.error(new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }));
      else signal?.addEventListener('abort', () => controller.error(signal.reason), { once: true });
    },
  });
}

/**
 * What the server does with one request: `answer`, recorded in `sent` with the `Retry-After` it meant.
 * Its error bodies and request ids echo `secret`. `pass` answers a success (an emulator's real answer).
 */
function answerWith(answer: Answer, init: RequestInit | undefined, sent: Sent[], secret: string, pass: () => Promise<Response>): Promise<Response> {
  const signal = init?.signal ?? undefined;
  const now = Date.now();
  const record: Sent = { at: now, method: init?.method ?? 'GET', body: typeof init?.body === 'string' ? init.body : undefined, answer, retryAfterMs: () => undefined };
  sent.push(record);
  const json = { 'content-type': 'application/json' };
  switch (answer.kind) {
    case 'ok':
      return pass();
    case 'shape':
      return Promise.resolve(new Response(JSON.stringify({ items: 'none', unexpected: true }), { status: 200, headers: json }));
    case 'cut':
      return Promise.resolve(new Response(streamed('{"items":[1,2,', 'cut', signal), { status: 200, headers: json }));
    case 'stall-body':
      return Promise.resolve(new Response(streamed('{"items":[1,2,', 'stall', signal), { status: 200, headers: json }));
    case 'reset':
      return Promise.reject(failureOf('ECONNRESET', 'read ECONNRESET'));
    case 'dns':
      return Promise.reject(failureOf('ENOTFOUND', 'getaddrinfo ENOTFOUND api.example.com'));
    case 'stall':
      return new Promise<Response>((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    case 'status': {
      const ra = answer.retryAfter === undefined ? undefined : retryAfterHeaders(answer.retryAfter, now);
      if (ra !== undefined) record.retryAfterMs = ra.ms;
      const headers: Record<string, string> = { ...json, ...ra?.headers };
      if (answer.requestIdEcho) headers['x-request-id'] = `req-${secret}`;
      const text = JSON.stringify({ message: `credential ${secret} refused`, detail: `Bearer ${secret}` });
      const body = answer.body === 'echo' ? text : streamed(text.slice(0, 20), answer.body, signal);
      return Promise.resolve(new Response(body, { status: answer.status, headers }));
    }
  }
}

/** A fetch that answers attempt n with `script[n]` (the last one over again past the end). */
function scriptedFetch(script: readonly Answer[], sent: Sent[]): typeof fetch {
  return (_input, init) => {
    const answer = script[Math.min(sent.length, script.length - 1)] as Answer;
    const status = answer.kind === 'ok' ? answer.status : 200;
    return answerWith(answer, init, sent, SECRET, () =>
      Promise.resolve(new Response(JSON.stringify({ items: [1, 2, 3] }), { status, headers: { 'content-type': 'application/json' } })),
    );
  };
}

interface Limits {
  retries: number;
  minDelay: number;
  maxDelay: number;
  maxRetryAfter: number;
}

function limitsOf(retry: Scenario['config']['retry']): Limits {
  const given = retry === false ? { retries: 0 } : retry;
  const minDelay = given.minDelay ?? 500;
  return {
    retries: given.retries ?? 4,
    minDelay,
    maxDelay: given.maxDelay ?? Math.max(30_000, minDelay),
    maxRetryAfter: given.maxRetryAfter ?? 300_000,
  };
}

/** What one attempt's answer is under the README's rules. */
interface Verdict {
  /** `undefined`: the request succeeds; otherwise the error's class and, for a status, the status. */
  error?: { Class: new (...args: never[]) => Error; status?: number };
  /** Why it may be retried (`onRetry`'s reason), or `undefined` if it may not. */
  reason?: string;
  /** Whether the attempt may have been applied all the same. */
  inDoubt: boolean;
}

function classOfStatus(status: number): new (...args: never[]) => Error {
  return { 401: AuthenticationError, 403: PermissionError, 404: NotFoundError, 429: RateLimitError }[status] ?? HttpError;
}

function verdictOf(answer: Answer, timeout: number | false): Verdict {
  switch (answer.kind) {
    case 'ok':
      return { inDoubt: false };
    case 'shape':
      return { error: { Class: ResponseValidationError }, inDoubt: false };
    case 'cut':
    case 'reset':
      return { error: { Class: NetworkError }, reason: 'network', inDoubt: true };
    case 'dns':
      // No connection was made: nothing was sent that the server could have applied.
      return { error: { Class: NetworkError }, reason: 'network', inDoubt: false };
    case 'stall':
    case 'stall-body':
      return timeout === false ? { error: { Class: NetworkError }, inDoubt: true } : { error: { Class: TimeoutError }, reason: 'timeout', inDoubt: true };
    case 'status': {
      const retryable = RETRYABLE.includes(answer.status);
      return {
        error: { Class: classOfStatus(answer.status), status: answer.status },
        ...(retryable ? { reason: `status ${answer.status}` } : {}),
        inDoubt: [500, 502, 504].includes(answer.status),
      };
    }
  }
}

/** A stall without a timeout would never end: the script keeps its stalls only where a timeout ends them. */
function playable(scenario: Scenario): Scenario {
  if (scenario.config.timeout !== false) return scenario;
  const script = scenario.script.map((answer): Answer => {
    if (answer.kind === 'stall' || answer.kind === 'stall-body') return { kind: 'cut' };
    if (answer.kind === 'status' && answer.body === 'stall') return { ...answer, body: 'cut' };
    return answer;
  });
  return { ...scenario, script };
}

/** When the attempt sent at `at` was over (its answer read, or given up), and when its status line came. */
function endOf(sent: Sent, config: { timeout: number | false; scale?: number }): { statusAt: number | undefined; endAt: number } {
  const { answer, at } = sent;
  const { timeout, scale = 1 } = config;
  const limit = timeout === false ? Number.POSITIVE_INFINITY : timeout;
  if (answer.kind === 'stall') return { statusAt: undefined, endAt: at + limit };
  if (answer.kind === 'stall-body') return { statusAt: at, endAt: at + limit };
  if (answer.kind === 'status' && answer.body === 'stall') return { statusAt: at, endAt: at + Math.min(ERROR_BODY_WAIT_MS * scale, limit) };
  if (answer.kind === 'reset' || answer.kind === 'dns') return { statusAt: undefined, endAt: at };
  return { statusAt: at, endAt: at };
}

/**
 * Until when the limiter holds every request after `failed`'s answer: its `Retry-After`, or for a bare
 * 429 one `minDelay` (at most `maxRetryAfter`: the client's own pause is not the server's ask).
 */
function pauseEndOf(failed: Sent, scenario: Scenario): number {
  const limits = limitsOf(scenario.config.retry);
  const { statusAt } = endOf(failed, scenario.config);
  const status = failed.answer.kind === 'status' ? failed.answer.status : 0;
  if (scenario.config.rateLimit === false || statusAt === undefined || !RETRYABLE.includes(status)) return Number.NEGATIVE_INFINITY;
  // Read at the status line, before the body.
  const retryAfter = failed.retryAfterMs(statusAt);
  if (retryAfter === undefined && status !== 429) return Number.NEGATIVE_INFINITY;
  return statusAt + Math.min(retryAfter ?? Math.min(limits.minDelay, limits.maxRetryAfter), DAY) * scenario.config.scale;
}

interface Observed {
  sent: Sent[];
  retries: RetryInfo[];
  requests: RequestInfo[];
  rateLimits: RateLimitInfo[];
  views: Views;
  settledAt: number;
  result: { ok: true; data: unknown } | { ok: false; error: unknown };
}

/** Runs `scenario` on fake time until the request settles. */
async function run(scenario: Scenario, abort?: (info: RetryInfo, controller: AbortController, sent: readonly Sent[]) => void): Promise<Observed> {
  const { config, call, script, jitter } = scenario;
  const sent: Sent[] = [];
  const observed: Omit<Observed, 'settledAt' | 'result'> = { sent, retries: [], requests: [], rateLimits: [], views: { texts: [], dumps: [] } };
  const controller = new AbortController();
  const auth = bearer(SECRET);
  let draw = 0;
  const random = vi.spyOn(Math, 'random').mockImplementation(() => jitter[draw++ % jitter.length] as number);
  const options: Partial<CommonOptions> = {
    fetch: scriptedFetch(script, sent),
    clock: config.scale === 1 ? systemClock : scaledClock(config.scale),
    retry: config.retry,
    timeout: config.timeout,
    hooks: {
      onRequest: (info) => (observed.requests.push(info), hookViews({ ...info }, observed.views)),
      onResponse: (info) => hookViews({ ...info }, observed.views),
      onRetry: (info) => {
        observed.retries.push(info);
        hookViews({ ...info }, observed.views);
        abort?.(info, controller, sent);
      },
      onRateLimit: (info) => (observed.rateLimits.push(info), hookViews({ ...info }, observed.views)),
    },
  };
  if (config.rateLimit !== 'vendor') options.rateLimit = config.rateLimit;
  const ctx = client(BASE, options, auth);
  let result: Observed['result'] | undefined;
  let settledAt = 0;
  const promise = ctx.http.request(specOf(call, abort === undefined ? undefined : controller.signal)).then(
    (response) => ({ ok: true as const, data: response.data }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  void promise.then((r) => {
    result = r;
    settledAt = Date.now();
  });
  try {
    for (let turns = 0; result === undefined; turns += 1) {
      if (turns > 10_000) throw new Error('the request never settled');
      await vi.advanceTimersToNextTimerAsync();
    }
  } finally {
    random.mockRestore();
  }
  return { ...observed, settledAt, result };
}

/** The attempts the rules allow for `script`, and how the last one ends. */
function expectedOf(scenario: Scenario, sent: readonly Sent[]) {
  const limits = limitsOf(scenario.config.retry);
  const idempotent = scenario.call !== 'unsafe';
  // Whether an earlier attempt may have been applied: a delete's 404 is then its answer.
  let inDoubt = false;
  for (let n = 1; ; n += 1) {
    const answer = scenario.script[Math.min(n - 1, scenario.script.length - 1)] as Answer;
    // A delete's body is not read for data: no shape to miss.
    const applied = scenario.call === 'delete' && ((inDoubt && answer.kind === 'status' && answer.status === 404) || answer.kind === 'shape');
    const verdict: Verdict = applied ? { inDoubt: false } : verdictOf(answer, scenario.config.timeout);
    inDoubt ||= verdict.inDoubt;
    const attempt = sent[n - 1];
    const ra = attempt?.retryAfterMs(endOf(attempt, scenario.config).endAt);
    const final = (note?: string) => ({ attempts: n, verdict, retryAfterMs: ra, note });
    if (verdict.error === undefined || verdict.reason === undefined) return final();
    if (n > limits.retries) return final();
    if (!idempotent && verdict.inDoubt) return final();
    if (ra !== undefined && ra > limits.maxRetryAfter) return final(`Retry-After ${Math.ceil(ra / 1000)} s exceeds maxRetryAfter`);
    if (n > BUDGET_FLOOR) return final('retry budget exhausted');
  }
}

function checkScenario(scenario: Scenario, seen: Observed): void {
  const { config } = scenario;
  const limits = limitsOf(config.retry);
  const expected = expectedOf(scenario, seen.sent);
  const { sent } = seen;

  // Attempts: exactly as many as the rules allow, each body as the first.
  expect(sent).toHaveLength(expected.attempts);
  expect(seen.requests.map((r) => r.attempt)).toEqual(sent.map((_, i) => i + 1));
  for (const s of sent) {
    expect(s.method).toBe({ list: 'GET', search: 'POST', unsafe: 'POST', delete: 'DELETE' }[scenario.call]);
    expect(s.body).toBe(sent[0]?.body);
  }

  // Retries: one per resend, with the reason of the attempt that failed.
  expect(seen.retries.map((r) => [r.attempt, r.reason])).toEqual(
    sent.slice(0, -1).map((s, i) => [i + 1, verdictOf(s.answer, config.timeout).reason]),
  );

  // Waits: full jitter under the ceiling, the Retry-After a floor; each resend no sooner, no later.
  for (let k = 0; k < sent.length - 1; k += 1) {
    const failed = sent[k] as Sent;
    const next = sent[k + 1] as Sent;
    // Reported as it really lasts, scaled.
    const delay = (seen.retries[k] as RetryInfo).delayMs;
    const unscaled = delay / config.scale;
    const ceiling = Math.min(limits.maxDelay, limits.minDelay * 2 ** k);
    const { endAt } = endOf(failed, config);
    // The floor: the server's Retry-After, or where a limiter holds a bare 429 for one minDelay, that.
    const retryAfter = failed.retryAfterMs(endAt);
    const bare429 = failed.answer.kind === 'status' && failed.answer.status === 429 && retryAfter === undefined;
    const floor = retryAfter ?? (bare429 && config.rateLimit !== false ? Math.min(limits.minDelay, limits.maxRetryAfter) : 0);
    expect(unscaled).toBeGreaterThanOrEqual(floor * (1 - 1e-9));
    if (Math.abs(unscaled - floor) > 1e-6 * floor) expect(unscaled).toBeLessThan(ceiling * (1 + 1e-9));
    expect(next.at - endAt).toBeGreaterThanOrEqual(Math.floor(delay));
    // What else may hold the resend: the limiter's pause of the answer's Retry-After (a bare 429: one
    // minDelay), its window, its minTime.
    let latest = endAt + delay;
    if (config.rateLimit !== false) {
      const pauseEnd = pauseEndOf(failed, scenario);
      expect(next.at).toBeGreaterThanOrEqual(pauseEnd);
      // The wait onRetry announced holds the pause of the very answer it retries.
      expect(pauseEnd).toBeLessThanOrEqual(endAt + delay + 1);
      latest = Math.max(latest, pauseEnd);
      const window = config.rateLimit === 'vendor' ? undefined : config.rateLimit;
      if (window?.requests !== undefined && window.interval !== undefined && k + 2 > window.requests) {
        const counted = sent[k + 1 - window.requests] as Sent;
        latest = Math.max(latest, endOf(counted, config).endAt + window.interval * config.scale);
      }
      if (window?.minTime !== undefined) latest = Math.max(latest, failed.at + window.minTime * config.scale);
    }
    // Timers fire 1 ms late at the soonest, as Node's do.
    expect(next.at).toBeLessThanOrEqual(Math.ceil(latest) + 2);
  }

  // The outcome.
  const { verdict } = expected;
  if (verdict.error === undefined) {
    expect(seen.result.ok).toBe(true);
    if (scenario.call !== 'delete') expect(seen.result).toEqual({ ok: true, data: { items: [1, 2, 3] } });
  } else {
    expectFailure(seen, expected, verdict.error);
  }
  // The request ends when its last attempt does: nothing more is waited for.
  const last = sent.at(-1) as Sent;
  expect(seen.settledAt).toBe(endOf(last, config).endAt);

  expect(findLeak(seen.views, [SECRET])).toBeUndefined();
}

/**
 * The request failed as `expected` says: the error's class, status, `retryAfterMs`, and the count of
 * attempts its message ends with (and the last attempt's error as its cause) when it made more than one.
 */
function expectFailure(seen: Pick<Observed, 'result' | 'views'>, expected: ReturnType<typeof expectedOf>, wanted: NonNullable<Verdict['error']>): void {
  expect(seen.result.ok).toBe(false);
  const error = (seen.result as { error: unknown }).error as Error & { status?: number; retryAfterMs?: number };
  expect(error.constructor).toBe(wanted.Class);
  if (wanted.status !== undefined) expect(error.status).toBe(wanted.status);
  if (error instanceof RateLimitError) expect(error.retryAfterMs).toBe(expected.retryAfterMs);
  // A body of the wrong shape is read after the attempts are over: it tells what did not match.
  const told = (expected.attempts > 1 || expected.note !== undefined) && wanted.Class !== ResponseValidationError;
  if (told) {
    const suffix = ` after ${expected.attempts} attempt${expected.attempts === 1 ? '' : 's'}${expected.note ? ` (${expected.note})` : ''}`;
    expect(error.message.endsWith(suffix), `${error.message} ends with${suffix}`).toBe(true);
    expect(error.cause).toBeInstanceOf(wanted.Class);
  } else {
    expect(error.message).not.toMatch(/ after \d+ attempts?/);
  }
  errorViews(error, seen.views);
}

beforeAll(async () => {
  // ky is loaded by the first request, through a real import the fake timers would not let finish.
  await client(BASE, { fetch: async () => new Response('{}'), rateLimit: false }).http.request({ operation: 'warm', method: 'GET', path: '/' });
});

afterEach(async () => {
  vi.useRealTimers();
  await closeRateLimiters();
});

afterAll(() => vi.restoreAllMocks());

describe('retry and back-off, model-checked', () => {
  it('makes the attempts, waits and final error the README rules compute, for every script', PROPERTY_TIMEOUT, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioOf.map(playable), async (scenario) => {
        const seen = await withFakeTime(START, () => run(scenario));
        checkScenario(scenario, seen);
      }),
      { numRuns: 1000 },
    );
  });

  it('ends at once with the abort reason when the signal aborts during a back-off, sending nothing more', PROPERTY_TIMEOUT, async () => {
    const abortable = fc
      .record({ scenario: scenarioOf.map(playable), afterRetry: fc.integer({ min: 1, max: 4 }), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) })
      .filter(({ scenario, afterRetry }) => {
        // Only scripts with that many retries before they end.
        const fake = scenario.script.map((answer) => ({ at: 0, method: '', body: undefined, answer, retryAfterMs: retryAfterHeaders(answer.kind === 'status' && answer.retryAfter ? answer.retryAfter : { form: 'negative' }, START).ms }));
        return expectedOf(scenario, fake).attempts > afterRetry;
      });
    await fc.assert(
      fc.asyncProperty(abortable, fc.constantFrom('error' as const, 'text' as const, 'none' as const), async ({ scenario, afterRetry, at }, reasonKind) => {
        const reason = { error: new Error('stopped by the caller'), text: 'stopped', none: undefined }[reasonKind];
        let abortedAt: number | undefined;
        // The signal's reason: a DOMException of its own when none is given.
        let given: unknown;
        const seen = await withFakeTime(START, () =>
          run(scenario, (info, controller, sent) => {
            if (info.attempt !== afterRetry) return;
            // Within the whole wait: the back-off, or the limiter's pause when it lasts longer.
            const wait = Math.max(info.delayMs, pauseEndOf(sent.at(-1) as Sent, scenario) - Date.now());
            setTimeout(() => {
              abortedAt = Date.now();
              controller.abort(reason);
              given = controller.signal.reason;
            }, Math.floor(at * wait));
          }),
        );
        expect(seen.result.ok).toBe(false);
        expect((seen.result as { error: unknown }).error).toBe(given);
        expect(abortedAt).toBeDefined();
        expect(seen.settledAt).toBe(abortedAt);
        expect(seen.sent).toHaveLength(afterRetry);
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * The vendors' calls of each kind, against their emulators, the script played on one request: Informatica's
 * search (a read sent as POST), the first request of Illumio's asynchronous export (a GET that asks for a
 * job), and FUJITSU's Keystone login (a POST that is not idempotent: its own pipeline sends it again,
 * for every listing that needs it, only after an answer that refused it unread).
 */
type Vendor = 'informatica' | 'illumio' | 'fujitsu';

/** FUJITSU cases so far: each logs in as a user of its own, since the process remembers a refused password. */
let fujitsuCases = 0;

interface VendorCase {
  call: Call;
  secrets: readonly string[];
  /** Whether a request is the one the script answers. */
  scripted: (url: string, init: RequestInit | undefined) => boolean;
  /** The emulator, which answers every other request, and the scripted one once it succeeds. */
  emulator: typeof globalThis.fetch;
  run: (fetch: typeof globalThis.fetch, options: Partial<CommonOptions>) => Promise<unknown[]>;
}

function vendorCase(vendor: Vendor): VendorCase {
  const common = { clock: systemClock };
  switch (vendor) {
    case 'informatica': {
      const emulator = informaticaEmulator.create({ seed: 1, events: 6, rateLimit: false });
      return {
        call: 'search',
        secrets: [DEFAULT_INFORMATICA_USER.password],
        scripted: (url, init) => init?.method === 'POST' && new URL(url).pathname.endsWith('/events'),
        emulator: emulator.fetch,
        run: (fetch, options) =>
          informatica({
            baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com',
            username: DEFAULT_INFORMATICA_USER.user,
            password: DEFAULT_INFORMATICA_USER.password,
            ...common,
            ...options,
            fetch,
          })
            .events.list({ pageSize: 50, range: 'LAST_30_DAYS' })
            .toArray(),
      };
    }
    case 'illumio': {
      const emulator = illumioEmulator.create({ seed: 1, events: 6, rateLimit: false });
      return {
        call: 'list',
        secrets: [DEFAULT_ILLUMIO_CREDENTIAL.apiSecret],
        scripted: (_url, init) => new Headers(init?.headers).get('prefer') === 'respond-async',
        emulator: emulator.fetch,
        run: (fetch, options) =>
          illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, jobPollInterval: 2_000, ...common, ...options, fetch })
            .events.list({ pageSize: 50, mode: 'async' })
            .toArray(),
      };
    }
    case 'fujitsu': {
      const user = { ...DEFAULT_FUJITSU_USER, userName: `reader-${fujitsuCases++}` };
      const emulator = fujitsuEmulator.create({ seed: 2, events: 6, rateLimit: false, users: [user] });
      const since = new Date(Math.min(...emulator.store.events.all(DEFAULT_FUJITSU_TENANT).map((event) => event.at)) - 1_000);
      const identity = { url: 'https://identity.uk-1.cloud.global.fujitsu.com', ...user };
      return {
        call: 'unsafe',
        secrets: [DEFAULT_FUJITSU_USER.password],
        scripted: (url, init) => init?.method === 'POST' && new URL(url).pathname.endsWith('/v3/auth/tokens'),
        emulator: emulator.fetch,
        run: (fetch, options) =>
          fujitsu({ baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com', tenantId: DEFAULT_FUJITSU_TENANT, identity, ...common, ...options, fetch })
            .events.list({ since, pageSize: 50 })
            .toArray(),
      };
    }
  }
}

const vendorScenarioOf = fc.record({
  vendor: fc.constantFrom<Vendor>('informatica', 'illumio', 'fujitsu'),
  config: fc.record({
    retry: configOf.map((config) => config.retry),
    timeout: configOf.map((config) => config.timeout),
    rateLimit: fc.constantFrom<false | 'vendor'>(false, 'vendor'),
  }),
  script: fc.array(answerOf, { minLength: 1, maxLength: 6 }),
  jitter: scenarioOf.map((scenario) => scenario.jitter),
});

type VendorScenario = typeof vendorScenarioOf extends fc.Arbitrary<infer T> ? T : never;

function asScenario(vendor: VendorScenario): Scenario {
  return playable({ config: { ...vendor.config, scale: 1 }, call: vendorCase(vendor.vendor).call, script: vendor.script, jitter: vendor.jitter });
}

async function runVendor(vendor: VendorScenario, scenario: Scenario): Promise<Omit<Observed, 'requests' | 'rateLimits'>> {
  const c = vendorCase(vendor.vendor);
  const sent: Sent[] = [];
  const retries: RetryInfo[] = [];
  const views: Views = { texts: [], dumps: [] };
  let passed = false;
  const played: typeof globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (passed || !c.scripted(url, init)) return c.emulator(input, init);
    const answer = scenario.script[Math.min(sent.length, scenario.script.length - 1)] as Answer;
    if (answer.kind === 'ok') passed = true;
    return answerWith(answer, init, sent, c.secrets[0] as string, () => c.emulator(input, init));
  };
  let draw = 0;
  const random = vi.spyOn(Math, 'random').mockImplementation(() => scenario.jitter[draw++ % scenario.jitter.length] as number);
  const options: Partial<CommonOptions> = {
    retry: scenario.config.retry,
    timeout: scenario.config.timeout,
    hooks: {
      onRequest: (info) => void hookViews({ ...info }, views),
      onResponse: (info) => void hookViews({ ...info }, views),
      onRetry: (info) => void (retries.push(info), hookViews({ ...info }, views)),
      onRateLimit: (info) => void hookViews({ ...info }, views),
    },
  };
  if (scenario.config.rateLimit === false) options.rateLimit = false;
  let result: Observed['result'] | undefined;
  let settledAt = 0;
  void c.run(played, options).then(
    (items) => {
      result = { ok: true, data: items };
      settledAt = Date.now();
    },
    (error: unknown) => {
      result = { ok: false, error };
      settledAt = Date.now();
    },
  );
  try {
    for (let turns = 0; result === undefined; turns += 1) {
      if (turns > 10_000) throw new Error('the call never settled');
      await vi.advanceTimersToNextTimerAsync();
    }
  } finally {
    random.mockRestore();
  }
  return { sent, retries, views, settledAt, result: result as Observed['result'] };
}

describe('retry and back-off of the vendors\' own calls, model-checked', () => {
  it('Informatica\'s search, Illumio\'s export and FUJITSU\'s login make the attempts and end with the errors the rules compute', PROPERTY_TIMEOUT, async () => {
    await fc.assert(
      fc.asyncProperty(vendorScenarioOf, async (vendor) => {
        const scenario = asScenario(vendor);
        const seen = await withFakeTime(START, () => runVendor(vendor, scenario));
        const expected = expectedOf(scenario, seen.sent);
        expect(seen.sent).toHaveLength(expected.attempts);
        for (const s of seen.sent) expect(s.body).toBe(seen.sent[0]?.body);
        expect(seen.retries.map((r) => [r.attempt, r.reason])).toEqual(
          seen.sent.slice(0, -1).map((s, i) => [i + 1, verdictOf(s.answer, scenario.config.timeout).reason]),
        );
        for (let k = 0; k < seen.sent.length - 1; k += 1) {
          const failed = seen.sent[k] as Sent;
          const { endAt } = endOf(failed, scenario.config);
          const floor = failed.retryAfterMs(endAt) ?? 0;
          expect((seen.sent[k + 1] as Sent).at - endAt).toBeGreaterThanOrEqual(Math.max(floor, Math.floor((seen.retries[k] as RetryInfo).delayMs)));
        }
        const { verdict } = expected;
        if (verdict.error === undefined) {
          expect(seen.result.ok, String((seen.result as { error?: unknown }).error)).toBe(true);
        } else {
          expectFailure(seen, expected, verdict.error);
        }
        expect(findLeak(seen.views, vendorCase(vendor.vendor).secrets)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
