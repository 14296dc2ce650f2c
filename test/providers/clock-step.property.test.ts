/**
 * The client's clock stepped (an NTP step, seconds to hours, back or forward) between the pages of a
 * listing and between the polls of a tail, the vendor's clock running on: every event the vendor lists
 * is delivered exactly once, by every vendor. Events are listed as soon as they are made, so no step
 * can let a tail settle before a late event comes (what the client's clock cannot show, `settle.ts`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emulatedVendor, VENDOR_NAMES } from '../support/emulated-vendors.js';
import { PROPERTY_TIMEOUT } from '../support/property-timeout.js';
import { clocks } from '../support/tail.js';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');
const HOUR = 3_600_000;

const stepArb = fc.oneof(fc.constantFrom(0, -HOUR, HOUR, -5 * 60_000, 5 * 60_000, -20_000, -45_000, -1_000, 1_000), fc.integer({ min: -2 * HOUR, max: 2 * HOUR }));

const scenarioArb = fc.record({
  polls: fc.array(
    fc.record({
      // Events made before the poll, this far apart (several at one instant when 0).
      gaps: fc.array(fc.constantFrom(0, 0, 1, 500, 1_000, 7_000), { minLength: 0, maxLength: 45 }),
      // The client's clock, off the vendor's, as each page is asked for: it may move between any two.
      skews: fc.array(stepArb, { minLength: 1, maxLength: 6 }),
      pageSize: fc.constantFrom(20, 25),
      wait: fc.constantFrom(5_000, 30_000, 200_000),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

describe.each(VENDOR_NAMES)('%s under a stepped client clock', (name) => {
  it('delivers every event exactly once (property)', PROPERTY_TIMEOUT, async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async ({ polls }) => {
          const time = clocks(T0);
          const vendor = emulatedVendor(name, time);
          let n = 0;
          let at = T0 - 10 * 60_000;
          const delivered: string[] = [];
          let cursor: string | undefined;
          for (const poll of polls) {
            for (const gap of poll.gaps) {
              at += gap;
              vendor.create(at, at, n++);
            }
            vendor.advance(Math.max(time.time.now, at + 1_000));
            let page = 0;
            time.time.skew = poll.skews[0] ?? 0;
            for await (const { items, cursor: next } of vendor.listing(poll.pageSize).byPage(cursor === undefined ? {} : { cursor })) {
              delivered.push(...items.map((item) => item.id));
              cursor = next;
              time.time.skew = poll.skews[++page % poll.skews.length] ?? 0;
            }
            vendor.advance(time.time.now + poll.wait);
            at = Math.max(at, time.time.now - 60_000);
          }
          // The clock set right, a last poll lists what a step held back.
          time.time.skew = 0;
          for await (const { items } of vendor.listing(25).byPage(cursor === undefined ? {} : { cursor })) delivered.push(...items.map((item) => item.id));
          expect([...delivered].sort()).toEqual([...vendor.visible()].sort());
        }),
        { numRuns: 40 },
      );
  });
});
