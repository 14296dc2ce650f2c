/**
 * Resuming FUJITSU listings and watches loses nothing and repeats nothing, over seeded tenants on
 * inclusive and exclusive marker servers: any page size the service allows, stops after any page
 * resumed from its cursor (with another page size, too), watches stopped with a page in hand, new
 * events while away (many in one second, more than a page in one second, identical ones), events the
 * service lists late within the minute a tail reaches back, every window and filter of the query, and
 * 429s, 500s, 503s, resets and 401s (expired tokens, logged in again) on the way.
 *
 * Time is the emulator's own, moved by the test: each request takes up to a second and a half of it,
 * and back-off, `Retry-After` and a watch's interval advance it at once, so nothing waits.
 *
 * Ids are content hashes (`identity.ts`): events identical in all five fields within one second are one
 * event to the SDK, so the store's events, counted by id, must each have been delivered exactly once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { isHttpError, isNetworkError, isResponseValidationError } from '../../../src/core/errors.js';
import type { Page } from '../../../src/core/paginate/types.js';
import { watch } from '../../../src/core/watch.js';
import { fujitsu, type FujitsuEventsQuery, type FujitsuTributaryEvent } from '../../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT as TENANT, fujitsuEmulator, type StoredEvent } from '../../../src/providers/fujitsu/emulator.js';
import { serveEvent } from '../../../src/providers/fujitsu/emulator-store.js';
import { keyEvents } from '../../../src/providers/fujitsu/normalize.js';
import type { FujitsuEvent } from '../../../src/providers/fujitsu/schemas.js';
import { createRng } from '../../../src/testing/rng.js';
import { serve } from '../../support/transport.js';
import { BASE, IDENTITY, identity } from './helpers.js';

const START = Date.UTC(2026, 10, 23, 10, 0, 0);
/** The service's bounds for `limit` (seed 002). */
const pageSize = fc.integer({ min: 20, max: 100 });
/**
 * Events in one second at most. One that holds a whole page fails the listing clearly, and the
 * collector below resumes with 100 a page, as the README says to: beyond that no page size helps.
 */
const SECOND_CAP = 99;
/** How long after its date an event may be listed: within the minute a tail cursor reaches back. */
const MAX_LATE_S = 50;
/** How long a token is in use before the test may revoke it. */
const TOKEN_AGE_MS = 120_000;
/** Requests of one scenario; a passing one sends under 100. Past it, a listing is endless. */
const MAX_REQUESTS = 2_000;

const arrival = fc.oneof(
  // `count` events in one second, `ageS` before now.
  fc.record({ kind: fc.constant('burst' as const), count: fc.integer({ min: 1, max: 120 }), ageS: fc.integer({ min: 0, max: 3 }) }),
  // Events listed `lateS` after their date, from `inS` from now.
  fc.record({
    kind: fc.constant('late' as const),
    count: fc.integer({ min: 1, max: 4 }),
    lateS: fc.integer({ min: 1, max: MAX_LATE_S }),
    inS: fc.integer({ min: 0, max: MAX_LATE_S }),
  }),
  // Events identical in all five fields in one second, the later ones listed up to `lateS` after the first.
  fc.record({ kind: fc.constant('twins' as const), count: fc.integer({ min: 2, max: 4 }), lateS: fc.integer({ min: 0, max: MAX_LATE_S }) }),
);
type Arrival = typeof arrival extends fc.Arbitrary<infer T> ? T : never;

const drive = fc.oneof(
  // A listing from the cursor, stopped after `stopAfter` pages (0: drained).
  fc.record({ kind: fc.constant('list' as const), pageSize, stopAfter: fc.integer({ min: 0, max: 5 }) }),
  // A watch from the checkpoint, closed with its `pages`-th page in hand (not committed).
  fc.record({
    kind: fc.constant('watch' as const),
    pageSize,
    pages: fc.integer({ min: 1, max: 8 }),
    intervalS: fc.integer({ min: 5, max: 70 }),
    during: fc.array(arrival, { maxLength: 3 }),
  }),
);

