/**
 * One client of each vendor, used by many operations at once, at random (README "Cancellation",
 * "Retries and rate limits", DESIGN.md "Paginated results"): listings item by item and page by page,
 * single-object gets and every other endpoint the vendor has (Socotra's schedules and failed jobs,
 * Illumio's asynchronous export, Informatica's children, FUJITSU's Keystone logins), and watches, each
 * started at a random moment and stopped at a random point: by its own signal where it takes one, by
 * the client's signal, by a `break`, or left to finish while `closeRateLimiters()` is called under it.
 * The emulator answers 429s with a `Retry-After`, 503s, resets and slow answers now and then, enforces
 * its own rate limit, and expires FUJITSU's tokens; a minute lasts 30 ms.
 *
 * Checked for every scenario:
 * - every operation settles, in bounded time, with its whole result or the error its stop explains (the
 *   abort reason as given, a `TributaryError` for a vendor's fault), and nothing is rejected unhandled;
 * - once everything settled: no abort listener left on a signal the test passed, no timer or handle
 *   beyond those there before, every rate limiter idle and unheld;
 * - the last cursor of a listing resumes to exactly the rest of the listing (no loss, no repeat);
 * - FUJITSU logs in once per token lifetime at most (plus one per forced expiry), one login at a time;
 * - the emulator's own limit refuses nothing the client's limiter let through (its 429s are the
 *   injected ones only), but for one window's requests per idle limiter `closeRateLimiters()` forgot,
 *   window and all, as it is meant to.
 *
 * Only a watch and Informatica's `events.get` take a signal of their own; the other calls stop with
 * the client's. The emulators are reached in process: no socket is opened.
 */
import { getEventListeners } from 'node:events';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledClock, type Clock } from '../../src/core/clock.js';
import { isTributaryError } from '../../src/core/errors.js';
import type { Page, Paginated } from '../../src/core/paginate/types.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { watch } from '../../src/core/watch.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_USER, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { FaultController } from '../../src/testing/faults.js';
import { VENDOR_NAMES, type VendorName } from '../support/emulated-vendors.js';
import { PROPERTY_BUDGET } from '../support/property-timeout.js';

/** A vendor minute lasts 30 real milliseconds. */
const SCALE = 0.0005;
/** The longest an operation may take, real milliseconds: beyond it, it hangs. */
const SETTLE_WITHIN_MS = 8_000;
/** The emulators' own limit, which the clients are told: tight enough that the limiters queue. */
const LIMITS: Record<VendorName, { requests: number; interval: number }> = {
  socotra: { requests: 20, interval: 60_000 },
  tines: { requests: 20, interval: 60_000 },
  fujitsu: { requests: 20, interval: 60_000 },
  illumio: { requests: 20, interval: 60_000 },
  informatica: { requests: 5, interval: 60_000 },
};
/** A Keystone token's life, vendor ms: renewed after three quarters of it (auth.ts). */
const TOKEN_TTL = 120_000;

type Fetch = typeof globalThis.fetch;

/** The header that marks an injected 429. */
const INJECTED = 'x-injected-fault';

/** An operation of a vendor's client beyond its listings: `signal` is its own, where it takes one. */
type Extra = (signal: AbortSignal | undefined) => Promise<unknown>;

interface Vendor {
  /** The emulator's in-process `fetch`. */
  fetch: Fetch;
  faults: FaultController;
  /** A client over the emulator; `signal`: the client's own. */
  client(fetch: Fetch, signal: AbortSignal | undefined, timeout?: number): Client;
  /** Expires every Keystone token now (FUJITSU). */
  expireTokens?: () => void;
}

interface Client {
  /** The listing every listing operation of the scenario reads, and whose ground truth is known. */
  listing(): Paginated<{ id: string }>;
  /** The vendor's other endpoints, by name. */
  extras: Record<string, Extra>;
}

