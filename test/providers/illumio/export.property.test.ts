/**
 * The asynchronous collection export (`export.ts`), driven at random against the emulated PCE by a
 * seeded plan, which its `async.outcome` follows and a front in front of it adds to:
 * - event sets below, at and above `asyncThreshold` (`'auto'`) and of any size (`'async'`);
 * - jobs pending or running for a random number of polls, then done (or `completed`), failed, ended
 *   with a status word the SDK does not know (`cancelled`, `expired`), or gone (`404`), as the
 *   emulator ends them; polls answered at once or after seconds of a loaded PCE, under a `jobTimeout`
 *   they may outlast;
 * - each `Retry-After` of the `202` and of the polls absent, in seconds, `0`, or an HTTP-date (with and
 *   without the answer's `Date`);
 * - at each step (the export request, a poll, the datafile) a 429, a 503 or a reset connection, once or
 *   past the retries, an answer of the wrong shape, a `Location` or `result.href` on another origin,
 *   a PCE that ignores `Prefer`, or the caller's signal aborted (also during the wait between polls);
 * - events recorded while the datafile is fetched (some at the newest instant listed);
 * - after each failure the listing resumed from the last page's cursor, as a new process would.
 *
 * Promised (README "The asynchronous export", "Errors"; `export.ts`): every event once and newest first
 * within a listing, by the listing or its tail cursor; a failure is the typed error of what happened
 * (an `IllumioJobError` naming the job and its status, a `ResponseValidationError` naming what did not
 * match); nothing is sent after an abort and no wait is left pending; no request leaves the PCE's origin;
 * no timer outlives a listing; each poll comes exactly as long after the answer before it as that
 * answer's `Retry-After` asked (or `jobPollInterval` without one); no poll starts past `jobTimeout`
 * after the `202`, and the listing gives up with a `TimeoutError` exactly when the next wait would end
 * past it; `'auto'` exports the first window exactly when its count is above `asyncThreshold` and the
 * page was cut. Time is a virtual clock: waits and slow answers advance it and take no real time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaledClock, systemClock, type Clock } from '../../../src/core/clock.js';
import {
  isHttpError,
  isNetworkError,
  isNotFoundError,
  isRateLimitError,
  isResponseValidationError,
  isTimeoutError,
  isTributaryError,
} from '../../../src/core/errors.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import { illumio, isIllumioJobError, type IllumioListQuery } from '../../../src/providers/illumio/index.js';
import { connectionResetError } from '../../../src/testing/network-error.js';
import { PCE } from './connect.js';

const ELSEWHERE = 'https://elsewhere.example.net';
const JOB_POLL_INTERVAL = 700;
/** The retries each request gets: a fault injected this many times is recovered, once more is not. */
const RETRIES = 2;

type Step = 'create' | 'poll' | 'datafile';
type Wait = { kind: 'none' } | { kind: 'seconds'; value: number } | { kind: 'date'; ahead: number; withDate: boolean };
type Fault =
  | { kind: 'none' }
  | { kind: '429' | '503' | 'reset'; times: number }
  | { kind: 'malformed' }
  | { kind: 'foreign' }
  | { kind: 'abort' };
type Fate = 'done' | 'completed' | 'failed' | 'cancelled' | 'expired' | 'vanished' | 'ignored';

interface Attempt {
  fate: Fate;
  /** Polls answered `pending`/`running` before the job's fate. */
  polls: number;
  waits: Wait[];
  /** Where the fault strikes: a step, and for polls which one. */
  faultAt: Step | 'wait';
  faultPoll: number;
  fault: Fault;
  /** How long each poll takes to be answered, on the clock (a loaded PCE). */
  latency: number;
  /** Events recorded while the datafile is fetched, and whether some share the newest instant. */
  arrivals: number;
  tied: boolean;
}

const wait: fc.Arbitrary<Wait> = fc.oneof(
  fc.constant<Wait>({ kind: 'none' }),
  fc.integer({ min: 0, max: 6 }).map((value): Wait => ({ kind: 'seconds', value })),
  fc.record({ ahead: fc.integer({ min: -3, max: 6 }), withDate: fc.boolean() }).map((d): Wait => ({ kind: 'date', ...d })),
);

