/**
 * Client-side rate limiting: one limiter per (vendor, base URL origin, credential), shared by every
 * client of that key in the process, and across processes with `rateLimit.shared`. Vendor
 * limits come from VENDORS.md (Informatica 5 per minute, Illumio 500 per minute per API key).
 *
 * Two limiters behind one interface:
 * - in process (the default): a small FIFO queue + semaphore (rate-limit/local.ts). bottleneck used to
 *   do this and cost 50-400 us and a lot of garbage per request even when nothing waited; replacing it
 *   took the SDK/fetch time ratio from 2.09 to 1.54 on Illumio and from 2.30 to 2.04 on Socotra.
 * - across processes (`rateLimit.shared`): built by the store the application imported
 *   (rate-limit/shared.ts; Redis: `tributary/redis`, bottleneck with its Redis datastore).
 *
 * A server's `Retry-After` pauses the whole limiter (DESIGN.md: "a 429 pauses the whole limiter, not one
 * request"): every job waits for a shared "not before" instant before it is sent, so concurrent requests
 * do not all run into the same wall (rate-limit/gate.ts).
 *
 * Nothing here runs at import. A limiter is built on the first request of its key, and holds a timer
 * only while a job waits, so an idle limiter never keeps a process alive. One left idle for
 * `IDLE_LIMITER_MS` (a rotated credential's, a dropped client's) is forgotten and closed by a later
 * request of any key, which looks for such limiters at most once a minute: no timer of its own, and
 * a registry that does not grow with every credential a long-lived process has used.
 */
import type { Clock } from './clock.js';
import { TributaryError } from './errors.js';
import type { RateLimitOptions } from './options.js';
import { LocalLimiter } from './rate-limit/local.js';
import { BUILD_SHARED_LIMITER, IDLE_LIMITER_MS, type SharedRateLimit } from './rate-limit/shared.js';

/** @default 4 requests in flight per limiter */
export const DEFAULT_MAX_CONCURRENT = 4;
const DEFAULT_INTERVAL = 60_000;

export interface LimiterSettings {
  maxConcurrent: number;
  /** Unscaled milliseconds. */
  minTime: number;
  /** `undefined`: no reservoir, only concurrency and `minTime`. */
  reservoir: { requests: number; interval: number } | undefined;
  shared: SharedRateLimit | undefined;
}

/** Merges the caller's options over the vendor's published limit. */
export function limiterSettings(
  options: RateLimitOptions,
  vendor: { requests: number; interval: number } | undefined,
): LimiterSettings {
  const requests = options.requests ?? vendor?.requests;
  const interval = options.interval ?? vendor?.interval ?? DEFAULT_INTERVAL;
  return {
    maxConcurrent: options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
    minTime: options.minTime ?? 0,
    reservoir: requests === undefined || requests === Infinity ? undefined : { requests, interval },
    shared: options.shared,
  };
}

export interface ScheduledRun {
  /**
   * How long the limiter held the job (concurrency, reservoir, `minTime`, a `Retry-After` pause), in
   * real (scaled) milliseconds; 0 when nothing held it (the Redis round trips of a shared limiter are
   * not a wait).
   */
  waitedMs: number;
  /**
   * Marks the request answered as soon as the vendor's status and headers are in: the vendor counted it
   * when it arrived, so the sliding window may count it from here instead of from the end of the task
   * (reading a large body). Absent when the limiter counts no window; later calls do nothing.
   */
  answered?: () => void;
  /**
   * Gives the turn back when the task ends without the request having reached `fetch` (its signal
   * aborted between the turn and the send): the vendor never counted it, so neither do the window and
   * `minTime`, and the requests behind it may go in its place. Nothing once `answered` was called.
   * Absent when the limiter counts nothing it could give back.
   */
  unsent?: () => void;
}

