import { describe, expect, expectTypeOf, it } from 'vitest';
import { isConfigurationError, type ProviderName } from '../../src/core/errors.js';
import {
  createEmulator,
  DEFAULT_ILLUMIO_CREDENTIAL,
  illumioDemoEnv,
  type IllumioEmulatorStore,
  type TinesEmulatorStore,
} from '../../src/testing/index.js';

describe('createEmulator by provider name', () => {
  it('types the store by the provider', () => {
    const illumio = createEmulator('illumio', { events: 3 });
    expectTypeOf(illumio.store).toEqualTypeOf<IllumioEmulatorStore>();
    expectTypeOf(createEmulator('tines').store).toEqualTypeOf<TinesEmulatorStore>();
    expect(illumio.provider).toBe('illumio');
  });

  it('creates every vendor, and refuses an unknown name with a ConfigurationError', () => {
    for (const name of ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'] as const) {
      expect(createEmulator(name).provider).toBe(name);
    }
    let error: unknown;
    try {
      createEmulator('nosuch' as ProviderName);
    } catch (caught) {
      error = caught;
    }
    expect(isConfigurationError(error)).toBe(true);
  });

  it('exports the credentials the emulators accept', () => {
    expect(illumioDemoEnv('http://127.0.0.1:1')).toMatchObject({ TRIBUTARY_ILLUMIO_API_KEY: DEFAULT_ILLUMIO_CREDENTIAL.apiKey });
  });
});
