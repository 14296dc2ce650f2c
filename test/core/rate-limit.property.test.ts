/**
 * The limiter's promises (README "Retries and rate limits"), checked on random workloads: several
 * clients of one key and clients of other keys, bursts of `list()` and `get()` with random page sizes
 * and concurrency, listings aborted while they wait their turn or as it comes (before the request is
 * sent, whose place must then go back to the others), 429s injected with a `Retry-After` in
 * seconds and as an HTTP date, random `rateLimit` overrides and `maxRetryAfter`, against the
 * Informatica and Illumio emulators, which enforce the limit themselves as a sliding window, as the
 * client counts it (testing/window-limiter.ts: the strictest reading of a published limit, so a client
 * that passes it passes a vendor that counts fixed minutes too).
 *
 * In process, time is fake (timers, `Date`, `performance`): minutes of the vendors' windows pass in
 * milliseconds and every instant is exact. What is checked is what the emulator saw, recorded where
 * each request meets it (the client's `fetch`), never how long anything took. The limit shared through
 * Redis runs on the real clock, scaled: the checks are then lower bounds, which a slow machine only
 * makes easier to meet.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scaledClock, systemClock, type Clock } from '../../src/core/clock.js';
import { isHttpError, isRateLimitError } from '../../src/core/errors.js';
import type { RateLimitInfo, RequestInfo, ResponseInfo } from '../../src/core/options.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { SendGate } from '../../src/core/rate-limit/gate.js';
import { BUILD_SHARED_LIMITER, type SharedRateLimit } from '../../src/core/rate-limit/shared.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { redisRateLimit } from '../../src/redis/index.js';
import type { FaultController } from '../../src/testing/faults.js';
import { createRng } from '../../src/testing/rng.js';
import { countRefusals } from '../support/refusals.js';
import { hasRedisServer, perTestCleanups } from './helpers/redis-server.js';

/** A window of a limit, in vendor milliseconds. */
interface Limit {
  requests: number;
  interval: number;
}

const INFORMATICA: Limit = { requests: 5, interval: 60_000 };
const ILLUMIO: Limit = { requests: 500, interval: 60_000 };

/** What a client's `rateLimit` may say; every client of a key says the same (the first one's settings win). */
interface Override {
  requests?: number;
  interval?: number;
  maxConcurrent?: number;
  minTime?: number;
}

/**
 * `at`: vendor milliseconds after the op before it (or the start). `children`: Informatica's;
 * `exported`: Illumio's asynchronous export (`mode: 'auto'`) for a window of more than a page.
 */
type Op =
  | { kind: 'list'; pageSize: number; children: 'flatten' | 'nested'; exported: boolean; at: number }
  | { kind: 'get'; count: number; at: number };

interface Worker {
  /** Ops in flight at once. */
  parallel: number;
  ops: Op[];
}

interface Aborted {
  pageSize: number;
  /**
   * Vendor milliseconds after the start; 0: while its first request waits behind the others. `'turn'`:
   * as the limiter lets its first request that waited go (its `onRateLimit`), before that is sent.
   */
  abortAt: number | 'turn';
}

interface Group {
  override: Override | undefined;
  workers: Worker[];
  aborted: Aborted[];
}

/** A 429 with its `Retry-After` in seconds or as an HTTP date, or a 503 with one in seconds. */
interface Fault {
  status: 429 | 503;
  retryAfter: number;
  format: 'seconds' | 'http-date';
  after: number;
}

interface Site {
  /** The emulator's own limit: the vendor's, or another that the overrides of its keys respect. */
  limit: Limit | undefined;
  events: number;
  groups: Group[];
  faults: Fault[];
  /** Latency (vendor ms) added to some requests, so that requests are in flight while others are sent. */
  latency: number;
  /** The clients' `retry.maxRetryAfter`: a `Retry-After` beyond it fails what it holds. */
  maxRetryAfter: number | undefined;
  /** How far the emulator's clock is ahead of the clients' (vendor ms): an HTTP date is on its clock. */
  skew: number;
}

interface Workload {
  seed: number;
  informatica: Site[];
  illumio: Site;
}

/** The size of a site's workload; `custom`: the emulator's own limits it may keep instead of the vendor's. */
interface Shape {
  vendor: Limit;
  custom: fc.Arbitrary<Limit> | undefined;
  maxPage: number;
  maxEvents: number;
  /** The largest burst of `get()` calls. */
  maxGet: number;
  /** A burst each key's first client starts with, past the vendor's limit. */
  flood?: { min: number; max: number };
  /** Pauses between ops, vendor ms; 16 minutes leaves a limiter idle long enough to be dropped and built again. */
  gaps: number[];
  maxGroups: number;
}

