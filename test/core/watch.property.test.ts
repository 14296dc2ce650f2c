/**
 * `watch(listing, { checkpoint })` at random, over the five vendors' emulators, alone and through
 * `merge()`: events arrive over the emulated time the watches' intervals move (bursts at one instant,
 * now and then more than a page; events listed late within the minute the README allows), and each
 * process of the consumer ends at a random point: its signal aborted while it holds a page or while the
 * watch waits between polls, `break` before handling a page, `next()` asked and `return()` called at
 * once, a throw from the loop's body, or a crash (nothing more called: the checkpoint is what the next
 * process loads). A save fails now and then, and 429s and 503s come on the way. A new process resumes
 * from the same checkpoint (in memory or in a file) each time, and a last one drains until quiet.
 *
 * Promised (README, `watch.ts`, `checkpoint.ts`, `merge.ts`), and checked for each watch:
 * - every event its listing matches is delivered;
 * - an event is delivered again only as one of a page handled and then not committed (a crash, a throw,
 *   a failed save), once for each such page: clean stops repeat nothing;
 * - after each process the checkpoint holds the cursor of the last page the consumer asked past;
 * - a save that failed is the error the process ends with, unless it crashed or threw first.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCheckpoint, memoryCheckpoint, type AsyncCheckpoint, type Checkpoint } from '../../src/core/checkpoint.js';
import type { Clock } from '../../src/core/clock.js';
import type { Page } from '../../src/core/paginate/types.js';
import { watch } from '../../src/core/watch.js';
import type { ActiveFault } from '../../src/testing/faults.js';
import { emulatedVendor, VENDOR_NAMES, type EmulatedVendor, type VendorName } from '../support/emulated-vendors.js';
import { clocks } from '../support/tail.js';
import { watchedPages } from '../support/watched-pages.js';
import { PROPERTY_BUDGET } from '../support/property-timeout.js';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');
/** The longest an event is listed after its own time: within the overlap's minute, as the README assumes. */
const MAX_LATE_MS = 55_000;
/** Where the events arrive: the first minutes of the scenario; the last process's polls list the rest. */
const HORIZON_MS = 12 * 60_000;
/** Polls of one process at most, should its stop never come (a page stop in a quiet stream). */
const MAX_SLEEPS = 30;

interface Profile {
  pageSize: fc.Arbitrary<number>;
  /** Whether the vendor dates events to the millisecond (else to the second). */
  millis: boolean;
  /** Events at one instant at most: more than a page where the vendor pages past one. */
  crowd: number;
  /** Forms of the service that page differently. */
  flavor: fc.Arbitrary<string>;
  /**
   * Events listed late in a scenario at most: Informatica's README says a cursor resumed later drops
   * up to 10 repeats of events listed late ahead of its offset.
   */
  maxLate: number;
}

const profiles: Record<VendorName, Profile> = {
  socotra: { pageSize: fc.integer({ min: 5, max: 30 }), millis: true, crowd: 40, flavor: fc.constant(''), maxLate: Infinity },
  tines: { pageSize: fc.integer({ min: 7, max: 40 }), millis: true, crowd: 40, flavor: fc.constantFrom('newest-first', 'oldest-first'), maxLate: Infinity },
  // A second holding a whole page fails FUJITSU's marker clearly (tail-settle.property.test.ts).
  fujitsu: { pageSize: fc.integer({ min: 20, max: 60 }), millis: false, crowd: 6, flavor: fc.constantFrom('inclusive', 'exclusive'), maxLate: Infinity },
  illumio: { pageSize: fc.integer({ min: 7, max: 40 }), millis: true, crowd: 40, flavor: fc.constant(''), maxLate: Infinity },
  informatica: { pageSize: fc.integer({ min: 7, max: 40 }), millis: true, crowd: 40, flavor: fc.constant(''), maxLate: 10 },
};

/** The vendors with two filters a tail follows (`emulated-vendors.ts`). */
const FILTERED: readonly VendorName[] = ['tines', 'socotra'];

const STOPS = ['signal', 'signal-wait', 'break', 'next-return', 'throw', 'crash'] as const;
type Stop = (typeof STOPS)[number];

const roundOf = fc.record({
  /** Vendor time before the process starts. */
  gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120_000 })),
  interval: fc.integer({ min: 1_000, max: 90_000 }),
  stop: fc.constantFrom(...STOPS),
  /** The page (or, for `signal-wait`, the wait between polls) the stop comes at. */
  after: fc.integer({ min: 1, max: 10 }),
  /** The save of this process that fails, and the watch's whose checkpoint it is. */
  saveFails: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.record({ nth: fc.integer({ min: 1, max: 4 }), stream: fc.nat() }) },
  ),
});

