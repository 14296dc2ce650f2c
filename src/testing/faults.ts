/**
 * Fault injection. A fault is a kind (what goes wrong) plus a schedule (when) plus an optional match
 * (which requests). Faults are evaluated before the emulator's own handler, in the order they were
 * added: every matching fault advances its schedule on every request, latency faults add up, and the
 * first other fault that fires answers the request.
 *
 * The faults are the failures collectors meet in production: rate limits with `Retry-After` in seconds
 * or as an HTTP date (RFC 9110 §10.2.3), gateway errors with an HTML page instead of JSON, connections
 * reset before the answer, bodies cut short, and JSON that does not parse.
 */
import { isPlainObject, isRecord, unknownKey } from '../core/config.js';
import { ConfigurationError } from '../core/errors.js';
import { createRng, type Rng } from './rng.js';

/** `429 Too Many Requests` with a `Retry-After` header. */
export interface RateLimitFault {
  /**
   * What goes wrong.
   * @example { kind: 'rate-limit', retryAfter: 30 }
   */
  kind: 'rate-limit';
  /**
   * Seconds the client is asked to wait (in vendor time: a scaled clock shortens the real wait).
   * @default 1
   * @example { kind: 'rate-limit', retryAfter: 30 }
   */
  retryAfter?: number | undefined;
  /**
   * How `Retry-After` is written: delta seconds, or an HTTP date `retryAfter` seconds from the
   * emulator clock's `now()`.
   * @default 'seconds'
   * @example { kind: 'rate-limit', retryAfterFormat: 'http-date' }
   */
  retryAfterFormat?: 'seconds' | 'http-date' | undefined;
}

/** An error status (5xx by default) with the emulator's vendor-shaped error body. */
export interface StatusFault {
  /**
   * What goes wrong.
   * @example { kind: 'status', status: 502 }
   */
  kind: 'status';
  /**
   * The status answered.
   * @default 503
   * @example { kind: 'status', status: 502 }
   */
  status?: number | undefined;
  /**
   * Extra response headers, such as `Retry-After` on a 503.
   * @default no extra headers
   * @example { kind: 'status', status: 503, headers: { 'Retry-After': '5' } }
   */
  headers?: Record<string, string> | undefined;
}

/** Delays the answer; the delay goes through the emulator's clock, so it scales in tests. */
export interface LatencyFault {
  /**
   * What goes wrong.
   * @example { kind: 'latency', ms: 5_000 }
   */
  kind: 'latency';
  /**
   * Milliseconds (vendor time) before the request is handled.
   * @example 5_000
   */
  ms: number;
}

/** The connection is reset before any response: `fetch` rejects with `TypeError('fetch failed')`, `cause.code` `ECONNRESET`. */
export interface ResetFault {
  /**
   * What goes wrong.
   * @example { kind: 'reset', schedule: { once: true } }
   */
  kind: 'reset';
}

/** The real answer's headers arrive, then the connection drops part-way through the body. */
export interface TruncateFault {
  /**
   * What goes wrong.
   * @example { kind: 'truncate', fraction: 0.1 }
   */
  kind: 'truncate';
  /**
   * Fraction of the body delivered before the connection drops, in `[0, 1)`.
   * @default 0.5
   * @example { kind: 'truncate', fraction: 0.1 }
   */
  fraction?: number | undefined;
}

/** `200` with a JSON content type and a body that is not JSON (cut inside an array), its length declared. */
export interface MalformedJsonFault {
  /**
   * What goes wrong.
   * @example { kind: 'malformed-json' }
   */
  kind: 'malformed-json';
  /**
   * The status answered with the broken body.
   * @default 200
   * @example { kind: 'malformed-json', status: 500 }
   */
  status?: number | undefined;
}

/** An HTML error page from a proxy in front of the API, as nginx writes it. */
export interface HtmlFault {
  /**
   * What goes wrong.
   * @example { kind: 'html', status: 504 }
   */
  kind: 'html';
  /**
   * The status answered with the page.
   * @default 502
   * @example { kind: 'html', status: 504 }
   */
  status?: number | undefined;
}

export type FaultKind = RateLimitFault | StatusFault | LatencyFault | ResetFault | TruncateFault | MalformedJsonFault | HtmlFault;

/** Fires on every n-th matching request. */
interface EverySchedule {
  /**
   * The n-th, 2n-th, ... matching request; `1` is every request. An integer from 1 to
   * `Number.MAX_SAFE_INTEGER`.
   * @example { every: 3 }
   */
  every: number;
}

