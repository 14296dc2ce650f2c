/**
 * The cross-process limiter: bottleneck with its Redis datastore holds one concurrency count for every
 * process that uses the same key (`rateLimit.shared` made by `redisRateLimit()`, src/redis/index.ts).
 * The reservoir is a sliding window kept in Redis (`SharedWindow`, redis-window.ts): bottleneck's own
 * refills at fixed instants and lets twice the limit through across one. The `SendGate` adds what
 * bottleneck does not do in each process: its window counted from answers, `minTime` between actual
 * sends (bottleneck spaces jobs by when it planned them, so one late timer shortens the next gap) and
 * the `Retry-After` pause, which `SharedPause` (redis-pause.ts) carries to the other processes of the key.
 * A slot is leased, so that a process that dies does not keep it (redis-lease.ts), and every wait for
 * the server is bounded (redis-link.ts).
 *
 * bottleneck is loaded here, on the first limiter built with a Redis-shared limit, so an application that
 * does not share its limit never loads it (9-15 ms of import, about 59 KiB minified). The specifier is
 * a variable so that bundlers leave it out too, as bottleneck itself does for its Redis clients.
 */
import { randomUUID } from 'node:crypto';
import type Bottleneck from 'bottleneck';
import type { Clock } from '../clock.js';
import { invalidOption } from '../config.js';
import { isTributaryError, TributaryError } from '../errors.js';
import type { LimiterSettings, RequestLimiter, ScheduledRun } from '../rate-limit.js';
import { linkSignals, untilAborted, type LinkedSignal } from '../signal.js';
import { PausedTooLong, SendGate } from './gate.js';
import { SlotLeases } from './redis-lease.js';
import { boundScripts, RedisLink, type ConnectionEvents } from './redis-link.js';
import { SharedPause, type RedisCommands } from './redis-pause.js';
import { SharedWindow } from './redis-window.js';
import { IDLE_LIMITER_MS } from './shared.js';

