/**
 * What still keeps a child process alive once it has closed its rate limiters, for the tests that
 * check it then exits by itself at once (redis-processes.property.test.ts, redis-rate-limit.test.ts).
 * They judge each thing by what it waits for, not by how long the process took to exit: a loaded
 * machine's stall of a second or two stretches that whatever the code does, and the hold once found
 * (ioredis's 2 s wait for a socket that had closed already) lasted no longer than such a stall.
 *
 * Node tells which sockets are open, not which timers: the child calls `followTimers()` before it
 * makes any, and the global timer functions, which the limiter, bottleneck and ioredis call, note
 * each one's delay until it fires or is cleared. What the close has left must end by itself without
 * setting anything more: a client that goes on reconnecting shows by the timers it sets afterwards,
 * however short each one is.
 */
import { Socket } from 'node:net';

/** A ref'd timer, or a socket (its peer's port, null while it connects) or another handle still open. */
export type Hold = { kind: 'timer'; ms: number; repeats: boolean; from?: string } | { kind: 'socket'; port: number | null; ending: boolean } | { kind: 'handle'; name: string };

/**
 * The longest a timer left by the close may be set for. bottleneck's waits for another process's
 * capacity message (1 s, lib/RedisDatastore.js), which the close can leave pending, and the limiter's
 * wait for a closing socket (200 ms, rate-limit/redis.ts) are within it; ioredis's own wait (2 s) was not.
 */
const MOMENT_MS = 1_000;

type Timers = Map<NodeJS.Timeout, { ms: number; repeats: boolean; from: string }>;
/** The timers set and not yet fired (an interval: not cleared) nor cleared. */
const pending: Timers = new Map();
/** Every timer set since `timersSetFromNow()`, fired or not. */
let later: Timers | undefined;

/** Has the global timer functions note the timers set from now on; call it before any is set. */
export function followTimers(): void {
  const { setTimeout: once, setInterval: every, clearTimeout: clearOnce, clearInterval: clearEvery } = globalThis;
  const follow =
    (schedule: typeof once | typeof every, repeats: boolean) =>
    (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): NodeJS.Timeout => {
      const timer: NodeJS.Timeout = schedule(function (this: unknown, ...given: unknown[]) {
        if (!repeats) pending.delete(timer);
        callback.apply(this, given);
      }, ms, ...args);
      const noted = { ms: ms ?? 0, repeats, from: setBy() };
      pending.set(timer, noted);
      later?.set(timer, noted);
      return timer;
    };
  const forget =
    (clear: typeof clearOnce) =>
    (timer: NodeJS.Timeout | string | number | undefined): void => {
      if (typeof timer === 'object') pending.delete(timer);
      clear(timer);
    };
  globalThis.setTimeout = Object.assign(follow(once, false), { __promisify__: once.__promisify__ }) as typeof once;
  globalThis.setInterval = follow(every, true) as typeof every;
  globalThis.clearTimeout = forget(clearOnce);
  globalThis.clearInterval = forget(clearEvery);
}

/** What keeps the process alive now, but for its own standard streams, which the parent reads to the end. */
export function holds(): Hold[] {
  const own = new Set<unknown>([process.stdin, process.stdout, process.stderr]);
  // Only the handles that are ref'd, as Node counts them for exiting; undocumented, but in every Node.
  const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles().filter((handle) => !own.has(handle));
  return [
    ...refd(pending),
    ...handles.map((handle): Hold =>
      handle instanceof Socket
        ? { kind: 'socket', port: handle.remotePort ?? null, ending: handle.writableEnded || handle.destroyed }
        : { kind: 'handle', name: handle.constructor.name },
    ),
  ];
}

/**
 * Those of `holds` that would keep the process alive for longer than a moment: an interval, a timer
 * longer than `MOMENT_MS`, a socket not ended (a socket ended waits only for its peer's FIN, or for the
 * disconnect timer that destroys it), any other handle. A socket to one of `othersPorts` is the
 * child's own business, not the limiter's (its calls to the vendor): only the bound on the child's
 * exit judges it.
 */
export function lasting(found: Hold[], othersPorts: number[] = []): Hold[] {
  return found.filter((hold) => {
    if (hold.kind === 'timer') return hold.repeats || hold.ms > MOMENT_MS;
    if (hold.kind === 'socket') return !hold.ending && (hold.port === null || !othersPorts.includes(hold.port));
    return true;
  });
}

/**
 * From now on, the timers set: the returned function gives those of them not unref'd, whether they
 * have fired since or not.
 */
export function timersSetFromNow(): () => Hold[] {
  const set: Timers = (later = new Map());
  return () => refd(set);
}

function refd(timers: Timers): Hold[] {
  return [...timers].flatMap(([timer, { ms, repeats, from }]) => (timer.hasRef() ? [{ kind: 'timer' as const, ms, repeats, from }] : []));
}

/** Where a timer was set, for a failure to name: the frames that called the timer function. */
function setBy(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(3, 9);
  return frames.map((frame) => frame.trim().replace(/^at /, '')).join(' < ');
}

/** The holds a child wrote as a line `<name> <JSON>`, or undefined if it wrote none. */
export function reported(output: string, name: 'holds' | 'later'): Hold[] | undefined {
  const line = new RegExp(`^${name} (.*)$`, 'm').exec(output)?.[1];
  return line === undefined ? undefined : (JSON.parse(line) as Hold[]);
}
