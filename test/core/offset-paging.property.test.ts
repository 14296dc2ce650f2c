/**
 * Offset paging with pages fetched in parallel (`offset.ts`, `overlap.ts`, `predecessor.ts`), model-
 * checked against a seeded server store that changes while several pages are in flight. The store is
 * kept in list order by a rank: items fail later at the tail (Socotra's failed jobs, oldest first) or
 * become visible at the head (a newest-first search); the consumer resumes or deletes what it reads,
 * all of it, some of it or none. Each request takes a random number of turns of the event loop to be
 * answered (answers come out of order; nothing waits on real time), changes the store when it arrives
 * and when it is answered, now and then fails as the request pipeline fails once its retries are spent
 * (a 503, a reset connection, a 429 with `Retry-After`, a body of the wrong shape), and reports the
 * total as of its arrival, of its answer, or not at all. Listings are abandoned at random and resumed
 * from the last page's cursor by a new strategy, as a new process would, now and then with another
 * page size; `maxLimit` is drawn down to just above the re-read, so that it caps the pages.
 *
 * Promised (README "Failed jobs page by offset", "Offsets can shift anyway", "Pages four at a time";
 * `offset.ts`, `overlap.ts`), and checked page by page:
 * - nothing lost: every item listed when the listing began, and every item that failed later at the
 *   tail, is delivered, by the listing or by its tail cursor resumed once nothing changes;
 * - no item twice within one iteration, however the store changed; nor again after a cursor, unless at
 *   least `OVERLAP_ITEMS` items left between the read before that cursor's page and now, or a lost
 *   position was looked for and none of the remembered items was within `maxLimit` of the start (a
 *   repeat then beats a loss, README); items joining at the head, within what `overlap.ts` provides
 *   for (no more between two reads than a page brings), are held to the first rule only;
 * - in order: within an iteration, items come in list order, but for those that joined at the head;
 * - never more than `concurrency` requests in flight, and the widest concurrency is reached;
 * - once an iteration ends (its last page, a `break`, a failure), no request of it is left pending
 *   un-aborted: guessed pages past a short page are dropped, never delivered;
 * - a failed page surfaces as the typed error the pipeline raised, and the last cursor resumes the
 *   listing without loss.
 *
 * Then the same through the clients, over their emulators and a wire that delays each answer by a
 * random number of turns and now and then resets the connection, answers a 502 page, a 429 with
 * `Retry-After` or a 200 of the wrong shape: Socotra's `schedules.failed.list` (jobs resumed as they
 * are read, jobs failing meanwhile, the tail cursor) and Informatica's `events.list` under its 5
 * requests a minute, enforced by the emulator and kept by the client's own limiter (events becoming
 * visible late inside the window). Each delivers an item at most once per iteration, loses none, has
 * at most 4 requests in flight, and Informatica's emulator never answers a 429 of its own. Time is a
 * scaled clock: back-off, `Retry-After` and the minute's window last milliseconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError, NetworkError, RateLimitError, ResponseValidationError, isTributaryError } from '../../src/core/errors.js';
import { decodeCursor, queryFingerprint, type CursorBinding } from '../../src/core/cursor.js';
import { offsetStrategy, type OffsetPage, type OffsetRequest } from '../../src/core/paginate/offset.js';
import { OVERLAP_ITEMS } from '../../src/core/paginate/overlap.js';
import { paginate } from '../../src/core/paginate/paginate.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { scaledClock } from '../../src/core/clock.js';
import { socotra, type SocotraFailedJob } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { informatica, type InformaticaTributaryEvent } from '../../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { connectionResetError } from '../../src/testing/network-error.js';
import { createRng, type Rng } from '../../src/testing/rng.js';
import { PROPERTY_BUDGET } from '../support/property-timeout.js';

const SOCOTRA_HOST = 'https://api-ec-sandbox.socotra.com';
const INFORMATICA_POD = 'https://cih-pod1.dm-us.informaticacloud.com';

interface Item {
  id: string;
  /** The item's place in the list: the store is always sorted by it. */
  rank: number;
}

