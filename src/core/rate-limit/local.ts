/**
 * The in-process limiter: a FIFO queue, a `maxConcurrent` semaphore and the `SendGate` (Retry-After
 * pause, `minTime`, sliding window). It replaced bottleneck for limiters not shared through Redis:
 * bottleneck cost 50-400 us and a lot of garbage per request (async generators in its locks and local
 * datastore), which moved the SDK/fetch time ratio from 1.54 to 2.09 on Illumio and from 2.04 to 2.30
 * on Socotra (the README's "Performance" section).
 *
 * A request that nothing holds (nothing queued, a free slot, the gate open) starts at once, with no
 * timer and no promise beyond the task's own. A timer exists only while a job waits for the gate, and
 * is cleared as soon as the queue empties, so an idle limiter never keeps a process alive.
 */
import type { Clock } from '../clock.js';
import type { LimiterSettings, RequestLimiter, ScheduledRun } from '../rate-limit.js';
import { PausedTooLong, SendGate } from './gate.js';

interface QueuedJob {
  start(waitedMs: number): void;
  refuse(error: PausedTooLong): void;
  queuedAt: number;
  maxPause: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class LocalLimiter implements RequestLimiter {
  readonly #gate: SendGate;
  readonly #maxConcurrent: number;
  readonly #queue: QueuedJob[] = [];
  #running = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending timer fires (`performance.now()`), to avoid re-arming it for the same instant. */
  #timerAt = 0;
  /** When (`performance.now()`) the last job left (settled, or unsent) and left nothing behind; made, before any. */
  #doneAt = performance.now();
  /** Bound once: the slot release every task's settlement runs. */
  readonly #release = (): void => {
    this.#running -= 1;
    if (this.#running === 0) this.#doneAt = performance.now();
    this.#drain();
  };
  readonly #wake = (): void => {
    this.#timer = undefined;
    this.#drain();
  };

  constructor(settings: LimiterSettings, clock: Clock) {
    this.#maxConcurrent = settings.maxConcurrent;
    this.#gate = new SendGate(settings, clock.scale, () => this.#drain());
  }

  pause(ms: number, status?: number): number {
    const wait = this.#gate.pause(ms, status);
    // The jobs queued that may not wait that long leave now.
    const now = performance.now();
    const paused = this.#gate.pausedFor(now);
    for (const job of this.#queue.filter((queued) => paused > queued.maxPause)) {
      this.#remove(job);
      job.refuse(this.#gate.refusal(now));
    }
    return wait;
  }

  /**
   * Idle: nothing queued or running, and the gate holds nothing a new limiter would not know (pause,
   * `minTime`, window). Since the later of when that became true and when the last task settled.
   */
  idleSince(now: number): number | undefined {
    if (this.#queue.length > 0 || this.#running > 0) return undefined;
    const quiet = this.#gate.quietFrom();
    return quiet > now ? undefined : Math.max(quiet, this.#doneAt);
  }

  /** Nothing to disconnect; jobs already queued still run. */
  async close(): Promise<void> {}

  schedule<T>(task: (run: ScheduledRun) => Promise<T>, signal?: AbortSignal, maxPause = Infinity): Promise<T> {
    signal?.throwIfAborted();
    const now = performance.now();
    if (this.#queue.length === 0 && this.#running < this.#maxConcurrent && this.#gate.readyAt(now) <= now) {
      return this.#run(task, now, 0);
    }
    if (this.#gate.pausedFor(now) > maxPause) return Promise.reject(this.#gate.refusal(now));
    return new Promise<T>((resolve, reject) => {
      const job: QueuedJob = {
        queuedAt: now,
        maxPause,
        signal,
        onAbort: undefined,
        start: (waitedMs) => {
          this.#run(task, performance.now(), waitedMs).then(resolve, reject);
        },
        refuse: reject,
      };
      if (signal) {
        job.onAbort = () => {
          this.#remove(job);
          reject(signal.reason);
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.#queue.push(job);
      this.#drain();
    });
  }

  #remove(job: QueuedJob): void {
    const index = this.#queue.indexOf(job);
    if (index >= 0) this.#queue.splice(index, 1);
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if (this.#queue.length === 0) {
      this.#idle();
      // The last job waiting left unsent (aborted, refused): the limiter was in use until now.
      if (this.#running === 0) this.#doneAt = performance.now();
    }
  }

  /** Sends now: takes a slot, counts the send, gives the slot back when the task settles. */
  #run<T>(task: (run: ScheduledRun) => Promise<T>, now: number, waitedMs: number): Promise<T> {
    this.#running += 1;
    const { answered, unsent } = this.#gate.send(now);
    let result: Promise<T>;
    try {
      result = task(answered === undefined ? { waitedMs, unsent } : { waitedMs, answered, unsent });
    } catch (error) {
      result = Promise.reject(error);
    }
    // Attached before the caller's handlers: the slot is free again when the caller resumes. A request
    // the task did not mark answered (nor give back) is counted in the window from here.
    const done =
      answered === undefined
        ? this.#release
        : () => {
            answered();
            this.#release();
          };
    result.then(done, done);
    return result;
  }

  /** Starts queued jobs, oldest first, while a slot is free and the gate is open; else waits for either. */
  #drain(): void {
    while (this.#queue.length > 0 && this.#running < this.#maxConcurrent) {
      const now = performance.now();
      const at = this.#gate.readyAt(now);
      if (at > now) {
        // `Infinity`: the oldest request of a full window is in flight; its answer calls #drain.
        if (at !== Infinity) this.#sleepUntil(at, now);
        return;
      }
      const job = this.#queue.shift() as QueuedJob;
      if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
      job.start(now - job.queuedAt);
    }
    if (this.#queue.length === 0) this.#idle();
  }

  #sleepUntil(at: number, now: number): void {
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(this.#wake, at - now);
  }

  #idle(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
