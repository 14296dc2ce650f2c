/**
 * The emulator a start command asks for: from `tributary/testing`, on a clock whose `now()` is fixed
 * (so generated data, and so every page, are the same in every round), with the store adaptations of
 * `adapt.ts` where a vendor's store does not scale to benchmark sizes.
 */
import { scaledClock } from '../../src/core/clock.js';
import type { FujitsuEmulatorStore } from '../../src/providers/fujitsu/emulator.js';
import type { InformaticaEmulatorState } from '../../src/providers/informatica/emulator.js';
import { createEmulator, type Emulator } from '../../src/testing/index.js';
import { loadFujitsuEvents, memoizeInformaticaSearch } from './adapt.js';
import type { StartCommand } from './protocol.js';

export function createBenchEmulator(command: Omit<StartCommand, 'type' | 'cache'>): Emulator {
  const clock = scaledClock(command.scale, () => command.now);
  const bulk = command.adapt === 'fujitsu';
  const options = { ...command.options, seed: command.seed, events: bulk ? 0 : command.events, clock };
  const emulator: Emulator = command.provider === 'generic' ? createEmulator('generic', options) : createEmulator(command.provider, options);
  if (bulk) loadFujitsuEvents(emulator.store as FujitsuEmulatorStore, command.events, command.now, command.seed);
  if (command.adapt === 'informatica') memoizeInformaticaSearch(emulator.store as InformaticaEmulatorState);
  return emulator;
}
