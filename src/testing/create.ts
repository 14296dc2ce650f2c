/**
 * `createEmulator(provider, options)`: a running emulator of a vendor's API, by name, typed by it.
 */
import { show } from '../core/config.js';
import { ConfigurationError, type ProviderName } from '../core/errors.js';
import { createGenericEmulator, type GenericEmulatorOptions, type GenericStore } from './generic.js';
import { emulators, type EmulatorOptionsOf, type EmulatorStoreOf } from './registry.js';
import type { Emulator, EmulatorDefinition, EmulatorOptions } from './types.js';

/**
 * Creates the emulator of `provider` (or of `'generic'`, see `createGenericEmulator`), seeded and
 * filled with `options.events` events. Its `store` and vendor options are typed by the provider.
 * Throws a `ConfigurationError` for an unknown provider or a bad option.
 * @example
 * const emulator = createEmulator('illumio', { seed: 7, events: 500 });
 * const server = setupServer(...(await emulator.msw()));
 */
export function createEmulator(provider: 'generic', options?: EmulatorOptions & GenericEmulatorOptions): Emulator<GenericStore>;
export function createEmulator<P extends ProviderName>(provider: P, options?: EmulatorOptionsOf<P>): Emulator<EmulatorStoreOf<P>>;
export function createEmulator(provider: ProviderName | 'generic', options: unknown = {}): Emulator<unknown> {
  // The generic paging target is not a vendor, so it is not in the registry of ProviderName.
  if (provider === 'generic') return createGenericEmulator(options as EmulatorOptions & GenericEmulatorOptions);
  if (typeof provider !== 'string' || !Object.hasOwn(emulators, provider)) {
    const available = [...Object.keys(emulators), 'generic'].join(', ');
    throw new ConfigurationError(`no emulator for provider ${show(provider)} (available: ${available})`, { option: 'provider' });
  }
  const definition = emulators[provider] as unknown as EmulatorDefinition;
  return definition.create(options as EmulatorOptions);
}