const round = fc.record({
  advanceS: fc.integer({ min: 0, max: 100 }),
  arrivals: fc.array(arrival, { maxLength: 4 }),
  expireTokens: fc.boolean(),
  drive,
});

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  events: fc.integer({ min: 0, max: 150 }),
  marker: fc.constantFrom('inclusive' as const, 'exclusive' as const),
  dates: fc.constantFrom('zoneless' as const, 'utc' as const, 'millis' as const),
  categories: fc.constantFrom('array' as const, 'string' as const, 'mixed' as const),
  window: fc.oneof(
    fc.record({ kind: fc.constant('duration' as const), minutes: fc.constantFrom(30, 60) }),
    fc.record({ kind: fc.constant('since' as const), minutesAgo: fc.integer({ min: 5, max: 70 }) }),
    // A fixed end, some of the events arriving after it; the start given, or `duration` before the end.
    fc.record({
      kind: fc.constant('until' as const),
      minutesAgo: fc.option(fc.integer({ min: 5, max: 70 }), { nil: undefined }),
      untilS: fc.integer({ min: 0, max: 300 }),
    }),
  ),
  filter: fc.constantFrom('none' as const, 'none' as const, 'categories' as const, 'sourceType' as const, 'sourceId' as const),
  faults: fc.constantFrom(0, 0.03, 0.06),
  rounds: fc.array(round, { minLength: 1, maxLength: 8 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const CATEGORY_FILTER = ['backup', 'failover', 'low storage'];
/** The instance the `sourceId` filter asks for; half the late and identical events are about it. */
const INSTANCE = 'dbinst_678yuhyhih';

/** The id the client gives a stored event: the content hash, the same whatever shape it is served in. */
function idOf(event: StoredEvent): string {
  return (keyEvents([serveEvent(event, 'zoneless', 'array') as FujitsuEvent], 'events.list')[0] as { id: string }).id;
}

/** Counts by id, sorted: a multiset to compare. */
function tally(ids: readonly string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** A page that failed on a second holding a whole page: resume from the last cursor with 100 a page. */
const crowded = (error: unknown): boolean => isResponseValidationError(error) && error.message.includes('share the second');
/** Retries given up (faults several times in a row): a collector resumes from its last cursor. */
const gaveUp = (error: unknown): boolean => isNetworkError(error) || (isHttpError(error) && (error.status === 429 || error.status >= 500));

/** What a collector has committed: each page's items once it handled them, and the cursor after them. */
class Collector {
  readonly delivered: string[] = [];
  cursor: string | undefined;
  /** The time of the last item committed in the pass under way; a pass ends with a page that has no more. */
  private passTime: string | undefined;
  passes = 0;
  /**
   * Where the window of the committed listing starts. Without `since`, a listing pins it at its first
   * request: a listing whose pages were all dropped uncommitted leaves none, and the next one pins its own.
   */
  windowStart: number | undefined;

  constructor(private readonly listedFrom: () => number) {}

  commit(page: Page<FujitsuTributaryEvent>): void {
    this.windowStart ??= this.listedFrom();
    for (const event of page.items) {
      // Newest first within a pass, across stops and resumes.
      if (this.passTime !== undefined && event.time > this.passTime) {
        throw new Error(`out of order: ${event.time} after ${this.passTime}`);
      }
      this.passTime = event.time;
      this.delivered.push(event.id);
    }
    this.cursor = page.cursor;
    if (!page.hasMore) {
      this.passTime = undefined;
      this.passes += 1;
    }
  }
}

interface Figures {
  requests: number;
  passes: number;
  stops: number;
  widened: number;
  gaveUp: number;
  logins: number;
  revoked: number;
  late: number;
  twins: number;
  expected: number;
}

const none = (): Figures => ({ requests: 0, passes: 0, stops: 0, widened: 0, gaveUp: 0, logins: 0, revoked: 0, late: 0, twins: 0, expected: 0 });

/** In process (the emulator's `fetch`), through msw on the vendor's URLs, or over a local HTTP server. */
type Transport = 'fetch' | 'msw' | 'server';

async function run(setup: Scenario, transport: Transport): Promise<Figures> {
  const world = { now: START };
  const rng = createRng(setup.seed);
  // Back-off, Retry-After and a watch's interval move the emulator's time instead of waiting for it;
  // the limiter's pauses wait a thousandth of it for real.
  const clock: Clock = {
    now: () => world.now,
    scale: 0.001,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      world.now += ms;
    },
  };
  const emulator = fujitsuEmulator.create({
    seed: setup.seed,
    events: setup.events,
    clock,
    marker: setup.marker,
    dates: setup.dates,
    categories: setup.categories,
  });
  const served = transport === 'fetch' ? { baseUrl: BASE, close: async () => undefined } : await serve(emulator, transport, BASE);
  try {
    return await collect(setup, { world, rng, clock, emulator, served, send: transport === 'fetch' ? emulator.fetch : globalThis.fetch });
  } finally {
    await served.close();
  }
}

interface Setting {
  world: { now: number };
  rng: ReturnType<typeof createRng>;
  clock: Clock;
  emulator: ReturnType<typeof fujitsuEmulator.create>;
  served: { baseUrl: string };
  /** How a request reaches the emulator. */
  send: typeof globalThis.fetch;
}

async function collect(setup: Scenario, { world, rng, clock, emulator, served, send }: Setting): Promise<Figures> {
  const store = emulator.store.events;
  const figures = none();

  // Faults on the listing's requests, and 429s on the login (the only ones a login is retried after).
  const listing = { method: 'GET', path: `/v1.0/${TENANT}/events` };
  const faults = () => {
    const p = setup.faults;
    if (p === 0) return;
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 2, schedule: { probability: p }, match: listing });
    emulator.faults.add({ kind: 'status', status: 500, schedule: { probability: p }, match: listing });
    emulator.faults.add({ kind: 'status', status: 503, headers: { 'Retry-After': '1' }, schedule: { probability: p }, match: listing });
    emulator.faults.add({ kind: 'reset', schedule: { probability: p }, match: listing });
    emulator.faults.add({ kind: 'truncate', fraction: 0.3, schedule: { probability: p }, match: listing });
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 1, schedule: { probability: p }, match: { method: 'POST' } });
  };
  faults();

  // Each request takes up to a second and a half of the emulator's time: events become visible
  // mid-listing. With faults, a token in use for two minutes is revoked now and then: the request is
  // refused (401), the client logs in again and sends it once more with the new token. A younger one is
  // not, as the retries of one request span up to a minute: a token revoked as soon as it is issued is
  // an account the client rightly gives up on.
  const firstUse = new Map<string, number>();
  // Of the last listing request: a fresh listing's, when its first page is committed (a page ahead
  // fetched by then asks with the same start).
  let startTime = '';
  let sent = 0;
  let runaway: Error | undefined;
  const fetch: typeof globalThis.fetch = (input, init) => {
    if (++sent > MAX_REQUESTS) {
      runaway ??= new Error(`more than ${MAX_REQUESTS} requests: a listing that does not end`);
      return Promise.reject(runaway);
    }
    world.now += rng.int(0, 1_500);
    const request = new Request(input, init);
    const token = request.headers.get('x-auth-token');
    if (request.method === 'GET') startTime = new URL(request.url).searchParams.get('startTime') ?? '';
    if (request.method === 'GET' && token !== null) {
      const since = firstUse.get(token) ?? world.now;
      firstUse.set(token, since);
      if (world.now - since >= TOKEN_AGE_MS && rng.chance(setup.faults * 4)) {
        emulator.store.keystone.expireAll();
        figures.revoked += 1;
      }
    }
    return send(request);
  };
  // One origin serves both the listing and Keystone on the local server; msw answers the vendor's two hosts.
  const identityUrl = served.baseUrl === BASE ? IDENTITY : served.baseUrl;
  const client = fujitsu({ baseUrl: served.baseUrl, tenantId: TENANT, identity: identity({ url: identityUrl }), fetch, clock, retry: { retries: 6 } });

  let query: FujitsuEventsQuery;
  const window = setup.window;
  if (window.kind === 'duration') query = { duration: window.minutes };
  else if (window.kind === 'since') query = { since: new Date(START - window.minutesAgo * 60_000) };
  else if (window.minutesAgo === undefined) query = { until: new Date(START + window.untilS * 1000) };
  else query = { since: new Date(START - window.minutesAgo * 60_000), until: new Date(START + window.untilS * 1000) };
  if (setup.filter === 'categories') query = { ...query, categories: CATEGORY_FILTER };
  if (setup.filter === 'sourceType') query = { ...query, sourceType: 'db-snapshot' };
  if (setup.filter === 'sourceId') query = { ...query, sourceId: INSTANCE };

  const inSecond = (at: number): number => store.all(TENANT).filter((event) => event.at === Math.floor(at / 1000) * 1000).length;
  const arrive = (what: Arrival): void => {
    if (what.kind === 'burst') {
      const at = world.now - what.ageS * 1000;
      const count = Math.min(what.count, SECOND_CAP - inSecond(at));
      if (count > 0) store.addBurst(TENANT, at, count);
    } else if (what.kind === 'late') {
      for (let i = 0; i < what.count; i++) {
        const visibleAt = world.now + what.inS * 1000;
        const at = visibleAt - what.lateS * 1000;
        if (inSecond(at) >= SECOND_CAP) continue;
        const about = rng.chance(0.5) ? { sourceType: 'db-instance', sourceIdentifier: INSTANCE } : {};
        store.add(TENANT, { at, visibleAt, ...about, categories: [rng.pick(['backup', 'failover', 'notification'])] });
        figures.late += 1;
      }
    } else {
      const at = world.now;
      const sourceIdentifier = rng.chance(0.5) ? INSTANCE : `dbinst_${rng.hex(10)}`;
      const content = { sourceType: 'db-instance', sourceIdentifier, categories: ['failover'], message: `Failover completed ${rng.hex(4)}` };
      for (let i = 0; i < what.count && inSecond(at) < SECOND_CAP; i++) {
        store.add(TENANT, { ...content, at, ...(i === 0 || what.lateS === 0 ? {} : { visibleAt: at + rng.int(0, what.lateS) * 1000 }) });
        figures.twins += 1;
      }
    }
  };

  const collector = new Collector(() => Date.parse(startTime));
  const list = () => client.events.list(query);

  /**
   * After a failed pass at `size` a page: the page size to go on with (100 for a second too crowded for
   * the page), or `undefined` to stop there (retries spent, resumed by the next round); else the error.
   */
  const recover = (error: unknown, size: number): number | undefined => {
    if (crowded(error) && size < 100) {
      figures.widened += 1;
      return 100;
    }
    if (gaveUp(error) && runaway === undefined) {
      figures.gaveUp += 1;
      return undefined;
    }
    throw error;
  };

  /** Lists from the cursor, `stopAfter` pages at most (0: to the end); widens the page on a crowded second. */
  const listFor = async (size: number, stopAfter: number): Promise<void> => {
    let current = size;
    for (;;) {
      let pages = 0;
      try {
        for await (const page of list().byPage({ ...(collector.cursor === undefined ? {} : { cursor: collector.cursor }), pageSize: current })) {
          collector.commit(page);
          if (++pages === stopAfter && page.hasMore) {
            figures.stops += 1;
            return;
          }
        }
        return;
      } catch (error) {
        const next = recover(error, current);
        if (next === undefined) return;
        current = next;
      }
    }
  };

  /** A watch from the collector's checkpoint, closed with its `pages`-th page in hand, uncommitted. */
  const watchFor = async (size: number, pages: number, intervalS: number, during: Arrival[]): Promise<void> => {
    const waits = [...during];
    const watchClock: Clock = {
      now: clock.now,
      scale: clock.scale,
      sleep: async (ms, signal) => {
        signal?.throwIfAborted();
        world.now += ms;
        const next = waits.shift();
        if (next !== undefined) arrive(next);
      },
    };
    let pending: Page<FujitsuTributaryEvent> | undefined;
    const checkpoint = {
      load: async () => collector.cursor,
      save: async (cursor: string) => {
        expect(cursor).toBe(pending?.cursor);
        collector.commit(pending as Page<FujitsuTributaryEvent>);
        pending = undefined;
      },
    };
    let current = size;
    let seen = 0;
    for (;;) {
      try {
        for await (const page of watch(list(), { checkpoint, pageSize: current, interval: intervalS * 1000, clock: watchClock })) {
          pending = page;
          if (++seen >= pages) {
            figures.stops += 1;
            return;
          }
        }
        return;
      } catch (error) {
        pending = undefined;
        const next = recover(error, current);
        if (next === undefined) return;
        current = next;
      }
    }
  };

  for (const step of setup.rounds) {
    world.now += step.advanceS * 1000;
    for (const what of step.arrivals) arrive(what);
    if (step.expireTokens) emulator.store.keystone.expireAll();
    if (step.drive.kind === 'list') await listFor(step.drive.pageSize, step.drive.stopAfter);
    else await watchFor(step.drive.pageSize, step.drive.pages, step.drive.intervalS, step.drive.during);
  }

  // Every event visible, no more faults: the pass under way ends, a tail pass brings the rest, and one
  // more brings nothing.
  const lastVisible = Math.max(world.now, ...store.all(TENANT).map((event) => event.visibleAt ?? 0));
  world.now = lastVisible + 1_000;
  emulator.faults.clear();
  await listFor(100, 0);
  await listFor(100, 0);
  const before = collector.delivered.length;
  await listFor(100, 0);
  expect(collector.delivered.slice(before)).toEqual([]);

  // The ground truth: every stored event of the window and filters, counted by the id the SDK gives it.
  const gets = emulator.requests.filter((request) => request.method === 'GET');
  const start = collector.windowStart as number;
  const until = window.kind === 'until' ? START + window.untilS * 1000 : Number.POSITIVE_INFINITY;
  const matches = (event: StoredEvent): boolean =>
    setup.filter === 'categories'
      ? event.categories.some((category) => CATEGORY_FILTER.includes(category))
      : setup.filter === 'sourceType'
        ? event.sourceType === 'db-snapshot'
        : setup.filter === 'sourceId'
          ? event.sourceIdentifier === INSTANCE
          : true;
  const stored = store.all(TENANT).filter((event) => event.at >= start && event.at <= until && matches(event));
  const expected = tally(stored.map(idOf)).map(([id]): [string, number] => [id, 1]);
  expect(tally(collector.delivered)).toEqual(expected);

  figures.requests = gets.length;
  figures.passes = collector.passes;
  figures.logins = emulator.store.keystone.loginAttempts;
  figures.expected = expected.length;
  return figures;
}

