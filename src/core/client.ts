/**
 * What a provider factory builds first: its common options validated (each bad one a
 * `ConfigurationError` naming it, thrown before any request) and its request pipeline.
 *
 * @example
 * const ctx = createClientContext('illumio', options, basicAuth(key, secret), { rateLimit: { requests: 500, interval: 60_000 } });
 * const page = await ctx.http.request({ operation: 'events.list', method: 'GET', path: path`/api/v2/orgs/${org}/events`, schema });
 */
import { systemClock, type Clock } from './clock.js';
import { ConfigurationError, type ProviderName } from './errors.js';
import { createHttpClient } from './http.js';
import type { CommonOptions, Hooks, RateLimitOptions, RetryOptions } from './options.js';
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

function fail(option: string, message: string): never {
  throw new ConfigurationError(`Invalid option \`${option}\`: ${message}`, { option });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return 'a string';
  return typeof value;
}

/** Unknown keys in a nested option are typos (`retry.limit`), not extensions: say so. */
function knownKeys(value: Record<string, unknown>, option: string, keys: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) fail(`${option}.${key}`, `unknown option; expected one of ${keys.join(', ')}`);
  }
}

function number(value: unknown, option: string, check: (n: number) => boolean, expected: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || Number.isNaN(value) || !check(value)) fail(option, `expected ${expected}, got ${describe(value)}`);
}

const nonNegativeInteger = (n: number): boolean => Number.isInteger(n) && n >= 0;
const positiveInteger = (n: number): boolean => Number.isInteger(n) && n > 0;
const nonNegativeFinite = (n: number): boolean => Number.isFinite(n) && n >= 0;
const positiveFinite = (n: number): boolean => Number.isFinite(n) && n > 0;

const RETRY_KEYS: ReadonlyArray<keyof RetryOptions> = ['retries', 'minDelay', 'maxDelay', 'maxRetryAfter', 'budget'];
const RATE_LIMIT_KEYS: ReadonlyArray<keyof RateLimitOptions> = ['requests', 'interval', 'maxConcurrent', 'minTime', 'shared'];
const HOOK_KEYS: ReadonlyArray<keyof Hooks> = ['onRequest', 'onResponse', 'onRetry', 'onRateLimit'];

/** Checks every common option; throws the `ConfigurationError` of the first bad one. */
export function validateCommonOptions(options: unknown): asserts options is CommonOptions {
  if (!isRecord(options)) fail('options', `expected an object, got ${describe(options)}`);
  const o = options;
  if (typeof o.baseUrl !== 'string' && !(o.baseUrl instanceof URL)) fail('baseUrl', `expected a URL string, got ${describe(o.baseUrl)}`);
  // The URL itself (parseable, http(s), https unless loopback or allowed) is checked by createHttpClient.
  if (o.allowInsecureHttp !== undefined && typeof o.allowInsecureHttp !== 'boolean') {
    fail('allowInsecureHttp', `expected a boolean, got ${describe(o.allowInsecureHttp)}`);
  }
  if (o.fetch !== undefined && typeof o.fetch !== 'function') fail('fetch', `expected a function, got ${describe(o.fetch)}`);
  if (o.timeout !== undefined && o.timeout !== false) {
    number(o.timeout, 'timeout', positiveFinite, 'a positive number of milliseconds or false');
  }
  validateRetry(o.retry);
  validateRateLimit(o.rateLimit);
  if (o.signal !== undefined && !isAbortSignal(o.signal)) fail('signal', `expected an AbortSignal, got ${describe(o.signal)}`);
  if (o.userAgent !== undefined) {
    if (typeof o.userAgent !== 'string' || o.userAgent.trim() === '') fail('userAgent', 'expected a non-empty string');
    // A header value with a line break would let the option inject headers.
    if (/[\r\n\0]/.test(o.userAgent)) fail('userAgent', 'must not contain line breaks');
  }
  if (o.hooks !== undefined) {
    if (!isRecord(o.hooks)) fail('hooks', `expected an object, got ${describe(o.hooks)}`);
    knownKeys(o.hooks, 'hooks', HOOK_KEYS);
    for (const key of HOOK_KEYS) {
      const hook = o.hooks[key];
      if (hook !== undefined && typeof hook !== 'function') fail(`hooks.${key}`, `expected a function, got ${describe(hook)}`);
    }
  }
  number(o.maxResponseSize, 'maxResponseSize', positiveInteger, 'a positive integer number of bytes');
  if (o.clock !== undefined) {
    const clock = o.clock as Partial<Clock> | null;
    if (!isRecord(clock) || typeof clock.now !== 'function' || typeof clock.sleep !== 'function') {
      fail('clock', 'expected a Clock ({ now, sleep, scale })');
    }
    number(clock.scale, 'clock.scale', positiveFinite, 'a positive number');
    if (clock.scale === undefined) fail('clock.scale', 'expected a positive number');
  }
}

function validateRetry(retry: unknown): void {
  if (retry === undefined || retry === false) return;
  if (!isRecord(retry)) fail('retry', `expected an object or false, got ${describe(retry)}`);
  knownKeys(retry, 'retry', RETRY_KEYS);
  number(retry.retries, 'retry.retries', nonNegativeInteger, 'a non-negative integer');
  number(retry.minDelay, 'retry.minDelay', nonNegativeFinite, 'a non-negative number of milliseconds');
  number(retry.maxDelay, 'retry.maxDelay', nonNegativeFinite, 'a non-negative number of milliseconds');
  number(retry.maxRetryAfter, 'retry.maxRetryAfter', nonNegativeFinite, 'a non-negative number of milliseconds');
  number(retry.budget, 'retry.budget', nonNegativeFinite, 'a non-negative ratio (0.5 = one retry per two requests)');
  const { minDelay, maxDelay } = retry as RetryOptions;
  if (minDelay !== undefined && maxDelay !== undefined && maxDelay < minDelay) {
    fail('retry.maxDelay', `must not be less than retry.minDelay (${minDelay})`);
  }
}

function validateRateLimit(rateLimit: unknown): void {
  if (rateLimit === undefined || rateLimit === false) return;
  if (!isRecord(rateLimit)) fail('rateLimit', `expected an object or false, got ${describe(rateLimit)}`);
  knownKeys(rateLimit, 'rateLimit', RATE_LIMIT_KEYS);
  number(rateLimit.requests, 'rateLimit.requests', (n) => n === Infinity || positiveInteger(n), 'a positive integer or Infinity');
  number(rateLimit.interval, 'rateLimit.interval', positiveFinite, 'a positive number of milliseconds');
  number(rateLimit.maxConcurrent, 'rateLimit.maxConcurrent', (n) => n === Infinity || positiveInteger(n), 'a positive integer or Infinity');
  number(rateLimit.minTime, 'rateLimit.minTime', nonNegativeFinite, 'a non-negative number of milliseconds');
  if (rateLimit.shared !== undefined && !isSharedRateLimit(rateLimit.shared)) {
    fail('rateLimit.shared', `expected a shared limit such as redisRateLimit() of tributary/redis, got ${describe(rateLimit.shared)}`);
  }
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    isRecord(value) &&
    typeof value.aborted === 'boolean' &&
    typeof (value as { addEventListener?: unknown }).addEventListener === 'function'
  );
}