const scenarioOf = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  size: fc.integer({ min: 0, max: 120 }),
  pageSize: fc.integer({ min: 1, max: 30 }),
  concurrency: fc.integer({ min: 1, max: 5 }),
  maxLimit: fc.constantFrom(OVERLAP_ITEMS + 1, 25, 40, 1000, 1000),
  /** Whether the server sends the total, counted when the request arrives or when it is answered. */
  total: fc.constantFrom('none' as const, 'arrival' as const, 'answer' as const),
  /** What the consumer does with an item it reads: nothing, resume (remove) it, or either at random. */
  consumer: fc.constantFrom('keep' as const, 'drain' as const, 'some' as const),
  /** Where items join while the listing runs. */
  growth: fc.constantFrom('none' as const, 'tail' as const, 'head' as const),
  failRate: fc.constantFrom(0, 0.03, 0.1),
  abandonRate: fc.constantFrom(0, 0.1, 0.3),
});
type Scenario = typeof scenarioOf extends fc.Arbitrary<infer T> ? T : never;

const FAULTS = ['503', 'reset', '429', 'shape'] as const;

/** The error the request pipeline raises once its retries are spent. */
function failure(kind: (typeof FAULTS)[number]): Error {
  const context = { provider: 'socotra' as const, operation: 'schedules.failed.list', method: 'GET', url: 'https://api.example.com/jobs' };
  switch (kind) {
    case '503':
      return new HttpError('503 Service Unavailable', { ...context, status: 503 });
    case 'reset':
      return new NetworkError('fetch failed: ECONNRESET', { provider: 'socotra', operation: 'schedules.failed.list' });
    case '429':
      return new RateLimitError('429 Too Many Requests', { ...context, status: 429, retryAfterMs: 30_000 });
    case 'shape':
      return new ResponseValidationError('expected an array', { provider: 'socotra', operation: 'schedules.failed.list', issues: ['expected array'], raw: {} });
  }
}

/** A list that changes while it is read, served by offset, with its requests counted. */
class Server {
  items: Item[] = [];
  /** Every item ever listed, by id. */
  readonly ever = new Map<string, Item>();
  private tail = 0;
  private grown = 0;
  private head = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** Set for the tail read at the end: the store no longer changes, no request fails. */
  quiet = false;
  /** The requests of the current iteration, with whether they have settled. */
  calls: Array<{ signal: AbortSignal; settled: boolean }> = [];

  constructor(
    private readonly rng: Rng,
    private readonly scenario: Scenario,
  ) {
    this.append(scenario.size);
  }

  append(count: number): number {
    for (let i = 0; i < count; i++) this.add({ id: `t${this.tail}`, rank: this.tail++ }, this.items.length);
    return count;
  }

  /** The rank below every other: a newest-first search's late event. */
  prepend(): number {
    this.head -= 1;
    this.add({ id: `h${-this.head}`, rank: this.head }, 0);
    return 1;
  }

  remove(id: string): void {
    const index = this.items.findIndex((item) => item.id === id);
    if (index >= 0) this.items.splice(index, 1);
  }

  private add(item: Item, at: number): void {
    this.items.splice(at, 0, item);
    this.ever.set(item.id, item);
  }

  /**
   * The store changes around a request: items fail at the tail, or become visible at the head (one at
   * most as each request arrives: README promises nothing when more join between two reads than a page
   * holds, see `run`). A budget, so that a listing of small pages ends: a store that grows faster than
   * it is read never does.
   */
  private grow(arrival: boolean): void {
    const { growth } = this.scenario;
    if (this.quiet || this.grown >= 40) return;
    if (growth === 'tail' && this.rng.chance(0.4)) this.grown += this.append(this.rng.int(1, 3));
    if (growth === 'head' && arrival && this.rng.chance(0.3)) this.grown += this.prepend();
  }