/** Where a Redis-shared limit is kept. */
export interface RedisRateLimitOptions {
  /**
   * Options for the Redis client bottleneck creates (ioredis, or node-redis 3).
   * @default {} (the client's own defaults: 127.0.0.1:6379)
   * @example { host: 'redis.internal', port: 6379, password: process.env.REDIS_PASSWORD }
   */
  clientOptions?: Record<string, unknown> | undefined;
  /**
   * The Redis client library bottleneck should use; it must be installed beside bottleneck. `'redis'`
   * is node-redis 3 only (`npm install redis@3`): bottleneck speaks its callback API.
   * @default 'ioredis'
   * @example { datastore: 'redis' }
   */
  datastore?: 'ioredis' | 'redis' | undefined;
  /**
   * Milliseconds a request waits for the Redis server: to connect, on the first request of a limiter;
   * for the answer to each command; for a lost connection to come back. Past it the requests waiting
   * for their turn fail with a `NetworkError` that names the server (the client would otherwise retry,
   * and the requests wait, for as long as the server stays away), and new ones fail at once until the
   * server answers again.
   * @default 10_000
   * @example { connectTimeout: 2_000 }
   */
  connectTimeout?: number | undefined;
  /**
   * Milliseconds a concurrency slot stays taken in Redis without its process renewing it: how long a
   * process that dies mid-request (or loses Redis) keeps the others out of its slot. A live process
   * renews its slots every third of it, however long its requests take.
   * @default 30_000
   * @example { slotLease: 10_000 }
   */
  slotLease?: number | undefined;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_SLOT_LEASE_MS = 30_000;
/**
 * ioredis's wait, on disconnecting, for its socket to close before it destroys it (its own default is
 * 2 s). A socket that had closed already (a refused or lost connection) never closes again, so the
 * whole wait kept the process alive after `closeRateLimiters()`. The limiter disconnects without
 * `QUIT`, so nothing is lost by a short one; `clientOptions.disconnectTimeout` still overrides it.
 */
const DISCONNECT_TIMEOUT_MS = 200;
/**
 * How long a key's state stays in Redis once no process uses it (a credential rotated, a vendor
 * dropped): as long as the registry keeps an idle limiter in a process. Long beside any pause between
 * requests: a process that finds it gone makes it again, at the cost of two round trips.
 */
const IDLE_EXPIRY_MS = IDLE_LIMITER_MS;
/** bottleneck's heartbeat, which also frees the slots whose lease ran out: its default, or half a lease. */
const HEARTBEAT_MS = 5_000;

/** The settings bottleneck keeps in Redis for every process of the key. */
function storeSettings(settings: LimiterSettings, scale: number): { maxConcurrent: number | null; minTime: number } {
  return {
    maxConcurrent: settings.maxConcurrent === Infinity ? null : settings.maxConcurrent,
    // Also here, so that sends are spaced across processes; the gate keeps the spacing exact locally.
    minTime: Math.round(settings.minTime * scale),
  };
}

/**
 * Writes this process's settings over the key's in Redis. bottleneck's typings say `updateSettings`
 * returns the limiter; it returns a promise of it.
 */
function writeSettings(bottleneck: Bottleneck, settings: LimiterSettings, scale: number): Promise<unknown> {
  return Promise.resolve(bottleneck.updateSettings(storeSettings(settings, scale)));
}

export async function buildRedisLimiter(
  key: string,
  settings: LimiterSettings,
  redis: RedisRateLimitOptions,
  clock: Clock,
  closing?: AbortSignal,
): Promise<RequestLimiter> {
  const datastore = redis.datastore ?? 'ioredis';
  const client = await importOptional(datastore, datastore === 'redis' ? 'redis@3' : datastore);
  if (datastore === 'redis' && !isNodeRedisV3(client)) {
    invalidOption(
      'rateLimit.shared',
      'the "redis" datastore needs node-redis 3 (bottleneck speaks its callback API; version 4 and later fail inside bottleneck): install redis@3, or use the default "ioredis"',
    );
  }
  const { default: BottleneckClass } = (await importOptional('bottleneck', 'bottleneck')) as { default: typeof Bottleneck };
  const timeoutMs = redis.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const leaseMs = redis.slotLease ?? DEFAULT_SLOT_LEASE_MS;
  const id = `tributary:${key}`;
  const bottleneck = new BottleneckClass({
    ...storeSettings(settings, clock.scale),
    id,
    datastore,
    clientOptions: { ...(datastore === 'ioredis' ? { disconnectTimeout: DISCONNECT_TIMEOUT_MS } : {}), ...redis.clientOptions },
    clearDatastore: false,
    timeout: IDLE_EXPIRY_MS,
    heartbeatInterval: Math.min(HEARTBEAT_MS, leaseMs / 2),
  });
  const link = new RedisLink(describeServer(redis.clientOptions), timeoutMs);
  boundScripts(bottleneck, link, () => {
    // Jobs queued here would wait for a capacity message that no process sends until a job of the
    // key is scheduled or ends: writing the settings makes the state again and sends one.
    if (bottleneck.queued() > 0) void writeSettings(bottleneck, settings, clock.scale).catch(() => undefined);
  });
  // An unreachable server keeps `ready()` waiting while the client retries: closing gives up on it, and
  // so does the connect deadline, with an error that says which server did not answer.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(link.unanswered()), timeoutMs);
  const giveUp = linkSignals([closing, deadline.signal]);
  try {
    await untilAborted(bottleneck.ready(), giveUp.signal);
    const leases = new SlotLeases(bottleneck, id, link.commands(bottleneck.clients().client as RedisCommands), leaseMs, IDLE_EXPIRY_MS);
    // bottleneck writes its settings only when it makes the key's state: the newest process's apply to
    // every process of the key, so that a redeploy with new settings takes effect.
    await untilAborted(Promise.all([writeSettings(bottleneck, settings, clock.scale), leases.renew()]), giveUp.signal);
    return new RedisLimiter(bottleneck, key, clock, settings, link, leases);
  } catch (error) {
    link.close();
    void bottleneck.disconnect(false).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
    giveUp.dispose();
  }
}

/** `host:port` of the client options (no credential), or the client's default. */
function describeServer(clientOptions: Record<string, unknown> | undefined): string {
  const host = typeof clientOptions?.['host'] === 'string' ? clientOptions['host'] : '127.0.0.1';
  const port = typeof clientOptions?.['port'] === 'number' || typeof clientOptions?.['port'] === 'string' ? clientOptions['port'] : 6379;
  return `${host}:${String(port)}`;
}

/** Imports a package that may be missing; a missing one is a bad `rateLimit.shared` that says what to install. */
async function importOptional(name: string, install: string): Promise<unknown> {
  try {
    // A variable specifier keeps bundlers and the type checker from requiring the package.
    const specifier: string = name;
    return await import(specifier);
  } catch {
    return invalidOption('rateLimit.shared', `the "${name}" package is needed for a shared rate limit; install it (npm install ${install})`);
  }
}

/**
 * Whether an imported `redis` package is node-redis 3, whose callback API bottleneck uses: its client
 * has `end()`, which version 4 dropped. With a later one bottleneck fails with a bare `TypeError`
 * (`this.client.end is not a function`).
 */
export function isNodeRedisV3(module: unknown): boolean {
  type Client = { prototype?: { end?: unknown } } | undefined;
  const exports = module as { RedisClient?: Client; default?: { RedisClient?: Client } } | null;
  return typeof (exports?.RedisClient ?? exports?.default?.RedisClient)?.prototype?.end === 'function';
}

let sequence = 0;

/**
 * How long `close()` lets this limiter's Redis work finish: many round trips to a reachable server, and
 * a short stall of a shutdown when the server is gone (the client would retry for some 10 s).
 */
const CLOSE_GRACE_MS = 1_000;

/** Why a job of a closed limiter was not sent; a new error per job, so each has its own stack. */
function closedError(): TributaryError {
  return new TributaryError('the rate limiter was closed by closeRateLimiters() before the request was sent');
}

class RedisLimiter implements RequestLimiter {
  readonly #gate: SendGate;
  readonly #pause: SharedPause;
  /** The window every process of the key sends in; none without a reservoir. */
  readonly #window: SharedWindow | undefined;
  /** Jobs waiting for the oldest request of a full window to be answered. */
  readonly #waiters = new Set<() => void>();
  /**
   * Jobs not sent yet, to be rejected by `close()` or when the server does not answer: each one's
   * signal, linked to its caller's.
   */
  readonly #held = new Set<LinkedSignal>();
  /** What `close()` lets finish first: turns (an unsent one gives its slot back), pauses published, withdrawals. */
  readonly #pending = new Set<Promise<unknown>>();
  /** Jobs given to bottleneck and not settled there yet: queued, waiting for their turn, running, freeing their slot. */
  #jobs = 0;
  /** When (`performance.now()`) the last job settled and left none; made, before any. */
  #doneAt = performance.now();
  #closed = false;