const arrivalOf = fc.record({
  atMs: fc.integer({ min: 0, max: HORIZON_MS }),
  /** Which vendor of the scenario, and which of its filters' events. */
  vendor: fc.nat(),
  kind: fc.integer({ min: 0, max: 1 }),
  crowded: fc.integer({ min: 0, max: 9 }),
  count: fc.integer({ min: 1, max: 6 }),
  crowdCount: fc.integer({ min: 7, max: 60 }),
  late: fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: MAX_LATE_MS })), { minLength: 6, maxLength: 6 }),
});

/** Events of the half hour before the first process, bursts most of them: its first polls take several pages. */
const backlogOf = fc.record({
  atMs: fc.integer({ min: -30 * 60_000, max: -1 }),
  vendor: fc.nat(),
  kind: fc.integer({ min: 0, max: 1 }),
  crowded: fc.constant(0),
  count: fc.constant(1),
  crowdCount: fc.integer({ min: 1, max: 60 }),
  late: fc.constant([0]),
});

/** The watches of a scenario: one vendor's, two or three vendors' merged, or one vendor's filters merged. */
const streamsOf = (alone: VendorName | undefined) =>
  alone !== undefined
    ? fc.constant([{ vendor: alone, kind: undefined as number | undefined }])
    : fc.oneof(
        fc.shuffledSubarray([...VENDOR_NAMES], { minLength: 2, maxLength: 3 }).map((names) => names.map((vendor) => ({ vendor, kind: undefined as number | undefined }))),
        fc
          .tuple(fc.constantFrom(...FILTERED), fc.boolean())
          .map(([vendor, all]) => [{ vendor, kind: 0 }, { vendor, kind: 1 }, ...(all ? [{ vendor, kind: undefined }] : [])] as Array<{ vendor: VendorName; kind: number | undefined }>),
      );

function scenarioOf(alone: VendorName | undefined) {
  return streamsOf(alone).chain((streams) =>
    fc.record({
      streams: fc.tuple(
        ...streams.map((stream) =>
          fc.record({
            vendor: fc.constant(stream.vendor),
            kind: fc.constant(stream.kind),
            pageSize: profiles[stream.vendor].pageSize,
            flavor: profiles[stream.vendor].flavor,
            file: fc.constantFrom(false, false, true),
          }),
        ),
      ),
      // Now and then often enough that a request's retries run out.
      faults: fc.constantFrom(0, 0, 0.03, 0.08, 0.25),
      faultSeed: fc.nat(),
      arrivals: fc.array(arrivalOf, { maxLength: 25 }),
      backlog: fc.array(backlogOf, { maxLength: 4 }),
      rounds: fc.array(roundOf, { minLength: 1, maxLength: 5 }),
    }),
  );
}

type Scenario = ReturnType<typeof scenarioOf> extends fc.Arbitrary<infer T> ? T : never;
type StreamSetup = Scenario['streams'][number];

/** A checkpoint whose n-th save fails once, and whose saves in progress can be waited for. */
function failing(inner: AsyncCheckpoint) {
  const state = { saves: 0, failAt: -1, failed: false, inFlight: new Set<Promise<unknown>>() };
  const checkpoint: Checkpoint = {
    load: () => inner.load(),
    save: (cursor) => {
      state.saves += 1;
      if (state.saves === state.failAt) {
        state.failed = true;
        return Promise.reject(SAVE_FAILED);
      }
      const saving = inner.save(cursor);
      state.inFlight.add(saving);
      return saving.finally(() => state.inFlight.delete(saving));
    },
  };
  return { state, checkpoint, settled: () => Promise.allSettled([...state.inFlight]) };
}

/** The listings' requests (Informatica's a POST), not the logins. */
const LISTING = { path: /\/events(\/list)?$/ };

const SAVE_FAILED = new Error('checkpoint store unavailable');
const THROWN = new Error('the consumer failed');

/** What one watch of the scenario delivered, and what it may deliver again. */
interface Stream {
  setup: StreamSetup;
  vendor: EmulatedVendor;
  store: ReturnType<typeof failing>;
  delivered: string[];
  /** Per id, the pages handled and not committed that held it: how often it may come again. */
  mayRepeat: Map<string, number>;
  /** The cursor the checkpoint must hold: of the last page the consumer asked past, saved. */
  committed: string | undefined;
  /** Of the process under way: the page last asked past, and the cursor committed before it. */
  asked: Page<{ id: string }> | undefined;
  /** Whether the last page taken had more after it. */
  more: boolean;
  before: string | undefined;
}

