import { describe, expect, it } from 'vitest';
import { FujitsuEventStore } from '../../../src/providers/fujitsu/emulator-store.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, fujitsuEmulator } from '../../../src/providers/fujitsu/emulator.js';
import { createRng } from '../../../src/testing/rng.js';
import { inTimeZone } from '../../testing/time-zone.js';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');

describe('fujitsu emulator store', () => {
  it('keeps every tenant newest first, later insertions first within a second, whatever the insert order', () => {
    const store = new FujitsuEventStore(createRng(3));
    const rng = createRng(5);
    for (let i = 0; i < 300; i++) store.add('t', { at: NOW - rng.int(0, 40) * 1000 - rng.int(0, 999) });
    store.seed('t', 200, NOW);
    const events = store.all('t');
    expect(events).toHaveLength(500);
    const expected = [...events].sort((a, b) => b.at - a.at || b.seq - a.seq);
    expect(events.map((event) => event.seq)).toEqual(expected.map((event) => event.seq));
  });

  it('puts an event added later in the same second before the earlier ones', () => {
    const store = new FujitsuEventStore(createRng(1));
    const first = store.add('t', { at: NOW, message: 'first' });
    store.add('t', { at: NOW + 5_000, message: 'newest' });
    store.add('t', { at: NOW - 5_000, message: 'oldest' });
    const second = store.add('t', { at: NOW + 999, message: 'second' });
    expect(store.all('t').map((event) => event.message)).toEqual(['newest', 'second', 'first', 'oldest']);
    expect(second.at).toBe(first.at);
  });

  it('reads a zone-less time as UTC whatever the machine zone (VENDORS.md), and refuses one that is not ISO 8601', () =>
    inTimeZone('America/New_York', () => {
      const store = new FujitsuEventStore(createRng(1));
      expect(store.add('t', { at: '2026-11-23T10:00:00' }).at).toBe(NOW);
      expect(store.add('t', { at: '2026-11-23 10:00:00.500' }).at).toBe(NOW);
      expect(store.addBurst('t', '2026-11-23T10:00:00', 2).map((event) => event.at)).toEqual([NOW, NOW]);
      expect(() => store.add('t', { at: 'Mon, 23 Nov 2026 10:00:00 GMT' })).toThrow(/at must be an ISO 8601 date-time.*Mon, 23 Nov/);
    }));

  it('lists an event given a visibleAt only from then, at its own date among the others', () => {
    const store = new FujitsuEventStore(createRng(2));
    const query = { start: NOW - 60_000, end: NOW + 60_000, categories: [], sourceType: undefined, sourceId: undefined, limit: 20, marker: undefined };
    store.add('t', { at: NOW - 2_000, message: 'older' });
    const late = store.add('t', { at: NOW - 1_000, message: 'late', visibleAt: '2026-11-23T10:00:30Z' });
    store.add('t', { at: NOW + 5_000, message: 'newer' });
    const listed = (now?: number) => store.list('t', now === undefined ? query : { ...query, now }, 'inclusive').map((event) => event.message);
    expect(late.visibleAt).toBe(NOW + 30_000);
    expect(listed(NOW + 29_999)).toEqual(['newer', 'older']);
    expect(listed(NOW + 30_000)).toEqual(['newer', 'late', 'older']);
    // Without a time, as before events could be late, every event is listed; `all` has them all too.
    expect(listed()).toEqual(['newer', 'late', 'older']);
    expect(store.all('t')).toHaveLength(3);
  });

  it('serves an event given a visibleAt only once the emulator clock reaches it', async () => {
    let now = NOW;
    const emulator = fujitsuEmulator.create({ events: 0, clock: { now: () => now, scale: 1, sleep: async () => undefined } });
    emulator.store.events.add(DEFAULT_FUJITSU_TENANT, { at: NOW - 10_000, visibleAt: NOW + 20_000 });
    const list = async () => {
      const url = `https://database.uk-1.cloud.global.fujitsu.com/v1.0/${DEFAULT_FUJITSU_TENANT}/events?startTime=2026-11-23T09:00:00Z&endTime=2026-11-23T11:00:00Z`;
      const response = await emulator.fetch(url, { headers: { 'X-Auth-Token': DEFAULT_FUJITSU_TOKEN } });
      return ((await response.json()) as { events: unknown[] }).events.length;
    };
    expect(await list()).toBe(0);
    now += 20_000;
    expect(await list()).toBe(1);
  });
});
