/**
 * What a provider factory builds first: its common options validated (each bad one a
 * `ConfigurationError` naming it, thrown before any request) and its request pipeline.
 *
 * @example
 * const ctx = createClientContext('illumio', options, basicAuth(key, secret), { rateLimit: { requests: 500, interval: 60_000 } });
 * const page = await ctx.http.request({ operation: 'events.list', method: 'GET', path: path`/api/v2/orgs/${org}/events`, schema });
 */
import { systemClock, type Clock } from './clock.js';
import { checkMembersInto, describe, invalidOption, isHeaderValue, isPlainObject, isRecord, SIGNAL_RULE, unknownKeys, type Rule, type Rules } from './config.js';
import { nameContext, type ProviderName } from './errors.js';
import { createHttpClient } from './http.js';
import { OptionProblems } from './option-problems.js';
import type { CommonOptions, RetryOptions } from './options.js';
import { isSharedRateLimit } from './rate-limit/shared.js';
import type { Auth, HttpClient, ProviderDefaults } from './request.js';
import { parseBaseUrl, withoutApiPath } from './url.js';

export interface ClientContext {
  readonly provider: ProviderName;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly signal: AbortSignal | undefined;
  /** The options as given, after validation, the base URL without the provider's API path. */
  readonly options: CommonOptions;
}

/**
 * The names of a factory's own options, each once: written as this object's keys, so that the compiler
 * refuses a list that misses or invents one.
 */
export type OwnOptionNames<T> = Record<Exclude<keyof T, keyof CommonOptions>, true>;

/**
 * `own`: the names of the provider's own options (credentials, tenant, ...); any other name than those
 * and the common ones is a `ConfigurationError`, since a misspelt option (`timout`) would otherwise be
 * ignored without a word, in JavaScript or through a spread that TypeScript does not check.
 *
 * `apiPath`: the path the provider adds to every request, matched at the end of the base URL, where a
 * URL copied from the vendor's documentation or console has it: trimmed, not sent twice (a 404 once sent).
 */
export function createClientContext(
  provider: ProviderName,
  options: CommonOptions,
  auth: Auth,
  defaults: ProviderDefaults,
  own: readonly string[] = [],
  apiPath?: RegExp,
): ClientContext {
  if (apiPath !== undefined) options = { ...options, baseUrl: withoutApiPath(options.baseUrl, apiPath) };
  validateCommonOptions(options, own);
  const clock = options.clock ?? systemClock;
  const http = createHttpClient({ ...options, provider, auth, defaults });
  return { provider, http, clock, signal: options.signal, options };
}

/**
 * Builds a client with `build`. An error the factory throws names `provider`; an error a method throws
 * or rejects with names `provider` and the method's path in the client as its operation
 * (`events.list`, `schedules.failed.list`), the name its requests carry. The checks that raise them
 * (options, queries, ids) then need not know either.
 *
 * @example
 * export function illumio(options: IllumioOptions): IllumioClient {
 *   return buildClient('illumio', () => createIllumio(options));
 * }
 */
export function buildClient<T extends object>(provider: ProviderName, build: () => T): T {
  let client: T;
  try {
    client = build();
  } catch (error) {
    nameContext(error, provider, undefined);
    throw error;
  }
  return withOperations(provider, client, '');
}

/** A copy of `api` whose methods, at any depth, name their operation on the errors they raise. */
function withOperations<T extends object>(provider: ProviderName, api: T, prefix: string): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(api)) {
    const operation = `${prefix}${key}`;
    if (typeof value === 'function') out[key] = namingErrors(provider, operation, value as (...args: unknown[]) => unknown);
    else if (isRecord(value)) out[key] = withOperations(provider, value, `${operation}.`);
    else out[key] = value;
  }
  return out as T;
}

function namingErrors(provider: ProviderName, operation: string, method: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const name = (error: unknown): never => {
    nameContext(error, provider, operation);
    throw error;
  };
  return function (this: unknown, ...args: unknown[]): unknown {
    let result: unknown;
    try {
      result = method.apply(this, args);
    } catch (error) {
      return name(error);
    }
    // An async method's checks reject instead of throwing; a listing (not a promise) is returned as is.
    return result instanceof Promise ? result.catch(name) : result;
  };
}

const numberThat =
  (check: (n: number) => boolean) =>
  (value: unknown): boolean =>
    typeof value === 'number' && check(value);
