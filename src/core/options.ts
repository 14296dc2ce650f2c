/**
 * The options every provider factory accepts, beside its credentials. Each is documented with its
 * default here, in the type, so an editor shows it where it is typed.
 */
import type { Clock } from './clock.js';
import type { FetchFunction } from './fetch.js';
import type { HttpError, NetworkError, ProviderName, TimeoutError } from './errors.js';
import type { SharedRateLimit } from './rate-limit/shared.js';

/**
 * Why a request is about to be retried. It names the request as `RequestInfo` does, so that a retry
 * can be logged without digging the operation out of `error`.
 */
export interface RetryInfo extends RequestInfo {
  /** The attempt that just failed, from 1. */
  attempt: number;
  /** How long tributary waits before the next attempt, in milliseconds (already time-scaled). */
  delayMs: number;
  /** `'status 503'`, `'network'`, `'timeout'`, ... */
  reason: string;
  /**
   * The error of the failed attempt, one of those retried (its `status` after an `instanceof
   * HttpError`); its message holds no credential.
   */
  error: HttpError | NetworkError | TimeoutError;
}

export interface RequestInfo {
  provider: ProviderName;
  operation: string;
  method: string;
  /** The URL without credentials. */
  url: string;
  attempt: number;
}

export interface ResponseInfo extends RequestInfo {
  status: number;
  durationMs: number;
}

export interface RateLimitInfo {
  provider: ProviderName;
  operation: string;
  /** How long the request waited in the limiter, or will wait after a 429, in milliseconds. */
  waitMs: number;
  /**
   * `'queued'` when the client-side limiter held the request; `'retry-after'` when the server did: its
   * `Retry-After`, or a 429 without one, after which the client pauses for `retry.minDelay`.
   */
  cause: 'queued' | 'retry-after';
}

/**
 * Observers of the request pipeline. They see no credentials. An exception a hook throws, or a promise
 * it returns that rejects, is ignored (not even logged), so a logging bug never breaks collection.
 */
export interface Hooks {
  /**
   * Before each attempt is sent.
   * @default undefined (not observed)
   * @example onRequest: (info) => console.debug(info.method, info.url, 'attempt', info.attempt)
   */
  onRequest?: ((info: RequestInfo) => void) | undefined;
  /**
   * After each attempt got an HTTP answer, whatever its status.
   * @default undefined (not observed)
   * @example onResponse: (info) => console.debug(info.status, info.url, `${info.durationMs} ms`)
   */
  onResponse?: ((info: ResponseInfo) => void) | undefined;
  /**
   * Before waiting for the next attempt.
   * @default undefined (not observed)
   * @example onRetry: (info) => console.warn(`retry ${info.attempt} in ${info.delayMs} ms: ${info.reason}`)
   */
  onRetry?: ((info: RetryInfo) => void) | undefined;
  /**
   * When a request waits for the rate limiter or for a server's `Retry-After`.
   * @default undefined (not observed)
   * @example onRateLimit: (info) => console.info(`${info.operation} waits ${info.waitMs} ms (${info.cause})`)
   */
  onRateLimit?: ((info: RateLimitInfo) => void) | undefined;
}

export interface RetryOptions {
  /**
   * Attempts after the first one: an integer from 0 to `Number.MAX_SAFE_INTEGER`.
   * @default 4
   * @example { retries: 2 }
   */
  retries?: number | undefined;
  /**
   * First back-off ceiling in milliseconds; each retry draws a delay in `[0, min(maxDelay, minDelay * 2^n))`
   * (full jitter).
   * @default 500
   * @example { minDelay: 1_000 }
   */
  minDelay?: number | undefined;
  /**
   * Upper bound of one back-off, in milliseconds.
   * @default 30_000, or `minDelay` when that is larger
   * @example { maxDelay: 10_000 }
   */
  maxDelay?: number | undefined;
  /**
   * Longest `Retry-After` honoured, in milliseconds. A server that asks for more fails the request with
   * a `RateLimitError` (or the `HttpError` of its status) instead of stalling the caller, and so does
   * every request its limiter holds, unsent, while that pause lasts.
   * @default 300_000
   * @example { maxRetryAfter: 60_000 }
   */
  maxRetryAfter?: number | undefined;
  /**
   * Retry budget: at most this fraction of the requests of one client may be retries (counted over the
   * last 100 requests, with at least 10 retries always allowed), so an outage is not multiplied.
   * @default 0.5
   * @example { budget: 0.2 }
   */
  budget?: number | undefined;
}