/** Fires at random, reproducibly. */
interface ProbabilitySchedule {
  /**
   * The chance that a matching request meets the fault, in `[0, 1]`.
   * @example { probability: 0.1 }
   */
  probability: number;
  /**
   * Seeds the draws, so a run is reproducible.
   * @default derived from the emulator's seed and how many faults were added before, so that two such
   * faults fire independently
   * @example { probability: 0.1, seed: 42 }
   */
  seed?: number | undefined;
}

/** Fires on one matching request. */
interface OnceSchedule {
  /**
   * Only once.
   * @example { once: true }
   */
  once: true;
  /**
   * Matching requests let through before the one that meets the fault, from 0 to `Number.MAX_SAFE_INTEGER`.
   * @default 0 (the first matching request)
   * @example { once: true, after: 2 }
   */
  after?: number | undefined;
}

/** The members of the other schedules, refused in this one. */
type Only<T, Others> = T & { [K in Exclude<keyof Others, keyof T>]?: never };

/**
 * When a fault fires, counted over the requests that match it: `{ every: n }`,
 * `{ probability: p, seed? }` or `{ once: true, after? }`. One of them: the emulator would read only the
 * first of two it was given.
 * @default { every: 1 }
 */
export type FaultSchedule =
  | Only<EverySchedule, ProbabilitySchedule & OnceSchedule>
  | Only<ProbabilitySchedule, EverySchedule & OnceSchedule>
  | Only<OnceSchedule, EverySchedule & ProbabilitySchedule>;

/** A schedule as the checks read it, each alternative narrowed by its own member. */
type CheckedSchedule = EverySchedule | ProbabilitySchedule | OnceSchedule;

/** Which requests a fault applies to; all given conditions must hold. */
export interface FaultMatch {
  /**
   * HTTP method, case-insensitive.
   * @default every method
   * @example { method: 'POST' }
   */
  method?: string | undefined;
  /**
   * The URL path: an exact string, a prefix when it ends with `*`, or a regular expression.
   * @example '/api/v2/orgs/*'
   * @default every path
   */
  path?: string | RegExp | undefined;
  /**
   * Any other condition on the request (its body has not been read).
   * @default every request
   * @example { test: (request) => request.headers.has('x-user-email') }
   */
  test?: ((request: Request) => boolean) | undefined;
}

export type FaultSpec = FaultKind & {
  /**
   * When the fault fires among the matching requests.
   * @default { every: 1 }
   * @example { kind: 'status', schedule: { once: true, after: 2 } }
   */
  schedule?: FaultSchedule | undefined;
  /**
   * Which requests the fault applies to.
   * @default every request
   * @example { kind: 'reset', match: { method: 'GET', path: '/api/v1/events' } }
   */
  match?: FaultMatch | undefined;
};

/** A fault added to an emulator. */
export interface ActiveFault {
  readonly spec: FaultSpec;
  /** Matching requests seen so far. */
  readonly seen: number;
  /** How many times the fault fired. */
  readonly fired: number;
  /** Stops the fault. */
  remove(): void;
}

export interface FaultController {
  /**
   * Adds a fault; returns a handle that counts how often it fired.
   * @example emulator.faults.add({ kind: 'status', status: 503, schedule: { every: 3 } })
   */
  add(spec: FaultSpec): ActiveFault;
  /** Removes every fault. */
  clear(): void;
  /** The faults in evaluation order. */
  list(): readonly ActiveFault[];
}

/** What the faults decided for one request. */
export interface FaultDecision {
  /** Total latency to wait before answering, in vendor milliseconds. */
  latencyMs: number;
  /** The fault that answers the request, if one fired. */
  fault: Exclude<FaultKind, LatencyFault> | undefined;
}

interface Entry extends ActiveFault {
  seen: number;
  fired: number;
  rng: Rng | undefined;
}

