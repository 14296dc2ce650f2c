/**
 * The one retry layer (p-retry). What is retried: 408, 429, 500, 502, 503, 504, network failures and
 * timeouts, for idempotent requests; a request that is not idempotent only after an answer that refused it
 * before any work (408, 429, 503: DESIGN.md, "Retry only what is safe"), or a connection never made. How long to wait:
 * full-jitter exponential back-off, with the server's `Retry-After` as a floor bounded by
 * `maxRetryAfter`. How much: a per-client retry budget, so that an outage is not multiplied by the
 * number of retries. Every wait goes through the injected `Clock`.
 */
import pRetry from 'p-retry';
import type { Clock } from './clock.js';
import { isHttpError, isNetworkError, isTimeoutError, type TributaryError } from './errors.js';
import type { RetryInfo, RetryOptions } from './options.js';

export type ResolvedRetryOptions = { [K in keyof RetryOptions]-?: Exclude<RetryOptions[K], undefined> };

export const RETRY_DEFAULTS: ResolvedRetryOptions = {
  retries: 4,
  minDelay: 500,
  maxDelay: 30_000,
  maxRetryAfter: 300_000,
  budget: 0.5,
};

/** `retry: false` still needs `maxRetryAfter` and `minDelay` for the limiter pause, so it resolves too. */
export function resolveRetryOptions(options: RetryOptions | false | undefined): ResolvedRetryOptions {
  if (options === false) return { ...RETRY_DEFAULTS, retries: 0 };
  const given = stripUndefined(options ?? {});
  // A `minDelay` above the default bound asks for longer waits: left at 30 s, the bound would cut
  // every back-off to it and the option would do nothing.
  const maxDelay = given.maxDelay ?? Math.max(RETRY_DEFAULTS.maxDelay, given.minDelay ?? 0);
  return { ...RETRY_DEFAULTS, ...given, maxDelay };
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

interface Hint {
  /** The server's `Retry-After`, in unscaled milliseconds. */
  retryAfterMs?: number;
  /**
   * How long the limiter holds every request after this answer when the server named no wait (a bare
   * 429), in unscaled milliseconds: a floor of the back-off as `Retry-After` is, so that `onRetry` tells
   * the wait there is, but the client's own, not held against `maxRetryAfter`.
   */
  heldMs?: number;
  /** Never retry this error, whatever its class (a body over `maxResponseSize` will not shrink). */
  final?: boolean;
  /** The attempt that failed so was never sent (its limiter refused it): not one of the attempts made. */
  unsent?: boolean;
  /**
   * The attempt never reached the server (its connection was refused, its host not found): made, but
   * not in doubt, so a request that is not idempotent may be sent again.
   */
  unreached?: boolean;
}

const hints = new WeakMap<object, Hint>();

/** Attaches what the retry layer needs to know about an error without widening the public classes. */
export function annotate<E extends Error>(error: E, hint: Hint): E {
  hints.set(error, { ...hints.get(error), ...hint });
  return error;
}

/** Why `error` may be retried (`'status 503'`, `'network'`, `'timeout'`), or `undefined` if it may not. */
export function retryReason(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || hints.get(error)?.final) return undefined;
  if (isHttpError(error)) return RETRYABLE_STATUSES.has(error.status) ? `status ${error.status}` : undefined;
  if (isTimeoutError(error)) return 'timeout';
  if (isNetworkError(error)) return 'network';
  return undefined;
}

/**
 * Statuses of an attempt that may have been applied all the same: the server failed while or after
 * doing the work, or a gateway lost its answer. A 429 or a 503 refuses the request before any work.
 */
const IN_DOUBT_STATUSES: ReadonlySet<number> = new Set([500, 502, 504]);

/** Whether a failed attempt may have been applied all the same: no answer came, or one of `IN_DOUBT_STATUSES`. */
export function mayHaveBeenApplied(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && hints.get(error)?.unreached) return false;
  return isNetworkError(error) || isTimeoutError(error) || (isHttpError(error) && IN_DOUBT_STATUSES.has(error.status));
}

const BUDGET_WINDOW = 100;
const BUDGET_MIN_RETRIES = 10;

/**
 * Retries may be at most `ratio` × the requests among the last 100 requests and retries of one client,
 * with 10 retries always allowed, so a short burst of failures is still retried but a dead server is
 * not hammered with `retries + 1` times the traffic.
 */
export class RetryBudget {
  readonly #window: boolean[] = [];
  #retries = 0;

  constructor(private readonly ratio: number) {}

  recordRequest(): void {
    this.#push(false);
  }