  readonly fetchPage = (request: OffsetRequest, signal: AbortSignal): Promise<OffsetPage<Item>> => {
    const call = { signal, settled: false };
    this.calls.push(call);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.grow(true);
    const countedOnArrival = this.items.length;
    const fault = !this.quiet && this.rng.chance(this.scenario.failRate) ? failure(this.rng.pick(FAULTS)) : undefined;
    let turns = this.rng.int(0, 6);
    return new Promise<OffsetPage<Item>>((resolve, reject) => {
      const settle = (): void => {
        call.settled = true;
        this.inFlight -= 1;
        signal.removeEventListener('abort', onAbort);
      };
      // A request aborted is no longer in flight: `fetch` rejects at once.
      const onAbort = (): void => {
        settle();
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort);
      const answer = (): void => {
        if (call.settled) return;
        if (turns-- > 0) return void setImmediate(answer);
        this.grow(false);
        settle();
        if (fault !== undefined) return reject(fault);
        const items = this.items.slice(request.offset, request.offset + request.limit).map((item) => ({ ...item }));
        const { total } = this.scenario;
        resolve(total === 'none' ? { items } : { items, total: total === 'arrival' ? countedOnArrival : this.items.length });
      };
      setImmediate(answer);
    });
  };
}

function listingOf(server: Server, scenario: Scenario, pageSize: number) {
  return paginate<Item, Item, unknown>({
    provider: 'socotra',
    operation: 'schedules.failed.list',
    query: {},
    // A new strategy for every iteration: what one remembers in memory, a new process has not.
    strategy: offsetStrategy<Item>({ fetchPage: server.fetchPage, key: (item) => item.id, maxLimit: scenario.maxLimit, concurrency: scenario.concurrency }) as never,
    normalize: (items) => items,
    pageSize,
  });
}

interface Figures {
  runs: number;
  iterations: number;
  failures: number;
  abandoned: number;
  repeats: number;
  maxInFlight: number;
}

const binding: CursorBinding = { provider: 'socotra', query: queryFingerprint({}), kind: 'offset' };
const validator = offsetStrategy<Item>({ fetchPage: () => Promise.reject(new Error('unused')), key: (item) => item.id, maxLimit: 1000 });

/** What a cursor remembers: the keys of the items right before its position, and how often it was lost. */
const positionOf = (cursor: string | undefined): { p: string[]; r: number } =>
  cursor === undefined ? { p: [], r: 0 } : decodeCursor(cursor, binding, (state) => validator.validate(state));

