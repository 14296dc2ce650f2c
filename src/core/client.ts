/**
 * What a provider factory builds first: its common options validated (each bad one a
 * `ConfigurationError` naming it, thrown before any request) and its request pipeline.
 *
 * @example
 * const ctx = createClientContext('illumio', options, basicAuth(key, secret), { rateLimit: { requests: 500, interval: 60_000 } });
 * const page = await ctx.http.request({ operation: 'events.list', method: 'GET', path: path`/api/v2/orgs/${org}/events`, schema });
 */
import { systemClock, type Clock } from './clock.js';
import { invalidOption } from './config.js';
import type { ProviderName } from './errors.js';
import { createHttpClient } from './http.js';
import type { CommonOptions, RetryOptions } from './options.js';
import { isSharedRateLimit } from './rate-limit/shared.js';
import type { Auth, HttpClient, ProviderDefaults } from './request.js';

export interface ClientContext {
  readonly provider: ProviderName;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly signal: AbortSignal | undefined;
  /** The options as given, after validation. */
  readonly options: CommonOptions;
}

export function createClientContext(
  provider: ProviderName,
  options: CommonOptions,
  auth: Auth,
  defaults: ProviderDefaults,
): ClientContext {
  validateCommonOptions(options);
  const clock = options.clock ?? systemClock;
  const http = createHttpClient({ ...options, provider, auth, defaults });
  return { provider, http, clock, signal: options.signal, options };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What was given, without echoing a string (it may be a credential put in the wrong place). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string';
  return typeof value;
}

/**
 * An option's rule: the test a given value must pass (`undefined` always passes: the default applies),
 * the words that say what was expected, the rules of its members when it is an object (any other key
 * is a typo, `retry.limit`, not an extension) and a check that relates the members to one another.
 */
type Rule = readonly [
  test: (value: unknown) => boolean,
  expected: string,
  members?: Rules,
  relate?: (value: Record<string, unknown>) => void,
];
interface Rules {
  readonly [option: string]: Rule;
}

const numberThat =
  (check: (n: number) => boolean) =>
  (value: unknown): boolean =>
    typeof value === 'number' && check(value);
const isInteger = (n: number): boolean => Number.isInteger(n);
const positiveFinite = numberThat((n) => Number.isFinite(n) && n > 0);
const nonNegativeFinite = numberThat((n) => Number.isFinite(n) && n >= 0);
const positiveInteger = numberThat((n) => isInteger(n) && n > 0);
const positiveIntegerOrInfinity = numberThat((n) => n === Infinity || (isInteger(n) && n > 0));
const isFunction = (value: unknown): boolean => typeof value === 'function';
const isRecordOrFalse = (value: unknown): boolean => value === false || isRecord(value);
const MILLISECONDS = 'a non-negative number of milliseconds';
const FUNCTION: Rule = [isFunction, 'a function'];

const RETRY: Rules = {
  retries: [numberThat((n) => isInteger(n) && n >= 0), 'a non-negative integer'],
  minDelay: [nonNegativeFinite, MILLISECONDS],
  maxDelay: [nonNegativeFinite, MILLISECONDS],
  maxRetryAfter: [nonNegativeFinite, MILLISECONDS],
  budget: [nonNegativeFinite, 'a non-negative ratio (0.5 = one retry per two requests)'],
};

function relateDelays(retry: Record<string, unknown>): void {
  const { minDelay, maxDelay } = retry as RetryOptions;
  if (minDelay !== undefined && maxDelay !== undefined && maxDelay < minDelay) {
    invalidOption('retry.maxDelay', `must not be less than retry.minDelay (${minDelay})`);
  }
}

const RATE_LIMIT: Rules = {
  requests: [positiveIntegerOrInfinity, 'a positive integer or Infinity'],
  interval: [positiveFinite, 'a positive number of milliseconds'],
  maxConcurrent: [positiveIntegerOrInfinity, 'a positive integer or Infinity'],
  minTime: [nonNegativeFinite, MILLISECONDS],
  shared: [isSharedRateLimit, 'a shared limit such as redisRateLimit() of tributary/redis'],
};

/** The common options but `baseUrl` (required) and `clock` (checked member by member), in the order checked. */
const COMMON: Rules = {
  // The URL itself (parseable, http(s), https unless loopback or allowed) is checked by createHttpClient.
  allowInsecureHttp: [(value) => typeof value === 'boolean', 'a boolean'],
  fetch: FUNCTION,
  timeout: [(value) => value === false || positiveFinite(value), 'a positive number of milliseconds or false'],
  retry: [isRecordOrFalse, 'an object or false', RETRY, relateDelays],
  rateLimit: [isRecordOrFalse, 'an object or false', RATE_LIMIT],
  signal: [isAbortSignal, 'an AbortSignal'],
  // A header value with a line break would let the option inject headers.
  userAgent: [(value) => typeof value === 'string' && value.trim() !== '' && !/[\r\n\0]/.test(value), 'a non-empty string without line breaks'],
  hooks: [isRecord, 'an object', { onRequest: FUNCTION, onResponse: FUNCTION, onRetry: FUNCTION, onRateLimit: FUNCTION }],
  maxResponseSize: [positiveInteger, 'a positive integer number of bytes'],
};

/** Checks the members of `value` that `rules` name, in order; `closed`: no other member is allowed. */
function checkMembers(value: Record<string, unknown>, prefix: string, rules: Rules, closed: boolean): void {
  if (closed) {
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(rules, key)) invalidOption(`${prefix}${key}`, `unknown option; expected one of ${Object.keys(rules).join(', ')}`);
    }
  }
  for (const [key, [test, expected, members, relate]] of Object.entries(rules)) {
    const member = value[key];
    if (member === undefined) continue;
    if (!test(member)) invalidOption(`${prefix}${key}`, `expected ${expected}, got ${describe(member)}`);
    if (!isRecord(member)) continue;
    if (members) checkMembers(member, `${prefix}${key}.`, members, true);
    relate?.(member);
  }
}

/** Checks every common option; throws the `ConfigurationError` of the first bad one. */
export function validateCommonOptions(options: unknown): asserts options is CommonOptions {
  if (!isRecord(options)) invalidOption('options', `expected an object, got ${describe(options)}`);
  const { baseUrl, clock } = options;
  if (typeof baseUrl !== 'string' && !(baseUrl instanceof URL)) invalidOption('baseUrl', `expected a URL string, got ${describe(baseUrl)}`);
  checkMembers(options, '', COMMON, false);
  if (clock === undefined) return;
  const { now, sleep, scale } = (isRecord(clock) ? clock : {}) as Partial<Clock>;
  if (typeof now !== 'function' || typeof sleep !== 'function') invalidOption('clock', 'expected a Clock ({ now, sleep, scale })');
  if (!positiveFinite(scale)) invalidOption('clock.scale', `expected a positive number, got ${describe(scale)}`);
}

function isAbortSignal(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.aborted === 'boolean' &&
    typeof (value as { addEventListener?: unknown }).addEventListener === 'function'
  );
}