function vendorOf(name: VendorName, clock: Clock): Vendor {
  const rateLimit = LIMITS[name];
  const common = { clock, rateLimit, retry: { retries: 4, minDelay: 1_000, maxDelay: 8_000 } };
  switch (name) {
    case 'socotra': {
      const emulator = socotraEmulator.create({ seed: 3, events: 40, policies: 3, failedJobs: 12, clock, rateLimit });
      emulator.store.addScheduled({ policyLocator: 'pol-life', transactionLocator: 'tx-life', triggerState: 'WAITING', customEventId: 'renewal' });
      const requests = [...new Set(emulator.store.page(0, {}, Number.MAX_SAFE_INTEGER).events.map((event) => event.requestId).filter((id): id is string => typeof id === 'string'))];
      const locators = emulator.store.page(0, {}, Number.MAX_SAFE_INTEGER).events.map((event) => event.locator);
      return {
        fetch: emulator.fetch,
        faults: emulator.faults,
        client: (fetch, signal, timeout) => {
          const client = socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, fetch, signal, timeout, ...common });
          return {
            listing: () => client.events.list({ pageSize: 7 }),
            extras: {
              get: () => client.events.get(locators[3] as string),
              forRequest: () => client.events.forRequest(requests[0] ?? 'none'),
              forPolicy: () => client.schedules.forPolicy('pol-life'),
              failedJobs: () => collect(client.schedules.failed.list({ pageSize: 5 })),
            },
          };
        },
      };
    }
    case 'tines': {
      const emulator = tinesEmulator.create({ seed: 5, events: 40, clock, rateLimit });
      const ids = emulator.store.events.map((event) => event.id);
      return {
        fetch: emulator.fetch,
        faults: emulator.faults,
        client: (fetch, signal, timeout) => {
          const client = tines({ baseUrl: 'https://tenant-1234.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch, signal, timeout, ...common });
          return { listing: () => client.events.list({ pageSize: 7 }), extras: { get: () => client.events.get(ids[5] as number) } };
        },
      };
    }
    case 'fujitsu': {
      const emulator = fujitsuEmulator.create({ seed: 2, events: 80, clock, rateLimit, tokenTtl: TOKEN_TTL });
      const since = new Date(Math.min(...emulator.store.events.all(DEFAULT_FUJITSU_TENANT).map((event) => event.at)) - 1_000);
      const identity = { url: 'https://identity.uk-1.cloud.global.fujitsu.com', ...DEFAULT_FUJITSU_USER };
      return {
        fetch: emulator.fetch,
        faults: emulator.faults,
        expireTokens: () => emulator.store.keystone.expireAll(),
        client: (fetch, signal, timeout) => {
          const client = fujitsu({ baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com', tenantId: DEFAULT_FUJITSU_TENANT, identity, fetch, signal, timeout, ...common });
          // The service has no other endpoint: a short listing of its own stands for a single read.
          return { listing: () => client.events.list({ since, pageSize: 20 }), extras: { first: () => client.events.list({ since, pageSize: 20 }).toArray({ maxItems: 3 }) } };
        },
      };
    }
    case 'illumio': {
      const emulator = illumioEmulator.create({ seed: 1, events: 40, clock, rateLimit });
      const hrefs = emulator.store.events.map((event) => event.href);
      return {
        fetch: emulator.fetch,
        faults: emulator.faults,
        client: (fetch, signal, timeout) => {
          const client = illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch, signal, timeout, jobPollInterval: 2_000, ...common });
          return {
            listing: () => client.events.list({ pageSize: 7, mode: 'sync' }),
            extras: {
              get: () => client.events.get(hrefs[2] as string),
              exported: () => client.events.list({ pageSize: 7, mode: 'async' }).toArray(),
            },
          };
        },
      };
    }
    case 'informatica': {
      const emulator = informaticaEmulator.create({ seed: 1, events: 30, clock, rateLimit });
      const ids = emulator.store.events.all().map((event) => event.eventId);
      return {
        fetch: emulator.fetch,
        faults: emulator.faults,
        client: (fetch, signal, timeout) => {
          const client = informatica({ baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com', username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password, fetch, signal, timeout, ...common });
          return {
            listing: () => client.events.list({ pageSize: 8, range: 'LAST_30_DAYS' }),
            extras: {
              get: (own) => client.events.get(ids[1] as number, { signal: own }),
              children: (own) => client.events.get(ids[2] as number, { children: 'flatten', signal: own }),
            },
          };
        },
      };
    }
  }
}

async function collect<T>(listing: Paginated<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of listing.byPage()) out.push(...page.items);
  return out;
}

/** How an operation ends: run to its end, `break` after `after` items or pages, or its own signal at `at` (vendor ms). */
const STOPS = ['end', 'break', 'own'] as const;
const KINDS = ['items', 'pages', 'extra', 'watch'] as const;

const opOf = fc.record({
  kind: fc.constantFrom(...KINDS),
  /** Which of the vendor's other endpoints. */
  extra: fc.nat(),
  /** Vendor ms after the scenario's start. */
  startAt: fc.integer({ min: 0, max: 60_000 }),
  stop: fc.constantFrom(...STOPS),
  after: fc.integer({ min: 1, max: 12 }),
  at: fc.integer({ min: 0, max: 90_000 }),
});

const scenarioOf = fc.record({
  ops: fc.array(opOf, { minLength: 3, maxLength: 10 }),
  /** When the client's own signal aborts, if it does. */
  clientAbortAt: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 150_000 }) }),
  /** When `closeRateLimiters()` is called under the operations. */
  closeAt: fc.array(fc.integer({ min: 0, max: 120_000 }), { maxLength: 2 }),
  /** When FUJITSU's tokens are made to expire early. */
  expireAt: fc.array(fc.integer({ min: 0, max: 120_000 }), { maxLength: 2 }),
  faults: fc.record({
    probability: fc.constantFrom(0, 0.05, 0.12, 0.3),
    seed: fc.nat(),
    retryAfter: fc.integer({ min: 1, max: 20 }),
    latency: fc.constantFrom(0, 500, 4_000),
    resets: fc.boolean(),
    truncates: fc.boolean(),
  }),
  /** The clients' per-attempt timeout, real ms (timeouts are wall-clock, README): short enough that slow answers meet it. */
  timeout: fc.constantFrom(undefined, undefined, 6),
});

