/**
 * The emulator a start command asks for: from `tributary/testing`, on a clock whose `now()` is fixed
 * (so generated data, and so every page, are the same in every round); FUJITSU's events are loaded in
 * bulk over days (`adapt.ts`).
 */
import { scaledClock } from '../../src/core/clock.js';
import type { FujitsuEmulatorStore } from '../../src/providers/fujitsu/emulator.js';
import { createEmulator, type Emulator } from '../../src/testing/index.js';
import { UNBOUNDED_EVENTS } from '../../src/testing/options.js';
import { loadFujitsuEvents } from './adapt.js';
import type { StartCommand } from './protocol.js';

export function createBenchEmulator(command: Omit<StartCommand, 'type' | 'cache'>): Emulator {
  const clock = scaledClock(command.scale, () => command.now);
  const bulk = command.adapt === 'fujitsu';
  // The benchmark's stores (200_000 events, a million for the memory scenario) are past the emulator's
  // limit on purpose: their build is waited for, outside the rounds measured.
  const options = { ...command.options, seed: command.seed, events: bulk ? 0 : command.events, clock, [UNBOUNDED_EVENTS]: true };
  const emulator: Emulator = command.provider === 'generic' ? createEmulator('generic', options) : createEmulator(command.provider, options);
  if (bulk) loadFujitsuEvents(emulator.store as FujitsuEmulatorStore, command.events, command.now, command.seed);
  return emulator;
}