const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Fault>({ kind: 'none' }) },
  {
    weight: 4,
    arbitrary: fc
      .record({ kind: fc.constantFrom('429' as const, '503' as const, 'reset' as const), times: fc.integer({ min: 1, max: RETRIES + 1 }) })
      .map((f): Fault => f),
  },
  { weight: 2, arbitrary: fc.constant<Fault>({ kind: 'malformed' }) },
  { weight: 1, arbitrary: fc.constant<Fault>({ kind: 'foreign' }) },
  { weight: 2, arbitrary: fc.constant<Fault>({ kind: 'abort' }) },
);

const attempt: fc.Arbitrary<Attempt> = fc.record({
  fate: fc.constantFrom<Fate>('done', 'done', 'done', 'completed', 'failed', 'cancelled', 'expired', 'vanished', 'ignored'),
  polls: fc.integer({ min: 0, max: 4 }),
  waits: fc.array(wait, { minLength: 6, maxLength: 6 }),
  faultAt: fc.constantFrom<Step | 'wait'>('create', 'poll', 'datafile', 'wait'),
  faultPoll: fc.integer({ min: 0, max: 4 }),
  fault,
  latency: fc.constantFrom(0, 0, 0, 4_000, 20_000),
  arrivals: fc.integer({ min: 0, max: 4 }),
  tied: fc.boolean(),
});

const scenario = fc.record({
  mode: fc.constantFrom('async' as const, 'auto' as const),
  threshold: fc.integer({ min: 2, max: 20 }),
  /** The event set against the threshold: just below, at, just above, or anywhere. */
  size: fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -20, max: 30 })),
  pageSize: fc.integer({ min: 1, max: 12 }),
  maxGapMs: fc.constantFrom(1, 5, 1_000, 60_000),
  jobTimeout: fc.constantFrom(60_000, 60_000, 45_000, 20_000),
  seed: fc.integer({ min: 1, max: 100_000 }),
  attempts: fc.array(attempt, { minLength: 1, maxLength: 4 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/**
 * A clock whose waits advance its time at once, as `advance` does (the time an answer takes); each
 * pending wait is listed until it settles.
 */
function virtualClock(start: number) {
  let offset = 0;
  const pending = new Set<object>();
  let onSleep: () => void = () => undefined;
  const clock: Clock = {
    now: () => start + offset,
    scale: 1,
    sleep(ms, signal) {
      onSleep();
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      const token = {};
      pending.add(token);
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          pending.delete(token);
          reject(signal?.reason as Error);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        setImmediate(() => {
          if (!pending.delete(token)) return;
          signal?.removeEventListener('abort', onAbort);
          offset += Math.max(0, ms);
          resolve();
        });
      });
    },
  };
  return {
    clock,
    pending,
    advance: (ms: number) => {
      offset += ms;
    },
    set onSleep(hook: () => void) {
      onSleep = hook;
    },
  };
}

/** The wait a `Retry-After` asks the SDK for (`export.ts`: none, 0 or a past date means the interval). */
function expectedWait(w: Wait, now: number): { headers: Record<string, string>; ms: number } {
  if (w.kind === 'none') return { headers: {}, ms: JOB_POLL_INTERVAL };
  if (w.kind === 'seconds') return { headers: { 'Retry-After': String(w.value) }, ms: w.value === 0 ? JOB_POLL_INTERVAL : w.value * 1_000 };
  // HTTP-dates have whole seconds: with the answer's `Date`, the wait is their difference; without
  // it, the difference to the client's clock.
  const serverNow = Math.floor(now / 1_000) * 1_000;
  const at = serverNow + w.ahead * 1_000;
  const headers: Record<string, string> = { 'Retry-After': new Date(at).toUTCString() };
  if (w.withDate) headers['Date'] = new Date(serverNow).toUTCString();
  const asked = at - (w.withDate ? serverNow : now);
  return { headers, ms: asked > 0 ? asked : JOB_POLL_INTERVAL };
}