type Scenario = typeof scenarioOf extends fc.Arbitrary<infer T> ? T : never;
type Op = Scenario['ops'][number];

/** Waits `ms` vendor milliseconds on the real clock. */
const vendorWait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms * SCALE));

/** An AbortController whose signal's abort listeners can be counted once everything settled. */
function countedSignal(label: string) {
  const controller = new AbortController();
  const reason = new Error(`${label} aborted by the test`);
  return { controller, signal: controller.signal, reason, abort: () => controller.abort(reason), label };
}

interface Outcome {
  op: Op;
  ok: boolean;
  error?: unknown;
  /** Ids delivered, and the cursor of the last page (of a listing page by page, or a watch). */
  delivered: string[];
  cursor: string | undefined;
  own: ReturnType<typeof countedSignal> | undefined;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));

/** The kinds of handle the process holds now, counted. */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** Those of `now` beyond `before`, once the stragglers of the emulator (its slow answers) are done. */
async function leftOver(before: Map<string, number>): Promise<Record<string, number>> {
  let extra: Record<string, number> = {};
  for (let tries = 0; tries < 50; tries++) {
    extra = {};
    for (const [kind, count] of resources()) if (count > (before.get(kind) ?? 0)) extra[kind] = count - (before.get(kind) ?? 0);
    if (Object.keys(extra).length === 0) return extra;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return extra;
}

interface LimiterEntry {
  held?: number;
  built?: { idleSince?(now: number): number | undefined };
}

/** The process's limiters by key (`rate-limit.ts`). */
function limiterRegistry(): Map<string, LimiterEntry> {
  return (globalThis as Record<symbol, Map<string, LimiterEntry> | undefined>)[Symbol.for('tributary.rateLimiters.v1')] ?? new Map();
}

/** The keys' vendors of the limiters that have work queued or running, or that a request still holds. */
function busyLimiters(): string[] {
  const busy: string[] = [];
  for (const [key, entry] of limiterRegistry()) {
    // Far ahead: a pause or a window still in force is not work left behind.
    if ((entry.held ?? 0) > 0 || entry.built?.idleSince?.(performance.now() + 1e9) === undefined) busy.push(key.split(' ')[0] as string);
  }
  return busy;
}

/** Whether a request holds the limiter of `vendor`'s requests (not its logins'). */
function heldLimiter(vendor: VendorName): boolean {
  return [...limiterRegistry()].some(([key, entry]) => key.startsWith(`${vendor} `) && !key.includes('//identity.') && (entry.held ?? 0) > 0);
}

/** What the test's fetch saw: 429s of the emulator's own limit, logins answered and in flight at once. */
function recording(fetch: Fetch) {
  const seen = { own429: 0, logins: 0, loginsInFlight: 0, maxLoginsInFlight: 0 };
  const wrapped: Fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const login = request.method === 'POST' && new URL(request.url).pathname === '/v3/auth/tokens';
    if (login) {
      seen.loginsInFlight += 1;
      seen.maxLoginsInFlight = Math.max(seen.maxLoginsInFlight, seen.loginsInFlight);
    }
    try {
      const response = await fetch(input, init);
      if (response.status === 429 && !response.headers.has(INJECTED)) seen.own429 += 1;
      if (login && response.status === 201) seen.logins += 1;
      return response;
    } finally {
      if (login) seen.loginsInFlight -= 1;
    }
  };
  return { seen, fetch: wrapped };
}

