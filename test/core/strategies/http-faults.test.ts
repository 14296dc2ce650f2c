/**
 * The five paging strategies end to end: the generic emulator on the wire, the real request pipeline in
 * between (ky, auth, retry with back-off on a 1/1000 clock, JSON, zod), faults injected by the
 * emulator. The in-memory property tests beside this file check the strategies alone; these check that
 * a retry inside a page never shows through a strategy: nothing lost, nothing twice, cursors exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isHttpError,
  isNotFoundError,
  isPermissionError,
  isRateLimitError,
  isResponseValidationError,
} from '../../../src/core/errors.js';
import type { FaultSchedule, FaultSpec } from '../../../src/testing/faults.js';
import { idsOf, pagesOf } from './harness.js';
import {
  addGroups,
  atNewestSecond,
  drainResumingOn,
  expectedIds,
  firstPageFrom,
  inject,
  SCALE,
  STYLES,
  TOKEN,
  wire,
  type Setup,
  type StyleName,
} from './http-harness.js';

/** Runs per property: 5 styles x 4 properties stay within a few seconds (about 4,000 requests). */
const RUNS = 20;
/** Resuming from every page costs about three times the requests of one drain. */
const RESUME_RUNS = 15;
const MAX_EVENTS = 150;

/**
 * Page size (marker: at least 2, since a second holding a whole page cannot be paged), whether the
 * marker is inclusive, the window's silent cap (at or above the page size) and offset concurrency.
 */
const setupArb = (style: StyleName): fc.Arbitrary<Setup> =>
  fc.noBias(fc.integer({ min: style === 'marker' ? 2 : 1, max: 40 })).chain((pageSize) =>
    fc.record({
      style: fc.constant(style),
      pageSize: fc.constant(pageSize),
      markerInclusive: fc.boolean(),
      cap: fc.integer({ min: Math.max(2, pageSize), max: 50 }),
      concurrency: fc.integer({ min: 1, max: 4 }),
    }),
  );

/**
 * The most events one second may hold: marker and time window page over time, and a second holding a
 * page (marker) or the cap (window) cannot be paged without loss; the other styles ignore times.
 */
function largestGroup(setup: Setup): number {
  if (setup.style === 'marker') return setup.pageSize - 1;
  if (setup.style === 'time-window') return setup.cap - 1;
  return 12;
}

interface Group {
  gap: number;
  size: number;
}

/** Up to `MAX_EVENTS` events in seconds shared by up to `largestGroup` of them. */
const groupsArb = (setup: Setup): fc.Arbitrary<Group[]> =>
  fc
    .record({
      total: fc.integer({ min: 0, max: MAX_EVENTS }),
      groups: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 1, max: largestGroup(setup) }) }), {
        maxLength: MAX_EVENTS,
        size: 'max',
      }),
    })
    .map(({ total, groups }) => {
      const cut: Group[] = [];
      let left = total;
      for (const group of groups) {
        if (left === 0) break;
        cut.push({ gap: group.gap, size: Math.min(group.size, left) });
        left -= Math.min(group.size, left);
      }
      return cut;
    });

/**
 * One fault's schedule. `share` bounds its rate so that all faults together stay under about a quarter
 * of the attempts: the client's retry budget (retries <= half the requests) must not run out, which
 * would rightly surface the fault.
 */
const scheduleArb = (share: number): fc.Arbitrary<FaultSchedule> =>
  fc.oneof(
    fc.integer({ min: Math.ceil(1 / share), max: 16 }).map((every) => ({ every })),
    fc.record({ probability: fc.double({ min: 0.02, max: share * 0.6, noNaN: true }), seed: fc.integer({ min: 1, max: 2 ** 30 }) }),
  );

/** Faults the pipeline must retry: 429 with `Retry-After` (seconds or a date), 5xx, HTML, resets, cut bodies, latency. */
const retryableKind: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    kind: fc.constant('rate-limit' as const),
    retryAfter: fc.integer({ min: 0, max: 2 }),
    retryAfterFormat: fc.constantFrom('seconds' as const, 'http-date' as const),
  }),
  fc.record(
    {
      kind: fc.constant('status' as const),
      status: fc.constantFrom(408, 500, 502, 503, 504),
      headers: fc.constantFrom({ 'Retry-After': '1' }, { 'Retry-After': '0' }),
    },
    { requiredKeys: ['kind', 'status'] },
  ),
  fc.record({ kind: fc.constant('html' as const), status: fc.constantFrom(502, 503, 504) }),
  fc.constant({ kind: 'reset' as const }),
  fc.record({ kind: fc.constant('truncate' as const), fraction: fc.double({ min: 0, max: 0.95, noNaN: true }) }),
  fc.record({ kind: fc.constant('latency' as const), ms: fc.integer({ min: 0, max: 3_000 }) }),
);

