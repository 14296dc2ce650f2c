import { describe, expect, it } from 'vitest';
import { FujitsuEventStore } from '../../../src/providers/fujitsu/emulator-store.js';
import { createRng } from '../../../src/testing/rng.js';

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
});
