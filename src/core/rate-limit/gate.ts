/**
 * When a request may be sent, judged from what this process knows: a server's `Retry-After` pause,
 * `minTime` between actual sends, and the reservoir as a sliding window. Both limiters (the in-process
 * one and the Redis-backed one) consult it just before a request goes out.
 *
 * Why a sliding window counted from answers: a vendor that counts a sliding window (Informatica's 5 a
 * minute, Illumio's 500 per API key, VENDORS.md) would see 2N requests within one interval from a
 * limiter that refills at fixed instants (N at the end of one window, N at the start of the next). And a
 * vendor counts a request when it *arrives*, after we send it and before its answer is back. So a
 * request is counted from when its answer came back (the latest instant the vendor can have counted
 * it: its status line, not the end of its body, which for a large page comes milliseconds later), and
 * the (N+1)-th send waits until the interval since the oldest of the last N has passed; while that one
 * is still in flight, it waits for it. No margin to tune, whatever the latency.
 */
import type { LimiterSettings } from '../rate-limit.js';

/**
 * A job refused without being sent: the limiter is paused by a server's `Retry-After` for longer than
 * the job may wait (`maxRetryAfter`), so it fails now rather than after the wait, or into the wall.
 */
export class PausedTooLong extends Error {
  /**
   * @param waitMs the real (scaled) milliseconds of the pause left.
   * @param status the status of the answer that paused the limiter, when this process received it.
   */
  constructor(
    readonly waitMs: number,
    readonly status: number | undefined,
  ) {
    super(`the limiter is paused for ${Math.ceil(waitMs)} ms`);
  }
}

/** One request counted by the sliding window. */
interface WindowEntry {
  /** When the request was sent, then, once it settled, when its answer came back. */
  at: number;
  inFlight: boolean;
}

export class SendGate {
  /** `performance.now()` before which no request may be sent (monotonic: wall-clock jumps do not matter). */
  #notBefore = 0;
  /** The status of the answer whose pause sets `#notBefore`, when this process received it. */
  #pausedBy: number | undefined;
  #lastSend = Number.NEGATIVE_INFINITY;
  /** Sends counted so far: which one `#lastSend` is. */
  #sends = 0;
  /** The last `reservoir.requests` requests, oldest first. */
  readonly #window: WindowEntry[] = [];
  readonly #limit: number;
  /** Scaled milliseconds. */
  readonly #interval: number;
  readonly #minTime: number;
  readonly #scale: number;

  /**
   * @param onSettle called when a request the window counts has its answer back, or a send is taken
   *   back (a full window, or `minTime`, may open sooner).
   */
  constructor(
    settings: LimiterSettings,
    scale: number,
    private readonly onSettle: () => void,
  ) {
    this.#scale = scale;
    this.#limit = settings.reservoir?.requests ?? Infinity;
    this.#interval = (settings.reservoir?.interval ?? 0) * scale;
    this.#minTime = settings.minTime * scale;
  }

  /**
   * Holds every send until `ms` (unscaled) from now; returns the real (scaled) wait. `status`: that of
   * the answer that asked for it, told to the jobs the pause refuses (a 503's `Retry-After` is not a 429).
   */
  pause(ms: number, status?: number): number {
    const wait = Math.max(0, ms) * this.#scale;
    const until = performance.now() + wait;
    if (until > this.#notBefore) {
      this.#notBefore = until;
      this.#pausedBy = status;
    }
    return wait;
  }

  /** A job the pause in force refuses, from `now`. */
  refusal(now: number): PausedTooLong {
    return new PausedTooLong(this.pausedFor(now), this.#pausedBy);
  }

  /** The real (scaled) milliseconds a `Retry-After` pause still holds every send from `now`; 0 if none. */
  pausedFor(now: number): number {
    return Math.max(0, this.#notBefore - now);
  }

  /**
   * The `performance.now()` instant from which a request may be sent (at most `now`: it may go now), or
   * `Infinity` while the oldest request of a full window is still in flight (`onSettle` says when it
   * is not any more).
   */
  readyAt(now: number): number {
    const oldest = this.#window.length >= this.#limit ? this.#window[0] : undefined;
    if (oldest?.inFlight) return Infinity;
    const windowOpensAt = oldest ? oldest.at + this.#interval : 0;
    return Math.max(this.#notBefore, windowOpensAt, this.#lastSend + this.#minTime);
  }

  /**
   * The `performance.now()` instant from which this gate holds nothing a new one would not know: no
   * `Retry-After` pause in force, `minTime` passed since the last send, and every request of the window
   * answered an interval ago (a new gate with an empty window could otherwise send more than the limit
   * within one window). Asked only when no job runs: a job marks its request answered, or takes it
   * back, before it stops running, so no request of the window is in flight then.
   */
  quietFrom(): number {
    let from = Math.max(this.#notBefore, this.#lastSend + this.#minTime);
    for (const entry of this.#window) from = Math.max(from, entry.at + this.#interval);
    return from;
  }

  /**
   * Records a send at `now`: the turn of one request, which the limiter lets go from here. Its
   * `answered` marks it answered (only its first call counts; absent when there is no window to count
   * it in), its `unsent` takes it back when the request never reached `fetch`.
   */
  send(now: number): GateTurn {
    const previous = this.#lastSend;
    this.#lastSend = now;
    const sequence = (this.#sends += 1);
    const entry: WindowEntry | undefined = this.#limit === Infinity ? undefined : { at: now, inFlight: true };
    if (entry) {
      this.#window.push(entry);
      // The one dropped is the oldest of a full window, which the send waited an interval past
      // (`readyAt`): it can hold nothing any more, even once a later send is taken back.
      if (this.#window.length > this.#limit) this.#window.shift();
    }
    let over = false;
    const answered =
      entry &&
      ((): void => {
        if (over) return;
        over = true;
        entry.at = performance.now();
        entry.inFlight = false;
        this.onSettle();
      });
    const unsent = (): void => {
      if (over) return;
      over = true;
      // `minTime` runs from the send before, unless a later one was made meanwhile. Given back out of
      // order, the earlier one's instant stays: later than needed, never sooner.
      if (this.#sends === sequence) this.#lastSend = previous;
      if (entry) {
        const index = this.#window.indexOf(entry);
        if (index >= 0) this.#window.splice(index, 1);
      }
      this.onSettle();
    };
    return { answered, unsent };
  }
}

/** One send the gate counts (`SendGate.send`). */
export interface GateTurn {
  /** Counts the request from now, its answer in; `undefined` without a window. */
  answered: (() => void) | undefined;
  /**
   * Takes the send back: the request never reached `fetch` (aborted between its turn and the send), so
   * the vendor did not count it. Nothing once it was marked answered, or on a second call.
   */
  unsent: () => void;
}