const isInteger = (n: number): boolean => Number.isInteger(n);
const positiveFinite = numberThat((n) => Number.isFinite(n) && n > 0);
const nonNegativeFinite = numberThat((n) => Number.isFinite(n) && n >= 0);
/** setTimeout's limit: a longer delay is taken for 1 ms, so a longer wait would end at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const delay = numberThat((n) => n >= 0 && n <= MAX_TIMER_MS);
const positiveDelay = numberThat((n) => n > 0 && n <= MAX_TIMER_MS);
const positiveInteger = numberThat((n) => isInteger(n) && n > 0);
const positiveIntegerOrInfinity = numberThat((n) => n === Infinity || (isInteger(n) && n > 0));
const isFunction = (value: unknown): boolean => typeof value === 'function';
// A Map, a Date or a class instance has no members to read: taken for an object, it would be no options at all.
const isOptionsOrFalse = (value: unknown): boolean => value === false || isPlainObject(value);
const MILLISECONDS = `a number of milliseconds from 0 to ${MAX_TIMER_MS} (about 24.8 days)`;
const POSITIVE_MILLISECONDS = `a positive number of milliseconds up to ${MAX_TIMER_MS} (about 24.8 days)`;
const FUNCTION: Rule = [isFunction, 'a function'];

const RETRY: Rules = {
  // Beyond 2^53 an attempt's count no longer changes when 1 is added to it: the retries would never end.
  retries: [numberThat((n) => Number.isSafeInteger(n) && n >= 0), `a non-negative integer up to ${Number.MAX_SAFE_INTEGER}`],
  minDelay: [delay, MILLISECONDS],
  maxDelay: [delay, MILLISECONDS],
  maxRetryAfter: [delay, MILLISECONDS],
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
  interval: [positiveDelay, POSITIVE_MILLISECONDS],
  maxConcurrent: [positiveIntegerOrInfinity, 'a positive integer or Infinity'],
  minTime: [delay, MILLISECONDS],
  shared: [isSharedRateLimit, 'a shared limit such as redisRateLimit() of tributary/redis'],
  // A blank key (a setting left blank) is refused as every other blank name is: the clients of unrelated
  // organizations given one would share its limit.
  key: [(value) => typeof value === 'string' && value.trim() !== '', 'a non-blank string'],
};

/** The common options but `baseUrl` (required) and `clock` (checked member by member), in the order checked. */
const COMMON: Rules = {
  // The URL itself (parseable, http(s), https unless loopback or allowed) is checked by createHttpClient.
  allowInsecureHttp: [(value) => typeof value === 'boolean', 'a boolean'],
  fetch: FUNCTION,
  timeout: [(value) => value === false || positiveDelay(value), `${POSITIVE_MILLISECONDS}, or false`],
  retry: [isOptionsOrFalse, 'a plain object or false', RETRY, relateDelays],
  rateLimit: [isOptionsOrFalse, 'a plain object or false', RATE_LIMIT],
  signal: SIGNAL_RULE,
  // A header value with a line break would let the option inject headers; one fetch cannot send would
  // fail every request.
  userAgent: [(value) => typeof value === 'string' && value.trim() !== '' && isHeaderValue(value), 'a non-empty string a header can carry (no control character, nothing beyond Latin-1)'],
  hooks: [isPlainObject, 'a plain object', { onRequest: FUNCTION, onResponse: FUNCTION, onRetry: FUNCTION, onRateLimit: FUNCTION }],
  maxResponseSize: [positiveInteger, 'a positive integer number of bytes'],
};

/** Every option name a factory takes besides its own. */
const COMMON_NAMES: readonly string[] = ['baseUrl', 'clock', ...Object.keys(COMMON)];

/**
 * Checks a factory's options, all of them before it throws: `options` must be an object (nothing else
 * can be read), then `checkOwn` checks the provider's own options, keeping what it refuses in
 * `problems` and returning what it resolved (`undefined` once it refused one), then the common ones are
 * checked, and that no name is unknown. One `ConfigurationError` names every problem, the first as its
 * `option`.
 */
export function checkFactoryOptions<T>(options: unknown, own: readonly string[], checkOwn: (problems: OptionProblems) => T | undefined): T {
  if (!isPlainObject(options)) invalidOption('options', `expected an object, got ${describe(options)}`);
  const problems = new OptionProblems();
  const resolved = checkOwn(problems);
  checkCommonOptions(problems, options, own);
  problems.throwIfAny();
  // Only a refused option leaves it undefined, and then the line above threw.
  return resolved as T;
}

/** Checks every common option, and that no name is unknown; one `ConfigurationError` names every bad one. */
export function validateCommonOptions(options: unknown, own: readonly string[] = []): asserts options is CommonOptions {
  if (!isPlainObject(options)) invalidOption('options', `expected an object, got ${describe(options)}`);
  const problems = new OptionProblems();
  checkCommonOptions(problems, options, own);
  problems.throwIfAny();
}

function checkCommonOptions(problems: OptionProblems, options: Record<string, unknown>, own: readonly string[]): void {
  for (const key of unknownKeys(options, [...own, ...COMMON_NAMES])) {
    problems.refuse(key, `unknown option; expected one of ${[...own, ...COMMON_NAMES].join(', ')}`, 'unknown');
  }
  const { baseUrl, clock, allowInsecureHttp } = options;
  const isUrl = typeof baseUrl === 'string' || baseUrl instanceof URL;
  if (!isUrl) problems.refuse('baseUrl', `expected a URL string or a URL, got ${describe(baseUrl)}`);
  checkMembersInto(problems, options, '', COMMON, false);
  if (clock !== undefined) {
    const { now, sleep, scale } = (isRecord(clock) ? clock : {}) as Partial<Clock>;
    if (typeof now !== 'function' || typeof sleep !== 'function') problems.refuse('clock', 'expected a Clock ({ now, sleep, scale })');
    else if (!positiveFinite(scale)) problems.refuse('clock.scale', `expected a positive number, got ${describe(scale)}`);
  }
  // The URL itself, as the pipeline reads it, named with the others rather than after them alone.
  if (isUrl) problems.check(() => parseBaseUrl(baseUrl, allowInsecureHttp === true));
}