async function runOp(op: Op, client: Client, own: ReturnType<typeof countedSignal> | undefined, clock: Clock): Promise<Outcome> {
  const outcome: Outcome = { op, ok: false, delivered: [], cursor: undefined, own };
  await vendorWait(op.startAt);
  const stopAfter = op.stop === 'break' ? op.after : Infinity;
  try {
    switch (op.kind) {
      case 'items': {
        let n = 0;
        for await (const item of client.listing()) {
          outcome.delivered.push(item.id);
          if (++n >= stopAfter) break;
        }
        break;
      }
      case 'pages': {
        let n = 0;
        for await (const page of client.listing().byPage()) {
          outcome.delivered.push(...page.items.map((item) => item.id));
          outcome.cursor = page.cursor;
          if (++n >= stopAfter) break;
        }
        break;
      }
      case 'watch': {
        // Without a stop of its own a watch ends after some pages.
        const limit = Math.min(stopAfter, op.after + 3);
        let n = 0;
        const pages: AsyncIterable<Page<{ id: string }>> = watch(client.listing(), { interval: 10_000, clock, ...(own === undefined ? {} : { signal: own.signal }) });
        for await (const page of pages) {
          outcome.delivered.push(...page.items.map((item) => item.id));
          outcome.cursor = page.cursor;
          if (++n >= limit) break;
        }
        break;
      }
      case 'extra': {
        const extras = Object.values(client.extras);
        const extra = extras[op.extra % extras.length] as Extra;
        await extra(own?.signal);
        break;
      }
    }
    outcome.ok = true;
  } catch (error) {
    outcome.error = error;
  }
  return outcome;
}

/** Whether `op` has a signal of its own: a watch, and Informatica's gets. */
const takesOwnSignal = (name: VendorName, op: Op): boolean => op.kind === 'watch' || (op.kind === 'extra' && name === 'informatica');

interface Figures {
  runs: number;
  ok: number;
  aborted: number;
  ownAborted: number;
  faulted: number;
  broken: number;
  resumed: number;
  closes: number;
  faults: number;
  logins: number;
}

const noFigures = (): Figures => ({ runs: 0, ok: 0, aborted: 0, ownAborted: 0, faulted: 0, broken: 0, resumed: 0, closes: 0, faults: 0, logins: 0 });

