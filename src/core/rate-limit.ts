/**
 * Client-side rate limiting: one bottleneck limiter per (vendor, base URL origin, credential), shared by
 * every client of that key in the process, and across processes when a Redis connection is given.
 * Vendor limits come from VENDORS.md (Informatica 5 per minute, Illumio 500 per minute per API key).
 *
 * A server's `Retry-After` pauses the whole limiter (DESIGN.md: "a 429 pauses the whole limiter, not one
 * request"): every job waits for a shared "not before" instant before it is sent, so concurrent requests
 * do not all run into the same wall.
 *
 * Nothing here runs at import. A limiter is built on the first request of its key; bottleneck's
 * reservoir timer is unreferenced while nothing is queued, so an idle limiter never keeps a process alive.
 */
import Bottleneck from 'bottleneck';
import type { Clock } from './clock.js';
import { ConfigurationError } from './errors.js';
import type { RateLimitOptions, RedisLimiterOptions } from './options.js';

/** @default 4 requests in flight per limiter */
export const DEFAULT_MAX_CONCURRENT = 4;
const DEFAULT_INTERVAL = 60_000;

export interface LimiterSettings {
  maxConcurrent: number;
  /** Unscaled milliseconds. */
  minTime: number;
  /** `undefined`: no reservoir, only concurrency and `minTime`. */
  reservoir: { requests: number; interval: number } | undefined;
  redis: RedisLimiterOptions | undefined;
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
    redis: options.redis,
  };
}

export interface ScheduledRun {
  /**
   * How long the limiter held the job (concurrency, reservoir, `minTime`, a `Retry-After` pause), in
   * real (scaled) milliseconds; 0 when nothing held it (bottleneck's own few milliseconds of
   * bookkeeping are not a wait).
   */
  waitedMs: number;
}