async function run(drawn: Scenario, figures: Figures): Promise<void> {
  // With up to `concurrency` requests arriving between two reads, each adding an item at the head, a
  // page must bring more new items than that (`overlap.ts`: no more items join between two reads than
  // a page holds; a page brings at most `maxLimit - OVERLAP_ITEMS`).
  const smallest = drawn.growth === 'head' ? drawn.concurrency + 2 : 1;
  const scenario = { ...drawn, maxLimit: Math.max(drawn.maxLimit, OVERLAP_ITEMS + smallest) };
  const rng = createRng(scenario.seed);
  const server = new Server(rng.fork(), scenario);
  const delivered = new Set<string>();
  let cursor: string | undefined;
  /**
   * Items the consumer removed, all behind the position; how many it had removed when the read before
   * `cursor`'s page was made; whether a lost position was looked for and not found again since.
   */
  let removals = 0;
  let mark = 0;
  let restarted = false;
  let pageSize = Math.max(smallest, scenario.pageSize);
  let complete = false;
  /** One iteration, from `cursor`: checks each page as it comes, and what is left behind at its end. */
  const iterate = async (abandonRate: number): Promise<void> => {
    figures.iterations += 1;
    server.calls = [];
    const since = mark;
    // A page's keys are those the read before it left, and what its own read added: departures since
    // the read before count against them.
    let previousRead = since;
    // Page k of an iteration is requested once page k - concurrency is handed out (the first pages
    // once the first is): the consumer's departures after that come after its read.
    const handedOut: number[] = [];
    const requestedAt = (k: number): number => (k === 0 ? removals : (handedOut[Math.max(0, k - scenario.concurrency)] as number));
    const mine = new Set<string>();
    let lastRank = -Infinity;
    try {
      for await (const page of listingOf(server, scenario, pageSize).byPage({ cursor, pageSize })) {
        // README: fewer than `OVERLAP_ITEMS` departures between two reads cost nothing more; after more,
        // a still-listed item delivered before it may come again, never one delivered in this iteration.
        // Items joining at the head push remembered items along as departures pull them: the keys a
        // cursor keeps then run out sooner than either alone (`overlap.ts`), so only a repeat within an
        // iteration is a failure there.
        const repeats = removals - since >= OVERLAP_ITEMS || restarted || scenario.growth === 'head';
        const remembered = positionOf(cursor).p;
        const read = requestedAt(handedOut.length);
        handedOut.push(removals);
        for (const item of page.items) {
          expect(server.ever.has(item.id), `${item.id} was never listed`).toBe(true);
          expect(mine.has(item.id), `${item.id} twice in one iteration`).toBe(false);
          mine.add(item.id);
          if (delivered.has(item.id)) {
            expect(repeats, `${item.id} again, after ${removals - since} departures since the read before the cursor`).toBe(true);
            figures.repeats += 1;
          } else if (item.rank >= 0) {
            // In list order, but for items that joined ahead of others (behind the position, which a
            // re-read may deliver as new).
            expect(item.rank, `${item.id} after rank ${lastRank}`).toBeGreaterThan(lastRank);
            lastRank = item.rank;
          }
          delivered.add(item.id);
          if (scenario.consumer === 'drain' || (scenario.consumer === 'some' && rng.chance(0.5))) {
            server.remove(item.id);
            removals += 1;
          }
        }
        // A page read where a lost position was looked for. Unless it found one of the items the page
        // before remembered among the first `maxLimit` (and the position after it), it started over
        // from the first item, and repeats the items delivered before that are still listed, on this
        // page and the next ones, until it passes where the listing was (README: a repeat, not a loss).
        const lostBefore = positionOf(page.cursor).r !== positionOf(cursor).r;
        if (!lostBefore) mark = previousRead;
        previousRead = read;
        if (lostBefore && !server.items.slice(0, scenario.maxLimit).some((item) => remembered.includes(item.id))) restarted = true;
        cursor = page.cursor;
        if (!page.hasMore) complete = true;
        else if (rng.chance(abandonRate)) {
          figures.abandoned += 1;
          break;
        }
      }
    } catch (error) {
      // The very error of the failed page, typed; the loop then resumes from the last cursor.
      expect(isTributaryError(error), String(error)).toBe(true);
      figures.failures += 1;
    }
    // Nothing of the iteration is left running: every request answered or aborted.
    expect(server.calls.filter((call) => !call.settled && !call.signal.aborted)).toEqual([]);
    expect(server.inFlight).toBe(0);
  };
  for (let iteration = 0; !complete; iteration++) {
    expect(iteration).toBeLessThan(500);
    if (iteration > 0 && rng.chance(0.3)) pageSize = rng.int(smallest, 30);
    await iterate(scenario.abandonRate);
  }
  // The tail cursor, resumed once nothing changes, yields what failed after the listing's last read.
  server.quiet = true;
  complete = false;
  await iterate(0);
  expect(complete).toBe(true);
  expect(server.maxInFlight).toBeLessThanOrEqual(scenario.concurrency);
  figures.maxInFlight = Math.max(figures.maxInFlight, server.maxInFlight);
  // Nothing lost: every item listed at the start or failed later at the tail, removed only once read.
  const lost = [...server.ever.values()].filter((item) => item.rank >= 0 && !delivered.has(item.id));
  expect(lost.map((item) => item.id)).toEqual([]);
}

describe('offset paging with pages in parallel, against a model (property)', () => {
  it('loses nothing, repeats nothing, keeps order and the concurrency, through changes, failures, out-of-order answers and resumes', async () => {
    const figures: Figures = { runs: 0, iterations: 0, failures: 0, abandoned: 0, repeats: 0, maxInFlight: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioOf, async (scenario) => {
        figures.runs += 1;
        await run(scenario, figures);
      }),
      { numRuns: 500, interruptAfterTimeLimit: PROPERTY_BUDGET.interruptAfter, markInterruptAsFailure: true },
    );
    // The cases drawn reach what they are meant to: failures, abandoned listings, repeats after
    // departures, and every page of the widest concurrency in flight at once.
    expect(figures.failures).toBeGreaterThan(100);
    expect(figures.abandoned).toBeGreaterThan(200);
    expect(figures.repeats).toBeGreaterThan(0);
    expect(figures.maxInFlight).toBe(5);
  }, PROPERTY_BUDGET.test);
});

/**
 * The wire between a vendor's client and its emulator: each request answered after a random number of
 * turns of the event loop (out of order), or, now and then, not by the emulator: a reset connection, a
 * 502 page, a 429 with `Retry-After`, a 200 of the wrong shape. Counts what is in flight, and the
 * statuses the emulator itself answered.
 */