/** Resolves with `promise`'s outcome, or with `'hang'` when it has not settled within `ms` real milliseconds. */
async function bounded<T>(promise: Promise<T>, ms: number): Promise<T | 'hang'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), ms)));
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(name: VendorName, scenario: Scenario, figures: Figures): Promise<void> {
  await closeRateLimiters();
  figures.runs += 1;
  unhandled.length = 0;
  const clock = scaledClock(SCALE);
  const vendor = vendorOf(name, clock);
  // The ground truth: the whole listing, before any fault; then the emulator's window starts afresh.
  const truth = (await vendor.client(vendor.fetch, undefined).listing().toArray()).map((item) => item.id);
  expect(truth.length).toBeGreaterThan(10);
  await closeRateLimiters();
  // The emulator's window forgets those requests, as the new limiter does.
  await vendorWait(LIMITS[name].interval);
  const before = resources();
  const { seen, fetch } = recording(vendor.fetch);
  const clientSignal = countedSignal('the client');
  const client = vendor.client(fetch, clientSignal.signal, scenario.timeout);

  const { faults } = scenario;
  const added = [];
  if (faults.probability > 0) {
    const schedule = (n: number) => ({ probability: faults.probability, seed: faults.seed + n });
    // A 429 of its own kind, marked, so that those of the emulator's own limit are told apart.
    added.push(vendor.faults.add({ kind: 'status', status: 429, headers: { 'Retry-After': String(faults.retryAfter), [INJECTED]: '1' }, schedule: schedule(1) }));
    added.push(vendor.faults.add({ kind: 'status', status: 503, headers: { 'Retry-After': '1' }, schedule: schedule(2) }));
    if (faults.resets) added.push(vendor.faults.add({ kind: 'reset', schedule: schedule(3) }));
    if (faults.truncates) added.push(vendor.faults.add({ kind: 'truncate', fraction: 0.4, schedule: schedule(5) }));
    if (faults.latency > 0) added.push(vendor.faults.add({ kind: 'latency', ms: faults.latency, schedule: { probability: 0.3, seed: faults.seed + 4 } }));
  }

  const started = performance.now();
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  const later = (ms: number, action: () => void): void => void timers.push(setTimeout(action, ms * SCALE));
  const closing: Array<Promise<void>> = [];
  let expired = 0;
  if (scenario.clientAbortAt !== undefined) later(scenario.clientAbortAt, clientSignal.abort);
  // A close that finds the key's limiter held keeps it; one that finds it idle forgets it, window and
  // all (a fresh start), and a new limiter may then send a window's requests into the vendor's.
  let forgotten = 0;
  for (const at of scenario.closeAt) {
    later(at, () => {
      figures.closes += 1;
      if (!heldLimiter(name)) forgotten += 1;
      closing.push(closeRateLimiters());
    });
  }
  if (vendor.expireTokens !== undefined) {
    const expire = vendor.expireTokens;
    for (const at of scenario.expireAt) {
      later(at, () => {
        expired += 1;
        expire();
      });
    }
  }
  const owns = scenario.ops.map((op) => (takesOwnSignal(name, op) ? countedSignal('its own signal') : undefined));
  for (const [index, op] of scenario.ops.entries()) {
    const own = owns[index];
    if (own !== undefined && op.stop === 'own') later(op.startAt + op.at, own.abort);
  }
  const outcomes = await Promise.all(scenario.ops.map((op, index) => bounded(runOp(op, client, owns[index], clock), SETTLE_WITHIN_MS)));
  const elapsed = (performance.now() - started) / SCALE;
  for (const timer of timers) clearTimeout(timer);
  await Promise.all(closing);

  // Every operation settled, as its stop explains.
  for (const [index, outcome] of outcomes.entries()) {
    const op = scenario.ops[index] as Op;
    expect(outcome, `operation ${index} (${op.kind}) hangs`).not.toBe('hang');
    if (outcome === 'hang') continue;
    if (outcome.ok) {
      figures.ok += 1;
      if (op.stop === 'break') figures.broken += 1;
      // Read to its end: the whole listing, each event once.
      const whole = (op.kind === 'items' || op.kind === 'pages') && op.stop !== 'break';
      if (whole) expect(outcome.delivered, `operation ${index} (${op.kind}) read to its end`).toEqual(truth);
      continue;
    }
    const { error } = outcome;
    if (clientSignal.signal.aborted && error === clientSignal.reason) figures.aborted += 1;
    else if (outcome.own?.signal.aborted === true && error === outcome.own.reason) figures.ownAborted += 1;
    else if (isTributaryError(error)) figures.faulted += 1;
    else expect.fail(`operation ${index} (${op.kind}, stop ${op.stop}) failed with ${String(error)}${error instanceof Error ? `\n${error.stack}` : ''}`);
  }
  expect(unhandled, 'unhandled rejections').toEqual([]);

  // Nothing left behind.
  for (const signal of [clientSignal, ...owns]) {
    if (signal !== undefined) expect(getEventListeners(signal.signal, 'abort'), `abort listeners left on ${signal.label}`).toHaveLength(0);
  }
  // A request a `break` aborted lets its limiter go a few turns of the event loop after the loop ended.
  let busy = busyLimiters();
  for (let tries = 0; tries < 50 && busy.length > 0; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    busy = busyLimiters();
  }
  expect(busy, 'limiters not idle').toEqual([]);
  expect(await leftOver(before), 'handles left behind').toEqual({});

  // The emulator's own limit refused nothing the client's limiter let through.
  figures.faults += added.reduce((sum, fault) => sum + fault.fired, 0);
  expect(seen.own429, `429s of the emulator's own limit (${forgotten} idle limiters forgotten)`).toBeLessThanOrEqual(forgotten * LIMITS[name].requests);

  // One login per token lifetime, and per forced expiry, at most; one at a time.
  if (name === 'fujitsu') {
    figures.logins += seen.logins;
    expect(seen.maxLoginsInFlight, 'logins in flight at once').toBeLessThanOrEqual(1);
    expect(seen.logins, `logins over ${Math.round(elapsed)} vendor ms with ${expired} forced expiries`).toBeLessThanOrEqual(1 + Math.floor(elapsed / (0.75 * TOKEN_TTL)) + expired);
  }

  // A listing's last cursor resumes to exactly the rest of it.
  for (const fault of added) fault.remove();
  await closeRateLimiters();
  await vendorWait(LIMITS[name].interval);
  const reader = vendor.client(vendor.fetch, undefined);
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome === 'hang' || outcome.cursor === undefined) continue;
    const rest: string[] = [];
    for await (const page of reader.listing().byPage({ cursor: outcome.cursor })) rest.push(...page.items.map((item) => item.id));
    expect([...outcome.delivered, ...rest], `operation ${index} (${outcome.op.kind}) resumed from its last cursor`).toEqual(truth);
    figures.resumed += 1;
  }
  await closeRateLimiters();
}