interface Figures {
  rounds: Record<Stop, number>;
  saveFailures: number;
  gaveUp: number;
  repeats: number;
  delivered: number;
  /** Stops with a page in hand that was not the first of its poll. */
  midPoll: number;
  /** 429s and 503s answered. */
  faults: number;
}

const noFigures = (): Figures => ({ rounds: { signal: 0, 'signal-wait': 0, break: 0, 'next-return': 0, throw: 0, crash: 0 }, saveFailures: 0, gaveUp: 0, repeats: 0, delivered: 0, midPoll: 0, faults: 0 });

/** Vendor time moved by the watches' waits, creating the scenario's events as it passes them. */
function worldOf(scenario: Scenario) {
  const clock = clocks(T0);
  const vendors = new Map<string, EmulatedVendor>();
  const names = [...new Set(scenario.streams.map((stream) => stream.vendor))];
  for (const stream of scenario.streams) {
    if (!vendors.has(stream.vendor)) vendors.set(stream.vendor, emulatedVendor(stream.vendor, clock, stream.flavor));
  }
  // Each arrival's events, in time order; FUJITSU's seconds hold fewer than a page.
  const perSecond = new Map<number, number>();
  const late = new Map<string, number>();
  let n = 0;
  // A crowd where an instant holds fewer than a page: the burst spread over the seconds that follow.
  const due = [...scenario.backlog, ...scenario.arrivals]
    .flatMap((arrival) => {
      const name = names[arrival.vendor % names.length] as VendorName;
      const profile = profiles[name];
      const at = profile.millis ? T0 + arrival.atMs : T0 + Math.floor(arrival.atMs / 1000) * 1000;
      const count = arrival.crowded === 0 ? arrival.crowdCount : arrival.count;
      return Array.from({ length: Math.ceil(count / profile.crowd) }, (_, second) => ({
        name,
        at: at + second * 1000,
        count: Math.min(profile.crowd, count - second * profile.crowd),
        kind: arrival.kind,
        late: arrival.late,
      }));
    })
    .sort((a, b) => a.at - b.at);
  const newest = Math.max(T0, ...due.map((arrival) => arrival.at)) + MAX_LATE_MS;
  const advance = (by: number): void => {
    clock.time.now += by;
    while (due[0] !== undefined && due[0].at <= clock.time.now) {
      const arrival = due.shift() as (typeof due)[number];
      const vendor = vendors.get(arrival.name) as EmulatedVendor;
      for (let index = 0; index < arrival.count; index++) {
        if (arrival.name === 'fujitsu' && (perSecond.get(arrival.at) ?? 0) >= 15) break;
        perSecond.set(arrival.at, (perSecond.get(arrival.at) ?? 0) + 1);
        let after = arrival.late[index % arrival.late.length] as number;
        if (after > 0 && (late.get(arrival.name) ?? 0) >= profiles[arrival.name].maxLate) after = 0;
        if (after > 0) late.set(arrival.name, (late.get(arrival.name) ?? 0) + 1);
        vendor.create(arrival.at, arrival.at + after, ++n, arrival.kind);
      }
    }
    for (const vendor of vendors.values()) vendor.advance(clock.time.now);
  };
  advance(0);
  return { time: clock.time, vendors, advance, newest };
}

type World = ReturnType<typeof worldOf>;
type Round = Scenario['rounds'][number];

const isGaveUp = (error: unknown): boolean => [429, 503].includes((error as { status?: unknown } | undefined)?.status as number);

/**
 * One process of the consumer: the scenario's watches from their checkpoints, alone or merged, until
 * its stop. Returns the error it ended with, and whether it threw or crashed.
 */
