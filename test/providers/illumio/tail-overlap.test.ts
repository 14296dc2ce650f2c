/**
 * The tail cursor reaches back a minute (VENDORS.md: events arrive late, a tailing reader needs an
 * overlap window): an event the PCE records late, timestamped before the newest one delivered, still
 * comes, once; nothing delivered comes again; an event later than that minute allows is not found.
 */
import { describe, expect, it } from 'vitest';
import { illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import { fastClock, inProcessClient } from './connect.js';
import { cursorJson } from '../../../src/core/cursor.js';

function setup(pageSize: number) {
  const clock = fastClock();
  // About two minutes of events, several in one millisecond now and then.
  const emulator = illumioEmulator.create({ seed: 5, events: 240, maxGapMs: 1_000, clock, rateLimit: false });
  const pce = inProcessClient(emulator, clock);
  const drain = async (cursor?: string) => {
    const ids: string[] = [];
    let last = '';
    for await (const page of pce.events.list({ pageSize, mode: 'sync' }).byPage(cursor === undefined ? {} : { cursor })) {
      ids.push(...page.items.map((event) => event.id));
      last = page.cursor;
    }
    return { ids, cursor: last };
  };
  const newest = () => Date.parse(emulator.store.events[0]!.timestamp);
  return { emulator, drain, newest };
}

/** The cursor with its state as a tail cursor held it before the tail overlapped: the newest instant. */
function beforeOverlap(cursor: string): string {
  const envelope = JSON.parse(cursorJson(cursor));
  const { t, ti, n, ni } = envelope.s;
  return Buffer.from(JSON.stringify({ ...envelope, s: { f: n, fi: ni, t, ti, n, ni } })).toString('base64url');
}

describe('illumio tail cursor overlap', () => {
  it.each([1_000, 3])('delivers a late event within the minute before the newest one, and a new one, once (pageSize %i)', async (pageSize) => {
    const { emulator, drain, newest } = setup(pageSize);
    const first = await drain();
    expect(first.ids).toHaveLength(240);
    const top = newest();
    const [late] = emulator.store.record(1, top - 30_000);
    const [fresh] = emulator.store.record(1);
    const second = await drain(first.cursor);
    expect(second.ids).toEqual([fresh!.href, late!.href]);
    expect(new Set([...first.ids, ...second.ids]).size).toBe(242);
    expect((await drain(second.cursor)).ids).toEqual([]);
  });

  it('does not find an event recorded later than the overlap allows: timestamped more than a minute before the newest delivered', async () => {
    const { emulator, drain, newest } = setup(50);
    const first = await drain();
    const top = newest();
    emulator.store.record(1, top - 60_001);
    const [edge] = emulator.store.record(1, top - 60_000);
    expect((await drain(first.cursor)).ids).toEqual([edge!.href]);
  });

  it('resumes a tail cursor issued before the tail overlapped as it did, from its newest instant, and overlaps from there on', async () => {
    const { emulator, drain, newest } = setup(50);
    const first = await drain();
    const top = newest();
    emulator.store.record(1, top - 30_000);
    const [fresh] = emulator.store.record(1);
    const second = await drain(beforeOverlap(first.cursor));
    expect(second.ids).toEqual([fresh!.href]);
    const [late] = emulator.store.record(1, newest() - 500);
    expect((await drain(second.cursor)).ids).toEqual([late!.href]);
  });
});