/** Runs the property over `numRuns` scenarios of a fixed seed, and adds up what they did. */
async function check(transport: Transport, numRuns: number): Promise<Figures> {
  const totals = none();
  await fc.assert(
    fc.asyncProperty(scenario, async (setup) => {
      const figures = await run(setup, transport);
      for (const key of Object.keys(totals) as Array<keyof Figures>) totals[key] += figures[key];
    }),
    { numRuns, seed: 20_261_123 },
  );
  return totals;
}

describe('fujitsu resume property', () => {
  it('in process: every event of the window once, newest first, through stops, watches, late and identical events, and faults', async () => {
    const totals = await check('fetch', 80);
    // The scenarios reached what they are for.
    expect(totals.stops).toBeGreaterThan(80);
    expect(totals.widened).toBeGreaterThan(20);
    expect(totals.late).toBeGreaterThan(300);
    expect(totals.twins).toBeGreaterThan(300);
    expect(totals.revoked).toBeGreaterThan(10);
    expect(totals.gaveUp).toBeGreaterThan(0);
    expect(totals.logins).toBeGreaterThan(80 + totals.revoked);
  }, 120_000);

  it.each<Transport>(['msw', 'server'])('through %s: the same property', async (transport) => {
    const totals = await check(transport, 20);
    expect(totals.expected).toBeGreaterThan(500);
  }, 120_000);
});