export interface RequestLimiter {
  /**
   * Runs `task` when the limiter allows. If `signal` aborts first, the job leaves the queue without being
   * sent and the promise rejects with the signal's reason. A `Retry-After` pause longer than `maxPause`
   * (real milliseconds; default: any) rejects it at once, or as soon as such a pause starts, with
   * `PausedTooLong`.
   */
  schedule<T>(task: (run: ScheduledRun) => Promise<T>, signal?: AbortSignal, maxPause?: number): Promise<T>;
  /**
   * Holds every job of this limiter until `ms` (unscaled) from now have passed; returns the real
   * (scaled) wait. A shorter pause never shortens a longer one already in force. `status`: that of the
   * answer that asked for the pause, which the jobs it refuses report.
   */
  pause(ms: number, status?: number): number;
  /**
   * Ends the limiter's connections (Redis; jobs not sent yet are rejected with a `TributaryError`). An
   * in-process limiter has none.
   */
  close(): Promise<void>;
  /**
   * Since when (`performance.now()`) the limiter has been idle at `now`: nothing queued, running or in
   * flight, and nothing it holds that a new limiter of its key would not know (a `Retry-After` pause in
   * force, a send within `minTime`, a request its window still counts); `undefined` while it is not.
   * The registry forgets and closes a limiter idle for `IDLE_LIMITER_MS`. Optional: a limiter without
   * it (made by an older copy of the package) is kept, as every limiter used to be.
   */
  idleSince?(now: number): number | undefined;
}

interface RegistryEntry {
  limiter: Promise<RequestLimiter>;
  /** Aborts the build when `closeRateLimiters()` comes first. */
  closing: AbortController;
  /** The limiter once built: only a built limiter is judged idle. Absent from an older copy's entries. */
  built?: RequestLimiter;
  /** When (`performance.now()`) a request last looked the key up. Absent from an older copy's entries. */
  usedAt?: number;
  /**
   * Requests that hold the limiter (`holdLimiter`), between their attempts too: a back-off longer than
   * `IDLE_LIMITER_MS` leaves it idle, and dropped then, its retry would find it closed (a Redis one
   * refuses to send). Absent from an older copy's entries.
   */
  held?: number;
  /**
   * An in-process limiter's (no `rateLimit.shared`): it has no connection to close, so
   * `closeRateLimiters()` leaves it to the requests that hold it. Absent from an older copy's entries.
   */
  inProcess?: boolean;
}

type Registry = Map<string, RegistryEntry>;

/**
 * Where the registry lives: on `globalThis`, under a registered symbol, so that the ESM and CommonJS
 * builds loaded into one process (an ESM app with a CommonJS dependency that requires tributary) share
 * one limiter per key, as they share the vendor's budget. The symbol names this registry's shape; a
 * change to `RequestLimiter` or to its entries takes a new one, so copies that do not agree never mix.
 * An optional member (`idleSince`, an entry's `built` and `usedAt`) is not such a change: a copy that
 * does not know it ignores it, and the sweep keeps whatever lacks it.
 */
export const REGISTRY = Symbol.for('tributary.rateLimiters.v1');

/** Each key's limiter, with what aborts its build when the limiters are closed first; made on first use. */
function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  return (holder[REGISTRY] ??= new Map());
}

/** How often (real milliseconds) requests look for idle limiters: the registry is walked at most this often. */
const SWEEP_EVERY_MS = 60_000;
/** When (`performance.now()`) this copy of the module last looked for idle limiters. */
let sweptAt = Number.NEGATIVE_INFINITY;
/** The closes of limiters dropped for idleness not finished yet, for `closeRateLimiters()` to wait for. */
let closingIdle: Set<Promise<void>> | undefined;

/**
 * Forgets, and closes, every limiter idle for `IDLE_LIMITER_MS` at `now` (`performance.now()`): by its
 * own account (`idleSince`) and not looked up by a request meanwhile. A limiter still being built, or
 * without `idleSince`, is kept. Closing an idle Redis-shared limiter ends its connections; the key's
 * state in Redis expires by itself. A later request of the key builds a new limiter. Requests call it
 * through `sharedLimiter`, at most once a minute.
 */
function dropIdleLimiters(now: number): void {
  sweptAt = now;
  const limiters = registry();
  for (const [key, entry] of limiters) {
    const limiter = entry.built;
    const idle = limiter?.idleSince?.(now);
    if (limiter === undefined || idle === undefined || entry.held || now - Math.max(idle, entry.usedAt ?? idle) < IDLE_LIMITER_MS) continue;
    // Deleting the entry being visited does not disturb a Map's iteration.
    limiters.delete(key);
    const closed = limiter.close().catch(() => undefined);
    const closing = (closingIdle ??= new Set());
    closing.add(closed);
    void closed.then(() => closing.delete(closed));
  }
}

