/**
 * Cursors at random: the five vendors' own, issued by their listings over seeded events (bursts at
 * one instant, more than a page, listings resumed from their tail), short and compressed ones alike.
 *
 * Promised (README: "a malformed, foreign or mismatched cursor is a `CursorError` before any request";
 * `cursor.ts`, `cursor-pack.ts`, `cursor-limit.test.ts`), and checked for each cursor:
 * - it is URL-safe, within `MAX_CURSOR_LENGTH`, its envelope within `MAX_ENVELOPE_BYTES`, and decodes
 *   to a state that encodes back to the very same cursor;
 * - cut short, one character changed, or its envelope made another vendor's, another version's, another
 *   paging style's or another query's, it is refused with a `CursorError` before any request, or reads
 *   as the very state it held (a change in the bits base64 leaves unused): never as another state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cursorJson, decodeCursor, encodeCursor, MAX_CURSOR_LENGTH, MAX_ENVELOPE_BYTES, type CursorBinding } from '../../src/core/cursor.js';
import { DEFLATED, packCursor } from '../../src/core/cursor-pack.js';
import { CursorError } from '../../src/core/errors.js';
import { emulatedVendor, VENDOR_NAMES, type EmulatedVendor, type VendorName } from '../support/emulated-vendors.js';
import { clocks } from '../support/tail.js';
import { PROPERTY_BUDGET } from '../support/property-timeout.js';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const same = (state: unknown): unknown => state;

const scenarioOf = fc.record({
  pageSize: fc.integer({ min: 20, max: 60 }),
  /** Events before the first listing and before the second: at one instant (a burst) or a second apart. */
  batches: fc.array(fc.record({ count: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 20 }) }, { weight: 1, arbitrary: fc.integer({ min: 21, max: 200 }) }), burst: fc.boolean(), gapMs: fc.integer({ min: 1_000, max: 120_000 }) }), {
    minLength: 1,
    maxLength: 4,
  }),
  corruptions: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), to: fc.nat({ max: 62 }) }),
      fc.record({ kind: fc.constant('provider' as const), to: fc.nat({ max: 3 }) }),
      fc.record({ kind: fc.constant('version' as const), to: fc.constantFrom<unknown>(0, 2, '1', null, 1.5) }),
      fc.record({ kind: fc.constant('paging' as const), to: fc.constantFrom('token', 'offset', 'marker', 'time-window', 'since-id', 'informatica') }),
      fc.record({ kind: fc.constant('query' as const), to: fc.nat() }),
    ),
    { minLength: 20, maxLength: 20 },
  ),
});

type Scenario = typeof scenarioOf extends fc.Arbitrary<infer T> ? T : never;
type Corruption = Scenario['corruptions'][number];

/** The cursor `corruption` makes of `cursor`, whose envelope is `envelope`. */
function corrupt(cursor: string, envelope: Record<string, unknown>, corruption: Corruption, name: VendorName): string {
  const repack = (changes: Record<string, unknown>): string => packCursor(JSON.stringify({ ...envelope, ...changes }));
  switch (corruption.kind) {
    case 'truncate':
      return cursor.slice(0, corruption.at % cursor.length);
    case 'flip': {
      const at = corruption.at % cursor.length;
      const others = BASE64URL.replace(cursor[at] as string, '');
      return cursor.slice(0, at) + others[corruption.to % others.length] + cursor.slice(at + 1);
    }
    case 'provider':
      return repack({ p: VENDOR_NAMES.filter((other) => other !== name)[corruption.to] });
    case 'version':
      return repack({ v: corruption.to });
    case 'paging':
      return envelope['k'] === corruption.to ? repack({ k: 'page' }) : repack({ k: corruption.to });
    case 'query':
      return repack({ q: (BigInt(corruption.to) * 0x9e3779b97f4a7c15n % 2n ** 64n).toString(16).padStart(16, '0') });
  }
}

interface Figures {
  cursors: number;
  plain: number;
  compressed: number;
  refused: Record<Corruption['kind'], number>;
  /** Refused only by the strategy's check of the state, the envelope having read. */
  byStrategy: number;
  harmless: number;
}