const op = (shape: Shape): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('list' as const),
      pageSize: fc.integer({ min: 1, max: shape.maxPage }),
      children: fc.constantFrom('flatten' as const, 'nested' as const),
      exported: fc.boolean(),
      at: fc.constantFrom(...shape.gaps),
    }),
    fc.record({ kind: fc.constant('get' as const), count: fc.integer({ min: 1, max: shape.maxGet }), at: fc.constantFrom(...shape.gaps) }),
  );

const worker = (shape: Shape): fc.Arbitrary<Worker> =>
  fc.record({ parallel: fc.integer({ min: 1, max: 3 }), ops: fc.array(op(shape), { minLength: 1, maxLength: 3 }) });

function flood(shape: Shape): fc.Arbitrary<Worker[]> {
  if (shape.flood === undefined) return fc.constant([]);
  const get = fc.record({ kind: fc.constant('get' as const), count: fc.integer(shape.flood), at: fc.constant(0) });
  return fc.record({ parallel: fc.constant(1), ops: fc.tuple(get) }).map((w) => [w]);
}

/**
 * A client's `rateLimit`, within `limit` (the emulator's). `required`: the emulator keeps a limit other
 * than the vendor's, which the clients must be told. Without `custom`, the vendor's as it is.
 */
function override(limit: Limit, required: boolean, custom: boolean): fc.Arbitrary<Override | undefined> {
  if (!custom) return fc.constant(undefined);
  const within = fc.record(
    {
      requests: fc.integer({ min: 1, max: limit.requests }),
      interval: fc.integer({ min: limit.interval, max: limit.interval * 2 }),
      maxConcurrent: fc.integer({ min: 1, max: 6 }),
      minTime: fc.constantFrom(0, 100, 2_000),
    },
    { requiredKeys: required ? ['requests', 'interval'] : [] },
  );
  return required ? within : fc.option(within, { nil: undefined });
}

function site(shape: Shape): fc.Arbitrary<Site> {
  const limits = shape.custom === undefined ? fc.constant(undefined) : fc.oneof(fc.constant(undefined), shape.custom);
  return limits.chain((limit) =>
    fc.record({
      limit: fc.constant(limit),
      events: fc.integer({ min: 1, max: shape.maxEvents }),
      groups: fc.array(
        fc.record({
          override: override(limit ?? shape.vendor, limit !== undefined, shape.custom !== undefined),
          workers: fc.tuple(fc.array(worker(shape), { minLength: 1, maxLength: 3 }), flood(shape)).map(([workers, first]) => [...first, ...workers]),
          aborted: fc.array(
            fc.record({ pageSize: fc.integer({ min: 1, max: shape.maxPage }), abortAt: fc.constantFrom<number | 'turn'>(0, 0, 1, 20_000, 70_000, 'turn', 'turn') }),
            { maxLength: 2 },
          ),
        }),
        { minLength: 1, maxLength: shape.maxGroups },
      ),
      faults: fc.array(
        fc.record({
          status: fc.constantFrom(429 as const, 429 as const, 503 as const),
          retryAfter: fc.integer({ min: 1, max: 120 }),
          format: fc.constantFrom('seconds' as const, 'http-date' as const),
          after: fc.integer({ min: 0, max: 25 }),
        }),
        { maxLength: 3 },
      ),
      latency: fc.constantFrom(0, 0, 400, 3_000),
      maxRetryAfter: fc.constantFrom(undefined, undefined, undefined, 30_000, 90_000),
      skew: fc.constantFrom(0, 0, 0, -90_000, 90_000),
    }),
  );
}

/** Each pod is an organization of its own: the clients of one pod share one key (a user, or a named key). */
function workload(informaticaShape: Shape, illumioShape: Shape, pods = 2): fc.Arbitrary<Workload> {
  return fc.record({
    seed: fc.integer({ min: 1, max: 10_000 }),
    informatica: fc.array(site(informaticaShape), { minLength: 1, maxLength: pods }),
    illumio: site(illumioShape),
  });
}

const INFORMATICA_SHAPE: Shape = {
  vendor: INFORMATICA,
  custom: fc.record({ requests: fc.integer({ min: 2, max: 8 }), interval: fc.constantFrom(10_000, 30_000, 60_000) }),
  maxPage: 12,
  maxEvents: 14,
  maxGet: 8,
  gaps: [0, 0, 1_000, 30_000, 90_000, 960_000],
  maxGroups: 3,
};

const ILLUMIO_SHAPE: Shape = {
  ...INFORMATICA_SHAPE,
  vendor: ILLUMIO,
  custom: fc.record({ requests: fc.integer({ min: 2, max: 15 }), interval: fc.constantFrom(1_000, 10_000, 60_000) }),
  maxPage: 25,
  maxEvents: 60,
};

/** Small limits of the emulators' own, and the clients told them: every limit binds within a few requests. */
const overridden = workload(INFORMATICA_SHAPE, ILLUMIO_SHAPE);