  /** Takes one retry from the budget; `false` when it is spent. */
  tryRetry(): boolean {
    const requests = this.#window.length - this.#retries;
    if (this.#retries >= Math.max(BUDGET_MIN_RETRIES, this.ratio * requests)) return false;
    this.#push(true);
    return true;
  }

  #push(isRetry: boolean): void {
    this.#window.push(isRetry);
    if (isRetry) this.#retries += 1;
    if (this.#window.length > BUDGET_WINDOW && this.#window.shift()) this.#retries -= 1;
  }
}

export interface RetryPolicy {
  options: ResolvedRetryOptions;
  idempotent: boolean;
  budget: RetryBudget;
  clock: Clock;
  signal?: AbortSignal | undefined;
  /** What the retry loop knows; the request pipeline adds which request it is. */
  onRetry?: ((info: Pick<RetryInfo, 'attempt' | 'delayMs' | 'reason' | 'error'>) => void) | undefined;
  /** The jitter source, in `[0, 1)`. @default Math.random */
  random?: () => number;
}

/**
 * Runs `attempt` (given its number, from 1) until it succeeds, fails with an error that may not be
 * retried, or the policy says stop. The error after more than one attempt is a copy of the last one, of
 * the same class, whose message says how many attempts were made and whose `cause` is the last error.
 */
export async function withRetry<T>(attempt: (attemptNumber: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const { options, budget, clock, signal } = policy;
  const random = policy.random ?? Math.random;
  budget.recordRequest();
  let attempts = 1;
  let note: string | undefined;
  /** Whether the failed attempt `attemptNumber` is retried; sleeps the back-off first when it is. */
  const retry = async (error: unknown, attemptNumber: number): Promise<boolean> => {
    const reason = retryReason(error);
    if (reason === undefined) return false;
    // Sent twice, a request that is not idempotent could be applied twice: retried only when refused or never sent.
    if (!policy.idempotent && mayHaveBeenApplied(error)) return false;
    const hint = hints.get(error as Error);
    const retryAfter = hint?.retryAfterMs;
    if (retryAfter !== undefined && retryAfter > options.maxRetryAfter) {
      note = `Retry-After ${Math.ceil(retryAfter / 1000)} s exceeds maxRetryAfter`;
      return false;
    }
    if (!budget.tryRetry()) {
      note = 'retry budget exhausted';
      return false;
    }
    const ceiling = Math.min(options.maxDelay, options.minDelay * 2 ** (attemptNumber - 1));
    const delay = Math.max(random() * ceiling, retryAfter ?? 0, hint?.heldMs ?? 0);
    // A reason is given only to the errors `RetryInfo` names (`retryReason`).
    policy.onRetry?.({ attempt: attemptNumber, delayMs: delay * clock.scale, reason, error: error as RetryInfo['error'] });
    await clock.sleep(delay, signal);
    return true;
  };
  try {
    // Most requests succeed at once: the first attempt runs on its own, and p-retry takes over after a
    // failure worth retrying (setting it up for every request was measurable, bench/).
    try {
      return await attempt(1);
    } catch (error) {
      const retried = options.retries > 0 && !signal?.aborted && (await retry(error, 1));
      if (!retried) throw error;
    }
    return await pRetry(
      (n) => {
        attempts = n + 1;
        return attempt(n + 1);
      },
      {
        retries: options.retries - 1,
        // p-retry's own timer is disabled: the delay is ours, slept on the injected clock.
        minTimeout: 0,
        maxTimeout: 0,
        signal,
        shouldRetry: ({ error, attemptNumber }) => retry(error, attemptNumber + 1),
      },
    );
  } catch (error) {
    const made = hints.get(error as Error)?.unsent ? attempts - 1 : attempts;
    throw attempts > 1 || note !== undefined ? gaveUp(error, made, note) : error;
  }
}

/**
 * A copy of `error` whose message tells how the retrying ended; the original is its `cause`. Only the
 * kinds that are retried are copied, each by its own class from its own fields (`status`, `url`,
 * `timeoutMs`, `retryAfterMs`, ...); anything else (an auth provider's own error) is passed on as it is.
 */
function gaveUp(error: unknown, attempts: number, note: string | undefined): unknown {
  if (!isHttpError(error) && !isTimeoutError(error) && !isNetworkError(error)) return error;
  const suffix = ` after ${attempts} attempt${attempts === 1 ? '' : 's'}${note ? ` (${note})` : ''}`;
  const Same = error.constructor as new (message: string, options: object) => TributaryError;
  return new Same(`${error.message}${suffix}`, { ...error, cause: error });
}
