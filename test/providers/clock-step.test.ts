/**
 * A tail polled with the client's clock set back between the events it delivered (an NTP step, a
 * cursor moved to a machine behind): the vendors whose window ends at the client's now read only part
 * of the minute the tail overlaps, and must still remember the ids of the rest.
 */
import { describe, expect, it } from 'vitest';
import { emulatedVendor } from '../support/emulated-vendors.js';
import { clocks } from '../support/tail.js';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');

describe.each(['fujitsu', 'informatica'] as const)('%s tail polled with its clock set back', (name) => {
  it.each([-20_000, -45_000, -3_600_000])('delivers each event once when a poll ends %i ms before now', async (step) => {
    const time = clocks(T0);
    const vendor = emulatedVendor(name, time);
    // Events 10 and 30 s before now: a step of 20 s falls between them.
    vendor.create(T0 - 30_000, T0 - 30_000, 0);
    vendor.create(T0 - 10_000, T0 - 10_000, 1);
    vendor.advance(T0);
    const ids: string[] = [];
    let cursor: string | undefined;
    for (const skew of [0, step, 0]) {
      time.time.skew = skew;
      for await (const page of vendor.listing(25).byPage(cursor === undefined ? {} : { cursor })) {
        ids.push(...page.items.map((event) => event.id));
        cursor = page.cursor;
      }
      vendor.advance(time.time.now + 1_000);
    }
    expect(ids.sort()).toEqual(vendor.visible().sort());
  });
});