const retryableFaults: fc.Arbitrary<FaultSpec[]> = fc.integer({ min: 1, max: 3 }).chain((count) =>
  fc.array(
    fc.tuple(retryableKind, scheduleArb(0.25 / count)).map(([kind, schedule]): FaultSpec => ({ ...kind, schedule })),
    { minLength: count, maxLength: count },
  ),
);

/** A scenario: the setup, the stored events, the faults, and the emulator's seed. */
const scenario = (style: StyleName) =>
  setupArb(style).chain((setup) =>
    fc.record({
      setup: fc.constant(setup),
      groups: groupsArb(setup),
      faults: retryableFaults,
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
    }),
  );

function prepare({ setup, groups, faults, seed }: { setup: Setup; groups: Group[]; faults: FaultSpec[]; seed: number }) {
  const wired = wire(setup, seed);
  const events = addGroups(wired.emulator.store, groups);
  const fired = inject(wired.emulator, faults);
  return { ...wired, events, fired, expected: expectedIds(setup.style, events) };
}

/** Fixed seeds: the same scenarios on every run, and a failure reproduces. */
const seedOf = (style: StyleName, property: number): number => 0x7ea5e + STYLES.indexOf(style) * 16 + property;

describe.each(STYLES)('%s paging through the request pipeline, with faults injected', (style) => {
  it('drains every event exactly once, in order; the retries absorb 429s, 5xx, HTML pages, resets and cut bodies (property)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario(style), async (input) => {
        const run = prepare(input);
        const pages = await pagesOf(run.listing());
        expect(idsOf(pages)).toEqual(run.expected);
        expect(pages.map((page) => page.hasMore)).toEqual(pages.map((_, i) => i < pages.length - 1));
        // Every fault that answered an attempt cost exactly one retry, and none reached the consumer.
        expect(run.retries).toHaveLength(run.fired());
        // A 429's Retry-After is the floor of the back-off (both in scaled milliseconds).
        for (const retry of run.retries) {
          if (isRateLimitError(retry.error) && retry.error.retryAfterMs !== undefined) {
            expect(retry.delayMs).toBeGreaterThanOrEqual(retry.error.retryAfterMs * SCALE);
          }
        }
      }),
      { numRuns: RUNS, seed: seedOf(style, 1) },
    );
  });

  it('resuming from every page cursor yields exactly the remaining events (property)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario(style), fc.nat(), async (input, pick) => {
        const run = prepare(input);
        const pages = await pagesOf(run.listing());
        expect(idsOf(pages)).toEqual(run.expected);
        // Each cursor resumes to exactly the next page, cursor included: by induction, to the rest.
        for (let i = 0; i < pages.length - 1; i++) {
          expect(await firstPageFrom(run.listing(), pages[i]!.cursor)).toEqual(pages[i + 1]);
        }
        // One cursor, drained to the end, as a consumer would; and the last one yields nothing.
        const from = pick % pages.length;
        expect(idsOf(await pagesOf(run.listing(), pages[from]!.cursor))).toEqual(idsOf(pages.slice(from + 1)));
        expect(idsOf(await pagesOf(run.listing(), pages.at(-1)!.cursor))).toEqual([]);
        // A fault may answer the prefetch a one-page resume abandons: that one is never retried.
        expect(run.retries.length).toBeLessThanOrEqual(run.fired());
      }),
      { numRuns: RESUME_RUNS, seed: seedOf(style, 2) },
    );
  });

  it('the tail cursor yields exactly the events added after the drain, also in the newest second (property)', async () => {
    const later = fc.record({
      sameSecond: fc.integer({ min: 0, max: 8 }),
      groups: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 1, max: 6 }) }), { maxLength: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario(style), later, async (input, arrivals) => {
        const run = prepare(input);
        const tail = (await pagesOf(run.listing())).at(-1)!.cursor;
        const room = largestGroup(input.setup) - atNewestSecond(run.events);
        const sizes = arrivals.groups.map((group) => ({ ...group, size: Math.min(group.size, largestGroup(input.setup)) }));
        const added = addGroups(run.emulator.store, [{ gap: 0, size: Math.min(arrivals.sameSecond, room) }, ...sizes]);
        const pages = await pagesOf(run.listing(), tail);
        expect(idsOf(pages)).toEqual(expectedIds(style, added));
        // The new tail has nothing more to give.
        expect(idsOf(await pagesOf(run.listing(), pages.at(-1)!.cursor))).toEqual([]);
        expect(run.retries).toHaveLength(run.fired());
      }),
      { numRuns: RUNS, seed: seedOf(style, 3) },
    );
  });

  it('a non-retryable fault surfaces as its typed error; resuming from the last cursor still yields every event once (property)', async () => {
    const fatal = fc.array(
      fc.tuple(
        fc.constantFrom(400, 401, 403, 404, 'malformed-json' as const),
        fc.oneof(
          fc.integer({ min: 0, max: 12 }).map((after): FaultSchedule => ({ once: true, after })),
          fc.record({ probability: fc.double({ min: 0.02, max: 0.08, noNaN: true }), seed: fc.integer({ min: 1, max: 2 ** 30 }) }),
        ),
      ),
      { minLength: 1, maxLength: 2 },
    );
    await fc.assert(
      fc.asyncProperty(scenario(style), fatal, async (input, nonRetryable) => {
        const run = prepare(input);
        // Only the fault that answers an attempt counts as fired, so each fired one is one error.
        const injected = nonRetryable.map(([kind, schedule]) =>
          run.emulator.faults.add(kind === 'malformed-json' ? { kind, schedule } : { kind: 'status', status: kind, schedule }),
        );
        const { ids, errors } = await drainResumingOn(run.listing(), isTyped);
        expect(ids).toEqual(run.expected);
        const fired = injected.reduce((sum, fault) => sum + fault.fired, 0);
        if (style === 'offset' && input.setup.concurrency > 1) {
          // Pages fetched ahead are abandoned when an earlier one fails: a fault they met never surfaces.
          expect(errors.length).toBeGreaterThanOrEqual(Math.min(1, fired));
          expect(errors.length).toBeLessThanOrEqual(fired);
        } else {
          expect(errors).toHaveLength(fired);
        }
        for (const error of errors) {
          expect(String(error)).not.toContain(TOKEN);
          expect(JSON.stringify(error)).not.toContain(TOKEN);
        }
      }),
      { numRuns: RUNS, seed: seedOf(style, 4) },
    );
  });
});