/** The vendors' published limits on both sides, with bursts that go past Illumio's 500 a minute. */
const published = workload({ ...INFORMATICA_SHAPE, custom: undefined }, { ...ILLUMIO_SHAPE, custom: undefined, flood: { min: 400, max: 700 } });

/** On the real clock: few requests, no long gaps. */
const overRedis = workload(
  { ...INFORMATICA_SHAPE, maxGet: 4, maxEvents: 6, gaps: [0, 0, 1_000, 30_000], maxGroups: 2 },
  { ...ILLUMIO_SHAPE, maxGet: 4, maxEvents: 20, gaps: [0, 0, 1_000, 30_000], maxGroups: 2 },
  1,
);

/** The statuses the injected faults answer, each with a `Retry-After` that pauses the limiter. */
const PAUSING = new Set([429, 503]);

/** One request as the emulator met it. */
interface Send {
  /** The key whose window counts it. */
  key: string;
  /** The limiter (one per process) that sent it. */
  limiter: string;
  client: number;
  seq: number;
  at: number;
  status?: number;
  /** When its answer (or failure) came back. */
  doneSeq?: number;
  /** When a 429 or 503 was answered, and the instant before which its `Retry-After` asks nothing be sent. */
  answeredSeq?: number;
  floor?: number;
  /** The `Retry-After`, in vendor ms. */
  retryAfterMs?: number;
  httpDate?: boolean;
}

/** Everything the run saw, in one order: `seq` counts sends, answers, 429s the clients saw and aborts. */
class Log {
  readonly sends: Send[] = [];
  /** A client saw a 429's or 503's status line (its `onResponse` hook), the instant its limiter pauses. */
  readonly seen: Array<{ limiter: string; seq: number }> = [];
  /** Requests that reached `fetch` with their signal aborted already: none, the pipeline does not hand them on. */
  readonly unsent: Array<{ client: number; at: number }> = [];
  /** Requests their limiter let go (each one's `onRequest`), sent or not. */
  readonly letGo: Array<{ client: number; at: number }> = [];
  #seq = 0;

  /** @param ms a vendor duration as the log's clock measures it (see `Measure`). */
  constructor(private readonly ms: Measure) {}

  next(): number {
    return (this.#seq += 1);
  }

  /**
   * `fetch` as it reaches the emulator, recording each request of client `client`. One whose signal
   * aborted on its way from the limiter would not be sent (fetch rejects it at once), only noted: the
   * pipeline gives such a request's turn back instead of calling fetch.
   */
  tap(fetch: typeof globalThis.fetch, key: string, limiter: string, client: number, skew: number): typeof globalThis.fetch {
    return async (input, init) => {
      if (init?.signal?.aborted) {
        this.unsent.push({ client, at: Date.now() });
        return fetch(input, init);
      }
      const send: Send = { key, limiter, client, seq: this.next(), at: Date.now() };
      this.sends.push(send);
      const response = await fetch(input, init).finally(() => (send.doneSeq = this.next()));
      send.status = response.status;
      if (PAUSING.has(response.status)) {
        send.answeredSeq = this.next();
        const retryAfter = response.headers.get('retry-after');
        const at = Date.now();
        send.retryAfterMs = retryAfterMs(retryAfter, at + skew);
        send.floor = at + this.ms(send.retryAfterMs);
        send.httpDate = !/^\d+$/.test(retryAfter ?? '');
      }
      return response;
    };
  }

  onRequest(client: number): (info: RequestInfo) => void {
    return () => void this.letGo.push({ client, at: Date.now() });
  }

  onResponse(limiter: string): (info: ResponseInfo) => void {
    return (info) => {
      if (PAUSING.has(info.status)) this.seen.push({ limiter, seq: this.next() });
    };
  }
}

/**
 * Vendor milliseconds; written apart from src/core/retry-after.ts. The emulators send whole seconds, or
 * an HTTP date on their clock (`serverNow`), whose `now()` is the wall clock's, skewed, even when its
 * waits are scaled.
 */
function retryAfterMs(retryAfter: string | null, serverNow: number): number {
  expect(retryAfter).not.toBeNull();
  if (/^\d+$/.test(retryAfter ?? '')) return Number(retryAfter) * 1000;
  const at = Date.parse(retryAfter ?? '');
  expect(Number.isNaN(at)).toBe(false);
  return Math.max(0, at - serverNow);
}

/**
 * A vendor duration in the milliseconds sends are recorded in. On fake time, exact. On the real clock
 * scaled, rounded down: `Date.now()` counts whole milliseconds, so two instants a scaled 6.17 ms apart
 * may read 6 ms apart.
 */
type Measure = (vendorMs: number) => number;

function measure(setting: Setting): Measure {
  const { scale } = setting.clock;
  return setting.fake ? (ms) => ms * scale : (ms) => Math.floor(ms * scale);
}

/** Runs `work` to its end on fake time: each turn lets pending work run, then moves to the next timer. */
async function drive<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.finally(() => void (done = true));
  settled.catch(() => undefined);
  for (let turns = 0; !done; turns += 1) {
    if (turns > 200_000) throw new Error('the workload did not end');
    await vi.advanceTimersToNextTimerAsync();
  }
  return settled;
}