async function check(name: VendorName, numRuns: number, seed: number): Promise<Figures> {
  const figures = noFigures();
  await fc.assert(
    fc.asyncProperty(scenarioOf, (scenario) => run(name, scenario, figures)),
    { numRuns, seed, interruptAfterTimeLimit: PROPERTY_BUDGET.interruptAfter, markInterruptAsFailure: true, endOnFailure: true },
  );
  return figures;
}

/** The scenarios reached what they are for. */
function reached(name: VendorName, figures: Figures): void {
  expect(figures.ok).toBeGreaterThan(10);
  expect(figures.broken).toBeGreaterThan(3);
  expect(figures.aborted).toBeGreaterThan(3);
  expect(figures.faulted).toBeGreaterThan(0);
  expect(figures.faults).toBeGreaterThan(20);
  expect(figures.resumed).toBeGreaterThan(10);
  expect(figures.closes).toBeGreaterThan(5);
  if (name === 'informatica') expect(figures.ownAborted).toBeGreaterThan(0);
  if (name === 'fujitsu') expect(figures.logins).toBeGreaterThan(figures.runs);
}

describe('one client under concurrent use, at random', () => {
  it.each(VENDOR_NAMES.map((name, index) => [name, index] as const))('%s: every operation settles as its stop says, and leaves nothing behind', async (name, index) => {
    const figures = await check(name, 20, 9_100 + index);
    reached(name, figures);
  }, PROPERTY_BUDGET.test);
});