  constructor(
    private readonly bottleneck: Bottleneck,
    key: string,
    private readonly clock: Clock,
    private readonly settings: LimiterSettings,
    private readonly link: RedisLink,
    private readonly leases: SlotLeases,
  ) {
    this.#gate = new SendGate(settings, clock.scale, () => {
      const waiters = [...this.#waiters];
      this.#waiters.clear();
      for (const wake of waiters) wake();
    });
    const { client, subscriber } = bottleneck.clients() as { client: RedisCommands & ConnectionEvents; subscriber: ConnectionEvents };
    const commands = link.commands(client);
    this.#pause = new SharedPause(commands, key, clock);
    const { reservoir } = settings;
    this.#window = reservoir && new SharedWindow(commands, key, reservoir.requests, reservoir.interval, clock, leases.leaseMs);
    link.onUnreachable(() => {
      for (const held of this.#held) held.abort(link.unanswered());
    });
    link.watch(client);
    link.watch(subscriber);
  }

  /**
   * Rejects every job not sent yet, as an abort would (the connection they wait on is about to go),
   * then disconnects. Requests already sent are answered to their callers.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.link.close();
    this.leases.close();
    this.#window?.close();
    for (const held of this.#held) held.abort(closedError());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)));
    await Promise.race([Promise.allSettled(this.#pending), grace]);
    clearTimeout(timer);
    await this.bottleneck.disconnect(false);
  }

  /**
   * Idle: no job in bottleneck, none waiting here, no Redis work of its own under way, and the gate
   * holds nothing a new limiter would not know (pause, `minTime`, window). Since the later of when that
   * became true and when the last job settled. The key's state in Redis outlives it (`IDLE_EXPIRY_MS`).
   */
  idleSince(now: number): number | undefined {
    if (this.#closed || this.#jobs > 0 || this.#held.size > 0 || this.#pending.size > 0 || this.#waiters.size > 0) return undefined;
    const quiet = this.#gate.quietFrom();
    return quiet > now ? undefined : Math.max(quiet, this.#doneAt);
  }

  pause(ms: number, status?: number): number {
    const wait = this.#gate.pause(ms, status);
    // Not awaited: the pause holds this process at once, the others from their next turn. A failed
    // write (#track handles its rejection) leaves the pause to this process; the next job meets the error.
    if (wait > 0) void this.#track(this.#pause.extend(wait));
    return wait;
  }

  schedule<T>(task: (run: ScheduledRun) => Promise<T>, signal?: AbortSignal, maxPause = Infinity): Promise<T> {
    signal?.throwIfAborted();
    if (this.#closed) throw closedError();
    if (this.link.unreachable) throw this.link.unanswered();
    const id = `tributary-${(sequence += 1)}`;
    const queuedAt = performance.now();
    const held = linkSignals([signal]);
    this.#held.add(held);
    const release = (): void => {
      this.#held.delete(held);
      held.dispose();
    };
    const waits = this.#mustWait(queuedAt);
    let started = false;
    let outcome!: { resolve: (answer: Promise<T>) => void; reject: (error: unknown) => void };
    const answer = new Promise<T>((resolve, reject) => (outcome = { resolve, reject }));
    this.#jobs += 1;
    const settled = (): void => {
      release();
      this.#jobs -= 1;
      if (this.#jobs === 0) this.#doneAt = performance.now();
    };
    const job = this.bottleneck.schedule({ id }, async () => {
      started = true;
      const settle = await this.#track(this.#turn(held.signal, maxPause));
      // Sent from here on: neither an abort nor close() takes the request back.
      release();
      const waitedMs = waits ? performance.now() - queuedAt : 0;
      const run: ScheduledRun = settle === undefined ? { waitedMs } : { waitedMs, answered: settle };
      // Through a promise, so that a task that throws at once fails to its caller as a later failure would.
      const sent = Promise.resolve(run).then(task);
      // The caller has the task's outcome as soon as it settles, not after the slot is given back in
      // Redis: a round trip, and a bounded wait if the server has gone meanwhile.
      outcome.resolve(sent);
      try {
        await sent;
      } catch {
        // The caller has it.
      } finally {
        settle?.();
      }
    });
    job.then(settled, (error: unknown) => {
      settled();
      // What kept the job from being sent (the task's own outcome went to the caller): an abort's
      // reason as it is, anything else from Redis as a NetworkError.
      outcome.reject(held.signal.aborted || isTributaryError(error) || error instanceof PausedTooLong ? error : this.link.failed(error));
    });
    // An abort takes a job that has not started out of bottleneck's queue, so it spends no slot.
    return untilAborted(answer, held.signal, () => {
      if (!started) void this.#track(withdraw(this.bottleneck, id, held.signal.reason));
    });
  }

  /** Waits for the job's turn; a job that leaves without being sent gives back the place it took. */
  async #turn(signal: AbortSignal, maxPause: number): Promise<(() => void) | undefined> {
    // Unique across the processes that share the key's window.
    const member = randomUUID();
    let placed = false;
    try {
      // Aborted between leaving bottleneck's queue and starting: still unsent.
      signal.throwIfAborted();
      for (;;) {
        // A pause another process received holds this one too (the gate takes unscaled milliseconds).
        const paused = await untilAborted(this.#pause.remaining(), signal);
        if (paused > 0) this.#gate.pause(paused / this.clock.scale);
        const now = performance.now();
        const pausedFor = this.#gate.pausedFor(now);
        if (pausedFor > maxPause) throw this.#gate.refusal(now);
        const at = this.#gate.readyAt(now);
        if (at === Infinity) await this.#answer(signal);
        else if (at > now) await this.clock.sleep((at - now) / this.clock.scale, signal);
        else if (placed || this.#window === undefined) return this.#sent(now, member);
        else {
          // This process may send; the key's window decides whether any process may. The round trip
          // takes time, so the gate is asked again before the send.
          const wait = await untilAborted(this.#window.take(member, signal), signal);
          if (wait === 0) placed = true;
          else await this.clock.sleep(wait / this.clock.scale, signal);
        }
      }
    } catch (error) {
      // Best effort: a place not given back frees itself an interval later.
      if (placed) await this.#track(this.#window?.giveBack(member) ?? Promise.resolve()).catch(() => undefined);
      throw error;
    }
  }

  /** Records the send in this process's gate; its answer is counted in the key's window too. */
  #sent(now: number, member: string): (() => void) | undefined {
    const settle = this.#gate.send(now);
    const window = this.#window;
    if (settle === undefined || window === undefined) return settle;
    return () => {
      settle();
      void this.#track(window.answered(member)).catch(() => undefined);
    };
  }

  /** Waits for the oldest request of a full window to be answered; an abort leaves no waiter behind. */
  #answer(signal: AbortSignal): Promise<void> {
    let wake = (): void => {};
    const answered = new Promise<void>((resolve) => {
      wake = resolve;
      this.#waiters.add(wake);
    });
    return untilAborted(answered, signal, () => this.#waiters.delete(wake));
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#pending.add(work);
    const done = (): void => void this.#pending.delete(work);
    work.then(done, done);
    return work;
  }

  /** Whether a job scheduled at `now` will be held, judged from what this process knows. */
  #mustWait(now: number): boolean {
    const counts = this.bottleneck.counts();
    const active = (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0) + (counts.RUNNING ?? 0) + (counts.EXECUTING ?? 0);
    return active >= this.settings.maxConcurrent || this.#gate.readyAt(now) > now;
  }
}

/*
 * bottleneck 2.19.5 (pinned exactly in package.json) has no public way to take one queued job out of
 * its queue. Left in, an aborted job would hold its place until capacity came back (up to a whole
 * reservoir window), then spend a reservoir slot. So the job is unlinked from bottleneck's queue under
 * its register lock (the lock its drain loop holds while it picks the next job, so the queue cannot
 * change under us), and dropped with the abort reason. test/core/rate-limit-internals.test.ts fails if
 * these internals move.
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

export async function withdraw(bottleneck: Bottleneck, id: string, reason: unknown): Promise<boolean> {
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