const FAKE_NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

interface Key {
  name: string;
  /** The limit the clients of this key keep: their override over the vendor's. */
  limit: Limit;
  minTime: number;
  maxConcurrent: number;
}

function keyOf(name: string, vendor: Limit, override: Override | undefined): Key {
  return {
    name,
    limit: { requests: override?.requests ?? vendor.requests, interval: override?.interval ?? vendor.interval },
    minTime: override?.minTime ?? 0,
    maxConcurrent: override?.maxConcurrent ?? 4,
  };
}

/** How a run keeps time and where its limits live. */
interface Setting {
  clock: Clock;
  /** Fake timers: the clock is not scaled, and waits cost nothing. */
  fake: boolean;
  /**
   * The limit of process `p` (0 or 1), when it is kept outside: the processes of a key share it. Each
   * process's clients reach the emulator by a base URL of their own, so that the two build limiters
   * apart in this one process, as two processes would.
   */
  shared?: (p: number) => SharedRateLimit;
  /** Forgets what an earlier run left where the limit is kept (its windows, a pause still in force). */
  forget?: () => Promise<unknown>;
}

/** What every client of a site is made with: its `fetch` (tapped), hooks, and the signal of an aborted listing. */
interface Wiring {
  fetch: typeof globalThis.fetch;
  hooks: { onRequest: (info: RequestInfo) => void; onResponse: (info: ResponseInfo) => void; onRateLimit?: (info: RateLimitInfo) => void };
  clock: Clock;
  signal?: AbortSignal;
}

/** One client, as the workload uses it: each call checks what it got. */
interface Api {
  /** The ids of a complete listing, sorted. */
  list(pageSize: number, children: 'flatten' | 'nested', exported: boolean): Promise<string[]>;
  get(count: number): Promise<void>;
}

/** An emulator and how its clients are made. */
interface Target {
  site: Site;
  fetch: typeof globalThis.fetch;
  /** The key of group `g`'s clients. */
  key(g: number): Key;
  /** A client of group `g`, the `n`-th of the run, of process `p`. */
  connect(g: number, n: number, p: number, wiring: Wiring): Api;
  /** What a complete listing holds, sorted. */
  expected(children: 'flatten' | 'nested'): string[];
  /** Requests the emulator's own window refused (each one a 429 it answered). */
  ownRefusals(): number;
  /** Injected 429s and 503s answered. */
  injected(): number;
}

/** `clock`, read `skew` ms ahead: the emulator's, which the client's does not agree with. */
function skewed(clock: Clock, skew: number): Clock {
  return { now: () => clock.now() + skew, scale: clock.scale, sleep: (ms, signal) => clock.sleep(ms, signal) };
}


/**
 * The site's 429s and 503s (`after` counts the emulator's requests) and latency on some requests. A
 * 503's headers are fixed when it is added: its `Retry-After` is in seconds.
 */
function injectFaults(faults: FaultController, site: Site, seed: number): () => number {
  const added = site.faults.map(({ status, retryAfter, format, after }) => {
    const schedule = { once: true as const, after };
    return status === 429
      ? faults.add({ kind: 'rate-limit', retryAfter, retryAfterFormat: format, schedule })
      : faults.add({ kind: 'status', status, headers: { 'Retry-After': String(retryAfter) }, schedule });
  });
  if (site.latency > 0) faults.add({ kind: 'latency', ms: site.latency, schedule: { probability: 0.3, seed } });
  return () => added.reduce((sum, fault) => sum + fault.fired, 0);
}

/** The options every client of `site` shares, and the limit of its process. */
function common(site: Site, setting: Setting, p: number, override: Override | undefined, key?: string) {
  const rateLimit = { ...override, ...(key === undefined ? {} : { key }), ...(setting.shared ? { shared: setting.shared(p) } : {}) };
  return { rateLimit, ...(site.maxRetryAfter === undefined ? {} : { retry: { maxRetryAfter: site.maxRetryAfter } }) };
}

/**
 * An Informatica pod: one organization, whose requests the vendor counts together, so all its clients
 * keep one key: one user's, or, when they are different users, a name they give (`rateLimit.key`).
 */