function wireOf(inner: typeof globalThis.fetch, rng: Rng, faultRate: number, around: () => void) {
  /** `quiet`: no more faults, and `around` no longer called (the store stops changing). */
  const wire = { inFlight: 0, maxInFlight: 0, vendorStatuses: [] as number[], faults: 0, quiet: false };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    wire.inFlight += 1;
    wire.maxInFlight = Math.max(wire.maxInFlight, wire.inFlight);
    try {
      const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
      for (let turns = rng.int(0, 5); turns > 0; turns--) {
        await new Promise((resolve) => setImmediate(resolve));
        signal?.throwIfAborted();
      }
      if (!wire.quiet) around();
      if (!wire.quiet && rng.chance(faultRate)) {
        wire.faults += 1;
        switch (rng.int(0, 3)) {
          case 0:
            throw connectionResetError();
          case 1:
            return new Response('<html><body>Bad Gateway</body></html>', { status: 502, headers: { 'content-type': 'text/html' } });
          case 2:
            return new Response('{}', { status: 429, headers: { 'retry-after': '1', 'content-type': 'application/json' } });
          default:
            return new Response('{"unexpected":true}', { status: 200, headers: { 'content-type': 'application/json' } });
        }
      }
      const response = await inner(input, init);
      wire.vendorStatuses.push(response.status);
      return response;
    } finally {
      wire.inFlight -= 1;
    }
  };
  return { wire, fetch };
}

const vendorScenarioOf = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  size: fc.integer({ min: 0, max: 60 }),
  pageSize: fc.integer({ min: 1, max: 12 }),
  consumer: fc.constantFrom('keep' as const, 'drain' as const, 'some' as const),
  faultRate: fc.constantFrom(0, 0.05, 0.15),
  abandonRate: fc.constantFrom(0, 0.2),
});
type VendorScenario = typeof vendorScenarioOf extends fc.Arbitrary<infer T> ? T : never;

/** A listing of a vendor's client, read as `run` reads the engine's: what it checks of each page, and the end. */
interface VendorListing<T> {
  list(pageSize: number): Paginated<T>;
  id(item: T): string;
  /** The consumer resumes or deletes it. */
  remove(item: T): void;
}

/**
 * Reads `listing` to its end through iterations abandoned at random, failures and new page sizes, as
 * `run` does; returns every id delivered. Checks that no iteration delivers an item twice and that a
 * failure is a typed error.
 */
async function readThrough<T>(listing: VendorListing<T>, scenario: VendorScenario, rng: Rng): Promise<{ delivered: string[]; failures: number; cursor: string | undefined; pageSize: number }> {
  const delivered: string[] = [];
  let cursor: string | undefined;
  let pageSize = scenario.pageSize;
  let failures = 0;
  for (let iteration = 0, complete = false; !complete; iteration++) {
    expect(iteration).toBeLessThan(300);
    if (iteration > 0 && rng.chance(0.3)) pageSize = rng.int(1, 12);
    const mine = new Set<string>();
    try {
      for await (const page of listing.list(pageSize).byPage(cursor === undefined ? {} : { cursor })) {
        for (const item of page.items) {
          const id = listing.id(item);
          expect(mine.has(id), `${id} twice in one iteration`).toBe(false);
          mine.add(id);
          delivered.push(id);
          if (scenario.consumer === 'drain' || (scenario.consumer === 'some' && rng.chance(0.5))) listing.remove(item);
        }
        cursor = page.cursor;
        if (!page.hasMore) complete = true;
        else if (rng.chance(scenario.abandonRate)) break;
      }
    } catch (error) {
      expect(isTributaryError(error), String(error)).toBe(true);
      failures += 1;
    }
  }
  return { delivered, failures, cursor, pageSize };
}

