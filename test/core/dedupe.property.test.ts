/**
 * The ids a listing remembers to drop what a vendor sends again (`dedupe.ts`), at random, against a
 * model: a seeded stream of pages from a small pool of ids (short ones kept as they are, long ones
 * fingerprinted), sent again within a page and across pages, through token paging (Socotra's) with a
 * random `dedupeWindow`, resumed now and then from the page's cursor as a new process would.
 *
 * Promised (`token.ts`, `dedupe.ts`), and checked page by page:
 * - an event passes when it is neither earlier in its page nor among the `dedupeWindow` ids delivered
 *   last, whether they were remembered in the process or read back from a cursor;
 * - the cursor remembers exactly those ids, as their keys, and never more than `dedupeWindow` of them;
 * - `keepLast` is the last `limit` of its two lists, and `idKey` keeps two different ids apart.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, queryFingerprint, type CursorBinding } from '../../src/core/cursor.js';
import { idKey, keepLast } from '../../src/core/dedupe.js';
import { tokenStrategy, type TokenState } from '../../src/core/paginate/token.js';
import { PROPERTY_BUDGET } from '../support/property-timeout.js';

const binding: CursorBinding = { provider: 'socotra', query: queryFingerprint({}), kind: 'token' };

/** Ids as vendors send them: short decimal ones, and long ones (an href, a ULID) that are fingerprinted. */
const idOf = (n: number): string => (n % 3 === 0 ? `/orgs/1/events/${n.toString(16).padStart(12, '0')}-4f6b` : String(70_000 + n));

const scenarioOf = fc.record({
  dedupeWindow: fc.integer({ min: 0, max: 12 }),
  pool: fc.integer({ min: 3, max: 40 }),
  pages: fc.array(
    fc.record({
      ids: fc.array(fc.nat({ max: 39 }), { minLength: 1, maxLength: 10 }),
      /** Whether the next page is read by a new process, from this page's cursor. */
      resume: fc.boolean(),
    }),
    { minLength: 1, maxLength: 25 },
  ),
});

describe('dedupe, against a model', () => {
  it('drops exactly the ids seen earlier in the page or among the last dedupeWindow delivered, and remembers no more', async () => {
    let dropped = 0;
    let resumed = 0;
    await fc.assert(
      fc.asyncProperty(scenarioOf, async ({ dedupeWindow, pool, pages }) => {
        let served = 0;
        const strategy = tokenStrategy<string>({
          dedupeWindow,
          // Every page is new to the vendor: the token moves on, so a page of repeats alone is not a loop.
          maxEmptyPages: Infinity,
          id: (item) => item,
          fetchPage: async () => {
            const page = pages[served] as (typeof pages)[number];
            served += 1;
            return { items: page.ids.map((n) => idOf(n % pool)), token: `t${served}` };
          },
        });
        const signal = new AbortController().signal;
        let state: TokenState = strategy.initial();
        const delivered: string[] = [];
        for (const page of pages) {
          const step = await strategy.fetch(state, 10, signal);
          // The model: first in the page, and not among the last `dedupeWindow` delivered.
          const remembered = new Set(dedupeWindow === 0 ? [] : delivered.slice(-dedupeWindow));
          const expected = [...new Set(page.ids.map((n) => idOf(n % pool)))].filter((id) => !remembered.has(id));
          expect(step.items).toEqual(expected);
          dropped += page.ids.length - expected.length;
          delivered.push(...expected);
          const memory = dedupeWindow === 0 ? [] : delivered.slice(-dedupeWindow);
          expect(step.state.d).toEqual(memory.map(idKey));
          expect(step.state.d.length).toBeLessThanOrEqual(dedupeWindow);
          state = step.state;
          if (page.resume) {
            resumed += 1;
            state = decodeCursor(encodeCursor(binding, state), binding, (value) => strategy.validate(value));
          }
        }
      }),
      { numRuns: 400, seed: 7_320, interruptAfterTimeLimit: PROPERTY_BUDGET.interruptAfter, markInterruptAsFailure: true },
    );
    expect(dropped).toBeGreaterThan(1000);
    expect(resumed).toBeGreaterThan(1000);
  }, PROPERTY_BUDGET.test);

  it('keepLast is the last `limit` of both lists', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.array(fc.string()), fc.nat({ max: 30 }), (earlier, later, limit) => {
        const all = [...earlier, ...later];
        expect(keepLast(earlier, later, limit)).toEqual(all.slice(Math.max(0, all.length - limit)));
      }),
      { numRuns: 2_000, seed: 7_321 },
    );
  });

  it('idKey keeps two different ids apart, a short one as it is, and is at most 17 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), (a, b) => {
        expect(idKey(a) === idKey(b)).toBe(a === b);
        expect(idKey(a).length).toBeLessThanOrEqual(17);
        if (a.length <= 16) expect(idKey(a)).toBe(a);
      }),
      { numRuns: 5_000, seed: 7_322 },
    );
  });

  it("idKey keeps an id apart from one written as another's fingerprint, which random ids never meet", () => {
    const long = '/orgs/1/events/0f5e4c2a-7b1d-4e8f-9a6b-3c2d1e0f9a8b';
    // A vendor's 17-character id that reads as the fingerprint of another: kept plain, it was that id's key.
    const lookalike = idKey(long);
    expect(lookalike).toHaveLength(17);
    expect(idKey(lookalike)).not.toBe(idKey(long));
  });
});
