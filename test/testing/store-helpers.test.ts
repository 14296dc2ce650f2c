/**
 * What a store helper takes from a test: a value the vendor never answers with, or a count it cannot
 * mean, is refused by name, where the emulator stored it and served events unlike the vendor's.
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import { DEFAULT_FUJITSU_TENANT, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { informaticaEmulator } from '../../src/providers/informatica/emulator.js';

const NOW = Date.UTC(2026, 10, 23, 10);

describe("Informatica's store", () => {
  it.each([
    ['ERROR', 'Error'],
    ['COMPLETE', 'Complete'],
    ['PENDING', 'Pending'],
  ])('refuses the status %s, the request enum\'s name, naming the one the vendor answers (%s)', (status, answered) => {
    const { store } = informaticaEmulator.create({ events: 0 });
    const refusal = new RegExp(`eventStatus ${status} is the search's name of it; the vendor answers an event's status as ${answered}`);
    expect(() => store.events.add({ eventStatus: status }, NOW)).toThrow(refusal);
    expect(() => store.events.add({ eventStatus: status }, NOW)).toThrow(ConfigurationError);
    const event = store.events.add({ eventStatus: 'Processing' }, NOW);
    expect(() => store.events.setStatus(event.eventId, status, NOW + 1)).toThrow(refusal);
    expect(store.events.get(event.eventId)).toMatchObject({ eventStatus: 'Processing', completionTime: null });
    expect(store.events.size).toBe(1);
  });

  it('keeps statuses the vendor answers beyond the request enum', () => {
    const { store } = informaticaEmulator.create({ events: 0 });
    for (const status of ['Complete', 'Error', 'Pending', 'Delayed', 'Reprocessed', 'Waiting']) {
      expect(store.events.add({ eventStatus: status }, NOW).eventStatus).toBe(status);
    }
  });
});

describe("FUJITSU's addBurst", () => {
  it.each([2.5, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a count of %s by name', (count) => {
    const { store } = fujitsuEmulator.create({ events: 0 });
    expect(() => store.events.addBurst(DEFAULT_FUJITSU_TENANT, NOW, count)).toThrow(ConfigurationError);
    expect(() => store.events.addBurst(DEFAULT_FUJITSU_TENANT, NOW, count)).toThrow(/^count must be an integer >= 0, got /);
    expect(store.events.all(DEFAULT_FUJITSU_TENANT)).toHaveLength(0);
  });

  it('adds as many events as asked, none for 0', () => {
    const { store } = fujitsuEmulator.create({ events: 0 });
    expect(store.events.addBurst(DEFAULT_FUJITSU_TENANT, NOW, 0)).toHaveLength(0);
    expect(store.events.addBurst(DEFAULT_FUJITSU_TENANT, NOW, 3)).toHaveLength(3);
  });
});
