/**
 * A Tines listing left after a page and resumed later, once an event whose id lies below the page it
 * left at has become visible and a newer one a minute after them has come: the pass's tail re-read the
 * minute before that newer event only, from the largest id of its own time it cut, above the late
 * event's id, so no later poll listed it (seeded watch property: a watch stopped mid-pass, restarted).
 */
import { describe, expect, it } from 'vitest';
import { emulatedVendor } from '../../support/emulated-vendors.js';
import { clocks } from '../../support/tail.js';

const X = Date.parse('2030-01-01T12:09:17.000Z');

describe('a Tines pass left after a page and resumed later', () => {
  it.each(['oldest-first', 'newest-first'])('%s: lists the event that became visible below it meanwhile', async (order) => {
    const clock = clocks(X - 1_000);
    const tenant = emulatedVendor('tines', clock, order);
    // Ids in time order: the second is listed 50 s late, within the minute the README allows.
    tenant.create(X, X, 1);
    tenant.create(X, X + 50_000, 2);
    tenant.create(X, X, 3);
    tenant.create(X, X, 4);
    tenant.create(X, X, 5);
    tenant.advance(X + 10_000);
    const delivered: string[] = [];
    let cursor: string | undefined;
    for await (const page of tenant.listing(2).byPage()) {
      delivered.push(...page.items.map((event) => event.id));
      cursor = page.cursor;
      break;
    }
    // Back a minute later, after an event of the minute after them.
    tenant.create(X + 60_500, X + 60_500, 6);
    tenant.advance(X + 70_000);
    for (let poll = 0; poll < 8; poll++) {
      for await (const page of tenant.listing(2).byPage(cursor === undefined ? {} : { cursor })) {
        delivered.push(...page.items.map((event) => event.id));
        cursor = page.cursor;
      }
      tenant.advance(clock.time.now + 30_000);
    }
    expect([...delivered].sort()).toEqual([...tenant.visible()].sort());
  });
});