const jsonAnswer = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

async function run(s: Scenario): Promise<void> {
  const start = Date.parse('2026-11-23T12:00:00Z');
  const time = virtualClock(start);
  const { clock } = time;
  const events = s.mode === 'auto' ? Math.max(0, s.threshold + s.size) : Math.max(0, s.size + 10);
  const emulator = illumioEmulator.create({
    seed: s.seed,
    events,
    maxGapMs: s.maxGapMs,
    clock,
    rateLimit: false,
    async: {
      location: (['href', 'path', 'absolute'] as const)[s.seed % 3],
      retryAfter: null,
      // Read as each job starts: the attempt under way decides it (an ignored export starts none).
      outcome: () => ({ polls: plan.polls, ...(plan.fate === 'vanished' ? { gone: 'job' as const } : { status: plan.fate }) }),
    },
  });
  const secret = DEFAULT_ILLUMIO_CREDENTIAL.apiSecret;

  let plan: Attempt = s.attempts[0] as Attempt;
  let controller = new AbortController();
  /** The answer that fixed the next poll's time: its virtual time and the wait it asked. */
  let lastAsk: { at: number; ms: number } | undefined;
  /** When the current job was accepted (its `202`): `jobTimeout` counts from there. */
  let jobStart = 0;
  /** Polls of the current job answered so far, and faults injected at the current step so far. */
  let polled = 0;
  const injected = new Map<string, number>();
  let aborted = false;
  /** Whether a pass is under way: once it has settled, nothing more may be sent for it. */
  let open = false;
  /** What the current attempt injected that no retry recovers from, if anything. */
  let fatal: Fault['kind'] | Fate | 'timeout' | undefined;
  /** What the issues of a `ResponseValidationError` must name: the field or body that did not match. */
  let named = '';
  /** What the network saw that it must not have: checked after each pass, as a throw here would be a failed fetch. */
  const violations: string[] = [];
  const pacing: Array<{ asked: number; waited: number }> = [];
  /** Export requests (`Prefer: respond-async`) sent so far. */
  let exports = 0;

  // The abort of a wait: the sleep the client starts between an answer and the poll it fixed.
  time.onSleep = () => {
    const atWait = plan.faultAt === 'wait' && plan.fault.kind === 'abort';
    if (atWait && lastAsk !== undefined && !aborted && polled >= Math.min(plan.faultPoll, plan.polls)) {
      aborted = true;
      fatal = 'abort';
      controller.abort();
    }
  };

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const step: Step = url.pathname.includes('/jobs/') ? 'poll' : url.pathname.includes('/datafiles/') ? 'datafile' : 'create';
    if (url.origin !== PCE) violations.push(`a request left the PCE: ${request.url}`);
    if (aborted) violations.push(`sent after the abort: ${request.url}`);
    if (!open) violations.push(`sent after its listing settled: ${request.url}`);
    if (step === 'poll' && lastAsk !== undefined) {
      pacing.push({ asked: lastAsk.ms, waited: clock.now() - lastAsk.at });
      if (clock.now() > jobStart + s.jobTimeout) violations.push(`a poll started ${clock.now() - jobStart} ms after the 202, past jobTimeout`);
      lastAsk = undefined;
    }
    if (step === 'poll') time.advance(plan.latency);
    if (step === 'create' && request.headers.get('prefer') === null) return emulator.fetch(request);
    if (step === 'create') exports += 1;

    const here = plan.faultAt === step && (step !== 'poll' || polled === Math.min(plan.faultPoll, plan.polls));
    const f = plan.fault;
    if (here && (f.kind === '429' || f.kind === '503' || f.kind === 'reset')) {
      const key = `${step} ${polled}`;
      const count = injected.get(key) ?? 0;
      if (count < f.times) {
        injected.set(key, count + 1);
        if (count + 1 > RETRIES) fatal = f.kind;
        if (f.kind === 'reset') throw connectionResetError();
        const message = f.kind === '429' ? 'API rate limit exceeded' : 'Service Unavailable';
        return jsonAnswer([{ token: 'x', message }], Number(f.kind), f.kind === '429' ? { 'Retry-After': '1' } : {});
      }
    }
    if (here && f.kind === 'abort') {
      aborted = true;
      fatal = 'abort';
      controller.abort();
      throw request.signal.reason ?? new DOMException('aborted', 'AbortError');
    }

    if (step === 'create') {
      if (plan.fate === 'ignored') {
        const headers = new Headers(request.headers);
        headers.delete('prefer');
        return emulator.fetch(request.url, { headers });
      }
      if (here && f.kind === 'malformed') [fatal, named] = ['malformed', 'empty body'];
      if (here && f.kind === 'malformed') return new Response(null, { status: s.seed % 2 === 0 ? 204 : 200 });
      const answer = await emulator.fetch(request);
      if (answer.status !== 202) return answer;
      polled = 0;
      jobStart = clock.now();
      const ask = expectedWait(plan.waits[0] as Wait, clock.now());
      lastAsk = { at: clock.now(), ms: ask.ms };
      const headers = new Headers(answer.headers);
      // The emulator dates its answers: a date measured against the client's clock comes without one.
      headers.delete('date');
      for (const [name, value] of Object.entries(ask.headers)) headers.set(name, value);
      if (here && f.kind === 'foreign') [fatal, named] = ['foreign', `origin ${ELSEWHERE}`];
      if (here && f.kind === 'foreign') headers.set('location', `${ELSEWHERE}/api/v2/orgs/1/jobs/job-1`);
      return new Response(null, { status: 202, headers });
    }

    if (step === 'poll') {
      // The emulator answers the job as the plan says (`outcome` above); the waits and faults are the front's.
      const answer = await emulator.fetch(request);
      const index = polled;
      polled += 1;
      if (here && f.kind === 'malformed') {
        [fatal, named] = ['malformed', 'status'];
        return jsonAnswer({ ...(answer.ok ? ((await answer.json()) as object) : {}), status: 7 });
      }
      if (index < plan.polls) {
        const ask = expectedWait(plan.waits[(index + 1) % plan.waits.length] as Wait, clock.now());
        lastAsk = { at: clock.now(), ms: ask.ms };
        // Without the emulator's `Date`: a date measured against the client's clock comes without one.
        return jsonAnswer(await answer.json(), 200, ask.headers);
      }
      if (plan.fate === 'vanished' || plan.fate === 'failed' || plan.fate === 'cancelled' || plan.fate === 'expired') {
        fatal = plan.fate;
        return answer;
      }
      if (!(here && f.kind === 'foreign')) return answer;
      const job = (await answer.json()) as { result: { href: string } };
      [fatal, named] = ['foreign', `origin ${ELSEWHERE}`];
      return jsonAnswer({ ...job, result: { href: `${ELSEWHERE}${job.result.href}` } });
    }

    // The datafile: events recorded as it is fetched are not in it; the tail brings them.
    const newest = emulator.store.events[0];
    if (plan.arrivals > 0) {
      if (plan.tied && newest !== undefined) emulator.store.record(1, Date.parse(newest.timestamp));
      emulator.store.record(plan.arrivals);
    }
    if (here && f.kind === 'malformed') [fatal, named] = ['malformed', '[0].href'];
    if (here && f.kind === 'malformed') return jsonAnswer([{ timestamp: '2026-11-23T10:00:00Z' }]);
    return emulator.fetch(request);
  };

  const client = () => illumio({
    baseUrl: PCE,
    orgId: 1,
    ...DEFAULT_ILLUMIO_CREDENTIAL,
    fetch,
    clock,
    rateLimit: false,
    retry: { retries: RETRIES, minDelay: 200, maxDelay: 2_000, budget: 1 },
    jobPollInterval: JOB_POLL_INTERVAL,
    jobTimeout: s.jobTimeout,
  });
  const query: IllumioListQuery = s.mode === 'auto' ? { mode: s.mode, pageSize: s.pageSize, asyncThreshold: s.threshold } : { mode: s.mode, pageSize: s.pageSize };

  const delivered: string[] = [];
  let cursor: string | undefined;
  /** One pass over the listing from `cursor`: its items come newest first. */
  const pass = async (): Promise<void> => {
    let previous: string | undefined;
    for await (const page of client().events.list(query).byPage({ signal: controller.signal, ...(cursor === undefined ? {} : { cursor }) })) {
      for (const event of page.items) {
        if (previous !== undefined) expect(event.time <= previous, `newest first: ${event.time} after ${previous}`).toBe(true);
        previous = event.time;
        delivered.push(event.id);
      }
      cursor = page.cursor;
    }
  };

  const clean: Attempt = {
    fate: 'done',
    polls: 1,
    waits: [{ kind: 'none' }],
    faultAt: 'create',
    faultPoll: 0,
    fault: { kind: 'none' },
    latency: 0,
    arrivals: 0,
    tied: false,
  };
  for (const [index, next] of [...s.attempts, clean].entries()) {
    plan = next;
    controller = new AbortController();
    aborted = false;
    lastAsk = undefined;
    injected.clear();
    fatal = undefined;
    named = '';
    open = true;
    const failure = await pass().then(
      () => undefined,
      (error: unknown) => error,
    );
    open = false;
    // Nothing of the pass goes on behind its back: no wait left pending, no request sent a while later.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(time.pending.size, 'no wait left pending').toBe(0);
    expect(violations).toEqual([]);
    if (index === 0 && s.mode === 'auto') {
      // The first window is exported exactly when its count is above the threshold and the page was cut.
      const shown = `export of ${events} events at threshold ${s.threshold}, pages of ${s.pageSize}`;
      expect(exports > 0, shown).toBe(events > s.threshold && events > s.pageSize);
    }
    if (failure === undefined) {
      expect(fatal, 'a pass that met what no retry recovers from fails').toBeUndefined();
      break;
    }
    // The next wait would end past `jobTimeout` (counted from the 202, the polls' time included): the
    // listing gives up instead of starting it.
    const pending = lastAsk as { ms: number } | undefined;
    if (fatal === undefined && pending !== undefined && clock.now() - jobStart + pending.ms > s.jobTimeout) fatal = 'timeout';
    expect(index, 'the clean attempt succeeds').toBeLessThan(s.attempts.length);
    checkFailure(failure, { fatal, named, plan, controller, secret });
  }

  // The tail brings what arrived meanwhile; then every event came once.
  plan = clean;
  controller = new AbortController();
  open = true;
  await pass();
  expect(violations).toEqual([]);
  expect(new Set(delivered).size, 'no event twice').toBe(delivered.length);
  expect([...delivered].sort()).toEqual(emulator.store.events.map((e) => e.href).sort());
  for (const { asked, waited } of pacing) expect(waited, 'each poll as long after the answer before it as it asked').toBe(asked);
}