/** The first page of `vendor`'s listing from `cursor`: the error it fails with, and whether it sent a request. */
async function resume(vendor: EmulatedVendor, pageSize: number, cursor: string): Promise<{ error: unknown; requested: boolean }> {
  const before = vendor.requests();
  const pages = vendor.listing(pageSize).byPage({ cursor })[Symbol.asyncIterator]();
  const error = await pages.next().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  await pages.return?.();
  return { error, requested: vendor.requests() > before };
}

async function run(name: VendorName, scenario: Scenario, figures: Figures): Promise<void> {
  const clock = clocks(T0);
  const vendor = emulatedVendor(name, clock);
  let n = 0;
  const cursors: string[] = [];
  let tail: string | undefined;
  for (const batch of scenario.batches) {
    clock.time.now += batch.gapMs;
    // FUJITSU lists at most 15 events a second in these tests (`watch.property.test.ts`).
    const second = Math.floor(clock.time.now / 1000) * 1000;
    for (let i = 0; i < batch.count; i++) {
      const at = batch.burst ? second : second + i * 1000;
      if (name === 'fujitsu' && batch.burst && i >= 15) break;
      vendor.create(at, at, ++n);
    }
    clock.time.now += batch.count * 1000 + 1;
    vendor.advance(clock.time.now);
    for await (const page of vendor.listing(scenario.pageSize).byPage(tail === undefined ? {} : { cursor: tail })) {
      cursors.push(page.cursor);
      tail = page.cursor;
    }
  }

  let corruption = 0;
  for (const cursor of cursors) {
    figures.cursors += 1;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    const json = cursorJson(cursor);
    if (Buffer.from(cursor, 'base64url')[0] === DEFLATED) figures.compressed += 1;
    else figures.plain += 1;
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_ENVELOPE_BYTES);
    const envelope = JSON.parse(json) as Record<string, unknown>;
    const binding: CursorBinding = { provider: name, query: envelope['q'] as string, kind: envelope['k'] as CursorBinding['kind'] };
    expect(envelope).toMatchObject({ v: 1, p: name });
    const state = decodeCursor(cursor, binding, same);
    expect(encodeCursor(binding, state), 'encoded back to the same cursor').toBe(cursor);

    for (let tries = 0; tries < 2; tries++) {
      const change = scenario.corruptions[corruption++ % scenario.corruptions.length] as Corruption;
      const altered = corrupt(cursor, envelope, change, name);
      if (altered === cursor) continue;
      let read: { state: unknown } | undefined;
      try {
        read = { state: decodeCursor(altered, binding, same) };
      } catch (error) {
        expect(error, `${change.kind}: ${String(error)}`).toBeInstanceOf(CursorError);
      }
      if (read !== undefined) {
        try {
          expect(read.state).toEqual(state);
          figures.harmless += 1;
          continue;
        } catch {
          // Another state: the strategy's own check of it must refuse it.
        }
      }
      const { error, requested } = await resume(vendor, scenario.pageSize, altered);
      const what = `${name} cursor ${change.kind} (${JSON.stringify(change)}): ${altered.length > 400 ? `${altered.slice(0, 400)}...` : altered}`;
      expect(error, `${what} was read as another state`).toBeInstanceOf(CursorError);
      expect(requested, `${what}: a request before the refusal`).toBe(false);
      if (read !== undefined) figures.byStrategy += 1;
      figures.refused[change.kind] += 1;
    }
  }
}

describe('cursors of the five vendors, at random', () => {
  it.each(VENDOR_NAMES.map((name, index) => [name, index] as const))('%s: read back exactly, and refused once altered, never read as another state', async (name, index) => {
    const figures: Figures = { cursors: 0, plain: 0, compressed: 0, refused: { truncate: 0, flip: 0, provider: 0, version: 0, paging: 0, query: 0 }, byStrategy: 0, harmless: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioOf, (scenario) => run(name, scenario, figures)),
      { numRuns: 30, seed: 7_330 + index, interruptAfterTimeLimit: PROPERTY_BUDGET.interruptAfter, markInterruptAsFailure: true },
    );
    expect(figures.cursors).toBeGreaterThan(50);
    expect(figures.plain).toBeGreaterThan(20);
    expect(figures.compressed).toBeGreaterThan(20);
    for (const [kind, count] of Object.entries(figures.refused)) expect(count, kind).toBeGreaterThan(3);
  }, PROPERTY_BUDGET.test);
});
