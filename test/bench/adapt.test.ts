import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { DEFAULT_FUJITSU_TENANT, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { FUJITSU_HISTORY_MS, loadFujitsuEvents } from '../../bench/server/adapt.js';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const clock = scaledClock(1, () => NOW);

describe('FUJITSU bulk events', () => {
  it('adds exactly the events asked for, newest first, inside the window, with distinct content', () => {
    const emulator = fujitsuEmulator.create({ events: 0, clock });
    loadFujitsuEvents(emulator.store, 3000, NOW, 5);
    const events = emulator.store.events.all(DEFAULT_FUJITSU_TENANT);
    expect(events).toHaveLength(3000);
    for (let i = 1; i < events.length; i++) {
      const [newer, older] = [events[i - 1], events[i]];
      expect((newer?.at ?? 0) > (older?.at ?? 0) || ((newer?.at ?? 0) === (older?.at ?? 0) && (newer?.seq ?? 0) > (older?.seq ?? 0))).toBe(true);
    }
    expect(events.at(-1)?.at).toBeGreaterThanOrEqual(NOW - FUJITSU_HISTORY_MS);
    expect(events[0]?.at).toBeLessThan(NOW);
    expect(new Set(events.map((event) => event.message)).size).toBe(3000);
    // Bursts share a second, as the service's dates do.
    expect(new Set(events.map((event) => event.at)).size).toBeLessThan(3000);
  });
});