/** The typed errors the non-retryable faults map to, and nothing else (a 5xx here would be a failed retry). */
function isTyped(error: unknown): boolean {
  if (isResponseValidationError(error)) return /not valid JSON/.test(error.issues[0] ?? '');
  if (!isHttpError(error)) return false;
  const expected: Record<number, (e: unknown) => boolean> = {
    400: (e) => isHttpError(e) && !isAuthenticationError(e) && !isPermissionError(e) && !isNotFoundError(e),
    401: isAuthenticationError,
    403: isPermissionError,
    404: isNotFoundError,
  };
  return expected[error.status]?.(error) ?? false;
}

describe('faults the pipeline does not retry', () => {
  it('a 200 whose body is not JSON is one attempt and a ResponseValidationError keeping the text', async () => {
    const run = prepare({
      setup: { style: 'token', pageSize: 5, markerInclusive: true, cap: 10, concurrency: 1 },
      groups: [{ gap: 1, size: 12 }],
      faults: [{ kind: 'malformed-json', schedule: { once: true, after: 1 } }],
      seed: 7,
    });
    const pages = run.listing().byPage()[Symbol.asyncIterator]();
    const first = await pages.next();
    expect(first.done === false && idsOf([first.value])).toEqual(run.expected.slice(0, 5));
    const error = await pages.next().catch((e: unknown) => e);
    expect(isResponseValidationError(error)).toBe(true);
    expect(isResponseValidationError(error) && error.raw).toMatch(/^\{"events":\[/);
    expect(run.retries).toEqual([]);
    expect(run.emulator.requests).toHaveLength(2);
  });
});