export interface RequestLimiter {
  /**
   * Runs `task` when the limiter allows. If `signal` aborts first, the job leaves the queue without being
   * sent and the promise rejects with the signal's reason.
   */
  schedule<T>(task: (run: ScheduledRun) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /**
   * Holds every job of this limiter until `ms` (unscaled) from now have passed; returns the real
   * (scaled) wait. A shorter pause never shortens a longer one already in force.
   */
  pause(ms: number): number;
  /** Ends the limiter's connections (Redis); jobs still queued are dropped. */
  close(): Promise<void>;
}

const limiters = new Map<string, Promise<RequestLimiter>>();

/**
 * Closes every rate limiter of this process and forgets it. Only a limiter shared through Redis holds a
 * connection that keeps a process alive; call this when a program that used `rateLimit.redis` is done.
 * Clients made before the call build fresh limiters if they are used again.
 * @example
 * await closeRateLimiters();
 */
export async function closeRateLimiters(): Promise<void> {
  const all = [...limiters.values()];
  limiters.clear();
  const settled = await Promise.allSettled(all);
  await Promise.all(settled.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
}

/**
 * The limiter of `key`, built on first use with `settings` (the first client of a key decides its
 * settings; later clients of the same key share it as it is).
 */
export function sharedLimiter(key: string, settings: LimiterSettings, clock: Clock): Promise<RequestLimiter> {
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = buildLimiter(key, settings, clock);
    limiters.set(key, limiter);
    // A failed build (Redis client missing) must not poison the key for later, corrected, attempts.
    limiter.catch(() => limiters.delete(key));
  }
  return limiter;
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

async function buildLimiter(key: string, settings: LimiterSettings, clock: Clock): Promise<RequestLimiter> {
  const scale = clock.scale;
  const options: Bottleneck.ConstructorOptions = {
    maxConcurrent: settings.maxConcurrent === Infinity ? null : settings.maxConcurrent,
    minTime: Math.round(settings.minTime * scale),
  };
  if (settings.reservoir) {
    const interval = Math.max(1, Math.round(settings.reservoir.interval * scale));
    Object.assign(options, {
      reservoir: settings.reservoir.requests,
      reservoirRefreshAmount: settings.reservoir.requests,
      reservoirRefreshInterval: interval,
      // bottleneck checks the refresh on a heartbeat (250 ms by default): make it fine enough for a
      // scaled interval, so a 60 s window at scale 0.001 really lasts about 60 ms.
      heartbeatInterval: Math.min(250, Math.max(2, Math.floor(interval / 20))),
    });
  }
  if (settings.redis) {
    const datastore = settings.redis.datastore ?? 'ioredis';
    await requireRedisClient(datastore);
    Object.assign(options, {
      id: `tributary:${key}`,
      datastore,
      clientOptions: settings.redis.clientOptions ?? {},
      clearDatastore: false,
    });
  }
  const bottleneck = new Bottleneck(options);
  if (settings.redis) await bottleneck.ready();
  else withoutTimerHops(bottleneck);
  return new BottleneckLimiter(bottleneck, clock, settings);
}

async function requireRedisClient(datastore: 'ioredis' | 'redis'): Promise<void> {
  try {
    // A variable specifier keeps bundlers and the type checker from requiring the optional package.
    const specifier: string = datastore;
    await import(specifier);
  } catch {
    throw new ConfigurationError(
      `Invalid option \`rateLimit.redis\`: the "${datastore}" package is needed for a shared rate limit; install it (npm install ${datastore})`,
      { option: 'rateLimit.redis' },
    );
  }
}

let sequence = 0;

/** One request counted by the sliding window. */
interface WindowEntry {
  /** When the request was sent, then, once it settled, when its answer came back. */
  at: number;
  /** Resolves when the request settles; `undefined` once it has. */
  settled: Promise<void> | undefined;
}

class BottleneckLimiter implements RequestLimiter {
  /** `performance.now()` before which no job may be sent (monotonic: wall-clock jumps do not matter). */
  #notBefore = 0;
  /** The last `reservoir.requests` requests, oldest first. */
  readonly #window: WindowEntry[] = [];
  #lastSend = Number.NEGATIVE_INFINITY;
  readonly reservoir: LimiterSettings['reservoir'];

  constructor(
    private readonly bottleneck: Bottleneck,
    private readonly clock: Clock,
    private readonly settings: LimiterSettings,
  ) {
    this.reservoir = settings.reservoir;
  }

  async close(): Promise<void> {
    await this.bottleneck.disconnect(false);
  }

  pause(ms: number): number {
    const wait = Math.max(0, ms) * this.clock.scale;
    this.#notBefore = Math.max(this.#notBefore, performance.now() + wait);
    return wait;
  }

  schedule<T>(task: (run: ScheduledRun) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const id = `tributary-${(sequence += 1)}`;
    const queuedAt = performance.now();
    const held = this.#mustWait(queuedAt);
    let started = false;
    const job = this.bottleneck.schedule({ id }, async () => {
      started = true;
      if (signal?.aborted) {
        // Aborted between leaving the queue and starting: nothing was sent, so give the slot back.
        if (this.reservoir) await this.bottleneck.incrementReservoir(1);
        throw signal.reason;
      }
      const settle = await this.#awaitTurn(signal);
      try {
        return await task({ waitedMs: held ? performance.now() - queuedAt : 0 });
      } finally {
        settle();
      }
    });
    if (!signal) return job;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason);
        if (!started) void withdraw(this.bottleneck, id, signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      job.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /**
   * Waits out a `Retry-After` pause and `minTime`, and keeps the reservoir honest as a sliding window.
   * bottleneck refills its reservoir at fixed instants, so N requests at the end of one window and N at
   * the start of the next would be 2N within one interval for a vendor that counts a sliding window
   * (Informatica's 5 a minute, Illumio's 500). And a vendor counts a request when it *arrives*, which is
   * after we send it and before its answer is back. So a request is counted from when its answer came
   * back (the latest instant the vendor can have counted it), and the (N+1)-th send waits until the
   * interval since the oldest of the last N has passed; while that one is still in flight, it waits for
   * it. No margin to tune, whatever the latency. Returns the callback that marks the request settled.
   */
  async #awaitTurn(signal: AbortSignal | undefined): Promise<() => void> {
    for (;;) {
      const oldest = this.reservoir && this.#window.length >= this.reservoir.requests ? this.#window[0] : undefined;
      if (oldest?.settled) {
        await abortable(oldest.settled, signal);
        continue;
      }
      const now = performance.now();
      const windowOpensAt = oldest && this.reservoir ? oldest.at + this.reservoir.interval * this.clock.scale : 0;
      // bottleneck spaces jobs by when it planned them, so one late timer shortens the next gap: keep
      // `minTime` between actual sends here.
      const until = Math.max(this.#notBefore, windowOpensAt, this.#lastSend + this.settings.minTime * this.clock.scale);
      if (until <= now) {
        this.#lastSend = now;
        return this.#count(now);
      }
      await this.clock.sleep((until - now) / this.clock.scale, signal);
    }
  }

  #count(now: number): () => void {
    if (!this.reservoir) return noop;
    let markSettled = noop;
    const entry: WindowEntry = {
      at: now,
      settled: new Promise<void>((resolve) => {
        markSettled = resolve;
      }),
    };
    this.#window.push(entry);
    if (this.#window.length > this.reservoir.requests) this.#window.shift();
    return () => {
      entry.at = performance.now();
      entry.settled = undefined;
      markSettled();
    };
  }

  /** Whether a job scheduled at `now` will be held, judged from what this process knows. */
  #mustWait(now: number): boolean {
    const counts = this.bottleneck.counts();
    const active = (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0) + (counts.RUNNING ?? 0) + (counts.EXECUTING ?? 0);
    const oldest = this.reservoir && this.#window.length >= this.reservoir.requests ? this.#window[0] : undefined;
    return (
      active >= this.settings.maxConcurrent ||
      this.#notBefore > now ||
      (oldest !== undefined && this.reservoir !== undefined &&
        (oldest.settled !== undefined || oldest.at + this.reservoir.interval * this.clock.scale > now)) ||
      this.#lastSend + this.settings.minTime * this.clock.scale > now
    );
  }
}

const noop = (): void => {};

/** Waits for `promise`, or rejects with the signal's reason as soon as it aborts. */
function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/*
 * bottleneck's local datastore fakes the asynchrony of Redis with `setTimeout(0)` at each of its steps,
 * and starts every job with another `setTimeout(0)`; Node clamps each to 1 ms, so every request paid
 * about 4.5 ms before it was sent (measured: 300 sequential jobs, 4.5 ms each; 0.05 ms with the hops
 * below), as much as parsing a 1000-event page. The hops are replaced by a microtask and `setImmediate`,
 * which keep the same ordering (still asynchronous, still after the current job). Real waits (minTime,
 * reservoir) keep their timers. bottleneck is pinned exactly, and test/core/rate-limit-internals.test.ts
 * fails if these internals move.
 */
interface BottleneckHops {
  Events?: { _events?: Record<string, unknown>; trigger?: (name: string, ...args: unknown[]) => Promise<unknown> };
  _store?: { yieldLoop?: (t?: number) => Promise<unknown> };
  _run?: (index: number, job: unknown, wait: number) => unknown;
  _scheduled?: Record<number, { timeout: unknown; expiration: unknown; job: unknown }>;
}
interface RunnableJob {
  doRun(): void;
  doExecute(limiter: unknown, clearGlobalState: () => void, run: (wait: number) => unknown, free: () => unknown): unknown;
  options: { expiration?: number | null };
}

export function withoutTimerHops(bottleneck: Bottleneck): boolean {
  const internals = bottleneck as unknown as BottleneckHops & {
    _limiter: unknown;
    _clearGlobalState(index: number): void;
    _free(index: number, job: unknown, ...rest: unknown[]): unknown;
  };
  const store = internals._store;
  const originalRun = internals._run;
  if (!store?.yieldLoop || !originalRun || !internals._scheduled) return false;
  const timedYield = store.yieldLoop.bind(store);
  store.yieldLoop = (t = 0) => (t > 0 ? timedYield(t) : Promise.resolve());
  // Each job fires about ten events, each building a debug message and an async generator even when
  // nobody listens (tributary never does): skip the ones without listeners.
  const events = internals.Events;
  const trigger = events?.trigger?.bind(events);
  if (events && trigger) {
    events.trigger = (name, ...args) => {
      const listeners = events._events ?? {};
      return listeners[name] === undefined && listeners['debug'] === undefined ? Promise.resolve(undefined) : trigger(name, ...args);
    };
  }
  internals._run = function (this: typeof internals, index: number, job: unknown, wait: number) {
    const runnable = job as RunnableJob;
    if (wait > 0 || runnable.options.expiration != null) return originalRun.call(this, index, job, wait);
    runnable.doRun();
    // The same bindings bottleneck's own `_run` makes: `free` receives the job's options from doExecute.
    const clearGlobalState = this._clearGlobalState.bind(this, index);
    const run = (next: number) => this._run?.(index, job, next);
    const free = this._free.bind(this, index, job) as () => unknown;
    const scheduled = this._scheduled as NonNullable<BottleneckHops['_scheduled']>;
    scheduled[index] = {
      timeout: setImmediate(() => runnable.doExecute(this._limiter, clearGlobalState, run, free)),
      expiration: undefined,
      job,
    };
    return scheduled[index];
  };
  return true;
}

/*
 * bottleneck 2.19.5 (pinned exactly in package.json) has no public way to take one queued job out of
 * its queue. Left in, an aborted job would hold its place until capacity came back (up to a whole
 * reservoir window, keeping the process alive), then spend a reservoir slot. So the job is unlinked
 * from bottleneck's queue under its register lock (the lock its drain loop holds while it picks the next
 * job, so the queue cannot change under us), and dropped with the abort reason.
 */
interface QueueNode {
  value: { options: { id: string }; doDrop(options: { error: unknown }): boolean };
  prev: QueueNode | null;
  next: QueueNode | null;
}
interface QueueList {
  _first: QueueNode | null;
  _last: QueueNode | null;
  length: number;
  decr?: () => void;
}
interface BottleneckInternals {
  _registerLock?: { schedule<R>(task: () => R | Promise<R>): Promise<R> };
  _queues?: { _lists?: QueueList[] };
}

async function withdraw(bottleneck: Bottleneck, id: string, reason: unknown): Promise<boolean> {
  const internals = bottleneck as unknown as BottleneckInternals;
  const lock = internals._registerLock;
  if (!lock) return false;
  return lock.schedule(() => {
    if (bottleneck.jobStatus(id) !== 'QUEUED') return false;
    for (const list of internals._queues?._lists ?? []) {
      for (let node = list._first; node; node = node.next) {
        if (node.value.options.id !== id) continue;
        if (node.prev) node.prev.next = node.next;
        else list._first = node.next;
        if (node.next) node.next.prev = node.prev;
        else list._last = node.prev;
        list.length -= 1;
        list.decr?.(); // keeps bottleneck's queue count right, and unrefs its timer when the queue empties
        return node.value.doDrop({ error: reason });
      }
    }
    return false;
  });
}
