/**
 * Linked abort signals with explicit clean-up. `AbortSignal.any` would do, but on Node 20 the signals it
 * creates stay referenced from a long-lived source (a client's `signal`) until that source is collected,
 * so a busy client would accumulate listeners; here each link removes its listeners when disposed.
 */
import { defaultMaxListeners, getMaxListeners, setMaxListeners } from 'node:events';

export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Aborts the linked signal itself, with `reason`. */
  abort(reason: unknown): void;
  /** Removes the listeners from the sources; call it when the operation settles. */
  dispose(): void;
}

/** What `RacingLink.settle` resolves with when the promise failed or the link aborted first. */
export class Failure {
  constructor(readonly error: unknown) {}
}

/** A link that can race one promise at a time against its own abort. */
export interface RacingLink extends LinkedSignal {
  /**
   * `promise`'s value, or a `Failure` with its error or, as soon as the link aborts (after the signal's
   * listeners ran), the link's reason; the link is disposed of when `promise` settles. It never
   * rejects, so a failure nobody has awaited yet is no unhandled rejection.
   */
  settle<T>(promise: Promise<T>): Promise<T | Failure>;
}

/** A signal that aborts, with the source's reason, as soon as any of `sources` aborts. */
export function linkSignals(sources: ReadonlyArray<AbortSignal | undefined>): RacingLink {
  return new Link(sources);
}

/**
 * A link is its own listener (`handleEvent`): two are made for every page (the listing's fetch and the
 * request's attempt), and a closure to listen and one to clean up per source, their array and a
 * listener options object were most of a link's cost beside its `AbortController`.
 */
class Link implements RacingLink {
  readonly #controller = new AbortController();
  /** The sources listened to, until disposed. */
  #sources: AbortSignal[] | undefined;
  /** Settles the pending race, until it is settled. */
  #settle: ((outcome: Failure) => void) | undefined;

  constructor(sources: ReadonlyArray<AbortSignal | undefined>) {
    for (const source of sources) {
      if (!source) continue;
      if (source.aborted) {
        this.abort(source.reason);
        return;
      }
      source.addEventListener('abort', this);
      (this.#sources ??= []).push(source);
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** One of the sources aborted. */
  handleEvent(event: Event): void {
    this.abort((event.target as AbortSignal).reason);
  }

  abort(reason: unknown): void {
    this.#controller.abort(reason);
    this.dispose();
    const settle = this.#settle;
    this.#settle = undefined;
    settle?.(new Failure(reason));
  }

  settle<T>(promise: Promise<T>): Promise<T | Failure> {
    const signal = this.#controller.signal;
    if (signal.aborted) {
      // Nobody else may wait on `promise`: its failure must not go unhandled (a crash by Node's default).
      promise.catch(noop);
      return Promise.resolve(new Failure(signal.reason));
    }
    // What `untilAborted` and a `then` to dispose on cost a page's fetch instead: a listener on this
    // link's own signal (a closure, an options object, the event target's add and remove) and two
    // more promises.
    return new Promise<T | Failure>((resolve) => {
      this.#settle = resolve;
      promise.then(
        (value) => {
          this.#settle = undefined;
          this.dispose();
          resolve(value);
        },
        (error: unknown) => {
          this.#settle = undefined;
          this.dispose();
          resolve(new Failure(error));
        },
      );
    });
  }

  dispose(): void {
    const sources = this.#sources;
    this.#sources = undefined;
    if (sources !== undefined) for (const source of sources) source.removeEventListener('abort', this);
  }
}

let neverAborted: AbortSignal | undefined;

/**
 * The signal of one request, from the client's and the call's own. Creating an `AbortSignal` costs
 * several microseconds on Node 20 (it is made transferable), so with one source or none no new signal
 * is made: the source itself, or a signal that never aborts, shared by every such request. That one
 * has no listener limit: each request holds a listener on it only until it settles, and thousands may
 * wait in a limiter at once.
 */
export function requestSignal(client: AbortSignal | undefined, call: AbortSignal | undefined): Pick<LinkedSignal, 'signal' | 'dispose'> {
  if (client !== undefined && call !== undefined) return linkSignals([client, call]);
  if (client === undefined && call === undefined && neverAborted === undefined) {
    neverAborted = new AbortController().signal;
    try {
      // Not 0, which also means none: Node 20's getMaxListeners cannot read a limit of 0 back.
      setMaxListeners(Infinity, neverAborted);
    } catch {
      // An AbortController that is not Node's own (a polyfill) has no such limit to lift.
    }
  }
  return { signal: client ?? call ?? (neverAborted as AbortSignal), dispose: noop };
}

/**
 * No limit: every listener is removed when its request settles (tests count them), and a limit of any
 * size is met by a client whose limiter queues that many requests (Informatica's 5 a minute queues
 * thousands), whose warning would then be a false alarm in the application's output. (undici's 1500,
 * which it sets on a signal it is given, was met by 750 concurrent listings.)
 */
const MANY_LISTENERS = Infinity;
const allowed = new WeakSet<AbortSignal>();

/**
 * For a signal that many requests share (a client's `signal`, raised when the client is made; the
 * signal of requests without one): each request waiting in the limiter, in flight or backing off holds
 * a listener on it until it settles, and past 10 Node 20 prints "Possible EventTarget memory leak
 * detected" in the application's output (Node 24 sets no limit on an AbortSignal); an application's
 * signal given to single calls, which it may share between many at once. Not for the signal of a
 * page's fetch, which one request uses: reading a limit costs several microseconds. The limit
 * is raised only while it is Node's default, so one the application set is left alone.
 */
export function allowManyListeners(signal: AbortSignal): AbortSignal {
  if (!allowed.has(signal)) {
    allowed.add(signal);
    try {
      if (getMaxListeners(signal) === defaultMaxListeners) setMaxListeners(MANY_LISTENERS, signal);
    } catch {
      // A signal that is not Node's own (a polyfill) has no such limit to raise.
    }
  }
  return signal;
}

const noop = (): void => {};

/**
 * `promise`, or a rejection with the signal's reason as soon as it aborts, even if `promise` ignores the
 * signal (it goes on for whoever else waits on it). `onAbort` runs too when the abort wins the race.
 * With `graceMs`, `promise` is given that long after the abort to settle on its own first (a fetch that
 * heeds the abort a moment later). The listener and the timer go when `promise` settles, so a
 * long-lived signal does not collect them.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort?: () => void, graceMs = 0): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted && graceMs === 0) {
    // Nobody else may wait on `promise`: its failure must not go unhandled (a crash by Node's default).
    promise.catch(noop);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abort = (): void => {
      reject(signal.reason as Error);
      onAbort?.();
    };
    const heard = graceMs === 0 ? abort : (): void => void (timer = setTimeout(abort, graceMs));
    const settled = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', heard);
    };
    if (signal.aborted) heard();
    else signal.addEventListener('abort', heard, { once: true });
    promise.then(
      (value) => {
        settled();
        resolve(value);
      },
      (error: unknown) => {
        settled();
        reject(error as Error);
      },
    );
  });
}