async function informaticaTarget(site: Site, index: number, seed: number, setting: Setting, start: number): Promise<Target> {
  const users = [
    { user: `ops${index}@example.com`, password: 'pw-ops-123456' },
    { user: `audit${index}@example.com`, password: 'pw-audit-123456' },
  ];
  const { clock } = setting;
  const emulator = informaticaEmulator.create({ seed, events: site.events, clock: skewed(clock, site.skew), users, ...(site.limit ? { rateLimit: site.limit } : {}) });
  const baseUrl = (p: number) => `https://cih-pod${index + 1}${p === 0 ? '' : `-${p}`}.dm-us.informaticacloud.com`;
  // The day the events were made in, fixed: a workload that lasts hours lists what the reference did.
  const day = { since: new Date(start - 24 * 3_600_000).toISOString(), until: new Date(start).toISOString() };
  const reference = (children: 'flatten' | 'nested') =>
    informatica({ baseUrl: baseUrl(0), username: users[0]!.user, password: users[0]!.password, fetch: emulator.fetch, clock, rateLimit: false })
      .events.list({ ...day, children })
      .toArray()
      .then((events) => events.map((event) => event.id).sort());
  const ids = { flatten: await reference('flatten'), nested: await reference('nested') };
  // The reference listings are not the workload's: the window starts empty.
  emulator.store.limiter?.reset();
  const named = site.groups.length > 1;
  // The first group's settings are the key's: one key, one limiter, built by its first client.
  const override = site.groups[0]!.override;
  const key = keyOf(`informatica ${index}`, INFORMATICA, override);
  return {
    site,
    fetch: emulator.fetch,
    key: () => key,
    connect(_g, n, p, wiring) {
      const user = named ? users[n % 2]! : users[0]!;
      const api = informatica({
        baseUrl: baseUrl(p),
        username: user.user,
        password: user.password,
        ...wiring,
        ...common(site, setting, p, override, named ? `acme-${index}` : undefined),
      });
      return {
        list: async (pageSize, children) => (await api.events.list({ ...day, pageSize, children }).toArray()).map((event) => event.id).sort(),
        async get(count) {
          const wanted = Array.from({ length: count }, (_, i) => ids.nested[(i * 7 + count) % ids.nested.length]!);
          const got = await Promise.all(wanted.map((id) => api.events.get(id)));
          expect(got.map((event) => event.id)).toEqual(wanted);
        },
      };
    },
    expected: (children) => ids[children],
    ownRefusals: countRefusals(emulator.store.limiter),
    injected: injectFaults(emulator.faults, site, seed),
  };
}

/** An Illumio PCE: each group an API key of its own, which the PCE counts apart. */
function illumioTarget(site: Site, seed: number, setting: Setting): Target {
  const credentials = site.groups.map((_, g) => ({ apiKey: `api_${g}0c0ffee0c0ffee`, apiSecret: `illumio-secret-${g}-4f2a` }));
  const { clock } = setting;
  const emulator = illumioEmulator.create({ seed, events: site.events, clock: skewed(clock, site.skew), credentials, ...(site.limit ? { rateLimit: site.limit } : {}) });
  const hrefs = emulator.store.events.map((event) => event.href).sort();
  return {
    site,
    fetch: emulator.fetch,
    key: (g) => keyOf(`illumio ${g}`, ILLUMIO, site.groups[g]!.override),
    connect(g, _n, p, wiring) {
      const api = illumio({
        baseUrl: `https://pce${p === 0 ? '' : `-${p}`}.example.com:8443`,
        orgId: 1,
        ...credentials[g]!,
        ...wiring,
        ...common(site, setting, p, site.groups[g]!.override),
      });
      return {
        list: async (pageSize, _children, exported) =>
          (await api.events.list(exported ? { pageSize, mode: 'auto', asyncThreshold: pageSize } : { pageSize }).toArray()).map((event) => event.id).sort(),
        async get(count) {
          const wanted = Array.from({ length: count }, (_, i) => hrefs[(i * 7 + count) % hrefs.length]!);
          const got = await Promise.all(wanted.map((href) => api.events.get(href)));
          expect(got.map((event) => event.id)).toEqual(wanted);
        },
      };
    },
    expected: () => hrefs,
    ownRefusals: countRefusals(emulator.store.limiter),
    injected: injectFaults(emulator.faults, site, seed),
  };
}

/** What the runs met, summed: a workload that stopped meeting one of these would check nothing there. */
const met = { runs: 0, sends: 0, injected: 0, httpDates: 0, abortedUnsent: 0, abortedAfterSend: 0, refusedBeyondMax: 0, givenBack: 0, fullWindows: new Set<string>() };

/**
 * The turns the limiters' gates count (`SendGate.send`, in process and in each process sharing a Redis
 * limit), and those given back unsent: the rest must be the requests that reached the emulator.
 */