function validate(spec: FaultSpec): void {
  const fail = (option: string, expected: string) => {
    throw new ConfigurationError(`fault ${option} must be ${expected}`, { option });
  };
  // What is checked here is read on every request: a value of the wrong type would fail them all.
  if (!isRecord(spec)) fail('spec', 'an object with a kind');
  if (!FAULT_KINDS.includes(spec.kind)) fail('kind', `one of ${FAULT_KINDS.join(', ')}`);
  // A misspelt member (`staus`, `retryAfter` of a status fault, `match.paht`) would leave its default
  // in place: a fault on every request, or of another status, and the test passing for the wrong reason.
  closedMembers(spec as unknown as Record<string, unknown>, '', [...FAULT_MEMBERS, ...KIND_MEMBERS[spec.kind]]);
  const schedule: CheckedSchedule | undefined = spec.schedule;
  // `{}` or `{ once: false }` would silently act as `{ once: true }`.
  if (
    schedule !== undefined &&
    !(isPlainObject(schedule) && ('every' in schedule || 'probability' in schedule || (schedule as { once?: unknown }).once === true))
  ) {
    fail('schedule', '{ every }, { probability } or { once: true }');
  }
  // Two kinds in one schedule would fire by the first the emulator reads, the other silently unused.
  if (schedule !== undefined && ['every', 'probability', 'once'].filter((member) => member in schedule).length > 1) {
    fail('schedule', 'one of { every }, { probability } or { once: true }, not two of them');
  }
  // Safe integers: beyond 2^53 the count of matching requests cannot reach the value, one by one.
  if (schedule && 'every' in schedule && !(Number.isSafeInteger(schedule.every) && schedule.every >= 1)) {
    fail('schedule.every', `an integer from 1 to ${Number.MAX_SAFE_INTEGER}`);
  }
  if (schedule && 'probability' in schedule && !(schedule.probability >= 0 && schedule.probability <= 1)) {
    fail('schedule.probability', 'within [0, 1]');
  }
  if (schedule && 'probability' in schedule && schedule.seed !== undefined && !Number.isFinite(schedule.seed)) {
    fail('schedule.seed', 'a finite number');
  }
  if (schedule && 'once' in schedule && schedule.after !== undefined && !(Number.isSafeInteger(schedule.after) && schedule.after >= 0)) {
    fail('schedule.after', `an integer from 0 to ${Number.MAX_SAFE_INTEGER}`);
  }
  if (spec.kind === 'latency' && !(spec.ms >= 0 && Number.isFinite(spec.ms))) fail('ms', 'a finite number >= 0');
  if (spec.kind === 'truncate' && spec.fraction !== undefined && !(spec.fraction >= 0 && spec.fraction < 1)) {
    fail('fraction', 'within [0, 1)');
  }
  if (spec.kind === 'rate-limit' && spec.retryAfter !== undefined && !(spec.retryAfter >= 0 && Number.isFinite(spec.retryAfter))) {
    fail('retryAfter', 'a finite number of seconds >= 0');
  }
  if (spec.kind === 'rate-limit' && spec.retryAfterFormat !== undefined && !RETRY_AFTER_FORMATS.includes(spec.retryAfterFormat)) {
    fail('retryAfterFormat', `one of ${RETRY_AFTER_FORMATS.join(', ')}`);
  }
  if (spec.kind === 'status' && spec.headers !== undefined && !isHeaderRecord(spec.headers)) {
    fail('headers', 'a plain object of header names and values that fetch accepts');
  }
  if (isRecord(schedule)) {
    const kind = SCHEDULE_MEMBERS.find(([member]) => member !== undefined && member in schedule);
    if (kind !== undefined) closedMembers(schedule as unknown as Record<string, unknown>, 'schedule.', kind);
  }
  const { match } = spec;
  if (match !== undefined && !isPlainObject(match)) fail('match', 'a plain object');
  if (isRecord(match)) closedMembers(match, 'match.', ['method', 'path', 'test']);
  if (match?.method !== undefined && typeof match.method !== 'string') fail('match.method', 'a string');
  if (match?.path !== undefined && typeof match.path !== 'string' && !(match.path instanceof RegExp)) {
    fail('match.path', 'a string or a RegExp');
  }
  if (match?.test !== undefined && typeof match.test !== 'function') fail('match.test', 'a function');
  const status = 'status' in spec ? spec.status : undefined;
  // A fault answers with a body: 204, 205 and 304 cannot carry one (the Response would not be built).
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599 && !BODYLESS.has(status))) {
    fail('status', 'an integer HTTP status in [200, 599] that carries a body (not 204, 205 or 304)');
  }
}