async function runRound(world: World, streams: Stream[], round: Round, figures: Figures): Promise<void> {
  world.advance(round.gapMs);
  const controller = new AbortController();
  let alive = true;
  let sleeps = 0;
  const clock: Clock = {
    now: () => world.time.now,
    scale: 1,
    sleep: async (ms, signal) => {
      // A watch of a crashed process that was still waiting for its next page: gone with it.
      if (!alive) throw new Error('the process is gone');
      // A turn of the event loop: a stop or a close may come while the watch waits.
      await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      sleeps += 1;
      if ((round.stop === 'signal-wait' && sleeps === round.after) || sleeps > MAX_SLEEPS) {
        controller.abort();
        signal?.throwIfAborted();
        throw controller.signal.reason;
      }
      world.advance(ms);
    },
  };
  if (round.saveFails !== undefined) {
    const store = (streams[round.saveFails.stream % streams.length] as Stream).store.state;
    store.failAt = store.saves + round.saveFails.nth;
  }
  for (const stream of streams) {
    stream.store.state.failed = false;
    stream.asked = undefined;
  }
  const watches = streams.map((stream) =>
    watch(stream.vendor.listing(stream.setup.pageSize, stream.setup.kind), { checkpoint: stream.store.checkpoint, interval: round.interval, clock, signal: controller.signal }),
  );
  const { take, close } = watchedPages(watches);

  const handle = ({ source, page }: { source: number; page: Page<{ id: string }> }): void => {
    (streams[source] as Stream).delivered.push(...page.items.map((event) => event.id));
  };
  const mayRepeat = (stream: Stream, page: Page<{ id: string }>): void => {
    for (const event of page.items) stream.mayRepeat.set(event.id, (stream.mayRepeat.get(event.id) ?? 0) + 1);
  };
  const askPast = ({ source, page }: { source: number; page: Page<{ id: string }> }): void => {
    const stream = streams[source] as Stream;
    stream.before = stream.committed;
    stream.committed = page.cursor;
    stream.asked = page;
  };

  let error: unknown;
  let threw = false;
  let crashed = false;
  let taken = 0;
  let inHand: { source: number; page: Page<{ id: string }> } | undefined;
  figures.rounds[round.stop] += 1;
  try {
    for (;;) {
      if (inHand !== undefined) askPast(inHand);
      inHand = undefined;
      const next = await take();
      if (next === undefined) break;
      inHand = next;
      const stream = streams[next.source] as Stream;
      const midPoll = stream.more;
      stream.more = next.page.hasMore;
      const stopHere = !controller.signal.aborted && ++taken === round.after;
      if (stopHere && midPoll) figures.midPoll += 1;
      if (stopHere && round.stop === 'break') {
        inHand = undefined;
        await close();
        break;
      }
      handle(next);
      if (!stopHere) continue;
      if (round.stop === 'signal') controller.abort();
      if (round.stop === 'throw') {
        threw = true;
        mayRepeat(streams[next.source] as Stream, next.page);
        error = THROWN;
        // As `for await` does: the body's error wins over the close's.
        await close().catch(() => undefined);
        break;
      }
      if (round.stop === 'crash') {
        crashed = true;
        alive = false;
        mayRepeat(streams[next.source] as Stream, next.page);
        // The saves asked for before the crash reached the store.
        await Promise.all(streams.map((stream) => stream.store.settled()));
        break;
      }
      if (round.stop === 'next-return') {
        askPast(next);
        inHand = undefined;
        const [asked, closed] = await Promise.allSettled([take(), close()]);
        // A page the next() brought is dropped unhandled.
        if (asked.status === 'rejected') error = asked.reason;
        else if (closed.status === 'rejected') error = closed.reason;
        break;
      }
    }
  } catch (caught) {
    error = caught;
  }
  // A save this round did not come to does not fail in the next.
  for (const stream of streams) stream.store.state.failAt = -1;

  // A failed save committed nothing: its page, handled, comes again.
  for (const stream of streams) {
    if (!stream.store.state.failed) continue;
    figures.saveFailures += 1;
    stream.committed = stream.before;
    expect(stream.asked, 'a failed save of a page asked past').toBeDefined();
    mayRepeat(stream, stream.asked as Page<{ id: string }>);
  }
  const failed = streams.some((stream) => stream.store.state.failed);
  if (threw) expect(error).toBe(THROWN);
  else if (failed && !crashed) {
    if (error !== SAVE_FAILED) expect(isGaveUp(error), `ended with ${String(error)} after a failed save`).toBe(true);
  } else if (error !== undefined) expect(isGaveUp(error), `ended with ${String(error)}`).toBe(true);
  if (!threw && isGaveUp(error)) figures.gaveUp += 1;

  for (const [index, stream] of streams.entries()) {
    await stream.store.settled();
    expect(await stream.store.checkpoint.load(), `the checkpoint of watch ${index} after a ${round.stop}`).toBe(stream.committed);
  }
}