/** A pass that failed did so with the typed error of what was injected, naming it, without the secret. */
function checkFailure(
  error: unknown,
  expected: { fatal: string | undefined; named: string; plan: Attempt; controller: AbortController; secret: string },
): void {
  const { fatal, named, plan, controller, secret } = expected;
  const shown = `${String(error)} (injected: ${String(fatal)})`;
  expect(fatal, `a failure only after something no retry recovers from: ${shown}`).toBeDefined();
  expect(isTributaryError(error) || error === controller.signal.reason, `a typed error or the abort's reason: ${shown}`).toBe(true);
  expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(secret);
  const kind =
    error === controller.signal.reason
      ? 'abort'
      : isIllumioJobError(error)
        ? error.status
        : isNotFoundError(error)
          ? 'vanished'
          : isResponseValidationError(error)
            ? error.issues.some((issue) => issue.includes(`origin ${ELSEWHERE}`))
              ? 'foreign'
              : 'malformed'
            : isTimeoutError(error)
              ? 'timeout'
              : isRateLimitError(error)
              ? '429'
              : isNetworkError(error)
                ? 'reset'
                : isHttpError(error)
                  ? String(error.status)
                  : 'other';
  expect(kind, shown).toBe(fatal);
  if (isIllumioJobError(error)) {
    expect(error.job).toMatch(/\/orgs\/1\/jobs\/job-/);
    expect(error.message).toContain(plan.fate);
  }
  if (isNotFoundError(error)) expect(error.message).toContain('/jobs/');
  if (isResponseValidationError(error)) expect(error.issues.join('\n'), shown).toContain(named);
}

