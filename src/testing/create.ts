/**
 * `createEmulator(provider, options)`: a running emulator of a vendor's API, by name.
 */
import { ConfigurationError, type ProviderName } from '../core/errors.js';
import { emulators } from './registry.js';
import type { Emulator, EmulatorOptions } from './types.js';

/**
 * Creates the emulator of `provider`, seeded and filled with `options.events` events.
 * Throws a `ConfigurationError` for a provider without an emulator or a bad option.
 * @example
 * const emulator = createEmulator('illumio', { seed: 7, events: 500 });
 * const server = setupServer(...(await emulator.msw()));
 */
export function createEmulator(provider: ProviderName, options: EmulatorOptions & Record<string, unknown> = {}): Emulator {
  const definition = Object.hasOwn(emulators, provider) ? emulators[provider] : undefined;
  if (!definition) {
    const known = Object.keys(emulators).sort().join(', ') || 'none';
    throw new ConfigurationError(`no emulator for provider "${String(provider)}" (available: ${known})`, {
      option: 'provider',
    });
  }
  return definition.create(options);
}