/** A last process, without faults: drains every watch until the tails have settled and polls bring nothing. */
async function drain(world: World, streams: Stream[]): Promise<void> {
  for (const vendor of world.vendors.values()) vendor.faults.clear();
  world.advance(Math.max(0, world.newest - world.time.now) + 1);
  for (const stream of streams) {
    const until = world.time.now + 5 * 60_000;
    const controller = new AbortController();
    let sleeps = 0;
    const clock: Clock = {
      now: () => world.time.now,
      scale: 1,
      sleep: async (ms, signal) => {
        signal?.throwIfAborted();
        if (world.time.now >= until || ++sleeps > MAX_SLEEPS) controller.abort();
        signal?.throwIfAborted();
        world.advance(ms);
      },
    };
    const pages = watch(stream.vendor.listing(stream.setup.pageSize, stream.setup.kind), { checkpoint: stream.store.checkpoint, interval: 30_000, clock, signal: controller.signal });
    for await (const page of pages) {
      stream.delivered.push(...page.items.map((event) => event.id));
      stream.committed = page.cursor;
    }
    expect(await stream.store.checkpoint.load()).toBe(stream.committed);
  }
}

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tributary-watch-property-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

let scenarios = 0;

async function run(scenario: Scenario, figures: Figures): Promise<void> {
  const world = worldOf(scenario);
  const id = ++scenarios;
  const streams: Stream[] = scenario.streams.map((setup, index) => {
    const vendor = world.vendors.get(setup.vendor) as EmulatedVendor;
    const inner = setup.file ? fileCheckpoint(join(folder, String(id), `${index}.cursor`)) : memoryCheckpoint();
    return { setup, vendor, store: failing(inner), delivered: [], mayRepeat: new Map(), committed: undefined, asked: undefined, before: undefined, more: false };
  });
  const faults: ActiveFault[] = [];
  if (scenario.faults > 0) {
    for (const [index, vendor] of [...world.vendors.values()].entries()) {
      const schedule = { probability: scenario.faults, seed: scenario.faultSeed + index };
      faults.push(
        vendor.faults.add({ kind: 'rate-limit', retryAfter: 1, schedule, match: LISTING }),
        vendor.faults.add({ kind: 'status', status: 503, headers: { 'Retry-After': '1' }, schedule: { ...schedule, seed: schedule.seed + 100 }, match: LISTING }),
      );
    }
  }
  for (const round of scenario.rounds) await runRound(world, streams, round, figures);
  figures.faults += faults.reduce((sum, fault) => sum + fault.fired, 0);
  await drain(world, streams);

  for (const [index, stream] of streams.entries()) {
    const visible = stream.vendor.visible(stream.setup.kind);
    const counts = new Map<string, number>();
    for (const id of stream.delivered) counts.set(id, (counts.get(id) ?? 0) + 1);
    const lost = visible.filter((id) => !counts.has(id));
    const foreign = [...counts.keys()].filter((id) => !visible.includes(id));
    const repeated = [...counts].filter(([id, count]) => count - 1 > (stream.mayRepeat.get(id) ?? 0));
    expect({ watch: index, lost, foreign, repeated }).toEqual({ watch: index, lost: [], foreign: [], repeated: [] });
    figures.repeats += stream.delivered.length - counts.size;
    figures.delivered += stream.delivered.length;
  }
}

async function check(alone: VendorName | undefined, numRuns: number, seed: number): Promise<Figures> {
  const figures = noFigures();
  await fc.assert(
    fc.asyncProperty(scenarioOf(alone), (scenario) => run(scenario, figures)),
    { numRuns, seed, interruptAfterTimeLimit: PROPERTY_BUDGET.interruptAfter, markInterruptAsFailure: true },
  );
  return figures;
}

/** The scenarios reached what they are for. */
function reached(figures: Figures): void {
  for (const stop of STOPS) expect(figures.rounds[stop], stop).toBeGreaterThan(3);
  expect(figures.saveFailures).toBeGreaterThan(3);
  expect(figures.faults).toBeGreaterThan(10);
  expect(figures.midPoll).toBeGreaterThan(3);
  expect(figures.repeats).toBeGreaterThan(0);
}

describe('watch with a checkpoint, at random', () => {
  it.each(VENDOR_NAMES.map((name, index) => [name, index] as const))('%s: every event delivered, repeated only from pages handled and not committed', async (name, index) => {
    reached(await check(name, 25, 7_100 + index));
  }, PROPERTY_BUDGET.test);

  it('merged watches of several vendors, or of one vendor filtered two ways: each keeps its own promise', async () => {
    reached(await check(undefined, 40, 7_200));
  }, PROPERTY_BUDGET.test);
});