/** Wall time within which the listing ends after the abort: far longer than a loaded machine's stall, far shorter than the wait (5 minutes). */
const ENDS_WITH_THE_ABORT = 10_000;

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('illumio export property', () => {
  it('every event once, typed failures, nothing after an abort, polls paced as asked, no timer left', async () => {
    const baseline = activeTimers();
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        await run(s);
        expect(activeTimers(), 'no timer outlives the listing').toBeLessThanOrEqual(baseline);
      }),
      { numRuns: 100 },
    );
    // About 5 s on a quiet machine: the pipeline runs whole for every request of 100 organizations.
  }, 60_000);

  it('on the real clock, an abort during a long wait between polls ends it at once and leaves no timer', async () => {
    const baseline = activeTimers();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.constantFrom('seconds', 'date', 'none'), async (running, form) => {
        // A second lasts a millisecond, but for the wait the abort comes in: that lasts its full 10 minutes,
        // so that however slowly a loaded machine runs the test, only the abort ends it within ENDS_WITH_THE_ABORT.
        const scaled = scaledClock(0.001);
        let full = false;
        const clock: Clock = { now: scaled.now, scale: scaled.scale, sleep: (ms, signal) => (full ? systemClock : scaled).sleep(ms, signal) };
        const emulator = illumioEmulator.create({ seed: 5, events: 20, clock, rateLimit: false, async: { retryAfter: null, pollsBeforeDone: 10 } });
        const controller = new AbortController();
        let polls = 0;
        const sent: string[] = [];
        // The answer before the abort asks for 10 minutes (5 minutes without Retry-After), the others for a second (1 ms).
        const ask = (headers: Headers, long: boolean): void => {
          const seconds = long ? 600 : 1;
          if (form === 'seconds') headers.set('retry-after', String(seconds));
          if (form === 'date') headers.set('retry-after', new Date(clock.now() + seconds * 1_000).toUTCString());
        };
        const fetch: typeof globalThis.fetch = async (input, init) => {
          const request = new Request(input, init);
          sent.push(request.url);
          const answer = await emulator.fetch(request);
          const headers = new Headers(answer.headers);
          headers.delete('date');
          if (request.url.includes('/jobs/')) polls += 1;
          ask(headers, polls === running);
          // The abort comes while the client waits for the next poll.
          if (polls === running) {
            full = true;
            setTimeout(() => controller.abort(), 5);
          }
          return new Response(answer.body, { status: answer.status, headers });
        };
        const pce = illumio({
          baseUrl: PCE,
          orgId: 1,
          ...DEFAULT_ILLUMIO_CREDENTIAL,
          fetch,
          clock,
          rateLimit: false,
          jobPollInterval: form === 'none' ? 300_000 : 1_000,
          jobTimeout: 3_600_000,
        });
        const failure = pce.events
          .list({ mode: 'async' })
          .toArray({ signal: controller.signal })
          .catch((error: unknown) => error);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const waitedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('the wait went on past the abort'), ENDS_WITH_THE_ABORT)));
        const ended = await Promise.race([failure, waitedOut]);
        clearTimeout(timer);
        expect(ended, 'the wait ends with the abort').toBe(controller.signal.reason);
        const count = sent.length;
        expect(activeTimers(), 'the timer of the wait is cleared with the abort').toBeLessThanOrEqual(baseline);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(sent).toHaveLength(count);
        expect(polls).toBe(running);
      }),
      { numRuns: 12 },
    );
  }, 60_000);
});
