/**
 * The tail cursor reaches back a minute (VENDORS.md: events arrive late, a tailing reader needs an
 * overlap window): an event the service lists late, dated before the newest one delivered, still comes,
 * once, from an inclusive or an exclusive marker server; nothing delivered comes again; an event later
 * than that minute allows is not found.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import type { MarkerMode } from '../../../src/providers/fujitsu/emulator.js';
import { serveEvent } from '../../../src/providers/fujitsu/emulator-store.js';
import { keyEvents } from '../../../src/providers/fujitsu/normalize.js';
import { clientOf, createEmulator, TENANT } from './helpers.js';
import { cursorJson } from '../../../src/core/cursor.js';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);

function setup(marker: MarkerMode, pageSize: number) {
  let now = NOW;
  const clock = scaledClock(0.001, () => now);
  const emulator = createEmulator({ clock, marker });
  // Two minutes of events, two or three in a second.
  for (let ago = 120; ago >= 1; ago--) emulator.store.events.addBurst(TENANT, NOW - ago * 1000, 2 + (ago % 2));
  const client = clientOf(emulator, { clock });
  const drain = async (cursor?: string) => {
    const ids: string[] = [];
    let last = '';
    for await (const page of client.events.list({ since: new Date(NOW - 3_600_000), pageSize }).byPage(cursor === undefined ? {} : { cursor })) {
      ids.push(...page.items.map((event) => event.id));
      last = page.cursor;
    }
    return { ids, cursor: last };
  };
  /** Adds one event at `at` and returns the id the client gives it (a content hash). */
  const add = (at: number): string => {
    const stored = emulator.store.events.add(TENANT, { at });
    return keyEvents([serveEvent(stored, 'zoneless', 'array') as never], 'events.list')[0]!.id;
  };
  return { drain, add, advance: (ms: number) => (now += ms) };
}

/** The cursor with its state as a tail cursor held it before the tail overlapped: the newest second. */
function beforeOverlap(cursor: string): string {
  const envelope = JSON.parse(cursorJson(cursor));
  const { m, mi, x, n, ni } = envelope.s;
  return Buffer.from(JSON.stringify({ ...envelope, s: { f: n, fi: ni, m, mi, x, n, ni } })).toString('base64url');
}

describe.each<MarkerMode>(['inclusive', 'exclusive'])('fujitsu tail cursor overlap, %s marker', (marker) => {
  it.each([100, 20])('delivers a late event within the minute before the newest one, and a new one, once (pageSize %i)', async (pageSize) => {
    const { drain, add, advance } = setup(marker, pageSize);
    const first = await drain();
    expect(first.ids).toHaveLength(300);
    // The newest delivered is a second before NOW.
    const late = add(NOW - 31_000);
    advance(10_000);
    const fresh = add(NOW + 5_000);
    const second = await drain(first.cursor);
    expect(second.ids).toEqual([fresh, late]);
    expect(new Set([...first.ids, ...second.ids]).size).toBe(302);
    expect((await drain(second.cursor)).ids).toEqual([]);
  });

  it('does not find an event listed later than the overlap allows: dated more than a minute before the newest delivered', async () => {
    const { drain, add } = setup(marker, 50);
    const first = await drain();
    add(NOW - 62_000);
    const edge = add(NOW - 61_000);
    expect((await drain(first.cursor)).ids).toEqual([edge]);
  });

  it('resumes a tail cursor issued before the tail overlapped as it did, from its newest second, and overlaps from there on', async () => {
    const { drain, add, advance } = setup(marker, 50);
    const first = await drain();
    add(NOW - 31_000);
    advance(10_000);
    const fresh = add(NOW + 5_000);
    const second = await drain(beforeOverlap(first.cursor));
    expect(second.ids).toEqual([fresh]);
    const late = add(NOW + 2_000);
    expect((await drain(second.cursor)).ids).toEqual([late]);
  });
});