function countTurns(): { taken: number; givenBack: number } {
  const turns = { taken: 0, givenBack: 0 };
  const send = SendGate.prototype.send;
  vi.spyOn(SendGate.prototype, 'send').mockImplementation(function (this: SendGate, now: number) {
    const turn = send.call(this, now);
    turns.taken += 1;
    // The gate's own rule, seen from outside: a turn answered stays counted, one given back is not.
    let over = false;
    const { answered } = turn;
    return {
      answered:
        answered &&
        (() => {
          over = true;
          answered();
        }),
      unsent: () => {
        if (!over) turns.givenBack += 1;
        over = true;
        turn.unsent();
      },
    };
  });
  return turns;
}

async function check(work: Workload, setting: Setting): Promise<void> {
  await setting.forget?.();
  if (setting.fake) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'], now: FAKE_NOW });
  }
  const { scale } = setting.clock;
  const ms = measure(setting);
  // The back-off's jitter, drawn from the run's seed: a failing run repeats as it ran.
  const jitter = createRng(work.seed);
  vi.spyOn(Math, 'random').mockImplementation(() => jitter.next());
  const turns = countTurns();
  const log = new Log(ms);
  let clients = 0;
  const runs: Array<Promise<void>> = [];
  /** Checks of what the run did, run once it is over. */
  const after: Array<() => void> = [];
  try {
    const start = Date.now();
    const targets = [
      ...(await Promise.all(work.informatica.map((site, index) => informaticaTarget(site, index, work.seed + index, setting, start)))),
      illumioTarget(work.illumio, work.seed, setting),
    ];
    const wait = (vendorMs: number) => new Promise((resolve) => setTimeout(resolve, vendorMs * scale));
    for (const target of targets) {
      for (const [g, group] of target.site.groups.entries()) {
        const key = target.key(g);
        const connect = (signal?: AbortSignal, onRateLimit?: (info: RateLimitInfo) => void) => {
          const n = (clients += 1);
          const p = setting.shared ? n % 2 : 0;
          const limiter = `${key.name} (process ${p})`;
          const hooks = { onRequest: log.onRequest(n), onResponse: log.onResponse(limiter), ...(onRateLimit ? { onRateLimit } : {}) };
          const wiring = { fetch: log.tap(target.fetch, key.name, limiter, n, target.site.skew), hooks, clock: setting.clock };
          return { n, api: target.connect(g, n, p, signal ? { ...wiring, signal } : wiring) };
        };
        for (const w of group.workers) {
          const { api } = connect();
          runs.push(
            runWorker(w, wait, async (o) => {
              const done = o.kind === 'get' ? api.get(o.count) : api.list(o.pageSize, o.children, o.exported);
              const outcome = await done.then(
                (got) => ({ got }),
                (error: unknown) => ({ error }),
              );
              after.push(() => {
                if ('error' in outcome) expectRefused(outcome.error, key, target.site, log);
                else if (o.kind === 'list') expect(outcome.got).toEqual(target.expected(o.children));
              });
            }),
          );
        }
        for (const a of group.aborted) {
          const abort = new Abort(log, a.abortAt);
          // Reported as the turn comes, before the request is sent: the limiter let it go, fetch must not see it.
          const atTurn = a.abortAt === 'turn' ? (info: RateLimitInfo) => void (info.cause === 'queued' && abort.now()) : undefined;
          const { api, n } = connect(abort.signal, atTurn);
          const listing = api.list(a.pageSize, 'flatten', false);
          runs.push(abortLater(a, wait, abort, listing, n, log, after, target, key, setting.fake));
        }
      }
    }

    await (setting.fake ? drive(Promise.all(runs)) : Promise.all(runs));
    // A listing aborted at its turn rejects at once; its request leaves the limiter, giving its turn
    // back, a few turns of the event loop later, which the counts below must not be read before.
    for (let i = 0; i < 20 && turns.taken - turns.givenBack !== log.sends.length; i += 1) await new Promise((resolve) => setImmediate(resolve));

    for (const target of targets) {
      // (1) No 429 of the emulator's own limit: every 429 and 503 the clients met was injected.
      expect(target.ownRefusals(), `429s of the emulator's own limit (${target.site.groups.length} keys)`).toBe(0);
      const keys = new Set(target.site.groups.map((_, g) => target.key(g)));
      const refused = log.sends.filter((send) => [...keys].some((key) => key.name === send.key) && PAUSING.has(send.status ?? 0));
      expect(refused.length).toBeLessThanOrEqual(target.injected());
      met.injected += refused.length;
      for (const key of keys) checkKey(key, log, ms, setting.fake);
    }
    // (6) A request aborted between its turn and fetch is not handed to fetch, and its turn goes back:
    // every turn the limiters counted and kept is a request the emulator met.
    expect(log.unsent, 'requests handed to fetch after their abort').toEqual([]);
    expect(turns.taken - turns.givenBack, `turns kept (${turns.taken} taken, ${turns.givenBack} given back)`).toBe(log.sends.length);
    met.givenBack += turns.givenBack;
    for (const checkOutcome of after) checkOutcome();
    met.sends += log.sends.length;
    met.runs += 1;
  } finally {
    await closeRateLimiters();
    vi.restoreAllMocks();
    vi.useRealTimers();
  }
}