describe('Socotra failed jobs and Informatica events, pages four at a time over a hostile wire (property)', () => {
  it('Socotra schedules.failed.list: every job once per iteration, none lost, jobs that fail meanwhile from the tail, at most 4 in flight', async () => {
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(vendorScenarioOf, async (scenario) => {
        const rng = createRng(scenario.seed);
        const clock = scaledClock(0.001);
        const emulator = socotraEmulator.create({ seed: scenario.seed, events: 0, failedJobs: scenario.size, clock });
        const listed = () => emulator.store.failedJobs(() => true, 0, Number.MAX_SAFE_INTEGER).map((job) => job.triggerName);
        const ever = new Set(listed());
        let failed = 0;
        // A job that fails while the listing runs joins the end of the list (VENDORS.md: oldest first).
        const fail = (): void => {
          if (failed >= 20 || !rng.chance(0.2)) return;
          failed += 1;
          const at = new Date(Date.UTC(2027, 0, 1, 0, 0, failed)).toISOString();
          emulator.store.addFailedJob({ triggerName: `later-${failed}`, triggerGroup: 'tenant', failedJobState: 'queued', failureCount: 1, createdAt: at, updatedAt: at });
          ever.add(`later-${failed}`);
        };
        const { wire, fetch } = wireOf(emulator.fetch, rng.fork(), scenario.faultRate, fail);
        const client = socotra({ baseUrl: SOCOTRA_HOST, tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, fetch, clock });
        const listing: VendorListing<SocotraFailedJob> = {
          list: (pageSize) => client.schedules.failed.list({ pageSize }),
          id: (job) => job.triggerName,
          remove: (job) => void emulator.store.removeFailedJob(job.triggerName, job.triggerGroup),
        };
        const read = await readThrough(listing, scenario, rng);
        failures += read.failures;
        // The tail cursor, once nothing changes, yields the jobs that failed after the last read.
        wire.quiet = true;
        const delivered = new Set(read.delivered);
        for await (const page of listing.list(read.pageSize).byPage({ cursor: read.cursor })) for (const job of page.items) delivered.add(job.triggerName);
        expect([...ever].filter((name) => !delivered.has(name))).toEqual([]);
        expect(wire.maxInFlight).toBeLessThanOrEqual(4);
      }),
      { numRuns: 60, interruptAfterTimeLimit: PROPERTY_BUDGET.interruptAfter, markInterruptAsFailure: true },
    );
    expect(failures).toBeGreaterThan(0);
  }, PROPERTY_BUDGET.test);

  it('Informatica events.list under its 5 a minute: every event once per iteration, none of the window lost, late events and all, never a 429 of its own, at most 4 in flight', async () => {
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(vendorScenarioOf, async (scenario) => {
        const rng = createRng(scenario.seed);
        const clock = scaledClock(0.0005);
        // The vendor's published limit, enforced by the emulator, as the client's own limiter keeps it.
        const emulator = informaticaEmulator.create({ seed: scenario.seed, events: scenario.size, clock, rateLimit: { requests: 5, interval: 60_000 } });
        const since = new Date(clock.now() - 2 * 86_400_000).toISOString();
        const window = new Set(emulator.store.events.all().filter((event) => event.parentEventId === null).map((event) => String(event.eventId)));
        let late = 0;
        // An event becomes visible late, inside the pinned window: it joins the results anywhere.
        const appear = (): void => {
          if (late >= 10 || !rng.chance(0.2)) return;
          late += 1;
          emulator.store.events.add({ createTime: clock.now() - rng.int(60_000, 3_600_000) }, clock.now());
        };
        const { wire, fetch } = wireOf(emulator.fetch, rng.fork(), scenario.faultRate, appear);
        const client = informatica({ baseUrl: INFORMATICA_POD, username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password, fetch, clock });
        const listing: VendorListing<InformaticaTributaryEvent> = {
          list: (pageSize) => client.events.list({ since, pageSize, children: 'nested' }),
          id: (event) => event.id,
          // Events do not leave an unfiltered search.
          remove: () => {},
        };
        const read = await readThrough(listing, scenario, rng);
        failures += read.failures;
        const delivered = new Set(read.delivered);
        expect([...window].filter((id) => !delivered.has(id))).toEqual([]);
        expect(wire.vendorStatuses.filter((status) => status === 429)).toEqual([]);
        expect(wire.maxInFlight).toBeLessThanOrEqual(4);
      }),
      { numRuns: 15, interruptAfterTimeLimit: PROPERTY_BUDGET.interruptAfter, markInterruptAsFailure: true },
    );
    expect(failures).toBeGreaterThan(0);
  }, PROPERTY_BUDGET.test);
});
