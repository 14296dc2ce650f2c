/**
 * `createEmulator(provider, options)`: a running emulator of a vendor's API, by name.
 */
import { ConfigurationError, type ProviderName } from '../core/errors.js';
import { createGenericEmulator, type GenericEmulatorOptions, type GenericStore } from './generic.js';
import { emulators } from './registry.js';
import type { Emulator, EmulatorOptions } from './types.js';

/**
 * Creates the emulator of `provider` (or of `'generic'`, see `createGenericEmulator`), seeded and
 * filled with `options.events` events.
 * Throws a `ConfigurationError` for a provider without an emulator or a bad option.
 * @example
 * const emulator = createEmulator('illumio', { seed: 7, events: 500 });
 * const server = setupServer(...(await emulator.msw()));
 */
export function createEmulator(provider: 'generic', options?: EmulatorOptions & GenericEmulatorOptions): Emulator<GenericStore>;
export function createEmulator(provider: ProviderName, options?: EmulatorOptions & object): Emulator;
export function createEmulator(provider: ProviderName | 'generic', options: EmulatorOptions & object = {}): Emulator {
  // The generic paging target is not a vendor, so it is not in the registry of ProviderName.
  if (provider === 'generic') return createGenericEmulator(options as EmulatorOptions & GenericEmulatorOptions);
  const definition = Object.hasOwn(emulators, provider) ? emulators[provider] : undefined;
  if (!definition) {
    const known = Object.keys(emulators).sort().join(', ') || 'none';
    throw new ConfigurationError(`no emulator for provider "${String(provider)}" (available: ${known})`, {
      option: 'provider',
    });
  }
  return definition.create(options);
}
