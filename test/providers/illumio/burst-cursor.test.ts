import { describe, expect, it } from 'vitest';
import { illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import { fastClock, inProcessClient } from './connect.js';

describe('illumio after a burst of events at one instant', () => {
  it('resumes from every cursor it issued, the tail too, though they hold thousands of ids', async () => {
    const clock = fastClock();
    const emulator = illumioEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
    const burst = emulator.store.record(3000, Date.parse('2026-11-23T10:00:00.000Z'));
    const pce = inProcessClient(emulator, clock);
    const drain = async (cursor?: string) => {
      const pages: Array<{ ids: string[]; cursor: string }> = [];
      for await (const page of pce.events.list({ pageSize: 500, mode: 'sync' }).byPage(cursor === undefined ? {} : { cursor })) {
        pages.push({ ids: page.items.map((event) => event.id), cursor: page.cursor });
      }
      return pages;
    };
    const pages = await drain();
    const all = pages.flatMap((page) => page.ids);
    expect([...all].sort()).toEqual(burst.map((event) => event.href).sort());
    // 3000 ids of 19 characters, compressed about twofold: the instant's list once (its repeat as the
    // tail's floor is written as a reference), still past 32 KB.
    expect(Math.max(...pages.map((page) => page.cursor.length))).toBeGreaterThan(32_768);
    for (const [index, page] of pages.entries()) {
      expect((await drain(page.cursor)).flatMap((next) => next.ids)).toEqual(all.slice(pages.slice(0, index + 1).flatMap((p) => p.ids).length));
    }
    const [later] = emulator.store.record(1);
    expect((await drain(pages.at(-1)?.cursor)).flatMap((page) => page.ids)).toEqual([later?.href]);
  });
});
