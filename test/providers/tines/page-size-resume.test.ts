import { describe, expect, it } from 'vitest';
import { tines } from '../../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../../src/providers/tines/emulator.js';
import { fastClock, TENANT } from './connect.js';

describe('tines resumed with another pageSize', () => {
  it.each([
    ['newest first, larger', 'newest-first' as const, 20],
    ['newest first, smaller', 'newest-first' as const, 3],
    ['oldest first, larger', 'oldest-first' as const, 20],
  ])('%s: a mid-pass cursor loses and repeats nothing', async (_name, order, resumedSize) => {
    const clock = fastClock();
    const emulator = tinesEmulator.create({ seed: 7, events: 60, clock, order });
    const client = tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch, clock });
    const list = () => client.events.list({ pageSize: 10 });
    const ids: string[] = [];
    let cursor = '';
    for await (const page of list().byPage()) {
      ids.push(...page.items.map((event) => event.id));
      cursor = page.cursor;
      break;
    }
    for await (const page of list().byPage({ cursor, pageSize: resumedSize })) ids.push(...page.items.map((event) => event.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(emulator.store.events.map((event) => String(event.id)).sort());
  });
});

describe('tines tail resumed with a larger pageSize', () => {
  it('a pass re-reading the overlap at its own page size is not cut short by the limit of the larger one', async () => {
    // 300 events in the minute before the newest: the tail lists them again, dropped as delivered.
    const clock = fastClock();
    const emulator = tinesEmulator.create({ seed: 7, events: 0, clock });
    const newest = Date.now();
    for (let index = 0; index < 300; index++) emulator.store.emit({ actionId: 21, createdAt: newest - 50_000 + index * 150 });
    const client = tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch, clock });
    const list = () => client.events.list({ pageSize: 100 });
    let tail = '';
    for await (const page of list().byPage()) tail = page.cursor;
    // The tail's pass at 5 a page, left after its first page (the pass keeps its size), then resumed
    // asking for 100 a page: 59 more pages at 5 that bring nothing new.
    let cursor = '';
    for await (const page of list().byPage({ cursor: tail, pageSize: 5 })) {
      cursor = page.cursor;
      break;
    }
    const again: string[] = [];
    for await (const page of list().byPage({ cursor, pageSize: 100 })) {
      again.push(...page.items.map((event) => event.id));
      cursor = page.cursor;
    }
    expect(again).toEqual([]);
    const arrival = emulator.store.emit({ actionId: 21 });
    const next: string[] = [];
    for await (const page of list().byPage({ cursor })) next.push(...page.items.map((event) => event.id));
    expect(next).toEqual([String(arrival.id)]);
  });
});
