/**
 * A process's side of a Redis-shared limit (redis.ts builds it): each request is a bottleneck job that
 * holds one of the key's concurrency slots, waits in this process's `SendGate` for `minTime`, a
 * `Retry-After` pause (this process's or one another process published) and the key's sliding window,
 * and gives back what it took when it leaves unsent (an abort, `close()`, a server that stopped answering).
 */
import { randomUUID } from 'node:crypto';
import type Bottleneck from 'bottleneck';
import type { Clock } from '../clock.js';
import { isTributaryError, TributaryError } from '../errors.js';
import type { LimiterSettings, RequestLimiter, ScheduledRun } from '../rate-limit.js';
import { linkSignals, untilAborted, type LinkedSignal } from '../signal.js';
import { PausedTooLong, SendGate, type GateTurn } from './gate.js';
import { disconnectClients } from './redis-disconnect.js';
import type { SlotLeases } from './redis-lease.js';
import type { ConnectionEvents, RedisLink } from './redis-link.js';
import { SharedPause, type RedisCommands } from './redis-pause.js';
import { SharedWindow } from './redis-window.js';
import { withdraw } from './redis-withdraw.js';

let sequence = 0;

/** Why a sleep ended early: a place came back (not an error anyone sees). */
const WOKEN = Symbol('woken');

/**
 * How long `close()` lets this limiter's Redis work finish: many round trips to a reachable server, and
 * a short stall of a shutdown when the server is gone (the client would retry for some 10 s).
 */
const CLOSE_GRACE_MS = 1_000;

/** Why a job of a closed limiter was not sent; a new error per job, so each has its own stack. */
function closedError(): TributaryError {
  return new TributaryError('the rate limiter was closed by closeRateLimiters() before the request was sent');
}

export class RedisLimiter implements RequestLimiter {
  readonly #gate: SendGate;
  readonly #pause: SharedPause;
  /** The window every process of the key sends in; none without a reservoir. */
  readonly #window: SharedWindow | undefined;
  /** Jobs waiting for the oldest request of a full window to be answered. */
  readonly #waiters = new Set<() => void>();
  /**
   * Jobs asleep until the gate or the key's window has room: a place this process gives back wakes them
   * to look again, rather than leave it empty for the rest of their sleep (another process's comes back
   * unseen, an interval later at most).
   */
  readonly #sleepers = new Set<() => void>();
  /**
   * How many times sleepers were woken: a job whose answer to wait was on its way from Redis while a
   * place came back was not asleep to be woken, and looks again rather than sleep past the place.
   */
  #wakes = 0;
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
    await disconnectClients(this.bottleneck);
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
      const { answered, unsent } = await this.#track(this.#turn(held.signal, maxPause));
      // Let go from here on: neither an abort nor close() takes the request back; a task that does not
      // send it after all gives its place back (`unsent`).
      release();
      const waitedMs = waits ? performance.now() - queuedAt : 0;
      const run: ScheduledRun = answered === undefined ? { waitedMs, unsent } : { waitedMs, answered, unsent };
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
        answered?.();
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
  async #turn(signal: AbortSignal, maxPause: number): Promise<GateTurn> {
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
        else if (at > now) await this.#sleep(at - now, signal);
        else if (placed || this.#window === undefined) return this.#sent(now, member);
        else {
          // This process may send; the key's window decides whether any process may. The round trip
          // takes time, so the gate is asked again before the send.
          const wakes = this.#wakes;
          const wait = await untilAborted(this.#window.take(member, signal), signal);
          if (wait === 0) placed = true;
          else if (wakes === this.#wakes) await this.#sleep(wait, signal);
        }
      }
    } catch (error) {
      // Best effort: a place not given back frees itself an interval later.
      if (placed) await this.#giveBack(member);
      throw error;
    }
  }

  /**
   * Records the send in this process's gate; its answer is counted in the key's window too, and a send
   * taken back (`unsent`) gives its place there back, for every process of the key.
   */
  #sent(now: number, member: string): GateTurn {
    const turn = this.#gate.send(now);
    const window = this.#window;
    const { answered } = turn;
    const unsent = (): void => {
      turn.unsent();
      this.#wake();
    };
    if (answered === undefined || window === undefined) return { answered, unsent };
    // One or the other, once: a place counted from its answer is not removed, nor one given back re-added.
    let over = false;
    return {
      answered: () => {
        if (over) return;
        over = true;
        answered();
        void this.#track(window.answered(member)).catch(() => undefined);
      },
      unsent: () => {
        if (over) return;
        over = true;
        unsent();
        void this.#giveBack(member);
      },
    };
  }

  /** Gives the job's place in the key's window back, then wakes the jobs asleep on it. */
  async #giveBack(member: string): Promise<void> {
    // Best effort, as for a job that leaves unsent: a place not given back frees itself an interval later.
    await this.#track(this.#window?.giveBack(member) ?? Promise.resolve()).catch(() => undefined);
    this.#wake();
  }

  /** Sleeps `ms` unscaled milliseconds, or until woken by a place given back. */
  async #sleep(ms: number, signal: AbortSignal): Promise<void> {
    const link = linkSignals([signal]);
    const wake = (): void => link.abort(WOKEN);
    this.#sleepers.add(wake);
    try {
      await this.clock.sleep(ms / this.clock.scale, link.signal);
    } catch (error) {
      if (error !== WOKEN) throw error;
    } finally {
      this.#sleepers.delete(wake);
      link.dispose();
    }
  }

  #wake(): void {
    this.#wakes += 1;
    const sleepers = [...this.#sleepers];
    this.#sleepers.clear();
    for (const wake of sleepers) wake();
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