/**
 * (5) An op that failed was refused by a `Retry-After` beyond `maxRetryAfter`, which its key met: the
 * request that met it fails with its answer (a 429's `RateLimitError`, a 503's `HttpError`), and those
 * the pause holds with a `RateLimitError`, unsent, as the README says, rather than be sent into the
 * wall once a shorter wait has passed.
 */
function expectRefused(error: unknown, key: Key, site: Site, log: Log): void {
  expect(isRateLimitError(error) || (isHttpError(error) && PAUSING.has(error.status)), `${key.name}: ${String(error)}`).toBe(true);
  const beyond = log.sends.some((send) => send.key === key.name && (send.retryAfterMs ?? 0) > (site.maxRetryAfter ?? 300_000));
  expect(beyond, `${key.name}: refused without a Retry-After beyond maxRetryAfter`).toBe(true);
  met.refusedBeyondMax += 1;
}

/** Runs a worker's ops, `parallel` at a time, each after its gap. */
async function runWorker(w: Worker, wait: (ms: number) => Promise<unknown>, run: (o: Op) => Promise<void>): Promise<void> {
  const queue = [...w.ops];
  const lane = async (): Promise<void> => {
    for (let o = queue.shift(); o !== undefined; o = queue.shift()) {
      if (o.at > 0) await wait(o.at);
      await run(o);
    }
  };
  await Promise.all(Array.from({ length: w.parallel }, lane));
}

/** The abort of a listing: once, unless the listing ended first; when it came, in the log's order and in time. */
class Abort {
  readonly #controller = new AbortController();
  readonly reason: Error;
  /** The log's `seq` of the abort, once it came. */
  seq: number | undefined;
  time = 0;
  settled = false;