/**
 * Closes every rate limiter of this process and forgets it. Only a limiter shared through Redis holds a
 * connection that keeps a process alive; call this when a program that used `rateLimit.shared` is done.
 * Clients made before the call build fresh limiters if they are used again. An in-process limiter that
 * requests still hold (queued, in flight or backing off) is kept until they are over: forgotten, it
 * would still send them, and a new limiter of its key, knowing nothing of them, would send the requests
 * made after the call beside them, past the vendor's limit and concurrency.
 * @example
 * await closeRateLimiters();
 */
export async function closeRateLimiters(): Promise<void> {
  const limiters = registry();
  const all: RegistryEntry[] = [];
  for (const [key, entry] of limiters) {
    if (entry.inProcess === true && (entry.held ?? 0) > 0) continue;
    // Deleting the entry being visited does not disturb a Map's iteration.
    limiters.delete(key);
    all.push(entry);
  }
  for (const { closing } of all) closing.abort(new TributaryError('the rate limiter was closed by closeRateLimiters() before it was ready'));
  const settled = await Promise.allSettled(all.map(({ limiter }) => limiter));
  await Promise.all([
    ...settled.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)),
    // Those dropped for idleness are closing already.
    ...(closingIdle ?? []),
  ]);
}

/**
 * The limiter of `key`, built on first use with `settings` (in a process, the first client of a key
 * decides its settings; later clients of the same key share it as it is; across processes sharing it
 * through Redis, the concurrency and spacing kept there are those of the process that connected last).
 */
export function sharedLimiter(key: string, settings: LimiterSettings, clock: Clock): Promise<RequestLimiter> {
  return entryOf(key, settings, clock).limiter;
}

/** A request's hold on its key's limiter (`sharedLimiter`): not dropped as idle until released. */
export interface LimiterHold {
  limiter: Promise<RequestLimiter>;
  /** The limiter, when it was built before this request. */
  built: RequestLimiter | undefined;
  /** Once, when the request is over: its key's idle time counts from then. */
  release(): void;
}

export function holdLimiter(key: string, settings: LimiterSettings, clock: Clock): LimiterHold {
  const entry = entryOf(key, settings, clock);
  entry.held = (entry.held ?? 0) + 1;
  return {
    limiter: entry.limiter,
    built: entry.built,
    release: () => {
      entry.held = (entry.held ?? 1) - 1;
      entry.usedAt = performance.now();
    },
  };
}

function entryOf(key: string, settings: LimiterSettings, clock: Clock): RegistryEntry {
  const limiters = registry();
  const now = performance.now();
  let entry = limiters.get(key);
  if (entry) entry.usedAt = now;
  else {
    const closing = new AbortController();
    const made: RegistryEntry = { limiter: buildLimiter(key, settings, clock, closing.signal), closing, usedAt: now, inProcess: settings.shared === undefined };
    limiters.set(key, made);
    made.limiter.then(
      (limiter) => void (made.built = limiter),
      // A failed build (Redis client missing) must not poison the key for later, corrected, attempts.
      () => {
        if (limiters.get(key) === made) limiters.delete(key);
      },
    );
    entry = made;
  }
  // Per request, only this comparison; the walk at most once a minute (a clock that went back, as a
  // test's fake one may, walks at once). After the lookup, so the key asked for is never the one dropped.
  if (!(now >= sweptAt && now - sweptAt < SWEEP_EVERY_MS)) dropIdleLimiters(now);
  return entry;
}

/** For `rateLimit: false`: runs everything at once, honours only the signal. */
export const unlimited: RequestLimiter = {
  schedule: (task, signal) => {
    signal?.throwIfAborted();
    return task({ waitedMs: 0 });
  },
  pause: () => 0,
  close: async () => {},
};

function buildLimiter(key: string, settings: LimiterSettings, clock: Clock, closing: AbortSignal): Promise<RequestLimiter> {
  if (settings.shared) return settings.shared[BUILD_SHARED_LIMITER](key, settings, clock, closing);
  return Promise.resolve(new LocalLimiter(settings, clock));
}