/** The members every fault takes, and those of each kind. */
const FAULT_MEMBERS = ['kind', 'schedule', 'match'];
const KIND_MEMBERS: Readonly<Record<FaultKind['kind'], readonly string[]>> = {
  'rate-limit': ['retryAfter', 'retryAfterFormat'],
  status: ['status', 'headers'],
  latency: ['ms'],
  reset: [],
  truncate: ['fraction'],
  'malformed-json': ['status'],
  html: ['status'],
};
/** Each schedule's members, its own first. */
const SCHEDULE_MEMBERS: ReadonlyArray<readonly string[]> = [['every'], ['probability', 'seed'], ['once', 'after']];

/** Refuses a member of `value` not in `known`, but one given as `undefined` (as if left out). */
function closedMembers(value: Record<string, unknown>, prefix: string, known: readonly string[]): void {
  const unknown = unknownKey(value, known);
  if (unknown === undefined) return;
  throw new ConfigurationError(`fault ${prefix}${unknown} is not an option of this ${prefix === '' ? 'fault' : prefix.slice(0, -1)}; expected one of ${known.join(', ')}`, {
    option: `${prefix}${unknown}`,
    reason: 'unknown',
  });
}

const FAULT_KINDS: ReadonlyArray<FaultKind['kind']> = ['rate-limit', 'status', 'latency', 'reset', 'truncate', 'malformed-json', 'html'];
const RETRY_AFTER_FORMATS: ReadonlyArray<RateLimitFault['retryAfterFormat']> = ['seconds', 'http-date'];
const BODYLESS = new Set([204, 205, 304]);

/** A plain object `new Headers()` accepts: the error responders spread it, which a `Map` or `Headers` would not survive. */
function isHeaderRecord(headers: unknown): boolean {
  if (!isPlainObject(headers)) return false;
  try {
    new Headers(headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

function matches(match: FaultMatch | undefined, request: Request, path: string): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (match.path instanceof RegExp) {
    // A `g` or `y` pattern keeps its position between calls; every request is matched from the start.
    match.path.lastIndex = 0;
    if (!match.path.test(path)) return false;
  } else if (match.path !== undefined) {
    const ok = match.path.endsWith('*') ? path.startsWith(match.path.slice(0, -1)) : path === match.path;
    if (!ok) return false;
  }
  return match.test ? match.test(request) : true;
}

function fires(entry: Entry): boolean {
  const schedule: CheckedSchedule = entry.spec.schedule ?? { every: 1 };
  if ('every' in schedule) return entry.seen % schedule.every === 0;
  if ('probability' in schedule) return (entry.rng as Rng).next() < schedule.probability;
  return entry.seen === (schedule.after ?? 0) + 1;
}

/**
 * A fault list for one emulator. `defaultSeed`, mixed with each fault's place in the order of adding,
 * seeds probability schedules that give no seed of their own.
 */
export function createFaultController(defaultSeed: number): {
  controller: FaultController;
  /** Advances every matching fault's schedule for `request` and says what to do. */
  decide(request: Request): FaultDecision;
} {
  let entries: Entry[] = [];
  /**
   * Faults added since the controller was made or cleared: each unseeded one draws from its own stream.
   * Not spaced by splitmix32's own step (0x9e3779b9), which would give the streams overlapping states.
   */
  let added = 0;
  const controller: FaultController = {
    add(spec) {
      validate(spec);
      added += 1;
      const schedule = spec.schedule;
      const entry: Entry = {
        spec,
        seen: 0,
        fired: 0,
        rng: schedule && 'probability' in schedule ? createRng(schedule.seed ?? defaultSeed + Math.imul(added, 0x85ebca6b)) : undefined,
        remove: () => {
          entries = entries.filter((other) => other !== entry);
        },
      };
      entries.push(entry);
      return entry;
    },
    clear() {
      entries = [];
      added = 0;
    },
    list: () => [...entries],
  };
  return {
    controller,
    decide(request) {
      const path = new URL(request.url).pathname;
      let latencyMs = 0;
      let fault: FaultDecision['fault'];
      for (const entry of entries) {
        if (!matches(entry.spec.match, request, path)) continue;
        entry.seen += 1;
        if (!fires(entry)) continue;
        const spec = entry.spec;
        if (spec.kind === 'latency') {
          entry.fired += 1;
          latencyMs += spec.ms;
        } else if (fault === undefined) {
          // Only the fault that answers counts as fired; a later one would have been masked by it.
          entry.fired += 1;
          fault = spec;
        }
      }
      return { latencyMs, fault };
    },
  };
}