export interface RateLimitOptions {
  /**
   * Requests allowed per `interval`; `undefined` means the vendor's default (see the provider's README
   * section), `Infinity` no reservoir.
   * @default the vendor's published limit: 500 for Illumio, 5 for Informatica, none for Socotra, Tines and FUJITSU
   * @example { requests: 5, interval: 60_000 }
   */
  requests?: number | undefined;
  /**
   * Length of the reservoir window, in milliseconds.
   * @default the vendor's window, else 60_000
   * @example { requests: 100, interval: 10_000 }
   */
  interval?: number | undefined;
  /**
   * Requests in flight at once, per limiter.
   * @default 4
   * @example { maxConcurrent: 1 }
   */
  maxConcurrent?: number | undefined;
  /**
   * Minimum milliseconds between two request starts.
   * @default 0
   * @example { minTime: 250 }
   */
  minTime?: number | undefined;
  /**
   * The budget the client draws from, for a vendor that counts several credentials together: clients
   * of one vendor and base URL origin that name the same key share one limiter (and, with `shared`,
   * one limit across processes), whatever their credentials. Informatica counts its 5 a minute for the
   * organization, not for the user.
   * @default the credential: the clients of one user, API key or token share a limiter
   * @example informatica({ ...options, username: 'etl-reader', rateLimit: { key: 'acme-org' } })
   */
  key?: string | undefined;
  /**
   * A limit shared by every process that uses the same key (vendor, base URL origin, credential), kept
   * in a store made by that store's factory. Without it the limit is per process.
   * @default undefined (per process)
   * @example
   * import { redisRateLimit } from 'tributary/redis';
   * illumio({ ...options, rateLimit: { shared: redisRateLimit({ clientOptions: { host: '127.0.0.1', port: 6379 } }) } });
   */
  shared?: SharedRateLimit | undefined;
}

/** Options shared by every provider factory. */
export interface CommonOptions {
  /**
   * The API's base URL, as a string or a `URL` (its query and fragment are dropped). `https:` is
   * required unless the host is loopback or `allowInsecureHttp` is set.
   * @default none: required
   * @example 'https://pce.example.com:8443'
   * @example new URL(process.env.PCE_URL ?? 'https://pce.example.com:8443')
   */
  baseUrl: string | URL;
  /**
   * The `fetch` used for every request, for proxies, instrumentation or tests. It is called with the URL
   * as a string and a `RequestInit` (method, headers as a plain object of lower-case names, a string
   * body, the attempt's signal, `redirect: 'manual'`: redirects are followed by the SDK, within the base
   * URL's origin).
   * @default globalThis.fetch
   * @example fetch: (url, init) => undiciFetch(url, { ...init, dispatcher: proxyAgent }) // undici's fetch and ProxyAgent
   */
  fetch?: FetchFunction | undefined;
  /**
   * Milliseconds one attempt may take, headers and body (at most 2^31 - 1, setTimeout's limit); `false`
   * for none.
   * @default 30_000
   * @example timeout: 120_000
   */
  timeout?: number | false | undefined;
  /**
   * Retry policy for safe operations, or `false` to never retry.
   * @default { retries: 4, minDelay: 500, maxDelay: 30_000, maxRetryAfter: 300_000, budget: 0.5 }
   * @example retry: { retries: 2, maxDelay: 5_000 }
   */
  retry?: RetryOptions | false | undefined;
  /**
   * Client-side rate limit, or `false` to send as fast as the caller asks.
   * @default the vendor's published limit, 4 requests in flight
   * @example rateLimit: { requests: 100, interval: 60_000, maxConcurrent: 2 }
   */
  rateLimit?: RateLimitOptions | false | undefined;
  /**
   * Aborts everything this client does: requests, back-off and rate-limit queues.
   * @default undefined (never aborted)
   * @example signal: AbortSignal.timeout(600_000)
   */
  signal?: AbortSignal | undefined;
  /**
   * Sent as `User-Agent`, before tributary's own product token.
   * @default 'tributary/<version>'
   * @example 'acme-collector/2.1'
   */
  userAgent?: string | undefined;
  /**
   * Observers of the request pipeline.
   * @default undefined (no hooks)
   * @example hooks: { onRetry: (info) => console.warn(`retrying: ${info.reason}`) }
   */
  hooks?: Hooks | undefined;
  /**
   * Largest response body accepted, in bytes; a larger one fails with a `NetworkError` before it is
   * buffered whole.
   * @default 67_108_864 (64 MiB)
   * @example maxResponseSize: 256 * 1024 * 1024
   */
  maxResponseSize?: number | undefined;
  /**
   * Allows `http:` to a host that is not loopback. Credentials then travel in clear text.
   * @default false
   * @example allowInsecureHttp: true
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * The clock used for back-off, rate limits and default time windows; tests inject a fast one.
   * @default systemClock
   * @example clock: scaledClock(0.001)
   */
  clock?: Clock | undefined;
}