  constructor(
    private readonly log: Log,
    at: number | 'turn',
  ) {
    this.reason = new Error(`stopped at ${at}`);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  readonly now = (): void => {
    if (this.settled || this.seq !== undefined) return;
    this.seq = this.log.next();
    this.time = Date.now();
    this.#controller.abort(this.reason);
  };
}

/**
 * (4) A listing aborted before it ends rejects with the signal's reason at once, and sends nothing from
 * then on (nothing at all when it was still waiting for its first turn); (5) one that ended first is
 * complete.
 */
async function abortLater(
  a: Aborted,
  wait: (ms: number) => Promise<unknown>,
  abort: Abort,
  listing: Promise<string[]>,
  client: number,
  log: Log,
  after: Array<() => void>,
  target: Target,
  key: Key,
  fake: boolean,
): Promise<void> {
  if (a.abortAt !== 'turn') void wait(a.abortAt).then(abort.now);
  const outcome = await listing.then(
    (got) => ({ got }),
    (error: unknown) => ({ error }),
  );
  const settledTime = Date.now();
  abort.settled = true;
  after.push(() => {
    if ('got' in outcome) {
      expect(outcome.got).toEqual(target.expected('flatten'));
      return;
    }
    const abortedAt = abort.seq;
    if (abortedAt === undefined) return expectRefused(outcome.error, key, target.site, log);
    expect(outcome.error).toBe(abort.reason);
    // At once: not when the turn it was waiting for comes (on fake time, the same instant).
    if (fake) expect(settledTime - abort.time, `client ${client}: rejected after its abort`).toBe(0);
    // Its turn came before the abort (on fake time, at the same instant), never after: a request the
    // limiter let go once aborted took a place in the window that another could have had.
    if (fake) expect(log.letGo.filter((letGo) => letGo.client === client && letGo.at > abort.time)).toEqual([]);
    const own = log.sends.filter((send) => send.client === client);
    expect(own.filter((send) => send.seq > abortedAt)).toEqual([]);
    if (own.length === 0) met.abortedUnsent += 1;
    else met.abortedAfterSend += 1;
  });
}

/** (2) and (3) for the sends of one key, with its `minTime` and `maxConcurrent`. */
function checkKey(key: Key, log: Log, ms: Measure, fake: boolean): void {
  const sends = log.sends.filter((send) => send.key === key.name);
  const interval = ms(key.limit.interval);
  // (3) At most `requests` in any window of `interval`, at most `maxConcurrent` in flight.
  for (const send of sends) {
    const inWindow = sends.filter((other) => other.at > send.at - interval && other.at <= send.at);
    expect(inWindow.length, `${key.name}: ${inWindow.length} requests in the ${interval} ms up to ${send.at}`).toBeLessThanOrEqual(key.limit.requests);
    if (inWindow.length === key.limit.requests) met.fullWindows.add(`${key.limit.requests}/${key.limit.interval}`);
    const inFlight = sends.filter((other) => other.seq <= send.seq && (other.doneSeq ?? Infinity) > send.seq);
    expect(inFlight.length, `${key.name}: ${inFlight.length} requests in flight at ${send.at}`).toBeLessThanOrEqual(key.maxConcurrent);
  }
  for (const limiter of new Set(sends.map((send) => send.limiter))) {
    const own = sends.filter((send) => send.limiter === limiter);
    // `minTime` between the sends of one limiter, on fake time. On the real clock a request let go
    // reaches `fetch` a varying while later (a turn of the event loop behind Redis's replies), so two
    // let go 10 ms apart may reach it 5 ms apart; windows and floors are lower bounds that delay only lengthens.
    for (let i = 1; fake && i < own.length; i += 1) {
      expect(own[i]!.at - own[i - 1]!.at, `${limiter}: sends at ${own[i - 1]!.at} and ${own[i]!.at}`).toBeGreaterThanOrEqual(ms(key.minTime));
    }
    // (2) Once a client of the limiter has seen a 429 or 503, nothing of it is sent before its Retry-After.
    for (const refused of own.filter((send) => send.floor !== undefined)) {
      if (refused.httpDate) met.httpDates += 1;
      const seen = log.seen.find((s) => s.limiter === limiter && s.seq > refused.answeredSeq!);
      expect(seen, `${limiter}: the 429 answered at ${refused.at} was never seen`).toBeDefined();
      const early = own.filter((send) => send.seq > seen!.seq && send.at < refused.floor!);
      expect(early.map((send) => send.at), `${limiter}: sent before the Retry-After floor ${refused.floor}`).toEqual([]);
    }
  }
}

const COUNTS = { runs: 0, sends: 0, injected: 0, httpDates: 0, abortedUnsent: 0, abortedAfterSend: 0, refusedBeyondMax: 0, givenBack: 0 };

describe('rate limiter property', () => {
  beforeEach(() => {
    Object.assign(met, COUNTS, { fullWindows: new Set() });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const inProcess: Setting = { clock: systemClock, fake: true };

  it('no 429 of the emulator limit, Retry-After floors kept, windows within the limit, aborts honoured, listings complete', async () => {
    await fc.assert(
      fc.asyncProperty(overridden, (work) => check(work, inProcess)),
      { numRuns: 30, seed: 20261206 },
    );
    expect(met.runs).toBe(30);
    expect(met.sends).toBeGreaterThan(1_500);
    expect(met.fullWindows.size).toBeGreaterThan(10);
    expect(met.injected).toBeGreaterThan(20);
    expect(met.httpDates).toBeGreaterThan(5);
    expect(met.abortedUnsent).toBeGreaterThan(5);
    expect(met.abortedAfterSend).toBeGreaterThan(5);
    expect(met.refusedBeyondMax).toBeGreaterThan(0);
    expect(met.givenBack).toBeGreaterThan(5);
  }, 60_000);

  it('the same at the published limits: Informatica 5 and Illumio 500 a minute', async () => {
    await fc.assert(
      fc.asyncProperty(published, (work) => check(work, inProcess)),
      { numRuns: 6, seed: 20261207 },
    );
    expect(met.fullWindows).toContain('500/60000');
    expect(met.fullWindows).toContain('5/60000');
    expect(met.injected).toBeGreaterThan(5);
  }, 60_000);
});

const { cleanups, redisServer } = perTestCleanups();

describe.skipIf(!hasRedisServer())('rate limiter property, the limit shared through Redis', () => {
  beforeEach(() => {
    Object.assign(met, COUNTS, { fullWindows: new Set() });
  });

  it('two processes of each key: no 429 of the emulator limit, windows and concurrency kept across both', async () => {
    const redis = await redisServer();
    const shared = redisRateLimit(redis.options());
    cleanups.push(() => closeRateLimiters());
    // The second process's clients reach the emulator by a base URL of their own (`-1` after the host):
    // its limiter is one of its own here, kept under the first process's key in Redis.
    const sharedOf = (p: number): SharedRateLimit =>
      p === 0 ? shared : { ...shared, [BUILD_SHARED_LIMITER]: (key, ...rest) => shared[BUILD_SHARED_LIMITER](key.replace(/-1(\.[a-z.-]+)/, '$1'), ...rest) };
    // A minute lasts 300 ms.
    const connection = redis.connect();
    cleanups.push(() => connection.disconnect());
    const setting: Setting = { clock: scaledClock(0.005), fake: false, shared: sharedOf, forget: () => connection.flushall() };
    await fc.assert(
      fc.asyncProperty(overRedis, (work) => check(work, setting)),
      // Shrinking on the real clock would take minutes: the first counterexample is reported as it is.
      { numRuns: 4, seed: 20261208, endOnFailure: true },
    );
    expect(met.fullWindows.size).toBeGreaterThan(0);
  }, 60_000);
});
